"""The /sparql endpoint through Flask's test client: protocol, formats and safety.

The W3C protocol suite and the deadline run against a real server elsewhere; these tests
pin down tfkg's own promises one by one.
"""

from __future__ import annotations

import io
import json
import threading
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from rdflib import Graph
from rdflib.query import Result
from werkzeug.test import TestResponse

from tfkg.config import Settings, load_settings
from tfkg.sparql import sandbox
from tfkg.sparql.engine import Limits, SparqlEngine, SparqlRequest
from tfkg.store import EmbeddedStore
from tfkg.web import create_app

from .conftest import FIXTURES, ROOT

SMALL = FIXTURES / "small.trig"
SELECT = "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
CONSTRUCT = "CONSTRUCT { ?s a ?t } WHERE { ?s a ?t }"


@pytest.fixture(scope="module")
def app_settings() -> Settings:
    return load_settings({"root": ROOT, "dataset": str(SMALL), "max_rows": 2, "max_body": 2000}, environ={})


@pytest.fixture(scope="module")
def client(app_settings: Settings) -> FlaskClient:
    return create_app(app_settings).test_client()


def test_get_form_post_and_direct_post_agree(client: FlaskClient) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?t }"
    answers = [
        client.get("/sparql", query_string={"query": query}),
        client.post("/sparql", data={"query": query}),
        client.post("/sparql", data=query, content_type="application/sparql-query"),
    ]
    assert {a.status_code for a in answers} == {200}
    assert {json.loads(a.data)["results"]["bindings"][0]["n"]["value"] for a in answers} == {"4"}


def test_default_graph_is_the_union_and_protocol_dataset_narrows_it(client: FlaskClient) -> None:
    everything = client.get("/sparql", query_string={"query": "ASK { <https://example.org/eu> a ?t }"})
    assert json.loads(everything.data)["boolean"] is True
    narrowed = client.get(
        "/sparql",
        query_string={
            "query": "ASK { <https://example.org/eu> a ?t }",
            "default-graph-uri": "https://example.org/g1",
        },
    )
    assert json.loads(narrowed.data)["boolean"] is False


def test_from_in_the_query_narrows_the_default_graph_too(client: FlaskClient) -> None:
    """A query's own FROM is its dataset; the union default graph must not override it."""
    ask = "ASK FROM <https://example.org/g1> { <https://example.org/eu> a ?t }"
    assert json.loads(client.get("/sparql", query_string={"query": ask}).data)["boolean"] is False
    named = "SELECT ?g WHERE { GRAPH ?g { <https://example.org/eu> a ?t } }"
    only_g1 = client.get(
        "/sparql", query_string={"query": named.replace("WHERE", "FROM NAMED <https://example.org/g1> WHERE")}
    )
    assert json.loads(only_g1.data)["results"]["bindings"] == []
    # The protocol's dataset parameters take precedence over FROM (SPARQL 1.1 Protocol, 2.1.4).
    overridden = client.get(
        "/sparql", query_string={"query": ask, "default-graph-uri": "https://example.org/g2"}
    )
    assert json.loads(overridden.data)["boolean"] is True


@pytest.mark.parametrize(
    ("accept", "fmt", "media", "parse"),
    [
        (None, None, "application/sparql-results+json", "json"),
        ("application/sparql-results+xml", None, "application/sparql-results+xml", "xml"),
        ("text/csv", None, "text/csv", "csv"),
        ("text/tab-separated-values", None, "text/tab-separated-values", "tsv"),
        ("*/*", None, "application/sparql-results+json", "json"),
        # A browser's Accept gets the workbench (web/sparql.py) unless format= names a format.
        ("text/html,application/xhtml+xml,*/*;q=0.8", "json", "application/sparql-results+json", "json"),
        ("application/sparql-results+json", "csv", "text/csv", "csv"),
    ],
)
def test_select_formats(
    client: FlaskClient, accept: str | None, fmt: str | None, media: str, parse: str
) -> None:
    params = {
        "query": "SELECT ?s WHERE { ?s a <https://w3id.org/tfkg/ontology#RegionalIntegrationOrganization> }"
    }
    if fmt:
        params["format"] = fmt
    reply = client.get("/sparql", query_string=params, headers={"Accept": accept} if accept else {})
    assert reply.status_code == 200
    assert reply.mimetype == media
    result = Result.parse(io.BytesIO(reply.data), format=parse)
    assert [str(row[0]) for row in result] == ["https://example.org/eu"]


