"""Pages for people: the pathway finder and the named-query forms, server-rendered and usable
without JavaScript (forms, tables, <details> for reasons)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlencode

import pyoxigraph as ox
from flask import Blueprint, current_app, render_template, request, url_for

from ..catalogue import XSD, NamedQuery, ParameterError
from ..errors import TfkgError
from ..pathways import MEASURES, as_json
from ..sparql.engine import SparqlRequest
from . import get_engine
from .api import catalogue, pathway_service
from .linked_data import local_page
from .picture import pathway_elements

bp = Blueprint("ui", __name__)


def _choices() -> dict[str, list[tuple[str, str]]]:
    service = pathway_service()
    lookup, labels = service.lookup, service.static.labels
    jurisdictions = sorted(
        {(iri.rsplit("/", 1)[-1], label) for iri, label in lookup.names.items()}, key=lambda pair: pair[1]
    )

    def concepts(scheme: str) -> list[tuple[str, str]]:
        keys = lookup.concepts.get(scheme, ())
        return sorted(
            ((k, labels.get(f"https://w3id.org/tfkg/id/{scheme}/{k}", k)) for k in keys), key=lambda p: p[1]
        )

    measures = [m for m in concepts("measure") if m[0] in MEASURES] + [
        m for m in concepts("measure") if m[0] not in MEASURES
    ]
    return {"jurisdictions": jurisdictions, "crimes": concepts("crime-area"), "measures": measures}


@bp.get("/pathways")
def pathways() -> str:
    """Pick two jurisdictions, a crime area, a measure and a date; read the ranked answer."""
    args = {k: request.args.get(k, "") for k in ("from", "to", "crime", "measure", "on")}
    answer, error = None, None
    if args["from"] and args["to"]:
        try:
            answer = as_json(
                pathway_service().ask(
                    args["from"],
                    args["to"],
                    args["crime"] or "organized-crime",
                    args["measure"] or "mutual-legal-assistance",
                    args["on"] or None,
                )
            )
        except TfkgError as failure:
            error = failure.message
    query = {k: v for k, v in args.items() if v}
    return render_template(
        "pathways.html",
        args=args,
        answer=answer,
        error=error,
        choices=_choices(),
        json_link=url_for("api.pathways") + "?" + urlencode(query) if query else None,
        permalink=request.full_path if query else None,
        graph=pathway_elements(answer) if answer and (answer["legal_bases"] or answer["channels"]) else None,
        sparql_link=_pathway_sparql(answer) if answer else None,
    )


def workbench_link(query: NamedQuery, bound: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """The SPARQL workbench opened on this query with these values (YASGUI reads the fragment)."""
    fragment = urlencode(
        {"query": query.standalone_text(bound), "tabTitle": query.title[:40]}, quote_via=quote
    )
    return url_for("sparql.endpoint").rstrip("/") + "#" + fragment


def _pathway_sparql(answer: dict[str, Any]) -> str:
    """The pathway's treaty question (instruments in force for both on the date) as SPARQL."""
    query = catalogue().get("instruments_in_force_between")
    asked = answer["question"]
    bound: dict[str, ox.NamedNode | ox.Literal] = {
        "a": ox.NamedNode(asked["from"]["iri"]),
        "b": ox.NamedNode(asked["to"]["iri"]),
        "on": ox.Literal(asked["on"], datatype=ox.NamedNode(XSD + "date")),
    }
    return workbench_link(query, bound)


@bp.get("/queries")
def queries() -> str:
    return render_template("queries.html", queries=list(catalogue().queries.values()))


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@bp.app_template_filter("heading")
def heading(name: str) -> str:
    """A column name for people: entryIntoForceForParty -> entry into force for party."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).lower()


def _readable_table(
    names: list[str], bindings: list[dict[str, dict[str, str]]], parameters: set[str]
) -> tuple[list[str], list[list[dict[str, str]]]]:
    """Result rows for people: a column ?x with a companion ?xLabel shows the label as a link to
    x's page; the echoed parameters (the same in every row, and shown in the form) are left out."""
    shown = [n for n in names if n not in parameters and not (n.endswith("Label") and n[:-5] in names)]
    rows = []
    for binding in bindings:
        row = []
        for name in shown:
            value = binding.get(name, {}).get("value", "")
            label = binding.get(name + "Label", {}).get("value")
            page = local_page(value)
            if page != value:
                row.append({"text": label or value.rsplit("/", 1)[-1], "href": page})
            elif value.startswith(("http://", "https://")):
                row.append({"text": label or value, "href": value})
            else:
                row.append({"text": value, "class": "date" if _DATE.fullmatch(value) else ""})
        rows.append(row)
    return shown, rows


@bp.get("/queries/<name>")
def query_form(name: str) -> str:
    """A named query as a form generated from its parameter declarations; results as a table."""
    query = catalogue().get(name)
    values = {p.name: request.args.get(p.name, "") for p in query.params}
    rows: list[list[dict[str, str]]] | None = None
    columns: list[str] = []
    error = None
    bindings: dict[str, ox.NamedNode | ox.Literal] = {}
    if request.args.get("run") or any(values.values()):
        try:
            bindings = query.bindings(
                {k: v for k, v in values.items() if v}, pathway_service().lookup.jurisdiction
            )
            answer = get_engine(current_app).run(
                SparqlRequest(query=query.text, format="json", substitutions=bindings, trusted=True)
            )
            body = json.loads(answer.body)
            columns, rows = _readable_table(body["head"]["vars"], body["results"]["bindings"], set(bindings))
        except (ParameterError, TfkgError) as failure:
            error = failure.message
    given = {k: v for k, v in values.items() if v}
    api = url_for("api.run_query", name=name) + ("?" + urlencode(given) if given else "")
    return render_template(
        "query.html",
        query=query,
        values=values,
        rows=rows,
        columns=columns,
        error=error,
        csv_link=api + ("&" if given else "?") + "format=csv",
        workbench_link=workbench_link(query, bindings),
        json_link=api,
    )
