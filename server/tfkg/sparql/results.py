"""Writing query results in the SPARQL result formats, with a row cap.

pyoxigraph serializes whole result sets; tfkg caps rows, so SELECT results are written here,
by the W3C specifications for JSON, XML, CSV and TSV results. Graph results go through
pyoxigraph's serializers.
"""

from __future__ import annotations

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
