"""Record how the real server stands up to hostile traffic: bench/RELIABILITY.md.

Starts `tfkg serve` on the built dataset with default settings, then measures, in one run:
fuzzed requests and their statuses, the cheap query's p99 idle and under 4 runaway clients,
refused cheap requests, the slowest cheap query while 10 clients trickle POST bodies, evaluator
kills under load, and the largest RSS of any process, sampled twice a second throughout.

    .venv/bin/python bench/reliability.py [--requests 10000]
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.reliability import attack  # noqa: E402
from tests.reliability.test_server import _depth, _master_pid  # noqa: E402
from tests.w3c.server import running_server  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=8, help="fuzzing clients (default 8)")
    args = parser.parse_args()
    dataset = ROOT / "build" / "dataset" / "tfkg.nq"
    if not dataset.exists():
        sys.exit("build the dataset first: tfkg build")
    shared = ROOT.parent / "shared"
    lines = [
        f"# Reliability under hostile traffic ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})",
        "",
    ]
    with running_server([dataset]) as base:
        master = _master_pid(base)
        peak: dict[int, float] = {}
        done = threading.Event()

        def sample() -> None:
            for pid, mib in attack.rss_mib(master).items():
                peak[pid] = max(peak.get(pid, 0.0), mib)

        def sample_until_done() -> None:
            while not done.wait(0.5):
                sample()

        sampler = threading.Thread(target=sample_until_done, daemon=True)
        sampler.start()
        idle, idle_failed = attack.cheap_latencies(base, args.seconds)
        sample()
        # Slow bodies before the runaways: a runaway's evaluation outlives its client by up to the
        # deadline, and slow bodies plus those tails together can hold every request thread of a
        # worker on bare Granian (docs/serving.md: nginx in front buffers bodies).
        sockets = attack.slow_bodies(base, clients=10, seconds=args.seconds + 2)
        time.sleep(1)  # the trickling clients have their threads
        trickled, trickled_failed = attack.cheap_latencies(base, args.seconds)
        for sock in sockets:
            sock.close()
        loaded, loaded_failed = attack.under_runaways(base, args.seconds)
        sample()
        print(
            f"cheap p99 idle {attack.p99(idle) * 1000:.1f} ms, under runaways {attack.p99(loaded) * 1000:.1f} ms",
            flush=True,
        )
        started = time.monotonic()
        corpus = attack.seeds(shared if shared.is_dir() else None)
        report = attack.fuzz(base, args.requests, corpus, clients=args.clients)
        print(
            f"fuzzed {report.requests}: {dict(report.statuses)}, failures {len(report.failures)}", flush=True
        )
        fuzz_seconds = time.monotonic() - started
        sample()
        evaluators = [pid for pid in attack.rss_mib(master) if _depth(pid, master) == 2]
        for pid in evaluators:
            os.kill(pid, signal.SIGKILL)
        after_kill, after_kill_failed = attack.cheap_latencies(base, 5)
        workers = [
            pid
            for pid in attack.rss_mib(master)
            if _depth(pid, master) == 1 and len(os.listdir(f"/proc/{pid}/task")) > 1
        ]
        killer = threading.Timer(1.0, os.kill, args=(workers[0], signal.SIGKILL))
        killer.start()
        worker_kill, worker_kill_failed = attack.cheap_latencies(base, 5)
        alive = attack.request(base, attack.CHEAP)[0] == 200
        done.set()
        sampler.join()
        sample()
    lines += [
        "Server: `tfkg serve build/dataset/tfkg.nq`, default settings (2 workers, each with 24 request threads",
        "(8 that may run queries, 16 more for slow clients) and up to 8 evaluator processes; 10 s deadline;",
        "1024 MiB evaluator ceiling). One run; medians and p99 in ms.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| fuzzed requests | {report.requests} from {args.clients} clients in {fuzz_seconds:.0f} s |",
        f"| statuses | {', '.join(f'{k}: {v}' for k, v in sorted(report.statuses.items()))} |",
        f"| 5xx other than the deadline's or the memory ceiling's 503 | {len(report.failures)} |",
        f"| cheap query idle: median / p99 | {attack.median(idle) * 1000:.1f} / {attack.p99(idle) * 1000:.1f} ({len(idle)} requests, {idle_failed} failed) |",
        f"| cheap query with 4 runaway clients: median / p99 | {attack.median(loaded) * 1000:.1f} / {attack.p99(loaded) * 1000:.1f} ({len(loaded)} requests, {loaded_failed} refused or failed) |",
        f"| p99 ratio under attack / idle | {attack.p99(loaded) / attack.p99(idle):.2f} |",
        f"| cheap query while 10 clients send POST bodies at 1 byte/s: median / slowest | {attack.median(trickled) * 1000:.1f} / {max(trickled) * 1000:.1f} ({len(trickled)} requests, {trickled_failed} failed) |",
        f"| evaluators SIGKILLed, then cheap requests failed | {len(evaluators)}, {after_kill_failed} of {len(after_kill)} |",
        f"| a web worker SIGKILLed under cheap load: requests failed | {worker_kill_failed} of {len(worker_kill)} (those in flight on it) |",
        f"| server answering at the end | {alive} |",
        f"| largest RSS of any process, sampled every 0.5 s (MiB) | {max(peak.values()):.0f} |",
        "",
    ]
    lines += [f"- {failure}" for failure in report.failures[:20]]
    (ROOT / "bench" / "RELIABILITY.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
