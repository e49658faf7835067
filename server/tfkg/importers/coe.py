"""Council of Europe charts of signatures and ratifications into tfkg's tables.

Two entry points share one way of turning a chart row into facts:

- `tfkg import coe FILE.html` (:func:`import_coe`): a chart page as the Treaty Office serves it
  (read by :mod:`tfkg.importers.coechart`);
- the conversion `coe-archive` (:func:`import_coe_archive`): the opening rows of archived chart
  versions, curated in 2026-12 as CSV with each row's source URL, status date and evidence.

A row gives a signature, a ratification (an accession, succession or definitive signature
where the Notes column says a, su or s) with the party's entry into force as the chart prints
it, and one statement per R. D. A. T. C. O. mark, of the kind the mark names. A mark says only
that such a statement exists: the statement gets no text, date or target article, because the
chart gives none, and its locator says so. A signature binds no one, so it gets no entry into
force.

Several versions of a chart can feed one instrument's tables. Each import replaces only the
rows of its own source and keeps every other row, so that each version's facts stay cited to
that version and are never merged into something no version says.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..config import Settings
from ..errors import DataError
from ..names import UnknownJurisdictionError, jurisdiction_key
from ..tables import COLUMNS, read_table, upsert_rows, write_table
from .coechart import MARKS, Chart, ChartRow, parse_day, read_chart

#: The chart's Notes codes for what the Ratification (or Signature) date records.
NOTE_CODES = {"a": "accession", "su": "succession", "s": "definitive-signature"}
#: The kind of statement each mark says exists (statements/*.csv `kind`). Authorities and
#: communications are notifications to the depositary; territorial application is declared.
MARK_KINDS = {
    "R": "reservation",
    "D": "declaration",
    "A": "notification",
    "T": "declaration",
    "C": "notification",
    "O": "objection",
}
#: The Treaty Office's chart page for a treaty; `tfkg refresh coe` fetches it.
CHART_URL = "https://www.coe.int/en/web/conventions/full-list?module=signatures-by-treaty&treatynum={number}"
#: Columns an archived chart table must have (curated-2026-12/status-pages-partial).
ARCHIVE_COLUMNS = (
    "state",
    "group",
    "signature",
    "ratification",
    "entry_into_force",
    *MARKS,
    "row_complete",
    "status_as_of",
    "source_url",
    "evidence",
)


@dataclass(frozen=True)
class CoeResult:
    """What one chart import wrote."""

    instrument: str
    source: str
    actions: int
    statements: int
    states: int
    note: str = ""

    def describe(self) -> str:
        text = (
            f"{self.instrument}: {self.actions} treaty actions and {self.statements} statements "
            f"from {self.states} chart rows (source {self.source})"
        )
        return f"{text}; {self.note}" if self.note else text


def instrument_for(settings: Settings, number: int) -> dict[str, str]:
    """The data/instruments.csv row whose cets_number is ``number``."""
    table = settings.data_dir / "instruments.csv"
    for row in read_table(table, COLUMNS["instruments"]):
        if row["cets_number"].isdigit() and int(row["cets_number"]) == number:
            return dict(row.values)
    raise DataError(
        table,
        f"no instrument has cets_number {number:03d}; add its row (key, kind, label, cets_number, "
        "eif_provision citing its entry-into-force article) before importing its chart",
    )


def import_coe(
    settings: Settings,
    path: Path,
    snapshot: date | None = None,
    source_key: str | None = None,
    authority_url: str | None = None,
    retrieval: str | None = None,
) -> CoeResult:
    """Import one chart page as the treaty's status on ``snapshot`` (default: its 'Status as of')."""
    chart = read_chart(path)
    when = snapshot or chart.status_as_of
    if when is None:
        raise DataError(path, "the page states no 'Status as of' date; give --snapshot-date")
    instrument = instrument_for(settings, chart.number)
    key = instrument["key"]
    source = source_key or f"coe-chart-{key}-{when.isoformat()}"
    where = f"chart as of {chart.status_as_of or when}"
    actions, statements = chart_facts(chart.rows, key, source, path, where, marks=True)
    data = settings.data_dir
    upsert_rows(
        data / "sources.csv",
        COLUMNS["sources"],
        [
            _source_row(
                chart,
                source,
                when,
                authority_url,
                retrieval or f"{path.name}, imported with `tfkg import coe`",
            )
        ],
        ["key"],
    )
    if chart.whole:
        upsert_rows(
            data / "depositary-status.csv",
            COLUMNS["depositary-status"],
            [
                {
                    "instrument": f"instrument/{key}",
                    "parties": str(chart.ratifications),
                    "entry_into_force": chart.entry_into_force.isoformat() if chart.entry_into_force else "",
                    "entry_into_force_text": chart.entry_into_force_text,
                    "source": source,
                }
            ],
            ["instrument", "source"],
        )
    counts = write_source_rows(settings, key, source, actions, statements)
    note = (
        f"the chart's totals: {chart.ratifications} ratifications/accessions, "
        f"{chart.signatures_not_followed} signatures not followed by ratification"
        if chart.whole
        else "no totals on the page: a part of the chart"
    )
    return CoeResult(key, source, *counts, len(chart.rows), note)


