"""Bilateral extradition and mutual legal assistance treaties, from the tables compiled in
2026-12 (shared/sources/bilateral-2026-12), into data/bilateral/{name}.csv (the treaties) and
data/applications/bilateral-{name}.csv (when each is in force between its partners).

What the source tables say, and what tfkg makes of it:

- A row names two partners, a kind (extradition, MLA, both), a title, and where known a
  signature date, an entry-into-force date and a citation. A signature binds no one: a treaty
  with a signature alone is written with its signature and nothing else, and the pathway
  engine answers "signed; in force not stated".
- An entry into force becomes an application statement for each partner, from that day.
- A row a list gives as "in force" without dates (the State Department's INCSR 2015 list of
  MLATs) becomes an application from ``<=`` the last day of the list's year: in force no later
  than then, the day unknown. Where tfkg already has a dated treaty of the same kind between
  the same partners, the listing is taken to name that treaty (the conversion reports it).
- Rows that repeat one instrument (the same partners, kind and signature date, e.g. one text
  under two BWB ids; or the three-party Benelux treaty given once per partner) become one
  treaty whose locator cites every row.
- A designation under a state's own law (the UK's category 2 territories under Part 2 of the
  Extradition Act 2003) is not a treaty: it goes to data/designations/{name}.csv, in force no
  earlier than the start of the year the law or order that makes it bears in its name (the
  Act of 2003; SI 2015/992), since the sources give no day.
- An exchange of notes that extends a convention to the Netherlands Antilles and Aruba binds
  the Kingdom for those territories only: it is scoped to Aruba and the Antilles' successors
  (Curaçao, Sint Maarten, the Caribbean Netherlands) and never answers for the European
  Netherlands.
- The status note's word for what an instrument does to another ("supplementary agreement to
  the European Convention", "continues the NL-UK extradition treaty of 26 Sep 1898",
  "applying the 2003 EU-US agreement") becomes a link to that instrument (``amends``); the
  EU-US agreement an instrument applies is kept as ``implements``. A US row whose entry into
  force the source ties to "the US-EU instruments" (the second instrument listed for Austria and
  Belgium, in force 2010-02-01) is the bilateral instrument applying the EU-US agreement of its
  kind, which the Dutch texts' table writes: it ``implements`` that agreement.
- A source row that gives an entry into force but says the treaty's "current status not stated"
  (the 1972 US-UK treaty, listed under the Falkland Islands) is in force from that day, and
  whether it still is afterwards is not stated: its application ends ``>=`` that day (not earlier
  than it), so an answer for a later date is uncertain, never a plain "in force".
- A list's "incl. <territories>" (INCSR: the US-UK MLAT "incl. Anguilla, British Virgin Islands,
  Cayman Islands, ...") becomes the treaty's ``territories``: the partner itself and the listed
  territories, each answered through the partner. Where the listing is read as naming a treaty
  another table writes, the list cannot be carried there, and the conversion reports it.

Sources are curated by hand in data/sources.csv (kind and snapshot are judgements the tables
do not make); the conversion looks each row's source up by URL, or by the prefix given in
data/conversions.yaml for the Dutch texts, whose rows each name a file of one repository.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Settings
from ..errors import DataError
from ..names import UnknownJurisdictionError, jurisdiction_key
from ..tables import COLUMNS, read_table, write_table
from .sourcing import Sources, read_with_columns

#: Columns every bilateral source table shares (its README).
EXPECTED = (
    "party_a",
    "party_b",
    "kind",
    "title",
    "signature_date",
    "entry_into_force_date",
    "citation",
    "status_note",
    "source",
    "source_date",
)
MEASURES = {
    "extradition": "measure/extradition",
    "MLA": "measure/mutual-legal-assistance",
    "both": "measure/extradition measure/mutual-legal-assistance",
}
KIND_WORDS = {"extradition": "extradition", "MLA": "mla", "both": "extradition-mla"}
#: The Netherlands Antilles (dissolved 2010-10-10) and Aruba: the territories an exchange of
#: notes "tot de Nederlandse Antillen en Aruba" extends a convention to.
ANTILLES_AND_ARUBA = ("jurisdiction/ABW", "jurisdiction/BES", "jurisdiction/CUW", "jurisdiction/SXM")
EUROPEAN_CONVENTIONS = {
    "uitlevering": "instrument/ets-024",
    "rechtshulp": "instrument/ets-030",
}
LOCATOR_LIMIT = 240
#: Names INCSR 2015 uses in its "incl. ..." lists that the ISO names do not match.
TERRITORY_NAMES = {
    "St. Martin": "MAF",
    "St. Maarten": "SXM",
    "Curacao": "CUW",
    "Bonaire": "BES",
    "Saba": "BES",
    "St. Eustatius": "BES",
    "Turks and Caicos": "TCA",
}
STATUS_NOT_STATED = "current status not stated"
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass
class Treaty:
    """One instrument as the conversion assembles it from one or more source rows."""

    key: str
    label: str
    partners: set[str]
    kind: str
    signed: str
    source: str
    dated: bool
    locators: list[str] = field(default_factory=list)
    territories: tuple[str, ...] = ()
    amends: str = ""
    implements: str = ""
    note: str = ""
    title: str = ""


@dataclass(frozen=True)
class InForce:
    """A source's statement that a treaty is in force between its partners from a date."""

    treaty: str
    partners: frozenset[str]
    start: str  # YYYY-MM-DD, or <=YYYY-MM-DD for a listing that gives no date
    source: str
    locator: str
    note: str
    until: str = ""  # >=YYYY-MM-DD where the source does not say whether it still holds


