"""The engine without HTTP: latency of warm runs, and throughput in one or several processes.

A query counts as done when its results have been fully iterated (every solution or triple
materialized as Python objects), which is the least any server must do. In "engine" mode the
query goes through tfkg's own `SparqlEngine.run` instead (guards, deadline thread pool, JSON
or Turtle serialization): the whole of tfkg's query path except Flask and the HTTP server.
"""

from __future__ import annotations

import multiprocessing
import statistics
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tfkg.store import EmbeddedStore

from .queries import Query

Runner = Callable[[Query], int]


def raw_runner(store: EmbeddedStore) -> Runner:
    """Evaluate with pyoxigraph (default graph = union, as tfkg does) and iterate every result."""

    def run(query: Query) -> int:
        result: Iterable[object] = store.query(query.text)  # type: ignore[assignment]
        return sum(1 for _ in result)

    return run


def engine_runner(store: EmbeddedStore, threads: int) -> Runner:
    """Evaluate through tfkg's SparqlEngine (what a /sparql request runs after Flask's parsing)."""
    from tfkg.namespaces import SERIALIZATION_PREFIXES
    from tfkg.sparql.engine import Limits, SparqlEngine, SparqlRequest

    engine = SparqlEngine(store, Limits(timeout=600.0, max_rows=10**9), SERIALIZATION_PREFIXES, threads)

    def run(query: Query) -> int:
        return len(engine.run(SparqlRequest(query=query.text, accept=query.accept)).body)

    return run


def load_store(path: Path) -> tuple[EmbeddedStore, float]:
    started = time.perf_counter()
    store = EmbeddedStore.from_files([path])
    return store, time.perf_counter() - started


@dataclass(frozen=True)
class Latency:
    rows: int
    runs: int
    median_ms: float
    p90_ms: float
    min_ms: float

    def as_dict(self) -> dict[str, float | int]:
        return {
            "rows": self.rows,
            "runs": self.runs,
            "median_ms": self.median_ms,
            "p90_ms": self.p90_ms,
            "min_ms": self.min_ms,
        }


def latency(run: Runner, query: Query, warmup: int, min_runs: int, max_runs: int, budget: float) -> Latency:
    """Warm up, then time repeated runs until max_runs or the time budget (at least min_runs)."""
    rows = 0
    for _ in range(warmup):
        rows = run(query)
    times: list[float] = []
    deadline = time.perf_counter() + budget
    while len(times) < max_runs and (len(times) < min_runs or time.perf_counter() < deadline):
        started = time.perf_counter()
        rows = run(query)
        times.append(time.perf_counter() - started)
    ordered = sorted(times)
    p90 = ordered[max(0, -(-len(ordered) * 9 // 10) - 1)]
    return Latency(rows, len(times), statistics.median(ordered) * 1000, p90 * 1000, ordered[0] * 1000)


def throughput_threads(run: Runner, queries: Sequence[Query], threads: int, duration: float) -> float:
    """Queries per second with `threads` threads sending `queries` round-robin for `duration` s."""
    counts = [0] * threads
    start_gate = threading.Barrier(threads + 1)
    stop_at = [0.0]

    def work(index: int) -> None:
        start_gate.wait()
        i = index
        done = 0
        while time.perf_counter() < stop_at[0]:
            run(queries[i % len(queries)])
            i += 1
            done += 1
        counts[index] = done

    workers = [threading.Thread(target=work, args=(n,), daemon=True) for n in range(threads)]
    for worker in workers:
        worker.start()
    started = time.perf_counter()
    stop_at[0] = started + duration
    start_gate.wait()
    for worker in workers:
        worker.join()
    # A run that started before the deadline finishes after it: count the time it took.
    return sum(counts) / (time.perf_counter() - started)


# --- several processes, like the server's workers, without HTTP ------------------------------


def _pool_main(path: str, mode: str, threads: int, commands: Any, barrier: Any, results: Any) -> None:
    store, _ = load_store(Path(path))
    run = raw_runner(store) if mode == "raw" else engine_runner(store, threads)
    results.put("ready")
    while (command := commands.get()) is not None:
        segment, duration = command
        for query in segment:  # warm: each query once, like a worker that has served a request
            run(query)
        barrier.wait()
        results.put(throughput_threads(run, segment, threads, duration))


class EnginePool:
    """`processes` spawned processes of `threads` threads each, like the server's workers minus HTTP.

    Each process loads its own copy of the store from `path` (the server's workers share their
    master's, which makes no difference to the speed of a query) and waits for commands; `run`
    has all of them send a segment of queries together for a time, so that the harness can
    measure the engine right before or after the same load over HTTP.
    """

    def __init__(self, path: Path, mode: str, processes: int, threads: int) -> None:
        context = multiprocessing.get_context("spawn")
        self._barrier = context.Barrier(processes)
        self._results = context.Queue()
        self._commands = [context.Queue() for _ in range(processes)]
        self._children = [
            context.Process(
                target=_pool_main,
                args=(str(path), mode, threads, commands, self._barrier, self._results),
                daemon=True,
            )
            for commands in self._commands
        ]

    def __enter__(self) -> EnginePool:
        for child in self._children:
            child.start()
        try:
            for _ in self._children:
                if self._results.get(timeout=900) != "ready":
                    raise RuntimeError("an engine process failed to start")
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def run(self, segment: list[Query], duration: float) -> float:
        """Queries/s of all processes together, sending `segment` round-robin for `duration` s."""
        for commands in self._commands:
            commands.put((segment, duration))
        total: float = sum(self._results.get(timeout=duration * 10 + 600) for _ in self._children)
        return total

    def close(self) -> None:
        for commands, child in zip(self._commands, self._children, strict=True):
            if child.is_alive():
                commands.put(None)
        for child in self._children:
            child.join(timeout=10)
            if child.is_alive():
                child.kill()
                child.join()
