"""Linked Data: /id/{kind}/{key} answers 303 to /doc/{kind}/{key}, which serves the entity as
an HTML page for people or as RDF for machines (by Accept, or by .ttl/.jsonld/.rdf/.nt).

Paths map to the configured base IRI, so the same pages answer on any host. ETag and
Last-Modified come from the published dataset, so caches and crawlers can revalidate.
"""

from __future__ import annotations

import hashlib
from email.utils import formatdate

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from ..describe import INBOUND, Description, describe
from ..namespaces import SERIALIZATION_PREFIXES
from . import get_settings, get_store

bp = Blueprint("linked_data", __name__)

RDF_EXTENSIONS = {
    "ttl": ("text/turtle", ox.RdfFormat.TURTLE),
    "nt": ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    "rdf": ("application/rdf+xml", ox.RdfFormat.RDF_XML),
    "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD),
}
OFFERED = ["text/html", "text/turtle", "application/ld+json", "application/rdf+xml", "application/n-triples"]
BY_MEDIA = {media: ext for ext, (media, _) in RDF_EXTENSIONS.items()}


def _iri(path: str) -> str:
    return get_settings(current_app).base_iri.rstrip("/") + "/id/" + path


def graph_iri(path: str) -> str:
    """The IRI of the named graph this server answers at /graph/{path}."""
    return get_settings(current_app).base_iri.rstrip("/") + "/graph/" + path


def chosen_representation() -> str | None:
    """'html', an RDF extension, or None when nothing acceptable is offered."""
    accept = request.headers.get("Accept")
    if not accept:
        return "html"
    best = parse_accept_header(accept, MIMEAccept).best_match(OFFERED)
    if best is None:
        return None
    return "html" if best == "text/html" else BY_MEDIA[best]


def dataset_version() -> tuple[str, str]:
    """(ETag, Last-Modified) of the published dataset."""
    cached = current_app.extensions.get("tfkg.version")
    if cached is None:
        stamps = []
        newest = 0.0
        for path in get_settings(current_app).dataset_paths:
            if path.exists():
                stat = path.stat()
                stamps.append(f"{path}:{stat.st_size}:{stat.st_mtime_ns}")
                newest = max(newest, stat.st_mtime)
        cached = (hashlib.sha256("|".join(stamps).encode()).hexdigest()[:16], formatdate(newest, usegmt=True))
        current_app.extensions["tfkg.version"] = cached
    return cached


_ENTITIES = """SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER (STRSTARTS(STR(?s), "https://w3id.org/tfkg/id/") && !CONTAINS(STR(?s), "#")) }"""


def entities() -> frozenset[str]:
    """Every entity IRI the dataset describes (its subjects under /id/), read once."""
    found = current_app.extensions.get("tfkg.entities")
    if found is None:
        result = get_store(current_app).query(_ENTITIES)
        assert isinstance(result, ox.QuerySolutions)
        found = frozenset(row["s"].value for row in result)
        current_app.extensions["tfkg.entities"] = found
    assert isinstance(found, frozenset)
    return found


def _not_found(path: str) -> Response:
    if chosen_representation() == "html":
        body = render_template("not_found.html", path=path, iri=_iri(path))
        return Response(body, status=404, mimetype="text/html")
    from .errors import error_response

    return error_response(404, f"No entity {_iri(path)} in tfkg. Search at /search?q=...")


@bp.get("/id/<path:path>")
def identifier(path: str) -> Response:
    """303 See Other to the document, chosen by Accept."""
    choice = chosen_representation()
    if choice is None:
        from .errors import error_response

        return error_response(406, f"Offered: {', '.join(OFFERED)}.")
    if _iri(path) not in entities():
        return _not_found(path)
    target = url_for("linked_data.document", path=path if choice == "html" else f"{path}.{choice}")
    response = redirect(target, code=303)
    response.headers["Vary"] = "Accept"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response  # type: ignore[return-value]


