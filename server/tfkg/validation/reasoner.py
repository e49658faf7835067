"""OWL 2 DL consistency with HermiT, through owlready2.

HermiT runs on Java. owlready2 reads N-Triples, so the graph is written to a temporary file
first; each run uses a fresh owlready2 World so runs never share state.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import XSD

from ..errors import ReasonerUnavailableError

#: Datatypes outside the OWL 2 datatype map. HermiT refuses them, and no tfkg axiom
#: constrains their values (SHACL does), so literals of these types are left out of the
#: reasoner's input rather than the ontology pretending OWL 2 knows them.
NOT_IN_OWL2_DATATYPE_MAP = frozenset({XSD.date, XSD.gYear, XSD.gYearMonth, XSD.time, XSD.duration})


@dataclass(frozen=True)
class ReasonerResult:
    """HermiT's verdict: consistent or not, and any unsatisfiable classes."""

    consistent: bool
    unsatisfiable: list[str] = field(default_factory=list)
    explanation: str = ""


def check_consistency(graph: Graph) -> ReasonerResult:
    """Run HermiT on ``graph``; raise :class:`ReasonerUnavailableError` without a Java runtime."""
    if shutil.which("java") is None:
        raise ReasonerUnavailableError(
            "HermiT needs a Java runtime and none is on PATH: install one "
            "(Debian: apt-get install default-jre-headless) or run with --no-reasoner."
        )
    import owlready2  # deferred: importing owlready2 sets up its quadstore

    with tempfile.TemporaryDirectory(prefix="tfkg-hermit-") as tmp:
        path = Path(tmp) / "graph.nt"
        _reasoner_input(graph).serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        try:
            world.get_ontology(path.as_uri()).load(format="ntriples")
            with world.get_ontology("https://w3id.org/tfkg/reasoning#"):
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError as exc:
            return ReasonerResult(consistent=False, explanation=str(exc))
        except owlready2.OwlReadyJavaError as exc:
            raise ReasonerUnavailableError(f"HermiT failed to run: {exc}") from None
        unsatisfiable = sorted(
            str(cls.iri) for cls in world.inconsistent_classes() if cls is not owlready2.Nothing
        )
        world.close()
    return ReasonerResult(consistent=not unsatisfiable, unsatisfiable=unsatisfiable)


def _reasoner_input(graph: Graph) -> Graph:
    """The graph without literals whose datatype HermiT cannot handle."""
    kept = Graph()
    for triple in graph:
        value = triple[2]
        if isinstance(value, Literal) and value.datatype in NOT_IN_OWL2_DATATYPE_MAP:
            continue
        kept.add(triple)
    return kept
