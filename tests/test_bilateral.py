"""Bilateral treaties (importers/bilateral.py): from the compiled tables to tfkg's own cited
tables, and what the conversion may and may not conclude from them. Expected values are read
from shared/sources/bilateral-2026-12 and its READMEs."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tfkg.config import Settings
from tfkg.errors import DataError
from tfkg.importers.bilateral import import_bilateral

NL = "sources/bilateral-2026-12/nl-bwb-treaties/nl_bilateral_extradition_mla.csv"
US = "sources/bilateral-2026-12/us-treaties-pages/us_bilateral_extradition_mla.csv"
NL_PREFIXES = {"github:statengeneraal/laws-markdown/": "nl-bwb-laws-markdown-2017"}
US_PREFIXES = {"github:brian14708/wh-briefings/": "whitehouse-us-alb-2020-message"}


def table(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def treaties(settings: Settings, name: str) -> dict[str, dict[str, str]]:
    return {r["key"]: r for r in table(settings.data_dir / "bilateral" / f"{name}.csv")}


def in_force(settings: Settings, name: str) -> list[dict[str, str]]:
    return table(settings.data_dir / "applications" / f"bilateral-{name}.csv")


def test_a_signature_alone_gives_no_entry_into_force(scratch: Settings, shared: Path) -> None:
    """The Dutch texts give signature dates only (README: no entry-into-force metadata)."""
    import_bilateral(scratch, shared / NL, "nl", NL_PREFIXES)
    found = treaties(scratch, "nl")
    treaty = found["nld-usa-extradition-1980-06-24"]
    assert (treaty["signed"], treaty["partners"]) == ("1980-06-24", "jurisdiction/NLD jurisdiction/USA")
    assert treaty["kind"] == "bilateral-treaty" and treaty["measures"] == "measure/extradition"
    assert treaty["title"].startswith("Uitleveringsverdrag tussen het Koninkrijk der Nederlanden")
    assert treaty["source"] == "nl-bwb-laws-markdown-2017" and "BWBV0001032" in treaty["locator"]
    assert in_force(scratch, "nl") == [], "no row of the Dutch table states an entry into force"


def test_one_instrument_given_twice_is_one_treaty(scratch: Settings, shared: Path) -> None:
    """The Benelux treaty comes once per partner; the 2004 NL-US instrument under two BWB ids."""
    import_bilateral(scratch, shared / NL, "nl", NL_PREFIXES)
    found = treaties(scratch, "nl")
    benelux = found["nld-bel-extradition-mla-1962-06-27"]
    assert benelux["partners"] == "jurisdiction/BEL jurisdiction/LUX jurisdiction/NLD"
    assert benelux["kind"] == "multilateral-treaty", "three partners make no bilateral treaty"
    assert "nld-lux-extradition-mla-1962-06-27" not in found
    applying = found["nld-usa-extradition-2004-09-29"]
    assert "BWBV0004050" in applying["locator"] and "BWBV0006165" in applying["locator"]
    assert applying["amends"] == "instrument/nld-usa-extradition-1980-06-24"
    assert applying["implements"] == "instrument/eu-usa-extradition-2003-06-25"
    assert found["eu-usa-extradition-2003-06-25"]["kind"] == "eu-third-country-agreement"


def test_notes_for_aruba_and_the_antilles_are_scoped_to_them(scratch: Settings, shared: Path) -> None:
    import_bilateral(scratch, shared / NL, "nl", NL_PREFIXES)
    notes = treaties(scratch, "nl")["nld-fra-extradition-1993-07-30"]
    assert notes["territories"].split() == [
        "jurisdiction/ABW",
        "jurisdiction/BES",
        "jurisdiction/CUW",
        "jurisdiction/SXM",
    ]
    assert notes["amends"] == "instrument/ets-024"
    continued = treaties(scratch, "nl")["nld-ken-extradition-1967-11-10"]
    assert continued["amends"] == "instrument/nld-gbr-extradition-1898-09-26"


def test_a_list_of_treaties_in_force_gives_no_day(scratch: Settings, shared: Path) -> None:
    """INCSR 2015 lists MLATs in force without dates: in force no later than the end of 2015;
    where a dated treaty of the kind exists for the pair (the 1981 NL-US treaty, in the Dutch
    table), the listing is read as naming it, and FindLaw's entry into force joins it too."""
    import_bilateral(scratch, shared / NL, "nl", NL_PREFIXES)
    _, _, report = import_bilateral(scratch, shared / US, "us", US_PREFIXES)
    rows = in_force(scratch, "us")
    netherlands = {
        (r["from"], r["source"]) for r in rows if r["instrument"] == "instrument/nld-usa-mla-1981-06-12"
    }
    assert netherlands == {("1983-09-15", "findlaw-us-mlats"), ("<=2015-12-31", "state-incsr-2015-vol2")}
    assert "nld-usa-mla-1983-09-15" not in treaties(scratch, "us"), "the FindLaw row names the Dutch treaty"
    listed = treaties(scratch, "us")["usa-deu-mla-listed"]
    assert listed["signed"] == "" and "known only from a list" in listed["note"]
    assert {r["from"] for r in rows if r["instrument"] == "instrument/usa-deu-mla-listed"} == {"<=2015-12-31"}
    assert any("nld-usa-mla-1981-06-12" in line for line in report)
    signed_only = treaties(scratch, "us")["usa-alb-extradition-2020-12-22"]
    assert signed_only["signed"] == "2020-12-22"
    assert not [r for r in rows if r["instrument"] == "instrument/usa-alb-extradition-2020-12-22"]


