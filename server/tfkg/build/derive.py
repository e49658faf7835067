"""The derivation layer: who is bound by what, from when, until when, and why.

`tfkg build` runs this over the asserted facts and writes the answers into the named graph
`graph/derived` as `tfkg:Binding` statements. Each binding names the rule it was derived by
(a `tfkg:DerivationRule` from data/rules.csv, whose text cites the articles it rests on) and
its premises (`prov:wasDerivedFrom`: the treaty actions, application statements, memberships
and rules). The pathway engine reads these bindings and nothing else to decide who is bound,
so SPARQL users see exactly what the engine sees.

The rules, in the order they run (docs/rules.md says each in words, with its article):
  treaty-consent       a treaty binds a state from its entry into force for it, until denunciation
  application          a sourced statement of application is taken as it stands
  bilateral-in-force   a bilateral treaty binds its partners from its entry into force as sourced
  eu-membership        an EU act binds each member state from the act's application date or the
                       state's accession, until the rule's own end (a repeal), unless an opt-out is
                       recorded; a sourced date beats it; a not-derived rule leaves a state (from a
                       day) to the sources' silence
  withdrawal-transition a withdrawn member stays bound until the transition period ends
  eu-agreement         an EU agreement binds the member states through the Union
  protocol-parent      a Protocol's party is bound by its Convention no later than by the Protocol
  territory            a territory follows its state unless a declaration says otherwise, or
                       its state extends treaties to its territories one by one
and, beside the bindings, who takes part in the EU agencies: member states by the founding
Regulation (agencies.py), third states by an agreement in force (partners.py).
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

import pyoxigraph as ox
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, TIME, XSD

from ..intervals import day_of
from ..namespaces import GRAPH, ID, TFKG
from ..store import EmbeddedStore
from .agencies import agency_membership_triples
from .partners import agreement_participation_triples
from .premises import (
    Facts,
    Start,
    combined,
    end_of,
    extended_end,
    open_end_of,
    read_facts,
    rule_of,
    spells,
    start_of,
)
from .territorial import Reading, quote, read

DERIVED_GRAPH = GRAPH["derived"]
#: What the graph holds, for its page and the VoID description.
DESCRIPTION = (
    "Who is bound by which instrument, from when, until when and why, derived at build from the "
    "cited facts by the rules of data/rules.csv (docs/rules.md): one tfkg:Binding per party and "
    "instrument, naming its rule (tfkg:derivedBy, whose text cites the articles it rests on) and its "
    "premises (prov:wasDerivedFrom: treaty actions, application statements, memberships, rules), "
    "saying why in rdfs:comment and whether its start is presumed (tfkg:presumed). The pathway "
    "engine decides who is bound from these statements alone."
)
EU = str(ID["jurisdiction/EU"])
TREATY_KINDS = {"MultilateralTreaty", "Protocol", "BilateralTreaty", "EUConvention"}
EU_ACT_KINDS = {"EUDirective", "EUFrameworkDecision", "EURegulation", "EUDecision"}


@dataclass
class Binding:
    instrument: str
    party: str
    bound: bool
    start: Start
    end: date | None
    rule: str
    premises: list[str] = field(default_factory=list)
    presumed: bool = False
    through: str | None = None
    comment: str = ""
    #: in force at least until this day; whether after it is not stated (an end 'not earlier than')
    open_end: date | None = None


def _treaty_bindings(facts: Facts, rule: str) -> Iterator[Binding]:
    """Consent, entry into force for the party, denunciation: one binding per spell."""
    grouped: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for action in facts.actions:
        if "territory" not in action and facts.kinds.get(action["instrument"], set()) & TREATY_KINDS:
            grouped[(action["instrument"], action["party"])].append(action)
    for (instrument, party), actions in sorted(grouped.items()):
        actions.sort(key=lambda a: (a["day"], a["fact"]))
        current: Binding | None = None
        for action in actions:
            kind = action["type"].rsplit("/", 1)[-1]
            if "consent" in action and current is None:
                in_force = day_of(action.get("inForce"))
                words = kind.replace("-", " ")
                computed = None if in_force or kind == "succession" else _months_rule(facts, action)
                if in_force:
                    start = Start(day=in_force)
                    comment = f"{words} on {action['day']}, in force for it from {in_force}"
                elif computed is not None:
                    start, comment, article = computed
                    current = Binding(
                        instrument, party, True, start, None, rule, [action["fact"], article], comment=comment
                    )
                    continue
                elif kind == "succession":
                    # A successor state is bound from the date of succession, which precedes its
                    # notification: bound no later than the notification (see the rule's text).
                    start = Start(not_later_than=day_of(action["day"]))
                    comment = (
                        f"succession notified on {action['day']}: bound from the date of the succession of "
                        "states, which the sources do not give, and so no later than the notification"
                    )
                else:
                    start = Start(not_earlier_than=day_of(action["day"]))
                    comment = (
                        f"{words} on {action['day']}; the date it took effect for it is not in the sources"
                    )
                current = Binding(
                    instrument, party, True, start, None, rule, [action["fact"]], comment=comment
                )
            elif kind in ("denunciation", "withdrawal") and current is not None:
                current.end = day_of(action["day"])
                current.premises.append(action["fact"])
                current.comment += f"; {kind} on {action['day']}"
                yield current
                current = None
        if current is not None:
            yield current


def first_of_month_after(deposit: date, months: int) -> date:
    """The first day of the month following the expiration of ``months`` months after
    ``deposit`` (the Council of Europe formula: Convention on Cybercrime art. 36(4))."""
    month = deposit.month - 1 + months
    year, month = deposit.year + month // 12, month % 12 + 1
    day = min(deposit.day, calendar.monthrange(year, month)[1])
    expires = date(year, month, day)  # the period of months ends on this day
    return date(expires.year + expires.month // 12, expires.month % 12 + 1, 1)


def _months_rule(facts: Facts, action: dict[str, str]) -> tuple[Start, str, str] | None:
    """A party's entry into force computed from the treaty's own article where the source gives
    only its deposit: the first day of the month after N months from it, or the treaty's own
    entry into force if that is later (the deposit then counts towards it, art. 36(3))."""
    found = facts.months_rules.get(action["instrument"])
    treaty_in_force = day_of(found.get("inForce")) if found else None
    if found is None or treaty_in_force is None or "provision" not in found:
        return None
    months = int(found["months"])
    computed = max(first_of_month_after(day_of(action["day"]) or date.min, months), treaty_in_force)
    words = action["type"].rsplit("/", 1)[-1].replace("-", " ")
    comment = (
        f"{words} on {action['day']}; in force for it from {computed}, as the treaty's own article sets "
        f"(the first day of the month following the expiration of {months} months after the deposit, or the "
        f"treaty's entry into force on {treaty_in_force} if later): computed, the source gives no date for it"
    )
    return Start(day=computed), comment, found["provision"]


def _later(a: Start, b: date) -> tuple[Start, bool]:
    """The later of a presumed start and a date; True when the date won."""
    if a.day is None or b > a.day:
        return Start(day=b), True
    return a, False


def _eu_act_bindings(facts: Facts, sourced: list[Binding]) -> Iterator[Binding]:
    """EU acts by membership: the act's application date or accession, minus opt-outs; a sourced
    statement beats the presumption, and a withdrawal ends the binding after the transition."""
    sourced_by = defaultdict(list)
    for b in sourced:
        sourced_by[(b.instrument, b.party)].append(b)
    states = sorted({m["party"] for m in facts.members})
    for rule in sorted(facts.rules.values(), key=lambda r: r["rule"]):
        if rule["kind"] != "eu-membership" or "instrument" not in rule:
            continue
        act, applies = rule["instrument"], start_of(rule)
        assert applies is not None and applies.day is not None, f"{rule['rule']} needs a from date"
        repealed = end_of(rule)  # the act's own end (a repeal), where the rule states one
        for party in states:
            silent = rule_of(facts, "not-derived", act, party)
            silent_from = start_of(silent) if silent else None
            if silent is not None and (silent_from is None or silent_from.day is None):
                continue  # the sources do not say whether it binds this state: nothing is derived
            opt_out = rule_of(facts, "opt-out", act, party)
            refusals = [b for b in sourced_by[(act, party)] if not b.bound]
            if opt_out is not None or refusals:
                premises = [b.premises[0] for b in refusals] + ([opt_out["rule"]] if opt_out else [])
                yield Binding(
                    act,
                    party,
                    False,
                    Start(),
                    None,
                    opt_out["rule"] if opt_out else refusals[0].rule,
                    premises,
                    comment=opt_out["label"]
                    if opt_out
                    else "not bound (the sources record non-participation)",
                )
                continue
            sourced_yes = [b for b in sourced_by[(act, party)] if b.bound]
            for spell in spells(facts, party):
                joined = start_of(spell)
                if joined is None or joined.day is None:
                    continue
                start, by_accession = _later(applies, joined.day)
                end, transition = extended_end(facts, party, end_of(spell))
                premises = [spell["fact"], rule["rule"]]
                ends_why = ""
                if repealed is not None and (end is None or repealed < end):
                    end, transition, ends_why = (
                        repealed,
                        None,
                        f"; until {repealed}, when the act ceased to apply",
                    )
                if silent is not None and silent_from is not None and silent_from.day is not None:
                    cut = silent_from.day - timedelta(days=1)
                    if end is None or cut < end:
                        end, transition = cut, None
                        ends_why = f"; derived only until {cut}: {silent['label']}"
                        premises.append(silent["rule"])
                if end is not None and start.day is not None and end < start.day:
                    continue
                presumed = True
                how = (
                    f"presumed from its accession on {joined.day}"
                    if by_accession
                    else f"presumed from the act's application date {applies.day}"
                )
                comment = f"bound as an EU member state, {how}; the state's own date is not in the sources"
                if "EURegulation" in facts.kinds.get(act, set()):
                    # a regulation applies directly from its own date: nothing to presume
                    presumed = False
                    comment = (
                        f"bound as an EU member state from {start.text()}: the regulation applies directly"
                    )
                sourced_start = combined(b.start for b in sourced_yes)
                if sourced_start and not (sourced_start.day or sourced_start.year):
                    # bounded below by the act's own application date (and accession), unless a
                    # source attests application before it
                    floor = start.day if start.day else applies.day
                    if sourced_start.not_later_than is None or sourced_start.not_later_than >= floor:
                        lower = max(filter(None, (sourced_start.not_earlier_than, floor)))
                        sourced_start = Start(
                            not_later_than=sourced_start.not_later_than, not_earlier_than=lower
                        )
                if sourced_start is not None and (sourced_start.known() or sourced_start.not_earlier_than):
                    start, presumed = sourced_start, False
                    comment = f"bound from {sourced_start.text()}, as the sources give it for this state"
                for b in sourced_yes:
                    premises.append(b.premises[0])
                    if b.end is not None and (end is None or b.end < end):
                        end = b.end
                if transition is not None:
                    premises.append(transition["rule"])
                    comment += f"; until {end} under the withdrawal agreement's transition period"
                elif ends_why:
                    comment += ends_why
                elif end is not None:
                    comment += f"; until {end}, when its EU membership ended"
                yield Binding(act, party, True, start, end, rule["rule"], premises, presumed, comment=comment)
    for (act, party), items in sorted(sourced_by.items()):
        if rule_of(facts, "eu-membership", act) is None or party not in states:
            # EU acts without a membership rule, and states that were never members (the Schengen
            # associated states): the sourced statements as they stand
            yield from items


def _sourced_applications(facts: Facts, rule: str) -> list[Binding]:
    found = []
    for a in sorted(facts.applications, key=lambda a: a["fact"]):
        start = start_of(a) or Start()
        end = end_of(a)
        words = (
            f"bound from {start.text()}" + (f" until {end}" if end else "")
            if a["bound"] == "true"
            else "not bound (the sources record an opt-out or non-participation)"
        ) + (f" ({a['note']})" if a.get("note") else "")
        found.append(
            Binding(
                a["instrument"],
                a["party"],
                a["bound"] == "true",
                start,
                end,
                rule,
                [a["fact"]],
                comment=words,
                open_end=open_end_of(a),
            )
        )
    return found


def _eu_agreement_bindings(facts: Facts, sourced: list[Binding], rule: str) -> Iterator[Binding]:
    """An EU agreement binds the member states through the Union (TFEU art. 216(2))."""
    for eu in sourced:
        if (
            eu.party != EU
            or not eu.bound
            or "EUThirdCountryAgreement" not in facts.kinds.get(eu.instrument, set())
        ):
            continue
        own = {b.party for b in sourced if b.instrument == eu.instrument}
        for party in sorted({m["party"] for m in facts.members} - own):
            for spell in spells(facts, party):
                joined = start_of(spell)
                if joined is None or joined.day is None:
                    continue
                if eu.start.day is not None:
                    start = Start(day=max(joined.day, eu.start.day))
                elif eu.start.not_earlier_than is not None and eu.start.not_later_than is None:
                    # the Union's own entry into force is known only as 'not before' a day (the
                    # day it concluded the agreement): a member state is bound from a day after
                    # both that and its accession, which the sources do not give
                    start = Start(not_earlier_than=max(joined.day, eu.start.not_earlier_than))
                else:
                    continue
                end, transition = extended_end(facts, party, end_of(spell))
                if eu.end is not None and (end is None or eu.end < end):
                    end = eu.end
                first = start.earliest()
                if end is not None and first is not None and end < first:
                    continue
                premises = [eu.premises[0], spell["fact"], rule] + (
                    [transition["rule"]] if transition else []
                )
                comment = f"bound through the European Union (the EU is {eu.comment}), as an EU member state"
                if transition:
                    comment += f", until {end} under the withdrawal agreement's transition period"
                yield Binding(
                    eu.instrument, party, True, start, end, rule, premises, through=EU, comment=comment
                )


def _outermost_region_bindings(facts: Facts, found: list[Binding]) -> Iterator[Binding]:
    """EU law applies in the outermost regions as in the rest of their state (TFEU arts. 349,
    355(1)), and in the European territories for whose external relations a member state is
    responsible (art. 355(3): Gibraltar): each is bound by the EU acts and agreements its state
    is bound by, through it."""
    states = {p["part"]: p["state"] for p in facts.parts}
    for rule in sorted(facts.rules.values(), key=lambda r: r["rule"]):
        region = rule.get("party")
        if rule["kind"] not in ("outermost-region", "european-territory") or region not in states:
            continue
        state = states[region]
        since = start_of(rule)  # a region that became one later (Mayotte, 2014) is bound from then
        for b in found:
            eu_law = facts.kinds.get(b.instrument, set()) & (EU_ACT_KINDS | {"EUThirdCountryAgreement"})
            # Only what binds the state as a member: an agreement the state concluded with the
            # Union in its own name (the UK's TCA) binds it as a third state, not its regions.
            as_member = "EUThirdCountryAgreement" not in eu_law or b.through == EU
            if b.party == state and b.bound and eu_law and as_member:
                start = b.start
                if since and since.day and (start.earliest() or date.min) < since.day:
                    start = Start(day=since.day)
                if b.end is not None and start.day is not None and b.end < start.day:
                    continue
                yield Binding(
                    b.instrument,
                    region,
                    True,
                    start,
                    b.end,
                    rule["rule"],
                    [*b.premises, rule["rule"]],
                    b.presumed,
                    through=b.through or state,  # an EU agreement still holds through the Union
                    comment=f"{rule['label']} (through {facts.labels.get(state, state)}: {b.comment})",
                )


def _protocol_parent_bindings(facts: Facts, treaties: list[Binding]) -> Iterator[Binding]:
    rule = rule_of(facts, "protocol-parent")
    if rule is None:
        return
    convention = rule["instrument"]
    # The Convention's party table lists every party on its snapshot date: a state that does not
    # consent in it was not yet a party then, so it became one only after that date.
    tables = [
        day_of(a.get("snapshot")) for a in facts.actions if a["instrument"] == convention and "consent" in a
    ]
    table = max(filter(None, tables), default=None)
    consented = {a["party"] for a in facts.actions if a["instrument"] == convention and "consent" in a}
    earliest: dict[str, date | None] = {}
    for b in treaties:
        if b.instrument == convention and b.bound:
            known = b.start.day or b.start.not_later_than
            earliest[b.party] = min(filter(None, (earliest.get(b.party), known)), default=None)
    for b in treaties:
        if facts.parents.get(b.instrument) != convention or not b.bound or b.start.day is None:
            continue
        held = earliest.get(b.party)
        if held is not None and held <= b.start.day:
            continue
        earliest[b.party] = b.start.day
        after = table if table and b.party not in consented and table < b.start.day else None
        yield Binding(
            convention,
            b.party,
            True,
            Start(not_later_than=b.start.day, not_earlier_than=after),
            None,
            rule["rule"],
            [*b.premises, rule["rule"]],
            comment=(
                f"bound no later than {b.start.day}, when a Protocol it is party to took effect for it "
                "(only a party to the Convention can become party to a Protocol, art. 37(2)); "
                "the Convention's own party table in the sources does not show it"
                + (f", so it became a party only after that table's date, {after}" if after else "")
            ),
        )


def _territory_bindings(facts: Facts, treaties: list[Binding]) -> Iterator[Binding]:
    """A territory follows its state's treaty bindings (VCLT art. 29) unless the state's own
    treaty action or declaration on that treaty excludes or extends it (territorial.py says how
    a declaration's text is read)."""
    rule = rule_of(facts, "territory")
    if rule is None:
        return
    # States whose practice is to consent for a territory, or extend a treaty to it, one by one.
    by_extension = {r["party"]: r for r in facts.rules.values() if r["kind"] == "territory-by-extension"}
    own = {(a["instrument"], a["party"]) for a in facts.actions}
    # An outermost region is an integral part of its state (TFEU arts. 349, 355(1)), not a
    # dependent territory a treaty is extended to: its state's silence keeps it in.
    integral = {r["party"] for r in facts.rules.values() if r["kind"] == "outermost-region" and "party" in r}
    for link in sorted(facts.parts, key=lambda p: p["part"]):
        territory, state = link["part"], link["state"]
        name, state_name = facts.labels.get(territory, territory), facts.labels.get(state, state)
        for b in treaties:
            if b.party != state or not b.bound or (b.instrument, territory) in own:
                continue
            named = [
                a
                for a in facts.actions
                if a.get("territory") == territory and a["instrument"] == b.instrument and a["party"] == state
            ]
            said: list[tuple[dict[str, str], Reading]] = [
                (s, reading)
                for s in sorted(facts.statements, key=lambda s: s["fact"])
                if s["party"] == state
                and s["instrument"] == b.instrument
                and (reading := read(s["text"], name)) is not None
            ]
            excluded = [a for a in named if a["type"].endswith("territorial-exclusion")]
            excluding = [(s, r) for s, r in said if r.effect == "excludes"]
            extended = [a for a in named if a["type"].endswith("territorial-extension")]
            if excluded or excluding:
                if excluded:
                    fact = excluded[0]["fact"]
                    comment = f"excluded by {state_name}'s territorial exclusion of {excluded[0]['day'][:10]}"
                else:
                    statement, reading = excluding[0]
                    fact = statement["fact"]
                    when = f" of {statement['day'][:10]}" if statement.get("day") else ""
                    comment = (
                        f"excluded by {state_name}'s territorial declaration{when}, "
                        f"which says of {name}: '{quote(reading.sentence)}'"
                    )
                yield Binding(
                    b.instrument,
                    territory,
                    False,
                    Start(),
                    None,
                    rule["rule"],
                    [fact, rule["rule"]],
                    through=state,
                    comment=comment,
                )
                continue
            if extended:
                ext = extended[0]
                yield Binding(
                    b.instrument,
                    territory,
                    True,
                    Start(day=day_of(ext["day"])),
                    b.end,
                    rule["rule"],
                    [ext["fact"], *b.premises, rule["rule"]],
                    through=state,
                    comment=f"bound through {state_name}, which extended it to {name} on {ext['day']}",
                )
                continue
            if not said and state in by_extension:
                yield _unsettled(
                    b,
                    territory,
                    by_extension[state]["rule"],
                    f"{state_name} is bound ({b.comment}), but it consents for {name} only where {name} "
                    f"wishes it, or extends the treaty to it later, and no consent for or extension to "
                    f"{name} is in the sources: whether the treaty applies there is not stated",
                )
                continue
            consented = facts.consent_sources.get((b.instrument, state), set())
            if (
                not said
                and territory not in integral
                and consented
                and not consented & facts.territorial_sources
            ):
                # The table that records the state's consent records no territorial application for
                # anyone: its silence about the territory is no sign that it follows its state.
                yield _unsettled(
                    b,
                    territory,
                    rule["rule"],
                    f"{state_name} is bound ({b.comment}), but the party table that records its consent "
                    f"records no territorial declarations at all, so whether {state_name} extended the "
                    f"treaty to {name} or excluded it is not stated",
                )
                continue
            if said:
                statement, reading = said[0]
                about = (
                    f"{state_name}'s declaration naming {name} does not exclude it ('{quote(reading.sentence)}'), "
                    "so it follows its state"
                )
                premises = [*b.premises, statement["fact"], rule["rule"]]
            else:
                about = f"no territorial declaration about {name} is in the sources, so it follows its state"
                premises = [*b.premises, rule["rule"]]
            yield Binding(
                b.instrument,
                territory,
                True,
                b.start,
                b.end,
                rule["rule"],
                premises,
                presumed=True,
                through=state,
                comment=f"bound through {state_name} ({b.comment}); {about}",
            )


def _unsettled(b: Binding, territory: str, rule: str, comment: str) -> Binding:
    """A territory whose binding the sources leave open: bound, if at all, no earlier than its
    state, through it, by ``rule``; the pathway engine reads an open start as uncertain."""
    return Binding(
        b.instrument,
        territory,
        True,
        Start(not_earlier_than=b.start.earliest()),
        b.end,
        rule,
        [*b.premises, rule],
        through=b.party,
        comment=comment,
    )


def derive_bindings(store: ox.Store | EmbeddedStore) -> list[Binding]:
    """Every binding the rules derive from the asserted facts in ``store``."""
    return _bindings(read_facts(store))


def derived_triples(store: ox.Store | EmbeddedStore) -> tuple[int, list[tuple[URIRef, URIRef, object]]]:
    """Everything graph/derived holds for the facts in ``store`` (the bindings, the members of the
    EU agencies, build/agencies.py, and their partners by agreement, build/partners.py), with the
    number of bindings."""
    facts = read_facts(store)
    bindings = _bindings(facts)
    return len(bindings), [
        *binding_triples(bindings),
        *agency_membership_triples(facts),
        *agreement_participation_triples(facts),
    ]


def _bindings(facts: Facts) -> list[Binding]:
    consent = rule_of(facts, "treaty-consent")
    sourced_rule = rule_of(facts, "application")
    agreement = rule_of(facts, "eu-agreement")
    treaties = list(_treaty_bindings(facts, consent["rule"])) if consent else []
    treaties += list(_protocol_parent_bindings(facts, treaties))
    sourced = _sourced_applications(facts, sourced_rule["rule"]) if sourced_rule else []
    bilateral = rule_of(facts, "bilateral-in-force")
    if bilateral:  # an in-force statement of a treaty between named partners: its own rule
        for b in sourced:
            if "BilateralTreaty" in facts.kinds.get(b.instrument, set()):
                b.rule = bilateral["rule"]
    eu_acts = [b for b in sourced if facts.kinds.get(b.instrument, set()) & EU_ACT_KINDS]
    others = [b for b in sourced if not facts.kinds.get(b.instrument, set()) & EU_ACT_KINDS]
    found = treaties + list(_territory_bindings(facts, treaties))
    found += list(_eu_act_bindings(facts, eu_acts))
    found += others
    if agreement:
        found += list(_eu_agreement_bindings(facts, others, agreement["rule"]))
    found += list(_outermost_region_bindings(facts, found))
    return found


def _instant(
    owner: URIRef, suffix: str, start: Start | None, end: date | None
) -> list[tuple[URIRef, URIRef, object]]:
    instant = URIRef(f"{owner}#{suffix}")
    triples: list[tuple[URIRef, URIRef, object]] = [(instant, RDF.type, TIME.Instant)]
    if end is not None:
        return [*triples, (instant, TIME.inXSDDate, Literal(end.isoformat(), datatype=XSD.date))]
    assert start is not None
    for value, predicate in (
        (start.day, TIME.inXSDDate),
        (start.not_later_than, TFKG.notLaterThan),
        (start.not_earlier_than, TFKG.notEarlierThan),
    ):
        if value is not None:
            triples.append((instant, predicate, Literal(value.isoformat(), datatype=XSD.date)))
    if start.year is not None:
        triples.append((instant, TIME.inXSDgYear, Literal(str(start.year), datatype=XSD.gYear)))
    return triples


def binding_triples(bindings: Iterable[Binding]) -> Iterator[tuple[URIRef, URIRef, object]]:
    """The bindings as RDF, with IRIs that stay the same from build to build."""
    counts: dict[str, int] = defaultdict(int)
    for b in bindings:
        key = f"{b.instrument.rsplit('/', 1)[-1]}/{b.party.rsplit('/', 1)[-1]}"
        counts[key] += 1
        subject = ID[f"binding/{key}/{counts[key]}"]
        yield from [
            (subject, RDF.type, TFKG.Binding),
            (subject, TFKG.instrument, URIRef(b.instrument)),
            (subject, TFKG.party, URIRef(b.party)),
            (subject, TFKG.bound, Literal(b.bound)),
            (subject, TFKG.derivedBy, URIRef(b.rule)),
            (subject, TFKG.presumed, Literal(b.presumed)),
            (subject, RDFS.comment, Literal(b.comment, lang="en")),
        ]
        yield from ((subject, PROV.wasDerivedFrom, URIRef(p)) for p in dict.fromkeys(b.premises))
        if b.through:
            yield subject, TFKG.through, URIRef(b.through)
        if b.bound:
            interval = URIRef(f"{subject}#during")
            yield from [(subject, TFKG.validDuring, interval), (interval, RDF.type, TIME.Interval)]
            if b.start.known() or b.start.not_earlier_than:
                yield interval, TIME.hasBeginning, URIRef(f"{subject}#start")
                yield from _instant(subject, "start", b.start, None)
            if b.end is not None:
                yield interval, TIME.hasEnd, URIRef(f"{subject}#end")
                yield from _instant(subject, "end", None, b.end)
            elif b.open_end is not None:
                # ended, if at all, no earlier than this day: the source does not say whether it still holds
                end = URIRef(f"{subject}#end")
                yield from [
                    (interval, TIME.hasEnd, end),
                    (end, RDF.type, TIME.Instant),
                    (end, TFKG.notEarlierThan, Literal(b.open_end.isoformat(), datatype=XSD.date)),
                ]


def add_derived(dataset: Dataset) -> int:
    """Derive the bindings from ``dataset``'s facts into its `graph/derived`; returns how many."""
    store = ox.Store()
    store.extend(_quads(dataset))
    count, triples = derived_triples(store)
    graph = dataset.graph(DERIVED_GRAPH)
    for triple in triples:
        graph.add(triple)  # type: ignore[arg-type]
    return count


def derive_into(store: ox.Store | EmbeddedStore, facts: ox.Store | EmbeddedStore | None = None) -> int:
    """Derive the bindings of the facts in ``facts`` (by default ``store`` itself) into ``store``'s
    `graph/derived`, for graphs that did not come from `tfkg build` (test fixtures, `tfkg serve
    FILES`); returns how many."""
    from . import _ox

    count, triples = derived_triples(facts if facts is not None else store)
    graph = ox.NamedNode(str(DERIVED_GRAPH))
    store.extend(ox.Quad(_ox(s), _ox(p), _ox(o), graph) for s, p, o in triples)  # type: ignore[arg-type]
    return count


def ensure_derived(store: EmbeddedStore) -> int:
    """Derive the bindings unless the data already has them (a `tfkg build` dataset does): the
    pathway engine reads bindings only, so data served without them would answer nothing."""
    if store.query("ASK { ?b a <https://w3id.org/tfkg/ontology#Binding> }"):
        return 0
    return derive_into(store)


def _quads(dataset: Dataset) -> Iterator[ox.Quad]:
    from . import _ox  # the build's own rdflib → pyoxigraph term conversion

    for s, p, o, g in dataset.quads((None, None, None, None)):
        yield ox.Quad(_ox(s), _ox(p), _ox(o), ox.NamedNode(str(g)))  # type: ignore[arg-type]
