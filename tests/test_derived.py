"""graph/derived through the SPARQL endpoint: what the pathway engine reads, SPARQL users read.

Every binding names its rule and premises, every rule cites an article, and the answers a
legal researcher would ask for by SPARQL are the ones the law gives (expected values from the
rows and articles cited in each test, not from tfkg's output).
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tfkg.build.derive import DERIVED_GRAPH
from tfkg.config import Settings
from tfkg.web import create_app

PREFIXES = """PREFIX tfkg: <https://w3id.org/tfkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX time: <http://www.w3.org/2006/time#>
"""


@pytest.fixture(scope="module")
def client(settings: Settings, built_dataset: Path, tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    configured = replace(settings, dataset=str(built_dataset), build_dir=tmp_path_factory.mktemp("derived"))
    return create_app(configured).test_client()


def rows(client: FlaskClient, query: str) -> list[dict[str, str]]:
    reply = client.get("/sparql", query_string={"query": PREFIXES + query})
    assert reply.status_code == 200, reply.get_data(as_text=True)
    return [{k: v["value"] for k, v in b.items()} for b in json.loads(reply.data)["results"]["bindings"]]


def test_every_derived_statement_has_its_rule_its_premises_and_a_reason(client: FlaskClient) -> None:
    """Bindings and the derived memberships in Europol and Eurojust alike."""
    lacking = rows(
        client,
        f"""SELECT ?b WHERE {{ GRAPH <{DERIVED_GRAPH}> {{ ?b a ?kind }}
              VALUES ?kind {{ tfkg:Binding tfkg:DerivedMembership }}
              FILTER (NOT EXISTS {{ ?b tfkg:derivedBy/tfkg:restsOn ?article }}
                      || NOT EXISTS {{ ?b prov:wasDerivedFrom ?premise }}
                      || NOT EXISTS {{ ?b rdfs:comment ?why }}) }} LIMIT 5""",
    )
    assert lacking == []
    assert int(rows(client, "SELECT (COUNT(*) AS ?n) WHERE { ?b a tfkg:Binding }")[0]["n"]) > 1500


def test_who_applied_the_eio_on_a_date_is_a_plain_query(client: FlaskClient) -> None:
    """On 2019-01-01 every member state but Denmark and Ireland applied the EIO (EJN and national
    gazettes; every participating state by 2018-09-15), the UK too (a member until 2020), and EU
    law applies in France's outermost regions as in the rest of France, and in Gibraltar through
    the UK (TFEU art. 355(3))."""
    found = rows(
        client,
        """SELECT DISTINCT ?code WHERE {
             ?b a tfkg:Binding ; tfkg:instrument <https://w3id.org/tfkg/id/instrument/eio-directive> ; tfkg:bound true ;
                tfkg:party/tfkg:isoAlpha3 ?code ; tfkg:validDuring/time:hasBeginning ?start .
             OPTIONAL { ?start time:inXSDDate ?day } OPTIONAL { ?start tfkg:notLaterThan ?nlt }
             FILTER (COALESCE(?day, ?nlt) <= "2019-01-01"^^<http://www.w3.org/2001/XMLSchema#date>) }""",
    )
    codes = {r["code"] for r in found}
    outermost = {"GLP", "GUF", "MTQ", "MYT", "REU", "MAF"}  # TFEU arts. 349, 355(1): through France
    assert not codes & {"DNK", "IRL"} and {"GBR", "GIB"} <= codes and outermost <= codes
    assert len(codes) == 25 + 1 + 6 + 1, (
        "the 25 participating states, the UK, France's outermost regions, Gibraltar"
    )


def test_the_graph_is_described_where_graphs_are_listed(client: FlaskClient) -> None:
    page = client.get("/graph/derived", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "Who is bound by which instrument" in page
    void = client.get("/void", headers={"Accept": "text/turtle"}).get_data(as_text=True)
    assert str(DERIVED_GRAPH) in void and "Who is bound by which instrument" in void


@pytest.mark.parametrize(
    ("deposit", "in_force"),
    [
        # the Council of Europe chart's own dates for the Convention on Cybercrime
        # (data/treaty-actions/ets-185.csv): Austria, Belgium, Finland, Armenia
        ("2012-06-13", "2012-10-01"),
        ("2012-08-20", "2012-12-01"),
        ("2007-05-24", "2007-09-01"),
        ("2006-10-12", "2007-02-01"),
        # a deposit on the first day, and a period that ends in a short February
        ("2009-10-01", "2010-02-01"),
        ("2003-11-30", "2004-03-01"),
    ],
)
def test_months_after_deposit_give_the_first_day_of_the_following_month(deposit: str, in_force: str) -> None:
    """Convention on Cybercrime art. 36(4): 'the first day of the month following the expiration
    of a period of three months after the date of' the deposit."""
    from datetime import date

    from tfkg.build.derive import first_of_month_after

    assert first_of_month_after(date.fromisoformat(deposit), 3) == date.fromisoformat(in_force)


def test_germany_is_bound_by_the_budapest_convention_from_the_computed_day(client: FlaskClient) -> None:
    """Germany ratified on 2009-03-09 (the 2015 chart's row is cut short before its entry into
    force): art. 36(4) gives 2009-07-01, and the binding names the article among its premises."""
    found = rows(
        client,
        """SELECT ?start ?premise WHERE { GRAPH ?g {
             ?b a tfkg:Binding ; tfkg:instrument <https://w3id.org/tfkg/id/instrument/ets-185> ;
                tfkg:party <https://w3id.org/tfkg/id/jurisdiction/DEU> ; tfkg:bound true ;
                tfkg:validDuring/time:hasBeginning/time:inXSDDate ?start ; prov:wasDerivedFrom ?premise } }""",
    )
    assert {r["start"] for r in found} == {"2009-07-01"}
    assert "https://w3id.org/tfkg/id/provision/ets-185-art-36" in {r["premise"] for r in found}
