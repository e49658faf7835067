"""Does a read-only query write to pyoxigraph's in-memory store? A probe for issue 13's 100x scans.

tfkg's evaluators are forked from a zygote that holds the store, so that every evaluator shares
the store's pages copy-on-write. That sharing holds only while the evaluators do not write to
those pages. This probe loads a graph, forks a child the way the zygote forks an evaluator, runs
one query in the child, and reads the child's Private_Dirty (the pages it now holds alone) from
/proc/self/smaps_rollup before and after. A read-only query that leaves Private_Dirty near the
store's size has copied the store.

    .venv/bin/python bench/cow_probe.py bench/.work/data/tfkg-x10.nq

Prints one Markdown table row per query; nothing is written to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tfkgbench.queries import QUERIES


def _private_dirty_mib() -> float:
    for line in Path("/proc/self/smaps_rollup").read_text().splitlines():
        if line.startswith("Private_Dirty:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _in_child(store: ox.Store, text: str) -> None:
    before = _private_dirty_mib()
    started = time.perf_counter()
    rows = sum(1 for _ in store.query(text, use_default_graph_as_union=True))  # type: ignore[union-attr, arg-type]
    first = time.perf_counter() - started
    after_first = _private_dirty_mib()
    started = time.perf_counter()
    sum(1 for _ in store.query(text, use_default_graph_as_union=True))  # type: ignore[union-attr, arg-type]
    second = time.perf_counter() - started
    after_second = _private_dirty_mib()
    print(
        f"| {before:,.0f} | {after_first:,.0f} | {after_second:,.0f} | {first * 1000:,.0f} | {second * 1000:,.0f} | {rows} |",
        flush=True,
    )
    os._exit(0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path, help="an N-Quads file (bench/.work/data/tfkg-x10.nq)")
    parser.add_argument("--queries", default="class_counts,label_search,untoc_parties,deu_memberships")
    args = parser.parse_args()
    store = ox.Store()
    started = time.perf_counter()
    store.bulk_load(path=str(args.file), format=ox.RdfFormat.N_QUADS)
    loaded = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{args.file.name}: loaded in {loaded:.1f} s; parent peak RSS {rss:,.0f} MiB\n")
    print(
        "| query | child Private_Dirty before (MiB) | after 1st run | after 2nd run | 1st run ms | 2nd run ms | rows |"
    )
    print("| :--- | ---: | ---: | ---: | ---: | ---: | ---: |")
    wanted = args.queries.split(",")
    for query in QUERIES:
        if query.name not in wanted:
            continue
        print(f"| `{query.name}` ", end="", flush=True)
        pid = os.fork()
        if pid == 0:
            _in_child(store, query.text)
        os.waitpid(pid, 0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
