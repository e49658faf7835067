"""Members of the regional police bodies (SELEC, ASEANAPOL, AMERIPOL, AFRIPOL, GCCPOL, CARICC,
SARPCCO, EAPCCO, WAPCCO, CCPAC, MAOC (N)) from the table curated in 2026-12
(shared/sources/curated-2026-12/regional_police_bodies), into data/memberships/{body}.csv.

A page that lists a member attests membership on the page's date, not since then: the start is
"not later than" the row's `as_of` day. A page the table cannot date (SELEC's "2022 or later",
CARICC, SARPCCO's "c. 2012") attests it no later than the month the copy was read (the step's
`read`). Where a source states when a member joined (`member_since`: ASEANAPOL's history, South
Sudan in EAPCCO), that start is written too, citing the source that states it: a year stays a
year, a month becomes "not later than" its last day.

The `status` becomes the role: members, MAOC (N)'s partner countries, and AFRIPOL's founding
participants (the police chiefs at the 2014 Algiers Declaration: not membership, which the AFRIPOL
Statute gives every AU member state). Rows the table itself says not to load (SELEC's 2012
profile naming Croatia and Slovenia) and signatures of AMERIPOL's 2023 Constitutive Treaty (a
signature binds no one; its entry into force is not in the sources) are reported, not written.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from ..build.mint import period
from ..config import Settings
from ..errors import DataError
from ..tables import COLUMNS, write_table
from .sourcing import Sources, quoted, read_curated

EXPECTED = (
    "body",
    "member",
    "iso3",
    "status",
    "member_since",
    "as_of",
    "as_of_precision",
    "source_url",
    "source_kind",
    "evidence",
    "note",
)
BODIES = {
    "SELEC": "selec",
    "ASEANAPOL": "aseanapol",
    "AMERIPOL": "ameripol",
    "AFRIPOL": "afripol",
    "GCCPOL": "gccpol",
    "CARICC": "caricc",
    "SARPCCO": "sarpcco",
    "EAPCCO": "eapcco",
    "WAPCCO": "wapcco",
    "CCPAC (CAPCCO)": "ccpac",
    "MAOC (N)": "maoc-n",
}
#: Status wording (its start) → role; None: reported and left out, with the reason.
STATUSES: tuple[tuple[str, str | None], ...] = (
    ("member", "role/member"),
    ("party to the agreement on the establishment", "role/member"),
    ("partner country", "role/partner"),
    ("participant in the algiers declaration", "role/founding-participant"),
    ("signatory of the constitutive treaty", None),
    ("listed as member in 2012 profile", None),
)
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_URL = re.compile(r"\((https?://[^)\s]+)\)")


def import_regional_police(settings: Settings, path: Path, read: str) -> tuple[dict[str, int], list[str]]:
    """Write one membership table per body; return rows per body and what was left out."""
    sources = Sources(settings)
    per_body: dict[str, list[dict[str, str]]] = defaultdict(list)
    left_out: list[str] = []
    undated = f"<={period(read).last.isoformat()}"
    for line, row in read_curated(path, EXPECTED):
        role = _role(path, line, row["status"])
        body = BODIES.get(row["body"])
        if role is None or body is None:
            if role is not None:
                raise DataError(path, f"unknown body {row['body']!r}; expected one of {sorted(BODIES)}", line)
            left_out.append(f"{row['body']}: {row['member']} ({row['status']})")
            continue
        source = sources.key(path, line, row["source_url"], row["source_kind"])
        dated = _DAY.fullmatch(row["as_of"])
        fact = {"organization": f"organization/{body}", "member": f"jurisdiction/{row['iso3']}", "role": role}
        listed = (
            f"listed as of {row['as_of']}"
            if dated
            else f"listed on a page the table dates '{row['as_of'] or 'undated'}'"
        )
        per_body[body].append(
            fact
            | {
                "start": f"<={row['as_of']}" if dated else undated,
                "source": source,
                "locator": f"{row['member']}: {row['status']}, {listed}; {quoted(row['evidence'])}",
            }
        )
        if row["member_since"]:
            since_url = _URL.search(row["note"]) if row["note"].startswith("member_since") else None
            per_body[body].append(
                fact
                | {
                    "start": _since(path, line, row["member_since"]),
                    "source": sources.key(path, line, since_url[1]) if since_url else source,
                    "locator": f"{row['member']}: joined {row['member_since']}; {quoted(row['note'])}",
                }
            )
    counts = {
        body: write_table(settings.data_dir / "memberships" / f"{body}.csv", COLUMNS["memberships/*"], rows)
        for body, rows in sorted(per_body.items())
    }
    return counts, left_out


def _role(path: Path, line: int, status: str) -> str | None:
    for start, role in STATUSES:
        if status.casefold().startswith(start):
            return role
    raise DataError(path, f"unknown status {status!r}; known: {', '.join(s for s, _ in STATUSES)}", line)


def _since(path: Path, line: int, value: str) -> str:
    """A year stays a year; a month is 'not later than' its last day."""
    if re.fullmatch(r"\d{4}", value):
        return value
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return f"<={period(value).last.isoformat()}"
    raise DataError(path, f"member_since {value!r} is neither YYYY nor YYYY-MM", line)
