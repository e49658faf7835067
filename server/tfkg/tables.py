"""The project's CSV tables under data/: their columns, and deterministic reading and writing.

Importers and conversions write tables with :func:`write_table`, which sorts rows and fixes
the column order, so running one again on the same input changes nothing in data/.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import DataError

#: Columns of every table kind, keyed by the table's name (its path under data/ with the
#: per-instrument or per-organization part replaced by `*`).
COLUMNS: dict[str, tuple[str, ...]] = {
    "sources": (
        "key",
        "title",
        "publisher",
        "kind",
        "authority_url",
        "snapshot_date",
        "retrieval_method",
    ),
    "jurisdictions": (
        "key",
        "kind",
        "label",
        "iso_alpha2",
        "iso_alpha3",
        "iso_numeric",
        "part_of",
        "source",
        "locator",
    ),
    "instruments": (
        "key",
        "kind",
        "label",
        "short_name",
        "adopted",
        "entry_into_force",
        "eif_provision",
        "days_to_eif_for_party",
        "months_to_eif_for_party",
        "supplements",
        "depositary",
        "untc_reference",
        "cets_number",
        "celex",
        "eli",
        "wikidata",
        "crime_areas",
        "measures",
        "source",
        "locator",
    ),
    "depositary-status": (
        "instrument",
        "signatories",
        "parties",
        "entry_into_force",
        "entry_into_force_text",
        "registration",
        "source",
    ),
    "provisions": (
        "key",
        "instrument",
        "article",
        "label",
        "measures",
        "crime_areas",
        "strength",
        "source",
        "locator",
    ),
    "rules": (
        "key",
        "kind",
        "label",
        "text",
        "instrument",
        "party",
        "from",
        "until",
        "rests_on",
        "source",
        "locator",
    ),
    "treaty-actions/*": (
        "instrument",
        "party",
        "action_type",
        "date",
        "entry_into_force_for_party",
        "territory",
        "depositary_reference",
        "source",
        "locator",
    ),
    "statements/*": (
        "instrument",
        "party",
        "kind",
        "date",
        "targets",
        "text",
        "withdrawn_on",
        "objects_to",
        "accepts_as_basis_for",
        "limits_measures",
        "source",
        "locator",
    ),
    "applications": ("instrument", "party", "bound", "from", "until", "source", "locator", "note"),
    "applications/*": ("instrument", "party", "bound", "from", "until", "source", "locator", "note"),
    "organizations": (
        "key",
        "kind",
        "label",
        "short_name",
        "parent",
        "legal_basis",
        "wikidata",
        "source",
        "locator",
    ),
    "authorities": ("key", "kind", "label", "jurisdiction", "source", "locator"),
    "memberships/*": ("organization", "member", "role", "start", "end", "source", "locator"),
    "mandates": ("organization", "crime_area", "start", "end", "legal_basis", "source", "locator"),
    "channels": (
        "key",
        "label",
        "operated_by",
        "measures",
        "notice_types",
        "allows_personal_data",
        "recognised_by",
        "source",
        "locator",
    ),
    "agreements": (
        "key",
        "label",
        "body",
        "partner",
        "agreement_type",
        "allows_personal_data",
        "signed",
        "entry_into_force",
        "source",
        "locator",
    ),
    "agreements/*": (
        "key",
        "label",
        "body",
        "partner",
        "agreement_type",
        "allows_personal_data",
        "signed",
        "entry_into_force",
        "source",
        "locator",
    ),
    "precedence": ("key", "prevailing", "displaced", "measures", "provision", "source", "locator"),
    "designations/*": ("designating", "designated", "measures", "law", "from", "source", "locator", "note"),
    "bilateral/*": (
        "key",
        "kind",
        "label",
        "title",
        "partners",
        "territories",
        "measures",
        "signed",
        "amends",
        "implements",
        "source",
        "locator",
        "note",
    ),
}
#: Later status pages keep the depositary-status columns, one file per source (depositary-status/*).
COLUMNS["depositary-status/*"] = COLUMNS["depositary-status"]


@dataclass(frozen=True)
class Row:
    """One table row with the file and line it came from, for error messages."""

    values: Mapping[str, str]
    path: Path
    line: int

    def __getitem__(self, column: str) -> str:
        return self.values.get(column, "") or ""

    def where(self) -> str:
        return f"{self.path}:{self.line}"


def table_kind(path: Path, data_dir: Path) -> str:
    """The COLUMNS key for a table file: `treaty-actions/untoc.csv` is `treaty-actions/*`."""
    relative = path.relative_to(data_dir).with_suffix("")
    parts = relative.parts
    return f"{parts[0]}/*" if len(parts) > 1 else parts[0]


def read_table(path: Path, columns: Sequence[str] | None = None) -> list[Row]:
    """Read a CSV table; with ``columns``, its header must be exactly those columns."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(path, "no such table") from None
    except UnicodeDecodeError as exc:
        raise DataError(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = tuple(reader.fieldnames or ())
    if columns is not None and header != tuple(columns):
        raise DataError(
            path,
            f"header is {','.join(header) or '(empty)'}; expected {','.join(columns)}",
            1,
        )
    rows = []
    for values in reader:
        if None in values:
            raise DataError(path, "row has more cells than the header has columns", reader.line_num)
        rows.append(Row({k: (v or "").strip() for k, v in values.items()}, path, reader.line_num))
    return rows


def write_table(path: Path, columns: Sequence[str], rows: Iterable[Mapping[str, str]]) -> int:
    """Write rows sorted and with fixed columns; returns the number of rows written."""
    unique = {tuple(str(row.get(c, "") or "") for c in columns) for row in rows}
    ordered = sorted(unique)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(ordered)
    path.parent.mkdir(parents=True, exist_ok=True)
    content = buffer.getvalue()
    if not path.is_file() or path.read_text(encoding="utf-8") != content:
        path.write_text(content, encoding="utf-8")
    return len(ordered)


def upsert_rows(
    path: Path, columns: Sequence[str], rows: Iterable[Mapping[str, str]], key: Sequence[str]
) -> None:
    """Replace the rows of ``path`` that share ``key`` columns with ``rows``; keep the others."""
    new = list(rows)
    replaced = {tuple(r.get(k, "") for k in key) for r in new}
    kept = [
        dict(r.values)
        for r in (read_table(path, columns) if path.is_file() else [])
        if tuple(r[k] for k in key) not in replaced
    ]
    write_table(path, columns, [*kept, *new])
