"""The population: the built graph answers the questions its sources settle.

The graph is built once from this checkout's data/ into a temporary folder; each fact below
is asked with SPARQL on pyoxigraph, the engine that serves it.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from tfkg.build.coverage import coverage
from tfkg.build.stats import load_store

PREFIXES = """
PREFIX tfkg: <https://w3id.org/tfkg/ontology#>
PREFIX instrument: <https://w3id.org/tfkg/id/instrument/>
PREFIX jurisdiction: <https://w3id.org/tfkg/id/jurisdiction/>
PREFIX organization: <https://w3id.org/tfkg/id/organization/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX time: <http://www.w3.org/2006/time#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
CONSENT = "tfkg:actionType/skos:broader* <https://w3id.org/tfkg/id/action-type/consent-to-be-bound>"


@pytest.fixture(scope="module")
def dataset(built_dataset: Path) -> Path:
    return built_dataset


@pytest.fixture(scope="module")
def store(dataset: Path) -> ox.Store:
    return load_store(dataset)


def ask(store: ox.Store, query: str) -> bool:
    result = store.query(PREFIXES + query, use_default_graph_as_union=True)
    assert isinstance(result, ox.QueryBoolean)
    return bool(result)


def select(store: ox.Store, query: str) -> list[dict[str, str]]:
    result = store.query(PREFIXES + query, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in result]


def parties(store: ox.Store, instrument: str) -> int:
    rows = select(
        store,
        f"SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?a tfkg:instrument instrument:{instrument} ; "
        f"tfkg:party ?p ; {CONSENT} }}",
    )
    return int(rows[0]["n"])


@pytest.mark.parametrize(
    ("instrument", "expected", "why"),
    [
        ("untoc-tip", 173, "UNTC XVIII-12-a header, 2018-01-15"),
        ("untoc-som", 146, "UNTC XVIII-12-b header, 2018-01-15"),
        ("untoc-firearms", 115, "UNTC XVIII-12-c header, 2018-01-15"),
        ("drugs-1961", 154, "UNTC VI-15 header, 2018-01-15"),
        ("drugs-1971", 184, "UNTC VI-16 header, 2018-01-15"),
        ("drugs-1972-protocol", 126, "UNTC VI-17 header, 2018-01-15"),
        ("drugs-1961-amended", 186, "UNTC VI-18 header, 2018-01-15"),
        ("untoc", 179, "2014 UNTC table: 179 participants with a consent date"),
        # plus Germany's ratification of 2014-11-12, which the 2014 table lacks (SOURCES.md §1): a hand row
        ("uncac", 172, "2014 UNTC table: 171 participants with a consent date, and Germany's (hand row)"),
        ("drugs-1988", 189, "2014 UNTC table: 189 participants with a consent date"),
    ],
)
def test_party_counts_equal_the_source_tables(
    store: ox.Store, instrument: str, expected: int, why: str
) -> None:
    assert parties(store, instrument) == expected, why


def test_counts_equal_the_depositary_where_snapshots_match(dataset: Path) -> None:
    report = coverage(dataset)
    same_day = [i for i in report.instruments if i.stated is not None and i.known_as_of == i.stated_as_of]
    # the 2018 tables and counts of the drug treaties and the Smuggling Protocol; the Trafficking
    # and Firearms Protocols are compared with the depositary's later count (2024 status pages)
    assert len(same_day) == 5
    assert all(i.known == i.stated for i in same_day), [(i.label, i.known, i.stated) for i in same_day]
    untoc = next(i for i in report.instruments if i.instrument.endswith("/untoc"))
    assert (untoc.known, untoc.known_as_of, untoc.stated, untoc.stated_as_of) == (
        179,
        "2014-01-27",
        192,
        "2024-05-04",
    )  # un_untoc_family/untoc_family_header_facts.csv: "Parties : 192 | STATUS AS AT : 04-05-2024"


def test_untoc_entered_into_force_on_2003_09_29(store: ox.Store) -> None:
    assert ask(store, 'ASK { instrument:untoc tfkg:entryIntoForce "2003-09-29"^^xsd:date }')


