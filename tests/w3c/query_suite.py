"""The W3C SPARQL 1.1 query test suite (manifest-sparql11-query.ttl and the manifests it
includes), run through a live tfkg endpoint with SPARQLWrapper as the client.

Each case's data is loaded through the token-guarded /update route: the default graph of the
test as the named graph DEFAULT_GRAPH, its named graphs under their file IRIs, and the query
is sent with that protocol dataset. Results are compared as unordered rows (blank nodes by
position-insensitive placeholder) or, for graphs, by isomorphism.
"""

from __future__ import annotations

import io
import json
import urllib.error
import urllib.request
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, XSD
from rdflib.query import Result
from SPARQLWrapper import JSON, N3, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
DEFAULT_GRAPH = "urn:x-tfkg-test:default"


@dataclass
class Case:
    name: str  # "folder/test-name"
    kind: str  # QueryEvaluationTest, PositiveSyntaxTest11, NegativeSyntaxTest11, ...
    query: Path
    data: list[Path] = field(default_factory=list)
    graph_data: list[Path] = field(default_factory=list)
    result: Path | None = None


def load_cases(suite: Path) -> list[Case]:
    top = Graph().parse(
        suite / "manifest-sparql11-query.ttl", publicID=(suite / "manifest-sparql11-query.ttl").as_uri()
    )
    root = next(top.subjects(RDF.type, MF.Manifest))
    cases: list[Case] = []
    for include in Collection(top, top.value(root, MF.include)):
        path = Path(str(include).removeprefix("file://"))
        manifest = Graph().parse(path, publicID=path.as_uri())
        entries = manifest.value(next(manifest.subjects(RDF.type, MF.Manifest)), MF.entries)
        for test in Collection(manifest, entries):
            kind = str(manifest.value(test, RDF.type)).rsplit("#", 1)[-1]
            action = manifest.value(test, MF.action)
            if kind in ("PositiveSyntaxTest11", "NegativeSyntaxTest11"):
                query = action
                data, graphs = [], []
            else:
                query = manifest.value(action, QT.query)
                data = [Path(str(d).removeprefix("file://")) for d in manifest.objects(action, QT.data)]
                graphs = [
                    Path(str(g).removeprefix("file://")) for g in manifest.objects(action, QT.graphData)
                ]
            result = manifest.value(test, MF.result)
            cases.append(
                Case(
                    name=f"{path.parent.name}/{str(test).rsplit('#', 1)[-1]}",
                    kind=kind,
                    query=Path(str(query).removeprefix("file://")),
                    data=data,
                    graph_data=graphs,
                    result=Path(str(result).removeprefix("file://")) if result is not None else None,
                )
            )
    return cases


