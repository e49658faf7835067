"""The cooperation-pathway engine: one service for the CLI, the JSON API and the web page.

`PathwayService.ask` resolves what a user typed (ISO codes, names, concept keys, a date),
reads the facts of the two jurisdictions, and applies the rules in :mod:`.rules`.
"""

from __future__ import annotations

import threading
from datetime import date

from ..errors import TfkgError
from ..lookup import Lookup, UnknownValueError
from ..store import Store
from .facts import PartyFacts, StaticFacts, party_facts, static_facts
from .rules import RULES, Answer, Question, evaluate

MEASURES = (
    "mutual-legal-assistance",
    "extradition",
    "police-information-exchange",
    "financial-intelligence",
    "asset-recovery",
    "joint-investigation-team",
)

__all__ = ["MEASURES", "RULES", "Answer", "PathwayService", "Question", "as_json"]


class PathwayService:
    """Answers pathway questions against one store; static facts are read once, lazily."""

    def __init__(self, store: Store, lookup: Lookup | None = None) -> None:
        self.store = store
        self._lookup = lookup
        self._static: StaticFacts | None = None
        self._parties: dict[str, PartyFacts] = {}
        self._lock = threading.Lock()

    @property
    def lookup(self) -> Lookup:
        with self._lock:
            if self._lookup is None:
                self._lookup = Lookup.from_store(self.store)
            return self._lookup

    @property
    def static(self) -> StaticFacts:
        with self._lock:
            if self._static is None:
                self._static = static_facts(self.store)
            return self._static

    def question(self, requesting: str, requested: str, crime: str, measure: str, on: str | None) -> Question:
        """Resolve user input into a question; errors name the field and list close matches."""
        lookup = self.lookup
        a = lookup.jurisdiction(requesting, "from")
        b = lookup.jurisdiction(requested, "to")
        crime_iri = lookup.concept("crime-area", crime, "crime")
        measure_iri = lookup.concept("measure", measure, "measure")
        try:
            day = date.fromisoformat(on) if on and on != "today" else date.today()
        except ValueError:
            raise UnknownValueError(f"'on': {on!r} is not a date; write YYYY-MM-DD", "on", []) from None
        if a == b:
            raise TfkgError("'from' and 'to' name the same jurisdiction; a pathway needs two")
        state = lookup.same_state(a, b)
        if state is not None:
            raise TfkgError(
                f"'from' ({lookup.names.get(a, a)}) and 'to' ({lookup.names.get(b, b)}) are both part of "
                f"{lookup.names.get(state, state)}: a request inside one state is a matter of its own law, "
                "not of international cooperation; give two states (or territories of two states)"
            )
        return Question(a, b, crime_iri, measure_iri, day)

    def ask(self, requesting: str, requested: str, crime: str, measure: str, on: str | None = None) -> Answer:
        question = self.question(requesting, requested, crime, measure, on)
        # Who is bound through whom (the EU, a territory's state) is derived at build time. A
        # treaty that applies to a territory through its partner (the US-UK MLAT "incl." the
        # Cayman Islands) is decided by that partner's facts, so they are read too.
        sides = {question.requesting, question.requested}
        through = sorted(
            {p for i in self.static.instruments.values() if sides & i.territories for p in i.partners} - sides
        )
        parties = self.facts_of((question.requesting, question.requested, *through))
        return evaluate(self.static, parties, question)

    def facts_of(self, jurisdictions: tuple[str, ...]) -> PartyFacts:
        """The facts of each jurisdiction, read once per jurisdiction: the served graph does not
        change while it is served, so a second question about the same state costs no query."""
        merged = PartyFacts([], [], [], [], [])
        for iri in dict.fromkeys(jurisdictions):
            with self._lock:
                cached = self._parties.get(iri)
            if cached is None:
                cached = party_facts(self.store, (iri,))
                with self._lock:
                    self._parties[iri] = cached
            merged.actions += cached.actions
            merged.bindings += cached.bindings
            merged.statements += cached.statements
            merged.memberships += cached.memberships
            merged.agreements += cached.agreements
        return merged


def as_json(answer: Answer) -> dict[str, object]:
    """The answer as the JSON the API returns."""
    q = answer.question
    label = answer.labels.get
    return {
        "question": {
            "from": {"iri": q.requesting, "label": label(q.requesting, q.requesting)},
            "to": {"iri": q.requested, "label": label(q.requested, q.requested)},
            "crime": {"iri": q.crime, "label": label(q.crime, q.crime)},
            "measure": {"iri": q.measure, "label": label(q.measure, q.measure)},
            "on": q.on.isoformat(),
        },
        "summary": answer.summary(),
        "legal_bases": [o.as_dict() for o in answer.bases],
        "channels": [o.as_dict() for o in answer.channels],
        "rejected": [o.as_dict() for o in answer.rejected],
        "checked": answer.checked,
        "advice": answer.advice,
        "rules": RULES,
    }
