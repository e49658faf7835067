"""SHACL validation with pyshacl, reported as curator-readable violations."""

from __future__ import annotations

from collections.abc import Callable

from pyshacl import validate as shacl_validate
from rdflib import Graph, URIRef
from rdflib.term import Node

from ..namespaces import SH
from .report import Violation


def run_shacl(
    data: Graph, shapes: Graph, ontology: Graph, origin: Callable[[str], str | None]
) -> list[Violation]:
    """Validate ``data`` against ``shapes``, with the ontology's class hierarchy mixed in."""
    _conforms, results, _text = shacl_validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        allow_warnings=True,
        advanced=False,
    )
    assert isinstance(results, Graph)
    found: list[Violation] = []
    for result in results.subjects(predicate=None, object=SH.ValidationResult):
        if results.value(result, SH.resultSeverity) != SH.Violation:
            continue  # warnings (sh:Warning) are published and counted by `tfkg stats`
        focus = results.value(result, SH.focusNode)
        shape = _source_shape(results, shapes, results.value(result, SH.sourceShape))
        path = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage)
        value = results.value(result, SH.value)
        details = []
        if path is not None:
            details.append(f"path={_short(data, path)}")
        if value is not None:
            details.append(f"value={_short(data, value)}")
        focus_text = str(focus)
        found.append(
            Violation(
                rule=f"shape {shape}",
                focus=focus_text,
                message=str(message) if message is not None else "constraint not met",
                file=origin(focus_text),
                details=", ".join(details),
            )
        )
    return sorted(found, key=lambda v: (v.file or "", v.focus, v.rule))


def _source_shape(results: Graph, shapes: Graph, shape: Node | None) -> str:
    """Name the node shape that failed, even when the failing one is an inline property shape."""
    if isinstance(shape, URIRef):
        return _local(shape)
    owner = shapes.value(predicate=SH.property, object=shape) if shape is not None else None
    if isinstance(owner, URIRef):
        return _local(owner)
    return "(anonymous shape)"


def _local(iri: URIRef) -> str:
    text = str(iri)
    return text.rsplit("#", 1)[-1] if "#" in text else text.rsplit("/", 1)[-1]


def _short(graph: Graph, node: Node) -> str:
    try:
        return graph.namespace_manager.normalizeUri(node) if isinstance(node, URIRef) else str(node)
    except ValueError:
        return str(node)
