"""tfkg benchmark harness: one run measures everything and writes RESULTS.md and results.json.

    /work/main/.venv/bin/python bench/run.py           # full run, about 10-15 minutes
    /work/main/.venv/bin/python bench/run.py --quick   # smoke run, about 2 minutes

See bench/README.md for what is measured and how.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import hashlib
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from tfkgbench import inprocess, load, report, servers, synth  # noqa: E402
from tfkgbench.queries import MIX, QUERIES, Query  # noqa: E402

WORK = BENCH / ".work"
PEER_VENV = BENCH / ".venv-peer"
PEER_REQUIREMENTS = BENCH / "requirements-peer.txt"
BUILT = ROOT / "build" / "dataset" / "tfkg.nq"
# The build as it was when the run began: every measurement uses this copy, so that a rebuild
# during the run cannot give the two servers different data.
SNAPSHOT = WORK / "data" / "tfkg-build.nq"
TFKG_BIN = Path(sys.executable).parent / "tfkg"

TFKG = "tfkg"
PEER = "rdflib-endpoint"
WORKERS, THREADS = 2, 4  # tfkg's server layout (its defaults), and the peer's uvicorn workers
PEER_TIMEOUT = 30.0  # a peer query slower than this is recorded as a timeout
PEER_HEALTHCHECK = 300  # seconds uvicorn lets a (loading) peer worker miss its health check
DRAIN_BELOW = 100  # a load run expected to complete fewer requests waits for its last ones
SERVER_ENV = {"TFKG_QUERY_TIMEOUT": "120", "TFKG_MAX_ROWS": "1000000"}

Json = dict[str, Any]


@dataclass(frozen=True)
class Plan:
    """How much of everything one run does; --quick shrinks it to a smoke run."""

    quick: bool
    scales: tuple[int, ...]
    peer_scales: tuple[int, ...]
    connections: int
    latency_budget: float  # seconds of timed runs per query and scale
    latency_max_runs: int
    inproc_seconds: float  # per query (and the mix) and mode (longer for slow queries, up to inproc_cap)
    inproc_cap: float
    http_seconds: float  # per query, under load (longer for slow queries, up to http_cap)
    mix_seconds: float
    http_cap: float
    startups: int  # repeated cold starts of `tfkg serve` at real size
    loads: int  # repeated in-process loads at real size
    peer_max_startup: float  # a peer that would take longer than this to load is not started

    @classmethod
    def make(cls, quick: bool, connections: int) -> Plan:
        if quick:
            return cls(
                quick=True,
                scales=(1, 10),
                peer_scales=(1,),
                connections=connections,
                latency_budget=0.3,
                latency_max_runs=30,
                inproc_seconds=0.5,
                inproc_cap=2.0,
                http_seconds=1.5,
                mix_seconds=2.0,
                http_cap=5.0,
                startups=1,
                loads=3,
                peer_max_startup=60.0,
            )
        return cls(
            quick=False,
            scales=(1, 10, 100),
            peer_scales=(1, 10, 100),
            connections=connections,
            latency_budget=1.5,
            latency_max_runs=200,
            inproc_seconds=2.0,
            inproc_cap=10.0,
            http_seconds=4.0,
            mix_seconds=8.0,
            http_cap=15.0,
            startups=3,
            loads=5,
            peer_max_startup=240.0,  # the peer took 98-125 s at 100x in full runs
        )


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


@contextmanager
def phase(results: Json, name: str) -> Iterator[None]:
    """Time a phase, and measure how much CPU other programs on the machine took meanwhile."""
    log(f"== {name}")
    started, busy, own = time.perf_counter(), _machine_busy(), _own_cpu()
    try:
        yield
    finally:
        seconds = time.perf_counter() - started
        foreign = max(0.0, (_machine_busy() - busy) - (_own_cpu() - own))
        results["meta"]["phase_seconds"][name] = round(seconds, 1)
        results["meta"]["foreign_cpu"][name] = {
            "cpu_seconds": round(foreign, 1),
            "share_of_machine": round(foreign / (seconds * (os.cpu_count() or 1)), 3),
        }


def _machine_busy() -> float:
    """CPU seconds all programs have used since boot (every state but idle and iowait)."""
    fields = Path("/proc/stat").read_text(encoding="utf-8").splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def _own_cpu() -> float:
    """CPU seconds of this harness and of every child it has waited for (servers, wrk, workers)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


