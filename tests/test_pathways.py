"""Cooperation pathways on the real built graph: each case says which facts and rule decide it.

Facts cited are those of data/ (UNTC status files and 2014 tables, the EJN EIO table, EU
membership, the surrender agreements, Correlates of War, Egmont); rules are R1-R5 and C1 of
tfkg.pathways.rules.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tfkg.build.derive import ensure_derived
from tfkg.lookup import UnknownValueError
from tfkg.pathways import PathwayService
from tfkg.pathways.rules import Answer, Outcome
from tfkg.store import EmbeddedStore

from .conftest import FIXTURES, ROOT

INS = "https://w3id.org/tfkg/id/instrument/"
UNTOC, TIP, SOM = INS + "untoc", INS + "untoc-tip", INS + "untoc-som"
EIO, EAW, TCA, NO_IS = (
    INS + "eio-directive",
    INS + "eaw-framework-decision",
    INS + "eu-uk-tca",
    INS + "eu-iceland-norway-surrender-agreement",
)
DRUGS_1988 = INS + "drugs-1988"


@pytest.fixture(scope="module")
def service(built_dataset: Path) -> PathwayService:
    return PathwayService(EmbeddedStore.from_files([built_dataset]))


def basis(answer: Answer, iri: str) -> Outcome | None:
    return next((o for o in answer.bases if o.iri == iri), None)


def rejected(answer: Answer, iri: str) -> Outcome:
    return next(o for o in answer.rejected if o.iri == iri)


def texts(outcome: Outcome) -> str:
    return (
        " | ".join(r.text for r in outcome.reasons + outcome.conditions) + " | " + " | ".join(outcome.notes)
    )


def test_protocol_applies_between_its_parties(service: PathwayService) -> None:
    """TIP art. 17(2): CHE deposited 2006-10-27 (in force 2006-11-26), DEU 2006-06-14 (2006-07-14)."""
    answer = service.ask("CHE", "DEU", "trafficking-in-persons", "extradition", "2015-01-01")
    tip = basis(answer, TIP)
    assert tip is not None and tip.status == "applies"
    assert "in force for it from 2006-11-26" in texts(tip)


def test_consent_deposited_but_not_yet_in_force(service: PathwayService) -> None:
    """On 2006-11-01 CHE has ratified TIP (2006-10-27) but it binds CHE only from 2006-11-26 (R2)."""
    answer = service.ask("CHE", "DEU", "trafficking-in-persons", "extradition", "2006-11-01")
    assert basis(answer, TIP) is None
    assert "in force for it only from 2006-11-26" in texts(rejected(answer, TIP))


def test_before_the_convention_itself_entered_into_force(service: PathwayService) -> None:
    """UNTOC entered into force 2003-09-29 (art. 38); on 2003-06-01 it binds no one, even early ratifiers."""
    answer = service.ask("NOR", "FRA", "organized-crime", "mutual-legal-assistance", "2003-06-01")
    assert basis(answer, UNTOC) is None
    assert "in force for it only from 2003-09-29" in texts(rejected(answer, UNTOC))


def test_signature_alone_makes_no_party(service: PathwayService) -> None:
    """Ireland signed the migrant-smuggling protocol on 2000-12-13 and never consented (UNTC 2018-01)."""
    answer = service.ask("IRL", "FRA", "migrant-smuggling", "extradition", "2015-01-01")
    assert basis(answer, SOM) is None
    assert "signed on 2000-12-13 but has not consented" in texts(rejected(answer, SOM))


def test_the_parent_convention_still_applies_with_its_scope_condition(service: PathwayService) -> None:
    """Ireland ratified UNTOC 2010-06-17; for migrant smuggling UNTOC applies under its art. 3 scope."""
    answer = service.ask("IRL", "FRA", "migrant-smuggling", "extradition", "2015-01-01")
    untoc = basis(answer, UNTOC)
    assert untoc is not None and "UNTOC art. 3" in texts(untoc)


def test_denmark_opted_out_of_the_eio(service: PathwayService) -> None:
    """EJN EIO table: DK 'not bound… cannot opt-in' (R2 via an application statement bound=false)."""
    answer = service.ask("DNK", "FRA", "drug-trafficking", "mutual-legal-assistance", "2021-01-01")
    assert basis(answer, EIO) is None
    assert "not bound" in texts(rejected(answer, EIO))


def test_eio_follows_each_states_application_date(service: PathwayService) -> None:
    """EJN: AT applied the EIO from 2018-07-01, DE from 2017-05-22: not on 2018-01-01, yes on 2018-09-01."""
    before = service.ask("AUT", "DEU", "drug-trafficking", "mutual-legal-assistance", "2018-01-01")
    assert basis(before, EIO) is None
    assert "bound only" in texts(rejected(before, EIO)) or "2018-07-01" in texts(rejected(before, EIO))
    after = service.ask("AUT", "DEU", "drug-trafficking", "mutual-legal-assistance", "2018-09-01")
    eio = basis(after, EIO)
    assert eio is not None and eio.status == "applies"


def test_eio_with_a_not_later_than_application(service: PathwayService) -> None:
    """France had transposed by 2017-05-23 (EJN news of that day), and applied the EIO no earlier than
    its transposition deadline of 2017-05-22 (art. 36(1)): bound on 2019-01-01, not in 2016."""
    answer = service.ask("DEU", "FRA", "money-laundering", "mutual-legal-assistance", "2019-01-01")
    eio = basis(answer, EIO)
    assert eio is not None and "between 2017-05-22 and 2017-05-23" in texts(eio)
    assert (
        basis(service.ask("LVA", "FRA", "drug-trafficking", "mutual-legal-assistance", "2016-01-01"), EIO)
        is None
    )


def test_uk_surrender_by_eaw_while_a_member(service: PathwayService) -> None:
    """The EAW applies in all member states from 2004-01-01; the UK was a member until 2020-01-31."""
    answer = service.ask("DEU", "GBR", "drug-trafficking", "extradition", "2019-06-01")
    eaw = basis(answer, EAW)
    assert eaw is not None and eaw.status == "applies"
    assert basis(answer, TCA) is None


def test_uk_surrender_after_leaving_goes_through_the_tca(service: PathwayService) -> None:
    """After 2020-01-31 the UK is no EU member state (EAW out); the TCA applies from 2021-01-01 to the
    UK and the EU, and Germany is bound through the EU as a member state."""
    answer = service.ask("DEU", "GBR", "drug-trafficking", "extradition", "2022-01-01")
    assert basis(answer, EAW) is None
    assert "not an EU member state on 2022-01-01" in texts(rejected(answer, EAW))
    tca = basis(answer, TCA)
    assert tca is not None and "bound through the European Union" in texts(tca)


def test_norway_surrender_agreement_from_its_entry_into_force(service: PathwayService) -> None:
    """EU–Iceland/Norway surrender agreement in force 2019-11-01 (EJN news 2019)."""
    before = service.ask("NOR", "DEU", "drug-trafficking", "extradition", "2019-06-01")
    assert basis(before, NO_IS) is None
    after = service.ask("NOR", "DEU", "drug-trafficking", "extradition", "2020-06-01")
    surrender = basis(after, NO_IS)
    assert surrender is not None and "bound through the European Union" in texts(surrender)


def test_the_eaw_does_not_reach_non_members(service: PathwayService) -> None:
    """Norway is not an EU member state: the EAW does not apply between NOR and DEU."""
    answer = service.ask("NOR", "DEU", "drug-trafficking", "extradition", "2020-06-01")
    assert basis(answer, EAW) is None


def test_crime_area_out_of_scope_is_rejected_by_r1(service: PathwayService) -> None:
    """The 1988 convention covers drug trafficking and money laundering, not trafficking in persons."""
    answer = service.ask("CHE", "DEU", "trafficking-in-persons", "extradition", "2015-01-01")
    assert basis(answer, DRUGS_1988) is None
    assert "not Trafficking in persons" in texts(rejected(answer, DRUGS_1988))


def test_a_narrower_measure_is_served_by_the_broader_one(service: PathwayService) -> None:
    """Provisional arrest is narrower than extradition: treaties providing extradition apply, and
    INTERPOL's channel, recognised for provisional arrest, is offered."""
    answer = service.ask("CHE", "DEU", "drug-trafficking", "provisional-arrest", "2012-01-01")
    assert basis(answer, DRUGS_1988) is not None
    assert any("INTERPOL" in c.label for c in answer.channels)


