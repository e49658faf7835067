"""The cooperation-pathway rules for legal bases: which apply, and why (channels: .channels).

Input: requesting jurisdiction A, requested jurisdiction B, crime area C, measure M, date D.
Every candidate instrument is checked; each outcome carries its reasons as data (rule, words,
facts with their sources and snapshot dates), and each rejection says which rule failed.
docs/rules.md says every rule in words, with its article.

  R1 scope: an article of the instrument obliges or permits M (or a broader or narrower
     measure); an article that only invites the parties to consider it grounds nothing and is
     reported as such. The instrument covers C, or states no crime area; UNTOC reaches other
     areas only under its art. 3 scope condition.
  R2 bound: each of A and B is bound on D, read from the derived bindings of graph/derived
     (build/derive.py: treaty consent, EU acts by membership, transitions, EU agreements,
     protocols and territories). The EU as a side requests and grants nothing.
  R3 precedence: where a prevailing instrument binds both on D for M, the displaced one is
     kept but marked displaced (e.g. the EIO over the 1959 and 2000 conventions).
  R4 conditions: the pair's reservations, declarations and notifications on the articles that
     ground M, unless withdrawn by D, with the other party's objections beside them.
  R5 currency as risk: a negative status on a party table older than D (or on no party table
     at all) is flagged; a positive one gets a quiet note.
"""

from __future__ import annotations

import re
from datetime import date

from ..namespaces import ID
from .answer import (
    EU_COMPETENCE,
    RULES,
    Answer,
    Label,
    Outcome,
    Question,
    Reason,
    holds,
)
from .channels import channels as find_channels
from .facts import (
    Action,
    Binding,
    Fact,
    Instrument,
    PartyFacts,
    Statement,
    StaticFacts,
)

#: EU acts that bind the member states by membership (data/rules.csv, kind eu-membership)
EU_ACTS = frozenset({"EUDirective", "EUFrameworkDecision", "EURegulation", "EUDecision"})


def _bound_by_treaty(
    actions: list[Action], instrument: str, party: str, on: date
) -> tuple[bool | None, list[Fact], str]:
    mine = [a for a in actions if a.instrument == instrument and a.party == party]
    consents = sorted((a for a in mine if a.consent and a.day <= on), key=lambda a: a.day)
    ends = [a for a in mine if a.action_type in ("denunciation", "withdrawal") and a.day <= on]
    if not consents:
        signed = [a for a in mine if a.action_type == "signature" and a.day <= on]
        later = [a for a in mine if a.consent and a.day > on]
        if later:
            return (
                False,
                [later[0].fact],
                f"consented only on {later[0].day} ({_words(later[0].action_type)}), after the date"
                + (f"; in force for it from {later[0].in_force}" if later[0].in_force else ""),
            )
        if signed:
            return (
                False,
                [signed[0].fact],
                f"signed on {signed[0].day} but has not consented to be bound (a signature binds no one)",
            )
        return False, [], "no signature or consent recorded"
    consent = consents[-1]
    if ends and max(e.day for e in ends) >= consent.day:
        end = max(ends, key=lambda e: e.day)
        return False, [end.fact], f"{_words(end.action_type)} on {end.day}"
    if consent.in_force is None:
        return (
            None,
            [consent.fact],
            f"{_words(consent.action_type)} on {consent.day}; the date it took effect for it is not in the sources",
        )
    if consent.in_force > on:
        return (
            False,
            [consent.fact],
            f"{_words(consent.action_type)} on {consent.day}, in force for it only from {consent.in_force}",
        )
    return (
        True,
        [consent.fact],
        f"{_words(consent.action_type)} on {consent.day}, in force for it from {consent.in_force}",
    )


def _words(key: str) -> str:
    return key.replace("-", " ")


def _eu_member(parties: PartyFacts, party: str, on: date) -> tuple[bool | None, Fact | None, str]:
    """Whether ``party`` is an EU member state on ``on``: used to explain why an EU act does not
    reach a party (the bindings themselves already follow membership)."""
    eu = str(ID["organization/european-union"])
    spells = [m for m in parties.memberships if m.organization == eu and m.member == party]
    for m in spells:
        if holds(m.start, m.end, on):
            return True, m.fact, ""
    # A withdrawn state in its transition period counts as a member state for Union law
    # (Withdrawal Agreement art. 127(6)): an EU act derived by membership still binds it then.
    for b in parties.bindings:
        if b.party == party and b.bound and "/rule/eu-membership" in b.rule.iri and holds(b.start, b.end, on):
            return True, b.rule, ""
    if spells:
        last = spells[-1]
        ended = (
            f" (membership {last.start.text()}–{last.end.text()})"
            if last.end
            else f" (member from {last.start.text()})"
        )
        return False, last.fact, f"not an EU member state on {on}{ended}"
    return False, None, f"not an EU member state on {on}"


