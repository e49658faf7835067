"""`tfkg import untc FILE.xml`: a UNTC MTDSG status file into tfkg's tables for that treaty.

Writes data/treaty-actions/{instrument}.csv and data/statements/{instrument}.csv (when the
file has a participant table), the depositary's counts and entry into force to
data/depositary-status.csv, and the source record to data/sources.csv. The instrument must
already have a row in data/instruments.csv with its `untc_reference`; its
`days_to_eif_for_party` (cited to the treaty's entry-into-force article) gives each party's
entry into force. Signature alone makes no party, and succession gets no computed date.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from ..config import Settings
from ..errors import DataError
from ..names import UnknownJurisdictionError, jurisdiction_key
from ..tables import COLUMNS, read_table, upsert_rows, write_table
from .mtdsg import MtdsgDocument, Participant, Statement, parse_date, read_mtdsg

#: Suffix codes of the consent column, as the column labels define them.
CODE_TERMS = {
    "A": "acceptance",
    "AA": "approval",
    "a": "accession",
    "d": "succession",
    "c": "formal-confirmation",
}
TERM_KEYS = {
    "ratification": "ratification",
    "acceptance": "acceptance",
    "approval": "approval",
    "accession": "accession",
    "succession": "succession",
    "formal confirmation": "formal-confirmation",
    "definitive signature(s)": "definitive-signature",
    "definitive signature": "definitive-signature",
}
GENERIC_CONSENT = "consent-to-be-bound"
_ORDINALS = {"thirtieth": 30, "sixtieth": 60, "ninetieth": 90}


@dataclass(frozen=True)
class ImportResult:
    instrument: str
    source: str
    actions: int
    statements: int
    parties: int

    def describe(self) -> str:
        return (
            f"{self.instrument}: {self.actions} treaty actions, {self.statements} statements, "
            f"{self.parties} parties (source {self.source})"
        )


def _dependent_jurisdictions(data: Path) -> dict[str, str]:
    """Jurisdictions that are not states (data/jurisdictions.csv), with the state ISO 3166-2 puts
    them under, if any: only these can be a state's territory today."""
    table = data / "jurisdictions.csv"
    if not table.exists():
        return {}
    return {
        row["key"]: row["part_of"].removeprefix("jurisdiction/")
        if row["source"].startswith("iso-3166-2")
        else ""
        for row in read_table(table, COLUMNS["jurisdictions"])
        if row["kind"] in ("jurisdiction", "territory")
    }


def _named_territories(text: str, state: str, dependent: dict[str, str]) -> list[str]:
    """The territories of today that a territorial application names ("Antigua, Bahamas, ...,
    Gibraltar, ..."). A name that no longer is a dependent territory (a colony that became a
    state), that ISO 3166-2 places under another state (Hong Kong, extended to by the UK before
    1997), or that tfkg cannot resolve ("Basutoland") is left out; the application's own row
    keeps the whole text."""
    names = re.split(r",\s*|;\s*|\(|\)", text)
    found: list[str] = []
    for raw in names:
        name = re.sub(r"^(the |and )+", "", raw.strip(), flags=re.IGNORECASE)
        name = re.sub(r"^Bailiwick of (the )?", "", name, flags=re.IGNORECASE)
        for candidate in (name, *name.split(" and ")):
            try:
                key = jurisdiction_key(candidate.strip())
            except UnknownJurisdictionError:
                continue
            if key in dependent and dependent[key] in ("", state) and key not in found:
                found.append(key)
            break
    return found


def column_meaning(label: str) -> tuple[str, dict[str, str]]:
    """What a dated cell under ``label`` records: the plain-date action, and the suffix codes."""
    if label.strip().lower() == "signature":
        return "signature", {}
    terms = [t.strip() for t in label.split(",")]
    codes: dict[str, str] = {}
    plain: list[str] = []
    for term in terms:
        coded = re.match(r"(.+?)\s*\((\w+)\)$", term)
        if coded and coded.group(2) in CODE_TERMS:
            codes[coded.group(2)] = TERM_KEYS.get(coded.group(1).lower(), GENERIC_CONSENT)
        else:
            plain.append(term.lower())
    known = [TERM_KEYS[t] for t in plain if t in TERM_KEYS]
    return (known[0] if len(plain) == 1 and known else GENERIC_CONSENT), codes


def days_stated(doc: MtdsgDocument) -> int | None:
    """Days to per-party entry into force, where the file quotes the article."""
    found = re.search(r"on the (\w+) day after the date of deposit by such", doc.entry_into_force_text)
    return _ORDINALS.get(found.group(1).lower()) if found else None


def source_key_for(reference: str, snapshot: date) -> str:
    """The default sources.csv key of a UNTC status file: untc-{reference}-{YYYY-MM}."""
    return f"untc-{reference.lower()}-{snapshot:%Y-%m}"


