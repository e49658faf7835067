"""Run the web application under gunicorn, a production WSGI server."""

from __future__ import annotations

import os
import signal
from typing import Any

from gunicorn.app.base import BaseApplication

from .config import Settings


class TfkgServer(BaseApplication):  # type: ignore[misc]
    """A gunicorn application that builds the Flask app in each worker from ``settings``."""

    def __init__(self, settings: Settings, app: Any) -> None:
        self.settings = settings
        self.application = app
        super().__init__()

    def load_config(self) -> None:
        options: dict[str, Any] = {
            "bind": f"{self.settings.host}:{self.settings.port}",
            "workers": self.settings.workers,
            "threads": self.settings.threads,
            "worker_class": "gthread",
            "accesslog": "-",
            "errorlog": "-",
            "timeout": max(60, int(self.settings.query_timeout * 3)),
            "graceful_timeout": 5,
            "preload_app": True,  # load the graph once; workers share its pages
        }
        for key, value in options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return self.application


def recycle_worker() -> None:
    """A query outlived its deadline: ask gunicorn to replace this worker.

    The runaway query cannot be interrupted inside the engine, so this worker finishes the
    requests it is serving and exits; the master starts a fresh one, and the other workers
    answer meanwhile.
    """
    os.kill(os.getpid(), signal.SIGTERM)


def serve(settings: Settings) -> None:
    """Load the graph (a clear error if it cannot be), then serve until interrupted."""
    from .web import create_app

    app = create_app(settings, on_runaway=recycle_worker)
    print(f"tfkg serving on http://{settings.host}:{settings.port}/", flush=True)
    TfkgServer(settings, app).run()
