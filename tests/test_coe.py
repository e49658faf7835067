"""Council of Europe charts: the Treaty Office's page and the archived Budapest versions in, cited rows out.

The HTML fixtures reproduce the chart page's two layouts (coe.int since 2015, conventions.coe.int
before) holding the rows of the archived copies in shared/sources/curated-2026-12/
status-pages-partial/coe_ets185_budapest; the expected values below are read off those copies.
"""

from __future__ import annotations

import csv
import hashlib
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from tfkg.build.coverage import coverage
from tfkg.cli import main
from tfkg.config import Settings
from tfkg.errors import DataError
from tfkg.importers.coe import CHART_URL, chart_facts, import_coe, import_coe_archive
from tfkg.importers.coechart import ChartRow, read_chart

from .conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "coe"
CHART_2015 = FIXTURES / "ets185_chart_2015-12-03.html"
CHART_2004 = FIXTURES / "ets185_chart_2004-06-18.html"
ARCHIVE = "sources/curated-2026-12/status-pages-partial/coe_ets185_budapest"
VERSIONS = {
    "ets185_status_2004-06-18_conventions.coe.int.csv": ("coe-chart-ets-185-2004", False),
    "ets185_status_2015-12-03_coe.int.csv": ("coe-chart-ets-185-2015", True),
    "ets185_status_2020-03-13_netlawgic_copy.csv": ("coe-chart-ets-185-2020-netlawgic", True),
}