def _binding_facts(binding: Binding) -> list[Fact]:
    return [*binding.premises, binding.rule]


def _bound(
    parties: PartyFacts, instrument: Instrument, party: str, on: date, label: Label
) -> tuple[bool | None, list[Fact], str, Binding | None]:
    """R2 for one party, read from the derived bindings: verdict, facts, words, and the binding."""
    mine = [b for b in parties.bindings if b.instrument == instrument.iri and b.party == party]
    if instrument.partners and not _through_union(instrument, party):
        verdict, facts, text, binding = _bound_by_closed_treaty(parties, instrument, party, on, mine)
        return verdict, facts, text, binding
    for b in mine:
        if not b.bound:
            return False, _binding_facts(b), b.text, b
    for b in mine:
        now = holds(b.start, b.end, on)
        if now:
            presumed = " [presumed]" if b.presumed else ""
            return True, _binding_facts(b), b.text + presumed, b
    for b in mine:
        if holds(b.start, b.end, on) is None:
            return None, _binding_facts(b), f"{b.text}; whether already on {on} is not stated", b
    if "EUConvention" in instrument.kinds and not any(
        a.instrument == instrument.iri for a in parties.actions
    ):
        member, fact, why = _eu_member(parties, party, on)
        if not member:  # a convention between the member states is open to them alone
            return False, [fact] if fact else [], f"{why}: {MEMBER_STATES_ONLY}", None
    own = any(a.instrument == instrument.iri and a.party == party for a in parties.actions)
    if _is_treaty(instrument) and (own or not mine):
        verdict, facts, text = _bound_by_treaty(parties.actions, instrument.iri, party, on)
        later = [b for b in mine if b.bound and b.start.value is not None and b.start.value > on]
        if verdict is None and later:
            # the action gives no entry into force, but the binding computed it from the treaty's
            # own article (Convention on Cybercrime art. 36(4)): not yet in force on the date
            return False, _binding_facts(later[0]), f"{later[0].text}; so not yet on {on}", later[0]
        if not own and instrument.partial_table:
            # Absent from a part of a chart is not absent from the chart.
            return (
                None,
                [],
                "not in the rows of the chart that tfkg holds (the sources give only part of it)",
                None,
            )
        if instrument.uncharted:
            return (
                None,
                [],
                "tfkg holds no party table for this convention (none is in the sources), so whether it is "
                "a party is not established: check the depositary's chart",
                None,
            )
        return (False if verdict else verdict), facts, text, None
    if mine:
        b = mine[0]
        span = f"{b.start.text()}" + (f" until {b.end.text()}" if b.end else "")
        text = f"bound only from {span} ({b.text}), not on {on}"
        if _is_treaty(instrument):
            return False, _binding_facts(b), text, b
        member, fact, why = _eu_member(parties, party, on)
        facts = _binding_facts(b) + ([fact] if fact else [])
        return False, facts, text + (f"; {why}" if not member and why else ""), b
    if instrument.kinds & {*EU_ACTS, "EUThirdCountryAgreement"}:
        member, fact, why = _eu_member(parties, party, on)
        others = [b for b in parties.bindings if b.instrument == instrument.iri and b.bound]
        if member and not mine and others and all(b.start.on_or_before(on) is False for b in others):
            # A state the sources are silent about, asked about a date before the act binds anyone.
            first = min(others, key=lambda b: b.start.value or date.max)
            return (
                False,
                [fact] if fact else [],
                f"the act binds no member state before {first.start.text()}",
                None,
            )
        if member and not mine and instrument.kinds & EU_ACTS:
            # An act with no rule in data/rules.csv (FD 2006/783): it binds the member states, but
            # the date it applies from is not in the sources, so nothing is derived for anyone. Or a
            # state the sources are silent about (a not-derived rule: Ireland and Directive 2023/977).
            return (
                None,
                [fact] if fact else [],
                "an EU member state, but the date from which the act binds the member states is not in the sources"
                if not others
                else "an EU member state, but whether and from when the act binds it is not in the sources",
                None,
            )
        if not member and (
            "EUThirdCountryAgreement" not in instrument.kinds or _through_union(instrument, party)
        ):
            return False, [fact] if fact else [], why, None
    return False, [], "no statement in the sources that it is bound", None


