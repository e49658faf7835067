"""INTERPOL membership after the Correlates of War data ends (2014): the General Assembly's
admissions of 2017-2023 (curated-2026-12/interpol_membership_2015-2024), and the members the
Correlates of War coding lacks, attested by the CIA World Factbook's last edition.

An admission dated to the day by its source starts the membership that day. One the table can
only place "28 or 29 November" (Palau: the source is a copy of INTERPOL's release dated 29
November) starts "not later than" its source's date. A rejected application (Kosovo, 2018) is no
membership and is reported, not written.

The Factbook is stale in places (shared/sources/SOURCES.md: cross-check only), so it is read
only for the members named in the conversion step: states INTERPOL counts (190 members from
2011 to 2017, 196 in 2023) that neither Correlates of War nor the admissions list. Each
starts "not later than" the Factbook's snapshot; the Factbook says nothing of when they joined.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..build.mint import period
from ..config import Settings
from ..errors import DataError
from ..names import UnknownJurisdictionError, alpha2_to_key
from ..tables import COLUMNS, upsert_rows, write_table
from .sourcing import Sources, quoted, read_curated

ADMISSIONS = (
    "event_date",
    "event_date_precision",
    "general_assembly",
    "country",
    "iso3",
    "event",
    "total_members_after",
    "source_url",
    "source_kind",
    "evidence",
)
FACTBOOK = (
    "factbook_gec",
    "factbook_region",
    "country_short_name",
    "iso3166_alpha2_mapped",
    "org_abbrev",
    "qualifier",
    "raw_entry",
)


def import_interpol_admissions(settings: Settings, path: Path) -> tuple[int, list[str]]:
    """Write memberships/interpol-2015-2023.csv; return the rows written and the events left out."""
    sources = Sources(settings)
    rows, left_out = [], []
    for line, row in read_curated(path, ADMISSIONS):
        if not row["event"].startswith("admitted"):
            left_out.append(f"{row['country']} ({row['event']}, {row['event_date']})")
            continue
        source = sources.key(path, line, row["source_url"], row["source_kind"])
        if row["event_date_precision"] == "day":
            start = row["event_date"]
        else:  # a day the table qualifies ("day (see note)"): member no later than the source's date
            start = f"<={period(sources.snapshot(source)).last.isoformat()}"
        rows.append(
            {
                "organization": "organization/interpol",
                "member": f"jurisdiction/{row['iso3']}",
                "role": "role/member",
                "start": start,
                "source": source,
                "locator": f"{row['general_assembly']}: {row['event']}, {row['total_members_after']} members "
                f"after; {quoted(row['evidence'])}",
            }
        )
    count = write_table(
        settings.data_dir / "memberships" / "interpol-2015-2023.csv", COLUMNS["memberships/*"], rows
    )
    return count, left_out


def import_factbook_members(
    settings: Settings, path: Path, organization: str, members: Sequence[str], snapshot: str, source: str
) -> int:
    """Memberships of ``organization`` the Factbook lists for the named ISO alpha-3 members only."""
    wanted = set(members)
    rows = []
    for line, row in read_curated(path, FACTBOOK):
        if row["org_abbrev"].casefold() != organization.replace("-", " ").casefold() or row["qualifier"]:
            continue  # another organization, or a sub-bureau of a member's bureau
        try:
            who = alpha2_to_key(row["iso3166_alpha2_mapped"])
        except UnknownJurisdictionError as error:
            raise DataError(path, error.message, line) from None
        if who not in wanted:
            continue
        wanted.discard(who)
        rows.append(
            {
                "organization": f"organization/{organization}",
                "member": f"jurisdiction/{who}",
                "role": "role/member",
                "start": f"<={period(snapshot).last.isoformat()}",
                "source": source,
                "locator": f"row {line}: {row['country_short_name']}, International organization participation: "
                f"{row['raw_entry']}",
            }
        )
    if wanted:
        raise DataError(
            path, f"the Factbook lists no {organization} membership of {', '.join(sorted(wanted))}"
        )
    upsert_rows(
        settings.data_dir / "sources.csv",
        COLUMNS["sources"],
        [
            {
                "key": source,
                "title": "The World Factbook: International organization participation (last edition)",
                "publisher": "Central Intelligence Agency (factbook/factbook.json)",
                "kind": "source-kind/compiled-dataset",
                "authority_url": "https://www.cia.gov/the-world-factbook/",
                "snapshot_date": snapshot,
                "retrieval_method": "GitHub factbook/factbook.json, last data commit 2026-01-22, field 'Government > "
                "International organization participation' (via shared/sources/memberships); read by "
                "`tfkg import all` (factbook-members) only for the members the conversion step names, "
                "since the Factbook is stale in places",
            }
        ],
        ["key"],
    )
    return write_table(
        settings.data_dir / "memberships" / f"{organization}-factbook.csv", COLUMNS["memberships/*"], rows
    )
