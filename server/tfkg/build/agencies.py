"""Who takes part in the EU agencies and networks, derived from the law: every member state bound
by a body's founding act takes part in it (Europol through its national unit, Reg. 2016/794 art. 7;
Eurojust through its national member, Reg. 2018/1727 art. 7; the European Judicial Network through
its contact points, Decision 2008/976/JHA art. 2), from the act's application or the state's
accession, until its EU membership (and any transition) ends, unless an opt-out is recorded
(Denmark, Protocol No 22), or until an opt-out that has a start date (the United Kingdom's 2014
block opt-out, Protocol No 36 art. 10(4)).

Written into graph/derived as `tfkg:DerivedMembership` (an org:Membership with its rule and
premises), so the pathway engine's channel rule (C1) and SPARQL users read them like any other
membership.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, TIME, XSD

from ..namespaces import ID, ORG, TFKG
from .premises import Facts, Start, end_of, extended_end, rule_of, spells, start_of

Triple = tuple[URIRef, URIRef, object]


def agency_membership_triples(facts: Facts) -> Iterator[Triple]:
    """The derived memberships of the member states in the EU agencies, as RDF."""
    for rule in sorted(facts.rules.values(), key=lambda r: r["rule"]):
        body = facts.agencies.get(rule.get("instrument", ""))
        applies = start_of(rule)
        if rule["kind"] != "agency-membership" or body is None or applies is None or applies.day is None:
            continue
        # The act's own end (a Council Decision repealed and replaced by a Regulation) ends every
        # participation under it, so that it does not overlap the Regulation's.
        repealed = end_of(rule)
        founding = sorted(i for i, b in facts.agencies.items() if b == body)
        tag = rule["instrument"].rsplit("/", 1)[-1] + "-" if len(founding) > 1 else ""
        for party in sorted({m["party"] for m in facts.members}):
            opt_out = rule_of(facts, "opt-out", rule["instrument"], party)
            opted_out_from = start_of(opt_out) if opt_out is not None else None
            if opt_out is not None and (opted_out_from is None or opted_out_from.day is None):
                continue
            rejoin = rule_of(facts, "rejoin", rule["instrument"], party) if opt_out is not None else None
            rejoined_from = start_of(rejoin) if rejoin is not None else None
            if rejoined_from is not None and rejoined_from.day is None:
                rejoin, rejoined_from = None, None
            n = 0
            for spell in spells(facts, party):
                joined = start_of(spell)
                if joined is None or joined.day is None:
                    continue
                start = max(applies.day, joined.day)
                end, transition = extended_end(facts, party, end_of(spell))
                if repealed is not None and (end is None or repealed < end):
                    end, transition = repealed, None
                pieces: list[tuple[date, date | None, list[str]]] = [(start, end, [])]
                if opted_out_from is not None and opted_out_from.day is not None and opt_out is not None:
                    pieces = _cut(start, end, opt_out, opted_out_from.day, rejoin, rejoined_from)
                for first, last, extra in pieces:
                    if last is not None and last < first:
                        continue
                    premises = [spell["fact"], rule["rule"]]
                    premises += [transition["rule"]] if transition and last == end else []
                    premises += extra
                    if "source" in rule:
                        premises.append(rule["source"])
                    n += 1
                    yield from _membership(body, party, f"{tag}{n}", first, last, rule, premises, facts)


def _cut(
    start: date,
    end: date | None,
    opt_out: dict[str, str],
    opted_out: date,
    rejoin: dict[str, str] | None,
    rejoined: Start | None,
) -> list[tuple[date, date | None, list[str]]]:
    """A spell cut by an opt-out from a date (the UK's 2014 block opt-out, Protocol No 36 art. 10(4)),
    resumed where a sourced rejoining (art. 10(5)) says so: on the opt-out's own day, the spell
    continues unbroken with both rules among its premises; later, a second spell starts then."""
    if end is not None and end < opted_out:
        return [(start, end, [])]
    day = rejoined.day if rejoined is not None else None
    if rejoin is None or day is None:
        return [(start, opted_out - timedelta(days=1), [opt_out["rule"]])]
    if day <= opted_out:
        return [(start, end, [opt_out["rule"], rejoin["rule"]])]
    return [
        (start, opted_out - timedelta(days=1), [opt_out["rule"]]),
        (day, end, [opt_out["rule"], rejoin["rule"]]),
    ]


def _membership(
    body: str,
    party: str,
    n: str,
    start: date,
    end: date | None,
    rule: dict[str, str],
    premises: list[str],
    facts: Facts,
) -> Iterator[Triple]:
    subject = ID[f"derived-membership/{body.rsplit('/', 1)[-1]}/{party.rsplit('/', 1)[-1]}/{n}"]
    name = facts.labels.get(party, party)
    interval, first = URIRef(f"{subject}#during"), URIRef(f"{subject}#start")
    yield from [
        (subject, RDF.type, TFKG.DerivedMembership),
        (subject, ORG.member, URIRef(party)),
        (subject, ORG.organization, URIRef(body)),
        (subject, ORG.role, ID["role/member"]),
        (subject, TFKG.derivedBy, URIRef(rule["rule"])),
        (
            subject,
            RDFS.comment,
            Literal(f"{name}: {rule['label']} (from {start}{f' until {end}' if end else ''})", lang="en"),
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
    yield from ((subject, PROV.wasDerivedFrom, URIRef(p)) for p in premises)
