"""One JSON error shape for every error the web layer returns.

    {"error": {"status": 400, "title": "Bad Request", "message": "...", ...context}}

The message says what is wrong and how to fix it; never a stack trace.
"""

from __future__ import annotations

from flask import Flask, Response, json
from werkzeug.exceptions import HTTPException

from ..errors import TfkgError

BODY_TOO_LARGE = "The request body is larger than the limit (TFKG_MAX_BODY); send a shorter query."


def error_response(status: int, message: str, **context: object) -> Response:
    from http import HTTPStatus

    title = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    body = {"error": {"status": status, "title": title, "message": message, **context}}
    # sort_keys given, so that the body is the same inside an app context (Flask's provider
    # sorts) and outside one (the /sparql fast path, web/fastpath.py).
    response = Response(json.dumps(body, sort_keys=True), status=status, mimetype="application/json")
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def tfkg_error_response(error: TfkgError) -> Response:
    """The response for a TfkgError (a SparqlError's status, message and context)."""
    context = getattr(error, "context", {})
    return error_response(error.status, error.message, **context)


def register(app: Flask) -> None:
    app.register_error_handler(TfkgError, tfkg_error_response)

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> Response:
        allowed = ", ".join(sorted(getattr(error, "valid_methods", None) or [])) or "GET"
        messages = {
            404: "No such page. The SPARQL endpoint is at /sparql.",
            405: f"Method not allowed here; allowed: {allowed}.",
            413: BODY_TOO_LARGE,
        }
        status = error.code or 500
        return error_response(status, messages.get(status, error.description or "Request failed."))
