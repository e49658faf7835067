"""The SPARQL 1.1 Protocol at /sparql (queries only), the VoID description at /void, and,
only when TFKG_UPDATE_TOKEN is set, SPARQL Update at /update for bearers of that token."""

from __future__ import annotations

import functools
import hmac
from collections.abc import Callable

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, request
from rdflib import Graph
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from ..errors import TfkgError
from ..sparql.description import service_description, void_description
from ..sparql.engine import Answer, SparqlError, SparqlRequest
from ..sparql.formats import GRAPH_FORMATS, RESULT_FORMATS, negotiate
from ..sparql.lexer import keyword_offsets, scan
from ..sparql.parsed import QueryRefusedError, canonical, check_nesting, refuse_remote
from ..sparql.walled import update_behind_wall
from ..store import DatasetSpec, EmbeddedStore
from . import get_engine, get_settings, get_store
from .workbench import workbench_page

bp = Blueprint("sparql", __name__)

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type, Accept",
    "Access-Control-Expose-Headers": "X-TFKG-Truncated",
}


def answer_headers(answer: Answer) -> list[tuple[str, str]]:
    """Every header of the response to an engine's answer, in order: Flask's (``respond``) and
    the fast path's (web/fastpath.py), which writes them without a Response object."""
    return [
        ("Content-Type", answer.content_type),
        ("Content-Length", str(len(answer.body))),
        *answer.headers.items(),
        *CORS.items(),
        ("Vary", "Accept"),
    ]


def respond(answer: Answer) -> Response:
    """The response to an answer of the engine."""
    return Response(answer.body, status=answer.status, headers=answer_headers(answer))


@functools.lru_cache(maxsize=256)
def wants_html(accept_header: str | None) -> bool:
    """A browser asking for a page (text/html preferred to every RDF and result format) gets the
    workbench: without a query, instead of the service description; with one (a shared link,
    /sparql?query=...), with that query loaded and run. Tools that name their formats, or send
    */*, get RDF or results; `format=` always wins. Kept per Accept header (clients send few)."""
    accept = parse_accept_header(accept_header, MIMEAccept)
    # Weighed against every media type the endpoint can answer in, so that a client preferring
    # JSON results to HTML (q-values, issue 13) gets results.
    return "text/html" in accept.values() and accept.best_match(["text/html", *_ANSWER_TYPES]) == "text/html"


#: Every media type /sparql answers in (results and graphs, with their aliases).
_ANSWER_TYPES = tuple(
    dict.fromkeys(
        media
        for fmt in (*RESULT_FORMATS, *GRAPH_FORMATS)
        for media in (fmt.media_type, *fmt.aliases)
        if "/" in media
    )
)


def endpoint_url(url_root: str) -> str:
    """The endpoint's own URL (the base IRI of queries), from the request's root URL."""
    return url_root.rstrip("/") + "/sparql"


def _endpoint_url() -> str:
    return endpoint_url(request.url_root)


def get_query(getlist: Callable[[str], list[str]]) -> tuple[str | None, list[str], list[str], str | None]:
    """A GET request's query, default graphs, named graphs and format= from its parameters
    (``getlist(name)``: every value of one parameter); refuses an update."""
    if getlist("update"):
        raise SparqlError(
            "SPARQL Update is never accepted by GET, and this endpoint is read-only.", status=405
        )
    formats = getlist("format")
    return (
        _one(getlist("query"), "query"),
        getlist("default-graph-uri"),
        getlist("named-graph-uri"),
        formats[0] if formats else None,
    )


def sparql_request(
    text: str, defaults: list[str], named: list[str], accept: str | None, fmt: str | None, url_root: str
) -> SparqlRequest:
    """What the engine is asked, the same for every way a query arrives."""
    return SparqlRequest(
        query=text,
        dataset=DatasetSpec(tuple(defaults), tuple(named)),
        accept=accept,
        format=fmt,
        base_iri=endpoint_url(url_root),
    )