def _bound_by_closed_treaty(
    parties: PartyFacts, instrument: Instrument, party: str, on: date, mine: list[Binding]
) -> tuple[bool | None, list[Fact], str, Binding | None]:
    """R2 for a treaty between named partners (a bilateral treaty). Its in-force statements may
    come from several sources: an exact entry into force decides over a listing that says only
    "in force by 2015". Signed with no entry into force in the sources is not "not bound": the
    sources are silent, and the answer says so."""
    by_precision = sorted(mine, key=lambda b: (b.start.value is None, b.start.value or date.max))
    for b in by_precision:
        if b.bound and holds(b.start, b.end, on):
            return True, _binding_facts(b), b.text, b
    exact = [b for b in by_precision if b.start.value is not None]
    if exact and all(on < b.start.value for b in exact if b.start.value):
        first = exact[0]
        return (
            False,
            _binding_facts(first),
            f"in force between its partners only from {first.start.text()} ({first.text})",
            first,
        )
    for b in by_precision:
        if holds(b.start, b.end, on) is None:
            if b.start.on_or_before(on) and b.end is not None and b.end.on_or_after(on) is None:
                return (
                    None,
                    _binding_facts(b),
                    f"{b.text}; whether it was still in force on {on} is not stated in the sources",
                    b,
                )
            return None, _binding_facts(b), f"{b.text}; whether already on {on} is not stated", b
    if mine:
        b = by_precision[0]
        return False, _binding_facts(b), f"not in force between its partners on {on} ({b.text})", b
    signed = sorted(
        (a for a in parties.actions if a.instrument == instrument.iri and a.party == party),
        key=lambda a: a.day,
    )
    if signed and signed[0].day > on:
        return False, [signed[0].fact], f"signed only on {signed[0].day}, after the date", None
    if signed:
        return (
            None,
            [signed[0].fact],
            f"signed on {signed[0].day}; its entry into force is not stated in the sources",
            None,
        )
    return (
        None,
        [],
        "concluded on a date the sources do not give; its entry into force is not stated in the sources",
        None,
    )


EU_PARTY = str(ID["jurisdiction/EU"])
#: Why a convention between the member states (the 2000 EU MLA Convention) does not bind another state.
MEMBER_STATES_ONLY = "the convention is open to member states only"


def _through_union(instrument: Instrument, party: str) -> bool:
    """Whether ``party`` can be bound by this agreement between the EU and named third states
    (the EU-US Agreements) only through the Union, as a member state (TFEU art. 216(2)): the
    derived bindings of the eu-agreement rule decide, not the treaty's own partners."""
    return EU_PARTY in instrument.partners and party not in instrument.partners


def _closed_treaty_sides(instrument: Instrument, a: str, b: str) -> tuple[str, str] | None:
    """Whose status decides a treaty between named partners for the question's two sides, or
    None where the treaty was concluded between others. A treaty scoped to territories (an
    exchange of notes extending a convention to Aruba and the Antilles) answers for those
    territories only, through the partner state that concluded it. An agreement between the EU
    and a third state answers for that state and any other jurisdiction, which is bound, if at
    all, through the Union (the eu-agreement rule); between two others it is not checked."""
    if not instrument.partners:
        return a, b
    if a == b:
        return None
    if EU_PARTY in instrument.partners:
        third = instrument.partners - {EU_PARTY}
        return (a, b) if a in third or b in third else None
    if not instrument.territories:
        return (a, b) if {a, b} <= instrument.partners else None
    for territory, other in ((a, b), (b, a)):
        states = instrument.partners - {other}
        if territory in instrument.territories and other in instrument.partners and len(states) == 1:
            state = next(iter(states))
            return (state, other) if territory == a else (other, state)
    return None


def _applied_by_agreement(static: StaticFacts, instrument: Instrument, a: str, b: str) -> str:
    """A convention between the member states binds no other state, but an agreement of the
    Union may apply its provisions with one (the 2003 Agreement with Iceland and Norway applies
    the 2000 EU MLA Convention and its 2001 Protocol): the answer names it, so that "open to
    member states only" is not read as "no route"."""
    appliers = sorted(
        (
            o.label
            for o in static.instruments.values()
            if instrument.iri in o.amends
            and "EUThirdCountryAgreement" in o.kinds
            and _closed_treaty_sides(o, a, b) is not None
        ),
    )
    if not appliers:
        return ""
    return (
        "; its provisions are applied between the member states and this state by the "
        + " and the ".join(appliers)
        + " (see that instrument)"
    )