def import_bilateral(
    settings: Settings, path: Path, name: str, source_prefixes: dict[str, str] | None = None
) -> tuple[int, int, list[str]]:
    """Write data/bilateral/{name}.csv and data/applications/bilateral-{name}.csv.

    Returns the treaties written, the application rows written, and what was merged, for the
    conversion's report."""
    sources = Sources(settings)
    names = {
        r["key"]: r["label"]
        for r in read_table(settings.data_dir / "jurisdictions.csv", COLUMNS["jurisdictions"])
    }
    prefixes = source_prefixes or {}
    elsewhere = _base_treaties_elsewhere(settings, exclude=name)
    agreements = _eu_us_agreements_elsewhere(settings, exclude=name)
    treaties: dict[str, Treaty] = {}
    in_force: dict[tuple[str, str], InForce] = {}
    listed: list[tuple[int, dict[str, str], str]] = []
    by_citation: dict[tuple[str, str], str] = {}  # one text given once per partner (the Benelux treaty)
    report: list[str] = []

    def add_in_force(statement: InForce) -> None:
        in_force.setdefault((statement.treaty, statement.start), statement)

    designations: list[dict[str, str]] = []
    for line, row in read_with_columns(path, EXPECTED):
        source = _source_key(path, line, row["source"], sources, prefixes)
        if _is_designation(row) or row["citation"].startswith("designation by "):
            designations.append(_designation(path, line, row, source))
        if _is_designation(row):
            continue
        a, b = _party(path, line, row["party_a"]), _party(path, line, row["party_b"])
        signed, entry = row["signature_date"].strip(), row["entry_into_force_date"].strip()
        for value in filter(None, (signed, entry)):
            if not _DAY.fullmatch(value):
                raise DataError(path, f"{value!r} is not a date; write YYYY-MM-DD", line)
        if row["kind"] not in MEASURES:
            raise DataError(path, f"kind {row['kind']!r} is not one of {', '.join(MEASURES)}", line)
        if not signed and not entry and _is_listing(row):
            listed.append((line, row, source))
            continue
        if not signed:
            # A list that gives only the entry into force of a treaty another table dates.
            same = _same_treaty(treaties, elsewhere, a, b, row["kind"])
            if same is not None:
                add_in_force(InForce(same[0], same[1], entry, source, _locator(row), _entry_note(row)))
                report.append(f"{row['party_b']} {row['kind']}: entry into force {entry} added to {same[0]}")
                continue
        key = _key(a, b, row["kind"], signed or entry, row["citation"])
        citation = row["citation"].strip()
        key = by_citation.setdefault((citation, signed), key) if citation and signed else key
        if key in treaties:  # the same instrument again: another BWB id, or another partner
            treaty = treaties[key]
            if not {a, b} <= treaty.partners:
                treaty.partners |= {a, b}
                who = "–".join(sorted(names.get(p.removeprefix("jurisdiction/"), p) for p in treaty.partners))
                treaty.label = f"{who} {treaty.label.split(' ', 1)[1]}"
            if source == treaty.source:
                treaty.locators.append(_locator(row))
            else:
                report.append(f"{key}: also given by {row['source']}")
        else:
            treaty = Treaty(
                key,
                _label(row, names),
                {a, b},
                row["kind"],
                signed,
                source,
                bool(signed or entry),
                [_locator(row)],
            )
            treaty.title = " ".join(row["title"].split())
            _relations(treaty, row, treaties, agreements)
            treaties[key] = treaty
        if entry:
            open_end = STATUS_NOT_STATED in row["status_note"]
            add_in_force(
                InForce(
                    key,
                    frozenset(treaty.partners),
                    entry,
                    source,
                    _locator(row),
                    _entry_note(row)
                    + ("; its current status is not stated in the source" if open_end else ""),
                    f">={entry}" if open_end else "",
                )
            )
    for line, row, source in listed:
        a, b = _party(path, line, row["party_a"]), _party(path, line, row["party_b"])
        by = f"<={_year(path, line, row['source_date'])}-12-31"
        note = f"listed as in force in a source of {row['source_date']}; the day it entered into force is not stated"
        same = _same_treaty(treaties, elsewhere, a, b, row["kind"])
        included = _included(path, line, row)
        if same is not None:
            report.append(f"{row['party_b']} {row['kind']}: the in-force listing is read as naming {same[0]}")
            if included:
                report.append(
                    f"{row['party_b']} {row['kind']}: its 'incl.' territories are not carried to {same[0]}, "
                    "which another table writes"
                )
            add_in_force(InForce(same[0], same[1], by, source, _locator(row), note))
            continue
        key = _key(a, b, row["kind"], "", "listed")
        treaty = Treaty(
            key, _listed_label(row, names), {a, b}, row["kind"], "", source, False, [_locator(row)]
        )
        if included:  # the partner itself and the territories the list names, each through it
            treaty.territories = tuple(sorted({b, *included}))
        treaty.note = (
            "known only from a list of treaties in force; its title and dates are not in the sources"
        )
        treaties[key] = treaty
        add_in_force(InForce(key, frozenset(treaty.partners), by, source, _locator(row), note))
    written = write_table(
        settings.data_dir / "bilateral" / f"{name}.csv",
        COLUMNS["bilateral/*"],
        [_treaty_row(t) for t in treaties.values()],
    )
    applications = [
        {
            "instrument": f"instrument/{s.treaty}",
            "party": partner,
            "bound": "true",
            "from": s.start,
            "until": s.until,
            "source": s.source,
            "locator": s.locator,
            "note": s.note,
        }
        for s in in_force.values()
        for partner in sorted(treaties[s.treaty].partners if s.treaty in treaties else s.partners)
    ]
    applied = write_table(
        settings.data_dir / "applications" / f"bilateral-{name}.csv", COLUMNS["applications/*"], applications
    )
    if designations:
        count = write_table(
            settings.data_dir / "designations" / f"{name}.csv", COLUMNS["designations/*"], designations
        )
        report.append(f"{count} designations under national law (not treaties)")
    return written, applied, report