# --- environment --------------------------------------------------------------------------------


def _run(argv: Sequence[str], timeout: float = 60) -> str:
    done = subprocess.run(  # noqa: S603 (fixed tools of this machine, no shell)
        list(argv), capture_output=True, text=True, timeout=timeout, check=False
    )
    return (done.stdout + done.stderr).strip()


def ensure_peer_venv() -> Path:
    """bench/.venv-peer with rdflib-endpoint, made on first use (never tfkg's own virtualenv)."""
    python = PEER_VENV / "bin" / "python"
    stamp = PEER_VENV / ".requirements"
    wanted = PEER_REQUIREMENTS.read_text(encoding="utf-8")
    if python.exists() and stamp.exists() and stamp.read_text(encoding="utf-8") == wanted:
        return python
    log(f"creating {PEER_VENV} from {PEER_REQUIREMENTS.name}")
    base = shutil.which("python3") or sys.executable
    subprocess.run([base, "-m", "venv", "--clear", str(PEER_VENV)], check=True)  # noqa: S603
    subprocess.run(  # noqa: S603 (pip from the peer's own virtualenv)
        [str(python), "-m", "pip", "install", "--quiet", "-r", str(PEER_REQUIREMENTS)], check=True
    )
    stamp.write_text(wanted, encoding="utf-8")
    return python


def ensure_build() -> None:
    if not BUILT.exists():
        log(f"{BUILT} is missing: running `tfkg build`")
        subprocess.run([str(TFKG_BIN), "build"], check=True)  # noqa: S603


