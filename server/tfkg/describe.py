"""What tfkg publishes about one entity: its description for Linked Data pages and RDF.

The description is the entity's concise bounded description (its own triples and those of
its hash-IRI parts, such as a membership's interval), the inbound facts that matter (a
state's treaty actions and memberships, a treaty's parties' actions, an organization's
members), the descriptions of those facts, the labels of everything linked, and the
provenance (source, its kind and its snapshot) of each fact, so that a fact from news reads as
news wherever it is shown. One SPARQL CONSTRUCT on the store, with the
entity bound as a substitution. It holds what the sources state: the entailments in
graph/inferred (superclass types, superproperty statements) are left out, as SPARQL users who
want them can ask the endpoint.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from .build.entailment import INFERRED_GRAPH
from .store import Store

#: Properties through which a fact points at the entity and deserves listing on its page.
INBOUND = (
    "https://w3id.org/tfkg/ontology#party",
    "https://w3id.org/tfkg/ontology#instrument",
    "https://w3id.org/tfkg/ontology#territory",
    "http://www.w3.org/ns/org#member",
    "http://www.w3.org/ns/org#organization",
    "https://w3id.org/tfkg/ontology#mandateOf",
    "https://w3id.org/tfkg/ontology#operatedBy",
    "https://w3id.org/tfkg/ontology#agreementParty",
    "https://w3id.org/tfkg/ontology#servesJurisdiction",
    "https://w3id.org/tfkg/ontology#provisionOf",
    "https://w3id.org/tfkg/ontology#supplements",
    "https://w3id.org/tfkg/ontology#prevailingInstrument",
    "https://w3id.org/tfkg/ontology#displacedInstrument",
    "http://www.w3.org/ns/prov#wasDerivedFrom",
)
_VALUES = " ".join(f"<{p}>" for p in INBOUND)

DESCRIBE = f"""
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX tfkg: <https://w3id.org/tfkg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
CONSTRUCT {{ ?s ?p ?o . ?o rdfs:label ?label . ?src dcterms:title ?title ; tfkg:snapshotDate ?snap ;
             tfkg:sourceKind ?kind . ?kind skos:prefLabel ?kindLabel . }}
WHERE {{
  {{ ENTITY ?p ?o . BIND(ENTITY AS ?s) }}
  UNION {{ ENTITY ?anyP ?part . ?part ?p ?o . BIND(?part AS ?s) FILTER (STRSTARTS(STR(?part), "ENTITY_TEXT#")) }}
  UNION {{ ENTITY ?anyP ?hop . ?hop ?anyQ ?part . ?part ?p ?o . BIND(?part AS ?s)
           FILTER (STRSTARTS(STR(?hop), "ENTITY_TEXT#") && STRSTARTS(STR(?part), "ENTITY_TEXT#")) }}
  UNION {{
    {{ SELECT DISTINCT ?s WHERE {{ VALUES ?via {{ {_VALUES} }} ?s ?via ENTITY }} LIMIT 2000 }}
    ?s ?p ?o . FILTER (!STRSTARTS(STR(?p), "http://www.w3.org/ns/prov#") || ?p = prov:wasDerivedFrom)
  }}
  FILTER NOT EXISTS {{ GRAPH <{INFERRED_GRAPH}> {{ ?s ?p ?o }} }}
  OPTIONAL {{ ?o rdfs:label|skos:prefLabel ?label . FILTER (isIRI(?o)) }}
  OPTIONAL {{ ?s prov:wasDerivedFrom ?src . ?src dcterms:title ?title . OPTIONAL {{ ?src tfkg:snapshotDate ?snap }}
              OPTIONAL {{ ?src tfkg:sourceKind ?kind . ?kind skos:prefLabel ?kindLabel }} }}
}}
"""


@dataclass
class Description:
    """The triples about an entity, with lookups the HTML page needs."""

    iri: str
    triples: list[ox.Triple] = field(default_factory=list)

    @property
    def exists(self) -> bool:
        return any(t.subject == ox.NamedNode(self.iri) for t in self.triples)

    def values(self, subject: str, predicate: str) -> list[ox.NamedNode | ox.BlankNode | ox.Literal]:
        s, p = ox.NamedNode(subject), ox.NamedNode(predicate)
        return [t.object for t in self.triples if t.subject == s and t.predicate == p]  # type: ignore[misc]

    def label(self, iri: str) -> str:
        for p in (
            "http://www.w3.org/2000/01/rdf-schema#label",
            "http://www.w3.org/2004/02/skos/core#prefLabel",
        ):
            found = self.values(iri, p)
            if found:
                return str(found[0].value)
        return iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]

    def inbound(self) -> dict[str, list[str]]:
        """Subjects pointing at the entity, by the property they use."""
        target = ox.NamedNode(self.iri)
        grouped: dict[str, list[str]] = {}
        for t in self.triples:
            if t.object == target and t.predicate.value in INBOUND and isinstance(t.subject, ox.NamedNode):
                grouped.setdefault(t.predicate.value, []).append(t.subject.value)
        return grouped


def describe(store: Store, iri: str) -> Description:
    """The description of ``iri``.

    The IRI goes in as a VALUES term, not a substitution: pyoxigraph 0.5 does not carry
    substituted values into BIND and UNION branches. It is first parsed as an IRI
    (ox.NamedNode refuses anything that is not one), and written back in N-Triples form.
    """
    term = ox.NamedNode(iri)  # raises ValueError on anything that is not an IRI
    result = store.query(DESCRIBE.replace("ENTITY_TEXT", term.value).replace("ENTITY", str(term)))
    assert isinstance(result, ox.QueryTriples)
    return Description(iri, list(result))
