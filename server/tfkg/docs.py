"""HTML documentation of the ontology, generated with pyLODE (never hand-edited or committed)."""

from __future__ import annotations

from pathlib import Path

from .config import Settings
from .schema import schema_files


def ontology_html(settings: Settings) -> str:
    """Render the ontology as one pyLODE "ontpub" HTML page."""
    from pylode import OntPub  # deferred: pyLODE loads background ontologies at import

    return str(OntPub(ontology=str(schema_files(settings).ontology)).make_html())


def write_docs(settings: Settings, destination: Path | None = None) -> Path:
    """Write the ontology page to ``destination`` (default: <build>/docs/ontology.html)."""
    target = destination or settings.build_path / "docs" / "ontology.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    html = ontology_html(settings)
    partial = target.with_suffix(".html.partial")
    partial.write_text(html, encoding="utf-8")
    partial.replace(target)  # atomic: a failed run leaves the previous page in place
    return target