def source_digest() -> str:
    """A digest of tfkg's server code, to tie the figures to the code that produced them."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "server" / "tfkg").rglob("*.py")):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def machine(peer_python: Path) -> Json:
    cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8")
    model = next(
        (line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if "model name" in line), "?"
    )
    meminfo = Path("/proc/meminfo").read_text(encoding="utf-8")
    mem_kib = int(next(line.split()[1] for line in meminfo.splitlines() if line.startswith("MemTotal")))
    peer_versions = _run(
        [
            str(peer_python),
            "-c",
            "import importlib.metadata as m; print(' '.join(m.version(p) for p in "
            "('rdflib-endpoint', 'rdflib', 'fastapi', 'uvicorn')))",
        ]
    ).split()
    wrk = shutil.which("wrk")
    return {
        "cpu_model": model,
        "cores": os.cpu_count(),
        "ram_gib": round(mem_kib / 1024 / 1024, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "pyoxigraph": ox.__version__,
        "rdflib_tfkg_venv": rdflib.__version__,
        "flask": _dist_version("flask"),
        "granian": _dist_version("granian"),
        "peer": dict(zip(("rdflib_endpoint", "rdflib", "fastapi", "uvicorn"), peer_versions, strict=False)),
        "load_generator": load.generator_name(),
        "wrk": _run([wrk, "--version"]).split(" [")[0] if wrk else None,
    }


def _dist_version(name: str) -> str:
    import importlib.metadata

    return importlib.metadata.version(name)


# --- in-process ---------------------------------------------------------------------------------


def mode_label(mode: str, connections: int) -> str:
    return {
        "seq": "1 thread",
        "threads": f"{connections} threads, 1 process",
        "procs": f"{WORKERS} processes x {THREADS} threads",
        "engine_procs": f"tfkg SparqlEngine.run, {WORKERS} processes x {THREADS} threads",
    }[mode]


def in_process(plan: Plan, data: dict[int, synth.ScaledData], results: Json) -> None:
    segments: list[list[Query]] = [[q] for q in QUERIES] + [list(QUERIES)]
    names = [q.name for q in QUERIES] + [MIX]
    for scale in plan.scales:
        path = SNAPSHOT if scale == 1 else data[scale].nquads
        entry: Json = results["inprocess"].setdefault(str(scale), {})
        busy, own = _machine_busy(), _own_cpu()
        began = time.perf_counter()
        loads: list[float] = []
        store: Any = None
        for _ in range(plan.loads if scale == 1 else 1):
            store = None
            gc.collect()
            store, seconds = inprocess.load_store(path)
            loads.append(seconds)
        entry["load_seconds"] = loads
        entry["load_seconds_median"] = statistics.median(loads)
        entry["quads"] = len(store)
        log(f"x{scale}: loaded {len(store)} quads in {statistics.median(loads):.2f} s")
        run = inprocess.raw_runner(store)
        entry["latency"] = {}
        for query in QUERIES:
            measured = inprocess.latency(run, query, 3, 5, plan.latency_max_runs, plan.latency_budget)
            entry["latency"][query.name] = measured.as_dict()
            log(
                f"x{scale} {query.name}: {measured.rows} rows, median {measured.median_ms:.2f} ms, "
                f"p90 {measured.p90_ms:.2f} ms ({measured.runs} runs)"
            )
        # One round of a segment: each of its queries once, at its median latency.
        rounds = [sum(entry["latency"][q.name]["median_ms"] for q in segment) / 1000 for segment in segments]

        def windows(concurrency: int, rounds: list[float] = rounds) -> list[float]:
            """At least plan.inproc_seconds; long enough for about 3 rounds per thread (at most inproc_cap)."""
            queued = max(1.0, concurrency / (os.cpu_count() or 1))
            return [max(plan.inproc_seconds, min(plan.inproc_cap, 3 * r * queued)) for r in rounds]

        throughput: Json = {}
        entry["throughput_seconds"] = {}
        for mode, threads in (("seq", 1), ("threads", plan.connections)):
            spans = windows(threads)
            entry["throughput_seconds"][mode] = dict(zip(names, spans, strict=True))
            throughput[mode] = {
                name: inprocess.throughput_threads(run, segment, threads, span)
                for name, segment, span in zip(names, segments, spans, strict=True)
            }
            log(
                f"x{scale} in-process {mode_label(mode, plan.connections)}: mix {throughput[mode][MIX]:.0f} q/s"
            )
        del store, run
        gc.collect()
        # The 2 x 4 layouts ("procs", "engine_procs") are measured beside each HTTP load (http_scale).
        entry["throughput_qps"] = throughput
        foreign = (_machine_busy() - busy) - (_own_cpu() - own)
        entry["foreign_cpu_share"] = round(
            max(0.0, foreign) / ((time.perf_counter() - began) * (os.cpu_count() or 1)), 3
        )


def cold_load_seconds() -> float:
    """Import tfkg's store and load the built dataset in a fresh interpreter (what a worker does)."""
    code = (
        "import time; t = time.perf_counter(); from pathlib import Path; "
        "from tfkg.store import EmbeddedStore; "
        f"s = EmbeddedStore.from_files([Path({str(SNAPSHOT)!r})]); print(time.perf_counter() - t)"
    )
    return float(_run([sys.executable, "-c", code]).splitlines()[-1])


# --- servers ------------------------------------------------------------------------------------


def tfkg_server(path: Path, port: int, tag: str) -> servers.ServerProcess:
    argv = [str(TFKG_BIN), "serve", str(path), "--port", str(port), "--workers", str(WORKERS)]
    argv += ["--threads", str(THREADS)]
    return servers.ServerProcess(
        f"tfkg-{tag}", argv, f"http://127.0.0.1:{port}/health", WORK / "logs" / f"tfkg-{tag}.log", SERVER_ENV
    )


