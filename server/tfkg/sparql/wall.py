"""The OS-level wall around query evaluation: a seccomp filter that refuses new sockets.

Why a second wall when the parsed query is already checked (:mod:`.parsed`): pyoxigraph runs
SERVICE over HTTP from Rust, where Python's audit hook (:mod:`.sandbox`) sees nothing, and a
check that must agree with the engine's parser can be wrong in ways nobody has thought of yet.
A process behind this wall cannot create a socket, connect one, or start another program, so
a query it evaluates cannot reach the network whatever the text says. It keeps the sockets it
was given (the evaluator's connection to its web worker), and its children inherit the filter.

libseccomp does the work (through pyseccomp's ctypes bindings); the filter is a denylist of the
calls that create or aim a socket, so ordinary evaluation is untouched.
"""

from __future__ import annotations

import errno

from ..errors import TfkgError

#: System calls a query evaluator never needs: making, aiming or exposing a socket, io_uring
#: (which can do all of that without these calls) and running another program.
DENIED = (
    "socket",
    "socketpair",
    "connect",
    "bind",
    "listen",
    "io_uring_setup",
    "execve",
    "execveat",
)


def close_network() -> None:
    """Install the filter on the calling process (irreversible, inherited by its children).

    Fails closed: if the filter cannot be installed, raise, so that no query is evaluated
    without the wall.
    """
    try:
        import pyseccomp  # type: ignore[import-untyped]
    except (ImportError, OSError) as error:  # pyseccomp loads libseccomp.so.2 when imported
        raise TfkgError(
            f"the network wall around query evaluation needs libseccomp (Debian: libseccomp2): {error}"
        ) from None
    try:
        wall = pyseccomp.SyscallFilter(pyseccomp.ALLOW)
        for name in DENIED:
            wall.add_rule(pyseccomp.ERRNO(errno.EACCES), name)
        wall.load()
    except OSError as error:
        raise TfkgError(f"the network wall around query evaluation could not be installed: {error}") from None