def test_bad_rows_are_refused_with_file_and_line(scratch: Settings, tmp_path: Path) -> None:
    header = "party_a,party_b,kind,title,signature_date,entry_into_force_date,citation,status_note,source,source_date\n"
    good = "USA,ALB,extradition,t,1933-03-01,1935-11-14,TS 902,,https://wikimili.com/en/List_of_United_States_extradition_treaties,2022\n"
    cases = {
        "1 March 1933": r"'1 March 1933' is not a date; write YYYY-MM-DD",
        "https://example.org/unknown": r"no row of data/sources.csv has authority_url https://example.org/unknown",
    }
    for bad, message in cases.items():
        path = tmp_path / "bad.csv"
        row = good.replace("1933-03-01", bad) if "March" in bad else good.replace(good.split(",")[8], bad)
        path.write_text(header + good + row, encoding="utf-8")
        with pytest.raises(DataError, match=message) as error:
            import_bilateral(scratch, path, "bad")
        assert ":3" in str(error.value), "the error names the line"
    path = tmp_path / "columns.csv"
    path.write_text("party_a,party_b\nUSA,ALB\n", encoding="utf-8")
    with pytest.raises(DataError, match="missing columns"):
        import_bilateral(scratch, path, "columns")


def test_a_treaty_whose_current_status_is_not_stated_has_an_open_end(scratch: Settings, shared: Path) -> None:
    """The 1972 US-UK treaty: in force 1977-01-21, 'current status not stated in source' (the
    blog lists it under the Falkland Islands): in force from then, ended no earlier than then."""
    import_bilateral(scratch, shared / NL, "nl", NL_PREFIXES)
    import_bilateral(scratch, shared / US, "us", US_PREFIXES)
    rows = [
        r for r in in_force(scratch, "us") if r["instrument"] == "instrument/usa-gbr-extradition-1972-06-08"
    ]
    assert {(r["party"], r["from"], r["until"]) for r in rows} == {
        ("jurisdiction/GBR", "1977-01-21", ">=1977-01-21"),
        ("jurisdiction/USA", "1977-01-21", ">=1977-01-21"),
    }
    assert all("current status is not stated" in r["note"] for r in rows)
    dated = [r for r in in_force(scratch, "us") if r["instrument"] == "instrument/usa-ita-mla-1982-11-09"]
    assert dated and all(r["until"] == "" for r in dated), "a row that says nothing of its status stays open"


def test_a_listing_carries_its_territories_and_the_us_eu_instruments_are_linked(
    scratch: Settings, shared: Path
) -> None:
    """INCSR 2015: the US-UK MLAT 'incl. Anguilla, British Virgin Islands, Cayman Islands, Isle of
    Man, Montserrat, Turks and Caicos' applies to the UK and to each of them; the Austrian and
    Belgian instruments whose entry into force 'matches the date INCSR 2015 gives for the US-EU
    instruments' implement the EU-US Extradition Agreement the Dutch texts' table writes."""
    import_bilateral(scratch, shared / NL, "nl", NL_PREFIXES)
    _, _, report = import_bilateral(scratch, shared / US, "us", US_PREFIXES)
    found = treaties(scratch, "us")
    assert found["usa-gbr-mla-listed"]["territories"].split() == [
        f"jurisdiction/{c}" for c in ("AIA", "CYM", "GBR", "IMN", "MSR", "TCA", "VGB")
    ]
    assert "jurisdiction/MAF" in found["usa-fra-mla-listed"]["territories"].split()
    assert found["usa-deu-mla-listed"]["territories"] == ""
    assert any("'incl.' territories are not carried to nld-usa-mla-1981-06-12" in line for line in report)
    for key in ("usa-aut-extradition-2005-07-20", "usa-bel-extradition-2004-12-15"):
        assert found[key]["implements"] == "instrument/eu-usa-extradition-2003-06-25"
    assert found["usa-aut-extradition-1998-01-08"]["implements"] == ""