def peer_server(peer_python: Path, path: Path, port: int, tag: str) -> servers.ServerProcess:
    uvicorn = peer_python.parent / "uvicorn"
    argv = [str(uvicorn), "peer_app:create_app", "--factory", "--app-dir", str(BENCH)]
    argv += ["--host", "127.0.0.1", "--port", str(port), "--workers", str(WORKERS)]
    # uvicorn's supervisor restarts a worker that has not answered its health check within 5 s
    # (the default); a worker parsing a large graph holds the GIL far longer, so at 100x it was
    # killed and restarted over and over. Allow it as long as the harness waits for start-up.
    argv += ["--timeout-worker-healthcheck", str(PEER_HEALTHCHECK)]
    return servers.ServerProcess(
        f"peer-{tag}",
        argv,
        f"http://127.0.0.1:{port}/?query=ASK%7B%7D",
        WORK / "logs" / f"peer-{tag}.log",
        {"TFKG_BENCH_PEER_DATA": str(path)},
    )


def wait_for_log(server: servers.ServerProcess, marker: str, count: int, timeout: float) -> None:
    """Wait until the server's log shows `marker` `count` times (each uvicorn worker's start-up)."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if server.log.read_text(encoding="utf-8", errors="replace").count(marker) >= count:
            return
        time.sleep(0.1)
    raise TimeoutError(f"{server.name}: {count} x {marker!r} not seen in {server.log}")


def check_answers(target: load.Target, timeout: float, expected: dict[str, int] | None) -> Json:
    """Send each query once: status, rows, time; the rows must match the in-process engine's."""
    answers: Json = {}
    for query in QUERIES:
        answer = load.fetch(target, query, timeout)
        answers[query.name] = {
            "status": answer.status,
            "rows": answer.rows,
            "ms": round(answer.seconds * 1000, 2),
            "truncated": answer.truncated,
            "error": answer.error,
            "rows_match": None if expected is None else answer.rows == expected.get(query.name),
        }
        log(
            f"  {target.name} {query.name}: status {answer.status}, {answer.rows} rows, "
            f"{answer.seconds * 1000:.1f} ms" + (f" ({answer.error})" if answer.error else "")
        )
    return answers


def load_seconds(plan: Plan, base: float, single: float) -> float:
    """Run long enough that each client completes a few requests even when every one queues.

    With `connections` clients and WORKERS busy workers, a request of `single` seconds alone
    waits about connections / WORKERS times as long under load; three such rounds, at least
    `base` seconds, at most plan.http_cap seconds.
    """
    return max(base, min(plan.http_cap, 3 * single * plan.connections / WORKERS))


@dataclass
class Endpoint:
    """A running server under test, what it answered alone, and its load results."""

    target: load.Target
    server: servers.ServerProcess
    answers: Json
    out: Json

    def usable(self, queries: list[Query]) -> bool:
        return all(self.answers[q.name]["status"] == 200 for q in queries)

    def single(self, queries: list[Query]) -> float:
        seconds: float = statistics.mean(self.answers[q.name]["ms"] / 1000 for q in queries)
        return seconds


def _port(server: servers.ServerProcess) -> int:
    port = urllib.parse.urlsplit(server.ready_url).port
    assert port is not None
    return port


def one_load(plan: Plan, endpoint: Endpoint, name: str, queries: list[Query], probe: Query) -> None:
    """One bounded load of `queries` on an endpoint, then wait until it has served what is queued."""
    base = plan.mix_seconds if len(queries) > 1 else plan.http_seconds
    single = endpoint.single(queries)
    seconds = load_seconds(plan, base, single)
    # Few, slow requests: let the last ones finish and count them (see load.run_load).
    drain = seconds * WORKERS / max(single, 1e-6) < DRAIN_BELOW
    # A request counts as timed out only past this: the slowest single query, queued behind all.
    timeout = max(120.0, PEER_TIMEOUT * plan.connections / WORKERS)
    pid = endpoint.server.pid
    busy, own = _machine_busy(), _own_cpu() + servers.tree_cpu(pid)
    result = load.run_load(endpoint.target, queries, plan.connections, seconds, timeout, WORK / "wrk", drain)
    foreign = (_machine_busy() - busy) - (_own_cpu() + servers.tree_cpu(pid) - own)
    waited = load.settle(endpoint.target, probe, plan.connections, timeout * plan.connections)
    endpoint.out[name] = {
        **result.as_dict(),
        "window_seconds": seconds,
        "settle_seconds": round(waited, 2),
        "foreign_cpu_share": round(max(0.0, foreign) / (result.seconds * (os.cpu_count() or 1)), 3),
    }
    log(
        f"  {endpoint.target.name} {name}: {result.rps:.1f} req/s, p50 {_ms(result.p50_ms)}, "
        f"p90 {_ms(result.p90_ms)}, p99 {_ms(result.p99_ms)}"
        + (f", errors {result.errors}" if result.errors else "")
    )


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f} ms"


