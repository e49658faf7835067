"""The Flask application factory. Only this package knows HTTP."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from flask import Flask

from ..build.derive import ensure_derived
from ..config import Settings, load_settings
from ..errors import TfkgError
from ..namespaces import SERIALIZATION_PREFIXES
from ..sparql.engine import SparqlEngine, limits_from
from ..store import EmbeddedStore, Store


def create_app(
    settings: Settings | None = None,
    overrides: Mapping[str, Any] | None = None,
    store: Store | None = None,
    on_runaway: Callable[[], None] | None = None,
    access_log: bool = False,
) -> Flask:
    """Build the tfkg web application around a store (loaded from settings unless given)."""
    settings = settings or load_settings(overrides)
    app = Flask(__name__)
    app.config["TFKG_SETTINGS"] = settings
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body
    if store is None:
        missing = [p for p in settings.dataset_paths if not p.exists()]
        if missing:
            raise TfkgError(
                f"nothing to serve: {', '.join(map(str, missing))} missing; run `tfkg build` first"
            )
        store = EmbeddedStore.from_files(list(settings.dataset_paths))
        check_against_stats(settings, store)
        ensure_derived(store)
    app.extensions["tfkg.store"] = store
    app.extensions["tfkg.engine"] = SparqlEngine(
        store,
        limits_from(settings),
        SERIALIZATION_PREFIXES,
        threads=settings.threads,
        on_runaway=on_runaway,
    )

    from . import api, assets, errors, graph_store, linked_data, pages, publish, sparql, ui

    errors.register(app)
    app.register_blueprint(pages.bp)
    app.register_blueprint(assets.bp)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(linked_data.bp)
    app.register_blueprint(graph_store.bp)
    app.register_blueprint(publish.bp)
    app.register_blueprint(ui.bp)
    from .bodylimit import BodyLimit
    from .compression import Compress
    from .fastpath import SparqlFastPath
    from .headers import SecurityHeaders

    app.wsgi_app = SecurityHeaders(  # type: ignore[method-assign]
        Compress(BodyLimit(SparqlFastPath(app.wsgi_app, get_engine(app)), settings.max_body))
    )
    if access_log:
        from .access_log import AccessLog

        app.wsgi_app = AccessLog(app.wsgi_app)  # type: ignore[method-assign]
    return app


def check_against_stats(settings: Settings, store: Store) -> None:
    """Refuse to serve a built dataset that does not hold what its build counted.

    A tfkg.nq truncated at a line boundary, or emptied, still loads without error; the build's
    stats.json beside it has the count, so a mismatch is caught before anything is served.
    """
    if settings.dataset:
        return  # files chosen by hand have no stats to compare with
    stats_file = settings.dataset_paths[0].with_name("stats.json")
    if not stats_file.is_file():
        return
    try:
        expected = int(json.loads(stats_file.read_text(encoding="utf-8"))["triples"])
    except (ValueError, KeyError, TypeError) as error:
        raise TfkgError(f"{stats_file}: unreadable ({error}); run `tfkg build` again") from None
    if len(store) != expected:
        raise TfkgError(
            f"{settings.dataset_paths[0]} holds {len(store)} triples but {stats_file.name} says the build "
            f"wrote {expected}: the file is truncated or was changed after the build. Run `tfkg build` again."
        )


def get_settings(app: Flask) -> Settings:
    """The settings the app was created with."""
    value = app.config["TFKG_SETTINGS"]
    assert isinstance(value, Settings)
    return value


def get_engine(app: Flask) -> SparqlEngine:
    engine = app.extensions["tfkg.engine"]
    assert isinstance(engine, SparqlEngine)
    return engine


T = TypeVar("T")


def cached(app: Flask, key: str, make: Callable[[], T]) -> T:
    """An object built on first use and kept for the app's life (the served graph is fixed)."""
    if key not in app.extensions:
        app.extensions[key] = make()
    value: T = app.extensions[key]
    return value


def get_store(app: Flask) -> Store:
    store: Store = app.extensions["tfkg.store"]
    return store
