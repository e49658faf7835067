"""Human-facing pages: the status page and the ontology documentation."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from .. import __version__
from ..namespaces import DCTERMS, SKOS
from ..schema import load_graph, schema_files
from . import get_settings

bp = Blueprint("pages", __name__)


@bp.get("/")
def home() -> str:
    """What tfkg is, and the vocabularies it holds so far."""
    vocab = load_graph(schema_files(get_settings(current_app)).vocab)
    schemes = sorted(
        (
            str(vocab.value(scheme, DCTERMS.title) or scheme),
            len(set(vocab.subjects(SKOS.inScheme, scheme))),
        )
        for scheme in set(vocab.subjects(predicate=None, object=SKOS.ConceptScheme))
    )
    return render_template("home.html", version=__version__, schemes=schemes)


@bp.get("/health")
def health() -> dict[str, str]:
    """Liveness probe for process managers."""
    return {"status": "ok", "version": __version__}