def expected_rows(results: Json, scale: int) -> dict[str, int] | None:
    entry = results["inprocess"].get(str(scale))
    return None if entry is None else {name: v["rows"] for name, v in entry["latency"].items()}


def server_memory(server: servers.ServerProcess) -> Json:
    return {
        "master": servers.memory(server.pid),
        "workers": [{"pid": pid, **servers.memory(pid)} for pid in servers.workers(server.pid)],
    }


def start_tfkg(plan: Plan, scale: int, path: Path, results: Json) -> servers.ServerProcess:
    """Start `tfkg serve` and wait until both workers have loaded. At real size it is started
    plan.startups times to time the start-up; the last one is returned, running."""
    attempts = plan.startups if scale == 1 else 1
    startups: list[float] = []
    for attempt in range(attempts):
        server = tfkg_server(path, servers.free_port(), f"x{scale}-{attempt}")
        server.start()
        try:
            startups.append(server.wait_ready(600))
            log(f"tfkg serve (x{scale}) answered /health after {startups[-1]:.2f} s")
            if attempt < attempts - 1:
                server.stop()
                continue
            servers.wait_idle(server.pid, 600)  # both workers load at once; let the second finish too
        except BaseException:
            server.stop()
            raise
    entry: Json = results["http"].setdefault(TFKG, {}).setdefault(str(scale), {})
    entry["startup_seconds"] = startups[-1]
    entry["workers_quiet_after_seconds"] = time.perf_counter() - server.started_at
    entry["memory_at_start"] = server_memory(server)
    if scale == 1:
        results["startup"]["tfkg_serve_seconds"] = startups
        results["startup"]["tfkg_serve_median"] = statistics.median(startups)
    return server


def start_peer(
    plan: Plan, peer_python: Path, scale: int, data: synth.ScaledData, results: Json
) -> servers.ServerProcess | None:
    """Start rdflib-endpoint unless its start-up, projected from the previous scale, is too long."""
    section: Json = results["http"].setdefault(PEER, {})
    entry: Json = section.setdefault(str(scale), {})
    done = [(int(k), v["startup_seconds"]) for k, v in section.items() if "startup_seconds" in v]
    if done:
        last_scale, last_startup = max(done)
        projected = last_startup * scale / last_scale
        if projected > plan.peer_max_startup:
            entry["skipped"] = (
                f"projected start-up {projected:.0f} s ({scale // last_scale} x the x{last_scale} "
                f"start-up) is over this run's {plan.peer_max_startup:.0f} s allowance"
            )
            log(f"{PEER} x{scale}: skipped, {entry['skipped']}")
            return None
    server = peer_server(peer_python, data.ntriples, servers.free_port(), f"x{scale}")
    server.start()
    try:
        server.wait_ready(max(120.0, plan.peer_max_startup * 2))
        wait_for_log(server, "Application startup complete", WORKERS, plan.peer_max_startup * 2)
    except TimeoutError:
        server.stop()
        entry["skipped"] = (
            f"it did not have {WORKERS} workers ready within {plan.peer_max_startup * 2:.0f} s "
            f"(its log: bench/.work/logs/{server.log.name})"
        )
        log(f"{PEER} x{scale}: {entry['skipped']}")
        return None
    except BaseException:
        server.stop()
        raise
    entry["startup_seconds"] = time.perf_counter() - server.started_at
    log(f"{PEER} (x{scale}) has {WORKERS} workers ready after {entry['startup_seconds']:.1f} s")
    return server


