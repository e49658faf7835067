"""Europol's and Eurojust's agreements with third states, from the tables curated in 2026-12
(shared/sources/curated-2026-12/europol_third_country_agreements and
eurojust_third_country_agreements), into data/agreements/{body}.csv.

Dates keep the precision the table gives, read from its precision column:
- a day stays a day, a month a month (`YYYY-MM`), a year a year;
- a day that is only a news item's date, where the item does not say "today", is the day by
  which the agreement was signed: `<=YYYY-MM-DD`; so is "before" a date, and a signature the
  table places in one of two years ("2008/2009") is not later than the end of the second;
- a scheduled signature is no signature, and an entry into force the row's own source does not
  state (the table's "2005 (per eucrim)", "year inferred") is left for the coverage report.

Whether personal data may flow is written only where the type says so: Europol's operational
(cooperation) agreements concluded before 1 May 2017 allow it, its strategic agreements and
working arrangements do not (Regulation (EU) 2016/794 arts. 23(4) and 25(1); the concept
scheme europol-agreement-types). Eurojust's rows leave it unstated: no source in the table
says it. Rows the table marks weak (a secondary copy of a Wikipedia list, to be checked against
Europol's own list first), rows without a source URL and the partners a conversion step names
in `leave_out` are reported, not written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from ..build.mint import slug
from ..config import Settings
from ..errors import DataError
from ..tables import COLUMNS, write_table
from .sourcing import Sources, is_url, quoted, read_curated

EUROPOL = (
    "partner",
    "iso3",
    "agreement_type",
    "instrument",
    "signature_date",
    "signature_precision",
    "entry_into_force",
    "status_note",
    "source_url",
    "source_kind",
    "evidence",
)
EUROJUST = (
    "partner",
    "iso3",
    "instrument",
    "signature_date",
    "signature_date_precision",
    "entry_into_force",
    "status_note",
    "source_url",
    "source_kind",
    "evidence",
)
#: Europol's wording of a type (its start) → the concept, and whether personal data may flow.
EUROPOL_TYPES: tuple[tuple[str, str, str], ...] = (
    ("operational", "europol-agreement-type/operational-agreement", "true"),
    ("strategic", "europol-agreement-type/strategic-agreement", "false"),
    ("working arrangement", "europol-agreement-type/working-arrangement", "false"),
)
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTH = re.compile(r"\d{4}-\d{2}")
_YEAR = re.compile(r"\d{4}")


def import_europol_agreements(
    settings: Settings, path: Path, leave_out: Mapping[str, str]
) -> tuple[int, list[str]]:
    """Write data/agreements/europol.csv; return the rows written and what was left out."""
    sources = Sources(settings)
    rows, left_out = [], []
    for line, row in read_curated(path, EUROPOL):
        if reason := _left_out(row, leave_out):
            left_out.append(f"{row['partner']}: {reason}")
            continue
        concept, personal = _europol_type(path, line, row["agreement_type"])
        signed = signature(path, line, row["signature_date"], row["signature_precision"])
        kind = concept.rsplit("/", 1)[-1]
        if row["instrument"].casefold().startswith("liaison agreement"):
            # Turkey's row: the liaison agreement of April 2016, under a strategic cooperation
            # whose own agreement is not dated in the sources; named for what it is.
            kind = "liaison-agreement"
        notes = [row["instrument"], row["status_note"]]
        if "scheduled" in row["signature_precision"]:
            notes.append(f"signature scheduled for {row['signature_date']}, not confirmed in the source")
        rows.append(
            {
                "key": f"europol-{slug(row['partner'].casefold())}-{kind}",
                "label": f"Europol-{row['partner']} {kind.replace('-', ' ')}",
                "body": "organization/europol",
                "partner": f"jurisdiction/{row['iso3']}",
                "agreement_type": concept,
                "allows_personal_data": personal,
                "signed": signed,
                "entry_into_force": in_force(row["entry_into_force"]),
                "source": sources.key(path, line, row["source_url"], row["source_kind"]),
                "locator": _locator(
                    notes, row["evidence"], f"personal data: by type ({kind}, Reg. 2016/794 art. 25(1))"
                ),
            }
        )
    return write_table(
        settings.data_dir / "agreements" / "europol.csv", COLUMNS["agreements/*"], rows
    ), left_out


def import_eurojust_agreements(
    settings: Settings, path: Path, leave_out: Mapping[str, str]
) -> tuple[int, list[str]]:
    """Write data/agreements/eurojust.csv; return the rows written and what was left out."""
    sources = Sources(settings)
    rows, left_out = [], []
    for line, row in read_curated(path, EUROJUST):
        if reason := _left_out(row, leave_out):
            left_out.append(f"{row['partner']}: {reason}")
            continue
        concluded_by_eu = "EU" in row["instrument"] or "Trade and Cooperation Agreement" in row["instrument"]
        concept = (
            "eurojust-agreement-type/international-agreement-art-218-tfeu"
            if concluded_by_eu
            else "eurojust-agreement-type/cooperation-agreement"
        )
        kind = concept.rsplit("/", 1)[-1]
        rows.append(
            {
                "key": f"eurojust-{slug(row['partner'].casefold())}-{kind}",
                "label": f"Eurojust-{row['partner']} {kind.replace('-', ' ').replace(' art 218 tfeu', ' (art. 218 TFEU)')}",
                "body": "organization/eurojust",
                "partner": f"jurisdiction/{row['iso3']}",
                "agreement_type": concept,
                "allows_personal_data": "",
                "signed": signature(path, line, row["signature_date"], row["signature_date_precision"]),
                "entry_into_force": in_force(row["entry_into_force"]),
                "source": sources.key(path, line, row["source_url"], row["source_kind"]),
                "locator": _locator(
                    [row["instrument"], row["status_note"]]
                    + (
                        [f"entry into force per the table: {row['entry_into_force']}"]
                        if row["entry_into_force"]
                        else []
                    ),
                    row["evidence"],
                ),
            }
        )
    return write_table(
        settings.data_dir / "agreements" / "eurojust.csv", COLUMNS["agreements/*"], rows
    ), left_out


def signature(path: Path, line: int, value: str, precision: str) -> str:
    """The signature date a row states, with its precision; '' where it states none."""
    if "scheduled" in precision or (
        precision.startswith(("unknown", "not recorded")) and "before" not in precision
    ):
        return ""
    if not value:
        if found := re.fullmatch(r"year (\d{4})", precision):
            return found[1]
        if found := re.search(r"before (\d{4}-\d{2}-\d{2})", precision):
            return f"<={found[1]}"
        return ""
    if _DAY.fullmatch(value) and precision.startswith("day"):
        reported = "article date" in precision and not re.search(r"today|'oggi'", precision)
        return f"<={value}" if reported else value
    if _MONTH.fullmatch(value) and precision.startswith("month"):
        return value
    if _YEAR.fullmatch(value) and precision.startswith("year"):
        return value
    if found := re.fullmatch(r"(\d{4})/(\d{4})", value):
        return f"<={found[2]}-12-31"
    raise DataError(
        path, f"signature {value!r} with precision {precision!r} is not a date tfkg can read", line
    )


def in_force(value: str) -> str:
    """An entry into force the row states plainly; one with a qualifier ('per eucrim', 'year
    inferred', '(month)' from another page) is not its own source's, so it stays out."""
    return value if _DAY.fullmatch(value) else ""


def _europol_type(path: Path, line: int, text: str) -> tuple[str, str]:
    for start, concept, personal in EUROPOL_TYPES:
        if text.casefold().startswith(start):
            return concept, personal
    raise DataError(
        path, f"unknown agreement type {text!r}; known: {', '.join(s for s, _, _ in EUROPOL_TYPES)}", line
    )


def _left_out(row: dict[str, str], leave_out: Mapping[str, str]) -> str:
    if row["iso3"] in leave_out:
        return leave_out[row["iso3"]]
    if not is_url(row["source_url"]):
        return "no source URL in the row (its cells are shifted)"
    if "(weak)" in row["source_kind"]:
        return f"weak source ({row['source_kind']}); the table's README says to check it against Europol's list first"
    return ""


def _locator(notes: list[str], evidence: str, *more: str) -> str:
    return "; ".join(n for n in [*notes, *more] if n) + f"; {quoted(evidence)}"
