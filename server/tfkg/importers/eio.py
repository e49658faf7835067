"""The European Investigation Order's application per member state, from the table curated in
2026-12 (shared/sources/curated-2026-12/eio_transposition_dates), into
data/applications/{instrument}.csv.

The table mixes three kinds of date, and each keeps its precision here:

- an entry into force known to the day becomes ``from``;
- "by 2017-05-23 (transposed)" becomes ``<=2017-05-23``: bound on or before, day unknown;
- a transposing act known only by its own or its publication date is not the day it began to
  apply, but a law applies no earlier than its own date: ``from`` is ``>=`` that date (its
  first day where the table gives only a month or a year), and the act goes into the note.

Every row cites the data/sources.csv row whose authority_url is the row's source URL; the
source rows themselves are curated by hand (title, publisher, kind and snapshot are
judgements the table does not make). A row without a source URL (Malta: no national source
found) is left out and reported, and `tfkg stats` counts the state among the EU members with
no EIO application statement: a fact without a source does not go into the graph.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from ..config import Settings
from ..errors import DataError
from ..names import UnknownJurisdictionError, alpha2_to_key
from ..tables import COLUMNS, write_table
from .sourcing import Sources

#: Columns the curated table must have.
EXPECTED = (
    "member_state",
    "iso2",
    "bound",
    "transposing_act",
    "act_date_or_publication",
    "entry_into_force",
    "eif_precision",
    "in_project_dossier",
    "source_url",
    "source_kind",
    "evidence",
)
#: A locator longer than this is cut at a word and marked with an ellipsis.
LOCATOR_LIMIT = 200
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_BY_DAY = re.compile(r"by (\d{4}-\d{2}-\d{2})\b.*")


def import_eio_application(
    settings: Settings, path: Path, instrument: str = "eio-directive"
) -> tuple[int, list[str]]:
    """Write the application table; return the rows written and the states left out."""
    sources = Sources(settings)
    rows, left_out = [], []
    for line, row in enumerate(_read(path), start=2):
        if not row["source_url"]:
            left_out.append(f"{row['member_state']} ({row['iso2']}): no source in the table")
            continue
        try:
            party = alpha2_to_key(row["iso2"])
        except UnknownJurisdictionError as error:
            raise DataError(path, error.message, line) from None
        source = sources.key(path, line, row["source_url"])
        bound, start, note = _application(path, line, row)
        rows.append(
            {
                "instrument": f"instrument/{instrument}",
                "party": f"jurisdiction/{party}",
                "bound": bound,
                "from": start,
                "until": "",
                "source": source,
                "locator": _locator(row["evidence"]),
                "note": note,
            }
        )
    count = write_table(
        settings.data_dir / "applications" / f"{instrument}.csv", COLUMNS["applications/*"], rows
    )
    return count, left_out


def _read(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if tuple(reader.fieldnames or ()) != EXPECTED:
                raise DataError(path, f"expected the columns {','.join(EXPECTED)}", 1)
            return [{k: (v or "").strip() for k, v in row.items()} for row in reader]
    except OSError as exc:
        raise DataError(path, f"cannot read: {exc}") from None


def _application(path: Path, line: int, row: dict[str, str]) -> tuple[str, str, str]:
    """bound, from and note for one curated row."""
    if row["bound"].startswith("no"):
        return "false", "", _inner(row["bound"]) or "not bound"
    if not row["bound"].startswith("yes"):
        raise DataError(path, f"bound is {row['bound']!r}; expected yes… or no…", line)
    act = "" if row["transposing_act"].startswith("(") else row["transposing_act"]
    eif, precision = row["entry_into_force"], row["eif_precision"]
    if _DAY.fullmatch(eif):
        caveat = _inner(precision)
        notes = [
            f"transposed by {act}" if act else "",
            "" if caveat in ("", "EJN") else f"entry into force: {caveat}",
        ]
        return "true", eif, "; ".join(n for n in notes if n)
    if by := _BY_DAY.fullmatch(eif):
        note = f"bound {_inner(precision) or 'by then'} {by[1]}: transposition attested by that date only"
        return "true", f"<={by[1]}", note
    if not eif:
        verb = "published" if "publication" in precision else "dated"
        when = f", {verb} {row['act_date_or_publication']}" if row["act_date_or_publication"] else ""
        return (
            "true",
            _not_earlier_than(row["act_date_or_publication"]),
            f"transposing act {act}{when}; entry into force not in the source",
        )
    raise DataError(
        path, f"entry_into_force {eif!r} is neither YYYY-MM-DD, 'by YYYY-MM-DD …' nor empty", line
    )


def _not_earlier_than(act_date: str) -> str:
    """'>=' the act's date, as a day (the first of its month or year when that is all there is)."""
    if not act_date:
        return ""
    year, *rest = act_date.split("-")
    month, day = [*rest, "01", "01"][:2]
    return f">={year}-{month}-{day}"


def _inner(text: str) -> str:
    """What a cell says in parentheses: 'day (derived: …)' → 'derived: …'."""
    found = re.search(r"\((.*)\)", text)
    return found[1] if found else ""


def _locator(evidence: str) -> str:
    """The evidence quote, cut at a word when long, so a reader can find the fact again."""
    if len(evidence) <= LOCATOR_LIMIT:
        return f"'{evidence}'"
    cut = evidence[: LOCATOR_LIMIT - 1].rsplit(" ", 1)[0]
    return f"'{cut} …'"
