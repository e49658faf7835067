"""The /sparql fast path (web/fastpath.py) answers exactly as the Flask path does.

Each request goes once through the app as served (fast path in front of Flask) and once
through Flask alone; status, headers and body must be the same. A counting wrapper shows which
requests the fast path answers itself and which it hands to Flask.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest
from flask import Flask
from rdflib import Graph
from rdflib.compare import isomorphic
from werkzeug.test import Client, TestResponse

from tfkg.config import load_settings
from tfkg.sparql.engine import SparqlError
from tfkg.web import create_app, get_engine
from tfkg.web.bodylimit import BodyLimit
from tfkg.web.compression import Compress
from tfkg.web.fastpath import SparqlFastPath
from tfkg.web.headers import SecurityHeaders

from .conftest import FIXTURES, ROOT

SELECT = "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
ASK = "ASK { <https://example.org/eu> a ?t }"
CONSTRUCT = "CONSTRUCT { ?s a ?t } WHERE { ?s a ?t }"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(scope="module")
def app() -> Flask:
    settings = load_settings(
        {"root": ROOT, "dataset": str(FIXTURES / "small.trig"), "max_rows": 2, "max_body": 2000}, environ={}
    )
    return create_app(settings)


class Counting:
    """A WSGI app that counts the requests it passes on."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.calls = 0

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        self.calls += 1
        result: Iterable[bytes] = self.app(environ, start_response)
        return result


@pytest.fixture(scope="module")
def paths(app: Flask) -> Iterator[tuple[Client, Client, Counting]]:
    outermost = app.wsgi_app
    assert isinstance(outermost, SecurityHeaders), "create_app adds security headers to every answer"
    compressing = outermost.app
    assert isinstance(compressing, Compress), "create_app compresses for clients that accept gzip"
    limited = compressing.app
    assert isinstance(limited, BodyLimit), "create_app holds chunked bodies to the limit"
    served = limited.app
    assert isinstance(served, SparqlFastPath), "create_app installs the fast path"
    flask_only = served.app
    handed = Counting(flask_only)
    yield Client(SparqlFastPath(handed, get_engine(app))), Client(flask_only), handed


def both(paths: tuple[Client, Client, Counting], method: str, **kwargs: Any) -> tuple[TestResponse, bool]:
    """The same request through both paths, compared; whether the fast path answered it."""
    fast_client, flask_client, handed = paths
    before = handed.calls
    fast = fast_client.open(
        "/sparql" if "path" not in kwargs else kwargs.pop("path"), method=method, **kwargs
    )
    answered = handed.calls == before
    plain = flask_client.open(fast.request.path, method=method, **kwargs)
    assert fast.status == plain.status
    assert fast.headers.to_wsgi_list() == plain.headers.to_wsgi_list()
    graph_formats = {"text/turtle": "turtle", "application/n-triples": "nt"}
    if fast.mimetype in graph_formats and not answered:  # the service description: fresh blank nodes
        fmt = graph_formats[fast.mimetype]
        assert isomorphic(
            Graph().parse(data=fast.get_data(), format=fmt), Graph().parse(data=plain.get_data(), format=fmt)
        )
    else:
        assert fast.get_data() == plain.get_data()
    return fast, answered


@pytest.mark.parametrize(
    "accept",
    [
        None,
        "*/*",
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values;q=0.9, application/json;q=0.5",
        "application/json",
    ],
)
@pytest.mark.parametrize("query", [SELECT, ASK])
def test_results_by_accept(paths: tuple[Client, Client, Counting], accept: str | None, query: str) -> None:
    headers = {"Accept": accept} if accept else {}
    response, answered = both(paths, "GET", query_string={"query": query}, headers=headers)
    assert answered and response.status_code == 200
    assert response.headers["Vary"] == "Accept" and response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    "accept", [None, "text/turtle", "application/n-triples", "application/ld+json", "text/plain"]
)
def test_graphs_by_accept(paths: tuple[Client, Client, Counting], accept: str | None) -> None:
    headers = {"Accept": accept} if accept else {}
    response, answered = both(paths, "GET", query_string={"query": CONSTRUCT}, headers=headers)
    assert answered and response.status_code == 200


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv", "", "nonsense"])
def test_format_parameter(paths: tuple[Client, Client, Counting], fmt: str) -> None:
    response, answered = both(
        paths, "GET", query_string={"query": SELECT, "format": fmt}, headers={"Accept": BROWSER}
    )
    assert answered  # format= given: never the workbench
    assert response.status_code == (406 if fmt == "nonsense" else 200)


def test_nothing_acceptable(paths: tuple[Client, Client, Counting]) -> None:
    response, answered = both(paths, "GET", query_string={"query": SELECT}, headers={"Accept": "image/png"})
    assert answered and response.status_code == 406
    assert response.json is not None and response.json["error"]["status"] == 406


