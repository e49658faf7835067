"""The ontology: its header, its annotations, and HermiT's verdict on it."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef

import tfkg
from tfkg.config import Settings
from tfkg.namespaces import DCTERMS, ONTOLOGY_IRI, OWL, RDF, RDFS, SKOS, TFKG, VANN
from tfkg.schema import load_graph, schema_files
from tfkg.validation.reasoner import check_consistency

ONTOLOGY = URIRef(ONTOLOGY_IRI)


@pytest.fixture(scope="module")
def ontology(settings: Settings):  # type: ignore[no-untyped-def]
    return load_graph([schema_files(settings).ontology])


def test_header_carries_version_licence_and_namespace(ontology) -> None:  # type: ignore[no-untyped-def]
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(ONTOLOGY, OWL.versionInfo) == Literal(tfkg.__version__)
    assert ontology.value(ONTOLOGY, OWL.versionIRI) == URIRef(f"{ONTOLOGY_IRI}/{tfkg.__version__}")
    assert ontology.value(ONTOLOGY, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    for annotation in (DCTERMS.title, DCTERMS.description, DCTERMS.creator):
        assert ontology.value(ONTOLOGY, annotation) is not None, annotation
    assert str(ontology.value(ONTOLOGY, VANN.preferredNamespacePrefix)) == "tfkg"
    assert str(ontology.value(ONTOLOGY, VANN.preferredNamespaceUri)) == str(TFKG)


def tfkg_terms(graph) -> set[URIRef]:  # type: ignore[no-untyped-def]
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    return {
        term
        for kind in kinds
        for term in graph.subjects(RDF.type, kind)
        if isinstance(term, URIRef) and str(term).startswith(str(TFKG))
    }


def test_every_term_is_labelled_defined_and_attributed(ontology) -> None:  # type: ignore[no-untyped-def]
    terms = tfkg_terms(ontology)
    assert len(terms) > 60
    for term in sorted(terms):
        labels = [o for o in ontology.objects(term, RDFS.label) if getattr(o, "language", None) == "en"]
        assert labels, f"{term} has no rdfs:label@en"
        assert ontology.value(term, SKOS.definition) is not None, f"{term} has no skos:definition"
        assert ontology.value(term, RDFS.isDefinedBy) == ONTOLOGY, f"{term} lacks rdfs:isDefinedBy"


def test_design_sketch_is_covered(ontology) -> None:  # type: ignore[no-untyped-def]
    """The classes the design's ontology sketch names exist, aligned with ORG, ELI and PROV."""
    from tfkg.namespaces import ELI, ORG, PROV

    expected = {
        TFKG.State: TFKG.Jurisdiction,
        TFKG.Territory: TFKG.Jurisdiction,
        TFKG.RegionalIntegrationOrganization: TFKG.Jurisdiction,
        TFKG.Membership: ORG.Membership,
        TFKG.LegalInstrument: ELI.LegalResource,
        TFKG.Protocol: TFKG.MultilateralTreaty,
        TFKG.Reservation: TFKG.PartyStatement,
        TFKG.Declaration: TFKG.PartyStatement,
        TFKG.Notification: TFKG.PartyStatement,
        TFKG.Provision: ELI.LegalResourceSubdivision,
        TFKG.Source: PROV.Entity,
    }
    for cls, parent in expected.items():
        assert (cls, RDFS.subClassOf, parent) in ontology, f"{cls} should be under {parent}"
    for cls in (
        TFKG.Mandate,
        TFKG.PrecedenceRule,
        TFKG.CooperationChannel,
        TFKG.InstrumentApplication,
    ):
        assert (cls, RDF.type, OWL.Class) in ontology


@pytest.mark.slow
def test_hermit_finds_the_ontology_and_vocabularies_consistent(settings: Settings) -> None:
    files = schema_files(settings)
    verdict = check_consistency(load_graph([files.ontology, *files.vocab]))
    assert verdict.consistent, verdict.explanation or verdict.unsatisfiable


@pytest.mark.slow
def test_hermit_detects_a_broken_disjointness(settings: Settings) -> None:
    """A jurisdiction typed both state and territory must be found inconsistent."""
    graph = load_graph([schema_files(settings).ontology])
    thing = URIRef("https://w3id.org/tfkg/id/jurisdiction/ABW")
    graph.add((thing, RDF.type, TFKG.State))
    graph.add((thing, RDF.type, TFKG.Territory))
    assert not check_consistency(graph).consistent
