"""Slow clients against nginx in front of tfkg (deploy/nginx.conf), the documented answer to
Granian's missing body-read timeout: 10 clients trickling request bodies delay no cheap query."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ..conftest import ROOT
from ..w3c.server import free_port, running_server, wait_until_healthy
from . import attack

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


@pytest.fixture(scope="module")
def proxied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if NGINX is None:
        pytest.skip("nginx is not installed (Debian: nginx; .ci/run installs it)")
    folder = tmp_path_factory.mktemp("nginx")
    data = folder / "data.nq"
    data.write_text("<urn:x:s> <urn:x:p> <urn:x:o> <urn:x:g> .\n", encoding="utf-8")
    with running_server([data]) as upstream:
        port = free_port()
        config = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
        config = config.replace("@PREFIX@", str(folder)).replace("@LISTEN@", f"127.0.0.1:{port}")
        config = config.replace("@UPSTREAM@", upstream.removeprefix("http://"))
        (folder / "nginx.conf").write_text(config, encoding="utf-8")
        process = subprocess.Popen(
            [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_healthy(
                base, process, "nginx", lambda: process.stderr.read().decode() if process.stderr else "", 20
            )
            yield base
        finally:
            process.terminate()
            process.communicate(timeout=10)


def test_slow_bodies_delay_no_cheap_query_behind_nginx(proxied: str) -> None:
    sockets = attack.slow_bodies(proxied, clients=10, seconds=6)
    try:
        time.sleep(1)
        latencies, failed = attack.cheap_latencies(proxied, seconds=3)
        assert failed == 0, attack.FAILED_CHEAP[-3:]
        assert max(latencies) < 1.0, max(latencies)
    finally:
        for sock in sockets:
            sock.close()


def test_security_guards_hold_through_nginx(proxied: str) -> None:
    status, body = attack.request(proxied, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    assert status == 403 and b"SERVICE is refused" in body
