"""Synthetic graphs N times the real one, made by replicating the real dataset with renamed IRIs.

Copy 0 is the real dataset, unchanged, so every benchmark query still finds what it names.
Copies 1..N-1 rename every entity IRI (``https://w3id.org/tfkg/id/...``) by appending
``-copyK``, and every blank node reachable from such an entity likewise; the graph names,
the ontology and anything else that names no entity are shared, so they are written once.
Each copy is a disjoint clone of the data (same shape, same selectivities), which is what a
graph 10 or 100 times larger of the same kind looks like to the engine.

Two files are written per scale: ``tfkg-xN.nq`` (N-Quads with the named graphs, for tfkg)
and ``tfkg-xN.nt`` (N-Triples of the union of all graphs, for rdflib-endpoint, whose
default graph is not the union of the named graphs).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

import pyoxigraph as ox

ENTITY_NAMESPACE = "https://w3id.org/tfkg/id/"
MARK = "\x00"  # where the copy suffix goes; never occurs in N-Triples output
SCHEME = "copy-suffix-v1"  # bump when the renaming changes, to regenerate cached files


@dataclass(frozen=True)
class ScaledData:
    scale: int
    nquads: Path
    ntriples: Path
    quads: int
    triples: int
    seconds: float  # time to generate (0 when reused from an earlier run)
    reused: bool


def _terms(quad: ox.Quad) -> tuple[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple, ...]:
    return (quad.subject, quad.predicate, quad.object)


def _instance_blank_nodes(quads: list[ox.Quad]) -> set[str]:
    """Blank nodes that belong to an entity: linked, directly or through other blank nodes, to one."""
    marked: set[str] = set()
    with_blanks = [q for q in quads if any(isinstance(t, ox.BlankNode) for t in _terms(q))]
    changed = True
    while changed:
        changed = False
        for quad in with_blanks:
            terms = _terms(quad)
            blanks = {t.value for t in terms if isinstance(t, ox.BlankNode)}
            touches_entity = any(
                isinstance(t, ox.NamedNode) and t.value.startswith(ENTITY_NAMESPACE) for t in terms
            )
            if (touches_entity or blanks & marked) and not blanks <= marked:
                marked |= blanks
                changed = True
    return marked


def _render(term: object, blank_nodes: set[str]) -> tuple[str, bool]:
    """The N-Triples form of a term, with MARK where a copy renames it."""
    if isinstance(term, ox.NamedNode) and term.value.startswith(ENTITY_NAMESPACE):
        return f"<{term.value}{MARK}>", True
    if isinstance(term, ox.BlankNode) and term.value in blank_nodes:
        return f"_:{term.value}{MARK}", True
    return str(term), False


def _templates(source: Path) -> tuple[list[str], list[str], list[str], list[str]]:
    """Quad and triple lines split into those each copy renames and those written once."""
    quads = list(ox.parse(path=str(source), format=ox.RdfFormat.N_QUADS))
    blank_nodes = _instance_blank_nodes(quads)
    quad_lines: dict[str, bool] = {}
    triple_lines: dict[str, bool] = {}
    for quad in quads:
        rendered = [_render(t, blank_nodes) for t in _terms(quad)]
        text = " ".join(r for r, _ in rendered)
        renamed = any(m for _, m in rendered)
        graph = quad.graph_name
        graph_text, graph_renamed = (
            ("", False) if isinstance(graph, ox.DefaultGraph) else _render(graph, set())
        )
        quad_lines[f"{text} {graph_text} .\n" if graph_text else f"{text} .\n"] = renamed or graph_renamed
        triple_lines[f"{text} .\n"] = renamed
    return (
        [line for line, renamed in quad_lines.items() if renamed],
        [line for line, renamed in quad_lines.items() if not renamed],
        [line for line, renamed in triple_lines.items() if renamed],
        [line for line, renamed in triple_lines.items() if not renamed],
    )


def _write(target: Path, replicated: list[str], shared: list[str], scale: int) -> int:
    block = "".join(replicated)
    tmp = target.with_suffix(target.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8") as out:
        out.write("".join(shared))
        for copy in range(scale):
            out.write(block.replace(MARK, f"-copy{copy}" if copy else ""))
    tmp.replace(target)
    return len(shared) + len(replicated) * scale


def _stamp(source: Path) -> dict[str, object]:
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    return {"source_sha256": digest, "scheme": SCHEME}


def make_scaled(source: Path, workdir: Path, scales: Iterable[int]) -> dict[int, ScaledData]:
    """Write (or reuse, if made from the same source) the data for each scale."""
    workdir.mkdir(parents=True, exist_ok=True)
    stamp = _stamp(source)
    templates: tuple[list[str], list[str], list[str], list[str]] | None = None
    made: dict[int, ScaledData] = {}
    for scale in scales:
        nquads, ntriples = workdir / f"tfkg-x{scale}.nq", workdir / f"tfkg-x{scale}.nt"
        meta_path = workdir / f"tfkg-x{scale}.json"
        if meta_path.exists() and nquads.exists() and ntriples.exists():
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            if meta.get("stamp") == stamp:
                made[scale] = ScaledData(
                    scale, nquads, ntriples, meta["quads"], meta["triples"], 0.0, reused=True
                )
                continue
        started = time.perf_counter()
        if templates is None:
            templates = _templates(source)
        quad_rep, quad_shared, triple_rep, triple_shared = templates
        n_quads = _write(nquads, quad_rep, quad_shared, scale)
        n_triples = _write(ntriples, triple_rep, triple_shared, scale)
        seconds = time.perf_counter() - started
        made[scale] = ScaledData(scale, nquads, ntriples, n_quads, n_triples, seconds, reused=False)
        meta_path.write_text(
            json.dumps({"stamp": stamp, "quads": n_quads, "triples": n_triples}), encoding="utf-8"
        )
    return made


def describe(data: ScaledData) -> dict[str, object]:
    out = asdict(data)
    out["nquads"], out["ntriples"] = str(data.nquads), str(data.ntriples)
    return out
