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


#: What ISO 3166-2 (pycountry 26.2.16) codes as part of another country, entry → state.
DUAL_CODED = {
    "ABW": "NLD",  # NL-AW
    "ALA": "FIN",  # FI-01 Landskapet Åland
    "ASM": "USA",  # US-AS
    "ATF": "FRA",  # FR-TF Terres australes françaises
    "BES": "NLD",  # NL-BQ1 Bonaire, NL-BQ2 Saba, NL-BQ3 Sint Eustatius
    "BLM": "FRA",  # FR-BL
    "CUW": "NLD",  # NL-CW
    "GLP": "FRA",  # FR-971
    "GUF": "FRA",  # FR-973 Guyane (française)
    "GUM": "USA",  # US-GU
    "HKG": "CHN",  # CN-HK
    "MAC": "CHN",  # CN-MO
    "MAF": "FRA",  # FR-MF
    "MNP": "USA",  # US-MP
    "MTQ": "FRA",  # FR-972
    "MYT": "FRA",  # FR-976
    "NCL": "FRA",  # FR-NC Nouvelle-Calédonie
    "PRI": "USA",  # US-PR
    "PYF": "FRA",  # FR-PF Polynésie française
    "REU": "FRA",  # FR-974 La Réunion
    "SJM": "NOR",  # NO-21 Svalbard, NO-22 Jan Mayen
    "SPM": "FRA",  # FR-PM
    "SXM": "NLD",  # NL-SX
    "UMI": "USA",  # US-UM
    "VIR": "USA",  # US-VI
    "WLF": "FRA",  # FR-WF
}


def test_dual_coded_entries_are_read_from_iso_3166_2() -> None:
    from tfkg.importers.subdivisions import dual_coded

    found = dual_coded()
    assert {k: v.state for k, v in found.items()} == DUAL_CODED
    assert found["HKG"].locator == "ISO 3166-2:CN CN-HK (Hong Kong SAR, special administrative region)"
    assert found["GUF"].locator.startswith("ISO 3166-2:FR FR-973 (Guyane (française)")
    assert "NO-21 (Svalbard" in found["SJM"].locator and "NO-22 (Jan Mayen" in found["SJM"].locator


def test_a_code_alone_never_makes_a_territory() -> None:
    """ISO 3166-2 reuses codes: CH-GL is Glarus, CA-YT Yukon, BJ-MO Mono; GN-ML, a Guinean
    prefecture called Mali, matches by code and name but sits within a region (GN-L)."""
    from tfkg.importers.subdivisions import dual_coded, name_forms

    found = dual_coded()
    assert not {"GRL", "MLI", "GAB", "SAU"} & found.keys()
    assert "TWN" not in found, "CN-TW is excluded: Taiwan is not treated as bound through China"
    assert name_forms("Hong Kong SAR") & name_forms("Hong Kong")
    assert name_forms("La Réunion") & name_forms("Réunion")
    assert name_forms("Saint-Martin") & name_forms("Saint Martin (French part)")
    assert not name_forms("Glarus") & name_forms("Greenland")


def jurisdiction_rows(settings: Settings) -> dict[str, dict[str, str]]:
    return {r["key"]: r for r in rows(settings.data_dir / "jurisdictions.csv")}


def test_import_jurisdictions_links_territories_and_cites_iso_3166_2(scratch: Settings, shared: Path) -> None:
    from tfkg.importers.jurisdictions import ISO_3166_2_SOURCE, import_jurisdictions

    import_jurisdictions(scratch, shared / "sources" / "memberships" / "country_converter_memberships.csv")
    table = jurisdiction_rows(scratch)
    territories = {
        k: r["part_of"].removeprefix("jurisdiction/") for k, r in table.items() if r["kind"] == "territory"
    }
    named_by_applications = {  # the territorial applications of the 1961 Convention and 1972 Protocol
        **dict.fromkeys(["BMU", "CYM", "GGY", "GIB", "IMN", "JEY", "MSR", "VGB"], "GBR"),
        **dict.fromkeys(["CXR", "NFK"], "AUS"),
    }
    assert territories == DUAL_CODED | {"FRO": "DNK", "GRL": "DNK"} | named_by_applications
    hong_kong = table["HKG"]
    assert (hong_kong["source"], hong_kong["locator"]) == (
        ISO_3166_2_SOURCE,
        "ISO 3166-2:CN CN-HK (Hong Kong SAR, special administrative region)",
    )
    assert table["CUW"]["source"] == "wipo-budapest-territorial", "a treaty action's link keeps its source"
    assert table["FRO"]["source"] == table["GRL"]["source"] == "untc-xviii-12-b-2018-01"
    assert (table["TWN"]["kind"], table["TWN"]["part_of"]) == ("jurisdiction", "")
    assert (table["MLI"]["kind"], table["MLI"]["part_of"]) == ("state", "")
    source = {r["key"]: r for r in rows(scratch.data_dir / "sources.csv")}[ISO_3166_2_SOURCE]
    assert source["kind"] == "source-kind/compiled-dataset" and "pycountry" in source["retrieval_method"]


def test_a_former_sovereigns_treaty_action_does_not_move_a_territory(scratch: Settings, shared: Path) -> None:
    """The UK extended the 1971 Convention to Hong Kong in 1990 (UNTC VI-16, end note 18); today
    ISO 3166-2 codes Hong Kong under China, and that decides whose part it is."""
    from tfkg.importers.jurisdictions import import_jurisdictions

    table = scratch.data_dir / "treaty-actions" / "drugs-1971.csv"
    with table.open("a", encoding="utf-8") as handle:
        handle.write(
            "instrument/drugs-1971,jurisdiction/GBR,action-type/territorial-extension,1990-12-13,,"
            "jurisdiction/HKG,,untc-vi-16-2018-01,end note 18\n"
        )
    import_jurisdictions(scratch, shared / "sources" / "memberships" / "country_converter_memberships.csv")
    assert jurisdiction_rows(scratch)["HKG"]["part_of"] == "jurisdiction/CHN"


def test_a_territorial_application_names_only_todays_territories(scratch: Settings) -> None:
    """The UK's application of 1965 to the 1961 Convention lists colonies that are states now
    (British Honduras, Belize) or another state's part (Hong Kong) beside its territories of today."""
    from tfkg.importers.untc import _dependent_jurisdictions, _named_territories

    dependent = _dependent_jurisdictions(scratch.data_dir)
    text = (
        "Antigua, Bahamas, Basutoland, Bermuda, British Honduras, Belize, Cayman Islands, Gibraltar, "
        "Gilbert and Ellice Islands, Hong Kong, Montserrat"
    )
    assert _named_territories(text, "GBR", dependent) == ["BMU", "CYM", "GIB", "MSR"]
    assert _named_territories(
        "Bailiwick of Guernsey, the Bailiwick of Jersey, the Isle of Man", "GBR", dependent
    ) == [
        "GGY",
        "JEY",
        "IMN",
    ]
