"""The access log: one line per request, with everything a client chose escaped.

Granian writes its access log with the path percent-decoded, so a request for
``/doc/a%0A...`` wrote a second, forged line into the log (issue 13). tfkg writes its own
instead: time, client, method, path as sent (anything outside printable ASCII, and spaces
and quotes, percent-encoded), status and milliseconds, in Granian's layout.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, TextIO
from urllib.parse import quote

if TYPE_CHECKING:
    from _typeshed import OptExcInfo
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

#: Characters a path may show as they are; everything else is percent-encoded.
_SAFE = "/:@!$&'()*+,;=-._~%"


def escaped(text: str) -> str:
    """``text`` with controls, spaces, quotes and non-ASCII percent-encoded (UTF-8)."""
    return quote(text, safe=_SAFE)


class AccessLog:
    """WSGI middleware: log each request once its status is known."""

    def __init__(self, app: WSGIApplication, stream: TextIO | None = None) -> None:
        self.app = app
        self.stream = stream

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        started = time.perf_counter()
        status_code = ["-"]

        def recording(
            status: str, headers: list[tuple[str, str]], exc_info: OptExcInfo | None = None
        ) -> object:
            status_code[0] = status.split(" ", 1)[0]
            return start_response(status, headers, exc_info)

        try:
            return self.app(environ, recording)  # type: ignore[arg-type]
        finally:
            path = environ.get("PATH_INFO", "")
            with contextlib.suppress(UnicodeError):  # WSGI strings carry the bytes as latin-1
                path = path.encode("latin-1").decode("utf-8", "replace")
            line = (
                time.strftime("[%Y-%m-%d %H:%M:%S +0000]", time.gmtime())
                + f' {escaped(environ.get("REMOTE_ADDR", "-"))} - "{escaped(environ.get("REQUEST_METHOD", "-"))} '
                + f'{escaped(path)} {escaped(environ.get("SERVER_PROTOCOL", "-"))}" {status_code[0]} '
                + f"{(time.perf_counter() - started) * 1000:.3f}"
            )
            print(line, file=self.stream or sys.stdout, flush=True)