def import_untc(
    settings: Settings,
    path: Path,
    snapshot: date,
    source_key: str | None = None,
    retrieval: str | None = None,
) -> ImportResult:
    """Import one MTDSG file as the state of the treaty on ``snapshot``.

    ``retrieval`` says how the file was obtained (default: imported from a file by name).
    """
    doc = read_mtdsg(path)
    instrument = instrument_row(settings, doc.reference, doc.title)
    key = instrument["key"]
    source = source_key or source_key_for(doc.reference, snapshot)
    days = _days(instrument, doc, settings)
    entry_into_force = doc.entry_into_force
    data = settings.data_dir

    unknown: list[str] = []

    def party(name: str, where: str) -> str | None:
        try:
            return jurisdiction_key(name)
        except UnknownJurisdictionError as error:
            unknown.append(f"{where}: {error.message}")
            return None

    actions, consent, signed = participant_actions(
        doc.participants, key, source, days, entry_into_force, party
    )
    for participant in doc.participants:
        who = party(participant.name, f"participant row {participant.row}") if participant.footnotes else None
        if who is not None:
            actions += _territorial_exclusions(doc, participant, who, consent.get(who), key, source, party)
    dependent = _dependent_jurisdictions(data)
    for application in doc.territorial:
        who = party(application.participant, "territorial application")
        if who is None or application.notified is None:
            continue
        extension = {
            "instrument": f"instrument/{key}",
            "party": f"jurisdiction/{who}",
            "action_type": "action-type/territorial-extension",
            "date": application.notified.isoformat(),
            "source": source,
            "locator": f"Territorial application: {application.territories[:200]}",
        }
        actions.append(extension)
        for territory in _named_territories(application.territories, who, dependent):
            actions.append({**extension, "territory": f"jurisdiction/{territory}"})
    statements = [
        row
        for statement in doc.statements
        if (row := _statement_row(statement, key, source, consent, signed, party)) is not None
    ]
    if unknown:
        raise DataError(path, "cannot resolve jurisdictions:\n  " + "\n  ".join(sorted(set(unknown))))
    # Only now, with every row resolved, is anything written: a failed import changes nothing.
    upsert_rows(
        data / "sources.csv", COLUMNS["sources"], [_source_row(doc, source, snapshot, retrieval)], ["key"]
    )
    upsert_rows(
        data / "depositary-status.csv",
        COLUMNS["depositary-status"],
        [
            {
                "instrument": f"instrument/{key}",
                "signatories": "" if doc.signatories is None else str(doc.signatories),
                "parties": "" if doc.parties is None else str(doc.parties),
                "entry_into_force": entry_into_force.isoformat() if entry_into_force else "",
                "entry_into_force_text": doc.entry_into_force_text[:300],
                "registration": doc.registration,
                "source": source,
            }
        ],
        ["instrument", "source"],
    )
    if not doc.participants:
        return ImportResult(key, source, 0, 0, 0)
    action_count = write_table(data / "treaty-actions" / f"{key}.csv", COLUMNS["treaty-actions/*"], actions)
    statement_count = write_table(data / "statements" / f"{key}.csv", COLUMNS["statements/*"], statements)
    return ImportResult(key, source, action_count, statement_count, len(consent))


def participant_actions(
    participants: list[Participant],
    key: str,
    source: str,
    days: int | None,
    entry_into_force: date | None,
    party: Callable[[str, str], str | None],
) -> tuple[list[dict[str, str]], dict[str, date], dict[str, date]]:
    """Treaty-action rows for a participant table, with each party's computed entry into force.

    Per-party entry into force is the later of the treaty's own entry into force and the
    deposit plus ``days`` (the treaty's entry-into-force article). Signatures and successions
    get none: a signature binds no one, and a successor state's date follows from its own
    notification, which the table does not give.
    """
    actions: list[dict[str, str]] = []
    consent: dict[str, date] = {}
    signed: dict[str, date] = {}
    for participant in participants:
        who = party(participant.name, f"participant row {participant.row}")
        if who is None:
            continue
        for action_type, when, label in _dated_actions(participant):
            in_force = ""
            if action_type not in ("signature", "succession") and days is not None and entry_into_force:
                in_force = max(entry_into_force, when + timedelta(days=days)).isoformat()
            if action_type == "signature":
                signed[who] = when
            else:
                consent[who] = when
            actions.append(
                {
                    "instrument": f"instrument/{key}",
                    "party": f"jurisdiction/{who}",
                    "action_type": f"action-type/{action_type}",
                    "date": when.isoformat(),
                    "entry_into_force_for_party": in_force,
                    "source": source,
                    "locator": f"participant table row {participant.row} ({participant.name}), column {label!r}",
                }
            )
    return actions, consent, signed


def instrument_row(settings: Settings, reference: str, title: str) -> dict[str, str]:
    """The data/instruments.csv row whose untc_reference is ``reference``."""
    table = settings.data_dir / "instruments.csv"
    for row in read_table(table, COLUMNS["instruments"]):
        if row["untc_reference"] == reference:
            return dict(row.values)
    raise DataError(
        table,
        f"no instrument has untc_reference {reference!r} ({title}); add its row "
        "(key, kind, label, untc_reference, days_to_eif_for_party citing the entry-into-force "
        "article) before importing its status",
    )


