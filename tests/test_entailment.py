"""graph/inferred: plain type patterns find every instance through /sparql, FROM leaves the
entailments out, the rules add nothing but what RDFS entails (guarded), and a build writes
the same closure every time."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient

from tfkg.build import DATASET_FILE, build
from tfkg.build.entailment import INFERRED_GRAPH, entailed
from tfkg.config import Settings
from tfkg.web import create_app

INFERRED = str(INFERRED_GRAPH)
PREFIXES = """PREFIX tfkg: <https://w3id.org/tfkg/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
CLASSES = ["tfkg:Treaty", "tfkg:LegalInstrument", "org:Membership"]
PROTOCOL = "https://w3id.org/tfkg/id/instrument/untoc-tip"


@pytest.fixture(scope="module")
def client(settings: Settings, built_dataset: Path, tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    configured = replace(settings, dataset=str(built_dataset), build_dir=tmp_path_factory.mktemp("inf-build"))
    return create_app(configured).test_client()


def rows(client: FlaskClient, query: str) -> list[dict[str, str]]:
    reply = client.get("/sparql", query_string={"query": PREFIXES + query})
    assert reply.status_code == 200, reply.get_data(as_text=True)
    assert "X-TFKG-Truncated" not in reply.headers
    return [{k: v["value"] for k, v in b.items()} for b in json.loads(reply.data)["results"]["bindings"]]


def asserted_graphs(client: FlaskClient) -> str:
    """FROM every graph of the dataset but graph/inferred."""
    graphs = [r["g"] for r in rows(client, "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")]
    assert INFERRED in graphs and len(graphs) > 10
    return " ".join(f"FROM <{g}>" for g in sorted(graphs) if g != INFERRED)


@pytest.mark.parametrize("cls", CLASSES)
def test_a_plain_type_pattern_finds_every_instance(client: FlaskClient, cls: str) -> None:
    plain = [r["x"] for r in rows(client, f"SELECT * WHERE {{ ?x a {cls} }}")]
    assert plain and len(plain) == len(set(plain)), "one row per instance: no asserted type is repeated"
    # What the asserted data gives, reasoned over by the query itself.
    asserted = rows(
        client, f"SELECT DISTINCT ?x {asserted_graphs(client)} WHERE {{ ?x a/rdfs:subClassOf* {cls} }}"
    )
    assert set(plain) == {r["x"] for r in asserted}
    counts = rows(
        client,
        f"SELECT (COUNT(?x) AS ?plain) (COUNT(DISTINCT ?y) AS ?path) WHERE {{ {{ ?x a {cls} }} UNION {{ ?y a/rdfs:subClassOf* {cls} }} }}",
    )[0]
    assert int(counts["plain"]) == int(counts["path"]) == len(plain)


def test_from_without_the_inferred_graph_gives_asserted_types_only(client: FlaskClient) -> None:
    query = f"SELECT ?kind WHERE {{ <{PROTOCOL}> a ?kind }}"
    everything = {r["kind"] for r in rows(client, query)}
    tfkg = "https://w3id.org/tfkg/ontology#"
    assert {tfkg + "Protocol", tfkg + "Treaty", tfkg + "LegalInstrument"} <= everything
    assert "http://data.europa.eu/eli/ontology#LegalResource" in everything
    asserted = {r["kind"] for r in rows(client, query.replace("WHERE", asserted_graphs(client) + " WHERE"))}
    assert asserted == {tfkg + "Protocol"}
    excluded = rows(
        client,
        f"SELECT ?kind WHERE {{ <{PROTOCOL}> a ?kind FILTER NOT EXISTS {{ GRAPH <{INFERRED}> {{ <{PROTOCOL}> a ?kind }} }} }}",
    )
    assert {r["kind"] for r in excluded} == asserted
    only_inferred = rows(client, query.replace("WHERE", f"FROM <{INFERRED}> WHERE"))
    assert {r["kind"] for r in only_inferred} == everything - asserted


def test_the_inferred_graph_holds_no_noise_and_repeats_nothing(client: FlaskClient) -> None:
    kinds = {r["t"] for r in rows(client, f"SELECT DISTINCT ?t WHERE {{ GRAPH <{INFERRED}> {{ ?x a ?t }} }}")}
    assert kinds and not kinds & {
        "http://www.w3.org/2000/01/rdf-schema#Resource",
        "http://www.w3.org/2000/01/rdf-schema#Class",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#Property",
        "http://www.w3.org/2002/07/owl#Thing",
    }
    predicates = {
        r["p"] for r in rows(client, f"SELECT DISTINCT ?p WHERE {{ GRAPH <{INFERRED}> {{ ?s ?p ?o }} }}")
    }
    assert predicates == {
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
        "http://data.europa.eu/eli/ontology#is_part_of",
        "http://data.europa.eu/eli/ontology#date_document",
        "http://data.europa.eu/eli/ontology#first_date_entry_in_force",
        "http://xmlns.com/foaf/0.1/page",
    }
    repeated = rows(
        client,
        f"SELECT * WHERE {{ GRAPH <{INFERRED}> {{ ?s ?p ?o }} GRAPH ?g {{ ?s ?p ?o }} FILTER (?g != <{INFERRED}>) }} LIMIT 1",
    )
    assert repeated == []
    # tfkg:entryIntoForce has domain tfkg:LegalInstrument but also dates depositary statuses,
    # which are typed already: the guarded domain rule leaves them alone.
    assert rows(client, "SELECT ?s WHERE { ?s a tfkg:DepositaryStatus, tfkg:LegalInstrument } LIMIT 1") == []


def test_the_graph_is_described_where_graphs_are_listed(client: FlaskClient) -> None:
    page = client.get("/graph/inferred", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "No source states them" in page and "FROM" in page
    void = client.get("/void", headers={"Accept": "text/turtle"}).get_data(as_text=True)
    assert INFERRED in void and "No source states them" in void
    assert "graph/inferred" in client.get("/sparql", headers={"Accept": "text/html"}).get_data(as_text=True)


def test_rules_on_a_small_dataset() -> None:
    """Subclass, equivalent class, subproperty; domain and range only for untyped IRIs and tfkg classes."""
    tfkg, ex, rdfs = (
        "https://w3id.org/tfkg/ontology#",
        "https://example.org/",
        "http://www.w3.org/2000/01/rdf-schema#",
    )
    owl, a = "http://www.w3.org/2002/07/owl#", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    onto, data = ox.NamedNode(ex + "ontology"), ox.NamedNode(ex + "data")

    def quad(s: str, p: str, o: str | ox.Literal, g: ox.NamedNode) -> ox.Quad:
        obj = o if isinstance(o, ox.Literal) else ox.NamedNode(o)
        return ox.Quad(ox.NamedNode(s), ox.NamedNode(p), obj, g)

    quads = [
        quad(tfkg + "B", rdfs + "subClassOf", tfkg + "A", onto),
        quad(tfkg + "A", owl + "equivalentClass", ex + "Other", onto),
        quad(tfkg + "p", rdfs + "subPropertyOf", ex + "q", onto),
        quad(tfkg + "p", rdfs + "domain", tfkg + "B", onto),
        quad(tfkg + "p", rdfs + "range", tfkg + "A", onto),
        quad(ex + "r", rdfs + "range", ex + "External", onto),
        quad(ex + "typed", a, tfkg + "B", data),
        quad(ex + "typed", a, tfkg + "A", data),  # asserted: not repeated
        quad(ex + "typed", tfkg + "p", ex + "untyped", data),
        quad(ex + "status", a, tfkg + "C", data),
        quad(ex + "status", tfkg + "p", ox.Literal("2000-01-01"), data),
        quad(ex + "typed", ex + "r", ex + "elsewhere", data),
    ]
    found = {(q.subject.value, q.predicate.value, q.object.value) for q in entailed(quads, onto.value)}
    assert found == {
        (ex + "typed", a, ex + "Other"),
        (ex + "typed", ex + "q", ex + "untyped"),
        (ex + "status", ex + "q", "2000-01-01"),
        (ex + "untyped", a, tfkg + "A"),
        (ex + "untyped", a, ex + "Other"),
    }
    assert {q.graph_name for q in entailed(quads, onto.value)} == {ox.NamedNode(INFERRED)}


@pytest.mark.slow
def test_two_builds_write_the_same_closure(scratch: Settings) -> None:
    first = (build(scratch).folder / DATASET_FILE).read_text(encoding="utf-8")
    second = (build(scratch).folder / DATASET_FILE).read_text(encoding="utf-8")
    inferred = [line for line in first.splitlines() if f"<{INFERRED}> ." in line]
    assert len(inferred) > 1000
    assert inferred == [line for line in second.splitlines() if f"<{INFERRED}> ." in line]
    # The rest is the same too, but for the labels rdflib gives the ontology's blank nodes.
    blank = re.compile(r"_:\w+")
    assert blank.sub("_:b", first) == blank.sub("_:b", second)
