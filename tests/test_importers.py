"""Importers and conversions: genuine UNTC files in, the project's own tables out, reproducibly."""

from __future__ import annotations

import csv
import filecmp
from pathlib import Path

import pytest
from click.testing import CliRunner

from tfkg.cli import main
from tfkg.config import Settings
from tfkg.errors import DataError
from tfkg.importers.manifest import run_all
from tfkg.importers.mtdsg import repair
from tfkg.importers.untc import column_meaning, import_untc, targets_in
from tfkg.names import UnknownJurisdictionError, jurisdiction_key

from .conftest import ROOT

MTDSG = "sources/untc/mtdsg-xml-2018-01"


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_repair_restores_the_characters_the_export_mangled() -> None:
    raw = b"<t>\x1c\x26 [T]he Government\x19s view\x1d &amp; more</t>"
    assert repair(raw) == "<t>\u201c\u2026 [T]he Government\u2019s view\u201d &amp; more</t>"


def test_column_labels_define_the_suffix_codes() -> None:
    plain, codes = column_meaning("Ratification, Acceptance(A), Approval(AA), Accession(a), Succession(d)")
    assert plain == "ratification"
    assert codes == {"A": "acceptance", "AA": "approval", "a": "accession", "d": "succession"}
    assert column_meaning("Definitive signature(s), Ratification, Accession(a), Succession(d)")[0] == (
        "consent-to-be-bound"
    ), "a plain date under two uncoded terms is ambiguous: tfkg says only 'consent'"
    assert column_meaning("Signature") == ("signature", {})


def test_targets_are_read_from_the_statement_text() -> None:
    text = (
        "does not consider itself bound by paragraph 2 of article 15; reservation to article 35, paragraph 2"
    )
    assert targets_in(text, "untoc") == ["provision/untoc-art-15-2", "provision/untoc-art-35-2"]


def test_unknown_names_fail_with_close_matches() -> None:
    assert jurisdiction_key("Iran (Islamic Republic of)") == "IRN"
    assert jurisdiction_key("China<superscript>1,4</superscript>") == "CHN"
    with pytest.raises(UnknownJurisdictionError, match=r"close matches: .*switzerland"):
        jurisdiction_key("Switzerlandd")


def test_import_untc_on_the_genuine_trafficking_protocol_file(scratch: Settings, shared: Path) -> None:
    from datetime import date

    result = import_untc(scratch, shared / MTDSG / "XVIII-12-a.en.xml", date(2018, 1, 15))
    assert (result.instrument, result.parties) == ("untoc-tip", 173)
    actions = rows(scratch.data_dir / "treaty-actions" / "untoc-tip.csv")
    assert {r["source"] for r in actions} == {"untc-xviii-12-a-2018-01"}
    che = [
        r for r in actions if r["party"] == "jurisdiction/CHE" and r["action_type"] != "action-type/signature"
    ]
    assert che and che[0]["entry_into_force_for_party"], "art. 17(2) gives every consent its own date"
    statements = rows(scratch.data_dir / "statements" / "untoc-tip.csv")
    bahamas = next(r for r in statements if r["party"] == "jurisdiction/BHS")
    assert bahamas["kind"] == "reservation"
    assert "provision/untoc-tip-art-15-2" in bahamas["targets"].split()
    assert "\u201c" in bahamas["text"], "the typographic quote is restored, not dropped"
    objections = [r for r in statements if r["kind"] == "objection"]
    assert objections and all(r["objects_to"].startswith("jurisdiction/") for r in objections)
    status = rows(scratch.data_dir / "depositary-status.csv")
    assert {"instrument": "instrument/untoc-tip", "parties": "173"}.items() <= next(
        r for r in status if r["instrument"] == "instrument/untoc-tip"
    ).items()


def test_import_refuses_a_treaty_without_an_instrument_row(scratch: Settings, shared: Path) -> None:
    from datetime import date

    table = scratch.data_dir / "instruments.csv"
    kept = [line for line in table.read_text().splitlines(keepends=True) if ",XVIII-12-a," not in line]
    table.write_text("".join(kept))
    with pytest.raises(DataError, match="untc_reference 'XVIII-12-a'"):
        import_untc(scratch, shared / MTDSG / "XVIII-12-a.en.xml", date(2018, 1, 15))


def test_import_all_reproduces_data_exactly(scratch: Settings, shared: Path) -> None:
    """data/ is what the conversions write: rerunning them changes nothing."""
    run_all(scratch, shared)
    compared = filecmp.dircmp(ROOT / "data", scratch.data_dir)
    differing: list[str] = []

    def collect(cmp: filecmp.dircmp[str], prefix: str = "") -> None:
        differing.extend(prefix + name for name in cmp.diff_files + cmp.left_only + cmp.right_only)
        for name, sub in cmp.subdirs.items():
            collect(sub, f"{prefix}{name}/")

    collect(compared)
    assert differing == []


def test_cli_import_untc_reports_a_broken_file_without_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "XVIII-99.en.xml"
    bad.write_text("<Document><Treaty>\n<Header>\n</Document>")
    result = CliRunner().invoke(
        main, ["--root", str(ROOT), "import", "untc", str(bad), "--snapshot-date", "2018-01-15"]
    )
    assert result.exit_code == 2
    assert f"{bad}:" in result.output and "Traceback" not in result.output
