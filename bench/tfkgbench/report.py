"""RESULTS.md from the raw results of one run (bench/results.json)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .queries import MIX, QUERIES

Json = dict[str, Any]
TFKG, PEER = "tfkg", "rdflib-endpoint"


def _num(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def _ms(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.2f}" if value < 10 else f"{value:.1f}" if value < 100 else f"{value:.0f}"


def _ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}x" if value >= 1 else f"{value:.2f}x"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], align: str = "") -> list[str]:
    align = align or "l" + "r" * (len(header) - 1)
    marks = [":---" if a == "l" else "---:" for a in align]
    out = ["| " + " | ".join(header) + " |", "| " + " | ".join(marks) + " |"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return [*out, ""]


def _scale_name(scale: str) -> str:
    return "real" if scale == "1" else f"{scale}x"


def _names() -> list[str]:
    return [q.name for q in QUERIES] + [MIX]


def _load(results: Json, server: str, scale: str, name: str) -> Json | None:
    value: Json | None = results["http"].get(server, {}).get(scale, {}).get("load", {}).get(name)
    return value


def _triple(entry: Json | None) -> str:
    if entry is None or not entry.get("requests"):
        return "—"
    return f"{_ms(entry['p50_ms'])} / {_ms(entry['p90_ms'])} / {_ms(entry['p99_ms'])}"


def _rps(entry: Json | None) -> str:
    if entry is None:
        return "—"
    if not entry["requests"]:
        return f"< {1 / entry['seconds']:.2f} (none done in {entry['seconds']:.0f} s)"
    text = _num(entry["rps"], 0 if entry["rps"] >= 100 else 1)
    errors = entry.get("errors") or {}
    return text + (f" ({sum(errors.values())} errors)" if errors else "")


def _peer_missing(results: Json, scale: str, name: str) -> str:
    entry = results["http"].get(PEER, {}).get(scale)
    if entry is None:
        return "not run"
    if "skipped" in entry:
        return "skipped"
    if name in entry.get("timeouts", []):
        return f"timeout (> {results['meta'].get('peer_timeout', 30):g} s)"
    if name == MIX and entry.get("timeouts"):
        return "not run (a query timed out)"
    return "—"


def _target_gap(results: Json) -> list[str]:
    """A paragraph saying by how much the HTTP ÷ in-process target is missed (nothing if it holds)."""
    raw = results["inprocess"].get("1", {}).get("throughput_qps", {}).get("procs", {}).get(MIX)
    http = _load(results, TFKG, "1", MIX)
    if not raw or not http or not http["rps"] or http["rps"] / raw >= 0.6:
        return []
    rps = http["rps"]
    return [
        f"The 60 % target (mix, real size) is missed by {100 * (0.6 - rps / raw):.0f} percentage points: "
        f"{_num(rps, 0)} req/s over HTTP against {_num(raw, 0)} q/s in-process; meeting it takes "
        f"{_num(0.6 * raw, 0)} req/s, that is a whole request costing at most {_ms(2000 / (0.6 * raw))} "
        f"core-ms instead of {_ms(2000 / rps)}, of which the engine alone needs {_ms(2000 / raw)}. "
        "The rest is what the paragraphs below describe.",
        "",
    ]


def render(results: Json) -> str:
    meta, m = results["meta"], results["meta"].get("machine", {})
    scales = sorted(results["inprocess"], key=int)
    out: list[str] = ["# tfkg benchmark results", ""]
    out += [
        f"Measured by `bench/run.py` on {meta['date']} (UTC), one {meta['mode']} run of "
        f"{meta['total_seconds']:.0f} s, with exactly this command from the checkout's root:",
        "",
        f"    {meta['command']}",
        "",
        f"tfkg's server code had digest `{meta['tfkg_source_digest']}` (sha256 of server/tfkg/**/*.py). "
        "The machine is shared and noisy: every figure below is a median or a ratio measured within "
        "this one run (in trial runs, single throughput figures moved by up to about 30 % from one run to "
        "the next; ratios taken within a run move less). Raw figures: `bench/results.json`.",
        "",
    ]
    if meta.get("tfkg_source_digest_at_end", meta["tfkg_source_digest"]) != meta["tfkg_source_digest"]:
        out += [
            f"**Warning:** tfkg's server code changed during the run (digest at the end "
            f"`{meta['tfkg_source_digest_at_end']}`): servers started at different times may have run "
            "different code.",
            "",
        ]
    out += [
        "## Machine",
        "",
    ]
    peer = m.get("peer", {})
    out += _table(
        ["", ""],
        [
            ["CPU", f"{m.get('cpu_model')} ({m.get('cores')} cores)"],
            ["RAM", f"{m.get('ram_gib')} GiB"],
            ["kernel", str(m.get("kernel"))],
            ["Python", str(m.get("python"))],
            ["pyoxigraph (tfkg)", str(m.get("pyoxigraph"))],
            ["rdflib (tfkg's venv / the peer's venv)", f"{m.get('rdflib_tfkg_venv')} / {peer.get('rdflib')}"],
            ["Flask, Granian (tfkg)", f"{m.get('flask')}, {m.get('granian')}"],
            [
                "rdflib-endpoint, FastAPI, uvicorn (peer)",
                f"{peer.get('rdflib_endpoint')}, {peer.get('fastapi')}, {peer.get('uvicorn')}",
            ],
            ["load generator", f"{m.get('load_generator')} ({m.get('wrk') or 'Python threads'})"],
        ],
        "ll",
    )

    out += ["## Targets", ""]
    rows = []
    for t in results.get("targets", []):
        measured = t["measured"]
        if measured is None:
            shown = "not measured"
        elif "%" in t["goal"]:
            shown = _pct(measured)
        elif "x" in t["goal"]:
            shown = _ratio(measured)
        elif "MB" in t["goal"]:
            shown = f"{measured * 1.048576:.0f} MB ({measured:.0f} MiB)"
        else:
            shown = f"{measured:.2f} s"
        verdict = "—" if t["holds"] is None else "**yes**" if t["holds"] else "**no**"
        rows.append([t["target"], t["goal"], shown, verdict, t["text"]])
    out += _table(["target", "goal", "measured", "holds", "detail"], rows, "llrll")

    out += ["## Data", ""]
    rows = []
    for scale, d in sorted(results["data"].items(), key=lambda kv: int(kv[0])):
        made = "reused from an earlier run" if d["reused"] else f"{d['seconds']:.1f} s"
        rows.append([_scale_name(scale), f"{d['quads']:,}", f"{d['triples']:,}", made])
    out += _table(
        ["scale", "quads (tfkg, N-Quads)", "triples (peer, N-Triples of the union)", "made in"], rows
    )
    out += [
        "Copy 0 of each synthetic graph is the real dataset; copies 1..N-1 rename every entity IRI "
        "(`https://w3id.org/tfkg/id/...` + `-copyK`) and the blank nodes hanging off entities. "
        "Ontology triples and graph names are shared, so a 100x graph has slightly fewer than 100 x the "
        "real quads. Queries that start from a named entity (UNTOC, DEU, FRA) return the same rows at every "
        "scale and test index use; `class_counts` and `label_search` scan, so their work grows with the graph.",
        "",
        "## Queries",
        "",
    ]
    out += _table(
        ["query", "what it asks", "rows (real)"],
        [
            [
                f"`{q.name}`",
                q.what,
                str(results["inprocess"].get("1", {}).get("latency", {}).get(q.name, {}).get("rows", "—")),
            ]
            for q in QUERIES
        ],
        "llr",
    )
    out += ["The texts are in `bench/tfkgbench/queries.py` and in results.json (`meta.queries`).", ""]

    out += [
        "## In-process latency (pyoxigraph, warm)",
        "",
        "`EmbeddedStore.query` (union default graph, as the endpoint) plus iterating every result, "
        "after 3 warm-up runs; median and p90 of the timed runs, in milliseconds.",
        "",
    ]
    shares = [results["inprocess"][s].get("foreign_cpu_share") for s in scales]
    if any(v is not None for v in shares):
        out += [
            "Other programs took "
            + ", ".join(f"{_pct(v)} at {_scale_name(s)}" for s, v in zip(scales, shares, strict=True))
            + " of the machine's CPU during the in-process measurements.",
            "",
        ]
    header = ["query"] + [f"{_scale_name(s)}: median / p90 ms" for s in scales] + ["runs (real)"]
    rows = []
    for q in QUERIES:
        cells = [f"`{q.name}`"]
        for s in scales:
            lat = results["inprocess"][s]["latency"].get(q.name)
            cells.append("—" if lat is None else f"{_ms(lat['median_ms'])} / {_ms(lat['p90_ms'])}")
        cells.append(str(results["inprocess"][scales[0]]["latency"].get(q.name, {}).get("runs", "—")))
        rows.append(cells)
    out += _table(header, rows)

    connections = meta["plan"]["connections"]
    out += [
        "## HTTP load: tfkg vs rdflib-endpoint",
        "",
        f"{connections} concurrent keep-alive clients on 127.0.0.1, GET /sparql?query=... with "
        "`Accept: application/sparql-results+json` (Turtle for the CONSTRUCT), "
        f"for at least {meta['plan']['http_seconds']:g} s per query and {meta['plan']['mix_seconds']:g} s for "
        "the mix (all six round-robin), longer for slow queries so that every client completes about three "
        f"requests even when all queue (at most {meta['plan']['http_cap']:g} s; the run lengths are the last "
        "column). Latency columns are p50 / p90 / p99 in ms. tfkg: Granian (WSGI), 2 workers x "
        "4 threads; rdflib-endpoint: uvicorn, 2 workers. At each scale both servers run side by side "
        "(the idle one costs nothing) and are loaded in turn, query by query, so that each ratio compares "
        "loads seconds apart. The last column is the share of the machine's "
        "CPU that other programs took during that run (see Run, below).",
        "",
    ]
    for scale in scales:
        if scale not in results["http"].get(TFKG, {}):
            continue
        out += [f"### {_scale_name(scale)}", ""]
        rows = []
        for name in _names():
            ours, theirs = _load(results, TFKG, scale, name), _load(results, PEER, scale, name)
            ratio = results["ratios"]["tfkg_over_peer"].get(scale, {}).get(name)
            at_least = results["ratios"].get("tfkg_over_peer_at_least", {}).get(scale, {}).get(name)
            rows.append(
                [
                    f"`{name}`",
                    _rps(ours),
                    _triple(ours),
                    _rps(theirs) if theirs else _peer_missing(results, scale, name),
                    _triple(theirs),
                    f"> {_ratio(at_least)}" if at_least is not None else _ratio(ratio),
                    " / ".join(
                        f"{e['seconds']:.0f}" + ("*" if "drained" in e["generator"] else "")
                        for e in (ours, theirs)
                        if e
                    ),
                    " / ".join(_pct(e.get("foreign_cpu_share")) for e in (ours, theirs) if e),
                ]
            )
        out += _table(
            [
                "query",
                "tfkg req/s",
                "tfkg p50/p90/p99",
                "peer req/s",
                "peer p50/p90/p99",
                "tfkg ÷ peer",
                "run s (tfkg / peer)",
                "other programs' CPU (tfkg / peer)",
            ],
            rows,
        )
        drained = [
            e
            for name in _names()
            for e in (_load(results, TFKG, scale, name), _load(results, PEER, scale, name))
            if e and "drained" in e["generator"]
        ]
        out += (
            []
            if not drained
            else [
                "\\* a run of few slow requests, made with Python clients that let their last requests "
                "finish and count them, over the correspondingly longer time (wrk would cut them off at the end "
                "of the window and undercount such a run).",
                "",
            ]
        )
        skipped = results["http"].get(PEER, {}).get(scale, {}).get("skipped")
        if skipped:
            out += [f"rdflib-endpoint at {_scale_name(scale)} was not started: {skipped}.", ""]
        if scale == "100":
            out += [
                "At 100x the full scans (class_counts, label_search, and the mix that contains them) pay a "
                "copy of pyoxigraph's in-memory store (about 2.4 GB) in each fresh evaluator process, and "
                "many run into the deadline: measured and explained in bench/ISOLATION.md; the fix is "
                "issue 17's shared read-only store.",
                "",
            ]

    out += [
        "## tfkg over HTTP vs its engine in-process",
        "",
        "In-process throughput is queries/s of the same queries with the engine called directly, in "
        f"three layouts: **{meta['plan']['connections']} threads in one process** (the same concurrency as "
        "the HTTP load), **1 thread** (sequential), and **2 processes x 4 threads** (the layout of "
        "tfkg's server workers, each process loading its own store; this is the ratio the target uses, "
        "because one Python process cannot use both cores for the parts of a query that hold the GIL). "
        "The 2 x 4 figure is measured right after each HTTP load, for the same time, while the server "
        "idles, so that both sides of the ratio see the same competition from other programs; the 1- and "
        f"{connections}-thread figures come from the in-process phase, minutes apart. "
        "The HTTP figure also pays for the load generator, which runs on the same two cores.",
        "",
    ]
    for scale in scales:
        inproc = results["inprocess"][scale].get("throughput_qps", {})
        if scale not in results["http"].get(TFKG, {}) or not inproc:
            continue
        by_mode = results["ratios"]["http_over_inprocess"].get(scale, {})
        out += [f"### {_scale_name(scale)}", ""]
        rows = []
        for name in _names():
            http = _load(results, TFKG, scale, name)
            cells = [f"`{name}`", _rps(http)]
            for mode in ("procs", "threads", "seq"):
                rate = inproc.get(mode, {}).get(name)
                cells += [_num(rate, 0), _pct(by_mode.get(mode, {}).get(name))]
            rows.append(cells)
        out += _table(
            [
                "query",
                "HTTP req/s",
                "in-proc 2x4 q/s",
                "HTTP ÷ 2x4",
                f"in-proc {connections} thr q/s",
                f"HTTP ÷ {connections} thr",
                "in-proc 1 thr q/s",
                "HTTP ÷ 1 thr",
            ],
            rows,
        )

    real = results["inprocess"].get("1", {}).get("throughput_qps", {})
    if real.get("engine_procs") and "1" in results["http"].get(TFKG, {}):
        out += [
            "## Where tfkg's time goes (real size)",
            "",
            "Cost of one query in core-milliseconds (2 cores ÷ throughput) at each layer, all with 2 "
            "processes x 4 threads busy and measured one after the other for the same time: the engine "
            "alone (pyoxigraph + iterating the results), tfkg's "
            "`SparqlEngine.run` (guards, the parse check, the JSON/Turtle body written by pyoxigraph), "
            "and a whole HTTP request (plus tfkg's WSGI fast path for GET queries, Granian "
            "and its access log, the socket, and the load generator's share of the cores).",
            "",
        ]
        rows = []
        for name in _names():
            raw, eng = real.get("procs", {}).get(name), real["engine_procs"].get(name)
            http = _load(results, TFKG, "1", name)
            costs = [2000 / v if v else None for v in (raw, eng, http["rps"] if http else None)]
            share = None if costs[0] is None or costs[2] is None else costs[0] / costs[2]
            rows.append(
                [
                    f"`{name}`",
                    _ms(costs[0]),
                    _ms(costs[1]),
                    _ms(costs[2]),
                    _ms(None if None in costs[:2] else costs[1] - costs[0]),  # type: ignore[operator]
                    _ms(None if None in costs[1:] else costs[2] - costs[1]),  # type: ignore[operator]
                    _pct(share),
                ]
            )
        out += _table(
            [
                "query",
                "engine ms",
                "SparqlEngine.run ms",
                "HTTP request ms",
                "added by SparqlEngine",
                "added by HTTP stack",
                "engine share of HTTP cost",
            ],
            rows,
        )

        out += [
            "A negative difference means the noise between two adjacent measurements was larger than "
            "the difference itself.",
            "",
            *_target_gap(results),
            "SELECT results are serialized by pyoxigraph (`tfkg.sparql.results.select`: TSV into a sink "
            "that counts rows and stops the serializer past TFKG_MAX_ROWS, then, unless TSV was asked "
            "for, the TSV read back and written in the requested format, all in Rust). What "
            "`SparqlEngine.run` adds is mostly the same for every query: the guard scan of the text, the "
            "parse check (cached per text), and, for JSON, reading the TSV back. Over HTTP each query "
            "also runs in an evaluator process (issue 13): that hand-off adds 0.05-0.4 ms per query, "
            "measured in bench/ISOLATION.md, which also explains the full scans at 100x (a scan copies "
            "pyoxigraph's in-memory store into each fresh evaluator).",
            "",
            "The HTTP stack is Granian, which parses HTTP, keeps connections alive and writes the access "
            "log in Rust, outside the GIL, and calls the WSGI app on one of its threads; tfkg's fast path "
            "(`tfkg.web.fastpath`) answers `GET /sparql?query=...` without Flask's request context and "
            "routing. What the stack adds is the Python that holds the GIL (the WSGI environ, the fast "
            "path, the response), the socket, and the load generator's share of the same two cores. How "
            "that share came down (Python result writers replaced by pyoxigraph's, the fast path, a "
            "cheaper guard scan, gunicorn replaced by Granian), with the A/B figures, is in "
            "bench/README.md, section History.",
            "",
        ]
    out += ["## Start-up and memory", ""]
    st = results["startup"]
    rows = [
        [
            "`tfkg serve` (real size) until /health answers, median",
            f"{_num(st.get('tfkg_serve_median'), 2)} s (runs: {', '.join(f'{v:.2f}' for v in st.get('tfkg_serve_seconds', []))})",
        ],
        [
            "in-process `EmbeddedStore.from_files` (real size, warm interpreter), median",
            f"{_num(results['inprocess'].get('1', {}).get('load_seconds_median'), 3)} s",
        ],
        [
            "fresh interpreter: import tfkg.store + load (real size)",
            f"{_num(st.get('inprocess_cold_load_seconds'), 2)} s",
        ],
    ]
    for scale in scales:
        if scale == "1":
            continue
        entry = results["http"].get(TFKG, {}).get(scale, {})
        rows.append(
            [
                f"`tfkg serve` ({_scale_name(scale)}) until /health / until both workers have loaded",
                f"{_num(entry.get('startup_seconds'), 1)} s / {_num(entry.get('workers_quiet_after_seconds'), 1)} s",
            ]
        )
        rows.append(
            [
                f"in-process load ({_scale_name(scale)})",
                f"{_num(results['inprocess'][scale].get('load_seconds_median'), 1)} s",
            ]
        )
    for scale, entry in sorted(results["http"].get(PEER, {}).items(), key=lambda kv: int(kv[0])):
        if "startup_seconds" in entry:
            rows.append(
                [
                    f"rdflib-endpoint ({_scale_name(scale)}) until both workers have loaded",
                    f"{_num(entry['startup_seconds'], 1)} s",
                ]
            )
    for scale in scales:
        mem = results["http"].get(TFKG, {}).get(scale, {}).get("memory", {})
        for worker in mem.get("workers", []):
            rows.append(
                [
                    f"tfkg worker {worker['pid']} ({_scale_name(scale)}) after the load: RSS / peak RSS / PSS",
                    f"{_num(worker.get('rss_mib'), 0)} / {_num(worker.get('peak_rss_mib'), 0)} / "
                    f"{_num(worker.get('pss_mib'), 0)} MiB",
                ]
            )
        if scale == "1" and mem.get("master"):
            rows.append(["tfkg server master (real): RSS", f"{_num(mem['master'].get('rss_mib'), 0)} MiB"])
    at_start = results["http"].get(TFKG, {}).get("1", {}).get("memory_at_start", {})
    for worker in at_start.get("workers", []):
        rows.append(
            [
                f"tfkg worker {worker['pid']} (real) right after start-up: RSS",
                f"{_num(worker.get('rss_mib'), 0)} MiB",
            ]
        )
    for scale, entry in sorted(results["http"].get(PEER, {}).items(), key=lambda kv: int(kv[0])):
        for worker in entry.get("memory", {}).get("workers", []):
            rows.append(
                [
                    f"rdflib-endpoint worker ({_scale_name(scale)}) after the load: RSS",
                    f"{_num(worker.get('rss_mib'), 0)} MiB",
                ]
            )
    out += _table(["", ""], rows, "lr")

    out += ["## Answers", ""]
    problems = []
    for server, per_scale in results["http"].items():
        for scale, entry in per_scale.items():
            for name, answer in entry.get("answers", {}).items():
                if answer["status"] != 200 or answer.get("rows_match") is False or answer.get("truncated"):
                    problems.append(
                        f"- {server} {_scale_name(scale)} `{name}`: status {answer['status']}, "
                        f"{answer['rows']} rows, {answer['error'] or ''}"
                        + (" (rows differ from the reference)" if answer.get("rows_match") is False else "")
                        + (" (truncated)" if answer.get("truncated") else "")
                    )
    out += [
        "Before each load, every query was sent once to each server and its rows counted: tfkg's against "
        "the in-process engine's at the same scale, rdflib-endpoint's against tfkg's.",
        "",
    ]
    out += problems or [
        "All answers had status 200, untruncated, with the same number of rows everywhere.",
        "",
    ]
    if problems:
        out.append("")

    out += [
        "## Method",
        "",
        "- **Same data for both servers.** tfkg loads the N-Quads (named graphs; its endpoint treats the "
        "default graph as the union of all graphs). rdflib-endpoint's default graph is not the union of "
        "named graphs, so it is given the same data as one N-Triples file holding the union of all graphs "
        "(what `tfkg.ttl` is at real size); both then answer the same queries over the same triples, and "
        "the answers section checks that they return the same rows.",
        "- **The peer** is rdflib-endpoint in its own virtualenv (`bench/.venv-peer`, from "
        "`bench/requirements-peer.txt`), built as its `rdflib-endpoint serve` CLI builds it "
        "(`Dataset(default_union=True)` parsed from the file, `SparqlEndpoint(graph=...)`), but started "
        "by uvicorn with 2 workers (`bench/peer_app.py`) so that it may use both cores as tfkg does, "
        "and with uvicorn's worker health check allowed 300 s (its default, 5 s, restarts a worker "
        "that is still parsing a large graph, over and over). "
        "It caches parsed queries; the first pass over the queries warms that cache. A peer query slower "
        f"than {meta.get('peer_timeout', 30):g} s is recorded as a timeout and left out of its load.",
        "- **tfkg** runs as `tfkg serve FILE --workers 2 --threads 4` (Granian, WSGI), with "
        "TFKG_QUERY_TIMEOUT=120 and TFKG_MAX_ROWS=1000000 so that no answer is cut at 100x. Both servers "
        "write their access logs (to a file under bench/.work/logs).",
        "- **Load**: each run is bounded in time; requests still queued when it ends are drained before "
        "the next run starts. Throughput is completed requests ÷ run time.",
        "- **Start-up** of `tfkg serve` is timed from process start until GET /health answers 200, "
        "from the built dataset (a copy of build/dataset/tfkg.nq taken when the run began, sha256 "
        f"`{meta.get('dataset_sha256', '?')}`, which every measurement uses); **memory** is VmRSS (and "
        "VmHWM, PSS) of each "
        "worker from /proc, after the load at that scale.",
        "",
    ]
    out += [
        "## Run",
        "",
        "Other programs share this machine. The last column is the CPU time that programs other than "
        "the harness, its servers and its load generator used during each phase, as a share of the "
        "machine's capacity (cores x phase time): the higher it is, the more that phase's figures are "
        "depressed by them.",
        "",
    ]
    foreign = meta.get("foreign_cpu", {})
    out += _table(
        ["phase", "seconds", "CPU used by other programs"],
        [
            [
                name,
                f"{seconds:.0f}",
                f"{foreign[name]['cpu_seconds']:.0f} s ({foreign[name]['share_of_machine']:.0%})"
                if name in foreign
                else "—",
            ]
            for name, seconds in meta.get("phase_seconds", {}).items()
        ],
    )
    return "\n".join(out)
