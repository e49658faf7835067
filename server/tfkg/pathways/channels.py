"""C1 channels: the organizations both parties belong to on the date (or one belongs to and the
other has an agreement with) that operate a channel carrying the measure, with their mandates."""

from __future__ import annotations

from datetime import date

from .answer import Label, Outcome, Question, Reason, holds
from .facts import Agreement, Membership, PartyFacts, StaticFacts

#: Agreement kinds that make the partner take part in the agency's channel (data/rules.csv
#: agreement-participation-*), whatever their personal-data flag says.
PARTNERING = {"operational-agreement", "cooperation-agreement", "international-agreement-art-218-tfeu"}


def _partnering(agreement: Agreement) -> bool:
    """Whether the agreement is of a kind that makes its partner take part in the channel."""
    return agreement.personal_data is True or agreement.kind in PARTNERING


def _member_on(
    memberships: list[Membership], organization: str, party: str, on: date
) -> tuple[bool | None, Membership | None]:
    best: tuple[bool | None, Membership | None] = (False, None)
    ended: Membership | None = None
    for m in memberships:
        if m.organization != organization or m.member != party:
            continue
        now = holds(m.start, m.end, on)
        if now and m.role != "suspended":
            return True, m
        if now and m.role == "suspended":
            best = (False, m)
        elif now is None and best[0] is False and best[1] is None:
            best = (None, m)
        elif (
            now is False
            and m.end is not None
            and m.end.on_or_after(on) is False
            and (ended is None or ended.end is None or ended.end.text() < m.end.text())
        ):
            ended = m  # the latest to end
    # No spell holds: name the one that ended before the date rather than say "no membership".
    return best if best[1] is not None or ended is None else (False, ended)