@pytest.mark.parametrize(
    ("accept", "media", "parse"),
    [
        (None, "text/turtle", "turtle"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
        ("application/ld+json", "application/ld+json", "json-ld"),
    ],
)
def test_graph_formats(client: FlaskClient, accept: str | None, media: str, parse: str) -> None:
    query = "CONSTRUCT { ?s a ?t } WHERE { ?s a ?t . FILTER (?s = <https://example.org/che>) }"
    reply = client.get("/sparql", query_string={"query": query}, headers={"Accept": accept} if accept else {})
    assert reply.status_code == 200 and reply.mimetype == media
    if (
        parse == "json-ld"
    ):  # rdflib's JSON-LD parser warns about its own deprecations; read it with pyoxigraph
        import pyoxigraph as ox

        assert len(list(ox.parse(reply.data, format=ox.RdfFormat.JSON_LD))) == 1
    else:
        assert len(Graph().parse(data=reply.data, format=parse)) == 1


def test_describe_works(client: FlaskClient) -> None:
    reply = client.get("/sparql", query_string={"query": "DESCRIBE <https://example.org/che>"})
    assert reply.status_code == 200 and len(Graph().parse(data=reply.data, format="turtle")) == 2, (
        "capped at 2"
    )


def test_nothing_acceptable_is_406(client: FlaskClient) -> None:
    reply = client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": "image/png"})
    assert reply.status_code == 406
    assert "image/png" in reply.get_json()["error"]["message"]


def test_service_description_without_a_query(client: FlaskClient) -> None:
    reply = client.get("/sparql")
    assert reply.status_code == 200 and reply.mimetype == "text/turtle"
    graph = Graph().parse(data=reply.data, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    names = {str(o) for s, p, o in graph if str(p) == sd + "name"}
    assert any(str(p) == sd + "endpoint" for p in graph.predicates())
    assert "https://example.org/g1" in names and "https://example.org/g2" in names


def test_void_description(client: FlaskClient) -> None:
    reply = client.get("/void")
    graph = Graph().parse(data=reply.data, format="turtle")
    assert any(str(o) == "http://rdfs.org/ns/void#Dataset" for o in graph.objects())


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.get("/sparql", query_string={"update": "CLEAR ALL"}),
        lambda c: c.post("/sparql", data={"update": "CLEAR ALL"}),
        lambda c: c.post("/sparql", data="CLEAR ALL", content_type="application/sparql-update"),
        lambda c: c.post("/sparql", data={"query": "INSERT DATA { <a:b> <a:c> <a:d> }"}),
        lambda c: c.post("/sparql", data={"query": "LOAD <http://example.org/data.ttl>"}),
        lambda c: c.post("/update", data={"update": "CLEAR ALL"}),
    ],
)
def test_updates_are_refused_and_say_so(client: FlaskClient, call) -> None:  # type: ignore[no-untyped-def]
    reply = call(client)
    assert 400 <= reply.status_code < 500
    assert (
        "read-only" in reply.get_json()["error"]["message"]
        or "disabled" in reply.get_json()["error"]["message"]
    )
    still = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
    assert json.loads(still.data)["boolean"] is True


@pytest.mark.parametrize(
    ("query", "params", "words"),
    [
        ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", {}, "SERVICE is refused"),
        ("SELECT * FROM <http://example.org/remote.ttl> WHERE { ?s ?p ?o }", {}, "not in this dataset"),
        (
            "SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }",
            {},
            "not in this dataset",
        ),
        ("SELECT * WHERE { ?s ?p ?o }", {"default-graph-uri": "http://example.org/x"}, "not in this dataset"),
        # a prefixed name cannot be checked against the dataset: refused, not silently ignored
        ("PREFIX ex: <http://example.org/> SELECT * FROM ex:g WHERE { ?s ?p ?o }", {}, "full IRI"),
        ("PREFIX : <http://example.org/> SELECT * FROM NAMED :g WHERE { ?s ?p ?o }", {}, "full IRI"),
    ],
)
def test_remote_and_file_access_is_refused(
    client: FlaskClient, query: str, params: dict[str, str], words: str
) -> None:
    reply = client.get("/sparql", query_string={"query": query, **params})
    assert reply.status_code == 403
    assert words in reply.get_json()["error"]["message"]


