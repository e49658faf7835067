"""ODK-style quality checks: each ontology/checks/*-violation.rq must return zero rows.

Adding a check is adding a file. The first comment lines carry its title and description,
which become the violation message. Checks run on pyoxigraph, the engine that serves queries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from ..errors import DataError
from .report import Violation


@dataclass(frozen=True)
class Check:
    """A zero-row quality check read from a .rq file."""

    name: str
    title: str
    description: str
    query: str
    path: Path


def load_check(path: Path) -> Check:
    """Read one check; its `# title:` and `# description:` comments are required."""
    text = path.read_text(encoding="utf-8")
    header = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        key, _, value = line.lstrip("# ").partition(":")
        header[key.strip()] = value.strip()
    if "title" not in header:
        raise DataError(path, "a check needs a '# title: ...' comment on its first line", 1)
    return Check(
        name=path.name.removesuffix("-violation.rq"),
        title=header["title"],
        description=header.get("description", header["title"]),
        query=text,
        path=path,
    )


def store_from_graph(graph: Graph) -> ox.Store:
    """Copy an rdflib graph into an in-memory pyoxigraph store (as N-Triples)."""
    store = ox.Store()
    data = graph.serialize(format="nt", encoding="utf-8")
    store.load(data, format=ox.RdfFormat.N_TRIPLES)
    return store


def run_checks(
    store: ox.Store, checks: Iterable[Check], origin: Callable[[str], str | None]
) -> list[Violation]:
    """Run each check; every returned row becomes a violation of that check."""
    found: list[Violation] = []
    for check in checks:
        try:
            solutions = store.query(check.query)
        except SyntaxError as exc:
            raise DataError(check.path, f"the check is not valid SPARQL: {exc}") from None
        assert isinstance(solutions, ox.QuerySolutions)
        names = [v.value for v in solutions.variables]
        for row in solutions:
            values = {n: row[n] for n in names if row[n] is not None}
            focus = values.pop("focus", None)
            focus_text = focus.value if isinstance(focus, ox.NamedNode) else str(focus)
            details = ", ".join(f"{k}={_show(v)}" for k, v in values.items())
            found.append(
                Violation(
                    rule=f"check {check.name}: {check.title}",
                    focus=focus_text,
                    message=check.description,
                    file=origin(focus_text),
                    details=details,
                )
            )
    return found


def _show(term: object) -> str:
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)
