"""An audit hook that proves, and enforces, that the query path opens no network connection
and no file: while a thread evaluates a query, such events raise PermissionError.

Python audit hooks cannot be removed once added, so the hook is installed once per process
and is active only for threads inside :func:`no_io`.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

#: Audit events that would reach outside the process's memory.
FORBIDDEN = frozenset(
    {
        "socket.connect",
        "socket.bind",
        "socket.getaddrinfo",
        "socket.gethostbyname",
        "urllib.Request",
        "open",
        "os.system",
        "subprocess.Popen",
        "os.exec",
        "os.posix_spawn",
    }
)
_state = threading.local()
_installed = False
_lock = threading.Lock()
_seen: list[tuple[str, tuple[object, ...]]] = []


def _hook(event: str, args: tuple[object, ...]) -> None:
    if event in FORBIDDEN and getattr(_state, "active", False):
        _seen.append((event, args))
        raise PermissionError(f"tfkg query path: {event} is not allowed while evaluating a query")


def install() -> None:
    """Install the hook (idempotent)."""
    global _installed
    with _lock:
        if not _installed:
            sys.addaudithook(_hook)
            _installed = True


@contextmanager
def no_io() -> Iterator[None]:
    """Within this block, the current thread may not open files or connections."""
    install()
    _state.active = True
    try:
        yield
    finally:
        _state.active = False


def refused_events() -> list[tuple[str, tuple[object, ...]]]:
    """Events the hook refused so far in this process (for tests and diagnostics)."""
    return list(_seen)
