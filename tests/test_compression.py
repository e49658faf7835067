"""gzip for clients that accept it: textual bodies of some size are compressed, the rest are
not, and revalidation still works with the weak ETag of a compressed answer."""

from __future__ import annotations

import gzip
from dataclasses import replace
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tfkg.config import Settings
from tfkg.web import create_app
from tfkg.web.compression import accepts_gzip

GZIP = {"Accept-Encoding": "gzip"}
UNION = "/store?default"


@pytest.fixture(scope="module")
def client(settings: Settings, built_dataset: Path, tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    configured = replace(settings, dataset=str(built_dataset), build_dir=tmp_path_factory.mktemp("gz-build"))
    return create_app(configured).test_client()


@pytest.mark.parametrize(
    ("header", "accepted"),
    [
        ("gzip", True),
        ("gzip, deflate, br", True),
        ("*", True),
        ("br;q=1, gzip;q=0.5", True),
        ("", False),
        ("identity", False),
        ("br, deflate", False),
        ("gzip;q=0", False),
        ("*;q=0", False),
        ("gzip;q=0, *", False),
    ],
)
def test_accept_encoding_is_read_with_its_q_values(header: str, accepted: bool) -> None:
    assert accepts_gzip(header) is accepted


def test_a_large_textual_answer_is_gzipped_and_unchanged_inside(client: FlaskClient) -> None:
    plain = client.get(UNION)
    packed = client.get(UNION, headers=GZIP)
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert int(packed.headers["Content-Length"]) == len(packed.data) < len(plain.data) / 4
    assert gzip.decompress(packed.data) == plain.data
    assert packed.headers["Vary"] == "Accept, Accept-Encoding"
    assert packed.headers["ETag"] == "W/" + plain.headers["ETag"]


def test_either_etag_revalidates(client: FlaskClient) -> None:
    tag = client.get(UNION).headers["ETag"]
    for sent in (tag, "W/" + tag):
        again = client.get(UNION, headers={**GZIP, "If-None-Match": sent})
        assert again.status_code == 304 and not again.data
        assert again.headers["ETag"] == "W/" + tag and "Accept-Encoding" in again.headers["Vary"]
    assert client.get(UNION, headers={"If-None-Match": "W/" + tag}).status_code == 304


def test_sparql_results_pages_and_scripts_are_gzipped(client: FlaskClient) -> None:
    query = "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } LIMIT 500"
    for path, options in [
        (
            "/sparql",
            {
                "query_string": {"query": query},
                "headers": {**GZIP, "Accept": "application/sparql-results+json"},
            },
        ),
        ("/doc/jurisdiction/DEU", {"headers": {**GZIP, "Accept": "text/html"}}),
        ("/assets/vendor/yasgui.min.js", {"headers": GZIP}),
    ]:
        reply = client.get(path, **options)  # type: ignore[arg-type]
        assert reply.status_code == 200, path
        assert reply.headers.get("Content-Encoding") == "gzip", path


def test_small_encoded_and_head_answers_are_left_alone(client: FlaskClient) -> None:
    ask = client.get("/sparql", query_string={"query": "ASK {}"}, headers=GZIP)
    assert ask.status_code == 200 and "Content-Encoding" not in ask.headers
    download = client.get("/downloads/tfkg.nq.gz", headers=GZIP)
    assert download.status_code == 200 and "Content-Encoding" not in download.headers
    assert gzip.decompress(download.data)  # gzipped once, by the export, not twice
    head = client.head(UNION, headers=GZIP)
    assert head.status_code == 200 and "Content-Encoding" not in head.headers


def test_a_gzipped_script_revalidates(client: FlaskClient) -> None:
    first = client.get("/assets/vendor/yasgui.min.js", headers=GZIP)
    again = client.get(
        "/assets/vendor/yasgui.min.js", headers={**GZIP, "If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304
