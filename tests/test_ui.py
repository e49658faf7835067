"""The pages for people (a step towards issue 7): pathway finder and named-query forms,
rendered on the server and usable without JavaScript. Browser tests come with issue 7."""

from __future__ import annotations

import html
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
    page = client.get("/pathways?from=Switzerlnd&to=DEU&crime=drug-trafficking&measure=extradition").get_data(
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
