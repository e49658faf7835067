"""gzip for textual responses, for clients that accept it (as Fuseki and most web servers do).

Query results, graphs and pages are text that shrinks five- to tenfold: the whole dataset as
Turtle (``/store?default``) or YASGUI's script go over the wire in a fraction of their size.
Granian does not compress, so this middleware, outermost in the app, does: for a GET whose
client sends ``Accept-Encoding: gzip`` (q > 0), a textual body of at least ``MIN_SIZE`` bytes
that is not encoded already. Its strong ETag becomes weak (``W/"..."``), as nginx does, since
the bytes differ but the content is the same, so that revalidation with either still gets 304
(tfkg compares If-None-Match weakly, as RFC 9110 asks).
"""

from __future__ import annotations

import functools
import gzip
from collections.abc import Iterable
from typing import TYPE_CHECKING

from werkzeug.datastructures import Accept
from werkzeug.http import parse_accept_header

if TYPE_CHECKING:
    from _typeshed import OptExcInfo
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

MIN_SIZE = 1024
TEXTUAL = ("text/", "application/json", "application/javascript", "application/xml", "image/svg+xml")
TEXTUAL_SUFFIXES = ("+json", "+xml", "n-triples", "n-quads", "trig")


@functools.lru_cache(maxsize=64)
def accepts_gzip(header: str) -> bool:
    """Whether an Accept-Encoding header admits gzip (by name or by ``*``), q-values honoured."""
    qualities = {value.lower(): quality for value, quality in parse_accept_header(header, Accept)}
    return qualities.get("gzip", qualities.get("*", 0)) > 0


def compressible(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media.startswith(TEXTUAL) or media.endswith(TEXTUAL_SUFFIXES)


class Compress:
    """WSGI middleware: gzips what ``app`` answers when the client accepts it and it pays."""

    def __init__(self, app: WSGIApplication) -> None:
        self.app = app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "GET" or not accepts_gzip(
            environ.get("HTTP_ACCEPT_ENCODING", "")
        ):
            return self.app(environ, start_response)
        held: list[tuple[str, list[tuple[str, str]], OptExcInfo | None]] = []

        def hold(status: str, headers: list[tuple[str, str]], exc_info: OptExcInfo | None = None) -> None:
            held.append((status, headers, exc_info))

        answer = self.app(environ, hold)  # type: ignore[arg-type]
        try:
            body = b"".join(answer)
        finally:
            close = getattr(answer, "close", None)
            if close is not None:
                close()
        status, headers, exc_info = held[-1]
        names = {name.lower(): value for name, value in headers}
        revalidated = status.startswith("304")
        if not revalidated and (
            len(body) < MIN_SIZE
            or "content-encoding" in names
            or not compressible(names.get("content-type", ""))
        ):
            start_response(status, headers, exc_info)
            return [body]
        replaced = ["etag", "vary"] if revalidated else ["etag", "vary", "content-length"]
        kept = [(n, v) for n, v in headers if n.lower() not in replaced]
        vary = ", ".join(v for v in (names.get("vary"), "Accept-Encoding") if v)
        extra = [("Vary", vary)]
        if not revalidated:
            body = gzip.compress(body, compresslevel=6, mtime=0)
            extra += [("Content-Encoding", "gzip"), ("Content-Length", str(len(body)))]
        if "etag" in names:
            tag = names["etag"]
            extra.append(("ETag", tag if tag.startswith("W/") else f"W/{tag}"))
        start_response(status, kept + extra, exc_info)
        return [body]
