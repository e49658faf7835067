"""The pages for people (a step towards issue 7): pathway finder and named-query forms,
rendered on the server and usable without JavaScript. Browser tests come with issue 7."""

from __future__ import annotations

import html
import json
from dataclasses import replace
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tfkg.config import Settings
from tfkg.web import create_app

from .test_linked_data import _Checker


@pytest.fixture(scope="module")
def client(settings: Settings, built_dataset: Path) -> FlaskClient:
    return create_app(replace(settings, dataset=str(built_dataset))).test_client()


def well_formed(page: str) -> str:
    checker = _Checker()
    checker.feed(page)
    assert checker.open == [] and checker.h1.strip()
    return page


def test_pathway_finder_form_has_labelled_fields(client: FlaskClient) -> None:
    page = well_formed(client.get("/pathways").get_data(as_text=True))
    for field in ("from", "to", "crime", "measure", "on"):
        assert f'<label for="{field}"' in page and f'id="{field}"' in page
    assert 'value="drug-trafficking"' in page and 'value="extradition"' in page


def test_pathway_finder_answers_in_plain_language_with_sources(client: FlaskClient) -> None:
    query = "from=CHE&to=DEU&crime=trafficking-in-persons&measure=extradition&on=2015-01-01"
    page = well_formed(client.get(f"/pathways?{query}").get_data(as_text=True))
    assert "Protocol to Prevent, Suppress and Punish Trafficking in Persons" in page
    assert "in force for it from 2006-11-26" in page and "2018-01-15" in page
    assert f"/api/pathways?{query}" in page.replace("&amp;", "&")
    assert "Checked but not applicable" in page


def test_pathway_finder_explains_bad_input(client: FlaskClient) -> None:
    page = client.get("/pathways?from=Swizerland&to=DEU&crime=drug-trafficking&measure=extradition").get_data(
        as_text=True
    )
    assert 'role="alert"' in page and "Switzerland (CHE)" in page and "Traceback" not in page


def test_query_forms_are_generated_from_declarations(client: FlaskClient) -> None:
    listing = well_formed(client.get("/queries").get_data(as_text=True))
    assert listing.count("/queries/") >= 15
    form = well_formed(client.get("/queries/parties_on_date").get_data(as_text=True))
    assert '<label for="instrument">' in form and 'type="date"' in form
    result = well_formed(
        client.get("/queries/parties_on_date?instrument=untoc-tip&on=2010-01-01").get_data(as_text=True)
    )
    assert result.count("<tr>") > 100 and "format=csv" in result
    bad = html.unescape(
        client.get("/queries/parties_on_date?instrument=untoc-tip&on=2010-13-01").get_data(as_text=True)
    )
    assert "Cannot run" in bad and "parameter 'on'" in bad


BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_sparql_gives_browsers_the_workbench_and_tools_the_description(client: FlaskClient) -> None:
    page = client.get("/sparql", headers={"Accept": BROWSER})
    assert page.mimetype == "text/html"
    text = well_formed(page.get_data(as_text=True))
    assert "/assets/vendor/yasgui.min.js" in text and 'id="workbench-config"' in text
    for accept in (None, "*/*", "text/turtle", "application/rdf+xml"):
        reply = client.get("/sparql", headers={"Accept": accept} if accept else {})
        assert reply.mimetype != "text/html", accept
    assert client.get("/sparql?format=turtle", headers={"Accept": BROWSER}).mimetype == "text/turtle"


def test_workbench_offers_every_named_query_as_standalone_sparql(client: FlaskClient) -> None:
    page = client.get("/sparql", headers={"Accept": BROWSER}).get_data(as_text=True)
    start = page.index('id="workbench-config">') + len('id="workbench-config">')
    config = json.loads(page[start : page.index("</script>", start)])
    assert config["endpoint"].endswith("/sparql")
    assert config["prefixes"]["tfkg"] == "https://w3id.org/tfkg/ontology#"
    assert "https://w3id.org/tfkg/ontology#TreatyAction" in config["vocabulary"]["class"]
    assert "http://www.w3.org/ns/org#member" in config["vocabulary"]["property"]
    examples = {e["name"]: e["text"] for e in config["examples"]}
    assert len(examples) >= 15
    assert "VALUES (?instrument ?on)" in examples["parties_on_date"]
    assert all("#+" not in text for text in examples.values())


def test_front_end_files_are_served_locally_and_only_those(client: FlaskClient) -> None:
    with client.get("/assets/vendor/cytoscape.min.js") as script:
        assert script.status_code == 200 and script.mimetype == "text/javascript"
    refused = client.get("/assets/vendor/package.json")
    assert refused.status_code == 404 and "yasgui.min.js" in refused.get_json()["error"]["message"]
    with client.get("/static/workbench.js") as own:
        assert own.status_code == 200


def test_home_page_shows_the_currency_of_the_data(client: FlaskClient) -> None:
    page = well_formed(client.get("/").get_data(as_text=True))
    assert "How current the data is" in page and "2018-01-15" in page and "not yet in tfkg" in page
    assert "No party table in the sources yet" in page
    assert "196 members" in page and "40 founding participants" in page, (
        "INTERPOL 2023; AFRIPOL's declaration"
    )
    assert "Agreements of the bodies with partners" in page
