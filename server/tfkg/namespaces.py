"""The RDF namespaces tfkg mints and reuses, in one place so no module spells an IRI twice."""

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, TIME, XSD

ONTOLOGY_IRI = "https://w3id.org/tfkg/ontology"
TFKG = Namespace(ONTOLOGY_IRI + "#")
SHAPES = Namespace("https://w3id.org/tfkg/shapes#")
ID = Namespace("https://w3id.org/tfkg/id/")
GRAPH = Namespace("https://w3id.org/tfkg/graph/")
ORG = Namespace("http://www.w3.org/ns/org#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
VANN = Namespace("http://purl.org/vocab/vann/")
SCHEMA = Namespace("https://schema.org/")
SH = Namespace("http://www.w3.org/ns/shacl#")

#: Prefixes bound on every graph tfkg writes and offered to SPARQL users.
PREFIXES: dict[str, str] = {
    "tfkg": str(TFKG),
    "tfkgid": str(ID),
    "org": str(ORG),
    "eli": str(ELI),
    "skos": str(SKOS),
    "prov": str(PROV),
    "time": str(TIME),
    "dcterms": str(DCTERMS),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "schema": str(SCHEMA),
    "vann": str(VANN),
}

#: Prefixes for writing RDF: without tfkgid, whose local names would need escaped slashes.
SERIALIZATION_PREFIXES: dict[str, str] = {k: v for k, v in PREFIXES.items() if k != "tfkgid"}

__all__ = [
    "DCTERMS",
    "ELI",
    "GRAPH",
    "ID",
    "ONTOLOGY_IRI",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SERIALIZATION_PREFIXES",
    "SH",
    "SHAPES",
    "SKOS",
    "TFKG",
    "TIME",
    "VANN",
    "XSD",
]
