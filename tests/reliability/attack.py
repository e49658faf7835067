"""Hostile traffic against a running tfkg server, and what it did: shared by the reliability
test (tests/reliability/test_server.py, bounded for CI) and bench/reliability.py, which runs it
longer and records the figures in bench/RELIABILITY.md.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import random
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

CHEAP = "ASK { ?s ?p ?o }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
#: 5xx answers a hostile query may get: the deadline's and the memory ceiling's 503s.
ALLOWED_503 = ("TFKG_QUERY_TIMEOUT", "TFKG_QUERY_MEMORY", "busy")


@contextmanager
def listener() -> Iterator[socket.socket]:
    """A TCP listener on 127.0.0.1 for SSRF probes to aim at: see :func:`connections`."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    sock.settimeout(0.3)
    try:
        yield sock
    finally:
        sock.close()


def connections(sock: socket.socket) -> int:
    """How many connections reached the listener since the last call."""
    count = 0
    while True:
        try:
            conn, _ = sock.accept()
        except TimeoutError:
            return count
        conn.close()
        count += 1


def ssrf_probes(port: int) -> dict[str, str]:
    """SERVICE aimed at 127.0.0.1:port in every spelling issue 13 found or expects."""
    target = f"<http://127.0.0.1:{port}/>"
    return {
        "plain": f"SELECT ?x WHERE {{ SERVICE {target} {{ ?x ?y ?z }} }}",
        "carriage return ends a comment": f"SELECT ?x WHERE {{ # c\rSERVICE {target} {{ ?x ?y ?z }} \n }}",
        "escaped hash": f"PREFIX ex: <urn:x:> SELECT ?x WHERE {{ ex:a\\# ex:b ?x .\nSERVICE {target} {{ ?x ?y ?z }} }}",
        "codepoint escape": f"SELECT ?x WHERE {{ \\u0053ERVICE {target} {{ ?x ?y ?z }} }}",
        "long codepoint escape": f"SELECT ?x WHERE {{ \\U00000053ERVICE {target} {{ ?x ?y ?z }} }}",
        "silent": f"SELECT ?x WHERE {{ SERVICE SILENT {target} {{ ?x ?y ?z }} }}",
        "lower case": f"select ?x where {{ service {target} {{ ?x ?y ?z }} }}",
    }


def request(base: str, query: str, timeout: float = 30, method: str = "GET") -> tuple[int, bytes]:
    """One /sparql request: (status, body); status 0 for a failed connection."""
    try:
        if method == "GET":
            url = f"{base}/sparql?{urllib.parse.urlencode({'query': query})}"
            req = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
        else:
            data = urllib.parse.urlencode({"query": query}).encode()
            req = urllib.request.Request(f"{base}/sparql", data=data, method="POST")
        with urllib.request.urlopen(req, timeout=timeout) as reply:
            return reply.status, reply.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except (OSError, TimeoutError):
        return 0, b""


def failure(status: int, body: bytes) -> str | None:
    """Why an answer counts as a failure of the server, or None."""
    if status == 0:
        return "no answer"
    if status >= 500 and not (status == 503 and any(mark.encode() in body for mark in ALLOWED_503)):
        return f"{status}: {body[:200]!r}"
    return None


def seeds(shared: Path | None) -> list[str]:
    """Queries to mutate: tfkg's catalogue and, where present, the W3C suite's."""
    root = Path(__file__).resolve().parents[2]
    texts = [p.read_text(encoding="utf-8") for p in sorted((root / "queries").glob("*.rq"))]
    if shared is not None and (shared / "w3c-sparql11").is_dir():
        texts += [
            p.read_text(encoding="utf-8", errors="replace")
            for p in sorted((shared / "w3c-sparql11").rglob("*.rq"))
        ][:400]
    return texts


