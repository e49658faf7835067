"""The OpenAPI 3.0 document, generated from the catalogue so it never drifts from it."""

from __future__ import annotations

from typing import Any

from .. import __version__
from ..catalogue import Catalogue, Parameter
from ..pathways import MEASURES

_SCHEMAS = {
    "date": {"type": "string", "format": "date"},
    "integer": {"type": "integer"},
    "boolean": {"type": "boolean"},
    "string": {"type": "string"},
    "iri": {"type": "string"},
    "jurisdiction": {"type": "string", "example": "CHE"},
    "concept": {"type": "string"},
}
ERROR = {"$ref": "#/components/schemas/Error"}


def _parameter(p: Parameter) -> dict[str, Any]:
    schema: dict[str, Any] = dict(_SCHEMAS[p.type])
    if p.type == "concept" and p.values:
        schema["enum"] = list(p.values)
    if p.default is not None and p.default != "today":
        schema["default"] = p.default
    out: dict[str, Any] = {
        "name": p.name,
        "in": "query",
        "required": p.required,
        "description": (p.description + " " if p.description else "")
        + f"Accepts {p.accepts()}."
        + (" Defaults to today." if p.default == "today" else ""),
        "schema": schema,
    }
    if p.example is not None:
        out["example"] = p.example
    return out


def _errors() -> dict[str, Any]:
    return {
        str(code): {"description": text, "content": {"application/json": {"schema": ERROR}}}
        for code, text in (
            (400, "a parameter is missing, undeclared or of the wrong type"),
            (404, "no such query"),
            (406, "no acceptable format"),
            (503, "the query ran past the deadline"),
        )
    }


def openapi_document(catalogue: Catalogue, server: str) -> dict[str, Any]:
    paths: dict[str, Any] = {
        "/api/queries": {
            "get": {
                "summary": "The named-query catalogue",
                "operationId": "listQueries",
                "responses": {
                    "200": {
                        "description": "the catalogue",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    }
                },
            }
        },
        "/api/pathways": {
            "get": {
                "summary": "Cooperation pathways between two jurisdictions",
                "description": "Legal bases in force for both on the date and channels both can use, each with its reasons and sources.",
                "operationId": "pathways",
                "parameters": [
                    {
                        "name": "from",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "string"},
                        "example": "CHE",
                        "description": "Requesting jurisdiction: ISO 3166-1 code, EU, or a name.",
                    },
                    {
                        "name": "to",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "string"},
                        "example": "DEU",
                        "description": "Requested jurisdiction.",
                    },
                    {
                        "name": "crime",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "string"},
                        "example": "drug-trafficking",
                        "description": "Crime-area key; narrower areas count.",
                    },
                    {
                        "name": "measure",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "string", "enum": list(MEASURES)},
                        "example": "extradition",
                    },
                    {
                        "name": "on",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "string", "format": "date"},
                        "description": "The date (default today).",
                    },
                ],
                "responses": {
                    "200": {
                        "description": "the answer",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                    **_errors(),
                },
            }
        },
    }
    for query in catalogue.queries.values():
        paths[f"/api/queries/{query.name}"] = {
            "get": {
                "summary": query.title,
                "description": query.description,
                "operationId": f"query_{query.name}",
                "tags": list(query.tags) or ["queries"],
                "parameters": [
                    *(_parameter(p) for p in query.params),
                    {
                        "name": "format",
                        "in": "query",
                        "required": False,
                        "schema": {
                            "type": "string",
                            "enum": ["json", "xml", "csv", "tsv", "turtle", "ntriples", "rdfxml", "jsonld"],
                        },
                    },
                ],
                "responses": {
                    "200": {
                        "description": "SPARQL results (JSON by default; CSV, TSV, XML by format or Accept)",
                        "content": {
                            "application/sparql-results+json": {"schema": {"type": "object"}},
                            "text/csv": {"schema": {"type": "string"}},
                        },
                    },
                    **_errors(),
                },
            }
        }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "tfkg API",
            "version": __version__,
            "description": "Named queries and cooperation pathways over the tfkg knowledge graph.",
            "license": {"name": "CC BY 4.0 (data), Apache-2.0 (code)"},
        },
        "servers": [{"url": server}],
        "paths": paths,
        "components": {
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {
                        "error": {
                            "type": "object",
                            "required": ["status", "title", "message"],
                            "properties": {
                                "status": {"type": "integer"},
                                "title": {"type": "string"},
                                "message": {"type": "string"},
                                "parameter": {"type": "string"},
                                "accepts": {"type": "string"},
                                "suggestions": {"type": "array", "items": {"type": "string"}},
                            },
                        }
                    },
                }
            }
        },
    }
