"""Chunked request bodies held to TFKG_MAX_BODY, as bodies with a Content-Length are.

Flask answers 413 when a declared Content-Length is above the limit, but a chunked body (no
Content-Length) is only wrapped in a stream that stops at the limit: werkzeug then returns the
first TFKG_MAX_BODY bytes as if they were the whole body, so a longer query would be cut short
and refused as invalid SPARQL, a misleading 400. This middleware, in front of the app, reads
such a body up to one byte past the limit and either refuses it with 413 (the one JSON error
shape) or hands it on whole, with its length.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .errors import BODY_TOO_LARGE, error_response

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment


class BodyLimit:
    """WSGI middleware: reads a chunked body itself, at most ``max_body`` bytes of it."""

    def __init__(self, app: WSGIApplication, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if not chunked or environ.get("CONTENT_LENGTH"):
            return self.app(environ, start_response)
        stream = environ["wsgi.input"]
        body = bytearray()
        while len(body) <= self.max_body:
            piece = stream.read(self.max_body + 1 - len(body))
            if not piece:
                break
            body += piece
        if len(body) > self.max_body:
            response: Iterable[bytes] = error_response(413, BODY_TOO_LARGE)(environ, start_response)
            return response
        environ["wsgi.input"] = io.BytesIO(bytes(body))
        environ["CONTENT_LENGTH"] = str(len(body))
        return self.app(environ, start_response)