def test_switzerland_untoc_consent_in_force_thirty_days_later(store: ox.Store) -> None:
    """UNTOC art. 38(2): the thirtieth day after deposit (domain.md §3.2, Swiss RS 0.311.54)."""
    rows = select(
        store,
        f"SELECT ?date ?inForce WHERE {{ ?a tfkg:instrument instrument:untoc ; "
        f"tfkg:party jurisdiction:CHE ; {CONSENT} ; tfkg:actionDate ?date ; tfkg:entryIntoForceForParty ?inForce }}",
    )
    assert rows == [{"date": "2006-10-27", "inForce": "2006-11-26"}]


def test_ireland_has_only_signed_the_migrant_smuggling_protocol(store: ox.Store) -> None:
    assert ask(
        store,
        "ASK { ?a tfkg:instrument instrument:untoc-som ; tfkg:party jurisdiction:IRL ; "
        "tfkg:actionType <https://w3id.org/tfkg/id/action-type/signature> }",
    )
    assert not ask(
        store, f"ASK {{ ?a tfkg:instrument instrument:untoc-som ; tfkg:party jurisdiction:IRL ; {CONSENT} }}"
    )


def test_the_eu_is_a_party_to_untoc_but_not_a_state(store: ox.Store) -> None:
    assert ask(
        store, f"ASK {{ ?a tfkg:instrument instrument:untoc ; tfkg:party jurisdiction:EU ; {CONSENT} }}"
    )
    assert ask(store, "ASK { jurisdiction:EU a tfkg:RegionalIntegrationOrganization }")
    assert not ask(store, "ASK { jurisdiction:EU a tfkg:State }")


def test_denmark_is_not_bound_by_the_eio_directive(store: ox.Store) -> None:
    assert ask(
        store,
        "ASK { ?x a tfkg:InstrumentApplication ; tfkg:instrument instrument:eio-directive ; "
        "tfkg:party jurisdiction:DNK ; tfkg:bound false }",
    )
    assert not ask(
        store,
        "ASK { ?x tfkg:instrument instrument:eio-directive ; tfkg:party jurisdiction:DNK ; tfkg:bound true }",
    )


def test_russias_egmont_fiu_is_suspended(store: ox.Store) -> None:
    rows = select(
        store,
        "SELECT ?role WHERE { ?m org:organization organization:egmont-group ; org:member ?fiu ; org:role ?role . "
        "?fiu tfkg:servesJurisdiction jurisdiction:RUS }",
    )
    assert rows == [{"role": "https://w3id.org/tfkg/id/role/suspended"}]


def test_every_fact_has_a_source_with_a_snapshot_date(store: ox.Store) -> None:
    facts = """
      VALUES ?kind { tfkg:TreatyAction tfkg:Reservation tfkg:Declaration tfkg:Notification tfkg:Objection
                     tfkg:Membership tfkg:Mandate tfkg:InstrumentApplication tfkg:PrecedenceRule
                     tfkg:CooperationChannel tfkg:DepositaryStatus tfkg:Provision }
    """
    missing = select(
        store,
        f"SELECT ?fact WHERE {{ {facts} ?fact a ?kind . "
        "FILTER NOT EXISTS { ?fact prov:wasDerivedFrom/tfkg:snapshotDate ?d } } LIMIT 5",
    )
    assert missing == []
    assert int(select(store, f"SELECT (COUNT(?f) AS ?n) WHERE {{ {facts} ?f a ?kind }}")[0]["n"]) > 3000


def test_one_named_graph_per_source(store: ox.Store) -> None:
    rows = select(
        store,
        "SELECT ?g WHERE { GRAPH ?g { ?s prov:wasDerivedFrom ?source } "
        'FILTER (!STRSTARTS(STR(?g), "https://w3id.org/tfkg/graph/source/")) '
        # derived bindings cite their premises, not a source: they live in their own graph
        "FILTER (?g != <https://w3id.org/tfkg/graph/derived>) } LIMIT 3",
    )
    assert rows == []
    mixed = select(
        store,
        "SELECT ?g WHERE { GRAPH ?g { ?s prov:wasDerivedFrom ?source } "
        "FILTER (?g != <https://w3id.org/tfkg/graph/derived>) } GROUP BY ?g HAVING (COUNT(DISTINCT ?source) > 1)",
    )
    assert mixed == []


def test_jurisdictions_cover_iso_3166_the_eu_and_kosovo(store: ox.Store) -> None:
    iso = select(store, "SELECT (COUNT(DISTINCT ?j) AS ?n) WHERE { ?j tfkg:isoNumeric ?code }")
    assert int(iso[0]["n"]) == 249
    assert ask(store, "ASK { jurisdiction:XKX a tfkg:Jurisdiction ; rdfs:label ?l }")
    assert ask(store, "ASK { jurisdiction:FRO a tfkg:Territory ; tfkg:partOf jurisdiction:DNK }")


