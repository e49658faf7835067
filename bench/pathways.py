"""Pathway benchmark: in-process answer time and HTTP latency under 8 concurrent clients.

    .venv/bin/python bench/pathways.py [--seconds 20]

Targets (issue 5): median under 50 ms in-process at real size; p99 under 100 ms over HTTP
at 8 concurrent clients. Writes bench/pathways.json and the "Pathways" section of
bench/RESULTS.md (between its markers), measured in one run on this machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "server"))

from tfkg.pathways import PathwayService  # noqa: E402
from tfkg.store import EmbeddedStore  # noqa: E402

QUESTIONS = [
    ("CHE", "DEU", "trafficking-in-persons", "extradition", "2015-01-01"),
    ("DEU", "GBR", "drug-trafficking", "extradition", "2022-01-01"),
    ("DEU", "GBR", "drug-trafficking", "extradition", "2019-06-01"),
    ("DNK", "FRA", "drug-trafficking", "mutual-legal-assistance", "2021-01-01"),
    ("AUT", "DEU", "money-laundering", "mutual-legal-assistance", "2018-09-01"),
    ("NOR", "DEU", "drug-trafficking", "extradition", "2020-06-01"),
    ("DEU", "FRA", "money-laundering", "financial-intelligence", "2026-08-01"),
    ("JPN", "DEU", "organized-crime", "extradition", "2020-01-01"),
    ("DEU", "FRA", "drug-trafficking", "police-information-exchange", "2012-01-01"),
    ("TWN", "DEU", "cybercrime", "extradition", "2020-01-01"),
]
START = "<!-- pathways:start -->"
END = "<!-- pathways:end -->"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def cold(dataset: Path) -> dict[str, float]:
    """First questions about each jurisdiction: the per-jurisdiction facts are read from the store."""
    times = []
    for _ in range(3):
        service = PathwayService(EmbeddedStore.from_files([dataset]))
        _ = service.static, service.lookup  # read at start-up
        for question in QUESTIONS:
            started = time.perf_counter()
            service.ask(*question)
            times.append((time.perf_counter() - started) * 1000)
    return {"median_ms": statistics.median(times), "p90_ms": percentile(times, 0.9), "n": len(times)}


def in_process(dataset: Path, rounds: int) -> dict[str, float]:
    service = PathwayService(EmbeddedStore.from_files([dataset]))
    for question in QUESTIONS:  # warm-up: static facts, lookup, caches
        service.ask(*question)
    times = []
    for _ in range(rounds):
        for question in QUESTIONS:
            started = time.perf_counter()
            service.ask(*question)
            times.append((time.perf_counter() - started) * 1000)
    return {
        "median_ms": statistics.median(times),
        "p90_ms": percentile(times, 0.9),
        "p99_ms": percentile(times, 0.99),
        "n": len(times),
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def over_http(dataset: Path, seconds: float, clients: int) -> dict[str, float]:
    port = free_port()
    log = open(os.devnull, "w")  # noqa: SIM115
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "tfkg.cli",
            "--root",
            str(ROOT),
            "serve",
            str(dataset),
            "--port",
            str(port),
            "--workers",
            "2",
            "--threads",
            "4",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/health", timeout=1).read()  # noqa: S310
                break
            except OSError:
                time.sleep(0.1)
        urls = [
            base
            + "/api/pathways?"
            + urllib.parse.urlencode({"from": a, "to": b, "crime": c, "measure": m, "on": d})
            for a, b, c, m, d in QUESTIONS
        ]
        for url in urls * 2:  # warm both workers
            urllib.request.urlopen(url, timeout=30).read()  # noqa: S310
        latencies: list[float] = []
        errors = 0
        lock = threading.Lock()
        stop = time.monotonic() + seconds

        def client(offset: int) -> None:
            nonlocal errors
            i = offset
            while time.monotonic() < stop:
                started = time.perf_counter()
                try:
                    urllib.request.urlopen(urls[i % len(urls)], timeout=30).read()  # noqa: S310
                    elapsed = (time.perf_counter() - started) * 1000
                    with lock:
                        latencies.append(elapsed)
                except OSError:
                    with lock:
                        errors += 1
                i += 1

        threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return {
            "clients": clients,
            "requests": len(latencies),
            "errors": errors,
            "req_per_s": len(latencies) / seconds,
            "p50_ms": percentile(latencies, 0.5),
            "p90_ms": percentile(latencies, 0.9),
            "p99_ms": percentile(latencies, 0.99),
        }
    finally:
        server.terminate()
        server.wait(timeout=15)
        log.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--dataset", type=Path, default=ROOT / "build" / "dataset" / "tfkg.nq")
    args = parser.parse_args()
    results = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "python bench/pathways.py " + " ".join(sys.argv[1:]),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "in_process": in_process(args.dataset, args.rounds),
        "in_process_cold": cold(args.dataset),
        "http": over_http(args.dataset, args.seconds, clients=8),
    }
    (ROOT / "bench" / "pathways.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    ip, http, first = results["in_process"], results["http"], results["in_process_cold"]
    section = "\n".join(
        [
            START,
            "## Pathways (issue 5)",
            "",
            f"Measured by `{results['command'].strip()}` on {results['date']}, same machine; {len(QUESTIONS)} questions "
            "(bench/pathways.py), the real built dataset. Raw figures: `bench/pathways.json`.",
            "",
            "| target | goal | measured | holds |",
            "| :--- | :--- | ---: | :--- |",
            f"| in-process answer, median (p90) | < 50 ms | {ip['median_ms']:.1f} ms ({ip['p90_ms']:.1f} ms) | **{'yes' if ip['median_ms'] < 50 else 'no'}** |",
            f"| in-process, first question about a jurisdiction (facts read from the store), median (p90) | < 50 ms | {first['median_ms']:.1f} ms ({first['p90_ms']:.1f} ms) | **{'yes' if first['median_ms'] < 50 else 'no'}** |",
            f"| HTTP /api/pathways p99, 8 concurrent clients | < 100 ms | {http['p99_ms']:.1f} ms (p50 {http['p50_ms']:.1f}, {http['req_per_s']:.0f} req/s, {http['errors']} errors) | **{'yes' if http['p99_ms'] < 100 else 'no'}** |",
            "",
            "Each jurisdiction's facts are read from the store the first time a question names it and kept",
            "(the served graph does not change); the first row is the warm case, the second the cold one.",
            END,
        ]
    )
    report = ROOT / "bench" / "RESULTS.md"
    text = report.read_text(encoding="utf-8") if report.exists() else "# tfkg benchmark results\n"
    if START in text:
        text = text[: text.index(START)] + section + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    report.write_text(text, encoding="utf-8")
    print(section)


if __name__ == "__main__":
    main()