def test_a_positive_status_on_an_old_snapshot_is_a_quiet_note(service: PathwayService) -> None:
    """UNTOC parties come from the 2014 table: asked about 2025, a party stays a party unless it
    denounced, so the basis is not flagged (low risk, R5) but says how old its table is."""
    answer = service.ask("CHE", "DEU", "organized-crime", "extradition", "2025-01-01")
    untoc = basis(answer, UNTOC)
    assert untoc is not None and not untoc.stale and untoc.risk == "low"
    assert any("party table of 2014-01-27" in note for note in untoc.quiet)


def test_a_party_missing_from_an_old_snapshot_is_flagged_not_denied(service: PathwayService) -> None:
    """The 2014 UNTOC table shows Iran's signature alone: tfkg does not apply UNTOC but flags the
    negative as a high risk (R5), since Iran may have ratified after the table."""
    answer = service.ask("IRN", "DEU", "organized-crime", "extradition", "2020-01-01")
    assert basis(answer, UNTOC) is None
    outcome = rejected(answer, UNTOC)
    why = texts(outcome)
    assert outcome.stale and outcome.risk == "high"
    assert (
        "signed on 2000-12-12" in why
        and "may have joined since 2014-01-27" in why
        and "check United Nations" in why
    )


def test_a_protocol_party_is_bound_by_the_convention(service: PathwayService) -> None:
    """The 2014 UNTOC table shows Japan's signature alone, but Japan accepted the TIP Protocol on
    2017-07-11 (UNTC 2018-01, in force for it 2017-08-10): under UNTOC art. 37(2) only a party to
    the Convention can become party to a Protocol, so Japan is bound by UNTOC no later than that."""
    answer = service.ask("JPN", "DEU", "organized-crime", "extradition", "2020-01-01")
    untoc = basis(answer, UNTOC)
    assert untoc is not None and untoc.status == "applies"
    assert "art. 37(2)" in texts(untoc) and "no later than 2017-08-10" in texts(untoc)


