"""Conversions of membership lists: Egmont FIUs, FATF and the FATF-style regional bodies, and
INTERPOL membership by year (Correlates of War IGO v3).

Lists that only attest membership on their snapshot date give a start of `<=snapshot`: the
member joined no later than that, and tfkg does not pretend to know when. A snapshot known
only to the month (the FATF review of July 2026) gives `<=` the month's last day.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from ..build.mint import period
from ..config import Settings
from ..errors import DataError
from ..names import UnknownJurisdictionError, alpha2_to_key, jurisdiction_key
from ..tables import COLUMNS, upsert_rows, write_table

FATF_BODIES = {
    "FATF": "fatf",
    "APG": "apg",
    "CFATF": "cfatf",
    "EAG": "eag",
    "ESAAMLG": "esaamlg",
    "GABAC": "gabac",
    "GAFILAT": "gafilat",
    "GIABA": "giaba",
    "MENAFATF": "menafatf",
    "MONEYVAL": "moneyval",
}
ROLES = {
    "member": "role/member",
    "suspended": "role/suspended",
    "associate member": "role/associate-member",
}

#: Correlates of War state names that are not jurisdiction names. Historical states without
#: an ISO 3166-1 entry today map to None and are reported, not guessed.
COW_NAMES: dict[str, str | None] = {
    "antiguabarbuda": "ATG",
    "bosnia": "BIH",
    "brunei": "BRN",
    "burkinafaso": "BFA",
    "capeverde": "CPV",
    "car": "CAF",
    "congobrazz": "COG",
    "costarica": "CRI",
    "czechrep": "CZE",
    "domrepublic": "DOM",
    "elsalvador": "SLV",
    "eqguinea": "GNQ",
    "etimor": "TLS",
    "fyromacedonia": "MKD",
    "guineabissau": "GNB",
    "ivorycoast": "CIV",
    "marshallis": "MHL",
    "micronesiafs": "FSM",
    "newzealand": "NZL",
    "nokorea": "PRK",
    "papuanewguinea": "PNG",
    "russia": "RUS",
    "sanmarino": "SMR",
    "saotome": "STP",
    "saudiarabia": "SAU",
    "sierraleone": "SLE",
    "soafrica": "ZAF",
    "sokorea": "KOR",
    "solomonis": "SLB",
    "sosudan": "SSD",
    "srilanka": "LKA",
    "stkitts": "KNA",
    "stlucia": "LCA",
    "stvincent": "VCT",
    "trinidad": "TTO",
    "uae": "ARE",
    "uk": "GBR",
    "wsamoa": "WSM",
    "zaire": "COD",
    # No ISO 3166-1 entry today: kept out, and counted in the conversion's report.
    "wgermany": "DEU",  # the Federal Republic, continued by Germany after 1990
    # COW code 345 is one state from 1923 to 2014: Yugoslavia, continued (in COW's coding, as at
    # INTERPOL, which counts Serbia among its 190 members of 2011-2017) by Serbia.
    "yugoslaviaserb": "SRB",
    "czechoslovakia": None,
    "svietnam": None,
    "syemen": None,
}


def _read(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))
    except OSError as exc:
        raise DataError(path, f"cannot read: {exc}") from None


def _source(settings: Settings, row: dict[str, str]) -> None:
    upsert_rows(settings.data_dir / "sources.csv", COLUMNS["sources"], [row], ["key"])


def import_egmont(settings: Settings, path: Path, snapshot: str, source: str) -> int:
    """Egmont Group member FIUs: one national authority and one membership per row."""
    authorities, memberships = [], []
    for line, row in enumerate(_read(path), start=2):
        try:
            who = alpha2_to_key(row["iso3166_alpha2"])
        except UnknownJurisdictionError as error:
            raise DataError(path, error.message, line) from None
        key = f"fiu-{who.lower()}"
        # The list leaves a few FIU names blank; the label then says only what the row states.
        label = row["fiu"] or f"Financial intelligence unit of {_country_name(row['iso3166_alpha2'])}"
        authorities.append(
            {
                "key": key,
                "kind": "fiu",
                "label": label,
                "jurisdiction": f"jurisdiction/{who}",
                "source": source,
                "locator": f"row {line} ({row['egmont_region']})",
            }
        )
        role = ROLES.get(row["status"])
        if role is None:
            raise DataError(path, f"unknown status {row['status']!r}; expected one of {sorted(ROLES)}", line)
        memberships.append(
            {
                "organization": "organization/egmont-group",
                "member": f"authority/{key}",
                "role": role,
                "start": f"<={period(snapshot).last}",
                "source": source,
                "locator": f"row {line}: {label} ({row['comment'] or row['egmont_region']})",
            }
        )
    _source(
        settings,
        {
            "key": source,
            "title": "Egmont Group members by region (182 financial intelligence units)",
            "publisher": "Egmont Group of Financial Intelligence Units",
            "kind": "source-kind/compiled-dataset",
            "authority_url": "https://egmontgroup.org/members-by-region/",
            "snapshot_date": snapshot,
            "retrieval_method": "compiled 2026-07-17 from the Egmont members-by-region page (MEMAtest/fca-fines-dashboard "
            "egmontMembership.ts, via shared/sources/memberships); converted with `tfkg import egmont`",
        },
    )
    upsert_rows(settings.data_dir / "authorities.csv", COLUMNS["authorities"], authorities, ["key"])
    return write_table(
        settings.data_dir / "memberships" / "egmont-group.csv",
        COLUMNS["memberships/*"],
        memberships,
    )


def import_fatf(settings: Settings, path: Path, snapshot: str, source: str) -> dict[str, int]:
    """FATF and FSRB memberships; organisation members (European Commission, GCC) are reported."""
    per_body: dict[str, list[dict[str, str]]] = defaultdict(list)
    for line, row in enumerate(_read(path), start=2):
        body = FATF_BODIES.get(row["body"])
        if body is None:
            raise DataError(
                path, f"unknown body {row['body']!r}; expected one of {sorted(FATF_BODIES)}", line
            )
        if not row["iso3166_alpha2"]:
            continue  # an organisation member, not a jurisdiction: listed in the coverage report
        role = ROLES.get(row["status"])
        if role is None:
            raise DataError(path, f"unknown status {row['status']!r}; expected one of {sorted(ROLES)}", line)
        per_body[body].append(
            {
                "organization": f"organization/{body}",
                "member": f"jurisdiction/{alpha2_to_key(row['iso3166_alpha2'])}",
                "role": role,
                "start": f"<={period(snapshot).last}",
                "source": source,
                "locator": f"row {line}" + (f" ({row['comment']})" if row["comment"] else ""),
            }
        )
    _source(
        settings,
        {
            "key": source,
            "title": "FATF members and FATF-style regional body memberships",
            "publisher": "Financial Action Task Force and the FSRBs",
            "kind": "source-kind/compiled-dataset",
            "authority_url": "https://www.fatf-gafi.org/en/countries.html",
            "snapshot_date": snapshot,
            "retrieval_method": "reviewed 2026-07 against fatf-gafi.org and each FSRB site (MEMAtest/fca-fines-dashboard "
            "fsrbMembership.ts, via shared/sources/memberships); converted with `tfkg import fatf`",
        },
    )
    return {
        body: write_table(settings.data_dir / "memberships" / f"{body}.csv", COLUMNS["memberships/*"], rows)
        for body, rows in sorted(per_body.items())
    }


def _spells(years: list[int]) -> Iterator[tuple[int, int]]:
    """Runs of consecutive years: [1950, 1951, 1960] gives (1950, 1951), (1960, 1960)."""
    start = previous = years[0]
    for year in years[1:]:
        if year != previous + 1:
            yield start, previous
            start = year
        previous = year
    yield start, previous


def import_interpol_cow(settings: Settings, path: Path, source: str) -> tuple[int, list[str]]:
    """INTERPOL full membership spells by year, 1923–2014; returns rows and states left out."""
    years: dict[str, list[int]] = defaultdict(list)
    names: dict[str, str] = {}
    for row in _read(path):
        if float(row["interpol"]) == 1:
            years[row["ccode"]].append(int(float(row["year"])))
            names[row["ccode"]] = row["state"]
    rows, left_out = [], []
    last_year = max(y for ys in years.values() for y in ys)
    for ccode, member_years in sorted(years.items()):
        name = names[ccode]
        key = COW_NAMES[name] if name in COW_NAMES else _cow_key(path, name)
        if key is None:
            left_out.append(name)
            continue
        for start, end in _spells(sorted(member_years)):
            rows.append(
                {
                    "organization": "organization/interpol",
                    "member": f"jurisdiction/{key}",
                    "role": "role/member",
                    "start": str(start),
                    "end": "" if end == last_year else str(end),
                    "source": source,
                    "locator": f"COW code {int(float(ccode))} ({name}), full member {start}–{end}",
                }
            )
    _source(
        settings,
        {
            "key": source,
            "title": "Correlates of War IGO data v3.0: INTERPOL membership by state and year, 1923–2014",
            "publisher": "Correlates of War Project (Pevehouse et al. 2020, J. Peace Research 57(3))",
            "kind": "source-kind/compiled-dataset",
            "authority_url": "https://correlatesofwar.org/data-sets/igos/",
            "snapshot_date": str(last_year),
            "retrieval_method": "COW IGO v3 state-year file (via igoR, shared/sources/memberships); year resolution only, "
            "so the snapshot is the last year covered; "
            "converted with `tfkg import interpol-cow`; an open end means still a member in the last year covered",
        },
    )
    count = write_table(settings.data_dir / "memberships" / "interpol.csv", COLUMNS["memberships/*"], rows)
    return count, sorted(set(left_out))


def _cow_key(path: Path, name: str) -> str:
    try:
        return jurisdiction_key(name)
    except UnknownJurisdictionError as error:
        raise DataError(path, f"{error.message} (a Correlates of War name: add it to COW_NAMES)") from None


def _country_name(alpha2: str) -> str:
    import pycountry

    country = pycountry.countries.get(alpha_2=alpha2)
    return str(getattr(country, "common_name", None) or country.name) if country else alpha2
