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
from .premises import Facts, end_of, extended_end, rule_of, spells, start_of

Triple = tuple[URIRef, URIRef, object]


def agency_membership_triples(facts: Facts) -> Iterator[Triple]:
    """The derived memberships of the member states in the EU agencies, as RDF."""
    for rule in sorted(facts.rules.values(), key=lambda r: r["rule"]):
        body = facts.agencies.get(rule.get("instrument", ""))
        applies = start_of(rule)
        if rule["kind"] != "agency-membership" or body is None or applies is None or applies.day is None:
            continue
        for party in sorted({m["party"] for m in facts.members}):
            opt_out = rule_of(facts, "opt-out", rule["instrument"], party)
            opted_out_from = start_of(opt_out) if opt_out is not None else None
            if opt_out is not None and (opted_out_from is None or opted_out_from.day is None):
                continue
            for n, spell in enumerate(spells(facts, party), 1):
                joined = start_of(spell)
                if joined is None or joined.day is None:
                    continue
                start = max(applies.day, joined.day)
                end, transition = extended_end(facts, party, end_of(spell))
                cut = None
                if opted_out_from is not None and opted_out_from.day is not None:
                    # An opt-out from a date (the UK's 2014 block opt-out) ends the derivation there.
                    last_day = opted_out_from.day - timedelta(days=1)
                    if end is None or last_day < end:
                        end, transition, cut = last_day, None, opt_out
                if end is not None and end < start:
                    continue
                premises = [spell["fact"], rule["rule"], *([transition["rule"]] if transition else [])]
                premises += [cut["rule"]] if cut is not None else []
                if "source" in rule:
                    premises.append(rule["source"])
                yield from _membership(body, party, n, start, end, rule, premises, facts)


def _membership(
    body: str,
    party: str,
    n: int,
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
        (subject, RDFS.comment, Literal(f"{name}: {rule['label']} (from {start})", lang="en")),
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
