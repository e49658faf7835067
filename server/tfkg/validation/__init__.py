"""`tfkg validate`: parse everything, check OWL consistency, SHACL and the zero-row checks.

Returns a :class:`ValidationReport`; the CLI maps it to exit codes 0 (all rules hold),
1 (violations) and 2 (errors that stopped validation, such as a file that does not parse).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from rdflib import Graph, URIRef

from ..config import Settings
from ..schema import load_graph, new_graph, parse_file, schema_files
from .checks import Check, load_check, run_checks, store_from_graph
from .reasoner import check_consistency
from .report import ValidationReport, Violation
from .shacl import run_shacl

RDF_SUFFIXES = (".ttl", ".nt", ".nq", ".trig", ".rdf", ".owl", ".jsonld")

__all__ = ["ValidationReport", "Violation", "rdf_files", "validate"]


class _Origins:
    """Which file mentions each node, so a violation can name the file to fix.

    A node stated as a subject in a data file wins; then a data file that refers to it (the
    fixture that misuses a vocabulary concept); then the schema file that defines it.
    """

    def __init__(self) -> None:
        self.stated: dict[str, str] = {}
        self.referred: dict[str, str] = {}
        self.schema: dict[str, str] = {}
        self.tables: dict[str, str] = {}  # IRI → data/ table file:line

    def record(self, path: Path, graph: Graph, *, is_schema: bool) -> None:
        for s, p, o in graph:
            if is_schema:
                if isinstance(s, URIRef):
                    self.schema.setdefault(str(s), str(path))
                continue
            if isinstance(s, URIRef):
                self.stated.setdefault(str(s), str(path))
            for used in (p, o):
                if isinstance(used, URIRef):
                    self.referred.setdefault(str(used), str(path))

    def __call__(self, focus: str) -> str | None:
        return (
            self.stated.get(focus)
            or self.tables.get(focus)
            or self.referred.get(focus)
            or self.schema.get(focus)
        )


def rdf_files(paths: Iterable[Path]) -> list[Path]:
    """Expand folders into the RDF files they hold, in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.suffix in RDF_SUFFIXES)
        else:
            found.append(path)
    return found


def validate(
    settings: Settings,
    data: Sequence[Path] = (),
    *,
    reasoner: bool = True,
    tables: bool = True,
) -> ValidationReport:
    """Validate the schema, the data/ tables (unless ``tables`` is false) and ``data`` files."""
    files = schema_files(settings)
    report = ValidationReport()
    where = _Origins()

    def read(path: Path, into: Graph, *, is_schema: bool) -> None:
        part = parse_file(path)
        where.record(path, part, is_schema=is_schema)
        into += part

    ontology = new_graph()
    read(files.ontology, ontology, is_schema=True)
    facts = new_graph()  # vocabularies and data: what SHACL validates
    for path in files.vocab:
        read(path, facts, is_schema=True)
    for path in rdf_files(data):
        read(path, facts, is_schema=False)
    if tables:
        from ..build import assemble, facts_graph  # the build converts tables; it imports us too

        dataset, _, problems, table_origins = assemble(settings)
        where.tables.update(table_origins)
        facts += facts_graph(dataset)
        report.violations += [
            Violation(rule="table row", focus=p.where, message=p.message, file=p.where) for p in problems
        ]
    shapes = load_graph([files.shapes])
    checks: list[Check] = [load_check(path) for path in files.checks]
    report.notes.append(
        f"parsed: ontology ({len(ontology)} triples), {len(files.vocab)} vocabularies and "
        f"{len(rdf_files(data))} data file(s), the data/ tables: {len(facts)} triples, "
        f"{len(shapes)} shape triples, {len(checks)} checks"
    )
    everything = ontology + facts

    if reasoner:
        verdict = check_consistency(everything)
        if verdict.consistent:
            report.notes.append("HermiT: consistent, no unsatisfiable classes")
        elif verdict.unsatisfiable:
            report.violations += [
                Violation(
                    rule="OWL 2 DL reasoning (HermiT)",
                    focus=cls,
                    message="This class is unsatisfiable: nothing can be an instance of it.",
                    file=where(cls),
                )
                for cls in verdict.unsatisfiable
            ]
        else:
            report.violations.append(
                Violation(
                    rule="OWL 2 DL reasoning (HermiT)",
                    focus="(the whole graph)",
                    message="The ontology and data are inconsistent: some individual breaks a "
                    "disjointness, functional-property or domain/range axiom.",
                    details=verdict.explanation.strip().splitlines()[-1]
                    if verdict.explanation.strip()
                    else "",
                )
            )
    else:
        report.notes.append("HermiT: skipped (--no-reasoner)")

    report.violations += run_shacl(facts, shapes, ontology, where)
    report.violations += run_checks(store_from_graph(everything), checks, where)
    return report