def http_scale(
    plan: Plan, peer_python: Path | None, scale: int, path: Path, data: synth.ScaledData, results: Json
) -> None:
    """Both servers at one scale, loaded query by query in turn, each tfkg load followed by the
    same work in-process (2 processes x 4 threads: pyoxigraph alone and, at real size, tfkg's
    SparqlEngine.run) and then by the same load on rdflib-endpoint. Measurements that are
    compared are adjacent in time, so that other programs on the machine skew the ratios least."""
    probe = next(q for q in QUERIES if q.graph)  # the cheapest query, to see that a server is idle
    inproc: Json = results["inprocess"].setdefault(str(scale), {})
    throughput = inproc.setdefault("throughput_qps", {})
    spans = inproc.setdefault("throughput_seconds", {})
    modes = [("procs", "raw")] + ([("engine_procs", "engine")] if scale == 1 else [])
    with contextlib.ExitStack() as stack:
        tfkg = start_tfkg(plan, scale, path, results)
        stack.callback(tfkg.stop)
        entry: Json = results["http"][TFKG][str(scale)]
        target = load.Target(TFKG, _port(tfkg), "/sparql")
        entry["answers"] = check_answers(target, 120, expected_rows(results, scale))
        ours = Endpoint(target, tfkg, entry["answers"], entry.setdefault("load", {}))
        theirs: Endpoint | None = None
        peer = (
            None
            if peer_python is None or scale not in plan.peer_scales
            else (start_peer(plan, peer_python, scale, data, results))
        )
        if peer is not None:
            stack.callback(peer.stop)
            peer_entry: Json = results["http"][PEER][str(scale)]
            peer_target = load.Target(PEER, _port(peer), "/")
            # The first pass parses each query (rdflib caches the parse) and checks the rows.
            reference = {k: v["rows"] for k, v in entry["answers"].items()}
            peer_entry["answers"] = check_answers(peer_target, PEER_TIMEOUT, reference)
            peer_entry["timeouts"] = [
                q.name for q in QUERIES if peer_entry["answers"][q.name]["status"] != 200
            ]
            theirs = Endpoint(peer_target, peer, peer_entry["answers"], peer_entry.setdefault("load", {}))
            load.settle(peer_target, probe, plan.connections, PEER_TIMEOUT * plan.connections)
        started = time.perf_counter()
        pools = {
            mode: stack.enter_context(inprocess.EnginePool(path, how, WORKERS, THREADS))
            for mode, how in modes
        }
        log(
            f"  engine processes ({', '.join(pools)}) loaded x{scale} in {time.perf_counter() - started:.1f} s"
        )
        load.run_load(target, list(QUERIES), plan.connections, 1.0, 120, WORK / "wrk")  # warm-up
        load.settle(target, probe, plan.connections, 120)
        for name, queries in [(q.name, [q]) for q in QUERIES] + [(MIX, list(QUERIES))]:
            one_load(plan, ours, name, queries, probe)
            for mode, pool in pools.items():
                seconds = ours.out[name]["window_seconds"]
                rate = throughput.setdefault(mode, {})[name] = pool.run(queries, seconds)
                spans.setdefault(mode, {})[name] = seconds
                log(f"  in-process {mode_label(mode, plan.connections)} {name}: {rate:.1f} q/s")
            if theirs is not None and theirs.usable(queries):
                one_load(plan, theirs, name, queries, probe)
        entry["memory"] = server_memory(tfkg)  # after the load: both workers have served every query
        if peer is not None:
            results["http"][PEER][str(scale)]["memory"] = server_memory(peer)


# --- ratios and targets -------------------------------------------------------------------------


def _rps(results: Json, server: str, scale: int, name: str) -> float | None:
    value = results["http"].get(server, {}).get(str(scale), {}).get("load", {}).get(name)
    return None if value is None or not value["requests"] else float(value["rps"])


