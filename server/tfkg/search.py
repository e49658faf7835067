"""Finding entities by label, alternative label or code (ISO codes, UNTC numbers, CELEX, CETS).

The index is built once per store: it is small (thousands of names) and searching it in
Python is faster and more predictable than a regex FILTER over the graph.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from .build.entailment import INFERRED_GRAPH
from .namespaces import ID
from .store import Store

_NAMES = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX tfkg: <https://w3id.org/tfkg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?s ?name ?how ?type ?scheme WHERE {
  { ?s rdfs:label ?name BIND("label" AS ?how) }
  UNION { ?s skos:prefLabel ?name BIND("label" AS ?how) }
  UNION { ?s skos:altLabel ?name BIND("alternative label" AS ?how) }
  UNION { ?s tfkg:isoAlpha2|tfkg:isoAlpha3|tfkg:isoNumeric|tfkg:untcReference|tfkg:cetsNumber|tfkg:celexNumber|skos:notation ?name
          BIND("code" AS ?how) }
  # the kind the data gives, not a superclass from graph/inferred
  OPTIONAL { ?s a ?type FILTER NOT EXISTS { GRAPH INFERRED { ?s a ?type } } }
  OPTIONAL { ?s skos:inScheme/dcterms:title ?scheme }
}
""".replace("INFERRED", f"<{INFERRED_GRAPH}>")
# Facts (actions, memberships…) have labels too, but people search for things, not facts.
_FACT_KINDS = ("action/", "statement/", "membership/", "mandate/", "application/", "status/")


_BACKGROUND = {"Source": 1, "Provision": 2}


@dataclass(frozen=True)
class Hit:
    iri: str
    label: str
    matched: str
    how: str
    kind: str
    score: int
    scheme: str = ""  # for a concept: the title of its scheme (two schemes can share a label)


class SearchIndex:
    def __init__(self, store: Store) -> None:
        result = store.query(_NAMES)
        assert isinstance(result, ox.QuerySolutions)
        self.entries: list[tuple[str, str, str, str]] = []
        self.labels: dict[str, str] = {}
        self.kinds: dict[str, str] = {}
        self.schemes: dict[str, str] = {}
        for row in result:
            iri = row["s"].value
            if not iri.startswith(str(ID)) or "#" in iri:
                continue
            name, how = row["name"].value, row["how"].value
            if row["type"] is not None:
                self.kinds.setdefault(iri, row["type"].value.rsplit("#", 1)[-1])
            if row["scheme"] is not None:
                self.schemes.setdefault(iri, row["scheme"].value)
            if how == "label":
                self.labels.setdefault(iri, name)
            self.entries.append((iri, name, name.casefold(), how))

    def search(self, query: str, limit: int = 50, include_facts: bool = False) -> list[Hit]:
        needle = query.strip().casefold()
        if not needle:
            return []
        best: dict[str, Hit] = {}
        for iri, name, folded, how in self.entries:
            if not include_facts and any(f"/id/{k}" in iri for k in _FACT_KINDS):
                continue
            if folded == needle:
                score = 100 if how == "code" else 90
            elif folded.startswith(needle):
                score = 60
            elif needle in folded:
                score = 30
            else:
                continue
            hit = Hit(
                iri,
                self.labels.get(iri, name),
                name,
                how,
                self.kinds.get(iri, ""),
                score,
                self.schemes.get(iri, ""),
            )
            if iri not in best or best[iri].score < score:
                best[iri] = hit
        # Equal matches: the things themselves before the sources and articles that mention them.
        return sorted(best.values(), key=lambda h: (-h.score, _BACKGROUND.get(h.kind, 0), h.label))[:limit]
