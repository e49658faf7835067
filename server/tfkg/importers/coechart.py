"""Reading the Council of Europe Treaty Office's chart of signatures and ratifications (HTML).

The chart is one page per treaty (https://www.coe.int/en/web/conventions/full-list?module=
signatures-by-treaty&treatynum=185; before 2015 conventions.coe.int/Treaty/Commun/
ChercheSig.asp?NT=185&CM=8&DF=...&CL=ENG). Both layouts carry the same facts: a header with the
treaty's number ("CETS No.185", "CETS No.: 185"), its entry into force and the date the chart
is "Status as of"; then, grouped under headings such as "Members of Council of Europe", one row
per State with the columns States, Signature, Ratification, Entry into Force, Notes and the
marks R. D. A. T. C. O. (Reservations, Declarations, Authorities, Territorial application,
Communication, Objection; the new layout writes the letter, the old one an "X"); and, where
the page is whole, a footer with the Treaty Office's own totals.

This module only reads: it turns the page into a :class:`Chart` whose cells are kept as
printed, found by their column headings rather than by position, so that a page whose
layout changed is refused with a clear message instead of being misread. Turning rows
into tfkg's treaty actions is :mod:`tfkg.importers.coe`'s concern.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

from ..errors import DataError

#: The mark columns and what the chart's legend says each stands for.
MARKS = {
    "R": "Reservations",
    "D": "Declarations",
    "A": "Authorities",
    "T": "Territorial application",
    "C": "Communication",
    "O": "Objection",
}
#: Column headings (lower case, dots and spaces trimmed) and the field each fills.
HEADINGS = {
    "states": "state",
    "state": "state",
    "signature": "signature",
    "ratification": "ratification",
    "entry into force": "entry_into_force",
    "notes": "notes",
    **{letter.lower(): letter for letter in MARKS},
}
_REQUIRED = ("signature", "ratification", "entry_into_force")
_LABELS = {
    "signature": "Signature",
    "ratification": "Ratification",
    "entry_into_force": "Entry into force",
    "notes": "Notes",
}
_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_BLOCKS = frozenset({"p", "div", "br", "h1", "h2", "h3", "h4", "li", "table", "tr", "section"})


@dataclass(frozen=True)
class ChartRow:
    """One State's row, cells as printed (dates d/m/yyyy), with the marks it carries."""

    state: str
    group: str
    signature: str
    ratification: str
    entry_into_force: str
    notes: str
    marks: tuple[str, ...]
    line: int
    evidence: str


@dataclass
class Chart:
    """What one chart page states."""

    path: Path
    number: int
    title: str
    status_as_of: date | None
    entry_into_force: date | None
    entry_into_force_text: str
    rows: list[ChartRow] = field(default_factory=list)
    signatures_not_followed: int | None = None
    ratifications: int | None = None

    @property
    def whole(self) -> bool:
        """Whether the page reaches the footer with the Treaty Office's totals."""
        return self.ratifications is not None