def test_but_the_2018_protocol_table_knows_japans_acceptance(service: PathwayService) -> None:
    """Japan accepted the TIP protocol on 2017-07-11 (UNTC 2018-01)."""
    answer = service.ask("JPN", "DEU", "trafficking-in-persons", "extradition", "2018-01-01")
    assert basis(answer, TIP) is not None


def test_declarations_on_the_measure_are_conditions(service: PathwayService) -> None:
    """The Netherlands declared it takes UNTOC as the legal basis for extradition (art. 16(5))."""
    answer = service.ask("NLD", "DEU", "organized-crime", "extradition", "2010-01-01")
    untoc = basis(answer, UNTOC)
    assert untoc is not None
    assert any(c.rule == "R4" and "legal basis" in c.text for c in untoc.conditions)


def test_police_channel_through_interpol(service: PathwayService) -> None:
    """Both DEU and FRA are INTERPOL members (COW to 2014, open-ended): I-24/7 carries police information."""
    answer = service.ask("DEU", "FRA", "drug-trafficking", "police-information-exchange", "2012-01-01")
    assert any("INTERPOL" in c.label and c.status == "applies" for c in answer.channels)


def test_fiu_channel_through_egmont_members(service: PathwayService) -> None:
    """Egmont members are FIUs; each serves its jurisdiction (Egmont list 2026-07-17)."""
    answer = service.ask("DEU", "FRA", "money-laundering", "financial-intelligence", "2026-08-01")
    egmont = next(c for c in answer.channels if "Egmont" in c.label)
    assert "through" in texts(egmont)


def test_a_suspended_member_gets_no_channel(service: PathwayService) -> None:
    """Russia's Rosfinmonitoring is suspended from Egmont (18 Oct 2023): no Egmont channel."""
    answer = service.ask("RUS", "DEU", "money-laundering", "financial-intelligence", "2026-08-01")
    assert not any("Egmont" in c.label for c in answer.channels)
    egmont = next(o for o in answer.rejected if "Egmont" in o.label)
    assert "suspended" in texts(egmont)