def _included(path: Path, line: int, row: dict[str, str]) -> tuple[str, ...]:
    """The territories a list's "incl. A, B, C" names, as jurisdiction references."""
    found = re.search(r"\bincl\. ([^;]+)", row["status_note"])
    if found is None:
        return ()
    keys = set()
    for name in (n.strip() for n in found[1].split(",")):
        code = TERRITORY_NAMES.get(name)
        if code is None:
            try:
                code = jurisdiction_key(name)
            except UnknownJurisdictionError as error:
                raise DataError(path, f"'incl.' names {name!r}: {error.message}", line) from error
        keys.add(f"jurisdiction/{code}")
    return tuple(sorted(keys))


def _is_designation(row: dict[str, str]) -> bool:
    return row["status_note"].startswith("designation, not a treaty") or (
        row["title"].startswith("Designated category 2 territory")
    )


def _designation(path: Path, line: int, row: dict[str, str], source: str) -> dict[str, str]:
    """A designation row: the law it is made under, and the year in that law's name as a lower
    bound (an order or Act cannot apply before the year it was made)."""
    law = "Extradition Act 2003, Part 2; " + row["citation"].removeprefix("designation by ")
    years = [int(y) for y in re.findall(r"\b(19\d\d|20\d\d)\b", law)]
    if not years:
        raise DataError(path, f"cannot tell the year of the law a designation is made under: {law!r}", line)
    return {
        "designating": _party(path, line, row["party_a"]),
        "designated": _party(path, line, row["party_b"]),
        "measures": MEASURES[row["kind"]],
        "law": law,
        "from": f">={max(years)}-01-01",
        "source": source,
        "locator": " ".join(row["title"].split()),
        "note": row["status_note"],
    }


