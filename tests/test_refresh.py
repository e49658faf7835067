"""`tfkg refresh`: the depositaries' files served by a real local HTTP server, never the internet.

The server holds the archived UNTC files (shared/sources/untc/mtdsg-xml-2018-01) under the
paths the UN serves them from, and the Council of Europe chart fixture under the chart page's
path; TFKG_UNTC_URL and TFKG_COE_URL point tfkg at it.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tfkg.cli import main
from tfkg.config import Settings
from tfkg.refresh import RefreshError, coe_targets, refresh, untc_targets
from tfkg.refresh.run import untc_references, untc_url

from .conftest import ROOT

MTDSG = "sources/untc/mtdsg-xml-2018-01"
CHART_2015 = ROOT / "tests" / "fixtures" / "coe" / "ets185_chart_2015-12-03.html"
SNAPSHOT_2018 = date(2018, 1, 15)  # SOURCES.md: the archived files' snapshot


class _Handler(SimpleHTTPRequestHandler):
    delay = 0.0

    def do_GET(self) -> None:
        time.sleep(self.delay)
        super().do_GET()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serving(folder: Path, delay: float = 0.0) -> Iterator[str]:
    """A real HTTP server in a thread serving ``folder``; yields its base URL."""
    handler = type("Handler", (_Handler,), {"delay": delay})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(folder)))
    server.daemon_threads = (
        False  # server_close() waits for a slow handler, so its socket is closed in the test
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def mirror(root: Path, shared: Path) -> Path:
    """The archived UNTC files laid out as treaties.un.org serves them (header-only ones under their plain name)."""
    for source in sorted((shared / MTDSG).glob("*.xml")):
        reference = source.name.split(".")[0]
        url = untc_url("http://x", reference).removeprefix("http://x/").replace("%20", " ")
        (root / url).parent.mkdir(parents=True, exist_ok=True)
        (root / url).write_bytes(source.read_bytes())
    chart = root / "en" / "web" / "conventions" / "full-list"
    chart.parent.mkdir(parents=True, exist_ok=True)
    chart.write_bytes(CHART_2015.read_bytes())
    return root


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def pointed(settings: Settings, base: str, **more: Any) -> Settings:
    coe = f"{base}/en/web/conventions/full-list?module=signatures-by-treaty&treatynum={{number}}"
    return replace(settings, untc_url=base, coe_url=coe, **more)


def test_the_real_url_pattern_is_the_one_the_archived_files_came_from() -> None:
    # SOURCES.md cites these two URLs for the archived copies.
    base = "https://treaties.un.org/doc/Publication/MTDSG"
    assert untc_url(base, "XVIII-12-a") == f"{base}/Volume%20II/Chapter%20XVIII/XVIII-12-a.en.xml"
    assert untc_url(base, "VI-15") == f"{base}/Volume%20I/Chapter%20VI/VI-15.en.xml"
    with pytest.raises(RefreshError, match="not a UNTC reference"):
        untc_url(base, "18-12")


def test_refresh_untc_from_the_2018_files_reproduces_data_byte_for_byte(
    scratch: Settings, shared: Path, tmp_path: Path
) -> None:
    assert len(untc_references(scratch)) == len(list((shared / MTDSG).glob("*.xml")))
    before = digest(scratch.data_dir)
    with serving(mirror(tmp_path / "www", shared)) as base:
        settings = pointed(scratch, base)
        report = refresh(settings, untc_targets(settings), SNAPSHOT_2018, apply=True)
    assert not report.diff.changed, report.describe()
    assert not report.applied
    assert digest(scratch.data_dir) == before


def _modify(path: Path) -> tuple[str, str]:
    """Drop Albania's row and give one signatory a ratification; return that signatory's name."""
    text = path.read_bytes().decode("latin-1")
    text, dropped = re.subn(r"<Row>\s*<Entry>Albania</Entry>.*?</Row>", "", text, count=1, flags=re.S)
    signatory = re.search(
        r"<Row>\s*<Entry>([A-Z][a-z]+)</Entry>\s*<Entry>\d+ \w+ \d{4}</Entry>\s*(<Entry />)\s*</Row>", text
    )
    assert dropped == 1 and signatory is not None
    text = text[: signatory.start(2)] + "<Entry>1 Jun 2017</Entry>" + text[signatory.end(2) :]
    path.write_bytes(text.encode("latin-1"))
    return "ALB", signatory.group(1)


def test_a_modified_file_is_reported_and_written_only_with_apply(
    scratch: Settings, shared: Path, tmp_path: Path
) -> None:
    www = mirror(tmp_path / "www", shared)
    gone, newcomer = _modify(www / "Volume II" / "Chapter XVIII" / "XVIII-12-a.en.xml")
    before = digest(scratch.data_dir)
    with serving(www) as base:
        settings = pointed(scratch, base)
        targets = untc_targets(settings, "XVIII", "12-a")
        report = refresh(settings, targets, SNAPSHOT_2018)
        assert digest(scratch.data_dir) == before, "without --apply nothing is written"
        summary = "\n".join(report.describe())
        assert re.search(r"untoc-tip: \+1 parties \(\w{3}\), -1 parties \(ALB\)", summary), summary
        assert gone == "ALB" and newcomer
        assert "treaty-actions/untoc-tip.csv" in report.diff.files
        applied = refresh(settings, targets, SNAPSHOT_2018, apply=True)
    assert applied.applied and "built" in applied.build
    after = (scratch.data_dir / "treaty-actions" / "untoc-tip.csv").read_text(encoding="utf-8")
    assert "jurisdiction/ALB" not in after
    assert (scratch.build_path / "dataset" / "tfkg.nq").is_file()


def test_refresh_coe_reads_the_chart_page(scratch: Settings, shared: Path, tmp_path: Path) -> None:
    with serving(mirror(tmp_path / "www", shared)) as base:
        settings = pointed(scratch, base)
        report = refresh(settings, coe_targets(settings, 185))
    summary = "\n".join(report.describe())
    assert "ets-185:" in summary and "sources: 1 new (coe-chart-ets-185-2015-12-03)" in summary
    assert "nothing written" in summary


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("timeout", r"no answer within 0\.2 s \(timeout\); nothing changed"),
        ("http-error", r"HTTP 404 .*; nothing changed"),
        ("format", r"not readable as UNTC XVIII-12-a \(.*\); nothing changed"),
    ],
)
def test_a_failed_fetch_says_so_in_one_line_and_changes_nothing(
    scratch: Settings, shared: Path, tmp_path: Path, case: str, expected: str
) -> None:
    www = mirror(tmp_path / "www", shared)
    target = www / "Volume II" / "Chapter XVIII" / "XVIII-12-a.en.xml"
    if case == "http-error":
        target.unlink()
    if case == "format":
        target.write_text("<html><body>The status page moved.</body></html>", encoding="utf-8")
    before = digest(scratch.data_dir)
    with serving(www, delay=1.0 if case == "timeout" else 0.0) as base:
        result = CliRunner().invoke(
            main,
            [
                "--root",
                str(scratch.root),
                "refresh",
                "untc",
                "--chapter",
                "XVIII",
                "--number",
                "12-a",
                "--apply",
            ]
            + (["--timeout", "0.2"] if case == "timeout" else []),
            env={"TFKG_UNTC_URL": base},
        )
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and re.search(expected, lines[0]), result.output
    assert "Traceback" not in result.output
    assert digest(scratch.data_dir) == before


def test_a_chart_page_in_another_format_changes_nothing(
    scratch: Settings, shared: Path, tmp_path: Path
) -> None:
    www = mirror(tmp_path / "www", shared)
    (www / "en" / "web" / "conventions" / "full-list").write_text("<html><p>CETS No.185</p></html>")
    before = digest(scratch.data_dir)
    with serving(www) as base:
        settings = pointed(scratch, base)
        with pytest.raises(RefreshError, match=r"not readable as CoE chart 185 .*layout changed"):
            refresh(settings, coe_targets(settings, 185), apply=True)
    assert digest(scratch.data_dir) == before


def test_chapter_and_number_go_together(scratch: Settings) -> None:
    with pytest.raises(RefreshError, match="both --chapter and --number"):
        untc_targets(scratch, "XVIII", None)
