"""HTTP load: a bounded, fixed-duration load of SPARQL GET requests from N concurrent clients.

`wrk` (C, keep-alive connections, latency histogram) is used when it is installed, so that
the load generator takes as little as possible of the two cores it shares with the server;
otherwise a Python generator with one thread and one keep-alive connection per client.
Each run is bounded in time (duration plus the request timeout) and only targets 127.0.0.1.
"""

from __future__ import annotations

import http.client
import json
import math
import shutil
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .queries import Query

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Target:
    """A SPARQL endpoint on this machine: its port and the path of its query service."""

    name: str
    port: int
    path: str  # "/sparql" for tfkg, "/" for rdflib-endpoint

    def request_path(self, query: Query) -> str:
        return f"{self.path}?{urllib.parse.urlencode({'query': query.text})}"


@dataclass
class LoadResult:
    generator: str
    connections: int
    seconds: float
    requests: int
    rps: float
    p50_ms: float | None
    p90_ms: float | None
    p99_ms: float | None
    max_ms: float | None
    errors: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class Answer:
    status: int
    rows: int | None  # SELECT bindings, or triples of a graph result
    seconds: float
    truncated: bool
    error: str | None = None


def _count_rows(query: Query, body: bytes) -> int:
    if query.graph:
        return sum(1 for _ in ox.parse(body, format=ox.RdfFormat.TURTLE))
    document = json.loads(body)
    return len(document["results"]["bindings"])


def fetch(target: Target, query: Query, timeout: float) -> Answer:
    """Send one query and count what comes back; a timeout or a refused request is an answer too."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection(HOST, target.port, timeout=timeout)
    try:
        connection.request("GET", target.request_path(query), headers={"Accept": query.accept})
        response = connection.getresponse()
        body = response.read()
        seconds = time.perf_counter() - started
        truncated = response.getheader("X-TFKG-Truncated") is not None
        if response.status != 200:
            return Answer(response.status, None, seconds, truncated, body[:200].decode("utf-8", "replace"))
        return Answer(200, _count_rows(query, body), seconds, truncated)
    except TimeoutError:
        return Answer(0, None, time.perf_counter() - started, False, f"timeout after {timeout:g} s")
    except OSError as error:
        return Answer(0, None, time.perf_counter() - started, False, str(error))
    finally:
        connection.close()


def settle(target: Target, probe: Query, clients: int, timeout: float) -> float:
    """Wait until requests left over from a load run are served: `clients` probes must all return."""
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(lambda _: fetch(target, probe, timeout), range(clients)))
    return time.perf_counter() - started


# --- wrk ------------------------------------------------------------------------------------

_LUA = """\
local requests = {{
{requests}
}}
local i = 0
local threads = 0

setup = function(thread)
  thread:set("offset", threads * 3)
  threads = threads + 1
end

init = function(args)
  i = (offset or 0) % #requests
end

