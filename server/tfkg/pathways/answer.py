"""What a pathway answer is made of: the question, each candidate's outcome with its reasons
(rule, words, facts with their sources and snapshot dates), and the answer as a whole.

The rules that fill it are in :mod:`.rules` (legal bases) and :mod:`.channels` (channels).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from ..namespaces import ID
from .facts import Fact, Point, Source

Label = Callable[[str, str], str]

RULES = {
    "R1": "scope: the instrument provides the measure and covers the crime area",
    "R2": "bound: both jurisdictions are bound by the instrument on the date",
    "R3": "precedence: a prevailing instrument displaces this one between parties bound by both",
    "R4": "conditions: reservations and declarations that concern the measure",
    "R5": "currency: the facts come from a source older than the date asked about",
    "C1": "channel: an organization both belong to (or one belongs to and the other has an agreement with) operates a channel carrying the measure",
}


@dataclass
class Reason:
    rule: str
    text: str
    facts: list[Fact] = field(default_factory=list)
    holds: bool | None = True  # False marks the reason a candidate failed on

    def as_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "text": self.text,
            "holds": self.holds,
            "facts": [
                {
                    "iri": f.iri,
                    "label": f.label,
                    "source": f.source.iri,
                    "source_title": f.source.title,
                    "snapshot": f.source.snapshot.isoformat() if f.source.snapshot else None,
                    "source_kind": f.source.kind,
                }
                for f in self.facts
            ],
        }


@dataclass
class Outcome:
    """A legal basis or channel, applicable or not, with everything that decided it."""

    iri: str
    label: str
    kind: str
    applies: bool
    status: str  # applies, uncertain, displaced, indirect, rejected
    reasons: list[Reason] = field(default_factory=list)
    conditions: list[Reason] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    stale: bool = False  # a high currency risk: a later change could flip this outcome (R5)
    risk: str | None = None  # "high" or "low", see R5
    quiet: list[str] = field(default_factory=list)  # low-risk currency notes
    score: int = 0

    def sources(self) -> list[dict[str, object]]:
        seen: dict[str, Source] = {}
        for reason in self.reasons + self.conditions:
            for fact in reason.facts:
                seen.setdefault(fact.source.iri, fact.source)
        return [
            {
                "iri": s.iri,
                "title": s.title,
                "snapshot": s.snapshot.isoformat() if s.snapshot else None,
                "kind": s.kind,
            }
            for s in seen.values()
        ]

    def as_dict(self) -> dict[str, object]:
        return {
            "iri": self.iri,
            "label": self.label,
            "kind": self.kind,
            "status": self.status,
            "stale": self.stale,
            "risk": self.risk,
            "currency_notes": self.quiet,
            "reasons": [r.as_dict() for r in self.reasons],
            "conditions": [c.as_dict() for c in self.conditions],
            "notes": self.notes,
            "sources": self.sources(),
        }


@dataclass(frozen=True)
class Question:
    requesting: str
    requested: str
    crime: str
    measure: str
    on: date


@dataclass
class Answer:
    question: Question
    labels: dict[str, str]
    bases: list[Outcome]
    channels: list[Outcome]
    rejected: list[Outcome]
    checked: dict[str, int]
    #: what the answer cannot say and the user should check (a bilateral treaty tfkg does not hold)
    advice: list[str] = field(default_factory=list)

    def summary(self) -> str:
        a, b = (self.labels.get(x, x) for x in (self.question.requesting, self.question.requested))
        if str(ID["jurisdiction/EU"]) in (self.question.requesting, self.question.requested):
            return f"No legal basis between {a} and {b}: {EU_COMPETENCE}."
        usable = [o for o in self.bases if o.status == "applies"]
        uncertain = [o for o in self.bases if o.status == "uncertain"]
        # Instruments that provide the measure for the crime but whose parties tfkg cannot
        # establish (no party table, or a negative on an old one): named, not left in 'rejected'.
        unknown = [
            o
            for o in self.rejected
            if o.stale
            and o.risk == "high"
            and not any(r.rule == "R1" and r.holds is False for r in o.reasons)
        ]
        not_established = (
            f" Not established for want of current party data in tfkg: {_first_labels(unknown)}."
            if unknown and not usable
            else ""
        )
        if not usable and not uncertain and not self.channels:
            return (
                f"No legal basis or channel found between {a} and {b} on {self.question.on}: "
                f"{self.checked['instruments']} instruments and {self.checked['organizations']} organizations "
                "were checked; see 'rejected' for why each failed." + not_established
            )
        parts = []
        if usable:
            parts.append(f"{len(usable)} legal basis(es): " + _first_labels(usable))
        else:
            parts.append("no legal basis established by the sources")
        if uncertain:
            parts.append(
                f"{len(uncertain)} whose application on this date is not stated: " + _first_labels(uncertain)
            )
        offered = [o for o in self.channels if o.status != "uncertain"]
        unsure = [o for o in self.channels if o.status == "uncertain"]
        if offered:
            parts.append(f"{len(offered)} channel(s): " + _first_labels(offered))
        if unsure:
            parts.append(
                f"{len(unsure)} channel(s) whose membership on this date is not stated: "
                + _first_labels(unsure)
            )
        if self.question.on > date.today():
            parts.append("the date is in the future: this is what the sources say today")
        return f"{a} → {b} on {self.question.on}: " + ". ".join(parts) + "." + not_established


def _first_labels(outcomes: list[Outcome], shown: int = 4) -> str:
    more = len(outcomes) - shown
    return "; ".join(o.label for o in outcomes[:shown]) + (f"; and {more} more" if more > 0 else "")


EU_COMPETENCE = (
    "the European Union is not a requesting or requested state: it is a party to some conventions only "
    "within its competence (UNTOC art. 36(3), UNCAC art. 67(3)), and its own acts and agreements bind "
    "its member states, whose authorities request and grant extradition and mutual legal assistance: "
    "ask with the member state concerned"
)


def holds(start: Point, end: Point | None, on: date) -> bool | None:
    begun = start.on_or_before(on)
    if begun is False:
        return False
    if end is None:
        return begun
    still = end.on_or_after(on)
    if still is False:
        return False
    if still is None:
        return None  # begun (or not known to have), and whether it still held is not stated
    return begun
