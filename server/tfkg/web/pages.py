"""Human-facing pages: the home page with the data's currency, and the health probe."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template

from .. import __version__
from ..build.coverage import coverage_of, roles_text
from ..namespaces import DCTERMS, SKOS
from ..schema import load_graph, schema_files
from ..store import select_rows
from . import cached, get_settings, get_store

bp = Blueprint("pages", __name__)

SOURCES = """
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX tfkg: <https://w3id.org/tfkg/ontology#>
SELECT ?source ?label ?snapshot ?publisher ?page (COUNT(DISTINCT ?fact) AS ?facts) WHERE {
  ?source a tfkg:Source ; tfkg:snapshotDate ?snapshot .
  OPTIONAL { ?source rdfs:label ?label }
  OPTIONAL { ?source dcterms:publisher ?publisher }
  OPTIONAL { ?source tfkg:authorityPage ?page }
  OPTIONAL { ?fact prov:wasDerivedFrom ?source }
} GROUP BY ?source ?label ?snapshot ?publisher ?page ORDER BY DESC(?snapshot) ?label
"""


def currency() -> dict[str, Any]:
    """What the served graph knows and as of when: sources, party-table coverage, gaps."""

    def make() -> dict[str, Any]:
        store = get_store(current_app)
        report = coverage_of(store)
        sources = select_rows(store, SOURCES)
        snapshots = sorted(s["snapshot"] for s in sources)
        return {
            "triples": len(store),
            "sources": sources,
            "oldest": snapshots[0] if snapshots else None,
            "newest": snapshots[-1] if snapshots else None,
            "party_tables": [i for i in report.instruments if i.known or i.stated is not None],
            "without_party_table": [i.label for i in report.instruments if not i.known and i.stated is None],
            "member_lists": [o for o in report.organizations if o[2]],
            "without_member_list": [o[1] for o in report.organizations if not o[2]],
            "roles": {iri: roles_text(roles) for iri, roles in report.organization_roles.items()},
            "agreements": report.agreements,
            "gaps": report.gaps,
        }

    return cached(current_app, "tfkg.currency", make)


@bp.get("/")
def home() -> str:
    """What tfkg is, where to start, and how current its data is."""
    vocab = load_graph(schema_files(get_settings(current_app)).vocab)
    schemes = sorted(
        (
            str(vocab.value(scheme, DCTERMS.title) or scheme),
            len(set(vocab.subjects(SKOS.inScheme, scheme))),
        )
        for scheme in set(vocab.subjects(predicate=None, object=SKOS.ConceptScheme))
    )
    return render_template("home.html", version=__version__, schemes=schemes, data=currency())


@bp.get("/health")
def health() -> dict[str, str]:
    """Liveness probe for process managers."""
    return {"status": "ok", "version": __version__}
