"""What query isolation costs per query: tfkg's SparqlEngine with evaluator processes and without.

Issue 13 moved every query from outside into an evaluator process (a fork of a zygote that holds
the store, behind a seccomp wall) so that a runaway query can be killed. This harness measures
what that costs on one thread, with nothing else in the way: the same queries through
`SparqlEngine.run` with `isolation="process"` (the server's default: the request and the answer
cross a Unix socket, pickled) and with `isolation="thread"` (on this process's own threads, no
kill), alternating query by query so that both see the same competition from other programs.

    .venv/bin/python bench/isolation_ab.py build/dataset/tfkg.nq --runs 300

Prints a Markdown table of median latencies; bench/ISOLATION.md quotes a run of it.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tfkgbench.queries import QUERIES

from tfkg.namespaces import SERIALIZATION_PREFIXES
from tfkg.sparql.engine import Limits, SparqlEngine, SparqlRequest
from tfkg.store import EmbeddedStore

MODES = ("process", "thread")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument(
        "--queries", default="untoc_parties,deu_memberships,construct_untoc,common_instruments"
    )
    args = parser.parse_args()
    store = EmbeddedStore.from_files([args.file])
    engines = {
        mode: SparqlEngine(
            store, Limits(timeout=60.0, max_rows=10**9, isolation=mode), SERIALIZATION_PREFIXES, 1
        )
        for mode in MODES
    }
    engines["process"].start_evaluators()
    wanted = [q for q in QUERIES if q.name in args.queries.split(",")]
    print(f"{args.file.name}: {args.runs} runs per query and mode, alternating, one thread\n")
    print("| query | median ms, evaluator process | median ms, own thread | added by isolation (ms) |")
    print("| :--- | ---: | ---: | ---: |")
    for query in wanted:
        times: dict[str, list[float]] = {mode: [] for mode in MODES}
        request = SparqlRequest(query=query.text, accept=query.accept)
        for mode in MODES:  # warm both: the evaluator's first query, the parse cache
            engines[mode].run(request)
        for _ in range(args.runs):
            for mode in MODES:
                started = time.perf_counter()
                engines[mode].run(request)
                times[mode].append((time.perf_counter() - started) * 1000)
        proc, thread = (statistics.median(times[m]) for m in MODES)
        print(f"| `{query.name}` | {proc:.3f} | {thread:.3f} | {proc - thread:.3f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
