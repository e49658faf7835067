"""Servers the harness starts, and the guarantee that it stops every one of them.

Each server runs in its own session (process group), so that stopping it reaches its
workers too; every started server is recorded in a registry that :func:`stop_all` empties on
normal exit, on an exception, at interpreter exit and on SIGINT/SIGTERM/SIGHUP.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

_RUNNING: dict[int, ServerProcess] = {}


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def http_ok(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (our own http://127.0.0.1 server)
            response.read()
            status: int = response.status
            return 200 <= status < 300
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


@dataclass
class ServerProcess:
    """One server started by the harness: its command, log file and readiness URL."""

    name: str
    argv: Sequence[str]
    ready_url: str
    log: Path
    env: Mapping[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    ready_seconds: float | None = None

    def start(self) -> None:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("wb") as log:
            self.started_at = time.perf_counter()
            self.process = subprocess.Popen(  # noqa: S603 (a fixed argv of our own, no shell)
                list(self.argv),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, **self.env},
                start_new_session=True,
            )
        _RUNNING[self.process.pid] = self

    def wait_ready(self, timeout: float, poll: float = 0.02) -> float:
        """Seconds from start until the ready URL answers 2xx; raises if it dies or times out."""
        assert self.process is not None
        deadline = self.started_at + timeout
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}; see {self.log}")
            if http_ok(self.ready_url, timeout=max(0.2, poll * 10)):
                self.ready_seconds = time.perf_counter() - self.started_at
                return self.ready_seconds
            time.sleep(poll)
        raise TimeoutError(
            f"{self.name} did not answer {self.ready_url} within {timeout:.0f} s; see {self.log}"
        )

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def stop(self, grace: float = 10.0) -> None:
        """SIGTERM the server's process group, then SIGKILL it if it lingers."""
        process = self.process
        if process is None:
            return
        _RUNNING.pop(process.pid, None)
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=grace)
        # Workers of a master that died first may still hold the group: end them too.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        self.process = None


@contextlib.contextmanager
def running(server: ServerProcess, ready_timeout: float) -> Iterator[ServerProcess]:
    """Start a server, wait until it answers, and stop it whatever happens."""
    server.start()
    try:
        server.wait_ready(ready_timeout)
        yield server
    finally:
        server.stop()


def stop_all() -> None:
    for server in list(_RUNNING.values()):
        server.stop(grace=5.0)


def _on_signal(signum: int, _frame: FrameType | None) -> None:
    stop_all()
    raise SystemExit(128 + signum)


def install_cleanup() -> None:
    """Stop every started server at exit and on SIGINT, SIGTERM and SIGHUP."""
    atexit.register(stop_all)
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _on_signal)


# --- memory of a running server, from /proc -------------------------------------------------


def children(pid: int) -> list[int]:
    """Direct children of a process, by scanning /proc (works without CONFIG_PROC_CHILDREN)."""
    found: list[int] = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name may hold spaces and parentheses: fields resume after the last ')'.
        fields = stat[stat.rfind(")") + 2 :].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


def tree_cpu(pid: int) -> float:
    """CPU seconds used by a live process and all its descendants (and their reaped children)."""
    total = 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            stat = Path(f"/proc/{current}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        total += sum(int(v) for v in fields[11:15]) / ticks  # utime, stime, cutime, cstime
        pending += children(current)
    return total


def wait_idle(pid: int, timeout: float, quiet: float = 0.5, busy_below: float = 0.05) -> float:
    """Wait until every worker of a server has gone quiet (done loading): seconds waited.

    A worker counts as quiet when it used less than `busy_below` CPU seconds in `quiet` seconds.
    """
    started = time.perf_counter()
    ticks = os.sysconf("SC_CLK_TCK")

    def cpu(child: int) -> float:
        try:
            stat = Path(f"/proc/{child}/stat").read_text()
        except OSError:
            return 0.0
        fields = stat[stat.rfind(")") + 2 :].split()
        return (int(fields[11]) + int(fields[12])) / ticks

    while time.perf_counter() - started < timeout:
        pids = workers(pid) or [pid]
        before = {p: cpu(p) for p in pids}
        time.sleep(quiet)
        if all(cpu(p) - before[p] < busy_below for p in pids):
            return time.perf_counter() - started
    raise TimeoutError(f"the workers of {pid} were still busy after {timeout:.0f} s")


def workers(pid: int) -> list[int]:
    """Children of a server that serve requests (not multiprocessing's resource tracker)."""
    found = []
    for child in children(pid):
        try:
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"resource_tracker" not in cmdline:
            found.append(child)
    return found


def memory(pid: int) -> dict[str, float]:
    """RSS, peak RSS (VmHWM) and PSS of a process, in MiB."""
    out: dict[str, float] = {}
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out["rss_mib" if key == "VmRSS" else "peak_rss_mib"] = int(value.split()[0]) / 1024
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                out["pss_mib"] = int(line.split()[1]) / 1024
    return out