def _closed_to(instrument: Instrument, a: str, b: str, label: Label, kind: str) -> Outcome | None:
    """A treaty between more than two named partners (the Nordic Arrest Warrant Convention between
    the five Nordic states) binds no one else. Where one side is a partner and the other is not,
    the answer says so ("open to ... only"), rather than leaving it unexplained; a treaty between
    two partners, or one neither side is party to, is simply not a candidate."""
    if len(instrument.partners) < 3 or EU_PARTY in instrument.partners or instrument.territories:
        return None
    inside = [p for p in (a, b) if p in instrument.partners]
    outside = [p for p in (a, b) if p not in instrument.partners]
    if not inside or not outside:
        return None
    names = sorted(label(p, p) for p in instrument.partners)
    outcome = Outcome(instrument.iri, instrument.label, kind, applies=False, status="rejected")
    outcome.reasons.append(
        Reason(
            "R2",
            f"{label(outside[0], outside[0])}: not a party: the treaty is concluded between "
            f"{', '.join(names[:-1])} and {names[-1]} only and is open to no other state",
            holds=False,
        )
    )
    return outcome


def _relation_notes(static: StaticFacts, instrument: Instrument, a: str, b: str, label: Label) -> list[str]:
    """What amends or implements this instrument between the two sides, and what it amends: a
    practitioner reads the 1980 treaty as the 2004 instrument applying the EU-US Agreement
    amends it, and a supplementary agreement beside the convention it supplements."""
    notes = [f"amends, supplements or applies: {label(t, t)}" for t in sorted(instrument.amends)]
    applied_by = [o for o in static.instruments.values() if instrument.iri in o.amends and o.partners]
    for other in sorted(applied_by, key=lambda i: i.label):
        if _closed_treaty_sides(other, a, b) is not None:
            notes.append(f"amended, supplemented or applied between them by: {other.label}")
    if (
        "EUThirdCountryAgreement" in instrument.kinds
        and applied_by
        and not any(_closed_treaty_sides(o, a, b) is not None for o in applied_by)
    ):
        # The EU-US Agreements are applied with the bilateral treaties (their art. 3): where
        # tfkg holds no such treaty between the two, the practitioner needs to find it.
        notes.append(
            "it is applied together with the bilateral treaty between the two states, which it supplements "
            "or amends; no such treaty between them is in the sources: check it"
        )
    return notes


def _designations(static: StaticFacts, question: Question, measures: set[str], label: Label) -> list[Outcome]:
    """The requested state's own law: a designation of the requesting state as a territory it may
    extradite to (the UK's category 2). Not a treaty and no basis the requesting state can
    invoke, so it is shown beside the bases ("national law"), never counted among them. Where
    several sources state it, one outcome cites them all."""
    found = [
        d
        for d in static.designations
        if (d.by, d.designated) == (question.requested, question.requesting)
        and set(d.measures) & measures
        and (d.start is None or d.start.on_or_before(question.on) is not False)
    ]
    if not found:
        return []
    first = found[0]
    by, to = label(first.by, first.by), label(first.designated, first.designated)
    laws = "; ".join(dict.fromkeys(d.law for d in found))
    outcome = Outcome(first.fact.iri, f"{by}: designation of {to} ({laws})", "national law", True, "indirect")
    outcome.reasons.append(
        Reason(
            "N1",
            f"{by}'s own law lets it extradite to {to}, which it designates ({laws}); a designation is not a "
            f"treaty: it binds {to} to nothing, and the basis between them may be a treaty, a convention or "
            "other arrangements",
            [d.fact for d in found],
        )
    )
    if all(d.start is not None and d.start.on_or_before(question.on) is None for d in found):
        outcome.notes.append(
            f"in force from {first.start.text() if first.start else 'a date not in the sources'}"
        )
    outcome.score = 20
    return [outcome]


def _is_treaty(instrument: Instrument) -> bool:
    return (
        bool(
            instrument.kinds & {"MultilateralTreaty", "Protocol", "BilateralTreaty", "EUConvention", "Treaty"}
        )
        and "EUThirdCountryAgreement" not in instrument.kinds
    )


GROUNDING = {"obligation": "an obligation", "permission": "a permission"}