def _days(instrument: dict[str, str], doc: MtdsgDocument, settings: Settings) -> int | None:
    curated = int(instrument["days_to_eif_for_party"]) if instrument["days_to_eif_for_party"] else None
    stated = days_stated(doc)
    if curated is not None and stated is not None and curated != stated:
        raise DataError(
            settings.data_dir / "instruments.csv",
            f"{instrument['key']}: days_to_eif_for_party is {curated} but the UNTC file quotes "
            f"the entry-into-force article as the {stated}th day",
        )
    return curated if curated is not None else stated


def _source_row(doc: MtdsgDocument, key: str, snapshot: date, retrieval: str | None) -> dict[str, str]:
    return {
        "key": key,
        "title": f"UN Treaty Collection, status of treaty {doc.reference}: {doc.title}",
        "publisher": "United Nations, Office of Legal Affairs, Treaty Section (depositary)",
        "kind": "source-kind/official",
        "authority_url": (
            "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no="
            f"{doc.reference}&chapter={doc.chapter}&clang=_en"
        ),
        "snapshot_date": snapshot.isoformat(),
        "retrieval_method": retrieval
        or f"UNTC MTDSG status XML {doc.path.name}, imported with `tfkg import untc`",
    }


def _dated_actions(participant: Participant) -> list[tuple[str, date, str]]:
    found = []
    for label, cell in participant.cells:
        when = parse_date(cell)
        if when is None:
            continue
        plain, codes = column_meaning(label)
        suffix = cell.split()[-1] if cell.split() and not cell.split()[-1].isdigit() else ""
        found.append((codes.get(suffix, plain) if suffix else plain, when, label))
    return found


def _territorial_exclusions(
    doc: MtdsgDocument,
    participant: Participant,
    who: str,
    consented: date | None,
    key: str,
    source: str,
    party: Callable[[str, str], str | None],
) -> list[dict[str, str]]:
    """End notes like 'With a territorial exclusion in respect of the Faroe Islands and Greenland.'"""
    rows = []
    for note in participant.footnotes:
        text = doc.endnotes.get(note, "")
        found = re.search(r"territorial exclusion in respect of (?:the )?(.+?)\.", text)
        if not found or consented is None:
            continue
        for name in re.split(r",\s*| and (?:the )?", found.group(1)):
            territory = party(name, f"end note {note}")
            if territory is None:
                continue
            rows.append(
                {
                    "instrument": f"instrument/{key}",
                    "party": f"jurisdiction/{who}",
                    "action_type": "action-type/territorial-exclusion",
                    "date": consented.isoformat(),
                    "territory": f"jurisdiction/{territory}",
                    "source": source,
                    "locator": f"end note {note} to {participant.name}, made with its consent: {text[:160]}",
                }
            )
    return rows


_ARTICLE = re.compile(r"\barticles?\s+(\d+)(?:\s*\(\s*(\d+)\s*\)|,?\s+paragraph\s+(\d+))?", re.I)
_PARAGRAPH_OF = re.compile(r"\bparagraphs?\s+(\d+)\s+of\s+article\s+(\d+)", re.I)


def targets_in(text: str, instrument: str) -> list[str]:
    """Provision keys for the articles a statement names: 'article 15, paragraph 2' → art-15-2."""
    found = [f"provision/{instrument}-art-{a}-{p}" for p, a in _PARAGRAPH_OF.findall(text)]
    for article, para_a, para_b in _ARTICLE.findall(_PARAGRAPH_OF.sub(" ", text)):
        paragraph = para_a or para_b
        found.append(f"provision/{instrument}-art-{article}" + (f"-{paragraph}" if paragraph else ""))
    return sorted(set(found))


def _statement_row(
    statement: Statement,
    key: str,
    source: str,
    consent: dict[str, date],
    signed: dict[str, date],
    party: Callable[[str, str], str | None],
) -> dict[str, str] | None:
    who = party(statement.participant, f"{statement.section} entry")
    if who is None:
        return None
    title = statement.title.lower()
    kind = {"Objections": "objection", "Notifications": "notification"}.get(statement.section)
    if kind is None:
        kind = "reservation" if "reservation" in title else "declaration"
    when = statement.dated or parse_date(statement.title)
    basis = "date the entry carries"
    if when is None and "signature" in title and "confirmed" not in title:
        when, basis = signed.get(who), "made upon signature"
    if when is None:
        when, basis = consent.get(who) or signed.get(who), "made upon consent (the section's rule)"
    if when is None:
        return None
    text = "\n".join(statement.paragraphs)
    objects_to = ""
    if kind == "objection":
        target = re.search(r"made by (?:the )?(.+?)(?: upon| at the time|:|$)", statement.title)
        resolved = party(target.group(1), "objection title") if target else None
        objects_to = f"jurisdiction/{resolved}" if resolved else ""
    return {
        "instrument": f"instrument/{key}",
        "party": f"jurisdiction/{who}",
        "kind": kind,
        "date": when.isoformat(),
        "targets": " ".join(targets_in(f"{statement.title} {text}", key)),
        "text": (statement.title + "\n" + text).strip(),
        "objects_to": objects_to,
        "source": source,
        "locator": f"{statement.section}, entry {statement.ordinal} ({statement.participant}); date: {basis}",
    }
