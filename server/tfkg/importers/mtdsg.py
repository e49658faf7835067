"""Reading the UN Treaty Collection's MTDSG status XML (one file per treaty).

The official files carry a header (conclusion, entry into force, registration, counts), a
participant table whose column labels say which suffix codes mean which consent (a, A, AA,
d, c), and sections of declarations, reservations, objections, notifications, territorial
applications and end notes attached to participants.

The genuine files are not always well-formed XML: typographic quotes and ellipses reach them
as their low bytes (U+201C as 0x1C, U+2026 as a bare "&"). :func:`repair` restores those
characters so that the text reads as the depositary published it; nothing else is changed.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from ..errors import DataError

#: Low bytes of typographic characters that reach the files without their high byte.
_LOW_BYTES = {
    0x13: "\u2013",
    0x14: "\u2014",
    0x18: "\u2018",
    0x19: "\u2019",
    0x1C: "\u201c",
    0x1D: "\u201d",
}
_BARE_AMPERSAND = re.compile(r"&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)")
_DATE = re.compile(r"(\d{1,2})\s+([A-Z][a-z]+)\.?\s+(\d{4})")


def repair(raw: bytes) -> str:
    """Decode an MTDSG file (ISO-8859-1) and restore the characters its export mangled."""
    text = raw.decode("iso-8859-1")
    chars = []
    for char in text:
        code = ord(char)
        if code in _LOW_BYTES:
            chars.append(_LOW_BYTES[code])
        elif code < 0x20 and char not in "\t\n\r":
            continue
        else:
            chars.append(char)
    text = _BARE_AMPERSAND.sub("\u2026", "".join(chars))
    return re.sub(r"^<\?xml[^>]*\?>", "", text)


def parse_date(text: str) -> date | None:
    """The first 'D Mon YYYY' or 'D Month YYYY' date in ``text``, or None."""
    for match in _DATE.finditer(text):
        day, month, year = match.groups()
        for pattern, name in (("%d %b %Y", month[:3]), ("%d %B %Y", month)):
            try:
                return datetime.strptime(f"{day} {name} {year}", pattern).date()
            except ValueError:
                continue
    return None


def strip_markup(text: str) -> str:
    """Remove the HTML the files embed as text (<i>, <a>, <superscript>, <right>)."""
    text = re.sub(r"<superscript>.*?</superscript>", "", text)
    return " ".join(re.sub(r"<[^>]+>", "", text).split())


def footnotes_of(raw_name: str) -> tuple[str, ...]:
    """Footnote numbers attached to a participant name: 'China<superscript>1,4</superscript>'."""
    found = re.search(r"<superscript>(.*?)</superscript>", raw_name)
    return tuple(n.strip() for n in found.group(1).split(",")) if found else ()


@dataclass(frozen=True)
class Participant:
    """One participant row: name, footnotes, and the cell text under each column label."""

    name: str
    footnotes: tuple[str, ...]
    cells: tuple[tuple[str, str], ...]  # (column label, cell text)
    row: int


@dataclass(frozen=True)
class Statement:
    """A declaration, reservation, objection or notification entry of a participant."""

    section: str  # Declarations, Objections, Notifications
    participant: str
    title: str
    paragraphs: tuple[str, ...]
    dated: date | None  # the <right>date</right> the entry carries, if any
    ordinal: int


@dataclass(frozen=True)
class TerritorialApplication:
    participant: str
    notified: date | None
    territories: str


@dataclass
class MtdsgDocument:
    """The parts of one status file that tfkg uses."""

    path: Path
    reference: str
    chapter: int
    title: str
    conclusion: str
    entry_into_force_text: str
    registration: str
    signatories: int | None
    parties: int | None
    participants: list[Participant] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    territorial: list[TerritorialApplication] = field(default_factory=list)
    endnotes: dict[str, str] = field(default_factory=dict)

    @property
    def entry_into_force(self) -> date | None:
        return parse_date(self.entry_into_force_text)

    @property
    def adopted(self) -> date | None:
        return parse_date(self.conclusion)


_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def _roman(text: str) -> int:
    total = 0
    for i, char in enumerate(text):
        value = _ROMAN[char]
        total += -value if i + 1 < len(text) and _ROMAN[text[i + 1]] > value else value
    return total


def _text(element: ET.Element | None, path: str) -> str:
    found = element.find(path) if element is not None else None
    return (found.text or "").strip() if found is not None else ""


def read_mtdsg(path: Path) -> MtdsgDocument:
    """Parse one MTDSG status file; a file that is not one is a clear error."""
    try:
        root = ET.fromstring(repair(path.read_bytes()))  # noqa: S314 - local, curator-chosen file
    except ET.ParseError as exc:
        raise DataError(path, f"not readable as UNTC MTDSG XML: {exc}", exc.position[0]) from None
    except FileNotFoundError:
        raise DataError(path, "no such file") from None
    treaty = root.find("Treaty")
    header = treaty.find("Header") if treaty is not None else None
    data = header.find("ExternalData") if header is not None else None
    if treaty is None or data is None:
        raise DataError(path, "not a UNTC MTDSG status file: no Treaty/Header/ExternalData element")
    chapter_label = _text(header, "Chapter/Header").removeprefix("CHAPTER").strip()
    number = _text(data, "Numsect")
    sub = _text(data, "Subnumsect")
    reference = f"{chapter_label}-{number}" + (f"-{sub}" if sub else "")
    counts = {k: _text(data, f"Status/{k}") for k in ("Signatories", "Parties")}
    doc = MtdsgDocument(
        path=path,
        reference=reference,
        chapter=_roman(chapter_label) if chapter_label else 0,
        title=strip_markup(_text(data, "Titlesect") or _text(data, "Subtitlesect")),
        conclusion=_text(data, "Conclusion"),
        entry_into_force_text=strip_markup(_text(data, "EIF/Labeltext")),
        registration=strip_markup(_text(data, "Registration/Labeltext")),
        signatories=int(counts["Signatories"]) if counts["Signatories"].isdigit() else None,
        parties=int(counts["Parties"]) if counts["Parties"].isdigit() else None,
    )
    group = treaty.find("Participants/Table/TGroup")
    if group is not None:
        labels = [strip_markup(e.text or "") for e in group.findall("Thead/Row/Entry")]
        for index, row in enumerate(group.findall("Tbody/Rows/Row"), start=1):
            entries = [e.text or "" for e in row.findall("Entry")]
            if not entries or not strip_markup(entries[0]):
                continue
            doc.participants.append(
                Participant(
                    name=strip_markup(entries[0]),
                    footnotes=footnotes_of(entries[0]),
                    cells=tuple(zip(labels[1:], (strip_markup(e) for e in entries[1:]), strict=False)),
                    row=index,
                )
            )
    for section in ("Declarations", "Objections", "Notifications"):
        ordinal = 0
        for entry in treaty.findall(f"{section}/*"):
            if entry.tag == "Title":
                continue
            participant = strip_markup(_text(entry, "Participant"))
            dated = None
            title, paragraphs = "", list[str]()
            for text in entry.findall("text"):
                kind = text.get("type")
                value = strip_markup(text.text or "")
                if kind is None and "right" in (text.text or ""):
                    dated = parse_date(value)
                elif kind == "title":
                    if title or paragraphs:  # a new title starts the next statement
                        ordinal += 1
                        doc.statements.append(
                            Statement(section, participant, title, tuple(paragraphs), dated, ordinal)
                        )
                        paragraphs = []
                    title = value
                elif value:
                    paragraphs.append(value)
            if title or paragraphs:
                ordinal += 1
                doc.statements.append(
                    Statement(section, participant, title, tuple(paragraphs), dated, ordinal)
                )
    previous = ""
    for application in treaty.findall("TerritorialApplications/Application"):
        # An empty participant continues the previous one (the table groups rows by state).
        previous = strip_markup(_text(application, "Participant")) or previous
        doc.territorial.append(
            TerritorialApplication(
                participant=previous,
                notified=parse_date(_text(application, "DateNotification")),
                territories=strip_markup(_text(application, "Territories")),
            )
        )
    for note in treaty.findall("EndNotes/Note"):
        doc.endnotes[_text(note, "index")] = " ".join(
            strip_markup(t.text or "") for t in note.findall("text")
        )
    return doc
