"""The store: the only code that holds the graph.

One small interface, :class:`Store`, that the rest of tfkg uses: run a query (text plus bound
substitutions, and optionally a protocol-specified dataset), list the named graphs, and
serialize. :class:`EmbeddedStore` keeps the graph in an in-memory pyoxigraph store loaded at
start-up; a remote implementation (any SPARQL 1.1 endpoint) can stand behind the same
interface later. Nothing here evaluates SPARQL with rdflib.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from .errors import DataError

Term = ox.NamedNode | ox.BlankNode | ox.Literal
QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples

#: File suffixes the store loads, with their RDF format.
FORMATS: dict[str, ox.RdfFormat] = {
    ".nq": ox.RdfFormat.N_QUADS,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".ttl": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
}


@dataclass(frozen=True)
class DatasetSpec:
    """A protocol- or query-specified dataset: which graphs are default and which named."""

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()

    @property
    def given(self) -> bool:
        return bool(self.default_graphs or self.named_graphs)


class Store(Protocol):
    """What tfkg needs from a graph store."""

    def query(
        self,
        text: str,
        substitutions: Mapping[str, Term] | None = None,
        dataset: DatasetSpec | None = None,
        base_iri: str | None = None,
    ) -> QueryResult: ...

    def graph_names(self) -> frozenset[str]: ...

    def __len__(self) -> int: ...


class EmbeddedStore:
    """The graph in memory, in pyoxigraph; the default graph is the union of all graphs."""

    def __init__(self, store: ox.Store | None = None) -> None:
        self._store = store if store is not None else ox.Store()
        self._graphs: frozenset[str] | None = None
        #: Counts changes, so that evaluator processes forked from an older state are replaced.
        self.version = 0

    @classmethod
    def from_files(cls, paths: Sequence[Path]) -> EmbeddedStore:
        """Load RDF files or folders; triples files go to the default graph, quads keep theirs."""
        store = ox.Store()
        files: list[Path] = []
        for path in paths:
            if path.is_dir():
                files += sorted(p for p in path.rglob("*") if p.suffix in FORMATS)
            elif path.suffix in FORMATS:
                files.append(path)
            else:
                raise DataError(path, f"not an RDF file tfkg can load ({', '.join(sorted(FORMATS))})")
        if not files:
            raise DataError(", ".join(map(str, paths)), "no RDF files to load")
        for file in files:
            try:
                store.bulk_load(path=str(file), format=FORMATS[file.suffix])
            except (SyntaxError, ValueError, OSError) as error:
                raise DataError(file, f"cannot load: {error}") from None
        return cls(store)

    def query(
        self,
        text: str,
        substitutions: Mapping[str, Term] | None = None,
        dataset: DatasetSpec | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        """Evaluate a query; bound values go in as substitutions, never into the text."""
        options: dict[str, object] = {"base_iri": base_iri} if base_iri else {}
        if substitutions:
            options["substitutions"] = {ox.Variable(k): v for k, v in substitutions.items()}
        if dataset is not None and dataset.given:
            # SPARQL Protocol: a given dataset is exactly what it names; an empty list is empty.
            options["default_graph"] = [ox.NamedNode(g) for g in dataset.default_graphs] or ox.DefaultGraph()
            options["named_graphs"] = [ox.NamedNode(g) for g in dataset.named_graphs]
        else:
            options["use_default_graph_as_union"] = True
        return self._store.query(text, **options)  # type: ignore[arg-type]

    def graph_names(self) -> frozenset[str]:
        if self._graphs is None:
            self._graphs = frozenset(
                g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode)
            )
        return self._graphs

    def add_graph(self, name: str) -> None:
        """Declare a (possibly empty) named graph, so that a dataset may name it."""
        self._store.add_graph(ox.NamedNode(name))
        self._graphs = None
        self.version += 1

    def update(self, text: str, base_iri: str | None = None) -> None:
        """Apply a SPARQL Update; only the token-guarded update route calls this."""
        self._store.update(text, base_iri=base_iri)
        self._graphs = None
        self.version += 1

    def snapshot(self) -> tuple[bytes, list[str]]:
        """The whole graph as N-Quads, and the named graphs (empty ones included)."""
        data = self._store.dump(format=ox.RdfFormat.N_QUADS) or b""
        names = [g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode)]
        return data, names

    def restore(self, data: bytes, graphs: Sequence[str]) -> None:
        """Replace the graph with a snapshot (see :meth:`snapshot`)."""
        store = ox.Store()
        if data:
            store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
        for name in graphs:
            store.add_graph(ox.NamedNode(name))
        self._store, self._graphs = store, None
        self.version += 1

    def extend(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads: the build's derivation uses this for data it did not build itself."""
        self._store.extend(quads)
        self._graphs = None
        self.version += 1

    def quads(self) -> Iterable[ox.Quad]:
        quads: Iterable[ox.Quad] = iter(self._store)
        return quads

    def __len__(self) -> int:
        return len(self._store)


def select_rows(
    store: Store,
    text: str,
    substitutions: Mapping[str, Term] | None = None,
    dataset: DatasetSpec | None = None,
) -> list[dict[str, str]]:
    """A SELECT query's rows as plain strings (the bound terms' values; unbound ones left out),
    for code that reads the graph rather than serving results."""
    result = store.query(text, substitutions, dataset)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in result]
