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
    base_url: str = field(
        default="",
        metadata={
            "help": "Public URL of the server, written into the downloads' DCAT (default: http://HOST:PORT/)."
        },
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
    query_memory: int = field(
        default=1024,
        metadata={
            "help": "Memory a query's evaluator may use beyond the shared store, in MiB (503 past it)."
        },
    )
    isolation: str = field(
        default="process",
        metadata={
            "help": "Where queries from outside run: 'process' (killable, walled evaluators) or 'thread'."
        },
    )
    parse_check: str = field(
        default="on",
        metadata={
            "help": "Refuse SERVICE from the parsed query: 'on'; 'off' only to test the network wall alone."
        },
    )
    update_token: str = field(
        default="", metadata={"help": "Enables POST /update for bearers of this token (off when empty)."}
    )
    dataset: str = field(
        default="", metadata={"help": "RDF files or folders to serve, separated by ':' (default: the build)."}
    )
    untc_url: str = field(
        default="https://treaties.un.org/doc/Publication/MTDSG",
        metadata={
            "help": "Where `tfkg refresh untc` fetches MTDSG status XML (.../Volume%20II/Chapter%20XVIII/XVIII-12.en.xml)."
        },
    )
    coe_url: str = field(
        default="https://www.coe.int/en/web/conventions/full-list?module=signatures-by-treaty&treatynum={number}",
        metadata={
            "help": "The Council of Europe chart page `tfkg refresh coe` fetches; {number} is the treaty's."
        },
    )
    refresh_timeout: float = field(
        default=60.0,
        metadata={"help": "Seconds `tfkg refresh` waits for a depositary's server before giving up."},
    )

    @property
    def public_url(self) -> str:
        """Where clients reach this server: TFKG_BASE_URL, never a request's Host header."""
        return (self.base_url or f"http://{self.host}:{self.port}").rstrip("/") + "/"

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
    settings = replace(Settings(), **values)
    _check_choices(settings)
    return settings


#: Settings with a closed set of values, and those values.
CHOICES = {"isolation": ("process", "thread"), "parse_check": ("on", "off")}


def _check_choices(settings: Settings) -> None:
    for name, accepted in CHOICES.items():
        if getattr(settings, name) not in accepted:
            raise ValueError(
                f"TFKG_{name.upper()} must be one of {', '.join(accepted)}, got {getattr(settings, name)!r}"
            )
    for name in ("workers", "threads", "query_memory", "max_rows", "max_body"):
        if getattr(settings, name) < 1:
            raise ValueError(f"TFKG_{name.upper()} (--{name.replace('_', '-')}) must be at least 1")
    if not 0 < settings.refresh_timeout <= 3600:
        raise ValueError("TFKG_REFRESH_TIMEOUT (--timeout) must be between 0 and 3600 seconds")
    if not 0 < settings.query_timeout <= 3600:
        raise ValueError("TFKG_QUERY_TIMEOUT (--timeout) must be between 0 and 3600 seconds")
    if not 0 < settings.port < 65536:
        raise ValueError(f"TFKG_PORT (--port) must be between 1 and 65535, got {settings.port}")