def test_no_common_basis_says_what_was_checked(service: PathwayService) -> None:
    """Taiwan has no treaty action in the sources and left INTERPOL (COW: member 1961-1984).
    (Not cybercrime, nor extradition: the Budapest chart and the 1957 Convention's are held only
    in part, so a state missing from them is "not known", shown beside the bases.)"""
    answer = service.ask("TWN", "DEU", "drug-trafficking", "asset-recovery", "2020-01-01")
    assert not [o for o in answer.bases if o.status == "applies"] and answer.channels == []
    # A convention with no party table at all (CETS 198) is uncertain, never a basis
    assert all(o.status == "uncertain" for o in answer.bases)
    assert "no legal basis established by the sources" in answer.summary()
    assert len(answer.rejected) >= 20


def test_unknown_inputs_list_close_matches(service: PathwayService) -> None:
    with pytest.raises(UnknownValueError, match="Switzerland"):
        service.ask("Swizerland", "DEU", "drug-trafficking", "extradition")
    with pytest.raises(UnknownValueError, match="drug-trafficking"):
        service.ask("CHE", "DEU", "drug-trafficing", "extradition")
    with pytest.raises(UnknownValueError, match="extradition"):
        service.ask("CHE", "DEU", "drug-trafficking", "extradtion")


def test_precedence_displaces_between_parties_bound_by_both() -> None:
    """Fixture: A and B are bound by both the 1959-style convention and the EIO-style directive; the
    precedence rule (R3) marks the convention displaced, and the directive applies."""
    store = EmbeddedStore.from_files(
        [FIXTURES / "pathways.trig", ROOT / "ontology" / "tfkg.ttl", ROOT / "ontology" / "vocab"]
    )
    assert ensure_derived(store) == 4, "the fixture's two treaty actions and two applications"
    assert ensure_derived(store) == 0, "derived once"
    service = PathwayService(store)
    answer = service.ask("AAA", "BBB", "drug-trafficking", "mutual-legal-assistance", "2020-01-01")
    statuses = {o.iri.rsplit("/", 1)[-1]: o.status for o in answer.bases}
    assert statuses == {"directive": "applies", "convention": "displaced"}
    assert any(c.status == "indirect" for c in answer.channels), (
        "B has an agreement with the body A belongs to"
    )


def test_an_eu_agreement_with_a_third_country_is_not_a_basis_between_member_states(
    service: PathwayService,
) -> None:
    """The TCA binds the EU (and its member states through it) towards the UK, not DK towards FR."""
    answer = service.ask("DNK", "FRA", "drug-trafficking", "mutual-legal-assistance", "2021-06-01")
    assert basis(answer, TCA) is None
    assert "does not apply between two EU member states" in texts(rejected(answer, TCA))


def test_a_reservation_on_the_article_is_a_condition_with_the_objection_beside_it(
    service: PathwayService,
) -> None:
    """Viet Nam acceded to the 1961 Convention as amended with a reservation to art. 36(2)(b), the
    extradition article (UNTC VI-18, 1997-11-04); the United Kingdom objected on 1998-12-17. Both
    are conditions of that basis between the two (R4)."""
    answer = service.ask("VNM", "GBR", "drug-trafficking", "extradition", "2010-01-01")
    amended = basis(answer, INS + "drugs-1961-amended")
    assert amended is not None
    conditions = [c.text for c in amended.conditions]
    assert any(
        c.startswith("Vietnam reservation under art. 36(2)(b)") and "1997-11-04" in c for c in conditions
    )
    assert any(
        c.startswith("United Kingdom objected on 1998-12-17 to Vietnam's reservation") for c in conditions
    )


def test_an_invitation_to_consider_grounds_no_basis(service: PathwayService) -> None:
    """UNTOC art. 17 only says states 'may consider' arrangements on the transfer of sentenced
    persons: no binding basis, and the answer says why."""
    answer = service.ask("DEU", "POL", "organized-crime", "transfer-of-sentenced-persons", "2022-06-01")
    assert basis(answer, UNTOC) is None
    assert "art. 17 only invites the parties to consider" in texts(rejected(answer, UNTOC))


