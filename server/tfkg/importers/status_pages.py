"""Later depositary status pages, read only in part (shared/sources/curated-2026-12/
status-pages-partial): their header counts, and the signature rows of a table that names them.

- The header facts of the UN status pages of UNTOC and two of its Protocols (2024) become
  depositary statements in data/depositary-status/untc-status-pages.csv: the signatories and
  parties the depositary states, as at the page's own "status as at" day, which is also the
  source's snapshot date. They say how many parties there are, not who: coverage compares
  them with the parties tfkg knows by name.
- A signature table (the UN Convention against Cybercrime, 2024) becomes treaty actions in
  data/treaty-actions/{instrument}[-{name}].csv. A second table of the same signatures from
  another source (the Dutch treaty database) adds only the participants the first does not
  give, each cited to its own source: the same fact is never defined twice, and no row of one
  source is merged into a row of the other.

Each table's README says why these are prefixes of the pages, never whole tables: a
participant absent from them says nothing about its status.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from ..config import Settings
from ..errors import DataError
from ..names import UnknownJurisdictionError, jurisdiction_key
from ..tables import COLUMNS, read_table, upsert_rows, write_table
from .sourcing import read_with_columns

HEADER_COLUMNS = (
    "mtdsg_no",
    "status_as_at",
    "signatories_stated",
    "parties_stated",
    "entry_into_force",
    "source_url",
)


def _day(path: Path, line: int, text: str, formats: tuple[str, ...]) -> date:
    for pattern in formats:
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise DataError(path, f"{text!r} is not a date in the form {' or '.join(formats)}", line)


def import_untc_status_headers(settings: Settings, path: Path) -> int:
    """Write the depositary's stated counts, one row per status page; return how many."""
    instruments = {
        r["untc_reference"]: r["key"]
        for r in read_table(settings.data_dir / "instruments.csv", COLUMNS["instruments"])
        if r["untc_reference"]
    }
    rows, sources = [], []
    for line, row in read_with_columns(path, HEADER_COLUMNS):
        reference = row["mtdsg_no"].strip()
        if reference not in instruments:
            raise DataError(
                path, f"no instrument in data/instruments.csv has untc_reference {reference}", line
            )
        as_at = _day(path, line, row["status_as_at"].split()[0], ("%d-%m-%Y",))
        key = f"untc-{reference.lower()}-status-{as_at.isoformat()}"
        entry = _day(path, line, row["entry_into_force"], ("%d %B %Y",)) if row["entry_into_force"] else None
        rows.append(
            {
                "instrument": f"instrument/{instruments[reference]}",
                "signatories": row["signatories_stated"],
                "parties": row["parties_stated"],
                "entry_into_force": entry.isoformat() if entry else "",
                "entry_into_force_text": row["entry_into_force"],
                "registration": row.get("registration", ""),
                "source": key,
            }
        )
        sources.append(
            {
                "key": key,
                "title": f"UN Treaty Collection, status page of treaty {reference} (status as at {as_at.isoformat()})",
                "publisher": "United Nations, Office of Legal Affairs, Treaty Section (depositary)",
                "kind": "source-kind/official",
                "authority_url": row["source_url"],
                "snapshot_date": as_at.isoformat(),
                "retrieval_method": (
                    "curated 2026-12 in shared/sources/curated-2026-12/status-pages-partial/un_untoc_family "
                    f"(header facts of an archived copy, '{row['status_as_at']}'); converted with `tfkg import all` "
                    "(untc-status-headers)"
                ),
            }
        )
    upsert_rows(settings.data_dir / "sources.csv", COLUMNS["sources"], sources, ["key"])
    return write_table(
        settings.data_dir / "depositary-status" / "untc-status-pages.csv", COLUMNS["depositary-status"], rows
    )


def import_signatures(
    settings: Settings,
    path: Path,
    instrument: str,
    source: str,
    name_column: str,
    date_column: str,
    date_formats: tuple[str, ...],
    table: str,
    beside: str | None = None,
) -> tuple[int, list[str]]:
    """Write one source's signatures of ``instrument`` to data/treaty-actions/{table}.csv.

    ``beside`` names the treaty-actions table of another source for the same signatures: its
    participants are left out here (reported), so that each fact is defined once, by the
    source that gives it first. Rows with no date (an excerpt cut in the middle of a date) are
    left out and reported."""
    known: set[str] = set()
    if beside is not None:
        other = settings.data_dir / "treaty-actions" / f"{beside}.csv"
        known = (
            {r["party"] for r in read_table(other, COLUMNS["treaty-actions/*"])} if other.is_file() else set()
        )
    rows, report = [], []
    for line, row in read_with_columns(path, (name_column, date_column, "evidence")):
        name = row[name_column].strip()
        try:
            party = f"jurisdiction/{jurisdiction_key(name)}"
        except UnknownJurisdictionError as error:
            raise DataError(path, str(error), line) from None
        if not row[date_column].strip():
            report.append(f"{name}: no date in the source's row")
            continue
        if party in known:
            report.append(f"{name}: given by {beside}")
            continue
        signed = _day(path, line, row[date_column], date_formats)
        evidence = " ".join(row["evidence"].split())
        rows.append(
            {
                "instrument": f"instrument/{instrument}",
                "party": party,
                "action_type": "action-type/signature",
                "date": signed.isoformat(),
                "entry_into_force_for_party": "",
                "territory": "",
                "depositary_reference": "",
                "source": source,
                "locator": f"row {name}: '{evidence}'",
            }
        )
    written = write_table(
        settings.data_dir / "treaty-actions" / f"{table}.csv", COLUMNS["treaty-actions/*"], rows
    )
    return written, report
