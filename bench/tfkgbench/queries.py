"""The benchmark queries: six read queries that a user of tfkg would send, over the real data.

Each names only entities of the real dataset (copy 0 of a synthetic graph keeps the real IRIs),
so the queries that start from a bound entity return the same rows at every scale, while the
scans (counts per class, label search) grow with the graph.
"""

from __future__ import annotations

from dataclasses import dataclass

PREFIXES = """\
PREFIX tfkg: <https://w3id.org/tfkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""

SELECT_ACCEPT = "application/sparql-results+json"
GRAPH_ACCEPT = "text/turtle"


@dataclass(frozen=True)
class Query:
    name: str
    what: str
    text: str
    graph: bool = False  # CONSTRUCT: answered as Turtle, counted in triples

    @property
    def accept(self) -> str:
        return GRAPH_ACCEPT if self.graph else SELECT_ACCEPT


QUERIES: tuple[Query, ...] = (
    Query(
        "untoc_parties",
        "UNTOC parties with the date and kind of their consent to be bound (skos:broader* path)",
        PREFIXES
        + """SELECT ?party ?label ?date ?type WHERE {
  ?action a tfkg:TreatyAction ;
          tfkg:instrument <https://w3id.org/tfkg/id/instrument/untoc> ;
          tfkg:party ?party ;
          tfkg:actionDate ?date ;
          tfkg:actionType ?type .
  ?type skos:broader* <https://w3id.org/tfkg/id/action-type/consent-to-be-bound> .
  OPTIONAL { ?party rdfs:label ?label }
}
ORDER BY ?date ?party""",
    ),
    Query(
        "class_counts",
        "entities per class over the whole graph (full scan of rdf:type, GROUP BY)",
        PREFIXES
        + """SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class }
GROUP BY ?class
ORDER BY DESC(?n) ?class""",
    ),
    Query(
        "deu_memberships",
        "memberships of Germany with organization and role (org:Membership)",
        PREFIXES
        + """SELECT ?membership ?organization ?role WHERE {
  ?membership org:member <https://w3id.org/tfkg/id/jurisdiction/DEU> ;
              org:organization ?organization ;
              org:role ?role .
}
ORDER BY ?organization ?membership""",
    ),
    Query(
        "common_instruments",
        "instruments both Germany and France consented to be bound by (a join on two parties)",
        PREFIXES
        + """SELECT DISTINCT ?instrument WHERE {
  ?a tfkg:party <https://w3id.org/tfkg/id/jurisdiction/DEU> ;
     tfkg:instrument ?instrument ;
     tfkg:actionType ?t1 .
  ?t1 skos:broader* <https://w3id.org/tfkg/id/action-type/consent-to-be-bound> .
  ?b tfkg:party <https://w3id.org/tfkg/id/jurisdiction/FRA> ;
     tfkg:instrument ?instrument ;
     tfkg:actionType ?t2 .
  ?t2 skos:broader* <https://w3id.org/tfkg/id/action-type/consent-to-be-bound> .
}
ORDER BY ?instrument""",
    ),
    Query(
        "label_search",
        "everything whose label mentions 'trafficking' (scan of rdfs:label with a string FILTER)",
        PREFIXES
        + """SELECT ?entity ?label WHERE {
  ?entity rdfs:label ?label .
  FILTER(CONTAINS(LCASE(STR(?label)), "trafficking"))
}
ORDER BY ?entity ?label""",
    ),
    Query(
        "construct_untoc",
        "CONSTRUCT of one entity's description (UNTOC), answered as Turtle",
        """CONSTRUCT { <https://w3id.org/tfkg/id/instrument/untoc> ?p ?o }
WHERE { <https://w3id.org/tfkg/id/instrument/untoc> ?p ?o }""",
        graph=True,
    ),
)

#: The name of the round-robin mix of all the queries, in the tables.
MIX = "mix"
