"""Result formats and content negotiation, for query results and for RDF graphs."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from ..errors import TfkgError


@dataclass(frozen=True)
class Format:
    """One serialization: its short name (the `format` parameter), media type, and aliases."""

    name: str
    media_type: str
    aliases: tuple[str, ...] = ()

    @property
    def content_type(self) -> str:
        textual = self.media_type.startswith("text/") or self.media_type.endswith(
            ("json", "xml", "triples", "turtle")
        )
        return f"{self.media_type}; charset=utf-8" if textual else self.media_type


#: Formats for SELECT and ASK results, the first being the default.
RESULT_FORMATS = (
    Format("json", "application/sparql-results+json", ("application/json", "srj")),
    Format("xml", "application/sparql-results+xml", ("application/xml", "text/xml", "srx")),
    Format("csv", "text/csv"),
    Format("tsv", "text/tab-separated-values"),
)
#: Formats for CONSTRUCT and DESCRIBE graphs, the first being the default.
GRAPH_FORMATS = (
    # Turtle is a subset of N3, so clients asking for N3 (SPARQLWrapper's default) get Turtle.
    Format("turtle", "text/turtle", ("application/x-turtle", "ttl", "n3", "text/n3", "text/rdf+n3")),
    Format("ntriples", "application/n-triples", ("text/plain", "nt")),
    Format("rdfxml", "application/rdf+xml", ("application/xml", "text/xml", "xml", "rdf")),
    Format("jsonld", "application/ld+json", ("application/json", "json-ld", "json")),
)


class NotAcceptableError(TfkgError):
    """Nothing the client accepts can carry this kind of result."""

    status = 406


@functools.lru_cache(maxsize=512)
def negotiate(formats: tuple[Format, ...], accept: str | None, requested: str | None) -> Format:
    """Pick a format by the `format` parameter, else by Accept (q-values honoured), else the default.

    Kept per (formats, Accept, format=): clients send the same few Accept headers, and parsing
    one cost about a tenth of a small query's time in tfkg's query path (bench/RESULTS.md).
    A refusal raises each time (exceptions are not kept).
    """
    if requested:
        for fmt in formats:
            if requested.lower() in (fmt.name, fmt.media_type, *fmt.aliases):
                return fmt
        names = ", ".join(f.name for f in formats)
        raise NotAcceptableError(
            f"format={requested!r} is not available for this result; use one of: {names}"
        )
    if not accept or not accept.strip():
        return formats[0]
    parsed = parse_accept_header(accept, MIMEAccept)
    offered = {
        media: fmt for fmt in reversed(formats) for media in (*fmt.aliases, fmt.media_type) if "/" in media
    }
    best = parsed.best_match(
        [f.media_type for f in formats] + [a for f in formats for a in f.aliases if "/" in a]
    )
    if best is None:
        kinds = ", ".join(f.media_type for f in formats)
        raise NotAcceptableError(
            f"none of the accepted media types ({accept}) can carry this result; offered: {kinds}"
        )
    return offered[best]
