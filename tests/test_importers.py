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
from tfkg.importers.eio import LOCATOR_LIMIT, import_eio_application
from tfkg.importers.manifest import run_all
from tfkg.importers.mtdsg import repair
from tfkg.importers.untc import column_meaning, import_untc, targets_in
from tfkg.names import UnknownJurisdictionError, alpha2_to_key, jurisdiction_key

from .conftest import ROOT

MTDSG = "sources/untc/mtdsg-xml-2018-01"
EIO = "sources/curated-2026-12/eio_transposition_dates/eio_directive_2014_41_national_application.csv"


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


def eio_rows(settings: Settings) -> dict[str, dict[str, str]]:
    table = settings.data_dir / "applications" / "eio-directive.csv"
    return {r["party"].removeprefix("jurisdiction/"): r for r in rows(table)}


def test_eio_application_dates_keep_their_precision(scratch: Settings, shared: Path) -> None:
    """A day stays a day, 'by a date' stays 'not later than', and an act's date is no start but a
    lower bound: a law applies no earlier than its own date or publication."""
    count, left_out = import_eio_application(scratch, shared / EIO)
    applications = eio_rows(scratch)
    assert count == len(applications) == 26
    assert applications["LTU"]["from"] == "2017-06-15"
    assert applications["PRT"]["from"] == "2017-08-22", "the day after publication, from the act's art. 50"
    assert {applications[k]["from"] for k in ("FRA", "HUN", "LVA")} == {"<=2017-05-23"}
    italy = applications["ITA"]
    assert (italy["bound"], italy["from"]) == ("true", ">=2017-07-13")
    assert "published 2017-07-13" in italy["note"] and "entry into force not in the source" in italy["note"]
    for state in ("NLD", "ROU", "CYP", "HRV", "POL", "SVN", "LUX"):
        assert applications[state]["from"].startswith(">="), f"{state}: the act's date is only a lower bound"
    assert (applications["CYP"]["from"], applications["HRV"]["from"]) == (">=2017-12-01", ">=2017-01-01")
    assert applications["CYP"]["note"].count("2017-12") == 1, "the month of publication stays a month"
    assert (applications["DNK"]["bound"], applications["IRL"]["bound"]) == ("false", "false")
    assert "MLT" not in applications and left_out == ["Malta (MT): no source in the table"]


def test_eio_applications_cite_the_source_with_their_url(scratch: Settings, shared: Path) -> None:
    import_eio_application(scratch, shared / EIO)
    sources = {r["key"]: r for r in rows(scratch.data_dir / "sources.csv")}
    with (shared / EIO).open(encoding="utf-8", newline="") as handle:
        curated = {alpha2_to_key(r["iso2"]): r for r in csv.DictReader(handle)}
    for party, row in eio_rows(scratch).items():
        assert sources[row["source"]]["authority_url"] == curated[party]["source_url"], party
        assert sources[row["source"]]["kind"].startswith("source-kind/")
        assert row["locator"].startswith("'") and len(row["locator"]) <= LOCATOR_LIMIT + 2
    assert eio_rows(scratch)["DEU"]["source"] == "ejn-eio-status", "an existing source is reused by its URL"
    assert eio_rows(scratch)["FRA"]["source"] == "ejn-news-eio-2017"


def test_eio_conversion_is_reproducible(scratch: Settings, shared: Path) -> None:
    table = scratch.data_dir / "applications" / "eio-directive.csv"
    import_eio_application(scratch, shared / EIO)
    first = table.read_bytes()
    import_eio_application(scratch, shared / EIO)
    assert table.read_bytes() == first == (ROOT / "data" / "applications" / "eio-directive.csv").read_bytes()


def test_eio_conversion_refuses_a_url_with_no_source_row(scratch: Settings, shared: Path) -> None:
    table = scratch.data_dir / "sources.csv"
    kept = [line for line in table.read_text().splitlines(keepends=True) if "elta.lt" not in line]
    table.write_text("".join(kept))
    with pytest.raises(
        DataError, match=r"no row of data/sources.csv has authority_url http://pranesimai\.elta"
    ):
        import_eio_application(scratch, shared / EIO)


def test_a_long_evidence_quote_is_cut_at_a_word() -> None:
    from tfkg.importers.eio import _locator

    quote = "word " * 100
    locator = _locator(quote.strip())
    assert locator.endswith(" …'") and len(locator) <= LOCATOR_LIMIT + 2 and "wor …" not in locator
    assert _locator("short quote") == "'short quote'"