def _grounds(instrument: Instrument, measures: set[str], label: Label, measure: str) -> tuple[bool, Reason]:
    """R1 on the articles: an obligation or permission grounds a basis; 'consider' does not."""
    relevant = [p for p in instrument.provisions if set(p.measures) & measures]
    grounding = [p for p in relevant if p.strength in GROUNDING]
    asked = label(measure, measure)
    if grounding:
        arts = "; ".join(
            f"art. {p.article} ({GROUNDING[p.strength or '']}: {p.fact.label})" for p in grounding
        )
        return True, Reason("R1", f"provides {asked}: {arts}", [p.fact for p in grounding])
    considering = [p for p in relevant if p.strength == "consider"]
    if considering:
        arts = ", ".join(f"art. {p.article}" for p in considering)
        return False, Reason(
            "R1",
            f"no binding basis for {asked}: {arts} only invites the parties to consider arrangements "
            f"({considering[0].fact.label})",
            [p.fact for p in considering],
            holds=False,
        )
    if instrument.measures & measures:
        return True, Reason(
            "R1", f"provides {asked} (the article that grounds it is not recorded in tfkg)", []
        )
    return False, Reason("R1", f"does not provide {asked}", holds=False)


def evaluate(static: StaticFacts, parties: PartyFacts, question: Question) -> Answer:
    """Apply the rules; every instrument and organization checked ends up somewhere."""
    a, b, on = question.requesting, question.requested, question.on
    # A measure is served by an instrument providing it, a broader measure (extradition for
    # provisional arrest) or a narrower form of it (EAW surrender is extradition between EU states).
    measure_scope = static.ancestors(question.measure) | static.descendants(question.measure)
    crime_scope = static.ancestors(question.crime)
    bases: list[Outcome] = []
    rejected: list[Outcome] = []
    label = static.labels.get
    eu = str(ID["jurisdiction/EU"])
    numbers = {p.fact.iri: p.article for i in static.instruments.values() for p in i.provisions}
    for instrument in static.instruments.values():
        kind = "treaty" if _is_treaty(instrument) else "EU act or agreement"
        if instrument.kinds & {"PolicyDecision", "CooperationAgreement", "WorkingArrangement"}:
            continue  # these found bodies and channels, not requests between states
        if instrument.founds_body and not any(p.strength in GROUNDING for p in instrument.provisions):
            continue  # INTERPOL's Constitution founds the body whose channel C1 offers
        if "EURegulation" in instrument.kinds and not any(
            p.strength in GROUNDING for p in instrument.provisions
        ):
            # The Europol and Eurojust Regulations found agencies; only an article that obliges one
            # state to act on another's request (Reg. 2018/1805 arts. 7 and 18) makes a basis.
            continue
        if not instrument.measures and not any(p.measures for p in instrument.provisions):
            continue  # the law tfkg's rules rest on (TFEU, VCLT, the Withdrawal Agreement)
        sides = _closed_treaty_sides(instrument, a, b)
        if sides is None:
            closed = _closed_to(instrument, a, b, label, kind)
            if closed is not None:
                rejected.append(closed)
            continue  # a bilateral treaty between other partners
        outcome = Outcome(instrument.iri, instrument.label, kind, applies=False, status="rejected")
        if eu in (a, b):
            outcome.reasons.append(Reason("R2", EU_COMPETENCE, holds=False))
            rejected.append(outcome)
            continue
        grounded, why = _grounds(instrument, measure_scope, label, question.measure)
        outcome.reasons.append(why)
        if not grounded:
            rejected.append(outcome)
            continue
        organized = str(ID["crime-area/organized-crime"])
        conditional = False
        if instrument.crime_areas and not instrument.crime_areas & crime_scope:
            if organized not in instrument.crime_areas:
                areas = ", ".join(sorted(label(c, c) for c in instrument.crime_areas))
                outcome.reasons.append(
                    Reason("R1", f"covers {areas}, not {label(question.crime, question.crime)}", holds=False)
                )
                rejected.append(outcome)
                continue
            conditional = True
            outcome.conditions.append(
                Reason(
                    "R1",
                    "applies to this crime only as a serious crime (punishable by at least four years' "
                    "deprivation of liberty, art. 2(b)) where the offence is transnational in nature and "
                    "involves an organized criminal group (UNTOC art. 3(1)(b))",
                )
            )
        elif (
            str(ID["crime-area/drug-trafficking"]) in instrument.crime_areas
            and question.crime not in static.descendants(str(ID["crime-area/drug-trafficking"]))
            and question.crime != str(ID["crime-area/drug-trafficking"])
        ):
            conditional = True
            outcome.conditions.append(
                Reason(
                    "R1",
                    "applies only where the laundered property derives from the drug offences the Convention "
                    "establishes (1988 Convention art. 3(1)(b))",
                )
            )
        elif organized in instrument.crime_areas:
            outcome.conditions.append(
                Reason(
                    "R1",
                    "applies to the offences it establishes (arts. 5, 6, 8 and 23) where the offence is "
                    "transnational in nature and involves an organized criminal group (UNTOC art. 3(1)(a))",
                )
            )
        elif instrument.parent and organized in static.instruments[instrument.parent].crime_areas:
            outcome.conditions.append(
                Reason(
                    "R1",
                    "applies to the offences the Protocol establishes where they are transnational in nature "
                    "and involve an organized criminal group (Protocol art. 4; UNTOC art. 3 applied by "
                    "Protocol art. 1(2))",
                )
            )
        outcome.reasons.append(
            Reason(
                "R1",
                "covers "
                + (
                    f"{label(question.crime, question.crime)} only under the condition on scope"
                    if conditional
                    else label(question.crime, question.crime)
                    if instrument.crime_areas
                    else "any crime area (no restriction in the sources)"
                ),
            )
        )
        if instrument.not_in_force is not None:
            # Signed perhaps by both, but the treaty itself is not in force: nobody is bound yet.
            when = instrument.not_in_force.source.snapshot
            rule = f" ({instrument.eif_rule})" if instrument.eif_rule else ""
            outcome.reasons.append(
                Reason(
                    "R2",
                    f"not in force in the sources: the depositary's status page of {when} (the latest tfkg "
                    f"holds) counts signatories and states no entry into force{rule}",
                    [instrument.not_in_force],
                    holds=False,
                )
            )
        verdicts = []
        bindings: list[Binding | None] = []
        for party, side in zip((a, b), sides, strict=True):
            verdict, facts, text, binding = _bound(parties, instrument, side, on, label)
            if instrument.not_in_force is not None and text == "no signature or consent recorded":
                text = "no signature in the sources, which name only some of the signatories the depositary counts"
            verdicts.append(verdict)
            bindings.append(binding)
            name = label(party, party) + (f" (through {label(side, side)})" if side != party else "")
            if MEMBER_STATES_ONLY in text:
                text += _applied_by_agreement(static, instrument, a, b)
            outcome.reasons.append(Reason("R2", f"{name}: {text}", facts, holds=verdict))
            _currency(static, outcome, instrument, party, verdict, facts, on, label)
        if all(x is not None and x.through == eu for x in bindings):
            outcome.reasons.append(
                Reason(
                    "R2",
                    "an agreement between the EU and a third country does not apply between two EU member states",
                    holds=False,
                )
            )
            verdicts = [False]
        if instrument.not_in_force is not None:
            signed = sum("signed on" in r.text for r in outcome.reasons if r.rule == "R2") == 2
            seen = instrument.not_in_force.source.snapshot
            if seen is not None and seen < on:
                # R5: a negative on a status page older than the date could have flipped since.
                where = (
                    label(instrument.depositary, instrument.depositary)
                    if instrument.depositary
                    else "the depositary"
                )
                outcome.stale, outcome.risk = True, "high"
                outcome.notes.append(
                    ("signed by both; " if signed else "")
                    + f"not in force as of {seen}, the latest status page tfkg holds: it may have entered into "
                    f"force since; check {where}"
                )
            else:
                outcome.notes.append(
                    ("signed by both; " if signed else "") + "not in force, so it binds no one yet"
                )
            verdicts = [False]
        if all(v is True for v in verdicts):
            # Specific regimes (EU acts, EU agreements) rank above general conventions.
            outcome.applies, outcome.status, outcome.score = True, "applies", 100 if kind == "treaty" else 120
        elif all(v is not False for v in verdicts):
            # Not offered as a basis: shown beside the bases, so that a practitioner checks it.
            outcome.applies, outcome.status, outcome.score = True, "uncertain", 60
            outcome.notes.append(
                "whether it is in force for both on this date is not stated in the sources: check before "
                "relying on it"
            )
        if outcome.applies:
            outcome.notes += _relation_notes(static, instrument, a, b, label)
            outcome.conditions += _conditions(
                parties, instrument.iri, (a, b), measure_scope, on, label, numbers
            )
            if conditional:
                outcome.score -= 30
            if any(x is not None and x.presumed for x in bindings):
                outcome.score -= 5
                outcome.notes.append(
                    "a party's start date is presumed from the act's own application date or its accession; "
                    "its own date is not in the sources"
                )
            bases.append(outcome)
        else:
            rejected.append(outcome)
    bases += _designations(static, question, measure_scope, label)
    _supplement_notes(static, bases, measure_scope)
    _apply_precedence(static, bases, measure_scope, label)
    bases.sort(key=lambda o: (-o.score, o.status != "applies", o.label))
    channels: list[Outcome] = []
    if eu in (a, b):
        organizations = len({c.operator for c in static.channels})
    else:
        channels, channel_rejections, organizations = find_channels(static, parties, question, label)
        rejected += channel_rejections
    return Answer(
        question,
        {**static.labels},
        bases,
        channels,
        rejected,
        {"instruments": len(static.instruments), "organizations": organizations},
        _bilateral_advice(static, question, bases, label),
    )


