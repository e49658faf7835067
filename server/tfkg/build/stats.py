"""Counting what a build holds: triples per named graph and entities per class.

Runs on pyoxigraph, loading the N-Quads the build just wrote, so the figures describe exactly
what is published. Entities are counted by the classes the data asserts: the superclass types
in graph/inferred are left out, so an entity counts once, under its most specific kind.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from .entailment import INFERRED_GRAPH

_PER_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
_PER_CLASS = f"""
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  GRAPH ?g {{ ?s a ?class }}
  FILTER (?g != <{INFERRED_GRAPH}>)
  FILTER (STRSTARTS(STR(?class), "https://w3id.org/tfkg/ontology#")
          || ?class = <http://www.w3.org/2004/02/skos/core#Concept>)
}} GROUP BY ?class
"""


def load_store(path: Path) -> ox.Store:
    """An in-memory pyoxigraph store holding the N-Quads file at ``path``."""
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    return store


def dataset_stats(path: Path) -> dict[str, object]:
    """Triples per graph and entities per class of the dataset at ``path``."""
    store = load_store(path)
    graphs = {_value(row["g"]): int(_value(row["n"])) for row in _select(store, _PER_GRAPH)}
    classes = {
        _value(row["class"]).rsplit("#", 1)[-1]: int(_value(row["n"])) for row in _select(store, _PER_CLASS)
    }
    return {
        "triples": sum(graphs.values()),
        "graphs": dict(sorted(graphs.items())),
        "classes": dict(sorted(classes.items())),
    }


def _select(store: ox.Store, query: str) -> ox.QuerySolutions:
    result = store.query(query)
    assert isinstance(result, ox.QuerySolutions)
    return result


def _value(term: object) -> str:
    return str(getattr(term, "value", term))