def table(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def of(rows: list[dict[str, str]], **match: str) -> list[dict[str, str]]:
    return [r for r in rows if all(r[k] == v for k, v in match.items())]


def test_the_chart_page_is_read_by_its_column_headings() -> None:
    chart = read_chart(CHART_2015)
    assert (chart.number, chart.title, chart.status_as_of) == (
        185,
        "Convention on Cybercrime",
        date(2015, 12, 3),
    )
    assert chart.entry_into_force == date(2004, 7, 1)
    assert "5 Ratifications including at least 3 member States" in chart.entry_into_force_text
    assert not chart.whole, "the copy has no footer: it is a part of the chart"
    rows = {r.state: r for r in chart.rows}
    assert len(rows) == 17 and set(rows) >= {"Albania", "Andorra", "Georgia", "Germany"}
    assert (rows["Austria"].ratification, rows["Austria"].entry_into_force) == ("13/06/2012", "01/10/2012")
    assert rows["Austria"].marks == ("R", "D", "A")
    assert rows["Denmark"].marks == ("R", "A", "T")
    assert rows["Andorra"].ratification == "" and rows["Andorra"].marks == ()
    assert rows["Germany"].entry_into_force == "", "Germany's entry into force is cut in the copy"
    assert rows["Albania"].group == "Members of Council of Europe"


def test_the_old_layout_is_read_too_with_its_x_marks() -> None:
    chart = read_chart(CHART_2004)
    assert (chart.number, chart.status_as_of, chart.entry_into_force) == (
        185,
        date(2004, 6, 18),
        date(2004, 7, 1),
    )
    rows = {r.state: r for r in chart.rows}
    assert len(rows) == 19
    assert rows["Azerbaijan"].signature == "" and rows["Azerbaijan"].marks == ("R", "D", "A", "T")
    assert (rows["Hungary"].ratification, rows["Hungary"].entry_into_force) == ("4/12/2003", "1/7/2004")
    assert rows["Iceland"].signature == "30/11/2001"


def test_import_coe_writes_dated_actions_and_one_statement_per_mark(scratch: Settings) -> None:
    data = scratch.data_dir
    others = [r for r in table(data / "treaty-actions" / "ets-185.csv")]
    result = import_coe(scratch, CHART_2015)
    assert result.source == "coe-chart-ets-185-2015-12-03"
    actions = table(data / "treaty-actions" / "ets-185.csv")
    mine = of(actions, source=result.source)
    austria = of(mine, party="jurisdiction/AUT")
    assert {(r["action_type"], r["date"], r["entry_into_force_for_party"]) for r in austria} == {
        ("action-type/signature", "2001-11-23", ""),
        ("action-type/ratification", "2012-06-13", "2012-10-01"),
    }, "a signature binds no one: only the ratification carries the party's entry into force"
    assert [r["action_type"] for r in of(mine, party="jurisdiction/AND")] == ["action-type/signature"]
    germany = of(mine, party="jurisdiction/DEU", action_type="action-type/ratification")
    assert [(r["date"], r["entry_into_force_for_party"]) for r in germany] == [("2009-03-09", "")]
    assert all(r in actions for r in others), "rows of other sources are kept"
    statements = of(table(data / "statements" / "ets-185.csv"), source=result.source)
    assert sorted(r["kind"] for r in of(statements, party="jurisdiction/DNK")) == [
        "declaration",  # T.: territorial application
        "notification",  # A.: authorities
        "reservation",  # R.
    ]
    assert all(r["text"] == "" and r["date"] == "" and r["targets"] == "" for r in statements), (
        "the chart gives no text, date or article, so none is invented"
    )
    assert len(statements) == sum(len(r.marks) for r in read_chart(CHART_2015).rows)
    source = of(table(data / "sources.csv"), key=result.source)[0]
    assert (source["kind"], source["snapshot_date"]) == ("source-kind/official", "2015-12-03")
    assert source["authority_url"] == CHART_URL.format(number=185)
    assert not of(table(data / "depositary-status.csv"), source=result.source), "no totals on a prefix"
    before = digest(data)
    import_coe(scratch, CHART_2015)
    assert digest(data) == before, "importing the same page again changes nothing"


def test_a_whole_chart_records_the_treaty_offices_totals(scratch: Settings, tmp_path: Path) -> None:
    page = tmp_path / "chart.html"
    footer = (
        "<p>Total number of signatures not followed by ratifications: 1</p>"
        "<p>Total number of ratifications/accessions: 16</p>"
    )
    page.write_text(
        CHART_2015.read_text(encoding="utf-8").replace("</body>", footer + "</body>"), encoding="utf-8"
    )
    result = import_coe(scratch, page, source_key="coe-chart-test")
    assert "16 ratifications/accessions" in result.note
    status = of(table(scratch.data_dir / "depositary-status.csv"), source="coe-chart-test")
    assert [(r["instrument"], r["parties"], r["entry_into_force"]) for r in status] == [
        ("instrument/ets-185", "16", "2004-07-01")
    ]


def test_notes_codes_name_the_kind_of_consent(tmp_path: Path) -> None:
    def row(notes: str) -> ChartRow:
        return ChartRow("Montenegro", "", "", "06/06/2006", "06/06/2006", notes, (), 9, "test row")

    for notes, expected in (("su", "succession"), ("a", "accession"), ("", "ratification")):
        actions, _ = chart_facts([row(notes)], "ets-185", "test", tmp_path, "test", marks=True)
        assert [a["action_type"] for a in actions] == [f"action-type/{expected}"]


def test_a_page_that_is_not_a_chart_changes_nothing(scratch: Settings, tmp_path: Path) -> None:
    page = tmp_path / "moved.html"
    page.write_text(
        "<html><body><h3>Chart of signatures and ratifications of Treaty 185</h3><p>CETS No.185</p>"
        "<p>The chart has moved.</p></body></html>",
        encoding="utf-8",
    )
    before = digest(scratch.data_dir)
    result = CliRunner().invoke(main, ["--root", str(scratch.root), "import", "coe", str(page)])
    assert result.exit_code == 2
    assert "layout changed" in result.output and "Traceback" not in result.output
    assert digest(scratch.data_dir) == before


def test_an_unknown_state_is_refused_with_its_line(scratch: Settings, tmp_path: Path) -> None:
    page = tmp_path / "chart.html"
    page.write_text(
        CHART_2015.read_text(encoding="utf-8").replace(">Andorra<", ">Atlantis<"), encoding="utf-8"
    )
    before = digest(scratch.data_dir)
    with pytest.raises(DataError, match=r"line 35: .*Atlantis"):
        import_coe(scratch, page)
    assert digest(scratch.data_dir) == before


def test_the_archived_versions_stay_side_by_side(scratch: Settings, shared: Path) -> None:
    for name, (_, marks) in VERSIONS.items():
        import_coe_archive(scratch, shared / ARCHIVE / name, "ets-185", marks)
    actions = table(scratch.data_dir / "treaty-actions" / "ets-185.csv")
    statements = table(scratch.data_dir / "statements" / "ets-185.csv")
    albania = of(actions, party="jurisdiction/ALB", action_type="action-type/signature", date="2001-11-23")
    assert sorted(r["source"] for r in albania) == sorted(key for key, _ in VERSIONS.values())
    for name, (key, marks) in VERSIONS.items():
        archived = table(shared / ARCHIVE / name)
        dated = [r for r in archived if r["signature"] or r["ratification"]]
        assert len({r["party"] for r in of(actions, source=key)}) == len(dated), name
        expected_marks = sum(1 for r in archived for m in "RDATCO" if r[m]) if marks else 0
        assert len(of(statements, source=key)) == expected_marks, name
        for r in of(actions, source=key):
            assert r["locator"].startswith("archived chart as of"), "each row quotes its evidence"
    iceland = of(actions, party="jurisdiction/ISL")
    assert [(r["action_type"], r["date"], r["source"]) for r in iceland] == [
        ("action-type/signature", "2001-11-30", "coe-chart-ets-185-2004")
    ]
    assert of(actions, party="jurisdiction/NLD", source="wipo-budapest-territorial"), "hand rows are kept"


def test_an_archived_version_must_agree_with_its_source_row(scratch: Settings, shared: Path) -> None:
    sources = scratch.data_dir / "sources.csv"
    sources.write_text(
        sources.read_text(encoding="utf-8").replace(",2015-12-03,", ",2015-12-04,", 1), encoding="utf-8"
    )
    with pytest.raises(DataError, match="status as of 2015-12-03 but source coe-chart-ets-185-2015"):
        import_coe_archive(
            scratch, shared / ARCHIVE / "ets185_status_2015-12-03_coe.int.csv", "ets-185", True
        )


def test_coverage_never_calls_a_part_of_a_chart_complete(built_dataset: Path, shared: Path) -> None:
    report = coverage(built_dataset)
    # The archive's README found no chart for ETS 024 or ETS 030; their rows in data/ are
    # hand-curated from pages that each give one State or a few (a State's reservations page,
    # a national gazette, a page of a reproduced list of declarations), none with the chart's
    # total: every such source is a part of the chart, never complete.
    uncharted = {i.rsplit("/", 1)[-1] for i, _ in report.uncharted}
    assert not {"ets-024", "ets-030"} & uncharted
    for c in report.charts:
        if c.instrument.rsplit("/", 1)[-1] in {"ets-024", "ets-030"}:
            assert c.stated is None and "not complete" in c.verdict, c.source
    charts = {c.source: c for c in report.charts}
    for name, (key, _) in VERSIONS.items():
        archived = table(shared / ARCHIVE / name)
        states = {r["state"] for r in archived if r["signature"] or r["ratification"]}
        if any(r[m] for r in archived for m in "RDATCO") and VERSIONS[name][1]:
            states |= {r["state"] for r in archived if any(r[m] for m in "RDATCO")}
        assert charts[key].states == len(states), key
        assert charts[key].stated is None and "not complete" in charts[key].verdict


def test_the_same_act_from_two_versions_stays_two_cited_facts(built_dataset: Path) -> None:
    from tfkg.build.stats import load_store

    # Albania signed on 23/11/2001 according to all three archived versions of the chart.
    result = load_store(built_dataset).query(
        """PREFIX tfkg: <https://w3id.org/tfkg/ontology#> PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?action ?source WHERE { GRAPH ?g {
          ?action tfkg:instrument <https://w3id.org/tfkg/id/instrument/ets-185> ;
                  tfkg:party <https://w3id.org/tfkg/id/jurisdiction/ALB> ;
                  tfkg:actionType <https://w3id.org/tfkg/id/action-type/signature> ;
                  prov:wasDerivedFrom ?source } }"""
    )
    pairs = {(str(row["action"]), str(row["source"])) for row in result}  # type: ignore[union-attr]
    assert len(pairs) == 3
    assert len({a for a, _ in pairs}) == 3 and len({s for _, s in pairs}) == 3
