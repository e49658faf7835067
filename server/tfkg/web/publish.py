"""Search, downloads and the ontology at its namespace, for people and for machines."""

from __future__ import annotations

import fcntl
import threading
from pathlib import Path

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from ..docs import ontology_html
from ..export import FORMATS, export
from ..schema import load_graph, schema_files
from ..search import SearchIndex
from ..sparql.description import void_description
from . import cached, get_settings, get_store
from .linked_data import local_page

bp = Blueprint("publish", __name__)

ONTOLOGY_FORMATS = {
    "text/turtle": ("turtle", "text/turtle"),
    "application/rdf+xml": ("xml", "application/rdf+xml"),
    "application/ld+json": ("json-ld", "application/ld+json"),
    "application/n-triples": ("nt", "application/n-triples"),
}


def _index() -> SearchIndex:
    return cached(current_app, "tfkg.search", lambda: SearchIndex(get_store(current_app)))


@bp.get("/search")
def search() -> Response | str:
    """Entities by label, alternative label or code; HTML, or JSON by Accept or format=json."""
    query = request.args.get("q", "")
    hits = _index().search(query, include_facts=request.args.get("facts") == "true")
    wants_json = request.args.get("format") == "json" or (
        parse_accept_header(request.headers.get("Accept", ""), MIMEAccept).best_match(
            ["text/html", "application/json"]
        )
        == "application/json"
    )
    if wants_json:
        return jsonify(
            {
                "q": query,
                "results": [
                    {
                        "iri": h.iri,
                        "label": h.label,
                        "kind": h.kind,
                        **({"scheme": h.scheme} if h.scheme else {}),
                        "matched": h.matched,
                        "how": h.how,
                        "page": local_page(h.iri),
                    }
                    for h in hits
                ],
            }
        )
    return render_template("search.html", q=query, hits=[(h, local_page(h.iri)) for h in hits])


_export_lock = threading.Lock()


def _downloads_dir() -> Path:
    """The download files, written once per dataset, by one thread of one process at a time.

    Concurrent first requests used to write the same ``.partial`` file and fail (issue 13): the
    thread lock and a lock file (for the other workers) make the others wait, and they find the
    files fresh. The URLs inside come from TFKG_BASE_URL, never from a request's Host header,
    which anyone can set and which would stay in dcat.ttl for every later client.
    """
    settings = get_settings(current_app)
    folder = settings.build_path / "downloads"
    dataset = settings.dataset_paths[0]

    def stale() -> bool:
        return not (folder / "dcat.ttl").exists() or (
            dataset.exists() and (folder / "dcat.ttl").stat().st_mtime < dataset.stat().st_mtime
        )

    if stale():
        folder.mkdir(parents=True, exist_ok=True)
        with _export_lock, open(folder / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if stale():
                export(dataset, folder, base=settings.public_url)
    return folder


@bp.get("/downloads")
def downloads() -> Response | str:
    folder = _downloads_dir()
    files = [
        {
            "name": filename,
            "media": media,
            "size": (folder / filename).stat().st_size,
            "href": url_for("publish.download", name=filename),
        }
        for filename, media, _ in FORMATS.values()
        if (folder / filename).exists()
    ]
    return render_template("downloads.html", files=files)


@bp.get("/downloads/<name>")
def download(name: str) -> Response:
    """A dump file, dcat.ttl (DCAT) or void.ttl (VoID)."""
    folder = _downloads_dir()
    if name == "void.ttl":
        public = get_settings(current_app).public_url
        graph = void_description(get_store(current_app), public + "void", public + "sparql")
        return Response(graph.serialize(format="turtle"), mimetype="text/turtle")
    allowed = {filename for filename, _, _ in FORMATS.values()} | {"dcat.ttl"}
    if name not in allowed:
        from .errors import error_response

        return error_response(
            404, f"No download {name!r}; available: {', '.join(sorted(allowed | {'void.ttl'}))}."
        )
    media = next((m for f, m, _ in FORMATS.values() if f == name), "text/turtle")
    response = Response(
        (folder / name).read_bytes(), mimetype="application/gzip" if name.endswith(".gz") else media
    )
    if name.endswith(".gz"):
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        response.headers["X-Content-Media-Type"] = media
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/ontology")
@bp.get("/ontology/<version>")
def ontology(version: str | None = None) -> Response:
    """The ontology: pyLODE HTML for browsers, OWL in Turtle, RDF/XML, JSON-LD or N-Triples by Accept."""
    from .. import __version__

    if version is not None and version != __version__:
        from .errors import error_response

        return error_response(
            404, f"This server publishes version {__version__} of the ontology, not {version}."
        )
    accept = request.headers.get("Accept") or "text/html"
    best = parse_accept_header(accept, MIMEAccept).best_match(["text/html", *ONTOLOGY_FORMATS])
    settings = get_settings(current_app)
    if best in ONTOLOGY_FORMATS or request.args.get("format") in ("turtle", "ttl"):
        fmt, media = ONTOLOGY_FORMATS.get(best or "text/turtle", ONTOLOGY_FORMATS["text/turtle"])
        graph = load_graph([schema_files(settings).ontology])
        response = Response(graph.serialize(format=fmt), mimetype=media)
    else:
        built = settings.build_path / "docs" / "ontology.html"
        html = built.read_text(encoding="utf-8") if built.is_file() else ontology_html(settings)
        response = Response(html, mimetype="text/html")
    response.headers["Vary"] = "Accept"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
