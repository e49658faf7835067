"""Security headers on every response, including the /sparql fast path's (web/fastpath.py).

- ``X-Content-Type-Options: nosniff``: a browser never runs a query result as a script or page.
- ``Content-Security-Policy``: tfkg's pages load scripts and styles only from tfkg itself (the
  front-end packages are served from node_modules, never a CDN). No other site may frame them,
  and no plugin content loads.
- ``Referrer-Policy``: a link followed from a page does not carry the page's query string.

A WSGI wrapper rather than Flask's after_request, so that answers the fast path writes
without Flask carry them too.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed import OptExcInfo
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    (
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'",
    ),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
)
_NAMES = frozenset(name.lower() for name, _ in HEADERS)


class SecurityHeaders:
    """WSGI middleware: add HEADERS to every response that does not set them itself."""

    def __init__(self, app: WSGIApplication) -> None:
        self.app = app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        def with_headers(
            status: str, headers: list[tuple[str, str]], exc_info: OptExcInfo | None = None
        ) -> object:
            present = {name.lower() for name, _ in headers}
            headers.extend(header for header in HEADERS if header[0].lower() not in present)
            return start_response(status, headers, exc_info)

        return self.app(environ, with_headers)  # type: ignore[arg-type]
