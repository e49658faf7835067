"""`tfkg import all`: run every conversion listed in data/conversions.yaml, in order."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from ..config import Settings
from ..errors import DataError
from .bilateral import import_bilateral
from .body_agreements import import_eurojust_agreements, import_europol_agreements
from .coe import import_coe_archive
from .eio import import_eio_application
from .interpol import import_factbook_members, import_interpol_admissions
from .jurisdictions import import_jurisdictions
from .memberships import import_egmont, import_fatf, import_interpol_cow
from .regional_police import import_regional_police
from .status_pages import import_signatures, import_untc_status_headers
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
        "bilateral": lambda: _bilateral(settings, file, step),
        "untc-status-headers": lambda: (
            f"depositary counts: {import_untc_status_headers(settings, file)} status pages"
        ),
        "signatures": lambda: _signatures(settings, file, step),
        "interpol-admissions": lambda: "interpol: {} admissions 2017-2023; left out: {}".format(
            *_listed(import_interpol_admissions(settings, file))
        ),
        "factbook-members": lambda: "{}: {} memberships from the Factbook".format(
            step["organization"],
            import_factbook_members(
                settings, file, step["organization"], step["members"], str(step["snapshot"]), step["source"]
            ),
        ),
        "regional-police-members": lambda: "regional police bodies: {}; left out: {}".format(
            *_listed(import_regional_police(settings, file, str(step["read"])))
        ),
        "europol-agreements": lambda: "europol: {} agreements; left out: {}".format(
            *_listed(import_europol_agreements(settings, file, step.get("leave_out") or {}))
        ),
        "eurojust-agreements": lambda: "eurojust: {} agreements; left out: {}".format(
            *_listed(import_eurojust_agreements(settings, file, step.get("leave_out") or {}))
        ),
        "coe-archive": lambda: import_coe_archive(
            settings, file, step["instrument"], _marks(step, manifest)
        ).describe(),
    }
    name = step.get("importer")
    if name not in importers:
        raise DataError(manifest, f"unknown importer {name!r}; known: {', '.join(importers)}")
    return importers[name]()


def _listed(result: tuple[object, list[str]]) -> tuple[object, str]:
    """A conversion's count and what it left out, for its one-line report."""
    count, left_out = result
    return count, "; ".join(left_out) or "none"


def _marks(step: dict[str, Any], manifest: Path) -> bool:
    """A coe-archive step says whether its copy's R. D. A. T. C. O. marks are loaded."""
    value = step.get("marks")
    if isinstance(value, bool):
        return value
    raise DataError(manifest, f"step {step.get('file')}: needs marks: true or false")


def _eio(settings: Settings, file: Path, instrument: str) -> str:
    count, left_out = import_eio_application(settings, file, instrument)
    return f"{instrument}: {count} application rows; left out: {'; '.join(left_out) or 'none'}"


def _bilateral(settings: Settings, file: Path, step: dict[str, Any]) -> str:
    prefixes = {str(k): str(v) for k, v in (step.get("source_prefixes") or {}).items()}
    treaties, applied, merged = import_bilateral(settings, file, str(step["name"]), prefixes)
    return f"bilateral/{step['name']}: {treaties} treaties, {applied} in-force rows; notes: {'; '.join(merged) or 'none'}"


def _signatures(settings: Settings, file: Path, step: dict[str, Any]) -> str:
    written, report = import_signatures(
        settings,
        file,
        str(step["instrument"]),
        str(step["source"]),
        str(step["name_column"]),
        str(step["date_column"]),
        tuple(str(f) for f in step["date_formats"]),
        str(step["table"]),
        step.get("beside"),
    )
    return f"{step['table']}: {written} signatures; left out: {'; '.join(report) or 'none'}"


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
