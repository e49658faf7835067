"""`tfkg import all`: run every conversion listed in data/conversions.yaml, in order."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from ..config import Settings
from ..errors import DataError
from .coe import import_coe_archive
from .eio import import_eio_application
from .jurisdictions import import_jurisdictions
from .memberships import import_egmont, import_fatf, import_interpol_cow
from .untc import import_untc
from .untreaties2014 import import_untreaties_2014


def _date(step: dict[str, Any], manifest: Path) -> date:
    value = step.get("snapshot")
    if isinstance(value, date):
        return value
    raise DataError(manifest, f"step {step.get('file')}: needs snapshot: YYYY-MM-DD")


def _run(settings: Settings, step: dict[str, Any], file: Path, manifest: Path) -> str:
    importers: dict[str, Callable[[], str]] = {
        "untc": lambda: import_untc(settings, file, _date(step, manifest)).describe(),
        "untreaties-2014": lambda: import_untreaties_2014(
            settings, file, _date(step, manifest), step["source"], step["authority_url"]
        ).describe(),
        "jurisdictions": lambda: f"jurisdictions: {import_jurisdictions(settings, file)} rows",
        "egmont": lambda: (
            f"egmont-group: {import_egmont(settings, file, str(step['snapshot']), step['source'])} memberships"
        ),
        "fatf": lambda: (
            f"fatf and FSRBs: {import_fatf(settings, file, str(step['snapshot']), step['source'])}"
        ),
        "interpol-cow": lambda: "interpol: {} membership spells; left out (no ISO entry today): {}".format(
            *import_interpol_cow(settings, file, step["source"])
        ),
        "eio-application": lambda: _eio(settings, file, step["instrument"]),
        "coe-archive": lambda: import_coe_archive(
            settings, file, step["instrument"], _marks(step, manifest)
        ).describe(),
    }
    name = step.get("importer")
    if name not in importers:
        raise DataError(manifest, f"unknown importer {name!r}; known: {', '.join(importers)}")
    return importers[name]()


def _marks(step: dict[str, Any], manifest: Path) -> bool:
    """A coe-archive step says whether its copy's R. D. A. T. C. O. marks are loaded."""
    value = step.get("marks")
    if isinstance(value, bool):
        return value
    raise DataError(manifest, f"step {step.get('file')}: needs marks: true or false")


def _eio(settings: Settings, file: Path, instrument: str) -> str:
    count, left_out = import_eio_application(settings, file, instrument)
    return f"{instrument}: {count} application rows; left out: {'; '.join(left_out) or 'none'}"


def run_all(settings: Settings, shared: Path) -> list[str]:
    """Run the manifest's conversions against the reference folder ``shared``."""
    manifest = settings.data_dir / "conversions.yaml"
    try:
        steps = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataError(manifest, f"cannot read the conversion manifest: {exc}") from None
    sources = shared / "sources"
    if not sources.is_dir():
        raise DataError(sources, "reference material not found; set TFKG_SHARED_DIR or pass --shared")
    return [_run(settings, step, sources / step["file"], manifest) for step in steps]
