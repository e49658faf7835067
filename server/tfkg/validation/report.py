"""What a validation finds, in words a data curator understands."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Violation:
    """One broken rule: which rule, which node, where it came from, and what to do."""

    rule: str
    focus: str
    message: str
    file: str | None = None
    details: str = ""

    def describe(self) -> str:
        where = self.file or "(no file)"
        text = f"{where}: {self.focus}\n    rule: {self.rule}\n    {self.message}"
        return text + (f"\n    {self.details}" if self.details else "")


@dataclass
class ValidationReport:
    """Everything one `tfkg validate` run found; empty violations means all rules hold."""

    violations: list[Violation] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.violations

    def describe(self) -> str:
        lines = [*self.notes]
        lines += [v.describe() for v in self.violations]
        verdict = "all rules hold" if self.ok else f"{len(self.violations)} violation(s)"
        lines.append(f"validate: {verdict}")
        return "\n".join(lines)