def channels(
    static: StaticFacts, parties: PartyFacts, question: Question, label: Label
) -> tuple[list[Outcome], list[Outcome], int]:
    a, b, on = question.requesting, question.requested, question.on
    measures = static.ancestors(question.measure)
    crimes = static.ancestors(question.crime)
    found: list[Outcome] = []
    rejected: list[Outcome] = []
    organizations = {c.operator for c in static.channels}
    for channel in static.channels:
        outcome = Outcome(channel.fact.iri, channel.fact.label, "channel", applies=False, status="rejected")
        operator = label(channel.operator, channel.operator)
        carried = set(channel.measures)
        if not carried & (measures | {m for m, up in static.broader.items() if question.measure in up}):
            outcome.reasons.append(
                Reason(
                    "C1",
                    f"{operator}'s channel does not carry {label(question.measure, question.measure)}",
                    holds=False,
                )
            )
            rejected.append(outcome)
            continue
        status_a, member_a = _member_on(parties.memberships, channel.operator, a, on)
        status_b, member_b = _member_on(parties.memberships, channel.operator, b, on)
        if channel.member_states_only:
            # A channel an act between member states provides (the EAW Framework Decision's art.
            # 16(2)) is not open to a state that takes part in the body by agreement only.
            if member_a is not None and member_a.agreement is not None:
                status_a = False
            if member_b is not None and member_b.agreement is not None:
                status_b = False
        for party, status, member in ((a, status_a, member_a), (b, status_b, member_b)):
            if member is not None and member.agreement is not None and status is not False:
                # a third state that takes part by agreement (build/partners.py): say which one
                outcome.reasons.append(
                    Reason(
                        "C1",
                        f"{label(party, party)}: partner of {operator} under the {member.agreement.label}, "
                        + (
                            f"in force from {member.start.text()}"
                            if member.comment is None or "applied from" not in member.comment
                            else "the Union's agreement"
                            + member.comment.split("the Union's agreement", 1)[-1]
                        ),
                        [member.fact, member.agreement],
                    )
                )
            elif member is not None:
                via = f" through {member.via}" if member.via else ""
                state = {
                    True: member.role.replace("-", " "),
                    None: "member (start not dated before this date)",
                    False: f"{member.role}, not an active member",
                }[status]
                text = f"{label(party, party)}: {state} of {operator}{via}"
                if status is False and member.end is not None and member.end.on_or_after(on) is False:
                    text = f"{label(party, party)}: {member.role} of {operator}{via} only until {member.end.text()}"
                outcome.reasons.append(
                    Reason(
                        "C1",
                        text,
                        [member.fact],
                        holds=status is not False,
                    )
                )
            else:
                later = [
                    ag
                    for ag in parties.agreements
                    if ag.body == channel.operator
                    and ag.partner == party
                    and ag.in_force
                    and ag.in_force > on
                ]
                # A membership that begins after the date (derived from a founding act, or an
                # accession): what the sources say is that earlier participation is not derived,
                # not that the state has none.
                afterwards = sorted(
                    (
                        m
                        for m in parties.memberships
                        if m.organization == channel.operator
                        and m.member == party
                        and m.agreement is None
                        and m.start.value is not None
                        and m.start.value > on
                    ),
                    key=lambda m: m.start.text(),
                )
                text = f"{label(party, party)}: no membership of {operator} in the sources"
                if afterwards:
                    since = afterwards[0].start.text()
                    text = (
                        f"{label(party, party)}: {afterwards[0].role} of {operator} from {since}; "
                        f"participation before {since} is not derived"
                    )
                outcome.reasons.append(
                    Reason(
                        "C1",
                        text
                        + "".join(
                            f"; its {ag.fact.label} enters into force only on {ag.in_force}" for ag in later
                        ),
                        [ag.fact for ag in later] + [m.fact for m in afterwards[:1]],
                        holds=False,
                    )
                )

        # An agreement counts for the indirect route only where it is not known to come after the
        # date: entered into force by then or, where that date is not in the sources, signed by then.
        # Either side may be the partner (docs/rules.md C1: "one belongs to and the other has an
        # agreement with"): the requested state first, then the requesting one.
        # Of several, the one that would make the partner take part is named first (the United
        # States' supplemental agreement on personal data before its strategic agreement).
        def agreement_of(partner: str, body: str = channel.operator) -> Agreement | None:
            return next(
                (
                    ag
                    for ag in sorted(parties.agreements, key=lambda a: not _partnering(a))
                    if ag.body == body
                    and ag.partner == partner
                    and (
                        ag.in_force <= on
                        if ag.in_force is not None
                        else ag.signed is None or ag.signed.on_or_before(on) is not False
                    )
                ),
                None,
            )

        indirect = next(
            (
                (partner, found_agreement)
                for member_status, partner in ((status_a, b), (status_b, a))
                if member_status and (found_agreement := agreement_of(partner)) is not None
            ),
            None,
        )
        if channel.member_states_only:
            indirect = None
        if status_a is not False and status_b is not False and member_a and member_b:
            # Both take part; where one's start is known only as "no later than" a date after the
            # one asked about, whether it took part then is not stated: uncertain, not offered.
            known = bool(status_a and status_b)
            outcome.applies, outcome.status, outcome.score = (
                True,
                "applies" if known else "uncertain",
                90 if known else 50,
            )
        elif indirect is not None:
            partner, agreement = indirect
            # An agreement of the kind that makes its partner take part (agreement-participation-*:
            # an operational or cooperation agreement, or the Union's) whose entry into force is not
            # in the sources: the partner may well take part, but since when is not stated.
            undated = agreement.in_force is None and _partnering(agreement)
            outcome.applies, outcome.status, outcome.score = (
                (True, "uncertain", 40) if undated else (True, "indirect", 30)
            )
            flow = {
                True: "personal data may flow",
                False: "no personal data",
                None: "personal data: not stated",
            }[agreement.personal_data]
            signed = f", signed {agreement.signed.text()}" if agreement.signed else ""
            kind = agreement.kind.replace("-", " ")
            article = "an" if kind[:1] in "aeiou" else "a"
            outcome.reasons.append(
                Reason(
                    "C1",
                    f"{label(partner, partner)} has {article} {kind} with {operator} ({flow}{signed})",
                    [agreement.fact],
                )
            )
            if undated:
                outcome.reasons.append(
                    Reason(
                        "C1",
                        f"uncertain: the {agreement.fact.label}, {article} {kind}, date not stated: "
                        f"such an agreement makes "
                        f"{label(partner, partner)} a partner of {operator} from its entry into force, "
                        f"which is not in the sources{signed}, so whether it took part on {on} is not stated",
                        [agreement.fact],
                        holds=None,
                    )
                )
            elif agreement.in_force is None:
                outcome.notes.append(f"the agreement's entry into force is not in the sources{signed}")
        if not outcome.applies:
            rejected.append(outcome)
            continue
        outcome.reasons.append(
            Reason("C1", f"carries {', '.join(sorted(label(m, m) for m in carried))}", [channel.fact])
        )
        if channel.personal_data is not None:
            outcome.notes.append(
                "personal data may be exchanged"
                if channel.personal_data
                else "no personal data on this channel"
            )
        mandates = [m for m in static.mandates if m.organization == channel.operator]
        covering = [
            m
            for m in mandates
            if m.crime_area in crimes and (m.start is None or holds(m.start, m.end, on) is not False)
        ]
        if covering:
            outcome.reasons.append(
                Reason(
                    "C1",
                    f"{operator}'s mandate covers {label(covering[0].crime_area, covering[0].crime_area)}",
                    [covering[0].fact],
                )
            )
        elif mandates:
            outcome.notes.append(
                f"{operator}'s recorded mandate does not name {label(question.crime, question.crime)}"
            )
            outcome.score -= 20
        else:
            outcome.notes.append(f"{operator}'s mandate is not recorded in the sources")
        # R5 as risk: a membership that held on an older snapshot rarely ends unnoticed; a quiet note.
        older = sorted(
            {
                f.source.snapshot
                for r in outcome.reasons
                for f in r.facts
                if f.source.snapshot and f.source.snapshot < on
            }
        )
        if older:
            outcome.risk = "low"
            outcome.quiet.append(f"membership as of sources dated {older[0]} and later")
        found.append(outcome)
    found.sort(key=lambda o: (-o.score, o.label))
    return found, rejected, len(organizations)
