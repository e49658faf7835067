"""JSON API: the named-query catalogue, the pathway engine and their OpenAPI document."""

from __future__ import annotations

import csv
import io
import json

from flask import Blueprint, Response, current_app, jsonify, request, url_for

from ..catalogue import Catalogue, load_catalogue
from ..pathways import MEASURES, PathwayService, as_json
from ..sparql.engine import SparqlRequest
from . import cached, get_engine, get_settings, get_store
from .openapi import openapi_document

bp = Blueprint("api", __name__, url_prefix="/api")
RESERVED = frozenset({"format"})


def pathway_service() -> PathwayService:
    return cached(current_app, "tfkg.pathways", lambda: PathwayService(get_store(current_app)))


def catalogue() -> Catalogue:
    return cached(
        current_app,
        "tfkg.catalogue",
        lambda: load_catalogue(get_settings(current_app).queries_dir, pathway_service().lookup.concepts),
    )


@bp.get("/queries")
def list_queries() -> Response:
    """The catalogue: each query's title, description, parameters, examples and URL."""
    entries = []
    for query in catalogue().queries.values():
        entries.append(
            {
                "name": query.name,
                "title": query.title,
                "description": query.description,
                "tags": list(query.tags),
                "form": query.form,
                "url": url_for("api.run_query", name=query.name, _external=True),
                "parameters": [
                    {
                        "name": p.name,
                        "type": p.type,
                        "required": p.required,
                        "default": p.default,
                        "example": p.example,
                        "accepts": p.accepts(),
                        "description": p.description,
                    }
                    for p in query.params
                ],
                "examples": list(query.examples),
                "sparql": query.text,
            }
        )
    return jsonify({"queries": entries, "count": len(entries)})


@bp.get("/queries/<name>")
def run_query(name: str) -> Response:
    """Run one named query with its parameters: JSON (default), CSV, or any SPARQL result format."""
    query = catalogue().get(name)
    arguments = {k: v for k, v in request.args.items() if k not in RESERVED}
    bindings = query.bindings(arguments, pathway_service().lookup.jurisdiction)
    fmt = request.args.get("format")
    accept = request.headers.get("Accept")
    answer = get_engine(current_app).run(
        SparqlRequest(query=query.text, accept=accept, format=fmt, substitutions=bindings, trusted=True)
    )
    response = Response(answer.body, status=answer.status, content_type=answer.content_type)
    response.headers.update(answer.headers)
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Vary"] = "Accept"
    return response


@bp.get("/pathways")
def pathways() -> Response:
    """A cooperation pathway: ?from=&to=&crime=&measure=&on= (JSON)."""
    args = request.args
    missing = [k for k in ("from", "to", "crime", "measure") if not args.get(k)]
    if missing:
        from ..catalogue import ParameterError

        accepts = {
            "from": "an ISO 3166-1 code, EU, or a name",
            "to": "an ISO 3166-1 code, EU, or a name",
            "crime": "a crime-area key, e.g. drug-trafficking",
            "measure": ", ".join(MEASURES),
        }
        raise ParameterError(
            f"missing parameter '{missing[0]}': {accepts[missing[0]]}", missing[0], accepts[missing[0]]
        )
    answer = pathway_service().ask(args["from"], args["to"], args["crime"], args["measure"], args.get("on"))
    body = as_json(answer)
    if args.get("format") == "csv":
        return _csv(body)
    response = Response(json.dumps(body, ensure_ascii=False), mimetype="application/json")
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _csv(body: dict[str, object]) -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["section", "status", "label", "iri", "reasons", "sources"])
    for section in ("legal_bases", "channels"):
        for item in body[section]:  # type: ignore[attr-defined]
            writer.writerow(
                [
                    section,
                    item["status"],
                    item["label"],
                    item["iri"],
                    " | ".join(r["text"] for r in item["reasons"]),
                    " | ".join(
                        f"{s['title']} ({s['snapshot']}{', ' + str(s['kind']) if s.get('kind') not in (None, 'official') else ''})"
                        for s in item["sources"]
                    ),
                ]
            )
    return Response(buffer.getvalue(), mimetype="text/csv")


@bp.get("/openapi.json")
def openapi() -> Response:
    """OpenAPI 3 description of every API endpoint, one path per named query."""
    return jsonify(openapi_document(catalogue(), request.url_root.rstrip("/")))