def ratios(plan: Plan, results: Json) -> Json:
    names = [q.name for q in QUERIES] + [MIX]
    out: Json = {"tfkg_over_peer": {}, "tfkg_over_peer_at_least": {}, "http_over_inprocess": {}}
    for scale in plan.scales:
        per: Json = {}
        at_least: Json = {}
        for name in names:
            ours, theirs = _rps(results, TFKG, scale, name), _rps(results, PEER, scale, name)
            per[name] = None if ours is None or theirs is None else ours / theirs
            # A peer run that completed no request at all: it did less than 1 per run time.
            empty = results["http"].get(PEER, {}).get(str(scale), {}).get("load", {}).get(name)
            if ours is not None and empty is not None and not empty["requests"]:
                at_least[name] = ours * empty["seconds"]
        out["tfkg_over_peer"][str(scale)] = per
        out["tfkg_over_peer_at_least"][str(scale)] = at_least
        inproc = results["inprocess"].get(str(scale), {}).get("throughput_qps", {})
        by_mode: Json = {}
        for mode, rates in inproc.items():
            by_mode[mode] = {
                name: (None if (ours := _rps(results, TFKG, scale, name)) is None else ours / rates[name])
                for name in names
            }
        out["http_over_inprocess"][str(scale)] = by_mode
    return out


def _below(per_query: Json, goal: float, fmt: Callable[[float], str]) -> str:
    measured = {k: v for k, v in per_query.items() if k != MIX and v is not None}
    below = [f"{k} {fmt(v)}" for k, v in measured.items() if v < goal]
    missing = [k for k, v in per_query.items() if k != MIX and v is None]
    text = f"per query: {len(measured) - len(below)} of {len(measured)} meet it"
    text += f"; below: {', '.join(below)}" if below else ""
    return text + (f"; not measured: {', '.join(missing)}" if missing else "")


def targets(results: Json) -> list[Json]:
    r = results["ratios"]
    bounds = r.get("tfkg_over_peer_at_least", {}).get("1", {})
    peer_real = {
        k: v if v is not None else bounds.get(k) for k, v in r["tfkg_over_peer"].get("1", {}).items()
    }
    http_real = r["http_over_inprocess"].get("1", {}).get("procs", {})
    workers = results["http"].get(TFKG, {}).get("1", {}).get("memory", {}).get("workers", [])
    worst_rss = max((w.get("rss_mib", 0.0) for w in workers), default=None)
    serve = results["startup"].get("tfkg_serve_median")
    load_s = results["inprocess"].get("1", {}).get("load_seconds_median")

    def check(
        name: str, measured: float | None, goal: str, holds: Callable[[float], bool], text: str
    ) -> Json:
        return {
            "target": name,
            "goal": goal,
            "measured": measured,
            "text": text,
            "holds": None if measured is None else holds(measured),
        }

    return [
        check(
            "tfkg req/s ÷ rdflib-endpoint req/s (mix, real size)",
            peer_real.get(MIX),
            ">= 10x",
            lambda v: v >= 10,
            _below(peer_real, 10, lambda v: f"{v:.1f}x")
            + "".join(f"; {k}: peer completed no request, ratio > {v:.0f}x" for k, v in bounds.items()),
        ),
        check(
            f"tfkg HTTP req/s ÷ in-process q/s, both {WORKERS} processes x {THREADS} threads (mix, real size)",
            http_real.get(MIX),
            ">= 60%",
            lambda v: v >= 0.6,
            _below(http_real, 0.6, lambda v: f"{v:.0%}"),
        ),
        check("tfkg serve start-up until /health (real size, median)", serve, "< 2 s", lambda v: v < 2, ""),
        check("in-process store load (real size, median)", load_s, "< 2 s", lambda v: v < 2, ""),
        check(
            "RSS per tfkg worker after the load (real size, largest)",
            worst_rss,
            "< 150 MB",
            lambda v: v * 1.048576 < 150,
            ", ".join(f"{w.get('rss_mib', 0):.0f} MiB" for w in workers),
        ),
    ]


# --- main ---------------------------------------------------------------------------------------


MARKED = re.compile(r"<!-- ([\w-]+):start -->.*?<!-- \1:end -->", re.DOTALL)