def test_the_eu_is_no_requesting_state(service: PathwayService) -> None:
    """The EU is a party to UNCAC within its competence (art. 67(3)) but requests no extradition."""
    answer = service.ask("EU", "USA", "corruption", "extradition", "2020-01-01")
    assert answer.bases == [] and answer.channels == []
    assert "member state" in answer.summary()


def test_the_uk_stays_bound_by_the_eaw_in_the_transition_period(service: PathwayService) -> None:
    """Withdrawal Agreement arts. 126-127: EU law applied to and in the UK until 2020-12-31."""
    during = service.ask("GBR", "FRA", "drug-trafficking", "extradition", "2020-12-15")
    eaw = basis(during, EAW)
    assert eaw is not None and during.bases[0].iri == EAW and "transition period" in texts(eaw)
    after = service.ask("FRA", "GBR", "money-laundering", "mutual-legal-assistance", "2023-05-01")
    assert basis(after, EIO) is None and basis(after, TCA) is not None


def test_prisoners_are_transferred_between_member_states_under_fd_2008_909(service: PathwayService) -> None:
    """FD 2008/909/JHA art. 8(1) obliges the executing state to recognise and enforce; member states
    had to comply by 5 December 2011 (art. 29(1)). UNTOC art. 17 only 'may consider'."""
    answer = service.ask("DEU", "POL", "organized-crime", "transfer-of-sentenced-persons", "2022-06-01")
    assert [o.iri for o in answer.bases if o.status == "applies"] == [INS + "fd-2008-909"]
    assert "art. 8(1)" in texts(answer.bases[0])


def test_freezing_and_confiscation_between_member_states(service: PathwayService) -> None:
    """Reg. 2018/1805 applies from 19 December 2020 (EJN news), arts. 7 and 18 oblige recognition;
    Ireland and Denmark are not bound (its recitals; Protocols No 21 and No 22)."""
    reg = INS + "reg-2018-1805"
    answer = service.ask("ITA", "ESP", "money-laundering", "asset-recovery", "2022-06-01")
    assert answer.bases[0].iri == reg
    before = service.ask("ITA", "ESP", "money-laundering", "asset-recovery", "2020-06-01")
    assert basis(before, reg) is None
    ireland = service.ask("IRL", "FRA", "money-laundering", "confiscation", "2022-06-01")
    assert basis(ireland, reg) is None and "Ireland is not bound" in texts(rejected(ireland, reg))


def test_a_treaty_without_any_party_table_is_flagged_not_denied(service: PathwayService) -> None:
    """tfkg holds no party table for the Second Additional Protocol to the 1959 Convention (ETS
    182): a negative would be a guess, so it is a high risk that points to the Council of Europe."""
    answer = service.ask("CHE", "DEU", "organized-crime", "mutual-legal-assistance", "2020-01-01")
    protocol = basis(answer, INS + "ets-182")
    assert protocol is not None and protocol.status == "uncertain"
    assert protocol.stale and protocol.risk == "high" and "no party table" in texts(protocol)


def test_a_state_absent_from_part_of_a_chart_is_uncertain_not_denied(service: PathwayService) -> None:
    """data/treaty-actions/ets-024.csv gives Switzerland's ratification (SR 0.353.1: deposited
    20 December 1966, in force 20 March 1967) but no row for Germany: the rows are parts of the
    chart, so Germany's absence says nothing, and the 1957 Convention is uncertain, not rejected."""
    answer = service.ask("CHE", "DEU", "organized-crime", "extradition", "2020-01-01")
    ece = basis(answer, INS + "ets-024")
    assert ece is not None and ece.status != "applies"
    said = texts(ece)
    assert "1967-03-20" in said and "not in the rows of the chart that tfkg holds" in said


def test_member_states_reach_each_other_through_europol_and_eurojust(service: PathwayService) -> None:
    """Every member state bound by the Europol Regulation has a national unit (art. 7; applies from
    1 May 2017, art. 77), and by the Eurojust Regulation a national member (art. 7; from 12 December
    2019, art. 82); Denmark is bound by neither (Protocol No 22): it takes part in Europol's
    channel only as a partner, under its operational agreement in force from 1 May 2017."""
    police = service.ask("DEU", "FRA", "drug-trafficking", "police-information-exchange", "2020-05-01")
    assert any("SIENA" in c.label and c.status == "applies" for c in police.channels)
    jit = service.ask("NLD", "BEL", "drug-trafficking", "joint-investigation-team", "2021-05-01")
    assert any("Eurojust" in c.label for c in jit.channels)
    assert basis(jit, INS + "jit-framework-decision") is not None
    denmark = service.ask("DNK", "FRA", "drug-trafficking", "police-information-exchange", "2021-05-01")
    siena = [c for c in denmark.channels if "SIENA" in c.label]
    assert siena and "Denmark: partner" in texts(siena[0]) and "Denmark: member" not in texts(siena[0])


