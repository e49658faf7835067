"""The 34 W3C SPARQL 1.1 Protocol tests, against a real `tfkg serve` over HTTP.

Query requests go to /sparql. Update requests go to /update, the endpoint tfkg opens only
with TFKG_UPDATE_TOKEN set (the manifest allows separate query and update endpoints); the
harness sends the token. Before each test the dataset is reset through /update: graphs
data1..data3 from the suite's files, and an empty data0.
"""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Graph, Namespace
from rdflib.collection import Collection
from rdflib.namespace import RDF

from .w3c.server import running_server

HT = Namespace("http://www.w3.org/2011/http#")
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
DATA = "http://kasei.us/2009/09/sparql/data/"
TOKEN = "protocol-tests"  # noqa: S105 - a test server's throwaway update token
UPDATE_MARKERS = ("update", "using-graph-uri", "using-named-graph-uri")


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: set[str]
    expected_format: str | None
    expected_boolean: bool | None


def protocol_dir(shared: Path) -> Path:
    return shared / "w3c-sparql11" / "protocol"


def load_tests(folder: Path) -> list[tuple[str, list[Request]]]:
    manifest = Graph().parse(
        folder / "manifest.ttl",
        publicID="http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest",
    )
    root = next(manifest.subjects(RDF.type, MF.Manifest))
    tests = []
    for test in Collection(manifest, manifest.value(root, MF.entries)):
        name = str(test).rsplit("#", 1)[-1]
        action = manifest.value(test, MF.action)
        requests = []
        for node in Collection(manifest, manifest.value(action, HT.requests)):
            headers = {}
            header_list = manifest.value(node, HT.headers)
            if header_list is not None:
                for header in Collection(manifest, header_list):
                    headers[str(manifest.value(header, HT.fieldName))] = str(
                        manifest.value(header, HT.fieldValue)
                    )
            body_node = manifest.value(node, HT.body)
            body = None
            if body_node is not None:
                encoding = str(manifest.value(body_node, CNT.characterEncoding) or "UTF-8")
                body = str(manifest.value(body_node, CNT.chars)).encode(encoding)
            response = manifest.value(node, HT.resp)
            expected_boolean = manifest.value(response, MF.expectedBoolean)
            requests.append(
                Request(
                    method=str(manifest.value(node, HT.methodName)),
                    path=str(manifest.value(node, HT.absolutePath)),
                    headers=headers,
                    body=body,
                    statuses={
                        str(s).rsplit("StatusCode", 1)[-1]
                        for s in manifest.objects(response, MF.expectedStatus)
                    },
                    expected_format=str(manifest.value(response, MF.expectedFormat) or "") or None,
                    expected_boolean=None if expected_boolean is None else expected_boolean.toPython(),
                )
            )
        tests.append((name, requests))
    return tests


def is_update(request: Request) -> bool:
    text = (request.path + " " + (request.body or b"")[:20].decode("latin-1")).lower()
    content_type = request.headers.get("content-type", "")
    return (
        "sparql-update" in content_type
        or any(f"{m}=" in request.path.lower() for m in UPDATE_MARKERS)
        or (request.body is not None and request.body.lower().startswith(b"update="))
        or (request.method == "GET" and "update=" in text)
        or (
            request.body is not None
            and b"INSERT" in request.body.upper()
            and "sparql-query" not in content_type
        )
    )


def send(base: str, request: Request) -> tuple[int, str, bytes]:
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    path = request.path.replace("/sparql/", "/sparql", 1)
    headers = dict(request.headers)
    if is_update(request) and request.method == "POST":
        path = path.replace("/sparql", "/update", 1)
        headers["Authorization"] = f"Bearer {TOKEN}"
    try:
        connection.request(request.method, path, body=request.body, headers=headers)
        reply = connection.getresponse()
        return reply.status, reply.getheader("Content-Type") or "", reply.read()
    finally:
        connection.close()


def reset(base: str, folder: Path) -> None:
    inserts = []
    for n in (1, 2, 3):
        triples = (folder / f"data{n}.nt").read_text(encoding="utf-8")
        inserts.append(f"INSERT DATA {{ GRAPH <{DATA}data{n}.rdf> {{ {triples} }} }}")
    update = f"CLEAR ALL ; CREATE SILENT GRAPH <{DATA}data0.rdf> ; " + " ; ".join(inserts)
    status, _, body = send(
        base,
        Request(
            "POST",
            "/update",
            {"content-type": "application/sparql-update"},
            update.encode(),
            set(),
            None,
            None,
        ),
    )
    assert status == 204, body


FORMATS = {
    "boolean": ("sparql-results+json", "sparql-results+xml"),
    "tabular": ("sparql-results+json", "sparql-results+xml", "text/csv", "text/tab-separated-values"),
    "RDF": ("text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"),
}


def parse_boolean(content_type: str, body: bytes) -> bool:
    if "json" in content_type:
        return bool(json.loads(body)["boolean"])
    return b"<boolean>true</boolean>" in body


@pytest.fixture(scope="module")
def server(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    seed = tmp_path_factory.mktemp("protocol") / "seed.nq"
    seed.write_text(f'<{DATA}data0.rdf> <{DATA}seed> "seed" <{DATA}seed> .\n', encoding="utf-8")
    with running_server([seed], env={"TFKG_UPDATE_TOKEN": TOKEN}, args=["--workers", "1"]) as base:
        yield base


def test_the_manifest_has_34_tests(shared: Path) -> None:
    assert len(load_tests(protocol_dir(shared))) == 34


def _names() -> list[str]:
    from .conftest import ROOT

    folder = ROOT.parent / "shared" / "w3c-sparql11" / "protocol"
    return [name for name, _ in load_tests(folder)] if folder.is_dir() else ["(suite absent)"]


@pytest.mark.slow
@pytest.mark.parametrize("name", _names())
def test_protocol(server: str, shared: Path, name: str) -> None:
    folder = protocol_dir(shared)
    requests = dict(load_tests(folder))[name]
    reset(server, folder)
    for request in requests:
        status, content_type, body = send(server, request)
        assert f"{status // 100}xx" in request.statuses, (status, body[:300])
        if status >= 300:
            continue
        if request.expected_format:
            assert any(f in content_type for f in FORMATS[request.expected_format]), content_type
        if request.expected_boolean is not None:
            assert parse_boolean(content_type, body) is request.expected_boolean, body[:300]
