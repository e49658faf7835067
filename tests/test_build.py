"""`tfkg build`: refuses bad rows with file, line and rule, and never breaks the last build."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tfkg.build import DATASET_FILE, BuildRefused, build, dataset_folder
from tfkg.build.mint import CellError, period
from tfkg.cli import main
from tfkg.config import Settings


def append(path: Path, line: str) -> int:
    """Append a row; return its line number."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text + line + "\n", encoding="utf-8")
    return text.count("\n") + 1


def test_a_bad_date_is_refused_with_file_and_line(scratch: Settings) -> None:
    table = scratch.data_dir / "treaty-actions" / "untoc.csv"
    line = append(
        table,
        "instrument/untoc,jurisdiction/CHE,action-type/ratification,2006-13-45,,,,untc-xviii-12-2014,test",
    )
    with pytest.raises(BuildRefused) as refused:
        build(scratch)
    assert f"{table}:{line}: '2006-13-45' is not a date; write YYYY-MM-DD" in refused.value.message


def test_an_unknown_reference_is_refused(scratch: Settings) -> None:
    table = scratch.data_dir / "memberships" / "fatf.csv"
    line = append(
        table, "organization/fatf,jurisdiction/ATL,role/member,<=2026-07-31,,fatf-fsrb-members-2026-07,test"
    )
    with pytest.raises(BuildRefused) as refused:
        build(scratch)
    assert f"{table}:{line}: jurisdiction/ATL is not defined" in refused.value.message


def test_an_unknown_source_is_refused(scratch: Settings) -> None:
    table = scratch.data_dir / "mandates.csv"
    line = append(table, "organization/fatf,crime-area/money-laundering,,,,no-such-source,test")
    with pytest.raises(BuildRefused) as refused:
        build(scratch)
    assert (
        f"{table}:{line}: source 'no-such-source' is not a key of data/sources.csv" in refused.value.message
    )


@pytest.mark.slow
def test_a_shape_violation_names_the_row_and_keeps_the_previous_build(scratch: Settings) -> None:
    first = build(scratch)
    published = (first.folder / DATASET_FILE).read_bytes()
    table = scratch.data_dir / "instruments.csv"
    line = append(table, "orphan-protocol,protocol,An orphan protocol,,,,,,,,,,,,,,,,untc-xviii-12-2014,test")
    with pytest.raises(BuildRefused) as refused:
        build(scratch)
    assert f"{table}:{line}: https://w3id.org/tfkg/id/instrument/orphan-protocol" in refused.value.message
    assert "rule: shape ProtocolShape" in refused.value.message
    assert (dataset_folder(scratch) / DATASET_FILE).read_bytes() == published


@pytest.mark.slow
def test_cli_build_then_stats(scratch: Settings) -> None:
    runner = CliRunner()
    root = ["--root", str(scratch.root)]
    env = {"TFKG_BUILD_DIR": str(scratch.build_path)}
    built = runner.invoke(main, [*root, "build"], env=env)
    assert built.exit_code == 0, built.output
    assert "triples in" in built.output
    stats = runner.invoke(main, [*root, "stats"], env=env)
    assert stats.exit_code == 0, stats.output
    untoc = next(line for line in stats.output.splitlines() if "Transnati" in line)
    assert "179 2014-01-27" in untoc and "192 2024-05-04" in untoc and "+13 parties" in untoc
    assert "no member list in the sources" in stats.output


def source_row(key: str, kind: str, snapshot: str) -> str:
    return (
        f"{key},A test source,Tester,{kind},https://example.org/{key},{snapshot},written by hand for a test"
    )


@pytest.mark.parametrize(
    ("cell", "first", "last", "datatype"),
    [
        ("2023-10-05", "2023-10-05", "2023-10-05", "date"),
        ("2023-10", "2023-10-01", "2023-10-31", "gYearMonth"),
        ("2024-02", "2024-02-01", "2024-02-29", "gYearMonth"),
        ("2023", "2023-01-01", "2023-12-31", "gYear"),
    ],
)
def test_a_snapshot_keeps_the_precision_its_source_gives(
    cell: str, first: str, last: str, datatype: str
) -> None:
    found = period(cell)
    assert (found.first.isoformat(), found.last.isoformat()) == (first, last)
    assert str(found.literal) == cell and str(found.literal.datatype).endswith("#" + datatype)
    assert found.is_day == (datatype == "date")


@pytest.mark.parametrize("cell", ["2023-13", "23-10", "2023-10-32", "<=2023-10-01", "October 2023", ""])
def test_a_snapshot_that_is_no_date_is_refused(cell: str) -> None:
    with pytest.raises(CellError, match="YYYY-MM-DD, or YYYY-MM or YYYY"):
        period(cell)


@pytest.mark.parametrize(
    ("kind", "snapshot", "message"),
    [
        ("source-kind/blog", "2023-10", "source-kind/blog is not defined in any table or vocabulary"),
        ("role/member", "2023-10", "'role/member' is not a reference of kind source-kind"),
        ("", "2023-10", "a source needs its kind: source-kind/…"),
        ("source-kind/news", "2023-13", "snapshot_date: '2023-13' is not a date"),
    ],
)
def test_a_bad_source_kind_or_snapshot_is_refused(
    scratch: Settings, kind: str, snapshot: str, message: str
) -> None:
    table = scratch.data_dir / "sources.csv"
    line = append(table, source_row("bad-source", kind, snapshot))
    with pytest.raises(BuildRefused) as refused:
        build(scratch)
    assert f"{table}:{line}: {message}" in refused.value.message


def test_a_year_month_snapshot_is_its_first_day_and_its_period(scratch: Settings) -> None:
    import pyoxigraph as ox

    table = scratch.data_dir / "sources.csv"
    append(table, source_row("month-source", "source-kind/encyclopedia", "2023-10"))
    append(table, source_row("year-source", "source-kind/news", "2023"))
    append(table, source_row("day-source", "source-kind/official", "2023-10-05"))
    store = ox.Store()
    store.load(path=build(scratch).folder / DATASET_FILE, format=ox.RdfFormat.N_QUADS)
    rows = store.query(
        """PREFIX tfkg: <https://w3id.org/tfkg/ontology#>
        SELECT ?key ?date ?period ?kind WHERE {
          VALUES ?key { "month-source" "year-source" "day-source" }
          BIND (IRI(CONCAT("https://w3id.org/tfkg/id/source/", ?key)) AS ?s)
          ?s tfkg:snapshotDate ?date ; tfkg:sourceKind ?kind . OPTIONAL { ?s tfkg:snapshotPeriod ?period }
        } ORDER BY ?date ?key""",
        use_default_graph_as_union=True,
    )
    assert isinstance(rows, ox.QuerySolutions)
    found = [(r["key"].value, r["date"], r["period"], r["kind"].value.rsplit("/", 1)[-1]) for r in rows]
    xsd = "http://www.w3.org/2001/XMLSchema#"
    assert found == [
        (
            "year-source",
            ox.Literal("2023-01-01", datatype=ox.NamedNode(xsd + "date")),
            ox.Literal("2023", datatype=ox.NamedNode(xsd + "gYear")),
            "news",
        ),
        (
            "month-source",
            ox.Literal("2023-10-01", datatype=ox.NamedNode(xsd + "date")),
            ox.Literal("2023-10", datatype=ox.NamedNode(xsd + "gYearMonth")),
            "encyclopedia",
        ),
        ("day-source", ox.Literal("2023-10-05", datatype=ox.NamedNode(xsd + "date")), None, "official"),
    ], "a snapshot sorts by its first day, and keeps the month or year it is known to"