#: Measures that bilateral treaties commonly provide, beside the multilateral ones.
BILATERAL_MEASURES = {
    str(ID[f"measure/{m}"])
    for m in ("extradition", "mutual-legal-assistance", "transfer-of-sentenced-persons")
}


def _bilateral_advice(
    static: StaticFacts, question: Question, bases: list[Outcome], label: Label
) -> list[str]:
    """Say that a bilateral or regional treaty may exist where tfkg cannot see one: its bilateral
    tables come from three states' treaty lists only, so silence about a pair is not absence."""
    a, b = question.requesting, question.requested
    if question.measure not in BILATERAL_MEASURES:
        return []
    if any("BilateralTreaty" in i.kinds and {a, b} <= i.partners for i in static.instruments.values()):
        return []
    if any(o.status == "applies" and o.kind == "EU act or agreement" for o in bases):
        return []  # an EU act or agreement governs the pair (and notes the bilateral treaty it supplements)
    return [
        f"No bilateral treaty between {label(a, a)} and {label(b, b)} is in tfkg's sources, which hold bilateral "
        "treaties only from the United States', the United Kingdom's and the Netherlands' treaty lists, and no "
        "regional convention outside Europe (the OAS, ASEAN, ECOWAS and SADC instruments, the Commonwealth "
        "schemes): one may exist and may be the main basis, so check both states' treaty registers"
    ]


