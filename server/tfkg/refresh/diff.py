"""What a refresh would change in data/, said by instrument: "+13 parties, 2 new reservations".

Facts are compared by what they state, not by where they are cited: a refreshed table cites
a new snapshot, so every row's source and locator change even where the fact does not. A
treaty action is its party, type, date, entry into force and territory; a statement its
party, kind, date and text; a depositary count its numbers.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..tables import read_table

#: Action types by which a party consents to be bound (the consent-to-be-bound scheme).
CONSENT = frozenset(
    f"action-type/{t}"
    for t in (
        "consent-to-be-bound",
        "ratification",
        "acceptance",
        "approval",
        "accession",
        "succession",
        "formal-confirmation",
        "definitive-signature",
    )
)
_ACTION = ("party", "action_type", "date", "entry_into_force_for_party", "territory")
_STATEMENT = ("party", "kind", "date", "text", "withdrawn_on")
_PLURAL = {"reservation": "reservations", "declaration": "declarations", "notification": "notifications"}


def _rows(path: Path) -> list[dict[str, str]]:
    return [dict(r.values) for r in read_table(path)] if path.is_file() else []


@dataclass
class InstrumentDiff:
    """The changes to one instrument's tables."""

    instrument: str
    parties_added: list[str] = field(default_factory=list)
    parties_gone: list[str] = field(default_factory=list)
    actions_added: int = 0
    actions_gone: int = 0
    statements_added: Counter[str] = field(default_factory=Counter)
    statements_gone: Counter[str] = field(default_factory=Counter)
    counts: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(
            self.actions_added
            or self.actions_gone
            or self.statements_added
            or self.statements_gone
            or self.counts
        )

    def describe(self) -> str:
        parts = []
        if self.parties_added:
            parts.append(
                f"+{len(self.parties_added)} parties ({', '.join(self.parties_added[:8])}{'…' if len(self.parties_added) > 8 else ''})"
            )
        if self.parties_gone:
            parts.append(f"-{len(self.parties_gone)} parties ({', '.join(self.parties_gone[:8])})")
        parts += [f"{n} new {_plural(kind, n)}" for kind, n in sorted(self.statements_added.items())]
        parts += [f"{n} {_plural(kind, n)} gone" for kind, n in sorted(self.statements_gone.items())]
        if self.actions_added or self.actions_gone:
            parts.append(f"treaty actions +{self.actions_added} -{self.actions_gone}")
        parts += self.counts
        return f"{self.instrument}: " + (", ".join(parts) if parts else "no change")


def _plural(kind: str, n: int) -> str:
    return kind if n == 1 else _PLURAL.get(kind, f"{kind}s")


@dataclass
class DataDiff:
    """Every change between the current data/ and a refreshed copy."""

    instruments: list[InstrumentDiff]
    files: list[str]
    sources_added: list[str]

    @property
    def changed(self) -> bool:
        return bool(self.files)

    def describe(self) -> list[str]:
        if not self.files:
            return ["no change: data/ already says what the depositaries' files say"]
        lines = [d.describe() for d in self.instruments if d.changed]
        if self.sources_added:
            lines.append(f"sources: {len(self.sources_added)} new ({', '.join(self.sources_added)})")
        lines.append(f"files that would change: {', '.join(self.files)}")
        return lines


def diff_data(current: Path, refreshed: Path) -> DataDiff:
    """Compare two data/ folders: ``refreshed`` is a scratch copy the importers wrote."""
    files = sorted(
        str(p.relative_to(refreshed))
        for p in refreshed.rglob("*")
        if p.is_file()
        and (
            not (current / p.relative_to(refreshed)).is_file()
            or _differs(p, current / p.relative_to(refreshed))
        )
    )
    instruments = sorted(
        {Path(f).stem for f in files if f.startswith(("treaty-actions/", "statements/"))}
        | _status_instruments(current, refreshed)
    )
    diffs = [_instrument(current, refreshed, key) for key in instruments]
    old_sources = {r["key"] for r in _rows(current / "sources.csv")}
    added = sorted(r["key"] for r in _rows(refreshed / "sources.csv") if r["key"] not in old_sources)
    return DataDiff(diffs, files, added)


def _differs(a: Path, b: Path) -> bool:
    return a.read_bytes() != b.read_bytes()


def _status_instruments(current: Path, refreshed: Path) -> set[str]:
    old = {tuple(sorted(r.items())) for r in _rows(current / "depositary-status.csv")}
    return {
        r["instrument"].removeprefix("instrument/")
        for r in _rows(refreshed / "depositary-status.csv")
        if tuple(sorted(r.items())) not in old
    }


def _instrument(current: Path, refreshed: Path, key: str) -> InstrumentDiff:
    diff = InstrumentDiff(key)
    before = _rows(current / "treaty-actions" / f"{key}.csv")
    after = _rows(refreshed / "treaty-actions" / f"{key}.csv")
    old_facts = Counter(tuple(r.get(c, "") for c in _ACTION) for r in before)
    new_facts = Counter(tuple(r.get(c, "") for c in _ACTION) for r in after)
    diff.actions_added = sum((new_facts - old_facts).values())
    diff.actions_gone = sum((old_facts - new_facts).values())
    old_parties = {r["party"] for r in before if r["action_type"] in CONSENT}
    new_parties = {r["party"] for r in after if r["action_type"] in CONSENT}
    diff.parties_added = sorted(p.removeprefix("jurisdiction/") for p in new_parties - old_parties)
    diff.parties_gone = sorted(p.removeprefix("jurisdiction/") for p in old_parties - new_parties)
    old_statements = Counter(
        tuple(r.get(c, "") for c in _STATEMENT) for r in _rows(current / "statements" / f"{key}.csv")
    )
    new_statements = Counter(
        tuple(r.get(c, "") for c in _STATEMENT) for r in _rows(refreshed / "statements" / f"{key}.csv")
    )
    for fact, n in (new_statements - old_statements).items():
        diff.statements_added[fact[1]] += n
    for fact, n in (old_statements - new_statements).items():
        diff.statements_gone[fact[1]] += n
    diff.counts = _counts(current, refreshed, key)
    return diff


def _counts(current: Path, refreshed: Path, key: str) -> list[str]:
    """The depositary's stated counts that the refresh adds, as 'depositary: 189 parties (source)'."""
    old = {
        (r["signatories"], r["parties"], r["source"])
        for r in _rows(current / "depositary-status.csv")
        if r["instrument"] == f"instrument/{key}"
    }
    return [
        f"depositary states {r['parties'] or '?'} parties"
        + (f", {r['signatories']} signatories" if r["signatories"] else "")
        + f" ({r['source']})"
        for r in _rows(refreshed / "depositary-status.csv")
        if r["instrument"] == f"instrument/{key}" and (r["signatories"], r["parties"], r["source"]) not in old
    ]
