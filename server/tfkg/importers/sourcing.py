"""Reading the curated 2026-12 tables: their columns, their source rows and their source kinds.

The curated tables (shared/sources/curated-2026-12) name a source by URL and describe its kind in
words ("news (AP 2017-09-27)", "official (Swiss FDFA)"). tfkg's own source rows, with title,
publisher, kind and snapshot date, are curated by hand in data/sources.csv, because those are
judgements the tables do not make; a conversion finds its row by URL. A table that calls a source
news must find a news row there: a news fact stays marked as news.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from ..config import Settings
from ..errors import DataError
from ..tables import COLUMNS, read_table

#: A locator longer than this is cut at a word and marked with an ellipsis.
LOCATOR_LIMIT = 200


def read_curated(path: Path, expected: Sequence[str]) -> list[tuple[int, dict[str, str]]]:
    """The rows of a curated table with their line numbers; its header must be ``expected``."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if tuple(reader.fieldnames or ()) != tuple(expected):
                raise DataError(path, f"expected the columns {','.join(expected)}", 1)
            rows = []
            for row in reader:
                cells = {k: (v or "").strip() for k, v in row.items() if k is not None}
                rows.append((reader.line_num, cells))
            return rows
    except OSError as exc:
        raise DataError(path, f"cannot read: {exc}") from None


def read_with_columns(path: Path, required: Sequence[str]) -> list[tuple[int, dict[str, str]]]:
    """The rows of a compiled table with their line numbers; its header must include ``required``
    (the bilateral and status-page tables carry extra columns of their own)."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in required if c not in (reader.fieldnames or [])]
            if missing:
                raise DataError(
                    path, f"missing columns {', '.join(missing)}; expected {', '.join(required)}", 1
                )
            return list(enumerate(reader, start=2))
    except OSError as exc:
        raise DataError(path, f"cannot read: {exc.strerror}") from None


class Sources:
    """data/sources.csv looked up by authority URL."""

    def __init__(self, settings: Settings) -> None:
        self.by_url: dict[str, list[dict[str, str]]] = {}
        for row in read_table(settings.data_dir / "sources.csv", COLUMNS["sources"]):
            self.by_url.setdefault(row["authority_url"], []).append(dict(row.values))

    def key(self, path: Path, line: int, url: str, described_as: str = "") -> str:
        """The one source row with this URL, checked against how the table describes its kind."""
        found = self.by_url.get(url, [])
        if not found:
            raise DataError(
                path,
                f"no row of data/sources.csv has authority_url {url}; "
                "add the source (key, title, publisher, kind, snapshot) there first",
                line,
            )
        if len(found) > 1:
            keys = ", ".join(r["key"] for r in found)
            raise DataError(path, f"rows {keys} of data/sources.csv share authority_url {url}", line)
        row = found[0]
        if described_as.casefold().startswith("news") and row["kind"] != "source-kind/news":
            raise DataError(
                path,
                f"the table calls {url} news ({described_as!r}), but data/sources.csv row {row['key']} "
                f"says {row['kind']}: a news fact stays marked as news",
                line,
            )
        return row["key"]

    def snapshot(self, key: str) -> str:
        """The snapshot date of the source row ``key``."""
        return next(r["snapshot_date"] for rows in self.by_url.values() for r in rows if r["key"] == key)


def is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def quoted(evidence: str) -> str:
    """The evidence quote, cut at a word when long, so a reader can find the fact again."""
    if len(evidence) <= LOCATOR_LIMIT:
        return f"'{evidence}'"
    cut = evidence[: LOCATOR_LIMIT - 1].rsplit(" ", 1)[0]
    return f"'{cut} …'"