def test_dataset_parameters(paths: tuple[Client, Client, Counting]) -> None:
    narrowed, answered = both(
        paths,
        "GET",
        query_string=[
            ("query", "SELECT * WHERE { ?s a ?t }"),
            ("default-graph-uri", "https://example.org/g1"),
            ("default-graph-uri", "https://example.org/g2"),
            ("named-graph-uri", "https://example.org/g2"),
        ],
    )
    assert answered and narrowed.status_code == 200
    unknown, answered = both(
        paths, "GET", query_string={"query": SELECT, "named-graph-uri": "https://example.org/elsewhere"}
    )
    assert answered and unknown.status_code == 403


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("SELECT * WHERE { ?s ?p }", 400),  # malformed: 400 with line and column
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", 403),
        ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", 403),
        ("SELECT * FROM <http://example.org/remote> WHERE { ?s ?p ?o }", 403),
        ("SELECT * WHERE { ?s ?p ?o }", 200),  # more rows than TFKG_MAX_ROWS: flagged
        ('SELECT ?x WHERE { BIND("SERVICE" AS ?x) }', 200),
        ("SELECT (<urn:nonsense>(1) AS ?x) WHERE {}", 400),
    ],
)
def test_refusals_errors_and_cap(paths: tuple[Client, Client, Counting], query: str, status: int) -> None:
    response, answered = both(paths, "GET", query_string={"query": query})
    assert answered and response.status_code == status
    if status == 400 and "?p }" in query:
        assert response.json is not None and {"line", "column"} <= set(response.json["error"])
    if query == "SELECT * WHERE { ?s ?p ?o }":
        assert response.headers["X-TFKG-Truncated"].startswith("true")


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"query_string": {}},  # the service description
        {"query_string": {"format": "ntriples"}},
        {"query_string": {"query": SELECT}, "headers": {"Accept": BROWSER}},  # the workbench
        {"query_string": {}, "headers": {"Accept": BROWSER}},
        {"query_string": [("query", SELECT), ("query", ASK)]},  # two queries: 400
        {"query_string": {"update": "CLEAR ALL"}},  # 405
        {"query_string": {"query": SELECT, "update": "CLEAR ALL"}},
        {"query_string": {"query": SELECT}, "path": "/sparql/other"},  # 404
    ],
)
def test_the_rest_goes_to_flask(
    paths: tuple[Client, Client, Counting], request_kwargs: dict[str, Any]
) -> None:
    _, answered = both(paths, "GET", **dict(request_kwargs))
    assert not answered


@pytest.mark.parametrize(
    ("method", "request_kwargs"),
    [
        ("OPTIONS", {}),
        ("HEAD", {"query_string": {"query": SELECT}}),
        ("POST", {"data": {"query": SELECT}}),
        ("POST", {"data": SELECT, "content_type": "application/sparql-query"}),
        ("POST", {"data": "x" * 5000, "content_type": "application/sparql-query"}),  # 413
        ("POST", {"data": {"update": "CLEAR ALL"}}),
        ("PUT", {"query_string": {"query": SELECT}}),
    ],
)
def test_other_methods_go_to_flask(
    paths: tuple[Client, Client, Counting], method: str, request_kwargs: dict[str, Any]
) -> None:
    _, answered = both(paths, method, **request_kwargs)
    assert not answered


def test_invalid_percent_escapes_are_kept_as_werkzeug_keeps_them(
    paths: tuple[Client, Client, Counting],
) -> None:
    response, answered = both(paths, "GET", query_string="query=SELECT%20*%20WHERE%20%7B%7D%FF")
    assert answered and response.status_code == 400


def test_trailing_slash_and_base_iri(paths: tuple[Client, Client, Counting]) -> None:
    query = "SELECT ?b WHERE { BIND(<relative> AS ?b) }"
    for path in ("/sparql", "/sparql/"):
        response, answered = both(
            paths, "GET", path=path, query_string={"query": query}, base_url="https://tfkg.example:8443/root/"
        )
        assert answered and b"https://tfkg.example:8443/root/relative" in response.get_data()


def test_deadline_and_unexpected_errors(
    paths: tuple[Client, Client, Counting], app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = get_engine(app)

    def too_slow(request: object) -> None:
        raise SparqlError("The query ran past the limit.", status=503, limit_seconds=0.5)

    monkeypatch.setattr(engine, "run", too_slow)
    response, answered = both(paths, "GET", query_string={"query": SELECT})
    assert answered and response.status_code == 503
    assert response.json is not None and response.json["error"]["limit_seconds"] == 0.5

    def broken(request: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(engine, "run", broken)
    app.logger.disabled = True
    try:
        response, answered = both(paths, "GET", query_string={"query": SELECT})
    finally:
        app.logger.disabled = False
    assert not answered and response.status_code == 500
