"""The bodies' members and agreements (issue 14 item 6): the conversions of the curated 2026-12
tables, the third states that take part in the EU agencies by agreement, and how both show.

Expected values are written from the curated tables and their READMEs
(shared/sources/curated-2026-12/{interpol_membership_2015-2024, regional_police_bodies,
europol_third_country_agreements, eurojust_third_country_agreements}), not from tfkg's output.
"""

from __future__ import annotations

import csv
import itertools
from dataclasses import replace
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pytest

from tfkg.build.coverage import coverage
from tfkg.build.partners import agreement_participation_triples
from tfkg.build.premises import Facts
from tfkg.config import Settings
from tfkg.errors import DataError
from tfkg.importers.body_agreements import import_eurojust_agreements, import_europol_agreements, signature
from tfkg.importers.interpol import import_factbook_members, import_interpol_admissions
from tfkg.importers.regional_police import import_regional_police
from tfkg.namespaces import ORG, TFKG
from tfkg.web import create_app

CURATED = "sources/curated-2026-12"
ADMISSIONS = f"{CURATED}/interpol_membership_2015-2024/interpol_membership_changes_2015_2024.csv"
REGIONAL = f"{CURATED}/regional_police_bodies/regional_police_body_members.csv"
EUROPOL = f"{CURATED}/europol_third_country_agreements/europol_agreements.csv"
EUROJUST = f"{CURATED}/eurojust_third_country_agreements/eurojust_cooperation_agreements.csv"
FACTBOOK = "sources/memberships/factbook_intl_org_participation_2026-01.csv"
ID = "https://w3id.org/tfkg/id/"


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def by_member(path: Path) -> dict[str, list[dict[str, str]]]:
    found: dict[str, list[dict[str, str]]] = {}
    for row in rows(path):
        found.setdefault(row["member"].removeprefix("jurisdiction/"), []).append(row)
    return found


def by_partner(path: Path) -> dict[str, dict[str, str]]:
    return {r["partner"].removeprefix("jurisdiction/"): r for r in rows(path)}


# --- INTERPOL ----------------------------------------------------------------------------------


def test_interpol_admissions_keep_their_day_and_their_source_kind(scratch: Settings, shared: Path) -> None:
    count, left_out = import_interpol_admissions(scratch, shared / ADMISSIONS)
    members = by_member(scratch.data_dir / "memberships" / "interpol-2015-2023.csv")
    assert count == 6 and sorted(members) == ["FSM", "KIR", "PLW", "PSE", "SLB", "VUT"]
    assert members["PSE"][0]["start"] == members["SLB"][0]["start"] == "2017-09-27"
    assert members["FSM"][0]["start"] == "2021-11-23"
    # Palau: '28 or 29 Nov 2023'; the copy of INTERPOL's release is dated 29 November
    assert members["PLW"][0]["start"] == "<=2023-11-29"
    assert left_out == ["Kosovo (application rejected (not admitted), 2018-11-20)"]
    kinds = {r["key"]: r["kind"] for r in rows(scratch.data_dir / "sources.csv")}
    assert kinds[members["PSE"][0]["source"]] == "source-kind/news", "B92/Tanjug is news and stays news"
    assert kinds[members["FSM"][0]["source"]] == "source-kind/official"


def test_the_factbook_is_read_only_for_the_members_named(scratch: Settings, shared: Path) -> None:
    count = import_factbook_members(
        scratch, shared / FACTBOOK, "interpol", ["WSM", "VAT"], "2026-01-22", "fb"
    )
    members = by_member(scratch.data_dir / "memberships" / "interpol-factbook.csv")
    assert count == 2 and {k: v[0]["start"] for k, v in members.items()} == {
        "WSM": "<=2026-01-22",
        "VAT": "<=2026-01-22",
    }
    with pytest.raises(DataError, match="lists no interpol membership of PRK"):
        import_factbook_members(scratch, shared / FACTBOOK, "interpol", ["PRK"], "2026-01-22", "fb")


# --- regional police bodies ---------------------------------------------------------------------


