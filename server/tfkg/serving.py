"""Run the web application under Granian, a production HTTP server written in Rust.

Why Granian rather than gunicorn (which tfkg used until 2026-12-02): HTTP parsing and
keep-alive run in Rust, outside the GIL, so more of each worker's core is left for
queries (on the benchmark's mix, about 1.2x gunicorn's gthread worker's requests per second,
bench/README.md), and an idle keep-alive connection holds no thread, so eight idle clients
cannot make a ninth wait (uWSGI's keep-alive mode, the other candidate, does that).

The master process loads the graph and builds the app once, before binding the port, so that a
bad dataset is a clear error and nothing is served; the workers are forked from it and share its
pages, as gunicorn's ``preload_app`` did.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import socket
import sys
from typing import TYPE_CHECKING

from granian.constants import Interfaces
from granian.server import Server

from .config import Settings
from .errors import TfkgError

if TYPE_CHECKING:
    from flask import Flask

#: The app built in the master, inherited by every forked worker (see ``_worker_app``).
_preloaded: Flask | None = None

#: Seconds the master waits before replacing a worker that exited (a runaway's, see below).
RESPAWN_DELAY = 0.5
#: Seconds a stopping worker gets to finish its requests before it is killed.
STOP_GRACE = 5
#: Request threads per worker beyond those that may run a query: a client trickling its body
#: holds a thread while the body arrives (Granian has no body-read timeout), and the kernel may
#: hand most such clients to one worker. 16 more let 10 of them land on one worker and leave it
#: answering; more than that is a job for a buffering proxy (deploy/nginx.conf).
SLOW_CLIENT_THREADS = 16


def recycle_worker() -> None:
    """A query outlived its deadline: replace this worker.

    The runaway query cannot be interrupted inside the engine, so this worker stops accepting,
    finishes the requests it is serving (the runaway's client gets its 503) and exits; the
    master starts a fresh one, and the other workers answer meanwhile.
    """
    print(
        f"tfkg: a query ran past its deadline; worker {os.getpid()} is being replaced",
        file=sys.stderr,
        flush=True,
    )
    os.kill(os.getpid(), signal.SIGTERM)


def _refuse_a_port_in_use(settings: Settings) -> None:
    """Fail clearly when the port is taken. Granian binds with SO_REUSEPORT, so a second
    server on the same port would start without error and take half of the first's traffic."""
    family = socket.AF_INET6 if ":" in settings.host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # SO_REUSEADDR: a closed server's lingering connections do not count; a listener does.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((settings.host, settings.port))
        except OSError as error:
            raise TfkgError(
                f"cannot serve on {settings.host}:{settings.port}: {error.strerror}. Is another server "
                "running there? Stop it, or choose another port with --port or TFKG_PORT."
            ) from None


def _worker_app() -> Flask:
    """What each worker serves: the app its master built before forking it."""
    assert _preloaded is not None, "workers are forked from the master that built the app"
    return _preloaded


def serve(settings: Settings) -> None:
    """Load the graph (a clear error if it cannot be), then serve until interrupted."""
    global _preloaded
    from .web import create_app, get_engine

    if settings.update_token and settings.workers > 1:
        raise TfkgError(
            "TFKG_UPDATE_TOKEN needs --workers 1: each worker holds its own copy of the graph, so "
            "an update would reach only the worker that received it."
        )

    _refuse_a_port_in_use(settings)
    _preloaded = create_app(settings, on_runaway=recycle_worker, access_log=True)
    # Fork the query evaluators' zygote now, while this process has one thread, so that every
    # worker shares it (sparql/evaluators.py).
    get_engine(_preloaded).start_evaluators()
    # Fork, as on Linux by default, so that the workers inherit the loaded app; Python 3.14
    # defaults to forkserver, with which Granian would start each worker from scratch.
    multiprocessing.set_start_method("fork", force=True)
    server = Server(
        "tfkg.serving:_worker_app",
        address=settings.host,
        port=settings.port,
        interface=Interfaces.WSGI,
        workers=settings.workers,
        # Twice TFKG_THREADS: a thread waiting on an evaluator process holds no core, so a
        # few clients with runaway queries cannot take every thread of a worker. As many
        # evaluators may run per worker (SparqlEngine's pool). Plus threads for slow clients.
        blocking_threads=settings.threads * 2 + SLOW_CLIENT_THREADS,
        websockets=False,
        log_access=False,  # web/access_log.py writes it, escaped
        respawn_failed_workers=True,
        respawn_interval=RESPAWN_DELAY,
        workers_kill_timeout=STOP_GRACE,
    )
    print(f"tfkg serving on http://{settings.host}:{settings.port}/ (granian)", flush=True)
    server.serve(target_loader=_worker_app, wrap_loader=False)
