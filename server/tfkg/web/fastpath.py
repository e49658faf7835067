"""A lean path for the protocol's most common request, ``GET /sparql?query=...``.

It sits in front of the Flask app (``app.wsgi_app``) and answers such a request without
Flask's request context, routing and handlers, which cost about a tenth of a small query's
time under load (bench/RESULTS.md). It uses the very functions web/sparql.py and web/errors.py
use (parameters, the engine request, the response and its headers, the error body), so both
paths answer alike (tests/test_sparql_fastpath.py compares them). Every other request goes to Flask
unchanged: other methods and paths, no ``query`` parameter (the service description), more
than one, ``update``, a browser that prefers HTML without ``format=`` (the workbench), a query
string that is not UTF-8, and any error that is not a TfkgError (Flask logs it and answers
500, so the request is handed to Flask, which runs it again).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.wsgi import get_current_url

from ..errors import TfkgError
from .errors import tfkg_error_response
from .sparql import answer_headers, get_query, sparql_request, wants_html

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

    from ..sparql.engine import SparqlEngine

PATHS = frozenset({"/sparql", "/sparql/"})
#: What werkzeug's request.url_root reads from the environ.
ROOT_KEYS = ("wsgi.url_scheme", "HTTP_HOST", "SERVER_NAME", "SERVER_PORT", "SCRIPT_NAME")


@functools.lru_cache(maxsize=64)
def _url_root(values: tuple[str | None, ...]) -> str:
    """request.url_root, by werkzeug's own function, kept per host (clients use few)."""
    return get_current_url(
        {k: v for k, v in zip(ROOT_KEYS, values, strict=True) if v is not None}, root_only=True
    )


def _status_line(code: int) -> str:
    return f"{code} {HTTP_STATUS_CODES.get(code, 'UNKNOWN').upper()}"  # as werkzeug writes it


class SparqlFastPath:
    """WSGI middleware: answers plain GET queries itself and hands the rest to ``app``."""

    def __init__(self, app: WSGIApplication, engine: SparqlEngine) -> None:
        self.app = app
        self.engine = engine

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "GET" or environ.get("PATH_INFO") not in PATHS:
            return self.app(environ, start_response)
        try:
            # As werkzeug reads request.args: the WSGI string's bytes as UTF-8, invalid
            # percent-escapes kept.
            query_string = environ.get("QUERY_STRING", "").encode("latin-1").decode()
        except UnicodeError:
            return self.app(environ, start_response)
        params: dict[str, list[str]] = {}
        for name, value in parse_qsl(query_string, keep_blank_values=True, errors="werkzeug.url_quote"):
            params.setdefault(name, []).append(value)
        if len(params.get("query", ())) != 1 or "update" in params:
            return self.app(environ, start_response)
        text, defaults, named, fmt = get_query(lambda name: params.get(name, []))
        accept = environ.get("HTTP_ACCEPT")
        if text is None or (fmt is None and wants_html(accept)):
            return self.app(environ, start_response)
        url_root = _url_root(tuple(environ.get(key) for key in ROOT_KEYS))
        try:
            answer = self.engine.run(sparql_request(text, defaults, named, accept, fmt, url_root))
        except TfkgError as error:
            response: Iterable[bytes] = tfkg_error_response(error)(environ, start_response)
            return response
        except Exception:
            return self.app(environ, start_response)
        start_response(_status_line(answer.status), answer_headers(answer))
        return [answer.body]