def _currency(
    static: StaticFacts,
    outcome: Outcome,
    instrument: Instrument,
    party: str,
    verdict: bool | None,
    facts: list[Fact],
    on: date,
    label: Label,
) -> None:
    """R5: flag only what a later change could flip. A negative status resting on a party table
    older than the date asked about is a high risk; a positive one is a quiet note."""
    covered = static.coverage.get(instrument.iri)
    where = label(instrument.depositary, instrument.depositary) if instrument.depositary else "the depositary"
    name = label(party, party)
    open_to_party = not any(MEMBER_STATES_ONLY in r.text for r in outcome.reasons)
    if (
        covered is None
        and _is_treaty(instrument)
        and verdict is not True
        and open_to_party
        and not instrument.not_in_force
    ):
        # No party table at all: "not bound" would be a guess, so the negative is flagged.
        outcome.stale, outcome.risk = True, "high"
        note = (
            f"tfkg holds only some rows of this instrument's party chart, so who else is bound is not known; check {where}"
            if instrument.partial_table
            else f"tfkg holds no party table for this instrument, so who is bound is not known; check {where}"
        )
        if note not in outcome.notes:
            outcome.notes.append(note)
        if not facts:  # say exactly which fact would decide it
            outcome.notes.append(
                f"missing from the sources: {name}'s consent to be bound (ratification, acceptance, approval, "
                f"accession or succession) and the date the instrument entered into force for it"
            )
        return
    if covered is None or covered >= on:
        return
    if verdict is False:
        outcome.stale = True
        outcome.risk = "high"
        outcome.notes.append(
            f"{name}: may have joined since {covered}, the date of the latest party table in tfkg; check {where}"
        )
    elif verdict is True and outcome.risk != "high":
        outcome.risk = "low"
        outcome.quiet.append(f"{name}: status as of the party table of {covered}")