def parse_day(text: str, path: Path, line: int) -> date | None:
    """A chart date (d/m/yyyy or dd/mm/yyyy) as a date; an empty cell is None."""
    text = text.strip()
    if not text:
        return None
    found = _DATE.fullmatch(text)
    if not found:
        raise DataError(path, f"{text!r} is not a chart date (d/m/yyyy)", line)
    day, month, year = (int(g) for g in found.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise DataError(path, f"{text!r} is not a real day", line) from None


@dataclass
class _Cell:
    text: str = ""
    header: bool = False
    span: int = 1


class _Collector(HTMLParser):
    """Collects every table row (with its source line) and the page's text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[tuple[int, list[_Cell]]] = []
        self.text: list[str] = []
        self._row: list[_Cell] | None = None
        self._cell: _Cell | None = None
        self._skip = 0
        self.headings: list[str] = []
        self._heading: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in ("h1", "h2", "h3", "h4"):
            self._heading = []
        elif tag == "tr":
            self._row = []
            self.rows.append((self.getpos()[0], self._row))
        elif tag in ("td", "th") and self._row is not None:
            span = dict(attrs).get("colspan") or "1"
            self._cell = _Cell(header=tag == "th", span=int(span) if span.isdigit() else 1)
            self._row.append(self._cell)
        if tag in _BLOCKS or tag in ("td", "th"):
            self.text.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in ("h1", "h2", "h3", "h4") and self._heading is not None:
            self.headings.append(_norm("".join(self._heading)))
            self._heading = None
        elif tag in ("td", "th"):
            self._cell = None
        elif tag == "tr":
            self._row, self._cell = None, None
        if tag in _BLOCKS:
            self.text.append("\n")

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.text.append(data)
        if self._heading is not None:
            self._heading.append(data)
        if self._cell is not None:
            self._cell.text += data


def _norm(text: str) -> str:
    return " ".join(text.split())


def _heading(text: str) -> str:
    return _norm(text).lower().rstrip(".").strip()


def read_chart(path: Path) -> Chart:
    """Read a chart page; refuse, with the file and a reason, a page that is not one."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError(path, f"cannot read: {exc}") from None
    collector = _Collector()
    collector.feed(raw.decode("utf-8", errors="replace"))
    collector.close()
    text = _norm(" ".join("".join(collector.text).split("\n")))
    number = re.search(r"\b(?:C?ETS)\s*No\.?\s*:?\s*(\d+)", text) or re.search(
        r"Treaty (?:No\.?\s*)?(\d+)\b", text
    )
    if number is None:
        raise DataError(path, "not a Council of Europe chart: no 'CETS No.' or 'Treaty NNN' on the page")
    status = re.search(r"Status as of\s*:?\s*(\d{1,2}/\d{1,2}/\d{4})", text)
    eif = re.search(r"Entry into [Ff]orce\s*:?\s*(\d{1,2}/\d{1,2}/\d{4})(.{0,160})", text)
    if eif is None:  # the old layout: "Conditions: 5 Ratifications … Date : 1/7/2004"
        eif = re.search(
            r"Conditions\s*:\s*(?P<text>.{0,160}?)\s*Date\s*:\s*(?P<day>\d{1,2}/\d{1,2}/\d{4})", text
        )
        eif_day, eif_text = (eif["day"], f"{eif['day']} - {eif['text']}") if eif else ("", "")
    else:
        eif_day, eif_text = eif.group(1), _condition(eif.group(1), eif.group(2))
    chart = Chart(
        path=path,
        number=int(number.group(1)),
        title=_title(collector.rows, collector.headings),
        status_as_of=parse_day(status.group(1), path, 1) if status else None,
        entry_into_force=parse_day(eif_day, path, 1),
        entry_into_force_text=eif_text,
    )
    if found := re.search(r"Total number of signatures not followed by ratifications\s*:?\s*(\d+)", text):
        chart.signatures_not_followed = int(found.group(1))
    if found := re.search(r"Total number of ratifications/accessions\s*:?\s*(\d+)", text):
        chart.ratifications = int(found.group(1))
    chart.rows = _rows(path, collector.rows)
    return chart


def _condition(day: str, after: str) -> str:
    """'01/07/2004 - 5 Ratifications including …', cut where the header's next item begins."""
    cut = re.split(r"\s(?:State who|Members? |Status as of|Non-member|Signature\b)", after, maxsplit=1)[0]
    return f"{day}{cut}".strip()[:300]


def _title(rows: list[tuple[int, list[_Cell]]], headings: list[str]) -> str:
    """The treaty's title: the header's Title row, or the page heading that names the treaty."""
    for _, cells in rows:
        if len(cells) >= 2 and _heading(cells[0].text) == "title":
            return _norm(cells[1].text)
    skip = ("full list", "chart of signatures")
    return next((h for h in headings if h and not h.lower().startswith(skip)), "")


def _columns(cells: list[_Cell]) -> dict[int, str] | None:
    """Field by column index when ``cells`` is the chart's heading row, else None."""
    columns: dict[int, str] = {}
    index = 0
    for cell in cells:
        name = HEADINGS.get(_heading(cell.text))
        if name:
            columns[index] = name
        index += cell.span
    if not all(name in columns.values() for name in _REQUIRED):
        return None
    if "state" not in columns.values():
        # The States column's heading is often empty: it is the first column.
        columns.setdefault(0, "state")
    return columns


def _evidence(state: str, values: dict[str, str]) -> str:
    """The row as the chart prints it, cell by named cell: what a reader looks for again."""
    cells = [f"{label} {values[name]}" for name, label in _LABELS.items() if values.get(name)]
    marks = " ".join(f"{letter}." for letter in MARKS if values.get(letter))
    return f"{state}: " + ", ".join([*cells, *([f"marks {marks}"] if marks else [])])


def _rows(path: Path, rows: list[tuple[int, list[_Cell]]]) -> list[ChartRow]:
    columns: dict[int, str] | None = None
    group = ""
    found: list[ChartRow] = []
    for line, cells in rows:
        if heading := _columns(cells):
            columns = heading
            continue
        filled = [c for c in cells if _norm(c.text)]
        if len(filled) == 1 and (len(cells) == 1 or cells[0].span > 1):
            group = _norm(filled[0].text)  # a group heading: "Members of Council of Europe"
            continue
        if columns is None or not filled:
            continue
        if _norm(cells[0].text).lower().startswith("total number"):
            continue
        values: dict[str, str] = {}
        index = 0
        for cell in cells:
            if index in columns:
                values[columns[index]] = _norm(cell.text)
            index += cell.span
        state = values.get("state", "")
        if not state:
            raise DataError(path, "a chart row without a State in its first column", line)
        for name in _REQUIRED:
            parse_day(values.get(name, ""), path, line)
        found.append(
            ChartRow(
                state=state,
                group=group,
                signature=values.get("signature", ""),
                ratification=values.get("ratification", ""),
                entry_into_force=values.get("entry_into_force", ""),
                notes=values.get("notes", ""),
                marks=tuple(letter for letter in MARKS if values.get(letter)),
                line=line,
                evidence=_evidence(state, values),
            )
        )
    if columns is None:
        raise DataError(
            path,
            "not a chart of signatures and ratifications (or its layout changed): no table row "
            "with the headings Signature, Ratification and Entry into force",
        )
    return found
