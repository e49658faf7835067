"""A real `tfkg serve` (granian): the deadline under load, and SPARQLWrapper as a client."""

from __future__ import annotations

import gzip
import http.client
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

from .w3c.server import running_server

PATHOLOGICAL = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
ORDINARY = "SELECT ?s WHERE { ?s <https://example.org/p> 7 }"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("server") / "many.ttl"
    data.write_text(
        "".join(f"<https://example.org/s{i}> <https://example.org/p> {i % 50} .\n" for i in range(3000)),
        encoding="utf-8",
    )
    env = {"TFKG_QUERY_TIMEOUT": "1.5"}
    with running_server([data], env=env, args=["--workers", "2", "--threads", "4"]) as base:
        yield base


def get(base: str, query: str, timeout: float = 10) -> tuple[int, dict[str, object]]:
    url = f"{base}/sparql?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.mark.slow
def test_a_runaway_query_gets_503_while_others_are_answered(server: str) -> None:
    outcome: dict[str, object] = {}

    def runaway() -> None:
        started = time.monotonic()
        outcome["status"], outcome["body"] = get(server, PATHOLOGICAL, timeout=30)
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.2)
    answered = 0
    while thread.is_alive():
        started = time.monotonic()
        status, _ = get(server, ORDINARY)
        assert status == 200
        assert time.monotonic() - started < 1.5, "ordinary queries are answered while the runaway runs"
        answered += 1
        time.sleep(0.05)
    thread.join()
    assert answered >= 3
    assert outcome["status"] == 503
    message = outcome["body"]["error"]["message"]  # type: ignore[index]
    assert "1.5 s limit" in message and "TFKG_QUERY_TIMEOUT" in message
    assert float(outcome["seconds"]) < 5  # type: ignore[arg-type]
    for _ in range(20):  # the worker that ran it is replaced; service continues
        assert get(server, ORDINARY)[0] == 200


@pytest.mark.slow
def test_sparqlwrapper_runs_select_ask_construct_and_describe(server: str) -> None:
    client = SPARQLWrapper(f"{server}/sparql")
    client.setReturnFormat(JSON)
    client.setQuery(ORDINARY)
    rows = client.queryAndConvert()["results"]["bindings"]  # type: ignore[index]
    assert len(rows) == 60
    client.setQuery("ASK { <https://example.org/s7> ?p 7 }")
    assert client.queryAndConvert()["boolean"] is True  # type: ignore[index]
    client.setReturnFormat(TURTLE)
    client.setQuery(
        "CONSTRUCT { ?s <https://example.org/q> ?o } WHERE { ?s <https://example.org/p> ?o } LIMIT 5"
    )
    graph = client.queryAndConvert()
    assert b"<https://example.org/q>" in graph  # type: ignore[operator]
    client.setQuery("DESCRIBE <https://example.org/s7>")
    assert b"<https://example.org/s7>" in client.queryAndConvert()  # type: ignore[operator]
    client.setMethod("POST")
    client.setReturnFormat(JSON)
    client.setQuery(ORDINARY)
    assert len(client.queryAndConvert()["results"]["bindings"]) == 60  # type: ignore[index]


def test_the_test_data_is_small() -> None:
    assert Path(__file__).stat().st_size < 10_000


def _post_chunked(base: str, chunks: list[bytes]) -> tuple[int, bytes]:
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        headers = {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"}
        connection.request("POST", "/sparql", body=iter(chunks), headers=headers, encode_chunked=True)
        reply = connection.getresponse()
        return reply.status, reply.read()
    finally:
        connection.close()


@pytest.mark.slow
def test_a_chunked_body_over_the_limit_gets_413_not_a_cut_query(server: str) -> None:
    status, body = _post_chunked(server, [b"ASK { ?s ?p 7 }"])
    assert status == 200 and json.loads(body)["boolean"] is True
    comment = b"#" * 100_000 + b"\n"
    status, body = _post_chunked(server, [comment] * 11 + [b"ASK {}"])  # 1.1 MB > TFKG_MAX_BODY
    assert status == 413, body[:300]
    assert "TFKG_MAX_BODY" in json.loads(body)["error"]["message"]


@pytest.mark.slow
def test_results_come_gzipped_through_the_server_when_asked(server: str) -> None:
    url = f"{server}/sparql?" + urllib.parse.urlencode({"query": "SELECT ?s ?o WHERE { ?s ?p ?o }"})
    request = urllib.request.Request(
        url, headers={"Accept": "application/sparql-results+json", "Accept-Encoding": "gzip"}
    )
    with urllib.request.urlopen(request, timeout=10) as reply:
        assert reply.headers["Content-Encoding"] == "gzip"
        body = reply.read()
    assert int(reply.headers["Content-Length"]) == len(body)
    assert len(json.loads(gzip.decompress(body))["results"]["bindings"]) == 3000
