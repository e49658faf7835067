"""The service description (SPARQL 1.1 Service Description) and the VoID description.

Both are small graphs built from the store's own figures, so a client can discover which
graphs exist, how big they are and which result formats the endpoint speaks.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from .. import __version__
from ..build.derive import DERIVED_GRAPH
from ..build.derive import DESCRIPTION as DERIVED
from ..build.entailment import DESCRIPTION, INFERRED_GRAPH
from ..namespaces import PREFIXES
from ..store import Store

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
_COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def graph_sizes(store: Store) -> dict[str, int]:
    """Triples per named graph."""
    result = store.query(_COUNTS)
    assert isinstance(result, ox.QuerySolutions)
    return {row["g"].value: int(row["n"].value) for row in result}


def service_description(store: Store, endpoint: str, void_iri: str) -> Graph:
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("void", VOID)
    graph.bind("formats", FORMATS)
    service = URIRef(endpoint + "#service")
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, URIRef(endpoint)))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    for name in (
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "RDF_XML",
        "JSON-LD",
    ):
        graph.add((service, SD.resultFormat, FORMATS[name]))
    graph.add(
        (
            service,
            DCTERMS.description,
            Literal(
                "tfkg SPARQL 1.1 endpoint: read-only; SERVICE, LOAD and graphs outside the dataset are refused; "
                "every query has a deadline and results are capped (see the response headers).",
                lang="en",
            ),
        )
    )
    dataset = BNode("dataset")
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    default = BNode("default")
    graph.add((dataset, SD.defaultGraph, default))
    sizes = graph_sizes(store)
    graph.add((default, RDF.type, SD.Graph))
    graph.add((default, VOID.triples, Literal(sum(sizes.values()), datatype=XSD.integer)))
    graph.add(
        (
            default,
            DCTERMS.description,
            Literal("The union of all named graphs, the entailments in graph/inferred included.", lang="en"),
        )
    )
    for name, size in sorted(sizes.items()):
        named = BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, SD.name, URIRef(name)))
        described = BNode()
        graph.add((named, SD.graph, described))
        graph.add((described, VOID.triples, Literal(size, datatype=XSD.integer)))
        _describe_inferred(graph, described, name)
    graph.add((service, DCTERMS.relation, URIRef(void_iri)))
    return graph


def describe_dataset(graph: Graph, dataset: URIRef) -> None:
    """What every description of the dataset says: title, licence, version."""
    graph.add(
        (
            dataset,
            DCTERMS.title,
            Literal("tfkg: international cooperation against organized crime", lang="en"),
        )
    )
    graph.add((dataset, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")))
    graph.add((dataset, DCTERMS.hasVersion, Literal(__version__)))


def void_description(store: Store, void_iri: str, endpoint: str) -> Graph:
    graph = Graph()
    graph.bind("void", VOID)
    graph.bind("dcterms", DCTERMS)
    dataset = URIRef(void_iri)
    sizes = graph_sizes(store)
    graph.add((dataset, RDF.type, VOID.Dataset))
    describe_dataset(graph, dataset)
    graph.add((dataset, VOID.sparqlEndpoint, URIRef(endpoint)))
    graph.add((dataset, VOID.triples, Literal(sum(sizes.values()), datatype=XSD.integer)))
    graph.add((dataset, VOID.uriSpace, Literal("https://w3id.org/tfkg/id/")))
    for prefix in ("tfkg", "org", "skos", "prov", "time", "dcterms", "eli"):
        graph.add((dataset, VOID.vocabulary, URIRef(PREFIXES[prefix])))
    for name, size in sorted(sizes.items()):
        subset = URIRef(f"{void_iri}/graph/{name.rsplit('/', 1)[-1]}")
        graph.add((dataset, VOID.subset, subset))
        graph.add((subset, RDF.type, VOID.Dataset))
        graph.add((subset, URIRef("http://www.w3.org/ns/sparql-service-description#name"), URIRef(name)))
        graph.add((subset, VOID.triples, Literal(size, datatype=XSD.integer)))
        _describe_inferred(graph, subset, name)
    return graph


def _describe_inferred(graph: Graph, node: BNode | URIRef, name: str) -> None:
    """Say what graph/inferred and graph/derived are where they are listed: no source states them."""
    about = {str(INFERRED_GRAPH): DESCRIPTION, str(DERIVED_GRAPH): DERIVED}.get(name)
    if about:
        graph.add((node, DCTERMS.description, Literal(about, lang="en")))