def test_regional_bodies_have_the_members_their_sources_count(scratch: Settings, shared: Path) -> None:
    """README (a): SELEC 11, ASEANAPOL 10, AMERIPOL 27 countries, AFRIPOL 40, GCCPOL 6, CARICC 7,
    SARPCCO 15, EAPCCO 12, WAPCCO 16, CCPAC 8, MAOC (N) 7."""
    _, left_out = import_regional_police(scratch, shared / REGIONAL, "2026-12")
    stated = {"selec": 11, "aseanapol": 10, "ameripol": 27, "afripol": 40, "gccpol": 6, "caricc": 7}
    stated |= {"sarpcco": 15, "eapcco": 12, "wapcco": 16, "ccpac": 8, "maoc-n": 7}
    members = {body: len(by_member(scratch.data_dir / "memberships" / f"{body}.csv")) for body in stated}
    assert members == stated
    assert sum("Constitutive Treaty" in item for item in left_out) == 13, "a signature binds no one"
    assert {item.split(": ")[1].split(" (")[0] for item in left_out if "2012 profile" in item} == {
        "Croatia",
        "Slovenia",
    }


def test_regional_dates_say_not_later_than_and_joined(scratch: Settings, shared: Path) -> None:
    import_regional_police(scratch, shared / REGIONAL, "2026-12")
    folder = scratch.data_dir / "memberships"
    eapcco, aseanapol = by_member(folder / "eapcco.csv"), by_member(folder / "aseanapol.csv")
    assert [r["start"] for r in eapcco["KEN"]] == ["<=2012-04-25"], "listed on a page dated 25 April 2012"
    assert sorted(r["start"] for r in eapcco["SSD"]) == ["<=2011-09-30", "<=2012-04-25"], "joined Sept 2011"
    brunei = {r["start"]: r["source"] for r in aseanapol["BRN"]}
    assert set(brunei) == {"1984", "<=2012-05-06"}
    assert brunei["1984"] == "aseanapol-history-pdfcookie", "the year joined cites the history that states it"
    assert {r["start"] for r in by_member(folder / "caricc.csv")["KAZ"]} == {"<=2026-12-31"}, "undated page"
    assert {r["role"] for rs in by_member(folder / "afripol.csv").values() for r in rs} == {
        "role/founding-participant"
    }
    assert {r["role"] for rs in by_member(folder / "maoc-n.csv").values() for r in rs} == {"role/partner"}


