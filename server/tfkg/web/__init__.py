"""The Flask application factory. Only this package knows HTTP."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from ..config import Settings, load_settings


def create_app(settings: Settings | None = None, overrides: Mapping[str, Any] | None = None) -> Flask:
    """Build the tfkg web application; nothing happens at import time."""
    app = Flask(__name__)
    app.config["TFKG_SETTINGS"] = settings or load_settings(overrides)

    from . import pages

    app.register_blueprint(pages.bp)
    return app


def get_settings(app: Flask) -> Settings:
    """The settings the app was created with."""
    value = app.config["TFKG_SETTINGS"]
    assert isinstance(value, Settings)
    return value
