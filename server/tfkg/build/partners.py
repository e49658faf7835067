"""Third states that take part in an EU agency's channel by agreement, derived from the law.

A member state takes part in Europol and Eurojust through the founding Regulation
(build/agencies.py). A third state takes part through an agreement: Europol may cooperate with
third countries (Reg. 2016/794 art. 23) and transfer personal data to them under a cooperation
agreement concluded before 1 May 2017 or a Union agreement under art. 218 TFEU (art. 25(1));
Eurojust likewise (Reg. 2018/1727 arts. 47, 56(2)). So a third state becomes a partner of the
agency's channel (SIENA; Eurojust coordination) from the day the agreement entered into force,
by the rule of kind `agreement-participation` in data/rules.csv, when:

- Europol: the agreement allows personal data (an operational agreement, or an art. 218 TFEU
  agreement); a strategic agreement or a working arrangement does not;
- Eurojust: it is a cooperation agreement or an art. 218 TFEU agreement;
- and its entry into force is in the sources to the day. A signature binds no one, so an
  agreement known only as signed gives no participation (the coverage report counts those).

A partner that later joins the EU takes part through the Regulation from its accession, so its
participation by agreement ends the day before. Each participation is a `tfkg:DerivedMembership`
with role partner in graph/derived, carrying its rule and premises (the agreement, the rule and
the rule's source), so the pathway engine's channel rule (C1) and SPARQL users read the same
statement.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, TIME, XSD

from ..intervals import day_of
from ..namespaces import ID, ORG, TFKG
from .premises import Facts, spells, start_of

Triple = tuple[URIRef, URIRef, object]
_TYPE = "https://w3id.org/tfkg/id/"
#: Agreement types that make a third state take part without a personal-data flag of their own.
ART_218 = f"{_TYPE}eurojust-agreement-type/international-agreement-art-218-tfeu"
EUROJUST_TYPES = {f"{_TYPE}eurojust-agreement-type/cooperation-agreement", ART_218}
#: The Union's agreements (art. 218 TFEU) for either agency: one with no date of its own is read
#: as the Union's agreement with that state (the TCA's Titles V and VI for the United Kingdom).
UNION_TYPES = {ART_218, f"{_TYPE}europol-agreement-type/international-agreement-art-218-tfeu"}


def _union_agreement(facts: Facts, party: str) -> dict[str, str] | None:
    """The one EU third-country agreement the sources say binds ``party`` from a day, if exactly one."""
    found = [
        a
        for a in facts.applications
        if a["party"] == party
        and a.get("bound") in ("true", "1")
        and "startDate" in a
        and "EUThirdCountryAgreement" in facts.kinds.get(a["instrument"], set())
    ]
    return found[0] if len({a["instrument"] for a in found}) == 1 else None


def agreement_participation_triples(facts: Facts) -> Iterator[Triple]:
    """The derived partnerships of third states in the EU agencies' channels, as RDF."""
    for rule in sorted(facts.rules.values(), key=lambda r: r["rule"]):
        body = facts.agencies.get(rule.get("instrument", ""))
        if rule["kind"] != "agreement-participation" or body is None:
            continue
        counts: dict[str, int] = {}
        for agreement in sorted(facts.agreements, key=lambda a: (a["partner"], a["fact"])):
            start = day_of(agreement.get("inForce"))
            union = None
            if start is None and agreement["type"] in UNION_TYPES:
                # An art. 218 TFEU agreement with no date of its own is the Union's agreement with
                # that state: where tfkg holds exactly one, it applies from that one's application.
                union = _union_agreement(facts, agreement["partner"])
                start = day_of(union.get("startDate")) if union else None
            if agreement["body"] != body or start is None or not _qualifies(agreement):
                continue
            party = agreement["partner"]
            end = _accession_eve(facts, party, start)
            if end is not None and end < start:
                continue
            counts[party] = counts.get(party, 0) + 1
            yield from _partnership(facts, rule, body, agreement, counts[party], start, end, union)


def _qualifies(agreement: dict[str, str]) -> bool:
    return agreement.get("personalData") == "true" or agreement["type"] in EUROJUST_TYPES


def _accession_eve(facts: Facts, party: str, start: date) -> date | None:
    """The day before the partner joined the EU, if it joined after the agreement's entry into force."""
    joined = [s.day for spell in spells(facts, party) if (s := start_of(spell)) and s.day and s.day > start]
    return min(joined) - timedelta(days=1) if joined else None


def _partnership(
    facts: Facts,
    rule: dict[str, str],
    body: str,
    agreement: dict[str, str],
    n: int,
    start: date,
    end: date | None,
    union: dict[str, str] | None = None,
) -> Iterator[Triple]:
    party = agreement["partner"]
    subject = ID[f"derived-membership/{body.rsplit('/', 1)[-1]}/{party.rsplit('/', 1)[-1]}/agreement-{n}"]
    name = facts.labels.get(party, party)
    what = agreement.get("label", agreement["fact"].rsplit("/", 1)[-1])
    until = f" until {end} (then a member state)" if end else ""
    if union is not None:
        note = f" ({union['note']})" if union.get("note") else ""
        what += f", the Union's agreement with {name}, applied from {start}{note}"
    interval, first = URIRef(f"{subject}#during"), URIRef(f"{subject}#start")
    yield from [
        (subject, RDF.type, TFKG.DerivedMembership),
        (subject, ORG.member, URIRef(party)),
        (subject, ORG.organization, URIRef(body)),
        (subject, ORG.role, ID["role/partner"]),
        (subject, TFKG.derivedBy, URIRef(rule["rule"])),
        (
            subject,
            RDFS.comment,
            Literal(
                f"{name}: {rule['label']}: {what}{until}"
                if union is not None
                else f"{name}: {rule['label']}: {what}, in force from {start}{until}",
                lang="en",
            ),
        ),
        (subject, ORG.memberDuring, interval),
        (interval, RDF.type, TIME.Interval),
        (interval, TIME.hasBeginning, first),
        (first, RDF.type, TIME.Instant),
        (first, TIME.inXSDDate, Literal(start.isoformat(), datatype=XSD.date)),
    ]
    if end is not None:
        last = URIRef(f"{subject}#end")
        yield from [
            (interval, TIME.hasEnd, last),
            (last, RDF.type, TIME.Instant),
            (last, TIME.inXSDDate, Literal(end.isoformat(), datatype=XSD.date)),
        ]
    premises = [agreement["fact"], rule["rule"], *([rule["source"]] if "source" in rule else [])]
    premises += [union["fact"], union["instrument"]] if union is not None else []
    yield from ((subject, PROV.wasDerivedFrom, URIRef(p)) for p in premises)
