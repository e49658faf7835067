"""SPARQL Update behind the network wall: applied in a forked child, then taken over.

An update (TFKG_UPDATE_TOKEN, one worker) must change the worker's own graph, so it cannot
run in an evaluator process like a query. Its text is parse-checked (no LOAD, no SERVICE:
parsed.py), and, as for queries, a second and independent wall stands behind that: a child
forked from the worker applies the update to its copy-on-write copy of the graph under the
seccomp filter (wall.py), and sends the resulting graph back as N-Quads, which the worker then
loads in place of its own. Whatever the update's text says, no socket is opened.

The cost is a dump and a load of the graph per update (a fraction of a second at tfkg's real
size), which is acceptable for an administrator's occasional update.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import time

from ..errors import TfkgError
from ..store import EmbeddedStore
from .wall import close_network


def update_behind_wall(store: EmbeddedStore, text: str, base_iri: str | None, timeout: float) -> None:
    """Apply ``text`` to ``store`` by way of a walled child; SyntaxError for a bad update."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: wall, update, send the graph back
        os.close(read_end)
        try:
            close_network()
            store.update(text, base_iri=base_iri)
            reply: tuple[str, object] = ("ok", store.snapshot())
        except SyntaxError as error:
            reply = ("syntax", str(error))
        except BaseException as error:
            reply = ("error", str(error))
        with os.fdopen(write_end, "wb") as out:
            out.write(pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL))
        os._exit(0)
    os.close(write_end)
    chunks, deadline = [], time.monotonic() + timeout
    try:
        while True:
            ready, _, _ = select.select([read_end], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                os.kill(pid, signal.SIGKILL)
                raise TfkgError(
                    f"the update ran past the {timeout:g} s limit (TFKG_QUERY_TIMEOUT) and was abandoned"
                )
            chunk = os.read(read_end, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read_end)
        os.waitpid(pid, 0)
    if not chunks:
        raise TfkgError("the update's process ended without an answer")
    kind, value = pickle.loads(b"".join(chunks))  # noqa: S301 - the child is this process's fork
    if kind == "syntax":
        raise SyntaxError(value)
    if kind != "ok":
        raise TfkgError(f"the update could not be applied: {value}")
    data, graphs = value
    store.restore(data, graphs)