def test_keywords_inside_strings_are_not_refused(client: FlaskClient) -> None:
    query = 'SELECT ?s WHERE { ?s ?p "SERVICE and FROM in a string" }'
    assert client.get("/sparql", query_string={"query": query}).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "PREFIX ex: <http://example.org/> SELECT ?y WHERE { ?x ex:from ?y }",
        "PREFIX ex: <http://example.org/> SELECT ?y WHERE { ?x ex:service ?y }",
        "PREFIX ex: <http://example.org/> SELECT ?y WHERE { ?x ex:delete ?y }",
        "PREFIX service: <http://example.org/> SELECT ?y WHERE { ?x service:p ?y }",
    ],
)
def test_keywords_in_prefixed_names_are_not_refused(client: FlaskClient, query: str) -> None:
    assert client.get("/sparql", query_string={"query": query}).status_code == 200


def test_malformed_query_is_400_with_position(client: FlaskClient) -> None:
    reply = client.get("/sparql", query_string={"query": "SELECT * WHERE {\n  ?s ?p }"})
    error = reply.get_json()["error"]
    assert reply.status_code == 400
    assert error["line"] == 2 and "column" in error and "not valid SPARQL" in error["message"]


def test_rows_are_capped_and_the_cap_is_flagged(client: FlaskClient) -> None:
    reply = client.get("/sparql", query_string={"query": SELECT})
    body = reply.get_json()
    assert len(body["results"]["bindings"]) == 2
    assert "capped at 2" in reply.headers["X-TFKG-Truncated"]
    assert body["head"]["link"] == ["https://w3id.org/tfkg/ontology#truncated"]
    graph = client.get("/sparql", query_string={"query": CONSTRUCT})
    assert "capped at 2" in graph.headers["X-TFKG-Truncated"]


@pytest.mark.parametrize("cap", [0, 1, 999, 1000, 1001, 4000])
def test_native_select_keeps_exactly_the_first_rows_in_every_format(cap: int) -> None:
    # 3000 rows whose literals hold tabs, newlines and quotes: TSV escapes them, so lines = rows + 1,
    # and pyoxigraph hands the sink several chunks, so that the cap falls inside a later one.
    import pyoxigraph as ox

    from tfkg.sparql import results
    from tfkg.sparql.formats import RESULT_FORMATS

    store = ox.Store()
    for i in range(3000):
        value = ox.Literal(f'line {i}\n\ttab "quoted"', language="en")
        store.add(ox.Quad(ox.BlankNode(f"b{i}"), ox.NamedNode("urn:x:p"), value))
    query = "SELECT ?o ?s ?unbound WHERE { ?s ?p ?o } ORDER BY ?o"
    expected = min(cap, 3000)
    for fmt in RESULT_FORMATS:
        body, truncated = results.select(store.query(query), fmt, cap)
        assert truncated is (cap < 3000)
        full = store.query(query).serialize(format=results.NATIVE_RESULT_FORMATS[fmt.name]) or b""
        if fmt.name == "json":
            parsed = json.loads(body)
            assert parsed["head"]["vars"] == ["o", "s", "unbound"]
            assert parsed["results"]["bindings"] == json.loads(full)["results"]["bindings"][:expected]
            assert ("link" in parsed["head"]) is truncated
        elif fmt.name == "xml":
            assert body.count(b"<result>") == expected
            assert (b"#truncated" in body) is truncated
        elif fmt.name == "tsv":
            assert body == b"".join(full.splitlines(keepends=True)[: expected + 1])
        else:
            assert body.count(b"\r\n") == expected + 1  # CSV: a quoted newline is a bare \n


def test_rdf_star_terms_blank_nodes_and_tags_survive_native_serialization() -> None:
    import pyoxigraph as ox

    from tfkg.sparql import results
    from tfkg.sparql.formats import RESULT_FORMATS

    store = ox.Store()
    triple = ox.Triple(ox.NamedNode("urn:x:a"), ox.NamedNode("urn:x:b"), ox.Literal("c", language="de"))
    store.add(ox.Quad(ox.BlankNode("n1"), ox.NamedNode("urn:x:says"), triple))
    store.add(
        ox.Quad(
            ox.BlankNode("n1"), ox.NamedNode("urn:x:n"), ox.Literal("7", datatype=ox.NamedNode("urn:x:dt"))
        )
    )
    query = "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?p"
    for fmt in RESULT_FORMATS:
        body, truncated = results.select(store.query(query), fmt, 10)
        assert not truncated
        assert body == store.query(query).serialize(format=results.NATIVE_RESULT_FORMATS[fmt.name])


