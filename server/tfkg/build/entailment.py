"""The RDFS entailments of tfkg's class and property hierarchy, materialised into ``graph/inferred``.

A SPARQL user who asks ``?x a tfkg:Treaty`` means every treaty, but the tables type each
instrument by its most specific class (a protocol is ``tfkg:Protocol``) and nothing in the
endpoint reasons. So the build writes the closure down: the types that ``rdfs:subClassOf``
implies, transitively and up into the aligned vocabularies the ontology names
(``org:Membership``, ``eli:LegalResource``, ``prov:Entity``…), and the statements that
``rdfs:subPropertyOf`` implies (a provision's ``eli:is_part_of``). ``owl:equivalentClass`` and
``owl:equivalentProperty`` count as subsumption both ways, should the ontology come to use them.

The closure is a handful of SPARQL CONSTRUCT rules on pyoxigraph, the engine that serves the
result, so what is materialised is what the endpoint would have matched with
``a/rdfs:subClassOf*``. A general RDFS reasoner (owlrl) would also add the axiomatic noise
(``rdfs:Resource`` for everything, ``rdf:Property``, container membership properties) that
would then have to be filtered out again; these rules only ever produce what is wanted:

- The hierarchy is read from the ontology graph alone, so a data table cannot extend it.
- ``rdfs:domain`` and ``rdfs:range`` type a node only when the class is tfkg's own, the node
  is an IRI (never a literal) and it has no type at all in the data. A typed node already says
  what it is; typing it again from a domain is how a careless property use turns one kind of
  thing into another (``tfkg:entryIntoForce``, whose domain is ``tfkg:LegalInstrument``, is
  also used by ``tfkg:DepositaryStatus``, which would make every depositary status a legal
  instrument).
- Nothing already asserted in any graph is repeated.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from ..namespaces import GRAPH, OWL, RDFS, TFKG

#: The named graph holding the entailments; the default graph (the union) includes it.
INFERRED_GRAPH = GRAPH["inferred"]

#: What the graph holds and how to leave it out, for its page and the VoID description.
DESCRIPTION = (
    "What tfkg's ontology entails from the other graphs, written down at build so that plain type "
    "patterns find every instance: the types rdfs:subClassOf implies (a protocol is also a tfkg:Treaty, "
    "a tfkg:LegalInstrument and an eli:LegalResource) and the statements rdfs:subPropertyOf implies "
    "(eli:is_part_of beside tfkg:provisionOf). No source states them, and none repeats a triple of "
    "another graph. The default graph, the union of all graphs, includes them; a query that wants "
    "asserted facts only names its graphs with FROM and leaves this one out, or excludes it with "
    f"FILTER NOT EXISTS {{ GRAPH <{INFERRED_GRAPH}> {{ ... }} }}."
)

_SUBCLASS = f"(<{RDFS.subClassOf}>|<{OWL.equivalentClass}>|^<{OWL.equivalentClass}>)"
_SUBPROPERTY = f"(<{RDFS.subPropertyOf}>|<{OWL.equivalentProperty}>|^<{OWL.equivalentProperty}>)"
_OWN_CLASS = f'STRSTARTS(STR(?t), "{TFKG}")'

#: Each rule is a CONSTRUCT over the union of all graphs; ONTOLOGY stands for the ontology graph.
RULES = (
    # rdfs9 (and rdfs11 through the path): an instance of a class is an instance of its superclasses.
    f"""CONSTRUCT {{ ?x a ?c }} WHERE {{
      ?x a ?t .
      GRAPH ONTOLOGY {{ ?t {_SUBCLASS}+ ?c }}
      FILTER (isIRI(?c) && NOT EXISTS {{ ?x a ?c }})
    }}""",
    # rdfs7 (and rdfs5): a statement with a property holds with its superproperties.
    f"""CONSTRUCT {{ ?s ?q ?o }} WHERE {{
      GRAPH ONTOLOGY {{ ?p {_SUBPROPERTY}+ ?q }}
      ?s ?p ?o .
      FILTER (isIRI(?q) && NOT EXISTS {{ ?s ?q ?o }})
    }}""",
    # rdfs2, guarded: an untyped IRI subject of a property with one of tfkg's classes as domain.
    f"""CONSTRUCT {{ ?x a ?c }} WHERE {{
      GRAPH ONTOLOGY {{ ?q <{RDFS.domain}> ?t . ?p {_SUBPROPERTY}* ?q }}
      FILTER ({_OWN_CLASS})
      ?x ?p ?o .
      FILTER (isIRI(?x) && NOT EXISTS {{ ?x a ?any }})
      GRAPH ONTOLOGY {{ ?t {_SUBCLASS}* ?c }}
      FILTER (isIRI(?c))
    }}""",
    # rdfs3, guarded: an untyped IRI object of a property with one of tfkg's classes as range.
    f"""CONSTRUCT {{ ?x a ?c }} WHERE {{
      GRAPH ONTOLOGY {{ ?q <{RDFS.range}> ?t . ?p {_SUBPROPERTY}* ?q }}
      FILTER ({_OWN_CLASS})
      ?s ?p ?x .
      FILTER (isIRI(?x) && NOT EXISTS {{ ?x a ?any }})
      GRAPH ONTOLOGY {{ ?t {_SUBCLASS}* ?c }}
      FILTER (isIRI(?c))
    }}""",
)


def entailed(quads: Iterable[ox.Quad], ontology: str) -> list[ox.Quad]:
    """The triples the RDFS rules add to ``quads``, as quads of graph/inferred, sorted.

    ``ontology`` is the named graph whose ``rdfs:subClassOf``, ``rdfs:subPropertyOf``,
    ``rdfs:domain`` and ``rdfs:range`` statements count. One pass is the whole closure: the
    paths are transitive, and no rule makes a statement another rule reads (none infers a
    subclass, a subproperty or an ``rdf:type`` through a property).
    """
    store = ox.Store()
    store.bulk_extend(quads)
    graph = ox.NamedNode(str(INFERRED_GRAPH))
    found: set[ox.Triple] = set()
    for rule in RULES:
        result = store.query(rule.replace("ONTOLOGY", f"<{ontology}>"), use_default_graph_as_union=True)
        assert isinstance(result, ox.QueryTriples)
        found.update(result)
    return [ox.Quad(t.subject, t.predicate, t.object, graph) for t in sorted(found, key=str)]


__all__ = ["DESCRIPTION", "INFERRED_GRAPH", "RULES", "entailed"]