def _conditions(
    parties: PartyFacts,
    instrument: str,
    who: tuple[str, str],
    measures: set[str],
    on: date,
    label: Label,
    numbers: dict[str, str],
) -> list[Reason]:
    """R4: the pair's statements on the instrument that concern the measure, in force on the date;
    an objection by one of the pair to the other's statement is shown beside it."""

    def current(s: Statement) -> bool:
        return (
            s.instrument == instrument
            and not (s.withdrawn and s.withdrawn <= on)
            and not (s.day and s.day > on)
        )

    found = []
    for statement in parties.statements:
        if statement.kind == "objection" or statement.party not in who or not current(statement):
            continue
        other_name = label(who[1] if statement.party == who[0] else who[0], "")
        names_other = bool(other_name) and other_name.casefold() in statement.text.casefold()
        if not (set(statement.measures) | set(statement.accepts)) & measures and not (
            not statement.targets and names_other
        ):
            continue  # a statement about another article, or one that names neither the measure nor the other party
        accepts = (
            " (accepts the instrument as the legal basis for this measure)"
            if set(statement.accepts) & measures
            else ""
        )
        dated = f" of {statement.day}" if statement.day else ""
        articles = ", ".join(filter(None, (numbers.get(t) or _article(t) for t in sorted(statement.targets))))
        under = f" under art. {articles}" if articles else ""
        found.append(
            Reason(
                "R4",
                f"{label(statement.party, statement.party)} {statement.kind}{under}{dated}{accepts}: "
                f"{_excerpt(statement.text)}",
                [statement.fact],
            )
        )
        other = who[1] if statement.party == who[0] else who[0]
        for objection in parties.statements:
            if (
                objection.kind == "objection"
                and objection.party == other
                and current(objection)
                and (statement.party in objection.objects_to)
            ):
                dated = f" on {objection.day}" if objection.day else ""
                found.append(
                    Reason(
                        "R4",
                        f"{label(other, other)} objected{dated} to {label(statement.party, statement.party)}'s "
                        f"{statement.kind}: {_excerpt(objection.text)}",
                        [objection.fact],
                    )
                )
    return found


def _article(provision: str) -> str:
    """'16(5)' from a provision IRI such as …/provision/untoc-art-16-5 (the keys data/ mints)."""
    found = re.search(r"-art-(\d+[a-z]?)((?:-\d+)*)$", provision)
    if found is None:
        return ""
    return found[1] + "".join(f"({part})" for part in found[2].split("-") if part)


def _excerpt(text: str, length: int = 280) -> str:
    words = " ".join(text.split())
    return words if len(words) <= length else words[:length].rsplit(" ", 1)[0] + " …"


def _supplement_notes(static: StaticFacts, bases: list[Outcome], measures: set[str]) -> None:
    """An agreement between the EU and a third state that applies (the EU-US Agreements) is
    applied together with the bilateral treaty between the member state and that state (their
    art. 3): each is noted beside the other, the agreement neither displacing nor replacing it."""
    for agreement in bases:
        own = static.instruments.get(agreement.iri)
        if own is None or agreement.status != "applies" or EU_PARTY not in own.partners:
            continue
        for other in bases:
            treaty = static.instruments.get(other.iri)
            if (
                treaty is None
                or other is agreement
                or other.status not in ("applies", "uncertain")
                or not treaty.partners
                or EU_PARTY in treaty.partners
                or own.iri in treaty.amends  # an instrument applying the agreement: its relation note says so
                or not treaty.partners & own.partners
                or not _provides(treaty, measures)
            ):
                continue
            other.notes.append(f"supplemented between them by the {own.label}, which applies beside it")
            agreement.notes.append(f"applies together with the bilateral treaty between them: {treaty.label}")


def _provides(instrument: Instrument, measures: set[str]) -> bool:
    return bool(instrument.measures & measures) or any(
        set(p.measures) & measures for p in instrument.provisions
    )


def _apply_precedence(static: StaticFacts, bases: list[Outcome], measures: set[str], label: Label) -> None:
    """R3. The prevailing act replaces the displaced one between the parties it binds, whether or
    not the displaced one's own start for them is known (FD 2006/783, uncertain for want of its
    date, is still replaced by Reg. 2018/1805 between two states the Regulation binds)."""
    applying = {o.iri: o for o in bases if o.status == "applies" and o.score >= 100}
    for rule in static.precedence:
        if rule.prevailing not in applying or (rule.measures and not set(rule.measures) & measures):
            continue
        for outcome in bases:
            if outcome.iri in rule.displaced and outcome.status in ("applies", "uncertain"):
                outcome.status, outcome.score = "displaced", 10
                outcome.reasons.append(
                    Reason(
                        "R3",
                        f"displaced by {label(rule.prevailing, rule.prevailing)} between parties bound by both",
                        [rule.fact],
                    )
                )


__all__ = ["RULES", "Answer", "Outcome", "Question", "Reason", "evaluate"]