def write_results_md(text: str) -> None:
    """Write RESULTS.md, keeping the sections other benchmarks maintain in it between their
    `<!-- name:start -->` and `<!-- name:end -->` markers (bench/pathways.py's, for one)."""
    target = BENCH / "RESULTS.md"
    previous = target.read_text(encoding="utf-8") if target.exists() else ""
    kept = [match.group(0) for match in MARKED.finditer(previous)]
    target.write_text(text.rstrip("\n") + "".join(f"\n\n{block}" for block in kept) + "\n", encoding="utf-8")


def render_only() -> None:
    """Recompute ratios and targets from bench/results.json and rewrite RESULTS.md."""
    results: Json = json.loads((BENCH / "results.json").read_text(encoding="utf-8"))
    stored: dict[str, Any] = {
        k: tuple(v) if isinstance(v, list) else v for k, v in results["meta"]["plan"].items()
    }
    results["ratios"] = ratios(Plan(**stored), results)
    results["targets"] = targets(results)
    (BENCH / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    write_results_md(report.render(results))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--quick", action="store_true", help="a ~2-minute smoke run (real and 10x, short loads)"
    )
    parser.add_argument("--connections", type=int, default=8, help="concurrent HTTP clients (default 8)")
    parser.add_argument("--no-peer", action="store_true", help="skip rdflib-endpoint")
    parser.add_argument(
        "--render", action="store_true", help="only rewrite RESULTS.md from bench/results.json (no measuring)"
    )
    args = parser.parse_args(argv)
    if args.render:
        render_only()
        return 0
    plan = Plan.make(args.quick, args.connections)
    servers.install_cleanup()
    WORK.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    results: Json = {
        "meta": {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "command": shlex.join(
                [
                    os.path.relpath(sys.executable, ROOT),
                    os.path.relpath(Path(sys.argv[0]).resolve(), ROOT),
                    *sys.argv[1:],
                ]
            ),
            "mode": "quick" if plan.quick else "full",
            "plan": asdict(plan),
            "tfkg_source_digest": source_digest(),
            "peer_timeout": PEER_TIMEOUT,
            "server_env": SERVER_ENV,
            "phase_seconds": {},
            "foreign_cpu": {},
            "queries": {q.name: {"what": q.what, "text": q.text} for q in QUERIES},
        },
        "data": {},
        "inprocess": {},
        "startup": {},
        "http": {},
    }
    try:
        with phase(results, "setup"):
            ensure_build()
            peer_python = ensure_peer_venv()
            results["meta"]["machine"] = machine(peer_python)
            log(f"load generator: {results['meta']['machine']['load_generator']}")
        with phase(results, "synthetic data"):
            SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(BUILT, SNAPSHOT)
            results["meta"]["dataset_sha256"] = hashlib.sha256(SNAPSHOT.read_bytes()).hexdigest()[:16]
            data = synth.make_scaled(
                SNAPSHOT, WORK / "data", sorted(set(plan.scales) | set(plan.peer_scales))
            )
            for scale, made in data.items():
                results["data"][str(scale)] = synth.describe(made)
                log(
                    f"x{scale}: {made.quads} quads, {made.triples} triples ({'reused' if made.reused else 'made'})"
                )
        with phase(results, "in-process engine"):
            in_process(plan, data, results)
            results["startup"]["inprocess_cold_load_seconds"] = cold_load_seconds()
        for scale in plan.scales:
            with phase(results, f"HTTP x{scale}"):
                path = SNAPSHOT if scale == 1 else data[scale].nquads
                http_scale(plan, None if args.no_peer else peer_python, scale, path, data[scale], results)
    except BaseException:
        servers.stop_all()
        results["meta"]["total_seconds"] = round(time.perf_counter() - started, 1)
        partial = WORK / "results.partial.json"
        partial.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
        log(f"run failed after {results['meta']['total_seconds']:.0f} s; what it measured is in {partial}")
        raise
    servers.stop_all()
    results["meta"]["total_seconds"] = round(time.perf_counter() - started, 1)
    results["meta"]["tfkg_source_digest_at_end"] = source_digest()
    results["ratios"] = ratios(plan, results)
    results["targets"] = targets(results)
    (BENCH / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    write_results_md(report.render(results))
    log(f"wrote bench/results.json and bench/RESULTS.md ({results['meta']['total_seconds']:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
