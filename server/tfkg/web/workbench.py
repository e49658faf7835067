"""The query workbench for browsers at /sparql: YASGUI with tfkg's prefixes, vocabulary and
named queries, all served from this server (the page works offline).

What the page needs is computed once per app (the served graph is fixed) and handed to the
browser as one JSON object; the script ``static/workbench.js`` does the rest.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, render_template

from ..errors import TfkgError
from ..namespaces import SERIALIZATION_PREFIXES, TFKG
from ..store import select_rows
from . import cached, get_settings, get_store
from .api import catalogue, pathway_service
from .assets import vendor_available

DEFAULT_QUERY = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX tfkg: <https://w3id.org/tfkg/ontology#>

# Instruments with the number of jurisdictions that consented to be bound by them
SELECT ?instrument ?label (COUNT(DISTINCT ?party) AS ?parties) WHERE {
  ?action a tfkg:TreatyAction ; tfkg:instrument ?instrument ; tfkg:party ?party ;
          tfkg:actionType/skos:broader* <https://w3id.org/tfkg/id/action-type/consent-to-be-bound> .
  ?instrument rdfs:label ?label .
}
GROUP BY ?instrument ?label
ORDER BY DESC(?parties)
"""

_TERMS = """
SELECT DISTINCT ?term ?kind WHERE {
  { ?s a ?term BIND("class" AS ?kind) }
  UNION { ?term a <http://www.w3.org/2002/07/owl#Class> BIND("class" AS ?kind) }
  UNION { ?s ?term ?o BIND("property" AS ?kind) }
  UNION { ?term a ?type BIND("property" AS ?kind)
          VALUES ?type { <http://www.w3.org/2002/07/owl#ObjectProperty> <http://www.w3.org/2002/07/owl#DatatypeProperty>
                         <http://www.w3.org/2002/07/owl#AnnotationProperty> } }
  FILTER(isIRI(?term))
}
"""


def _vocabulary() -> dict[str, list[str]]:
    """Classes and properties the graph uses or declares, for the editor's autocompletion."""
    terms: dict[str, set[str]] = {"class": set(), "property": set()}
    for row in select_rows(get_store(current_app), _TERMS):
        terms[row["kind"]].add(row["term"])
    return {kind: sorted(values) for kind, values in terms.items()}


def _examples() -> list[dict[str, str]]:
    """Every named query, with its first example's values inlined, as editor examples."""
    examples = []
    for query in catalogue().queries.values():
        arguments = dict(query.examples[0]) if query.examples else {}
        try:
            bound = query.bindings(arguments, pathway_service().lookup.jurisdiction)
        except TfkgError:
            bound = {}  # an example that names something this dataset lacks: offer the text unbound
        examples.append(
            {
                "name": query.name,
                "title": query.title,
                "text": query.standalone_text(bound),
            }
        )
    return sorted(examples, key=lambda e: e["title"])


def workbench_config(endpoint: str) -> dict[str, Any]:
    def make() -> dict[str, Any]:
        entities = get_settings(current_app).base_iri.rstrip("/") + "/id/"  # as local_page reads them
        return {
            "defaultQuery": DEFAULT_QUERY,
            "prefixes": dict(SERIALIZATION_PREFIXES),
            "examples": _examples(),
            "vocabulary": _vocabulary(),
            # IRIs under these namespaces open this server's own pages.
            "local": [
                {"namespace": entities, "path": "/doc/"},
                {"namespace": str(TFKG), "path": "/ontology#"},
            ],
        }

    return {**cached(current_app, "tfkg.workbench", make), "endpoint": endpoint}


def workbench_page(endpoint: str) -> str:
    return render_template(
        "workbench.html", config=workbench_config(endpoint), vendor_ready=vendor_available()
    )
