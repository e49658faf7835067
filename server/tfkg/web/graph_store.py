"""Named graphs as Linked Data, and the read side of the SPARQL 1.1 Graph Store HTTP Protocol.

Every fact in tfkg sits in a named graph: one per source (``{base}graph/source/{key}``), plus
``graph/ontology``, ``graph/vocabularies`` and ``graph/sources``, and what the ontology entails
from them sits in ``graph/inferred`` (build/entailment.py). Those IRIs are what
``GRAPH ?g`` binds and what the service description lists, so they answer here, as entity IRIs
do, and a client can fetch exactly the facts one source gave:

- ``GET /graph/{path}`` (the protocol's direct identification): the graph, in Turtle, N-Triples,
  RDF/XML or JSON-LD by Accept, ``format=`` or a ``.ttl``/``.nt``/``.rdf``/``.jsonld`` ending;
  for a browser, a page saying which source the graph holds and how to get it.
- ``GET /store?graph={IRI}`` (indirect identification, at Oxigraph's path) or ``?default`` (the
  default graph, which at tfkg is the union of all graphs, as at /sparql).

Read-only: PUT, POST, DELETE and PATCH get 405 saying so.
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, render_template, request, url_for

from ..build.derive import DERIVED_GRAPH
from ..build.derive import DESCRIPTION as DERIVED
from ..build.entailment import DESCRIPTION, INFERRED_GRAPH
from ..namespaces import SERIALIZATION_PREFIXES, TFKG
from ..sparql.engine import SparqlError
from ..sparql.formats import GRAPH_FORMATS, Format, negotiate
from ..sparql.results import write_graph
from ..store import DatasetSpec, select_rows
from . import get_settings, get_store
from .errors import error_response
from .linked_data import RDF_EXTENSIONS, dataset_version, graph_iri, local_page
from .sparql import wants_html

bp = Blueprint("graph_store", __name__)

READ = "GET, HEAD, OPTIONS"
WRITES = ["PUT", "POST", "DELETE", "PATCH"]
ALL_TRIPLES = "CONSTRUCT WHERE { ?s ?p ?o }"
KINDS = "SELECT ?kind (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?kind } GROUP BY ?kind ORDER BY DESC(?n) ?kind"
SIZE = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
#: The source a source graph holds (``?src`` is bound, so it is projected: pyoxigraph 0.5).
SOURCE = """SELECT ?src ?title ?snapshot WHERE {
  ?src <http://purl.org/dc/terms/title> ?title
  OPTIONAL { ?src <https://w3id.org/tfkg/ontology#snapshotDate> ?snapshot }
}"""


def _known(iri: str) -> str:
    if iri not in get_store(current_app).graph_names():
        raise SparqlError(
            f"No graph {iri} in tfkg; the graphs are listed in the service description (GET /sparql).",
            status=404,
        )
    return iri


def _rdf(graph: str | None, fmt: Format) -> Response:
    """The graph named ``graph`` (None: the default graph, the union) in ``fmt``, with caching headers."""
    etag, modified = dataset_version()
    tag = f"{etag}-{fmt.name}"
    headers = {
        "ETag": f'"{tag}"',
        "Last-Modified": modified,
        "Vary": "Accept",
        "Access-Control-Allow-Origin": "*",
    }
    if request.if_none_match.contains_weak(tag):
        return Response(status=304, headers=headers)
    dataset = DatasetSpec((graph,), ()) if graph else None
    result = get_store(current_app).query(ALL_TRIPLES, dataset=dataset)
    assert isinstance(result, ox.QueryTriples)
    body = write_graph(fmt, list(result), SERIALIZATION_PREFIXES)
    return Response(body, content_type=fmt.content_type, headers=headers)


def _refuse_writes() -> Response:
    response = error_response(
        405,
        "tfkg is read-only: graphs are built from cited sources (`tfkg build`), never written over "
        f"HTTP. Allowed here: {READ}.",
    )
    response.headers["Allow"] = READ
    return response


@bp.route("/graph/<path:path>", methods=["GET", *WRITES])
def graph(path: str) -> Response | str:
    """A named graph at its own IRI: its triples, or, for a browser, a page about it."""
    if request.method in WRITES:
        return _refuse_writes()
    stem, dot, ending = path.rpartition(".")
    if dot and ending in RDF_EXTENSIONS and graph_iri(stem) in get_store(current_app).graph_names():
        media, _ = RDF_EXTENSIONS[ending]
        return _rdf(graph_iri(stem), negotiate(GRAPH_FORMATS, None, media))
    iri = _known(graph_iri(path))
    requested = request.args.get("format")
    if requested is None and wants_html(request.headers.get("Accept")):
        return _page(iri, path)
    return _rdf(iri, negotiate(GRAPH_FORMATS, request.headers.get("Accept"), requested))


@bp.route("/store", methods=["GET", *WRITES])
def store() -> Response:
    """The protocol's indirect identification: ?graph=IRI, or ?default for the union."""
    if request.method in WRITES:
        return _refuse_writes()
    names = request.args.getlist("graph")
    default = "default" in request.args
    if len(names) + default != 1:
        raise SparqlError(
            "Name exactly one graph: ?graph=<IRI> (the graphs are listed at GET /sparql) or ?default "
            "(the union of all graphs). The whole dataset, graphs kept, is at /downloads."
        )
    fmt = negotiate(GRAPH_FORMATS, request.headers.get("Accept"), request.args.get("format"))
    return _rdf(None if default else _known(names[0]), fmt)


def _page(iri: str, path: str) -> str:
    """What a person needs about a graph: the source it holds (or, for graph/inferred and
    graph/derived, what it is),
    its size and kinds, its formats."""
    store = get_store(current_app)
    only = DatasetSpec((iri,), ())
    size = int(select_rows(store, SIZE, dataset=only)[0]["n"])
    kinds = [(_kind_page(r["kind"]), r["kind"], int(r["n"])) for r in select_rows(store, KINDS, dataset=only)]
    base = get_settings(current_app).base_iri.rstrip("/")
    source_iri = base + "/id/" + path if path.startswith("source/") else None
    source = None
    if source_iri:
        rows = select_rows(store, SOURCE, {"src": ox.NamedNode(source_iri)})
        if rows:
            source = {
                "href": local_page(source_iri),
                "title": rows[0]["title"],
                "snapshot": rows[0].get("snapshot", "not stated"),
            }
    query = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }} LIMIT 100"
    return render_template(
        "graph.html",
        iri=iri,
        size=size,
        kinds=kinds,
        source=source,
        about={str(INFERRED_GRAPH): DESCRIPTION, str(DERIVED_GRAPH): DERIVED}.get(iri),
        formats={ext: url_for("graph_store.graph", path=f"{path}.{ext}") for ext in RDF_EXTENSIONS},
        workbench=url_for("sparql.endpoint", query=query),
    )


def _kind_page(iri: str) -> str:
    """Where a class is explained: tfkg's own on this server's /ontology page, others at their IRI."""
    local = iri.removeprefix(str(TFKG))
    return url_for("publish.ontology") + "#" + local if local != iri else iri
