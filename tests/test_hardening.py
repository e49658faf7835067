"""The smaller defects issue 13's audit found, each with the test that failed before its fix."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tfkg.config import Settings, load_settings
from tfkg.errors import TfkgError
from tfkg.store import EmbeddedStore
from tfkg.web import check_against_stats, create_app

from .conftest import FIXTURES, ROOT

SMALL = FIXTURES / "small.trig"
TOKEN = "s3cret"  # noqa: S105 - a test's throwaway token


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    settings = load_settings(
        {
            "root": ROOT,
            "dataset": str(SMALL),
            "build_dir": tmp_path_factory.mktemp("build"),
            "base_url": "https://tfkg.example.org",
            "update_token": TOKEN,
        },
        environ={},
    )
    return create_app(settings).test_client()


@pytest.mark.parametrize(
    "path", ["/doc/a%20b", "/doc/a%00b", "/doc/a%3Eb", "/doc/a%22b", "/doc/a%7Cb", "/id/a%3Cb"]
)
def test_a_page_path_that_is_no_iri_is_404(client: FlaskClient, path: str) -> None:
    assert client.get(path, headers={"Accept": "text/turtle"}).status_code == 404


def test_q_values_are_weighed_across_every_format(client: FlaskClient) -> None:
    reply = client.get(
        "/sparql",
        query_string={"query": "ASK {}"},
        headers={"Accept": "application/sparql-results+json, text/html;q=0.5"},
    )
    assert reply.status_code == 200 and reply.mimetype == "application/sparql-results+json"
    browser = client.get(
        "/sparql", query_string={"query": "ASK {}"}, headers={"Accept": "text/html,*/*;q=0.8"}
    )
    assert browser.mimetype == "text/html"


@pytest.mark.parametrize(
    "path", ["/", "/sparql?query=ASK%7B%7D", "/doc/nothing-here", "/sparql?query=SERVICE"]
)
def test_security_headers_on_every_answer(client: FlaskClient, path: str) -> None:
    headers = client.get(path).headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "Referrer-Policy" in headers


def test_the_host_header_never_reaches_the_downloads(client: FlaskClient) -> None:
    threads_done: list[int] = []

    def fetch() -> None:  # concurrent first requests used to share one .partial file: 500
        threads_done.append(
            client.get("/downloads/tfkg.ttl.gz", headers={"Host": "evil.example"}).status_code
        )

    threads = [threading.Thread(target=fetch) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert threads_done == [200] * 6
    for name in ("dcat.ttl", "void.ttl"):
        body = client.get(f"/downloads/{name}", headers={"Host": "evil.example"}).get_data(as_text=True)
        assert "evil.example" not in body and "https://tfkg.example.org/" in body, name


@pytest.mark.parametrize(
    ("authorization", "update", "status"),
    [
        (TOKEN, "INSERT DATA { <urn:a> <urn:b> <urn:c> }", 401),  # not a Bearer credential
        (f"Basic {TOKEN}", "INSERT DATA { <urn:a> <urn:b> <urn:c> }", 401),
        (f"Bearer {TOKEN}", "LOAD <http://127.0.0.1:9/x.ttl>", 403),
        (f"Bearer {TOKEN}", "INSERT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", 403),
        (
            f"Bearer {TOKEN}",
            "INSERT { ?s ?p ?o } WHERE { # c\rSERVICE <http://127.0.0.1:9/> { ?s ?p ?o } \n}",
            403,
        ),
        (f"bearer {TOKEN}", "INSERT DATA { <urn:a> <urn:b> <urn:c> }", 204),
    ],
)
def test_updates_need_a_bearer_token_and_never_reach_out(
    client: FlaskClient, authorization: str, update: str, status: int
) -> None:
    reply = client.post("/update", data={"update": update}, headers={"Authorization": authorization})
    assert reply.status_code == status, reply.get_data(as_text=True)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"workers": 0}, "TFKG_WORKERS"),
        ({"port": 99999}, "TFKG_PORT"),
        ({"isolation": "none"}, "TFKG_ISOLATION must be one of process, thread"),
        ({"query_timeout": -1}, "TFKG_QUERY_TIMEOUT"),
    ],
)
def test_settings_out_of_range_are_clear_errors(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        load_settings(overrides, environ={})


def test_cli_says_what_is_wrong_without_a_traceback() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tfkg.cli", "serve", "--port", "99999"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "TFKG_PORT" in done.stderr and "Traceback" not in done.stderr


def test_serve_refuses_a_port_in_use() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "tfkg.cli", "serve", str(SMALL), "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode != 0 and f"cannot serve on 127.0.0.1:{port}" in done.stderr, done.stderr


def test_serve_refuses_updates_with_several_workers() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tfkg.cli", "serve", str(SMALL), "--port", "8", "--workers", "2"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "TFKG_UPDATE_TOKEN": TOKEN},
    )
    assert done.returncode != 0 and "needs --workers 1" in done.stderr, done.stderr


def test_a_truncated_build_is_refused(tmp_path: Path) -> None:
    dataset = tmp_path / "dataset"
    dataset.mkdir()
    lines = [f"<urn:s{i}> <urn:p> <urn:o> <urn:g> .\n" for i in range(10)]
    (dataset / "tfkg.nq").write_text("".join(lines[:7]), encoding="utf-8")  # cut at a line boundary
    (dataset / "stats.json").write_text('{"triples": 10}', encoding="utf-8")
    settings: Settings = load_settings({"root": ROOT, "build_dir": tmp_path}, environ={})
    store = EmbeddedStore.from_files([dataset / "tfkg.nq"])
    with pytest.raises(TfkgError, match=r"holds 7 triples but stats\.json says the build wrote 10"):
        check_against_stats(settings, store)


def test_the_access_log_escapes_what_the_client_sent() -> None:
    import io

    from werkzeug.test import Client

    from tfkg.web.access_log import AccessLog

    def app(environ: dict[str, object], start_response: object) -> list[bytes]:
        start_response("404 NOT FOUND", [])  # type: ignore[operator]
        return [b""]

    log = io.StringIO()
    Client(AccessLog(app, stream=log)).get('/doc/a%0A[2026-12-03] 127.0.0.1 - "GET / HTTP/1.1" 200 1')
    lines = log.getvalue().splitlines()
    assert (
        len(lines) == 1
        and "/doc/a%0A%5B2026-12-03%5D%20127.0.0.1" in lines[0]
        and lines[0].endswith(lines[0].split()[-1])
    )
    assert '" 404 ' in lines[0]


def test_a_failed_write_leaves_no_staging_folder_and_the_previous_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from rdflib import Dataset

    from tfkg import build as building

    settings = load_settings({"root": ROOT, "build_dir": tmp_path}, environ={})
    final = building.dataset_folder(settings)
    final.mkdir(parents=True)
    (final / "tfkg.nq").write_text("<urn:a> <urn:b> <urn:c> <urn:g> .\n", encoding="utf-8")

    def full_disk(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(building.ox, "serialize", full_disk)
    with pytest.raises(TfkgError, match=r"No space left on device\. The previous build"):
        building.publish(settings, Dataset())
    assert not final.with_name(final.name + ".staging").exists()
    assert (final / "tfkg.nq").read_text(encoding="utf-8").startswith("<urn:a>")


def test_a_using_graph_parameter_cannot_smuggle_text_into_an_update(client: FlaskClient) -> None:
    reply = client.post(
        "/update",
        data={
            "update": "DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
            "using-graph-uri": "urn:g> } ; LOAD <http://127.0.0.1:9/x",
        },
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert reply.status_code == 400 and "is not an IRI" in reply.get_json()["error"]["message"]
