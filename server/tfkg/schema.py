"""Where the project's schema files live, and how they are read.

The ontology, the SHACL shapes, the SKOS vocabularies and the quality checks are plain files
under ontology/; this module is the one place that knows their layout.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph
from rdflib.exceptions import ParserError

from .config import Settings
from .errors import DataError
from .namespaces import PREFIXES


@dataclass(frozen=True)
class SchemaFiles:
    """The hand-edited schema artefacts of one checkout."""

    ontology: Path
    shapes: Path
    vocab: tuple[Path, ...]
    checks: tuple[Path, ...]


def schema_files(settings: Settings) -> SchemaFiles:
    """Locate the schema files; a missing ontology or shapes file is a clear error."""
    base = settings.ontology_dir
    ontology, shapes = base / "tfkg.ttl", base / "shapes.ttl"
    for required in (ontology, shapes):
        if not required.is_file():
            raise DataError(required, "missing; is TFKG_ROOT set to a tfkg checkout?")
    return SchemaFiles(
        ontology=ontology,
        shapes=shapes,
        vocab=tuple(sorted((base / "vocab").glob("*.ttl"))),
        checks=tuple(sorted((base / "checks").glob("*-violation.rq"))),
    )


_LINE = re.compile(r"line (\d+)")


def parse_file(path: Path, into: Graph | None = None) -> Graph:
    """Parse one RDF file (format from its extension), naming file and line on failure."""
    graph = into if into is not None else new_graph()
    try:
        graph.parse(path)
    except (SyntaxError, ParserError, ValueError) as exc:
        found = _LINE.search(str(exc))
        raise DataError(path, f"not valid RDF: {exc}", int(found.group(1)) if found else None) from None
    except FileNotFoundError:
        raise DataError(path, "no such file") from None
    return graph


def new_graph() -> Graph:
    """An empty rdflib graph with tfkg's prefixes bound, so serializations read well."""
    graph = Graph(bind_namespaces="core")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    return graph


def load_graph(paths: Iterable[Path]) -> Graph:
    """Parse several files into one graph."""
    graph = new_graph()
    for path in paths:
        parse_file(path, into=graph)
    return graph
