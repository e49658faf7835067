"""Turning table cells into RDF terms: IRIs from keys and references, typed literals from dates.

Every function raises :class:`CellError` with a message a curator understands; the caller
adds the file and line.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from ..namespaces import GRAPH, ID

#: The kinds of entity a table may reference as `{kind}/{key}`.
ENTITY_KINDS = frozenset({"jurisdiction", "organization", "authority", "instrument", "provision", "channel"})
#: Concept schemes referenced as `{scheme-path}/{key}`.
CONCEPT_KINDS = frozenset(
    {
        "crime-area",
        "measure",
        "role",
        "action-type",
        "europol-agreement-type",
        "eurojust-agreement-type",
        "interpol-notice",
        "empact-priority",
        "sherloc-crime-type",
        "iccs",
        "strength",
        "source-kind",
    }
)
_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*$")


class CellError(ValueError):
    """A cell that cannot become an RDF term; the message says what is expected."""


def entity(kind: str, key: str) -> URIRef:
    """The IRI of an entity: https://w3id.org/tfkg/id/{kind}/{key}."""
    if not _KEY.match(key):
        raise CellError(f"{key!r} is not a valid key (letters, digits, '.', '_', '-')")
    return ID[f"{kind}/{key}"]


def reference(value: str, allowed: frozenset[str] | None = None) -> URIRef:
    """An IRI from a `{kind}/{key}` reference, optionally limited to some kinds."""
    kind, _, key = value.partition("/")
    kinds = allowed if allowed is not None else ENTITY_KINDS | CONCEPT_KINDS
    if not key or kind not in kinds:
        raise CellError(f"{value!r} is not a reference of kind {' or '.join(sorted(kinds))} (write kind/key)")
    return entity(kind, key)


def references(cell: str, allowed: frozenset[str] | None = None) -> list[URIRef]:
    """The IRIs of a space-separated list of references."""
    return [reference(part, allowed) for part in cell.split()]


def graph_of(source_key: str) -> URIRef:
    """The named graph holding the facts of one source."""
    return GRAPH[f"source/{source_key}"]


def day(value: str) -> Literal:
    """An exact date, YYYY-MM-DD."""
    try:
        return Literal(date.fromisoformat(value).isoformat(), datatype=XSD.date)
    except ValueError:
        raise CellError(f"{value!r} is not a date; write YYYY-MM-DD") from None


#: How a point in time is known: exactly, to the year, or only as "not later than" or "not
#: earlier than" a day (a transposing law applies no earlier than its own publication).
EXACT, YEAR, NOT_LATER_THAN, NOT_EARLIER_THAN = "exact", "year", "not-later-than", "not-earlier-than"


def point_in_time(value: str) -> tuple[str, Literal]:
    """Parse 'YYYY-MM-DD', 'YYYY', '<=YYYY-MM-DD' or '>=YYYY-MM-DD' into its precision and literal."""
    if value.startswith("<="):
        return NOT_LATER_THAN, day(value[2:])
    if value.startswith(">="):
        return NOT_EARLIER_THAN, day(value[2:])
    if re.fullmatch(r"\d{4}", value):
        return YEAR, Literal(value, datatype=XSD.gYear)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return EXACT, day(value)
    raise CellError(f"{value!r} is not a date; write YYYY-MM-DD, YYYY, <=YYYY-MM-DD or >=YYYY-MM-DD")


@dataclass(frozen=True)
class Period:
    """A day, month or year as a source dates itself: its first and last day and its literal.

    A source's snapshot is often known only to the month ("reviewed 2026-07") or the year
    (an undated page last updated in 2023). The first day is what sorts and compares with
    other dates; the literal keeps the precision the source gives.
    """

    first: date
    last: date
    literal: Literal

    @property
    def is_day(self) -> bool:
        return self.first == self.last


def period(value: str) -> Period:
    """Parse 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY' into the period it names."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            when = date.fromisoformat(value)
        except ValueError:
            pass
        else:
            return Period(when, when, Literal(when.isoformat(), datatype=XSD.date))
    if found := re.fullmatch(r"(\d{4})-(\d{2})", value):
        year, month = int(found[1]), int(found[2])
        if 1 <= month <= 12:
            last = calendar.monthrange(year, month)[1]
            return Period(
                date(year, month, 1), date(year, month, last), Literal(value, datatype=XSD.gYearMonth)
            )
    if re.fullmatch(r"\d{4}", value):
        year = int(value)
        return Period(date(year, 1, 1), date(year, 12, 31), Literal(value, datatype=XSD.gYear))
    raise CellError(
        f"{value!r} is not a date; write YYYY-MM-DD, or YYYY-MM or YYYY when the day is not known"
    )


def boolean(value: str) -> Literal:
    if value not in ("true", "false"):
        raise CellError(f"{value!r} is not a boolean; write true or false")
    return Literal(value == "true")


def count(value: str) -> Literal:
    if not value.isdigit():
        raise CellError(f"{value!r} is not a whole number")
    return Literal(int(value), datatype=XSD.nonNegativeInteger)


def slug(text: str) -> str:
    """A key fragment from free text: 'action-type/ratification' → 'ratification'."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text.rsplit("/", 1)[-1]).strip("-")


def web_iri(value: str) -> URIRef:
    """An http(s) URL as an IRI, percent-encoding what IRIs forbid (e.g. '[' in a query)."""
    if not value.startswith(("http://", "https://")):
        raise CellError(f"{value!r} is not an http(s) URL")
    encoded = quote(value, safe=":/?#@!$&'()*+,;=%~-._")
    try:
        ox.NamedNode(encoded)
    except ValueError as error:
        raise CellError(f"{value!r} is not a valid URL: {error}") from None
    return URIRef(encoded)