def _one(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise SparqlError(f"Give exactly one '{name}' parameter; this request has {len(values)}.", status=400)
    return values[0] if values else None


def _utf8_body() -> str:
    charset = (request.mimetype_params.get("charset") or "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise SparqlError(f"The request body must be UTF-8; it is declared {charset}.", status=415)
    try:
        return request.get_data().decode("utf-8")
    except UnicodeDecodeError:
        raise SparqlError("The request body is not valid UTF-8.", status=400) from None


def _graph(graph: Graph, fmt_param: str | None) -> Response:
    fmt = negotiate(GRAPH_FORMATS, request.headers.get("Accept"), fmt_param)
    names = {"turtle": "turtle", "ntriples": "nt", "rdfxml": "xml", "jsonld": "json-ld"}
    body = graph.serialize(format=names[fmt.name], encoding="utf-8")
    return respond(Answer(200, fmt.content_type, body))


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"])
@bp.route("/sparql/", methods=["GET", "POST", "OPTIONS"])
def endpoint() -> Response:
    """Queries by GET, by form POST and by direct POST; the service description without one."""
    if request.method == "OPTIONS":
        return Response(status=204, headers=CORS)
    params = request.args
    if request.method == "POST":
        mimetype = request.mimetype
        if mimetype == FORM:
            form = request.form
            if "update" in form:
                raise SparqlError("This endpoint is read-only: SPARQL Update is refused.", status=403)
            text = _one(form.getlist("query"), "query")
            defaults = form.getlist("default-graph-uri") + params.getlist("default-graph-uri")
            named = form.getlist("named-graph-uri") + params.getlist("named-graph-uri")
            fmt = form.get("format") or params.get("format")
        elif mimetype == SPARQL_QUERY:
            text = _utf8_body()
            defaults, named, fmt = (
                params.getlist("default-graph-uri"),
                params.getlist("named-graph-uri"),
                params.get("format"),
            )
        elif mimetype == SPARQL_UPDATE:
            raise SparqlError("This endpoint is read-only: SPARQL Update is refused.", status=403)
        else:
            raise SparqlError(
                f"POST a query as {FORM} (query=...) or as {SPARQL_QUERY}; got {mimetype or 'no Content-Type'}.",
                status=415,
            )
        if text is None:
            raise SparqlError("The POST body has no 'query' parameter.", status=400)
    else:
        text, defaults, named, fmt = get_query(params.getlist)
        if fmt is None and wants_html(request.headers.get("Accept")):
            return Response(workbench_page(_endpoint_url()), mimetype="text/html")
        if text is None:
            description = service_description(
                get_store(current_app), _endpoint_url(), request.url_root.rstrip("/") + "/void"
            )
            return _graph(description, fmt)
    answer = get_engine(current_app).run(
        sparql_request(text, defaults, named, request.headers.get("Accept"), fmt, request.url_root)
    )
    return respond(answer)


@bp.get("/void")
def void() -> Response:
    """The VoID description of the dataset."""
    graph = void_description(get_store(current_app), request.url_root.rstrip("/") + "/void", _endpoint_url())
    return _graph(graph, request.args.get("format"))


@bp.route("/update", methods=["POST"])
def update() -> Response:
    """SPARQL Update, only with TFKG_UPDATE_TOKEN set and the token as a Bearer credential."""
    token = get_settings(current_app).update_token
    if not token:
        raise SparqlError(
            "Updates are disabled: tfkg is read-only unless TFKG_UPDATE_TOKEN is set.", status=403
        )
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise SparqlError("Updates need the update token as 'Authorization: Bearer <token>'.", status=401)
    if request.mimetype == FORM:
        texts = request.form.getlist("update")
        using = request.form.getlist("using-graph-uri") + request.form.getlist("using-named-graph-uri")
    elif request.mimetype == SPARQL_UPDATE:
        texts = [_utf8_body()]
        using = []
    else:
        raise SparqlError(f"POST an update as {FORM} (update=...) or as {SPARQL_UPDATE}.", status=415)
    text = _one(texts, "update")
    if text is None:
        raise SparqlError("The POST body has no 'update' parameter.", status=400)
    using += request.args.getlist("using-graph-uri") + request.args.getlist("using-named-graph-uri")
    try:
        text = canonical(text)
    except QueryRefusedError as refused:
        raise SparqlError(refused.message, status=refused.status) from None
    shape = scan(text)
    if using and ({"WITH"} & set(shape.update_keywords) or " USING " in f" {text.upper()} "):
        raise SparqlError(
            "Give the graphs either as using-graph-uri parameters or with USING/WITH, not both.", status=400
        )
    store = get_store(current_app)
    if not isinstance(store, EmbeddedStore):
        raise TfkgError("this store does not accept updates")

    def both(name: str) -> list[str]:
        return request.args.getlist(name) + (request.form.getlist(name) if request.mimetype == FORM else [])

    final = _with_using(text, both("using-graph-uri"), both("using-named-graph-uri"))
    try:  # checked as it will run: with the USING clauses the parameters added
        check_nesting(final)
        if get_settings(current_app).parse_check == "on":
            refuse_remote(final, update=True)
    except QueryRefusedError as refused:
        raise SparqlError(refused.message, status=refused.status, **refused.position) from None
    try:
        update_behind_wall(store, final, _endpoint_url(), get_settings(current_app).query_timeout)
    except SyntaxError as error:
        raise SparqlError(f"The update is not valid SPARQL: {error}", status=400) from None
    return Response(status=204, headers=CORS)


def _with_using(text: str, graphs: list[str], named: list[str]) -> str:
    """Protocol using-graph-uri / using-named-graph-uri parameters as USING clauses.

    They are inserted before each WHERE keyword (found by the scanner, never inside a string
    or IRI), which is where SPARQL Update places USING.
    """
    if not graphs and not named:
        return text
    for graph in graphs + named:
        try:
            ox.NamedNode(graph)  # an IRI, so that nothing can follow it into the update's text
        except ValueError:
            raise SparqlError(f"using-graph-uri: {graph!r} is not an IRI.", status=400) from None
    clauses = " ".join([f"USING <{g}>" for g in graphs] + [f"USING NAMED <{g}>" for g in named]) + " "
    for offset in reversed(keyword_offsets(text, "WHERE")):
        text = text[:offset] + clauses + text[offset:]
    return text
