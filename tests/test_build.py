"""`tfkg build`: refuses bad rows with file, line and rule, and never breaks the last build."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tfkg.build import DATASET_FILE, BuildRefused, build, dataset_folder
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
    line = append(table, "orphan-protocol,protocol,An orphan protocol,,,,,,,,,,,,,,,untc-xviii-12-2014,test")
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
    assert "179 2014-01-27" in untoc and "189 2018-01-15" in untoc and "+10 parties" in untoc
    assert "no member list in the sources" in stats.output