def _ntriples(path: Path) -> str:
    """A data file as N-Triples, lexical forms untouched (rdflib would normalize them)."""
    fmt = {".rdf": ox.RdfFormat.RDF_XML, ".nt": ox.RdfFormat.N_TRIPLES}.get(path.suffix, ox.RdfFormat.TURTLE)
    triples = list(ox.parse(path=str(path), format=fmt, base_iri=path.as_uri()))
    return (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")


def _graph_of(path: Path) -> Graph:
    fmt = {".ttl": "turtle", ".rdf": "xml", ".nt": "nt"}.get(path.suffix, "turtle")
    return Graph().parse(path, format=fmt, publicID=path.as_uri())


def _update(base: str, token: str, text: str) -> None:
    request = urllib.request.Request(
        f"{base}/update",
        data=text.encode("utf-8"),
        headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {token}"},
    )
    with urllib.request.urlopen(request, timeout=30) as reply:
        assert reply.status == 204


def load(base: str, token: str, case: Case) -> None:
    parts = ["CLEAR ALL", f"CREATE SILENT GRAPH <{DEFAULT_GRAPH}>"]
    for path in case.data:
        parts.append(f"INSERT DATA {{ GRAPH <{DEFAULT_GRAPH}> {{ {_ntriples(path)} }} }}")
    for path in case.graph_data:
        parts.append(f"CREATE SILENT GRAPH <{path.as_uri()}>")
        parts.append(f"INSERT DATA {{ GRAPH <{path.as_uri()}> {{ {_ntriples(path)} }} }}")
    _update(base, token, " ;\n".join(parts))


def _term(value: dict[str, str]) -> object:
    kind = value["type"]
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return "_:b"
    if "xml:lang" in value:
        return Literal(value["value"], lang=value["xml:lang"])
    datatype = value.get("datatype")
    if datatype and datatype != str(XSD.string):
        return Literal(value["value"], datatype=URIRef(datatype))
    return Literal(value["value"])


NUMERIC = {XSD.decimal, XSD.double, XSD.float, XSD.integer}


def _normal(term: object) -> object:
    """Blank nodes as one placeholder, xsd:string as plain, numbers by value ("1.0" = "1")."""
    if isinstance(term, BNode) or term == "_:b":
        return "_:b"
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    if isinstance(term, Literal) and term.datatype in NUMERIC:
        try:
            return (str(term.datatype), float(str(term)))
        except ValueError:
            return term
    return term


def _rows_of(result: Result, plain: bool) -> Counter[tuple[tuple[str, object], ...]]:
    rows: Counter[tuple[tuple[str, object], ...]] = Counter()
    for binding in result.bindings:
        row = tuple(
            sorted((str(k), str(v) if plain else _normal(v)) for k, v in binding.items() if v is not None)
        )
        rows[row] += 1
    return rows


def run_case(base: str, token: str, case: Case) -> str | None:
    """Run one case; None when it passes, else a short reason."""
    with warnings.catch_warnings():
        # SPARQLWrapper warns when its own guess of the query form disagrees with the format asked.
        warnings.simplefilter("ignore", RuntimeWarning)
        return _run_case(base, token, case)


def _run_case(base: str, token: str, case: Case) -> str | None:
    query = case.query.read_text(encoding="utf-8")
    if case.kind == "QueryEvaluationTest" and "BASE" not in query.upper().split("PREFIX")[0]:
        query = f"BASE <{case.query.as_uri()}>\n{query}"  # relative IRIs resolve against the query's file
    client = SPARQLWrapper(f"{base}/sparql")
    client.setQuery(query)
    client.setMethod("POST")
    if case.kind in ("PositiveSyntaxTest11", "NegativeSyntaxTest11"):
        _update(base, token, "CLEAR ALL")
        client.addCustomHttpHeader("Accept", "*/*")
        try:
            client.query().response.read()
            accepted = True
        except SPARQLWrapperException:
            accepted = False
        except urllib.error.HTTPError as error:
            accepted = error.code != 400
        expected = case.kind == "PositiveSyntaxTest11"
        return (
            None
            if accepted == expected
            else ("rejected valid syntax" if expected else "accepted invalid syntax")
        )
    if case.kind != "QueryEvaluationTest" or case.result is None:
        return f"unsupported test type {case.kind}"
    load(base, token, case)
    client.addDefaultGraph(DEFAULT_GRAPH)
    for path in case.graph_data:
        client.addNamedGraph(path.as_uri())
    suffix = case.result.suffix
    try:
        if suffix in (".ttl", ".rdf", ".nt") and "ResultSet" in case.result.read_text(encoding="utf-8"):
            client.setReturnFormat(JSON)
            body = json.loads(client.query().response.read())
            return _diff(_json_rows(body), _result_set_rows(case.result))
        if suffix in (".ttl", ".rdf", ".nt"):
            client.setReturnFormat(N3)
            client.addCustomHttpHeader("Accept", "application/n-triples")
            actual = Graph().parse(data=client.query().response.read(), format="turtle")
            return None if isomorphic(actual, _graph_of(case.result)) else "graph differs"
        client.setReturnFormat(JSON)
        body = json.loads(client.query().response.read())
    except (SPARQLWrapperException, urllib.error.HTTPError) as error:
        return f"error: {str(error).splitlines()[0][:120]}"
    if "boolean" in body:
        expected_result = Result.parse(
            io.BytesIO(case.result.read_bytes()), format=_result_format(case.result)
        )
        return None if bool(expected_result.askAnswer) == body["boolean"] else "boolean differs"
    plain = suffix in (".csv", ".tsv") and suffix == ".csv"
    expected_result = Result.parse(io.BytesIO(case.result.read_bytes()), format=_result_format(case.result))
    return _diff(_json_rows(body, plain), _rows_of(expected_result, plain))


def _diff(
    actual: Counter[tuple[tuple[str, object], ...]], expected: Counter[tuple[tuple[str, object], ...]]
) -> str | None:
    if actual == expected:
        return None
    missing, extra = list((expected - actual).elements()), list((actual - expected).elements())
    return f"rows differ: missing {missing[:1]}, unexpected {extra[:1]}"


def _json_rows(body: dict[str, object], plain: bool = False) -> Counter[tuple[tuple[str, object], ...]]:
    rows: Counter[tuple[tuple[str, object], ...]] = Counter()
    for binding in body["results"]["bindings"]:  # type: ignore[index]
        rows[
            tuple(sorted((k, str(_term(v)) if plain else _normal(_term(v))) for k, v in binding.items()))
        ] += 1
    return rows


RS = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/result-set#")


def _result_set_rows(path: Path) -> Counter[tuple[tuple[str, object], ...]]:
    """Rows of a result set written in the DAWG rs: vocabulary."""
    graph = _graph_of(path)
    rows: Counter[tuple[tuple[str, object], ...]] = Counter()
    for result_set in graph.subjects(RDF.type, RS.ResultSet):
        for solution in graph.objects(result_set, RS.solution):
            row = []
            for binding in graph.objects(solution, RS.binding):
                row.append((str(graph.value(binding, RS.variable)), _normal(graph.value(binding, RS.value))))
            rows[tuple(sorted(row))] += 1
    return rows


def _result_format(path: Path) -> str:
    return {".srx": "xml", ".srj": "json", ".tsv": "tsv", ".csv": "csv"}[path.suffix]
