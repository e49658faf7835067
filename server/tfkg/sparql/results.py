"""Writing query results in the SPARQL result formats, with a row cap.

SELECT results are serialized by pyoxigraph (:func:`select`): first as TSV, which writes one
line per row (a newline inside a literal is escaped), into a sink that counts lines and stops
the serializer once the cap is passed, so that a huge result is never held; then, unless TSV
was asked for, the TSV is read back natively and written in the requested format. A capped
result keeps its first rows and is flagged in JSON and XML (the ``link`` of the head).
Graph results go through pyoxigraph's serializers.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence

import pyoxigraph as ox

from .formats import Format

TRUNCATED_LINK = "https://w3id.org/tfkg/ontology#truncated"
NATIVE_RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}


class _CapPassedError(Exception):
    """Raised inside pyoxigraph's serializer by :class:`_CappedLines`; never leaves this module."""


class _CappedLines:
    """A binary sink for pyoxigraph's TSV writer that keeps the header and at most ``cap`` rows.

    pyoxigraph hands it buffered chunks; once a chunk completes row ``cap + 1``, the sink
    keeps the bytes up to the end of row ``cap`` and stops the serializer by raising.
    """

    def __init__(self, cap: int) -> None:
        self.chunks: list[bytes] = []
        self.lines = 0
        self.limit = cap + 1  # the header line, then the rows
        self.truncated = False

    def write(self, data: bytes) -> int:
        if self.truncated:  # the serializer's buffer flushes once more when it is dropped
            raise _CapPassedError
        chunk = bytes(data)
        lines = self.lines + chunk.count(b"\n")
        if lines > self.limit:
            end = -1
            for _ in range(self.limit - self.lines):
                end = chunk.index(b"\n", end + 1)
            self.chunks.append(chunk[: end + 1])
            self.truncated = True
            raise _CapPassedError
        self.chunks.append(chunk)
        self.lines = lines
        return len(chunk)

    def flush(self) -> None:
        pass


def select(solutions: ox.QuerySolutions, fmt: Format, cap: int) -> tuple[bytes, bool]:
    """SELECT results in ``fmt``, at most ``cap`` rows, by pyoxigraph; and whether rows were cut."""
    sink = _CappedLines(cap)
    with contextlib.suppress(_CapPassedError):
        # Any object with write() will do; the stubs ask for IO[bytes].
        solutions.serialize(sink, ox.QueryResultsFormat.TSV)  # type: ignore[arg-type]
    body = b"".join(sink.chunks)
    if fmt.name != "tsv":
        parsed = ox.parse_query_results(body, ox.QueryResultsFormat.TSV)
        body = parsed.serialize(format=NATIVE_RESULT_FORMATS[fmt.name]) or b""
    if sink.truncated:
        if fmt.name == "json":  # the head always starts {"head":{"vars":[...]; names hold no ']'
            end = body.index(b"]") + 1
            body = body[:end] + b',"link":["' + TRUNCATED_LINK.encode() + b'"]' + body[end:]
        elif fmt.name == "xml":
            body = body.replace(b"</head>", b'<link href="' + TRUNCATED_LINK.encode() + b'"/></head>', 1)
    return body, sink.truncated


def write_boolean(fmt: Format, value: bool) -> bytes:
    if fmt.name == "json":
        return json.dumps({"head": {}, "boolean": value}).encode("utf-8")
    if fmt.name == "xml":
        text = "true" if value else "false"
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n'
            f"<head/>\n<boolean>{text}</boolean>\n</sparql>\n"
        ).encode()
    if fmt.name in ("csv", "tsv"):
        return (
            ("_askResult\n" if fmt.name == "csv" else "?_askResult\n") + ("true" if value else "false") + "\n"
        ).encode()
    raise ValueError(fmt.name)


GRAPH_RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
}


def write_graph(fmt: Format, triples: Sequence[ox.Triple], prefixes: dict[str, str]) -> bytes:
    options = {"prefixes": prefixes} if fmt.name in ("turtle", "rdfxml") else {}
    data = ox.serialize(triples, format=GRAPH_RDF_FORMATS[fmt.name], **options)  # type: ignore[arg-type]
    return data or b""
