"""Conversion of the 2014 UNTC participant tables (zmjones/untreaties scrape) for UNTOC,
UNCAC and the 1988 convention, which the 2018 XML gives only as headers.

The raw files have three columns: participant, signature date, and the consent date with the
UNTC suffix codes (a, A, AA, d, c) under the same column label as the official page, so the
same reading rules apply as for the MTDSG XML. Each file keeps its own snapshot date.

The conversion replaces only the rows of its own source in data/treaty-actions/{instrument}.csv
and keeps every other row, so that a hand-curated act the 2014 scrape lacks (Germany's UNCAC
ratification of 12 November 2014) stays beside it, cited to its own source.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from ..config import Settings
from ..errors import DataError
from ..names import UnknownJurisdictionError, jurisdiction_key
from ..tables import COLUMNS, read_table, upsert_rows, write_table
from .mtdsg import Participant
from .untc import ImportResult, instrument_row, participant_actions

ROMAN = {6: "VI", 18: "XVIII"}


def reference_of(path: Path) -> str:
    """'18-12.csv' is MTDSG chapter XVIII, treaty 12."""
    chapter, number = path.stem.split("-", 1)
    try:
        return f"{ROMAN[int(chapter)]}-{number}"
    except (KeyError, ValueError):
        raise DataError(path, "expected a file named {chapter}-{number}.csv, e.g. 18-12.csv") from None


def import_untreaties_2014(
    settings: Settings, path: Path, snapshot: date, source_key: str, authority_url: str
) -> ImportResult:
    """Convert one raw 2014 participant table into data/treaty-actions/{instrument}.csv."""
    reference = reference_of(path)
    instrument = instrument_row(settings, reference, path.name)
    key = instrument["key"]
    entry_into_force = date.fromisoformat(_status_entry_into_force(settings, key))
    days = int(instrument["days_to_eif_for_party"]) if instrument["days_to_eif_for_party"] else None
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    if not rows or rows[0][0] != "Participant":
        raise DataError(path, "expected a header row starting with 'Participant'", 1)
    labels = rows[0]
    participants = [
        Participant(name=r[0], footnotes=(), cells=tuple(zip(labels[1:], r[1:], strict=False)), row=i)
        for i, r in enumerate(rows[1:], start=2)
        if r and r[0].strip()
    ]
    unknown: list[str] = []

    def party(name: str, where: str) -> str | None:
        try:
            return jurisdiction_key(name)
        except UnknownJurisdictionError as error:
            unknown.append(f"{path}: {where}: {error.message}")
            return None

    actions, consent, _ = participant_actions(participants, key, source_key, days, entry_into_force, party)
    if unknown:
        raise DataError(path, "cannot resolve jurisdictions:\n  " + "\n  ".join(unknown))
    upsert_rows(
        settings.data_dir / "sources.csv",
        COLUMNS["sources"],
        [
            {
                "key": source_key,
                "title": f"UN Treaty Collection participant table of treaty {reference} "
                f"({instrument['label']}), as scraped in 2014",
                "publisher": "United Nations, Office of Legal Affairs, Treaty Section (depositary)",
                "kind": "source-kind/compiled-dataset",
                "authority_url": authority_url,
                "snapshot_date": snapshot.isoformat(),
                "retrieval_method": f"zmjones/untreaties scrape of the UNTC page (file {path.name}, "
                "commit 003ce13), converted with `tfkg import untreaties-2014`",
            }
        ],
        ["key"],
    )
    table = settings.data_dir / "treaty-actions" / f"{key}.csv"
    columns = COLUMNS["treaty-actions/*"]
    kept = (
        [dict(r.values) for r in read_table(table, columns) if r["source"] != source_key]
        if table.is_file()
        else []
    )
    write_table(table, columns, [*kept, *actions])
    count = len({tuple(str(a.get(c, "") or "") for c in columns) for a in actions})
    return ImportResult(key, source_key, count, 0, len(consent))


def _status_entry_into_force(settings: Settings, key: str) -> str:
    """The treaty's own entry into force as a depositary status file records it."""
    table = settings.data_dir / "depositary-status.csv"
    if table.is_file():
        for row in read_table(table, COLUMNS["depositary-status"]):
            if row["instrument"] == f"instrument/{key}" and row["entry_into_force"]:
                return row["entry_into_force"]
    raise DataError(
        table,
        f"no entry into force recorded for instrument/{key}: import its UNTC status file "
        "(even a header-only one) first",
    )
