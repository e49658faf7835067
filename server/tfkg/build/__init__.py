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

from rdflib import Dataset, Graph, URIRef

from .. import __version__
from ..config import Settings
from ..errors import TfkgError
from ..namespaces import GRAPH, PREFIXES
from ..schema import load_graph, parse_file, schema_files
from ..validation.checks import load_check, run_checks, store_from_graph
from ..validation.report import Violation
from ..validation.shacl import run_shacl
from .convert import Problem, concepts_of, convert
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
        super().__init__(f"build refused, {count} problem(s); the previous build is unchanged:\n" + "\n".join(lines))
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
    dataset.graph(ONTOLOGY_GRAPH).__iadd__(ontology)
    vocabularies = load_graph(files.vocab)
    dataset.graph(VOCABULARY_GRAPH).__iadd__(vocabularies)
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
    files = schema_files(settings)
    facts = facts_graph(dataset)
    where = origins.get
    violations = run_shacl(facts, load_graph([files.shapes]), ontology, where)
    everything = facts + ontology
    violations += run_checks(store_from_graph(everything), [load_check(p) for p in files.checks], where)
    if violations:
        raise BuildRefused([], violations)
    return publish(settings, dataset)


def publish(settings: Settings, dataset: Dataset) -> BuildResult:
    """Write the dataset, dump and stats to a staging folder, then swap it in."""
    final = dataset_folder(settings)
    staging = final.with_name(final.name + ".staging")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    dataset.serialize(staging / DATASET_FILE, format="nquads", encoding="utf-8")
    union = Graph()
    for prefix, namespace in PREFIXES.items():
        union.bind(prefix, namespace, override=True)
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    union.serialize(staging / DUMP_FILE, format="turtle", encoding="utf-8")
    stats = dataset_stats(staging / DATASET_FILE)
    stats["version"] = __version__
    (staging / STATS_FILE).write_text(json.dumps(stats, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    previous = final.with_name(final.name + ".previous")
    shutil.rmtree(previous, ignore_errors=True)
    if final.exists():
        final.rename(previous)
    staging.rename(final)
    shutil.rmtree(previous, ignore_errors=True)
    return BuildResult(final, stats)


__all__ = ["DATASET_FILE", "BuildRefused", "BuildResult", "URIRef", "build", "dataset_folder"]
