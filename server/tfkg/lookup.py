"""Finding things by what people type: ISO codes, keys, labels, names, concept keys.

Built once from the store, so the pathway engine, the catalogue and the web pages resolve
"CH", "CHE", "Switzerland", "UK", "Ivory Coast" or an IRI the same way; an unknown value is
an error that lists the closest known ones. Codes, keys and labels are exact and come first;
only what none of them names is tried against country_converter's name patterns
(:mod:`.country_names`), and a pattern answer counts only if the store has that jurisdiction.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

import pyoxigraph as ox

from .country_names import EXTRA_NAMES, PARTS_OF_STATES, NamePattern, fold, matching, name_patterns
from .errors import TfkgError
from .namespaces import ID
from .store import Store

_JURISDICTIONS = """
PREFIX tfkg: <https://w3id.org/tfkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?j ?label ?a2 ?a3 WHERE {
  ?j a ?kind ; rdfs:label ?label .
  VALUES ?kind { tfkg:Jurisdiction tfkg:State tfkg:Territory tfkg:RegionalIntegrationOrganization }
  OPTIONAL { ?j tfkg:isoAlpha2 ?a2 } OPTIONAL { ?j tfkg:isoAlpha3 ?a3 }
}
"""
_PARTS = """
PREFIX tfkg: <https://w3id.org/tfkg/ontology#>
SELECT ?part ?state WHERE { ?part tfkg:partOf ?state }
"""
_CONCEPTS = """
SELECT ?c WHERE { ?c a <http://www.w3.org/2004/02/skos/core#Concept> }
"""


#: Longer than any jurisdiction's name ("United Kingdom of Great Britain and Northern Ireland" is 52).
LONGEST_NAME = 100


class UnknownValueError(TfkgError):
    """A code, key or name that matches nothing; the message lists close matches."""

    def __init__(self, message: str, parameter: str, suggestions: list[str]) -> None:
        super().__init__(message)
        self.context = {"parameter": parameter, "suggestions": suggestions}


@dataclass
class Lookup:
    """Indexes of jurisdictions (by code and name) and concepts (by scheme and key)."""

    jurisdictions: dict[str, str] = field(default_factory=dict)  # folded code/key/label/name → IRI
    names: dict[str, str] = field(default_factory=dict)  # IRI → label
    concepts: dict[str, tuple[str, ...]] = field(default_factory=dict)  # scheme path → keys
    patterns: tuple[NamePattern, ...] = ()  # country_converter's, for jurisdictions in the store
    part_of: dict[str, str] = field(default_factory=dict)  # territory IRI → its state's IRI

    @classmethod
    def from_store(cls, store: Store) -> Lookup:
        lookup = cls()
        rows = store.query(_JURISDICTIONS)
        assert isinstance(rows, ox.QuerySolutions)
        for row in rows:
            iri, label = row["j"].value, row["label"].value
            lookup.names.setdefault(iri, label)
            keys = [label, iri.rsplit("/", 1)[-1]]
            keys += [row[c].value for c in ("a2", "a3") if row[c] is not None]
            for key in keys:
                lookup.jurisdictions.setdefault(fold(key), iri)
        for name, code in EXTRA_NAMES.items():
            iri = str(ID[f"jurisdiction/{code}"])
            if iri in lookup.names:
                lookup.jurisdictions.setdefault(name, iri)
        lookup.patterns = tuple(p for p in name_patterns() if lookup._known(p.iso3))
        rows = store.query(_PARTS)
        assert isinstance(rows, ox.QuerySolutions)
        lookup.part_of = {row["part"].value: row["state"].value for row in rows}
        concepts: dict[str, list[str]] = {}
        rows = store.query(_CONCEPTS)
        assert isinstance(rows, ox.QuerySolutions)
        for row in rows:
            iri = row["c"].value
            if iri.startswith(str(ID)):
                scheme, _, key = iri.removeprefix(str(ID)).rpartition("/")
                concepts.setdefault(scheme, []).append(key)
        lookup.concepts = {k: tuple(sorted(v)) for k, v in concepts.items()}
        return lookup

    def jurisdiction(self, value: str, parameter: str = "jurisdiction") -> str:
        """The IRI of the jurisdiction a code, key, label, common name or IRI names."""
        text = value.strip()
        if text.startswith(str(ID["jurisdiction/"])) and text in self.names:
            return text
        folded = fold(text)
        found = self.jurisdictions.get(folded)
        if found:
            return found
        if len(text) > LONGEST_NAME:
            # No jurisdiction's name is this long, and the name patterns cost time in proportion
            # to the text: refuse before matching, so a long value cannot hold a worker thread.
            raise UnknownValueError(
                f"'{parameter}': a jurisdiction is named in at most {LONGEST_NAME} characters "
                f"(got {len(text)}); give its ISO code or name.",
                parameter,
                [],
            )
        part_of = self._known(PARTS_OF_STATES.get(folded, ""))
        if part_of:
            raise UnknownValueError(
                f"'{parameter}': {value!r} is part of {self._described(part_of)}, not a jurisdiction "
                f"of its own here; give {part_of.rsplit('/', 1)[-1]} to ask about the whole state.",
                parameter,
                [self._described(part_of)],
            )
        matched = sorted(str(ID[f"jurisdiction/{code}"]) for code in matching(text, self.patterns))
        if len(matched) == 1:
            return matched[0]
        if matched:
            suggestions = [self._described(iri) for iri in matched]
            raise UnknownValueError(
                f"'{parameter}': {value!r} could name {' or '.join(suggestions)}; give one of their codes.",
                parameter,
                suggestions,
            )
        options = sorted({k for k in self.jurisdictions if len(k) > 3 or k.isalpha()})
        close = difflib.get_close_matches(folded, options, n=5, cutoff=0.6)
        suggestions = list(dict.fromkeys(self._described(self.jurisdictions[c]) for c in close))
        hint = f" Close matches: {', '.join(suggestions)}." if suggestions else ""
        raise UnknownValueError(
            f"'{parameter}': {value!r} is not a known jurisdiction (give an ISO 3166-1 code such as CHE "
            f"or CH, EU, or a name).{hint}",
            parameter,
            suggestions,
        )

    def _known(self, code: str) -> str | None:
        """The IRI for a key, if the store has that jurisdiction (a library may know more)."""
        iri = str(ID[f"jurisdiction/{code}"])
        return iri if code and iri in self.names else None

    def same_state(self, a: str, b: str) -> str | None:
        """The state that ``a`` and ``b`` both belong to (one is the other's territory, or both
        are territories of one state), or None: a request inside one state is no cooperation."""
        state_a, state_b = self.part_of.get(a, a), self.part_of.get(b, b)
        return state_a if state_a == state_b else None

    def _described(self, iri: str) -> str:
        return f"{self.names[iri]} ({iri.rsplit('/', 1)[-1]})"

    def concept(self, scheme: str, value: str, parameter: str) -> str:
        """The IRI of a concept of ``scheme`` given by key or IRI."""
        key = value.strip().rsplit("/", 1)[-1]
        keys = self.concepts.get(scheme, ())
        if key in keys:
            return str(ID[f"{scheme}/{key}"])
        close = difflib.get_close_matches(key, keys, n=5, cutoff=0.5)
        hint = f" Close matches: {', '.join(close)}." if close else f" Known: {', '.join(keys)}."
        raise UnknownValueError(
            f"'{parameter}': {value!r} is not a {scheme} concept.{hint}", parameter, list(close)
        )