def _source_key(path: Path, line: int, url: str, sources: Sources, prefixes: dict[str, str]) -> str:
    """The source of a row: by the prefix of a repository file it names, or by its URL."""
    for prefix, key in prefixes.items():
        if url.startswith(prefix):
            return key
    return sources.key(path, line, url)


def _party(path: Path, line: int, code: str) -> str:
    code = code.strip()
    if code != "EU" and not re.fullmatch(r"[A-Z]{3}", code):
        raise DataError(path, f"party {code!r} is not an ISO 3166-1 alpha-3 code or EU", line)
    return f"jurisdiction/{code}"


def _key(a: str, b: str, kind: str, day: str, citation: str) -> str:
    pair = "-".join(p.removeprefix("jurisdiction/").lower() for p in (a, b))
    token = next((t for t in citation.split() if any(c.isdigit() for c in t)), citation.split(" ")[0])
    when = day or re.sub(r"[^a-z0-9]+", "-", token.lower()).strip("-")
    return f"{pair}-{KIND_WORDS[kind]}-{when}"


def _year(path: Path, line: int, text: str) -> str:
    found = re.match(r"\s*(\d{4})\b", text)
    if found is None:
        raise DataError(path, f"source_date {text!r} gives no year for an in-force listing", line)
    return found[1]


def _same_treaty(
    treaties: dict[str, Treaty],
    elsewhere: dict[tuple[frozenset[str], str], list[str]],
    a: str,
    b: str,
    kind: str,
) -> tuple[str, frozenset[str]] | None:
    """The one dated base treaty of this kind between these partners, in this table or another;
    None where there is none or more than one (then a listing cannot say which it names)."""
    pair = frozenset({a, b})
    kinds = {kind, "both"}
    here = [t.key for t in treaties.values() if t.partners == pair and t.kind in kinds and _is_base(t)]
    found = here + [key for k in kinds for key in elsewhere.get((pair, MEASURES[k]), [])]
    return (found[0], pair) if len(found) == 1 else None


def _is_base(treaty: Treaty) -> bool:
    return treaty.dated and not treaty.amends and not treaty.implements and not treaty.territories


def _is_listing(row: dict[str, str]) -> bool:
    """A row from a list of treaties in force, which names no treaty and gives no date."""
    return bool(re.search(r"\blisted as .*\bin force\b", row["status_note"]))


def _base_treaties_elsewhere(settings: Settings, exclude: str) -> dict[tuple[frozenset[str], str], list[str]]:
    """Dated base treaties that other conversions wrote, by partners and measures: signed, or
    with an entry into force stated to the day."""
    found: dict[tuple[frozenset[str], str], list[str]] = defaultdict(list)
    for path in sorted((settings.data_dir / "bilateral").glob("*.csv")):
        if path.stem == exclude:
            continue
        applications = settings.data_dir / "applications" / f"bilateral-{path.stem}.csv"
        in_force = {
            r["instrument"].removeprefix("instrument/")
            for r in (read_table(applications, COLUMNS["applications/*"]) if applications.is_file() else [])
            if _DAY.fullmatch(r["from"])
        }
        for row in read_table(path, COLUMNS["bilateral/*"]):
            dated = bool(row["signed"]) or row["key"] in in_force
            if dated and not (row["amends"] or row["implements"] or row["territories"]):
                found[(frozenset(row["partners"].split()), row["measures"])].append(row["key"])
    return found


def _label(row: dict[str, str], names: dict[str, str]) -> str:
    """An English name: the partners, what it is, and when it was signed (the source's own
    title, often Dutch, is kept as the title)."""
    note = row["status_note"]
    if note.startswith("exchange of notes/letters; "):
        what = "exchange of notes: " + note.split("; ", 1)[1].split(";")[0]
    elif note.startswith(
        ("protocol to", "supplementary agreement", "additional agreement", "bilateral instrument")
    ):
        what = note.split(";")[0]
    else:
        what = {
            "extradition": "extradition treaty",
            "MLA": "mutual legal assistance treaty",
            "both": "treaty on extradition and mutual legal assistance",
        }[row["kind"]]
        if "EU" in (row["party_a"], row["party_b"]):
            what = what.replace("treaty", "agreement")
    when = row["signature_date"] and f", signed {row['signature_date']}"
    return f"{_pair(row, names)} {what}{when}"


def _listed_label(row: dict[str, str], names: dict[str, str]) -> str:
    what = {"extradition": "extradition treaty", "MLA": "mutual legal assistance treaty", "both": "treaty"}
    return f"{_pair(row, names)} {what[row['kind']]}"


