"""Conversion of the jurisdictions: all ISO 3166-1 entries (pycountry), the EU, and Kosovo.

Which ISO entries are states is not in ISO 3166-1, so it is taken from sources that say it:
UN membership (country_converter's table), and the UN depositary's own participant tables,
which admit only states and regional economic integration organizations. An entry no source
calls a state is a territory, part of a state, where a treaty action of that state names it,
or else where ISO 3166-2 codes it as a subdivision of that state (subdivisions.py: CN-HK Hong
Kong, NL-AW Aruba, FR-973 French Guiana ...). Everything else stays a plain jurisdiction: tfkg
does not guess a status.
"""

from __future__ import annotations

import csv
from datetime import date
from importlib.metadata import version
from pathlib import Path

import pycountry

from ..config import Settings
from ..errors import DataError
from ..names import EU_KEY, KOSOVO_KEY
from ..tables import COLUMNS, read_table, upsert_rows, write_table
from .subdivisions import dual_coded

PYCOUNTRY_SOURCE = "iso-3166-1-pycountry"
ISO_3166_2_SOURCE = "iso-3166-2-pycountry"
UN_MEMBERSHIP_SOURCE = "country-converter-memberships-2025-10"


def pycountry_snapshot() -> date:
    """pycountry's version is its release date (26.2.16 is 2026-02-16)."""
    year, month, day = (int(p) for p in version("pycountry").split(".")[:3])
    return date(2000 + year, month, day)


def import_jurisdictions(settings: Settings, country_converter: Path) -> int:
    """Write data/jurisdictions.csv; returns the number of rows."""
    data = settings.data_dir
    un_members = _un_members(country_converter)
    participants, territories = _from_treaty_actions(data)
    subdivisions = dual_coded()
    rows: list[dict[str, str]] = []
    for country in pycountry.countries:
        key = country.alpha_3
        kind, source, locator = "jurisdiction", PYCOUNTRY_SOURCE, f"ISO 3166-1 {key}"
        if key in un_members:
            kind, source = "state", UN_MEMBERSHIP_SOURCE
            locator = f"row {key}: UN member since {un_members[key]}"
        elif key in participants:
            kind, source = "state", participants[key][0]
            locator = f"participant in a UN treaty ({participants[key][1]}); the depositary admits only states and REIOs"
        part_of, iso = "", subdivisions.get(key)
        # A treaty action naming the territory is kept where ISO 3166-2 agrees or is silent;
        # where they differ, the action is likely a former sovereign's (the UK extended treaties to Hong
        # Kong before 1997) and ISO 3166-2, which says whose subdivision it is now, decides.
        named = [t for t in territories.get(key, []) if iso is None or t[0] == f"jurisdiction/{iso.state}"]
        if kind != "state" and named:
            kind, part_of, source, locator = "territory", *named[0]
        elif kind != "state" and iso is not None:
            kind, part_of, source, locator = (
                "territory",
                f"jurisdiction/{iso.state}",
                ISO_3166_2_SOURCE,
                iso.locator,
            )
        rows.append(
            {
                "key": key,
                "kind": kind,
                "label": getattr(country, "common_name", None) or country.name,
                "iso_alpha2": country.alpha_2,
                "iso_alpha3": key,
                "iso_numeric": country.numeric,
                "part_of": part_of,
                "source": source,
                "locator": locator,
            }
        )
    eu_source = participants.get(EU_KEY, ("", ""))[0]
    if not eu_source:
        raise DataError(
            data / "treaty-actions",
            "no treaty action of the EU found: import the UNTC tables first",
        )
    rows.append(
        {
            "key": EU_KEY,
            "kind": "regional-organization",
            "label": "European Union",
            "source": eu_source,
            "locator": f"participant in a UN treaty as a regional economic integration organization ({participants[EU_KEY][1]})",
        }
    )
    rows.append(
        {
            "key": KOSOVO_KEY,
            "kind": "jurisdiction",
            "label": "Kosovo",
            "iso_alpha2": "XK",
            "iso_alpha3": KOSOVO_KEY,
            "iso_numeric": "",
            "source": UN_MEMBERSHIP_SOURCE,
            "locator": "row Kosovo (XK, XKX: user-assigned codes, not ISO 3166-1)",
        }
    )
    upsert_rows(
        data / "sources.csv",
        COLUMNS["sources"],
        [
            {
                "key": PYCOUNTRY_SOURCE,
                "title": "ISO 3166-1 country codes, as packaged by pycountry (data from Debian iso-codes)",
                "publisher": "ISO 3166 Maintenance Agency, via Debian iso-codes and pycountry",
                "kind": "source-kind/compiled-dataset",
                "authority_url": "https://www.iso.org/iso-3166-country-codes.html",
                "snapshot_date": pycountry_snapshot().isoformat(),
                "retrieval_method": f"pycountry {version('pycountry')} read at conversion time by `tfkg import jurisdictions`",
            },
            {
                "key": ISO_3166_2_SOURCE,
                "title": "ISO 3166-2 subdivision codes, as packaged by pycountry (data from Debian iso-codes)",
                "publisher": "ISO 3166 Maintenance Agency, via Debian iso-codes and pycountry",
                "kind": "source-kind/compiled-dataset",
                "authority_url": "https://www.iso.org/iso-3166-country-codes.html",
                "snapshot_date": pycountry_snapshot().isoformat(),
                "retrieval_method": f"pycountry {version('pycountry')} read at conversion time by `tfkg import jurisdictions`; "
                "a territory's locator names the subdivision codes that make it part of its state",
            },
            {
                "key": UN_MEMBERSHIP_SOURCE,
                "title": "country_converter membership table (UN membership with year of admission)",
                "publisher": "country_converter maintainers (PyPI country_converter 1.3.2)",
                "kind": "source-kind/compiled-dataset",
                "authority_url": "https://www.un.org/en/about-us/member-states",
                "snapshot_date": "2025-10",
                "retrieval_method": "country_converter 1.3.2 (released 2025-10) country_data.tsv, via shared/sources/memberships; "
                "snapshot is its release month (the day is not stated)",
            },
        ],
        ["key"],
    )
    return write_table(data / "jurisdictions.csv", COLUMNS["jurisdictions"], rows)


def _un_members(path: Path) -> dict[str, str]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return {r["ISO3"]: r["UNmember"] for r in csv.DictReader(handle) if r.get("UNmember")}
    except (OSError, KeyError) as exc:
        raise DataError(path, f"cannot read the UN membership column: {exc}") from None


def _from_treaty_actions(
    data: Path,
) -> tuple[dict[str, tuple[str, str]], dict[str, list[tuple[str, str, str]]]]:
    """Parties of UNTC treaty actions, and territories that actions name (with each state that
    names them, in the order of the tables)."""
    participants: dict[str, tuple[str, str]] = {}
    territories: dict[str, list[tuple[str, str, str]]] = {}
    for table in sorted((data / "treaty-actions").glob("*.csv")):
        for row in read_table(table, COLUMNS["treaty-actions/*"]):
            party = row["party"].removeprefix("jurisdiction/")
            if row["source"].startswith("untc-"):
                participants.setdefault(party, (row["source"], row["instrument"]))
            if row["territory"]:
                territory = row["territory"].removeprefix("jurisdiction/")
                territories.setdefault(territory, []).append(
                    (
                        f"jurisdiction/{party}",
                        row["source"],
                        f"named by {party}'s {row['action_type']} of {row['date']} ({row['instrument']})",
                    )
                )
    return participants, territories
