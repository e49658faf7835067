"""`tfkg build`: data/ + ontology/ → one dataset (N-Quads, a named graph per source), a Turtle
dump and stats, validated on the way.

The build refuses bad data: every table problem is reported with its file and line, then
SHACL and the zero-row checks run on the result and their violations name the table row a
focus node came from. Output is written to a staging folder and swapped in at the end, so a
failed build leaves the previous one in place.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from .. import __version__
from ..config import Settings
from ..errors import TfkgError
from ..namespaces import GRAPH, PREFIXES, SERIALIZATION_PREFIXES
from ..schema import load_graph, parse_file, schema_files
from ..validation.checks import load_check, run_checks, store_from_graph
from ..validation.report import Violation
from ..validation.shacl import run_shacl
from .convert import Problem, concepts_of, convert
from .derive import add_derived
from .entailment import entailed
from .stats import dataset_stats

ONTOLOGY_GRAPH = GRAPH["ontology"]
VOCABULARY_GRAPH = GRAPH["vocabularies"]
DATASET_FILE = "tfkg.nq"
DUMP_FILE = "tfkg.ttl"
STATS_FILE = "stats.json"


class BuildRefused(TfkgError):  # noqa: N818 - it is a refusal, not a crash
    """The data break rules; nothing was written."""

    def __init__(self, problems: list[Problem], violations: list[Violation]) -> None:
        lines = [p.describe() for p in problems] + [v.describe() for v in violations]
        count = len(problems) + len(violations)
        super().__init__(
            f"build refused, {count} problem(s); the previous build is unchanged:\n" + "\n".join(lines)
        )
        self.problems = problems
        self.violations = violations


@dataclass
class BuildResult:
    folder: Path
    stats: dict[str, object] = field(default_factory=dict)

    def describe(self) -> str:
        graphs = self.stats.get("graphs", {})
        assert isinstance(graphs, dict)
        return (
            f"built {self.folder / DATASET_FILE}: {self.stats.get('triples')} triples in "
            f"{len(graphs)} named graphs; dump {self.folder / DUMP_FILE}; stats {self.folder / STATS_FILE}"
        )


def dataset_folder(settings: Settings) -> Path:
    return settings.build_path / "dataset"


def assemble(settings: Settings) -> tuple[Dataset, Graph, list[Problem], dict[str, str]]:
    """Read schema and tables into a dataset; returns it, the ontology, problems and origins."""
    files = schema_files(settings)
    dataset = Dataset()
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace, override=True)
    ontology = parse_file(files.ontology)
    dataset.addN((s, p, o, dataset.graph(ONTOLOGY_GRAPH)) for s, p, o in ontology)
    vocabularies = load_graph(files.vocab)
    dataset.addN((s, p, o, dataset.graph(VOCABULARY_GRAPH)) for s, p, o in vocabularies)
    conversion = convert(settings.data_dir, dataset, concepts_of(vocabularies))
    return dataset, ontology, conversion.problems, conversion.origins


def facts_graph(dataset: Dataset) -> Graph:
    """Everything but the ontology, as one graph: what SHACL validates."""
    facts = Graph()
    for s, p, o, g in dataset.quads((None, None, None, None)):
        if g != ONTOLOGY_GRAPH:
            facts.add((s, p, o))
    return facts


def build(settings: Settings) -> BuildResult:
    """Build, validate and publish the dataset into <build>/dataset/."""
    dataset, ontology, problems, origins = assemble(settings)
    if problems:
        raise BuildRefused(problems, [])
    add_derived(dataset)
    files = schema_files(settings)
    facts = facts_graph(dataset)
    where = origins.get
    violations = run_shacl(facts, load_graph([files.shapes]), ontology, where)
    everything = facts + ontology
    violations += run_checks(store_from_graph(everything), [load_check(p) for p in files.checks], where)
    if violations:
        raise BuildRefused([], violations)
    return publish(settings, dataset)


def _ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as a pyoxigraph term, which writes N-Quads and Turtle for us."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot publish {term!r}")


def publish(settings: Settings, dataset: Dataset) -> BuildResult:
    """Write the dataset, dump and stats to a staging folder, then swap it in."""
    final = dataset_folder(settings)
    staging = final.with_name(final.name + ".staging")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    quads = [
        ox.Quad(_ox(s), _ox(p), _ox(o), ox.NamedNode(str(g)))  # type: ignore[arg-type]
        for s, p, o, g in dataset.quads((None, None, None, None))
    ]
    quads += entailed(quads, str(ONTOLOGY_GRAPH))  # graph/inferred: the RDFS closure, for SPARQL users
    quads.sort(key=str)  # a stable file: the same data gives the same bytes
    try:
        ox.serialize(quads, staging / DATASET_FILE, ox.RdfFormat.N_QUADS)
        triples = sorted({q.triple for q in quads}, key=str)
        ox.serialize(triples, staging / DUMP_FILE, ox.RdfFormat.TURTLE, prefixes=SERIALIZATION_PREFIXES)
        stats = dataset_stats(staging / DATASET_FILE)
        stats["version"] = __version__
        (staging / STATS_FILE).write_text(
            json.dumps(stats, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )
    except OSError as error:  # a full disk, a read-only folder: say so, and leave no half-build
        shutil.rmtree(staging, ignore_errors=True)
        raise TfkgError(
            f"could not write the build into {staging}: {error.strerror or error}. The previous build "
            f"in {final} is untouched; free space or fix the folder's permissions and build again."
        ) from None
    previous = final.with_name(final.name + ".previous")
    shutil.rmtree(previous, ignore_errors=True)
    if final.exists():
        final.rename(previous)
    staging.rename(final)
    shutil.rmtree(previous, ignore_errors=True)
    return BuildResult(final, stats)


__all__ = ["DATASET_FILE", "BuildRefused", "BuildResult", "URIRef", "build", "dataset_folder"]