def _pair(row: dict[str, str], names: dict[str, str]) -> str:
    return "–".join(
        names.get(f"jurisdiction/{row[c]}", names.get(row[c], row[c])) for c in ("party_a", "party_b")
    )


def _relations(
    treaty: Treaty, row: dict[str, str], treaties: dict[str, Treaty], agreements: dict[str, str]
) -> None:
    """Read what the instrument does to another from its title and the table's status note."""
    note, title = row["status_note"], row["title"]
    treaty.note = note
    if "Nederlandse Antillen" in title and "uitbreiding" in title.lower():
        treaty.territories = ANTILLES_AND_ARUBA
    if "European Convention" in note and any(w in note for w in ("extends", "supplementary", "concerns")):
        treaty.amends = EUROPEAN_CONVENTIONS["rechtshulp" if row["kind"] == "MLA" else "uitlevering"]
    base = ""
    if "the US-EU instruments" in note and not treaty.implements:
        treaty.implements = _eu_us_agreement(row["kind"], treaties, agreements)
    if "applying the 2003 EU-US agreement" in note:
        pair = {"jurisdiction/EU", "jurisdiction/USA"}
        treaty.implements = next(
            (
                f"instrument/{t.key}"
                for t in treaties.values()
                if t.partners == pair and t.kind == row["kind"]
            ),
            "",
        )
        dates = [d for d in row.get("dates_in_text", "").split(";") if d and d < "2003-01-01"]
        base = (
            _key(
                f"jurisdiction/{row['party_a']}", f"jurisdiction/{row['party_b']}", row["kind"], dates[-1], ""
            )
            if dates
            else ""
        )
    elif "continues the NL-UK extradition treaty of 26 Sep 1898" in note:
        base = _key("jurisdiction/NLD", "jurisdiction/GBR", "extradition", "1898-09-26", "")
    elif "protocol to the NL-Suriname agreement of 27 Aug 1976" in note:
        base = _key("jurisdiction/NLD", "jurisdiction/SUR", "both", "1976-08-27", "")
    if base:
        treaty.amends = f"instrument/{base}"


def _eu_us_agreement(kind: str, treaties: dict[str, Treaty], elsewhere: dict[str, str]) -> str:
    """The EU-US agreement of this kind, as this table or another (the Dutch texts') writes it."""
    pair = {"jurisdiction/EU", "jurisdiction/USA"}
    for t in treaties.values():
        if t.partners == pair and t.kind == kind:
            return f"instrument/{t.key}"
    return elsewhere.get(kind, "")


def _eu_us_agreements_elsewhere(settings: Settings, exclude: str) -> dict[str, str]:
    """The EU-US agreements other conversions wrote, by kind (extradition, MLA)."""
    by_measures = {v: k for k, v in MEASURES.items()}
    found: dict[str, str] = {}
    for path in sorted((settings.data_dir / "bilateral").glob("*.csv")):
        if path.stem == exclude:
            continue
        for row in read_table(path, COLUMNS["bilateral/*"]):
            if row["partners"] == "jurisdiction/EU jurisdiction/USA" and row["measures"] in by_measures:
                found.setdefault(by_measures[row["measures"]], f"instrument/{row['key']}")
    return found


def _entry_note(row: dict[str, str]) -> str:
    return "entry into force" + (f" ({row['citation']})" if row["citation"] else "")


def _locator(row: dict[str, str]) -> str:
    evidence = row.get("date_evidence", "")
    parts = [row["citation"], f"'{evidence}'" if evidence else "", row["status_note"]]
    text = "; ".join(p for p in parts if p)
    if len(text) > LOCATOR_LIMIT:
        text = text[:LOCATOR_LIMIT].rsplit(" ", 1)[0] + " …"
    return text


def _treaty_row(treaty: Treaty) -> dict[str, str]:
    kind = "bilateral-treaty" if len(treaty.partners) == 2 else "multilateral-treaty"
    if "jurisdiction/EU" in treaty.partners:
        kind = "eu-third-country-agreement"
    return {
        "key": treaty.key,
        "kind": kind,
        "label": treaty.label,
        "title": treaty.title,
        "partners": " ".join(sorted(treaty.partners)),
        "territories": " ".join(treaty.territories),
        "measures": MEASURES[treaty.kind],
        "signed": treaty.signed,
        "amends": treaty.amends,
        "implements": treaty.implements,
        "source": treaty.source,
        "locator": " | ".join(dict.fromkeys(treaty.locators)),
        "note": treaty.note,
    }