def test_a_curated_table_with_other_columns_fails_with_file_and_line(
    scratch: Settings, tmp_path: Path
) -> None:
    bad = tmp_path / "members.csv"
    bad.write_text("body,member\nSELEC,Albania\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"expected the columns body,member,iso3") as error:
        import_regional_police(scratch, bad, "2026-12")
    assert f"{bad}:1" in str(error.value)


# --- Europol and Eurojust agreements -----------------------------------------------------------


def test_europol_agreement_dates_keep_their_precision(scratch: Settings, shared: Path) -> None:
    count, left_out = import_europol_agreements(scratch, shared / EUROPOL, {"EGY": "undated"})
    agreements = by_partner(scratch.data_dir / "agreements" / "europol.csv")
    swiss = agreements["CHE"]
    assert (swiss["signed"], swiss["entry_into_force"], swiss["allows_personal_data"]) == (
        "2004-09-24",
        "2006-03-01",
        "true",
    )
    assert agreements["HRV"]["signed"] == "2006-01" and agreements["UKR"]["signed"] == "2016-12"
    assert agreements["GEO"]["signed"] == "<=2017-04-05", "an article's date, without 'today'"
    assert agreements["CHN"]["signed"] == "2017-04-19", "the article says 'oggi'"
    assert agreements["SRB"]["signed"] == "<=2009-12-31", "'2008/2009', ratified by a 2009 law"
    assert agreements["BIH"]["signed"] == "", "a scheduled signature is no signature"
    assert agreements["RUS"]["allows_personal_data"] == "false", "a strategic agreement"
    assert agreements["TUR"]["key"] == "europol-turkey-liaison-agreement"
    # of the 27 rows: nine type-only rows from a weak source (one of them, the United States, with
    # its cells shifted so that it has no source URL) and Egypt are reported
    assert count == 17 and len(left_out) == 10
    assert not {"ISL", "NOR", "USA", "COL", "DNK", "LIE", "MCO", "MNE", "MKD", "EGY"} & set(agreements)


def test_eurojust_agreements_keep_only_what_their_own_source_states(scratch: Settings, shared: Path) -> None:
    count, left_out = import_eurojust_agreements(scratch, shared / EUROJUST, {})
    agreements = by_partner(scratch.data_dir / "agreements" / "eurojust.csv")
    assert count == 15 and left_out == []
    assert agreements["CHE"]["entry_into_force"] == "2011-07-22"
    assert agreements["ISL"]["signed"] == "<=2013-06-07" and agreements["USA"]["signed"] == "2006"
    # "2005 (per eucrim)", "2016-10 (month)" from another page, "year inferred": not the row's source
    assert {agreements[k]["entry_into_force"] for k in ("NOR", "MDA", "ALB")} == {""}
    assert {r["allows_personal_data"] for r in agreements.values()} == {""}, "no source says it"
    assert agreements["GBR"]["agreement_type"].endswith("international-agreement-art-218-tfeu")
    dated = [r for r in agreements.values() if r["signed"] or r["entry_into_force"]]
    assert len(dated) >= 12


def test_signature_precision_words() -> None:
    here = Path("t.csv")
    assert signature(here, 2, "", "year 2008") == "2008"
    assert signature(here, 2, "", "unknown (before 2013-06-07)") == "<=2013-06-07"
    assert signature(here, 2, "2016-08-31", "day (scheduled date; signature not confirmed)") == ""
    with pytest.raises(DataError, match=r"t\.csv:3"):
        signature(here, 3, "around 2010", "year")


def test_a_news_source_must_stay_news(scratch: Settings, shared: Path) -> None:
    table = scratch.data_dir / "sources.csv"
    text = table.read_text(encoding="utf-8")
    marked = [line for line in text.splitlines() if line.startswith("eunews-china-europol-2017-04-19,")]
    assert len(marked) == 1
    table.write_text(
        text.replace(marked[0], marked[0].replace("source-kind/news", "source-kind/official")),
        encoding="utf-8",
    )
    with pytest.raises(DataError, match="a news fact stays marked as news"):
        import_europol_agreements(scratch, shared / EUROPOL, {"EGY": "undated"})


# --- taking part by agreement ------------------------------------------------------------------


def _facts(agreements: list[dict[str, str]], members: list[dict[str, str]]) -> Facts:
    rule = {
        "rule": ID + "rule/agreement-participation-europol",
        "kind": "agreement-participation",
        "label": "by agreement",
        "instrument": ID + "instrument/europol-regulation",
        "source": ID + "source/eurlex-europol-regulation",
    }
    return Facts(
        {},
        {},
        {},
        {rule["rule"]: rule},
        [],
        [],
        members,
        [],
        [],
        {rule["instrument"]: ID + "organization/europol"},
        agreements,
    )


def _agreement(
    partner: str, personal: str, in_force: str | None, kind: str = "operational-agreement"
) -> dict[str, str]:
    found = {
        "fact": f"{ID}instrument/europol-{partner}",
        "body": ID + "organization/europol",
        "partner": f"{ID}jurisdiction/{partner}",
        "type": f"{ID}europol-agreement-type/{kind}",
        "personalData": personal,
    }
    return found | ({"inForce": in_force} if in_force else {})


def test_only_an_agreement_in_force_that_lets_data_flow_makes_a_partner() -> None:
    facts = _facts(
        [
            _agreement("CHE", "true", "2006-03-01"),
            _agreement("CAN", "true", None),  # signed only: a signature binds no one
            _agreement("RUS", "false", "2003-11-06", "strategic-agreement"),
            _agreement("HRV", "true", "2010-01-01"),
        ],
        [{"fact": ID + "membership/eu-hrv", "party": ID + "jurisdiction/HRV", "startDate": "2013-07-01"}],
    )
    graph: dict[str, dict[str, list[str]]] = {}
    for s, p, o in agreement_participation_triples(facts):
        graph.setdefault(str(s), {}).setdefault(str(p), []).append(str(o))
    partners = {v[str(ORG.member)][0].rsplit("/", 1)[-1]: k for k, v in graph.items() if str(ORG.member) in v}
    assert sorted(partners) == ["CHE", "HRV"]
    swiss = graph[partners["CHE"]]
    assert swiss[str(ORG.role)] == [ID + "role/partner"]
    assert ID + "instrument/europol-CHE" in swiss["http://www.w3.org/ns/prov#wasDerivedFrom"]
    assert graph[partners["CHE"] + "#start"]["http://www.w3.org/2006/time#inXSDDate"] == ["2006-03-01"]
    assert graph[partners["HRV"] + "#end"]["http://www.w3.org/2006/time#inXSDDate"] == ["2013-06-30"], (
        "from accession Croatia takes part through the Regulation"
    )
    assert str(TFKG.DerivedMembership) in swiss["http://www.w3.org/1999/02/22-rdf-syntax-ns#type"]


# --- what the build, `tfkg stats` and /doc pages show --------------------------------------------


def test_stats_show_the_bodies_with_their_dates(built_dataset: Path) -> None:
    report = coverage(built_dataset)
    organizations = {iri.rsplit("/", 1)[-1]: (n, as_of) for iri, _, n, as_of in report.organizations}
    assert report.organization_roles[ID + "organization/interpol"] == {"member": 196}, "INTERPOL 2023: 196"
    assert organizations["interpol"][1].endswith("2026-01-22")
    for body in ("selec", "aseanapol", "ameripol", "afripol", "gccpol", "caricc", "sarpcco", "eapcco"):
        assert organizations[body][0] > 0 and organizations[body][1], body
    for body in ("wapcco", "ccpac", "maoc-n"):
        assert organizations[body][0] > 0 and organizations[body][1], body
    agreements = {a.body.rsplit("/", 1)[-1]: a for a in report.agreements}
    assert agreements["europol"].dated >= 18 and agreements["eurojust"].dated >= 12
    text = report.describe()
    assert "40 founding participants" in text and "7 partners" in text


def test_doc_pages_show_the_kind_of_each_source(
    settings: Settings, built_dataset: Path, tmp_path: Path
) -> None:
    client = create_app(replace(settings, dataset=str(built_dataset), build_dir=tmp_path)).test_client()
    store = ox.Store()
    store.bulk_load(path=str(built_dataset), format=ox.RdfFormat.N_QUADS)
    georgia = client.get("/doc/instrument/europol-georgia-operational-agreement").get_data(as_text=True)
    assert "News report" in georgia and "2017-04-05" in georgia
    palestine = client.get("/doc/jurisdiction/PSE").get_data(as_text=True)
    assert "(news report)" in palestine, "the membership of 2017 rests on news and says so"
    assert date(2017, 9, 27).isoformat() in palestine


def test_an_answer_resting_on_news_says_so(built_dataset: Path) -> None:
    """INTERPOL admitted Palestine on 2017-09-27; tfkg's sources for it are news reports (B92/Tanjug,
    AP), and the channel's reasons carry that kind in the JSON and the text answer."""
    from tfkg.pathways import PathwayService
    from tfkg.pathways.render import render
    from tfkg.store import EmbeddedStore

    service = PathwayService(EmbeddedStore.from_files([built_dataset]))
    answer = service.ask("PSE", "JOR", "organized-crime", "police-information-exchange", "2019-06-01")
    interpol = next(c for c in answer.channels if "INTERPOL" in c.label)
    palestine = next(r for r in interpol.reasons if r.text.startswith("Palestine"))
    assert {f["source_kind"] for f in palestine.as_dict()["facts"]} == {"news"}  # type: ignore[index]
    assert "(2017-09-27, news)" in render(answer)


# --- Member states under the Council Decisions (review 12, root cause 1) ----------------------------


def _agency_spells(built_dataset: Path) -> dict[tuple[str, str], list[tuple[str, str, set[str]]]]:
    store = ox.Store()
    store.bulk_load(path=str(built_dataset), format=ox.RdfFormat.N_QUADS)
    query = """PREFIX tfkg: <https://w3id.org/tfkg/ontology#> PREFIX org: <http://www.w3.org/ns/org#>
        PREFIX time: <http://www.w3.org/2006/time#> PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?m ?org ?party ?from ?until (GROUP_CONCAT(STR(?p); separator=" ") AS ?premises) WHERE {
          ?m a tfkg:DerivedMembership ; org:organization ?org ; org:member ?party ;
             org:role <https://w3id.org/tfkg/id/role/member> ; prov:wasDerivedFrom ?p ;
             org:memberDuring/time:hasBeginning/time:inXSDDate ?from .
          OPTIONAL { ?m org:memberDuring/time:hasEnd/time:inXSDDate ?until } }
        GROUP BY ?m ?org ?party ?from ?until"""
    spells: dict[tuple[str, str], list[tuple[str, str, set[str]]]] = {}
    solutions = store.query(query, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    for row in solutions:
        key = (row["org"].value.rsplit("/", 1)[-1], row["party"].value.rsplit("/", 1)[-1])
        until = row["until"].value if row["until"] is not None else "9999-12-31"
        spells.setdefault(key, []).append((row["from"].value, until, set(row["premises"].value.split())))
    return {key: sorted(value, key=lambda s: s[0]) for key, value in spells.items()}


def test_member_states_take_part_under_the_council_decisions(built_dataset: Path) -> None:
    """Decision 2002/187/JHA takes effect on publication, 6 March 2002 (art. 43), and ends on 11
    December 2019; Decision 2009/371/JHA applies from 1 January 2010 (art. 64(2)) and ends on 30 April
    2017 (EU Monitor key dates). Third-pillar acts: Denmark and Ireland take part; Denmark only until
    the Regulations, which do not bind it (Protocol No 22)."""
    spells = _agency_spells(built_dataset)
    assert [s[:2] for s in spells["europol", "DNK"]] == [("2010-01-01", "2017-04-30")]
    assert [s[:2] for s in spells["eurojust", "DNK"]] == [("2002-03-06", "2019-12-11")]
    assert [s[:2] for s in spells["eurojust", "DEU"]] == [
        ("2002-03-06", "2019-12-11"),
        ("2019-12-12", "9999-12-31"),
    ]
    assert spells["eurojust", "IRL"][0][:2] == ("2002-03-06", "2019-12-11")
    assert spells["eurojust", "HRV"][0][0] == "2013-07-01", "from Croatia's accession"
    assert spells["europol", "POL"][0][:2] == ("2010-01-01", "2017-04-30")


def test_the_uk_took_part_without_a_break_in_2014(built_dataset: Path) -> None:
    """Protocol No 36 art. 10(4): the pre-Lisbon acts ceased to apply to the UK on 1 December 2014;
    it rejoined Europol and Eurojust with immediate effect (Commission Decision 2014/858/EU)."""
    spells = _agency_spells(built_dataset)
    first = spells["eurojust", "GBR"][0]
    assert first[:2] == ("2002-03-06", "2019-12-11")
    assert {ID + "rule/opt-out-eurojust-decision-gbr", ID + "rule/rejoin-eurojust-decision-gbr"} <= first[2]
    assert spells["europol", "GBR"][0][:2] == ("2010-01-01", "2017-04-30")


def test_no_state_holds_two_overlapping_memberships_of_an_eu_body(built_dataset: Path) -> None:
    for key, spells in _agency_spells(built_dataset).items():
        for (_, until, _), (start, _, _) in itertools.pairwise(spells):
            assert until < start, f"{key}: a spell to {until} overlaps one from {start}"