def chart_facts(
    rows: Iterable[ChartRow], instrument: str, source: str, path: Path, where: str, marks: bool
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Treaty-action and statement rows for chart rows; every State must resolve."""
    actions: list[dict[str, str]] = []
    statements: list[dict[str, str]] = []
    unknown: list[str] = []
    for row in rows:
        try:
            party = f"jurisdiction/{jurisdiction_key(row.state)}"
        except UnknownJurisdictionError as error:
            unknown.append(f"line {row.line}: {error.message}")
            continue
        locator = f"{where}{', ' + row.group if row.group else ''}: '{row.evidence}'"
        codes = set(re.findall(r"[a-z]+", row.notes.lower()))
        consent = next((NOTE_CODES[c] for c in ("a", "su") if c in codes), "ratification")
        in_force = parse_day(row.entry_into_force, path, row.line)
        signed = parse_day(row.signature, path, row.line)
        consented = parse_day(row.ratification, path, row.line)
        base = {
            "instrument": f"instrument/{instrument}",
            "party": party,
            "source": source,
            "locator": locator,
        }
        if signed is not None:
            definitive = "s" in codes and consented is None
            actions.append(
                base
                | {
                    "action_type": f"action-type/{'definitive-signature' if definitive else 'signature'}",
                    "date": signed.isoformat(),
                    "entry_into_force_for_party": in_force.isoformat() if definitive and in_force else "",
                }
            )
        if consented is not None:
            actions.append(
                base
                | {
                    "action_type": f"action-type/{consent}",
                    "date": consented.isoformat(),
                    "entry_into_force_for_party": in_force.isoformat() if in_force else "",
                }
            )
        if marks:
            statements += [
                base
                | {
                    "kind": MARK_KINDS[letter],
                    "locator": (
                        f"{where}: mark '{letter}.' ({MARKS[letter]}) in the row of {row.state}; "
                        "the chart gives no text, date or article"
                    ),
                }
                for letter in row.marks
            ]
    if unknown:
        raise DataError(path, "cannot resolve States:\n  " + "\n  ".join(unknown))
    return actions, statements


def write_source_rows(
    settings: Settings,
    instrument: str,
    source: str,
    actions: list[dict[str, str]],
    statements: list[dict[str, str]],
) -> tuple[int, int]:
    """Replace the rows of ``source`` in the instrument's tables, keeping every other source's."""
    written = []
    for table, rows in (("treaty-actions", actions), ("statements", statements)):
        path = settings.data_dir / table / f"{instrument}.csv"
        columns = COLUMNS[f"{table}/*"]
        kept = (
            [dict(r.values) for r in read_table(path, columns) if r["source"] != source]
            if path.is_file()
            else []
        )
        if not rows and not kept and not path.is_file():
            written.append(0)
            continue
        write_table(path, columns, [*kept, *rows])
        written.append(len({tuple(r.get(c, "") for c in columns) for r in rows}))
    return written[0], written[1]


def _source_row(
    chart: Chart, key: str, snapshot: date, authority_url: str | None, retrieval: str
) -> dict[str, str]:
    status = f", status as of {chart.status_as_of:%d/%m/%Y}" if chart.status_as_of else ""
    return {
        "key": key,
        "title": f"Chart of signatures and ratifications of Treaty {chart.number}: {chart.title}{status}",
        "publisher": "Council of Europe Treaty Office",
        "kind": "source-kind/official",
        "authority_url": authority_url or CHART_URL.format(number=chart.number),
        "snapshot_date": snapshot.isoformat(),
        "retrieval_method": retrieval,
    }


# --- the archived chart versions (conversion `coe-archive`) -----------------------------------


def import_coe_archive(settings: Settings, path: Path, instrument: str, marks: bool) -> CoeResult:
    """Load one archived chart version: its rows, cited to the sources.csv row of its URL.

    The version's status date must be that source row's snapshot date, so the table and the
    source record cannot drift apart. With ``marks`` false the R. D. A. T. C. O. marks are
    left out (the 2004 copy's marks may date from its crawl, not from its status date).
    """
    rows, url, status = _read_archive(path)
    source = _source_by_url(settings, path, url, status)
    where = f"archived chart as of {status:%d/%m/%Y}"
    actions, statements = chart_facts(rows, instrument, source, path, where, marks)
    counts = write_source_rows(settings, instrument, source, actions, statements)
    left_out = sum(len(r.marks) for r in rows) if not marks else 0
    note = f"{left_out} marks left out (undatable in this copy)" if left_out else ""
    return CoeResult(instrument, source, *counts, len(rows), note)


def _read_archive(path: Path) -> tuple[list[ChartRow], str, date]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in ARCHIVE_COLUMNS if c not in (reader.fieldnames or ())]
            if missing:
                raise DataError(path, f"missing columns {', '.join(missing)}", 1)
            table = [(n, {k: (v or "").strip() for k, v in r.items()}) for n, r in enumerate(reader, start=2)]
    except OSError as exc:
        raise DataError(path, f"cannot read: {exc}") from None
    versions = {(r["source_url"], r["status_as_of"]) for _, r in table}
    if len(versions) != 1:
        raise DataError(path, "one archived version per file: rows differ in source_url or status_as_of")
    url, status_text = versions.pop()
    status = parse_day(status_text, path, 2)
    if status is None:
        raise DataError(path, "status_as_of is empty", 2)
    rows = []
    for line, r in table:
        incomplete = (
            "" if r["row_complete"] == "yes" else f" (row cut short in the copy: {r['row_complete']})"
        )
        rows.append(
            ChartRow(
                state=r["state"],
                group=r["group"],
                signature=r["signature"],
                ratification=r["ratification"],
                entry_into_force=r["entry_into_force"],
                notes=r.get("notes", ""),
                marks=tuple(letter for letter in MARKS if r[letter]),
                line=line,
                evidence=r["evidence"] + incomplete,  # verbatim: the 2004 copy's spacing places its marks
            )
        )
    return rows, url, status


def _source_by_url(settings: Settings, path: Path, url: str, status: date) -> str:
    """The one sources.csv row for ``url``; its snapshot must be the version's status date."""
    found = [
        r
        for r in read_table(settings.data_dir / "sources.csv", COLUMNS["sources"])
        if r["authority_url"] == url
    ]
    if len(found) != 1:
        raise DataError(
            path,
            f"{'no' if not found else 'more than one'} row of data/sources.csv has authority_url {url}; "
            "curate exactly one (key, title, publisher, kind, snapshot) first",
        )
    if found[0]["snapshot_date"] != status.isoformat():
        raise DataError(
            path,
            f"the rows are status as of {status.isoformat()} but source {found[0]['key']} says "
            f"snapshot {found[0]['snapshot_date']}",
        )
    return found[0]["key"]
