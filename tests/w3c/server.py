"""A real `tfkg serve` (granian) on a free loopback port, for tests that speak HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_healthy(
    base: str, process: subprocess.Popen[bytes], name: str, output: Callable[[], str], seconds: float = 60
) -> None:
    """Wait until ``base``/health answers 200; fail with ``output()`` if ``process`` exits."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(base + "/health", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited:\n{output()}") from None
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@contextmanager
def running_server(
    paths: Sequence[Path] = (), env: dict[str, str] | None = None, args: Sequence[str] = ()
) -> Iterator[str]:
    """Start `tfkg serve` and yield its base URL; stop it afterwards."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "tfkg.cli",
        "--root",
        str(ROOT),
        "serve",
        *map(str, paths),
        "--port",
        str(port),
        *args,
    ]
    # The server's log goes to a file: an unread pipe would fill up and stall the server.
    log = tempfile.NamedTemporaryFile(prefix="tfkg-serve-", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen(
        command, env={**os.environ, **(env or {})}, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"

    def output() -> str:
        log.flush()
        return Path(log.name).read_text(encoding="utf-8", errors="replace")

    try:
        wait_until_healthy(base, process, "tfkg serve", output)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        Path(log.name).unlink(missing_ok=True)
