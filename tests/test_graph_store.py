"""Named graphs dereference at their IRIs (/graph/...) and through the read side of the SPARQL
Graph Store Protocol (/store?graph=..., ?default), on the real build: each answer holds exactly
its graph's triples; the protocol's errors and tfkg's read-only rule are clear."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient

from tfkg.config import Settings
from tfkg.web import create_app

GRAPH = "https://w3id.org/tfkg/graph/"
EGMONT = "source/egmont-members-2026-07-17"
MEDIA = ["text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"]


@pytest.fixture(scope="module")
def store(built_dataset: Path) -> ox.Store:
    loaded = ox.Store()
    loaded.bulk_load(path=str(built_dataset), format=ox.RdfFormat.N_QUADS)
    return loaded


@pytest.fixture(scope="module")
def client(settings: Settings, built_dataset: Path, tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    configured = replace(settings, dataset=str(built_dataset), build_dir=tmp_path_factory.mktemp("gs-build"))
    return create_app(configured).test_client()


def _ground(triples: list[ox.Triple]) -> set[ox.Triple]:
    """The triples without blank nodes (those are renamed by every serialization)."""
    return {
        t
        for t in triples
        if not isinstance(t.subject, ox.BlankNode) and not isinstance(t.object, ox.BlankNode)
    }


def _triples(body: bytes, media: str) -> list[ox.Triple]:
    return [q.triple for q in ox.parse(body, format=ox.RdfFormat.from_media_type(media.split(";")[0]))]


def _in_store(store: ox.Store, graph: str | None) -> list[ox.Triple]:
    if graph is None:
        return [t for t in store.query("CONSTRUCT WHERE { ?s ?p ?o }", use_default_graph_as_union=True)]  # type: ignore[union-attr]
    return [q.triple for q in store.quads_for_pattern(None, None, None, ox.NamedNode(graph))]


def test_every_graph_answers_at_its_iri_with_exactly_its_triples(
    client: FlaskClient, store: ox.Store
) -> None:
    graphs = sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
    assert len(graphs) > 50 and all(g.startswith(GRAPH) for g in graphs)
    for graph in graphs:
        reply = client.get("/graph/" + graph.removeprefix(GRAPH), headers={"Accept": "application/n-triples"})
        assert reply.status_code == 200, graph
        served, expected = _triples(reply.data, reply.content_type), _in_store(store, graph)
        assert len(set(served)) == len(served) == len(expected), graph
        assert _ground(served) == _ground(expected), graph


@pytest.mark.parametrize("media", MEDIA)
def test_formats_by_accept_ending_and_parameter_agree(
    client: FlaskClient, store: ox.Store, media: str
) -> None:
    expected = _ground(_in_store(store, GRAPH + EGMONT))
    ending = {"text/turtle": "ttl", "application/n-triples": "nt", "application/rdf+xml": "rdf"}.get(
        media, "jsonld"
    )
    name = {"ttl": "turtle", "nt": "ntriples", "rdf": "rdfxml", "jsonld": "jsonld"}[ending]
    replies = [
        client.get(f"/graph/{EGMONT}", headers={"Accept": media}),
        client.get(f"/graph/{EGMONT}.{ending}"),
        client.get(f"/graph/{EGMONT}", query_string={"format": name}),
        client.get("/store", query_string={"graph": GRAPH + EGMONT}, headers={"Accept": media}),
    ]
    for reply in replies:
        assert reply.status_code == 200
        assert reply.content_type.startswith(media)
        assert reply.headers["Access-Control-Allow-Origin"] == "*"
        assert _ground(_triples(reply.data, reply.content_type)) == expected


def test_default_graph_is_the_union(client: FlaskClient, store: ox.Store) -> None:
    reply = client.get("/store?default", headers={"Accept": "application/n-triples"})
    assert reply.status_code == 200
    assert _ground(_triples(reply.data, reply.content_type)) == _ground(_in_store(store, None))


def test_turtle_is_the_default_and_caches_revalidate(client: FlaskClient) -> None:
    reply = client.get(f"/store?graph={GRAPH}sources")
    assert reply.content_type.startswith("text/turtle") and b"@prefix tfkg:" in reply.data
    again = client.get(f"/store?graph={GRAPH}sources", headers={"If-None-Match": reply.headers["ETag"]})
    assert again.status_code == 304 and not again.data
    head = client.head(f"/graph/{EGMONT}.ttl")
    assert head.status_code == 200 and not head.data and head.headers["ETag"]


@pytest.mark.parametrize(
    ("path", "status", "says"),
    [
        ("/store", 400, "?graph=<IRI>"),
        (f"/store?default&graph={GRAPH}sources", 400, "exactly one graph"),
        (f"/store?graph={GRAPH}sources&graph={GRAPH}ontology", 400, "exactly one graph"),
        (f"/store?graph={GRAPH}nothing-here", 404, "GET /sparql"),
        ("/graph/nothing-here", 404, "No graph https://w3id.org/tfkg/graph/nothing-here"),
        (f"/graph/{EGMONT}?format=csv", 406, "turtle"),
    ],
)
def test_errors_say_what_to_do(client: FlaskClient, path: str, status: int, says: str) -> None:
    reply = client.get(path)
    assert reply.status_code == status
    assert says in reply.get_json()["error"]["message"]


def test_nothing_acceptable_is_406(client: FlaskClient) -> None:
    reply = client.get(f"/graph/{EGMONT}", headers={"Accept": "image/png"})
    assert reply.status_code == 406
    assert "text/turtle" in reply.get_json()["error"]["message"]


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE", "PATCH"])
@pytest.mark.parametrize("path", ["/store?default", f"/graph/{EGMONT}"])
def test_writes_are_refused(client: FlaskClient, method: str, path: str) -> None:
    reply = client.open(path, method=method, data="<a:b> <a:c> <a:d> .", content_type="text/turtle")
    assert reply.status_code == 405
    assert reply.headers["Allow"] == "GET, HEAD, OPTIONS"
    assert "read-only" in reply.get_json()["error"]["message"]


def test_a_browser_gets_a_page_about_the_graph_and_its_source(client: FlaskClient) -> None:
    page = client.get(f"/graph/{EGMONT}", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert 'href="/doc/source/egmont-members-2026-07-17"' in page
    assert "snapshot date 2026-07-17" in page
    assert f'href="/graph/{EGMONT}.ttl"' in page
    assert 'href="/ontology#FinancialIntelligenceUnit"' in page and "<td>182</td>" in page
    source = client.get("/doc/source/egmont-members-2026-07-17", headers={"Accept": "text/html"})
    assert f'href="/graph/{EGMONT}"' in source.get_data(as_text=True), "the source's page links its graph"