request = function()
  i = (i % #requests) + 1
  return requests[i]
end

done = function(summary, latency, _)
  local e = summary.errors
  io.write(string.format(
    'WRK-JSON {{"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, ' ..
    '"status": %d, "timeout": %d, "p50": %d, "p90": %d, "p99": %d, "max": %d}}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
"""


def _lua_string(text: str) -> str:
    assert all(c.isalnum() or c in "%+._-~/?=&;:, " for c in text), text
    return f'"{text}"'


def _wrk(
    target: Target, queries: Sequence[Query], connections: int, duration: float, timeout: float, workdir: Path
) -> LoadResult:
    lines = [
        f"  wrk.format('GET', {_lua_string(target.request_path(q))}, {{['Accept'] = {_lua_string(q.accept)}}}),"
        for q in queries
    ]
    script = workdir / f"wrk-{target.name}-{'-'.join(q.name for q in queries)[:80]}.lua"
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_text(_LUA.format(requests="\n".join(lines)), encoding="utf-8")
    wrk = shutil.which("wrk")
    assert wrk is not None
    argv = [
        wrk,
        f"-t{min(2, connections)}",
        f"-c{connections}",
        f"-d{max(1, round(duration))}s",
        f"--timeout={max(1, math.ceil(timeout))}s",
        "-s",
        str(script),
        f"http://{HOST}:{target.port}/",
    ]
    done = subprocess.run(  # noqa: S603 (wrk, with arguments we built)
        argv, capture_output=True, text=True, timeout=duration + timeout + 30, check=False
    )
    line = next((x for x in done.stdout.splitlines() if x.startswith("WRK-JSON ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr.strip() or done.stdout[-500:]}")
    raw = json.loads(line.removeprefix("WRK-JSON "))
    seconds = raw["duration_us"] / 1e6
    has_latency = raw["requests"] > 0

    def ms(key: str) -> float | None:
        return raw[key] / 1000 if has_latency else None

    return LoadResult(
        "wrk",
        connections,
        seconds,
        raw["requests"],
        raw["requests"] / seconds,
        ms("p50"),
        ms("p90"),
        ms("p99"),
        ms("max"),
        {k: raw[k] for k in ("connect", "read", "write", "status", "timeout") if raw[k]},
    )


# --- Python fallback ------------------------------------------------------------------------


def _percentile(ordered: Sequence[float], p: float) -> float | None:
    if not ordered:
        return None
    rank = max(0, math.ceil(p / 100 * len(ordered)) - 1)
    return ordered[rank]


def _python(
    target: Target, queries: Sequence[Query], connections: int, duration: float, timeout: float, drain: bool
) -> LoadResult:
    """Clients in threads. With `drain`, no request is cut off: clients stop sending at the end of
    the window but wait for their last answer, and the run lasts until the last one arrives."""
    latencies: list[float] = []
    errors: dict[str, int] = {}
    lock = threading.Lock()
    start = time.perf_counter()
    stop = start + duration

    def client(index: int) -> None:
        connection = http.client.HTTPConnection(HOST, target.port, timeout=timeout)
        mine: list[float] = []
        i = index
        try:
            while time.perf_counter() < stop:
                query = queries[i % len(queries)]
                i += 1
                began = time.perf_counter()
                try:
                    connection.request("GET", target.request_path(query), headers={"Accept": query.accept})
                    response = connection.getresponse()
                    response.read()
                    kind = None if response.status == 200 else "status"
                except TimeoutError:
                    kind = "timeout"
                except OSError:
                    kind = "read"
                if kind is None:
                    if drain or time.perf_counter() <= stop:
                        mine.append(time.perf_counter() - began)
                else:
                    with lock:
                        errors[kind] = errors.get(kind, 0) + 1
                    connection.close()
                    connection = http.client.HTTPConnection(HOST, target.port, timeout=timeout)
        finally:
            connection.close()
            with lock:
                latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=duration + timeout + 5)
    seconds = (time.perf_counter() if drain else min(time.perf_counter(), stop)) - start
    ordered = sorted(latencies)

    def ms(p: float) -> float | None:
        value = _percentile(ordered, p)
        return None if value is None else value * 1000

    return LoadResult(
        "python-threads, drained" if drain else "python-threads",
        connections,
        seconds,
        len(ordered),
        len(ordered) / seconds,
        ms(50),
        ms(90),
        ms(99),
        ms(100),
        errors,
    )


def generator_name() -> str:
    return "wrk" if shutil.which("wrk") else "python-threads"


def run_load(
    target: Target,
    queries: Sequence[Query],
    connections: int,
    duration: float,
    timeout: float,
    workdir: Path,
    drain: bool = False,
) -> LoadResult:
    """`connections` clients send `queries` round-robin for `duration` seconds.

    wrk stops at the end of the window and does not count the requests then in flight, which
    undercounts a run of few slow requests (by about connections / 2 requests); `drain` runs
    such a load with the Python clients instead, which let the last requests finish and count
    them in a correspondingly longer run. For requests that slow the Python client's own cost
    is negligible.
    """
    if shutil.which("wrk") and not drain:
        return _wrk(target, queries, connections, duration, timeout, workdir)
    return _python(target, queries, connections, duration, timeout, drain)
