"""The JSON API on the real built graph: catalogue, named queries, pathways, OpenAPI."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from openapi_spec_validator import validate

from tfkg.config import Settings
from tfkg.web import create_app


@pytest.fixture(scope="module")
def client(settings: Settings, built_dataset: Path) -> FlaskClient:
    return create_app(replace(settings, dataset=str(built_dataset))).test_client()


def test_openapi_document_is_valid_and_lists_every_query(client: FlaskClient) -> None:
    document = client.get("/api/openapi.json").get_json()
    validate(document)
    names = {q["name"] for q in client.get("/api/queries").get_json()["queries"]}
    assert len(names) >= 15
    assert {f"/api/queries/{n}" for n in names} | {"/api/pathways", "/api/queries"} == set(document["paths"])


def test_every_named_query_runs_its_first_example(client: FlaskClient) -> None:
    for entry in client.get("/api/queries").get_json()["queries"]:
        example = entry["examples"][0] if entry["examples"] else {}
        reply = client.get(f"/api/queries/{entry['name']}", query_string=example)
        assert reply.status_code == 200, (entry["name"], reply.get_json())
        assert reply.get_json()["results"]["bindings"], f"{entry['name']} example returned no rows"


def test_named_query_as_csv_and_by_accept(client: FlaskClient) -> None:
    entry = client.get("/api/queries").get_json()["queries"][0]
    example = entry["examples"][0] if entry["examples"] else {}
    reply = client.get(f"/api/queries/{entry['name']}", query_string={**example, "format": "csv"})
    assert (
        reply.mimetype == "text/csv" and len(list(csv.reader(io.StringIO(reply.get_data(as_text=True))))) > 1
    )
    xml = client.get(
        f"/api/queries/{entry['name']}",
        query_string=example,
        headers={"Accept": "application/sparql-results+xml"},
    )
    assert xml.mimetype == "application/sparql-results+xml"


def test_undeclared_and_ill_typed_parameters_are_400_naming_them(client: FlaskClient) -> None:
    entries = client.get("/api/queries").get_json()["queries"]
    reply = client.get(f"/api/queries/{entries[0]['name']}", query_string={"nonsense": "1"})
    error = reply.get_json()["error"]
    assert (
        reply.status_code == 400 and error["parameter"] == "nonsense" and "parameters are" in error["message"]
    )
    dated = next(e for e in entries if any(p["type"] == "date" for p in e["parameters"]))
    name = next(p["name"] for p in dated["parameters"] if p["type"] == "date")
    reply = client.get(
        f"/api/queries/{dated['name']}",
        query_string={**(dated["examples"][0] if dated["examples"] else {}), name: "2018-13-45"},
    )
    assert reply.status_code == 400 and reply.get_json()["error"]["parameter"] == name
    assert client.get("/api/queries/no_such_query").status_code == 404


def test_pathway_json_carries_reasons_and_sources(client: FlaskClient) -> None:
    reply = client.get(
        "/api/pathways",
        query_string={
            "from": "CHE",
            "to": "DEU",
            "crime": "trafficking-in-persons",
            "measure": "extradition",
            "on": "2015-01-01",
        },
    )
    body = reply.get_json()
    assert reply.status_code == 200
    first = body["legal_bases"][0]
    assert first["reasons"] and first["sources"] and all("snapshot" in s for s in first["sources"])
    assert body["checked"]["instruments"] > 20 and body["rejected"]
    assert body["question"]["on"] == "2015-01-01"


def test_pathway_accepts_names_people_type(client: FlaskClient) -> None:
    reply = client.get(
        "/api/pathways",
        query_string={
            "from": "UK",
            "to": "Ivory Coast",
            "crime": "drug-trafficking",
            "measure": "extradition",
        },
    )
    assert reply.status_code == 200
    question = reply.get_json()["question"]
    assert question["from"]["iri"].endswith("/jurisdiction/GBR")
    assert question["to"]["iri"].endswith("/jurisdiction/CIV")


def test_pathway_csv(client: FlaskClient) -> None:
    reply = client.get(
        "/api/pathways",
        query_string={
            "from": "CH",
            "to": "DE",
            "crime": "drug-trafficking",
            "measure": "extradition",
            "format": "csv",
        },
    )
    rows = list(csv.DictReader(io.StringIO(reply.get_data(as_text=True))))
    assert rows and {"section", "status", "label", "reasons", "sources"} <= set(rows[0])


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"to": "DEU", "crime": "drug-trafficking", "measure": "extradition"}, "from"),
        ({"from": "Swizerland", "to": "DEU", "crime": "drug-trafficking", "measure": "extradition"}, "from"),
        ({"from": "CHE", "to": "DEU", "crime": "drugs", "measure": "extradition"}, "crime"),
        ({"from": "CHE", "to": "DEU", "crime": "drug-trafficking", "measure": "surrender"}, "measure"),
        (
            {
                "from": "CHE",
                "to": "DEU",
                "crime": "drug-trafficking",
                "measure": "extradition",
                "on": "yesterday",
            },
            "on",
        ),
    ],
)
def test_pathway_errors_name_the_parameter(
    client: FlaskClient, params: dict[str, str], parameter: str
) -> None:
    reply = client.get("/api/pathways", query_string=params)
    assert reply.status_code == 400
    assert reply.get_json()["error"]["parameter"] == parameter


def test_pathway_inside_one_state_is_refused(client: FlaskClient) -> None:
    """French Guiana is part of France (ISO 3166-2:FR): an order from France to it is not
    international cooperation (an EIO goes "to another Member State", Dir. 2014/41 art. 1(1))."""
    params = {"from": "FRA", "to": "GUF", "crime": "drug-trafficking", "measure": "mutual-legal-assistance"}
    reply = client.get("/api/pathways", query_string={**params, "on": "2019-06-01"})
    assert reply.status_code == 400
    assert "both part of France" in reply.get_json()["error"]["message"]


def test_unknown_concept_lists_every_key(client: FlaskClient) -> None:
    """A user who mistypes a crime sees every accepted key, not the first fifteen."""
    reply = client.get(
        "/api/pathways",
        query_string={
            "from": "FRA",
            "to": "DEU",
            "crime": "zzzz",
            "measure": "extradition",
            "on": "2020-01-01",
        },
    )
    assert reply.status_code == 400
    message = reply.get_json()["error"]["message"]
    assert (
        "organized-crime" in message and "wildlife-crime" in message and "trafficking-in-persons" in message
    )