@bp.get("/doc/<path:path>")
def document(path: str) -> Response:
    """The entity's page or RDF; /doc/x.ttl etc. choose the format directly."""
    stem, dot, ext = path.rpartition(".")
    if dot and ext in RDF_EXTENSIONS:
        path, choice = stem, ext
    else:
        found = chosen_representation()
        if found is None:
            from .errors import error_response

            return error_response(406, f"Offered: {', '.join(OFFERED)}; or add .ttl, .jsonld, .rdf, .nt.")
        choice = found
    etag, modified = dataset_version()
    tag = f"{etag}-{choice}"
    if request.if_none_match.contains_weak(tag):
        return Response(status=304, headers={"ETag": f'"{tag}"', "Vary": "Accept"})
    try:
        description = describe(get_store(current_app), _iri(path))
    except ValueError:  # not an IRI at all (a space, a quote, "|"...): no such entity
        return _not_found(path)
    if not description.exists:
        return _not_found(path)
    if choice == "html":
        response = Response(_html(description, path), mimetype="text/html")
    else:
        media, fmt = RDF_EXTENSIONS[choice]
        options = {"prefixes": SERIALIZATION_PREFIXES} if choice in ("ttl", "rdf") else {}
        body = ox.serialize(description.triples, format=fmt, **options)  # type: ignore[arg-type]
        response = Response(body, content_type=f"{media}; charset=utf-8")
    response.headers["ETag"] = f'"{tag}"'
    response.headers["Last-Modified"] = modified
    response.headers["Vary"] = "Accept"
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Link"] = ", ".join(
        f'<{url_for("linked_data.document", path=f"{path}.{ext}")}>; rel="alternate"; type="{media}"'
        for ext, (media, _) in RDF_EXTENSIONS.items()
    )
    return response


def _html(d: Description, path: str) -> str:
    iri = d.iri
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    kinds = [d.label(t.value) for t in d.values(iri, rdf_type) if isinstance(t, ox.NamedNode)]
    facts = []
    subject = ox.NamedNode(iri)
    for t in d.triples:
        if t.subject != subject or t.predicate.value == rdf_type:
            continue
        facts.append((d.label(t.predicate.value), _value(d, t.object)))
    facts.sort(key=lambda f: f[0])
    inbound = []
    for prop, subjects in sorted(d.inbound().items()):
        if prop == "http://www.w3.org/ns/prov#wasDerivedFrom":
            continue
        rows = []
        for s in sorted(set(subjects))[:500]:
            rows.append({"href": local_page(s), "label": d.label(s), "summary": _summary(d, s)})
        inbound.append({"title": f"Linked by “{d.label(prop)}”", "rows": rows, "count": len(set(subjects))})
    sources = []
    for s in {str(o.value) for o in d.values(iri, "http://www.w3.org/ns/prov#wasDerivedFrom")}:
        snap = d.values(s, "https://w3id.org/tfkg/ontology#snapshotDate")
        title = d.values(s, "http://purl.org/dc/terms/title")
        sources.append(
            {
                "href": local_page(s),
                "title": title[0].value if title else s,
                "kind": _kind(d, s),
                "snapshot": snap[0].value if snap else "not stated",
            }
        )
    query = f"DESCRIBE <{iri}>"
    return render_template(
        "entity.html",
        graph=f"/graph/{path}" if graph_iri(path) in get_store(current_app).graph_names() else None,
        title=d.label(iri),
        iri=iri,
        kinds=kinds,
        facts=facts,
        inbound=inbound,
        sources=sources,
        formats={ext: url_for("linked_data.document", path=f"{path}.{ext}") for ext in RDF_EXTENSIONS},
        sparql=url_for("sparql.endpoint", query=query, format="turtle"),
    )


@bp.app_template_filter("local_page")
def local_page(iri: str) -> str:
    """This server's page for an entity IRI (/doc/…); any other IRI as it is."""
    base = get_settings(current_app).base_iri.rstrip("/") + "/id/"
    return "/doc/" + iri.removeprefix(base) if iri.startswith(base) else iri


def _value(d: Description, term: object) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"href": local_page(term.value), "text": d.label(term.value)}
    if isinstance(term, ox.Literal):
        return {"text": term.value}
    return {"text": str(term)}


def _summary(d: Description, subject: str) -> str:
    """A line of plain language for a linked fact: its date and what it links."""
    parts = []
    for prop in (
        "https://w3id.org/tfkg/ontology#actionDate",
        "https://w3id.org/tfkg/ontology#entryIntoForceForParty",
        "http://www.w3.org/ns/org#role",
    ):
        for value in d.values(subject, prop):
            text = d.label(value.value) if isinstance(value, ox.NamedNode) else value.value
            name = {"actionDate": "on", "entryIntoForceForParty": "in force for it from", "role": "role"}[
                prop.rsplit("#", 1)[-1]
            ]
            parts.append(f"{name} {text}")
    for source in d.values(subject, "http://www.w3.org/ns/prov#wasDerivedFrom"):
        snapshot = d.values(source.value, "https://w3id.org/tfkg/ontology#snapshotDate")
        if snapshot:
            kind = _kind(d, source.value)
            parts.append(f"source as of {snapshot[0].value}" + (f" ({kind.lower()})" if kind else ""))
    return ", ".join(parts)


def _kind(d: Description, source: str) -> str:
    """The kind of a source (Official, News, …), so that a fact from news reads as news."""
    kinds = d.values(source, "https://w3id.org/tfkg/ontology#sourceKind")
    return d.label(kinds[0].value) if kinds else ""


__all__ = ["INBOUND", "bp"]
