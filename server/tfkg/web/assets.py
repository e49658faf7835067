"""Front-end files served by tfkg itself, so that every page works offline (no CDN).

tfkg's own scripts and styles live in ``web/static/`` (Flask's static folder). The npm
packages the pages use (YASGUI, cytoscape.js) are installed from the npm registry by
``make install`` (``npm ci`` against package-lock.json) into ``<root>/node_modules``; only the
files listed in :data:`VENDOR` are served from there, under ``/assets/vendor/<name>``.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, current_app, send_file

from ..errors import TfkgError
from . import get_settings

bp = Blueprint("assets", __name__)

#: Public name -> path inside node_modules. Nothing else in node_modules is reachable.
VENDOR = {
    "yasgui.min.js": "@zazuko/yasgui/build/yasgui.min.js",
    "yasgui.min.js.map": "@zazuko/yasgui/build/yasgui.min.js.map",
    "yasgui.min.css": "@zazuko/yasgui/build/yasgui.min.css",
    "cytoscape.min.js": "cytoscape/dist/cytoscape.min.js",
}


class AssetMissingError(TfkgError):
    status = 404


def node_modules() -> Path:
    return get_settings(current_app).root / "node_modules"


def vendor_available() -> bool:
    """Whether the front-end packages are installed (the pages say so when they are not)."""
    return all((node_modules() / path).is_file() for path in VENDOR.values())


@bp.get("/assets/vendor/<name>")
def vendor(name: str) -> Response:
    """One file of an installed npm package, cached for a day."""
    if name not in VENDOR:
        raise AssetMissingError(f"No such front-end file: {name}. Served files: {', '.join(sorted(VENDOR))}.")
    path = node_modules() / VENDOR[name]
    if not path.is_file():
        raise AssetMissingError(
            f"The front-end packages are not installed ({path} is missing): run `make install`, "
            "which runs `npm ci` from package-lock.json."
        )
    return send_file(path, max_age=86400)