def test_large_bodies_are_413(client: FlaskClient) -> None:
    reply = client.post("/sparql", data="#" * 5000 + "\nASK {}", content_type="application/sparql-query")
    assert reply.status_code == 413
    assert "TFKG_MAX_BODY" in reply.get_json()["error"]["message"]


def test_cors_on_reads(client: FlaskClient) -> None:
    assert (
        client.get("/sparql", query_string={"query": "ASK {}"}).headers["Access-Control-Allow-Origin"] == "*"
    )
    preflight = client.options(
        "/sparql", headers={"Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST"}
    )
    assert preflight.status_code == 204 and "POST" in preflight.headers["Access-Control-Allow-Methods"]


def test_one_error_shape(client: FlaskClient) -> None:
    for reply in (
        client.get("/nowhere"),
        client.put("/sparql"),
        client.get("/sparql", query_string={"query": "nonsense"}),
        client.get("/sparql", query_string=[("query", "ASK {}"), ("query", "ASK {}")]),
    ):
        error = reply.get_json()["error"]
        assert set(error) >= {"status", "title", "message"} and error["status"] == reply.status_code


def test_query_path_opens_no_file_or_connection() -> None:
    """An audit hook records every file and socket event of the query threads: there are none."""
    events: list[str] = []
    query_threads: set[int] = set()

    def hook(event: str, args: tuple[object, ...]) -> None:
        if event in sandbox.FORBIDDEN and threading.get_ident() in query_threads:
            events.append(event)

    import sys

    sys.addaudithook(hook)
    store = EmbeddedStore.from_files([SMALL])
    # On this process's threads, where the hook can watch (evaluator processes are walled off
    # by seccomp instead: tests/test_isolation.py).
    engine = SparqlEngine(store, Limits(timeout=5, max_rows=100, isolation="thread"), {}, threads=1)
    original = engine._evaluate

    def tracked(request: SparqlRequest, fmt):  # type: ignore[no-untyped-def]
        query_threads.add(threading.get_ident())
        return original(request, fmt)

    engine._evaluate = tracked  # type: ignore[method-assign]
    for query in (SELECT, CONSTRUCT, "ASK {}", "DESCRIBE <https://example.org/che>"):
        for fmt in ("json", "xml", "csv", "tsv", "turtle", "jsonld"):
            try:
                engine.run(SparqlRequest(query=query, format=fmt))
            except Exception as error:
                assert getattr(error, "status", 0) == 406
    assert query_threads, "the queries ran on the engine's threads"
    assert events == []


def test_the_sandbox_refuses_io_inside_a_query(tmp_path: Path) -> None:
    with sandbox.no_io(), pytest.raises(PermissionError, match="not allowed while evaluating a query"):
        (tmp_path / "x").write_text("x")


def test_variables_named_like_keywords_are_not_keywords(client: FlaskClient) -> None:
    query = "SELECT ?from ?service ?insert WHERE { BIND(1 AS ?from) BIND(2 AS ?service) BIND(3 AS ?insert) }"
    assert client.get("/sparql", query_string={"query": query}).status_code == 200


def _chunked_post(client: FlaskClient, body: bytes) -> TestResponse:
    """A POST whose body has no Content-Length, as a server hands on a chunked one."""
    return client.post(
        "/sparql",
        input_stream=io.BytesIO(body),
        content_type="application/sparql-query",
        headers={"Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True, "CONTENT_LENGTH": ""},
    )


def test_chunked_bodies_are_held_to_the_same_limit(client: FlaskClient, app_settings: Settings) -> None:
    ask = b"\nASK {}"
    over = _chunked_post(client, b"#" * app_settings.max_body + ask)
    assert over.status_code == 413, "not cut at the limit and parsed as if whole"
    assert "TFKG_MAX_BODY" in over.get_json()["error"]["message"]
    exactly = _chunked_post(client, b"#" * (app_settings.max_body - len(ask)) + ask)
    assert exactly.status_code == 200 and exactly.get_json()["boolean"] is True
    assert _chunked_post(client, ask).get_json()["boolean"] is True