def test_at_least_25_organizations_with_memberships(store: ox.Store) -> None:
    rows = select(
        store, "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?o a/rdfs:subClassOf* tfkg:CooperationBody }"
    )
    assert int(rows[0]["n"]) >= 25
    for body, at_least in (("egmont-group", 182), ("fatf", 38), ("interpol", 180), ("european-union", 28)):
        members = select(
            store,
            f"SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE {{ ?x org:organization organization:{body} ; org:member ?m }}",
        )
        assert int(members[0]["n"]) >= at_least, body


def test_uk_left_the_eu_on_2020_01_31(store: ox.Store) -> None:
    rows = select(
        store,
        "SELECT ?end WHERE { ?m org:organization organization:european-union ; org:member jurisdiction:GBR ; "
        "org:memberDuring/time:hasEnd/time:inXSDDate ?end }",
    )
    assert rows == [{"end": "2020-01-31"}]


def test_every_source_has_one_kind_from_the_scheme(store: ox.Store) -> None:
    rows = select(
        store,
        "SELECT ?source (COUNT(?kind) AS ?n) WHERE { ?source a tfkg:Source . "
        "OPTIONAL { ?source tfkg:sourceKind ?kind . "
        "?kind skos:inScheme <https://w3id.org/tfkg/id/scheme/source-kinds> } } GROUP BY ?source",
    )
    assert len(rows) > 60 and all(r["n"] == "1" for r in rows), [r for r in rows if r["n"] != "1"]


def test_a_copy_is_dated_by_the_copy_not_by_the_facts_it_reports(store: ox.Store) -> None:
    """The Kiwix copy of October 2023 states the EAW in force since 1 Jan 2004: its snapshot is
    the copy's month, not 2004-01-01."""
    rows = select(
        store,
        "SELECT ?date ?period WHERE { <https://w3id.org/tfkg/id/source/wikipedia-eaw-2023-10> "
        "tfkg:snapshotDate ?date ; tfkg:snapshotPeriod ?period }",
    )
    assert rows == [{"date": "2023-10-01", "period": "2023-10"}]


def test_every_eu_member_has_an_eio_statement(dataset: Path) -> None:
    """Malta has no national source, but the EVIDENCE2e-CODEX article says every member state
    but Denmark and Ireland took part from 15 September 2018: no gap is left to report."""
    report = coverage(dataset)
    what = "EU member states with no EIO application statement"
    assert report.gaps.get(what, 0) == 0, report.gap_members.get(what)


def test_malta_applies_the_eio_no_later_than_september_2018(store: ox.Store) -> None:
    assert ask(
        store,
        "ASK { ?a a tfkg:InstrumentApplication ; tfkg:instrument instrument:eio-directive ; "
        "tfkg:party jurisdiction:MLT ; tfkg:validDuring/time:hasBeginning/tfkg:notLaterThan "
        '"2018-09-15"^^xsd:date }',
    )


@pytest.mark.parametrize(
    ("state", "start"),
    [("LTU", 'time:inXSDDate "2017-06-15"'), ("FRA", 'tfkg:notLaterThan "2017-05-23"')],
)
def test_eio_application_starts_keep_their_precision(store: ox.Store, state: str, start: str) -> None:
    assert ask(
        store,
        f"ASK {{ ?a tfkg:instrument instrument:eio-directive ; tfkg:party jurisdiction:{state} ; tfkg:bound true ; "
        f"tfkg:validDuring/time:hasBeginning/{start}^^xsd:date }}",
    )


def test_an_eio_act_known_only_by_its_date_is_a_lower_bound(store: ox.Store) -> None:
    """Italy's transposing decree was published on 2017-07-13: it applied no earlier than that."""
    rows = select(
        store,
        "SELECT ?comment WHERE { ?a a tfkg:InstrumentApplication ; tfkg:instrument instrument:eio-directive ; "
        "tfkg:party jurisdiction:ITA ; tfkg:bound true ; rdfs:comment ?comment ; "
        'tfkg:validDuring/time:hasBeginning/tfkg:notEarlierThan "2017-07-13"^^xsd:date }',
    )
    assert len(rows) == 1 and "entry into force not in the source" in rows[0]["comment"]
