"""The web front as it stands: status page, ontology documentation, health; and a real server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tfkg.config import Settings
from tfkg.web import create_app

from .conftest import FIXTURES, ROOT


@pytest.fixture(scope="module")
def client(settings: Settings):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    return create_app(replace(settings, dataset=str(FIXTURES / "small.trig"))).test_client()


def test_home_lists_the_vocabularies(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "tfkg" in text and "crime areas" in text.lower()


def test_ontology_page_is_served(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/ontology")
    assert page.status_code == 200
    assert "TreatyAction" in page.get_data(as_text=True)


def test_health(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/health").get_json()["status"] == "ok"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.slow
def test_tfkg_serve_runs_granian_on_loopback(settings: Settings) -> None:
    port = _free_port()
    data = FIXTURES / "small.trig"
    command = [sys.executable, "-m", "tfkg.cli", "--root", str(ROOT), "serve", str(data), "--port", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as reply:
                    assert reply.status == 200
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=10)
    assert f"http://127.0.0.1:{port}/" in output
    assert "granian" in output.lower()


def test_serve_without_data_says_what_to_do(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "tfkg.cli", "--root", str(ROOT), "serve"]
    result = subprocess.run(
        command,
        env={**os.environ, "TFKG_BUILD_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "run `tfkg build` first" in result.stderr and "Traceback" not in result.stderr
