"""The pathway answer as a readable table for the terminal."""

from __future__ import annotations

import textwrap

from .rules import Answer, Outcome


def _block(outcome: Outcome, number: int) -> list[str]:
    flag = {
        "applies": "",
        "displaced": " [displaced]",
        "indirect": " [indirect]",
        "uncertain": " [uncertain]",
    }.get(outcome.status, "")
    stale = " [may be out of date]" if outcome.stale else ""
    lines = [f"{number:>2}. {outcome.label}{flag}{stale}"]
    for reason in outcome.reasons:
        sources = "; ".join(
            sorted(
                {
                    f"{f.source.title[:60]} ({f.source.snapshot}"
                    + (f", {f.source.described()})" if f.source.described() else ")")
                    for f in reason.facts
                    if f.source.snapshot
                }
            )
        )
        lines += textwrap.wrap(
            f"{reason.rule}: {reason.text}", 100, initial_indent="      ", subsequent_indent="        "
        )
        if sources:
            lines += textwrap.wrap(
                f"source: {sources}", 100, initial_indent="        ", subsequent_indent="          "
            )
    for condition in outcome.conditions:
        lines += textwrap.wrap(
            f"condition: {condition.text}", 100, initial_indent="      ", subsequent_indent="        "
        )
    for note in outcome.notes:
        lines += textwrap.wrap(f"note: {note}", 100, initial_indent="      ", subsequent_indent="        ")
    for note in outcome.quiet:
        lines += textwrap.wrap(f"as of: {note}", 100, initial_indent="      ", subsequent_indent="        ")
    return lines


def render(answer: Answer, show_rejected: bool = False) -> str:
    q = answer.question
    label = answer.labels.get
    lines = [
        f"{label(q.requesting, q.requesting)} asks {label(q.requested, q.requested)} for "
        f"{label(q.measure, q.measure)} in a case of {label(q.crime, q.crime)}, on {q.on}",
        "",
        answer.summary(),
        "",
        "LEGAL BASES",
    ]
    if not answer.bases:
        lines.append("    none found")
    for n, outcome in enumerate(answer.bases, 1):
        lines += _block(outcome, n)
    lines += ["", "CHANNELS"]
    if not answer.channels:
        lines.append("    none found")
    for n, outcome in enumerate(answer.channels, 1):
        lines += _block(outcome, n)
    for advice in answer.advice:
        lines += ["", *textwrap.wrap(f"CHECK: {advice}", 100, subsequent_indent="    ")]
    lines += [
        "",
        f"CHECKED: {answer.checked['instruments']} instruments, {answer.checked['organizations']} organizations with channels",
    ]
    if show_rejected:
        lines += ["", "NOT APPLICABLE"]
        for outcome in answer.rejected:
            failed = [r.text for r in outcome.reasons if r.holds is False]
            why = "; ".join(failed) or (outcome.reasons[-1].text if outcome.reasons else "")
            lines += textwrap.wrap(f"- {outcome.label}: {why}", 100, subsequent_indent="    ")
            for note in outcome.notes:  # a high-risk currency warning belongs with the rejection
                lines += textwrap.wrap(f"! {note}", 100, initial_indent="    ", subsequent_indent="      ")
    else:
        lines.append(
            f"({len(answer.rejected)} candidates did not apply; --why-not lists them with the rule that failed)"
        )
    return "\n".join(lines)