def hostile(rng: random.Random, corpus: list[str]) -> str:
    """One fuzzed query: a mutated real query, or a generated bomb."""
    kind = rng.randrange(12)
    if kind == 0:
        return "".join(chr(rng.randrange(1, 0x3000)) for _ in range(rng.randrange(1, 400)))
    if kind == 1:
        n = rng.choice([100, 250, 1000, 5000])
        return "SELECT ?x WHERE { BIND(" + "CONCAT(" * n + '"a"' + ")" * n + " AS ?x) }"
    if kind == 2:
        n = rng.choice([100, 300, 2300, 10000])
        return "SELECT * WHERE " + rng.choice(["{", "(", "!"]) * n
    if kind == 3:
        return (
            'SELECT ?x WHERE { BIND("ab" AS ?x0) '
            + " ".join(f"BIND(CONCAT(?x{i},?x{i}) AS ?x{i + 1})" for i in range(rng.randrange(20, 40)))
            + " }"
        )
    if kind == 4:
        return 'SELECT * WHERE { ?s ?p ?o FILTER REGEX(STR(?o), "(a+)+$") }'
    if kind == 5:
        return "SELECT * WHERE { ?a (<urn:p>|!<urn:q>)*/(^<urn:r>)+ ?b }"
    if kind == 6:
        return '"' + '\\"' * rng.randrange(1000, 40000)
    if kind == 7:
        return f"SELECT ?x WHERE {{ {'# c' + chr(13)} SERVICE <http://127.0.0.1:{rng.randrange(1, 65535)}/> {{ ?x ?y ?z }} }}"
    text = rng.choice(corpus)
    for _ in range(rng.randrange(1, 6)):
        if not text:
            break
        at = rng.randrange(len(text))
        op = rng.randrange(4)
        if op == 0:
            text = text[:at] + text[at + rng.randrange(1, 20) :]
        elif op == 1:
            text = (
                text[:at]
                + rng.choice(["{", "}", "(", ")", '"', "'", "<", ">", "#", "\\", "\r", "\\u0053", "SERVICE"])
                + text[at:]
            )
        elif op == 2:
            text = text[:at] + text[at : at + 50] * rng.randrange(2, 30) + text[at:]
        else:
            text = text[:at] + "\x00\ufffd\ud7ff" + text[at:]
    return text


@dataclass
class Report:
    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    requests: int = 0


def fuzz(base: str, count: int, corpus: list[str], clients: int = 4, seed: int = 13) -> Report:
    """Send ``count`` fuzzed queries from ``clients`` threads."""
    report = Report()
    lock = threading.Lock()
    per_client = count // clients

    def client(index: int) -> None:
        rng = random.Random(seed * 1000 + index)  # noqa: S311 - a reproducible fuzz, not a secret
        for _ in range(per_client):
            query = hostile(rng, corpus)
            status, body = request(base, query, method=rng.choice(["GET", "POST"]))
            with lock:
                report.requests += 1
                report.statuses[status] += 1
                why = failure(status, body)
                if why:
                    report.failures.append(f"{why} for {query[:120]!r}")

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return report


#: The last cheap requests that failed, as (status, body): for the tests' messages.
FAILED_CHEAP: list[tuple[int, bytes]] = []


def cheap_latencies(base: str, seconds: float) -> tuple[list[float], int]:
    """A cheap query in a loop: its latencies and how many were refused or failed."""
    latencies, failed = [], 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        started = time.perf_counter()
        status, body = request(base, CHEAP, timeout=10)
        latencies.append(time.perf_counter() - started)
        if status != 200:
            failed += 1
            FAILED_CHEAP.append((status, body[:300]))
    return latencies, failed


def _attack(base: str, until: float) -> None:
    while time.time() < until:
        request(base, RUNAWAY, timeout=60)


def under_runaways(base: str, seconds: float, attackers: int = 4) -> tuple[list[float], int]:
    """Cheap-query latencies while ``attackers`` clients send runaway queries.

    The attackers are processes of their own, so that the measuring client does not wait for
    their threads' turn at the GIL: what is measured is the server.
    """
    until = time.time() + seconds + 0.5
    context = multiprocessing.get_context("fork")
    clients = [context.Process(target=_attack, args=(base, until), daemon=True) for _ in range(attackers)]
    for client in clients:
        client.start()
    time.sleep(0.5)
    try:
        return cheap_latencies(base, seconds)
    finally:
        for client in clients:
            client.kill()
            client.join()


def slow_bodies(base: str, clients: int, seconds: float) -> list[socket.socket]:
    """Open ``clients`` connections that send a POST body one byte per second."""
    host, port = base.removeprefix("http://").split(":")
    sockets = []
    for _ in range(clients):
        sock = socket.create_connection((host, int(port)))
        sock.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: 100000\r\n\r\nquery="
        )
        sockets.append(sock)

    def trickle() -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            for sock in sockets:
                with contextlib.suppress(OSError):
                    sock.send(b"a")
            time.sleep(1)

    threading.Thread(target=trickle, daemon=True).start()
    return sockets


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] if ordered else float("nan")


def median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2] if ordered else float("nan")


def rss_mib(root_pid: int) -> dict[int, float]:
    """Resident memory of a process and all its descendants, in MiB."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parents[int(stat.parent.name)] = int(fields[1])
        except (OSError, IndexError, ValueError):
            continue
    family, frontier = {root_pid}, [root_pid]
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid and child not in family:
                family.add(child)
                frontier.append(child)
    sizes = {}
    for pid in family:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes[pid] = int(line.split()[1]) / 1024
        except OSError:
            continue
    return sizes


def as_json(value: object) -> str:
    return json.dumps(value, indent=2, sort_keys=True)
