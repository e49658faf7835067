"""Writing query results in the SPARQL result formats, with a row cap.

SELECT results are serialized by pyoxigraph (:func:`select`): first as TSV, which writes one
line per row (a newline inside a literal is escaped), into a sink that counts lines and stops
the serializer once the cap is passed, so that a huge result is never held; then, unless TSV
was asked for, the TSV is read back natively and written in the requested format. A capped
result keeps its first rows and is flagged in JSON and XML (the ``link`` of the head).
:func:`write_select` writes the same formats in Python from rows of terms. Graph results go
through pyoxigraph's serializers.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from .formats import Format

Row = Sequence[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None]
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def _json_term(term: object) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {k: _json_term(getattr(term, k)) for k in ("subject", "predicate", "object")},
        }
    raise TypeError(term)


def _xml_term(term: object) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


def _tsv_term(term: object) -> str:
    return "" if term is None else str(term)


def _csv_term(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term)


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


def write_select(fmt: Format, variables: Sequence[str], rows: Iterable[Row], truncated: bool) -> bytes:
    """SELECT results in ``fmt``; ``truncated`` is flagged in JSON and XML (and by the caller's header)."""
    if fmt.name == "json":
        body: dict[str, object] = {
            "head": {"vars": list(variables)},
            "results": {
                "bindings": [
                    {v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None}
                    for row in rows
                ]
            },
        }
        if truncated:
            body["head"] = {"vars": list(variables), "link": ["https://w3id.org/tfkg/ontology#truncated"]}
        return json.dumps(body, ensure_ascii=False).encode("utf-8")
    if fmt.name == "xml":
        out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
        out += [f"<variable name={quoteattr(v)}/>" for v in variables]
        if truncated:
            out.append('<link href="https://w3id.org/tfkg/ontology#truncated"/>')
        out.append("</head>\n<results>")
        for row in rows:
            out.append("<result>")
            out += [
                f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                for v, t in zip(variables, row, strict=True)
                if t is not None
            ]
            out.append("</result>")
        out.append("</results>\n</sparql>\n")
        return "\n".join(out).encode("utf-8")
    if fmt.name == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(variables)
        writer.writerows([_csv_term(t) for t in row] for row in rows)
        return buffer.getvalue().encode("utf-8")
    if fmt.name == "tsv":
        lines = ["\t".join(f"?{v}" for v in variables)]
        lines += ["\t".join(_tsv_term(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ValueError(fmt.name)


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