def test_a_successor_state_is_bound_no_later_than_its_notification(service: PathwayService) -> None:
    """data/treaty-actions/untoc.csv: Montenegro notified its succession to UNTOC on 2006-10-23 (no
    entry into force for it in the table); a successor state is bound from the date of succession,
    so no later than the notification (1978 Vienna Convention on Succession, arts. 23(1), 34)."""
    answer = service.ask("SRB", "MNE", "organized-crime", "extradition", "2015-06-01")
    untoc = basis(answer, UNTOC)
    assert untoc is not None and untoc.status == "applies" and "succession notified on" in texts(untoc)


def test_the_1988_convention_covers_only_the_laundering_of_drug_proceeds(service: PathwayService) -> None:
    """1988 Convention art. 3(1)(b): laundering of proceeds of the drug offences it establishes."""
    answer = service.ask("FRA", "DEU", "money-laundering", "mutual-legal-assistance", "2010-06-01")
    drugs = basis(answer, DRUGS_1988)
    assert drugs is not None and any("art. 3(1)(b)" in c.text for c in drugs.conditions)
    # data/treaty-actions/eu-mla-convention-2000.csv (Trb. 2013, 14): France in force 2005-08-23,
    # Germany 2006-02-02, so in 2010 the 2000 EU MLA Convention comes first, UNTOC after it.
    assert [o.iri for o in answer.bases[:2]] == [INS + "eu-mla-convention-2000", UNTOC]


def test_curacao_is_bound_by_untoc_from_the_extension_to_the_netherlands_antilles(
    service: PathwayService,
) -> None:
    """Finlex (dossier §3.4): the Netherlands extended UNTOC to the Netherlands Antilles from 2010-09-09."""
    assert (
        basis(service.ask("USA", "CUW", "organized-crime", "mutual-legal-assistance", "2008-01-01"), UNTOC)
        is None
    )
    assert basis(service.ask("USA", "CUW", "organized-crime", "mutual-legal-assistance", "2012-01-01"), UNTOC)


def test_a_territory_is_served_through_its_states_interpol_bureau(service: PathwayService) -> None:
    """Hong Kong is part of China (ISO 3166-2:CN CN-HK); China's INTERPOL membership (Correlates of
    War) serves it. Of Europol only a territory where EU law applies: Guadeloupe (TFEU art. 355(1))
    but not Aruba (an overseas country and territory)."""
    hong_kong = service.ask("USA", "HKG", "drug-trafficking", "police-information-exchange", "2012-06-01")
    interpol = next(c for c in hong_kong.channels if "INTERPOL" in c.label)
    assert "through China" in texts(interpol)
    guadeloupe = service.ask("DEU", "GLP", "drug-trafficking", "police-information-exchange", "2020-06-01")
    assert any("SIENA" in c.label for c in guadeloupe.channels)
    aruba = service.ask("DEU", "ABW", "drug-trafficking", "police-information-exchange", "2020-06-01")
    assert not any("SIENA" in c.label for c in aruba.channels)


EU_US_EXTRADITION, EU_US_MLA = INS + "eu-usa-extradition-2003-06-25", INS + "eu-usa-mla-2003-06-25"


