"""Linked Data: every entity IRI of the built graph dereferences, for people and machines;
the Turtle of entities round-trips to a CONSTRUCT over the endpoint; downloads hold exactly
the built graph."""

from __future__ import annotations

import gzip
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient

from tfkg.config import Settings
from tfkg.describe import DESCRIBE
from tfkg.web import create_app

ID = "https://w3id.org/tfkg/id/"


@pytest.fixture(scope="module")
def client(settings: Settings, built_dataset: Path, tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    configured = replace(settings, dataset=str(built_dataset), build_dir=tmp_path_factory.mktemp("ld-build"))
    return create_app(configured).test_client()


@pytest.fixture(scope="module")
def entities(built_dataset: Path) -> list[str]:
    store = ox.Store()
    store.bulk_load(path=str(built_dataset), format=ox.RdfFormat.N_QUADS)
    rows = store.query(
        f'SELECT DISTINCT ?s WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER (STRSTARTS(STR(?s), "{ID}") && !CONTAINS(STR(?s), "#")) }}'
    )
    return sorted(row["s"].value for row in rows)  # type: ignore[union-attr]


NESTED = ("html", "body", "main", "table", "tr", "td", "th", "h1", "h2", "a", "p", "form", "nav", "header")


NESTED = ("html", "body", "main", "table", "tr", "td", "th", "h1", "h2", "a", "p", "form", "nav", "header")


class _Checker(HTMLParser):
    """Counts unclosed elements of the kinds tfkg's pages nest."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.h1 = ""
        self._in_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in NESTED:
            self.open.append(tag)
        self._in_h1 = tag == "h1"

    def handle_endtag(self, tag: str) -> None:
        if tag not in NESTED:
            return
        assert self.open and self.open[-1] == tag, f"</{tag}> closes <{self.open[-1] if self.open else None}>"
        self.open.pop()
        self._in_h1 = False

    def handle_data(self, data: str) -> None:
        if self._in_h1:
            self.h1 += data


@pytest.mark.slow
def test_every_entity_dereferences_as_html_and_turtle(client: FlaskClient, entities: list[str]) -> None:
    assert len(entities) > 3000
    for iri in entities:
        path = iri.removeprefix(ID)
        page = client.get(f"/id/{path}", headers={"Accept": "text/html"})
        assert page.status_code == 303 and page.headers["Location"].endswith(f"/doc/{path}"), iri
        html = client.get(page.headers["Location"], headers={"Accept": "text/html"})
        assert html.status_code == 200, iri
        checker = _Checker()
        checker.feed(html.get_data(as_text=True))
        assert checker.open == [] and checker.h1.strip(), iri
        data = client.get(f"/id/{path}", headers={"Accept": "text/turtle"})
        assert data.status_code == 303 and data.headers["Location"].endswith(f"/doc/{path}.ttl"), iri
        turtle = client.get(data.headers["Location"])
        assert turtle.status_code == 200 and turtle.mimetype == "text/turtle", iri
        triples = [q.triple for q in ox.parse(turtle.data, format=ox.RdfFormat.TURTLE)]
        assert any(t.subject.value == iri for t in triples), iri


def test_turtle_round_trips_to_the_same_triples_as_a_construct(
    client: FlaskClient, entities: list[str]
) -> None:
    sample = entities[:: max(1, len(entities) // 40)]
    for iri in sample:
        turtle = client.get(f"/doc/{iri.removeprefix(ID)}.ttl")
        page = {q.triple for q in ox.parse(turtle.data, format=ox.RdfFormat.TURTLE)}
        query = DESCRIBE.replace("ENTITY_TEXT", iri).replace("ENTITY", f"<{iri}>")
        construct = client.post("/sparql", data={"query": query}, headers={"Accept": "application/n-triples"})
        endpoint = {q.triple for q in ox.parse(construct.data, format=ox.RdfFormat.N_TRIPLES)}
        assert page == endpoint, iri


@pytest.mark.parametrize(
    ("suffix", "media", "fmt"),
    [
        ("ttl", "text/turtle", ox.RdfFormat.TURTLE),
        ("jsonld", "application/ld+json", ox.RdfFormat.JSON_LD),
        ("rdf", "application/rdf+xml", ox.RdfFormat.RDF_XML),
        ("nt", "application/n-triples", ox.RdfFormat.N_TRIPLES),
    ],
)
def test_each_rdf_format_by_accept_and_by_extension(
    client: FlaskClient, suffix: str, media: str, fmt: ox.RdfFormat
) -> None:
    by_accept = client.get("/id/instrument/untoc", headers={"Accept": media})
    assert by_accept.status_code == 303 and by_accept.headers["Location"].endswith(f".{suffix}")
    assert by_accept.headers["Vary"] == "Accept"
    reply = client.get(f"/doc/instrument/untoc.{suffix}")
    assert reply.mimetype == media and len(list(ox.parse(reply.data, format=fmt))) > 100
    assert reply.headers["ETag"] and reply.headers["Last-Modified"]
    again = client.get(f"/doc/instrument/untoc.{suffix}", headers={"If-None-Match": reply.headers["ETag"]})
    assert again.status_code == 304


def test_pages_speak_plain_language(client: FlaskClient) -> None:
    page = client.get("/doc/jurisdiction/CHE").get_data(as_text=True)
    assert "Switzerland" in page and "in force for it from 2006-11-26" in page
    assert "Sources" in page and "2014-01-27" in page
    treaty = client.get("/doc/instrument/untoc").get_data(as_text=True)
    assert treaty.count("<tr>") > 150, "a treaty page lists its parties' actions"


def test_unknown_keys_404_helpfully_and_406_when_nothing_fits(client: FlaskClient) -> None:
    page = client.get("/id/jurisdiction/ATLANTIS", headers={"Accept": "text/html"})
    assert page.status_code == 404 and "Search" in page.get_data(as_text=True)
    data = client.get("/id/jurisdiction/ATLANTIS", headers={"Accept": "text/turtle"})
    assert data.status_code == 404 and data.get_json()["error"]["status"] == 404
    assert client.get("/id/jurisdiction/CHE", headers={"Accept": "image/png"}).status_code == 406


def test_search_by_name_and_code(client: FlaskClient) -> None:
    assert client.get("/search?q=CH&format=json").get_json()["results"][0]["label"] == "Switzerland"
    untc = client.get("/search?q=XVIII-12-a", headers={"Accept": "application/json"}).get_json()["results"]
    assert untc[0]["iri"] == ID + "instrument/untoc-tip"
    assert "Switzerland" in client.get("/search?q=switz").get_data(as_text=True)


def test_search_tells_apart_concepts_that_share_a_label(client: FlaskClient) -> None:
    hits = client.get("/search?q=Firearms trafficking&format=json").get_json()["results"]
    same = [h for h in hits if h["label"] == "Firearms trafficking" and h["kind"] == "Concept"]
    assert len(same) >= 2 and len({h["scheme"] for h in same}) == len(same)


def test_ontology_by_accept(client: FlaskClient) -> None:
    assert client.get("/ontology", headers={"Accept": "text/turtle"}).mimetype == "text/turtle"
    assert (
        client.get("/ontology", headers={"Accept": "application/ld+json"}).mimetype == "application/ld+json"
    )
    assert client.get("/ontology/0.1.0", headers={"Accept": "application/rdf+xml"}).status_code == 200


def test_downloads_contain_exactly_the_built_graph(client: FlaskClient, built_dataset: Path) -> None:
    built = set(ox.parse(path=str(built_dataset), format=ox.RdfFormat.N_QUADS))
    nq = client.get("/downloads/tfkg.nq.gz")
    assert set(ox.parse(gzip.decompress(nq.data), format=ox.RdfFormat.N_QUADS)) == built
    trig = client.get("/downloads/tfkg.trig.gz")
    assert set(ox.parse(gzip.decompress(trig.data), format=ox.RdfFormat.TRIG)) == built
    ttl = client.get("/downloads/tfkg.ttl.gz")
    assert {q.triple for q in ox.parse(gzip.decompress(ttl.data), format=ox.RdfFormat.TURTLE)} == {
        q.triple for q in built
    }
    dcat = client.get("/downloads/dcat.ttl").get_data(as_text=True)
    assert "dcat:Distribution" in dcat and "tfkg.trig.gz" in dcat


def test_a_bilateral_treaty_page_names_its_partners_and_its_sources_kind(client: FlaskClient) -> None:
    """A fact from a secondary source says so on its page (here FindLaw, a legal database, and
    the State Department's INCSR, official) beside its snapshot date."""
    page = client.get("/doc/instrument/nld-usa-mla-1981-06-12").get_data(as_text=True)
    assert "Netherlands–United States mutual legal assistance treaty" in page
    assert "Kind of source" in page and "Legal database" in page
    application = client.get("/doc/application/nld-usa-mla-1981-06-12/NLD/1983-09-15").get_data(as_text=True)
    assert "Legal database" in application and "1990-01-24" in application
