"""Layered settings: defaults, then ``TFKG_*`` environment variables, then explicit overrides.

Every setting is listed once in :data:`SETTINGS` with its default and a line of help, so the
README and ``tfkg --help`` can show them and a test can check that both stay in step.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any


def _default_root() -> Path:
    """The project checkout this package was installed from (server/tfkg/ is two levels down)."""
    return Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Settings:
    """Operational settings. Descriptive metadata (titles, licences) lives in RDF, not here."""

    root: Path = field(
        default_factory=_default_root,
        metadata={"help": "Project folder holding ontology/, data/ and queries/."},
    )
    build_dir: Path | None = field(
        default=None,
        metadata={"help": "Where build output goes (default: <root>/build)."},
    )
    shared_dir: Path | None = field(
        default=None,
        metadata={"help": "Reference material folder (default: <root>/../shared)."},
    )
    base_iri: str = field(
        default="https://w3id.org/tfkg/",
        metadata={"help": "Base IRI that entity paths /id/... map to."},
    )
    host: str = field(default="127.0.0.1", metadata={"help": "Address the server binds."})
    port: int = field(default=8000, metadata={"help": "Port the server listens on."})
    workers: int = field(default=2, metadata={"help": "Server worker processes."})
    threads: int = field(default=4, metadata={"help": "Threads per server worker."})
    query_timeout: float = field(
        default=10.0, metadata={"help": "Hard deadline per query, in seconds (503 past it)."}
    )
    max_rows: int = field(
        default=10_000, metadata={"help": "Result rows (or triples) returned at most; the cap is flagged."}
    )
    max_body: int = field(
        default=1_000_000, metadata={"help": "Largest request body accepted, in bytes (413 above)."}
    )
    update_token: str = field(
        default="", metadata={"help": "Enables POST /update for bearers of this token (off when empty)."}
    )
    dataset: str = field(
        default="", metadata={"help": "RDF files or folders to serve, separated by ':' (default: the build)."}
    )

    @property
    def build_path(self) -> Path:
        return self.build_dir or self.root / "build"

    @property
    def shared_path(self) -> Path:
        return self.shared_dir or self.root.parent / "shared"

    @property
    def dataset_paths(self) -> tuple[Path, ...]:
        """What to serve: the configured files, or the built dataset."""
        if self.dataset:
            return tuple(Path(p) for p in self.dataset.split(":") if p)
        return (self.build_path / "dataset" / "tfkg.nq",)

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"


SETTINGS: tuple[tuple[str, str], ...] = tuple(
    (f"TFKG_{f.name.upper()}", str(f.metadata.get("help", ""))) for f in fields(Settings)
)


def _coerce(name: str, raw: str) -> Any:
    kind = {f.name: f.type for f in fields(Settings)}[name]
    if "Path" in str(kind):
        return Path(raw)
    if "float" in str(kind):
        try:
            return float(raw)
        except ValueError:
            raise ValueError(f"TFKG_{name.upper()} must be a number, got {raw!r}") from None
    if "int" in str(kind):
        try:
            return int(raw)
        except ValueError:
            raise ValueError(f"TFKG_{name.upper()} must be a whole number, got {raw!r}") from None
    return raw


def load_settings(
    overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Build settings from defaults, ``TFKG_*`` variables in ``environ`` and ``overrides``."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for f in fields(Settings):
        raw = env.get(f"TFKG_{f.name.upper()}")
        if raw:
            values[f.name] = _coerce(f.name, raw)
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})
    return replace(Settings(), **values)