def test_the_eu_us_agreements_bind_member_states_through_the_union(service: PathwayService) -> None:
    """EU-US Agreements in force 2010-02-01 (EUR-Lex summaries jl0052, jl0053): a member state is
    bound through the Union (TFEU art. 216(2)), the US by its own entry into force; between two
    member states, or with a non-member, they do not apply."""
    answer = service.ask("USA", "ITA", "organized-crime", "mutual-legal-assistance", "2020-06-01")
    mla = basis(answer, EU_US_MLA)
    assert mla is not None and mla.status == "applies"
    assert "Italy: bound through the European Union" in texts(mla) and "art. 4" in texts(mla)
    bilateral = basis(answer, INS + "usa-ita-mla-1982-11-09")
    assert bilateral is not None and "supplemented between them by" in texts(bilateral)
    assert "applies together with the bilateral treaty between them" in texts(mla)
    before = service.ask("USA", "ITA", "organized-crime", "mutual-legal-assistance", "2009-06-01")
    assert basis(before, EU_US_MLA) is None
    assert "2010-02-01" in texts(rejected(before, EU_US_MLA))
    swiss = service.ask("USA", "CHE", "drug-trafficking", "extradition", "2015-06-01")
    assert "not an EU member state" in texts(rejected(swiss, EU_US_EXTRADITION))
    intra = service.ask("DEU", "FRA", "organized-crime", "mutual-legal-assistance", "2020-06-01")
    assert all(o.iri != EU_US_MLA for o in intra.bases + intra.rejected), "not checked between member states"


def test_the_instrument_applying_the_eu_us_agreement_is_noted_beside_it(service: PathwayService) -> None:
    """The 2004 NL-US instrument applies the EU-US MLA Agreement to the 1981 treaty (Dutch texts)."""
    answer = service.ask("NLD", "USA", "drug-trafficking", "mutual-legal-assistance", "2020-06-01")
    mla = basis(answer, EU_US_MLA)
    assert (
        mla is not None
        and "applied between them by: Netherlands–United States bilateral instrument" in texts(mla)
    )


def test_a_treaty_whose_current_status_is_not_stated_is_uncertain_after_it(service: PathwayService) -> None:
    """The 1972 US-UK treaty: in force 1977-01-21, its current status not stated in the source."""
    answer = service.ask("USA", "GBR", "organized-crime", "extradition", "2015-06-01")
    old = basis(answer, INS + "usa-gbr-extradition-1972-06-08")
    assert old is not None and old.status == "uncertain"
    assert "whether it was still in force on 2015-06-01 is not stated" in texts(old)


def test_a_listed_territory_is_answered_through_its_state(service: PathwayService) -> None:
    """INCSR 2015: the US-UK MLAT in force 'incl. ... Cayman Islands'."""
    answer = service.ask("USA", "CYM", "money-laundering", "mutual-legal-assistance", "2018-06-01")
    mlat = basis(answer, INS + "usa-gbr-mla-listed")
    assert mlat is not None and mlat.status == "applies"
    assert "Cayman Islands (through United Kingdom)" in texts(mlat)


def test_the_nordic_arrest_warrant_displaces_the_eaw_between_nordic_member_states(
    service: PathwayService,
) -> None:
    """NOU 2022: 15 (in force by 2022) and EAW FD art. 31(2); before 2023 its day is not stated."""
    answer = service.ask("SWE", "DNK", "organized-crime", "extradition", "2023-06-01")
    assert answer.bases[0].iri == INS + "nordic-arrest-warrant"
    eaw = basis(answer, EAW)
    assert eaw is not None and eaw.status == "displaced"
    earlier = service.ask("SWE", "DNK", "organized-crime", "extradition", "2020-06-01")
    naw = basis(earlier, INS + "nordic-arrest-warrant")
    assert naw is not None and naw.status == "uncertain"
    eaw = basis(earlier, EAW)
    assert eaw is not None and eaw.status == "applies"


def test_an_answer_without_a_basis_names_what_tfkg_cannot_establish(service: PathwayService) -> None:
    """After FD 2008/909 ended for the UK (2020-12-31), ETS 112 (in force 1985-07-01, GR-J(2018)14)
    is the basis; tfkg holds no party table for it, and the summary says so by name."""
    answer = service.ask("GBR", "POL", "organized-crime", "transfer-of-sentenced-persons", "2022-06-01")
    assert not [o for o in answer.bases if o.status == "applies"]
    assert "not stated: Convention on the Transfer of Sentenced Persons" in answer.summary()
    ets_112 = basis(answer, INS + "ets-112")
    assert ets_112 is not None and ets_112.status == "uncertain" and "no party table" in texts(ets_112)
