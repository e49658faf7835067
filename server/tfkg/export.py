"""The downloads: the whole dataset as N-Quads, TriG and Turtle (gzip), with DCAT and VoID.

`tfkg export` and the /downloads page write and serve the same files, made from the
published build, so the downloads contain exactly the built graph.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, XSD

from .errors import TfkgError
from .namespaces import SERIALIZATION_PREFIXES
from .sparql.description import describe_dataset

FORMATS = {
    "nquads": ("tfkg.nq.gz", "application/n-quads", ox.RdfFormat.N_QUADS),
    "trig": ("tfkg.trig.gz", "application/trig", ox.RdfFormat.TRIG),
    "turtle": ("tfkg.ttl.gz", "text/turtle", ox.RdfFormat.TURTLE),
}
VOID = Namespace("http://rdfs.org/ns/void#")


def export(
    dataset: Path, folder: Path, formats: list[str] | None = None, base: str = "https://w3id.org/tfkg/"
) -> list[Path]:
    """Write the chosen formats of ``dataset`` (a built N-Quads file, or a file of another RDF
    format that the store reads) and dcat.ttl into ``folder``."""
    if not dataset.is_file():
        raise TfkgError(f"{dataset} does not exist: run `tfkg build` first")
    chosen = formats or list(FORMATS)
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown:
        raise TfkgError(f"unknown format {unknown[0]!r}; choose from {', '.join(FORMATS)}")
    folder.mkdir(parents=True, exist_ok=True)
    from .store import FORMATS as READABLE  # a dataset chosen by hand may be TriG, Turtle...

    quads = list(ox.parse(path=str(dataset), format=READABLE.get(dataset.suffix, ox.RdfFormat.N_QUADS)))
    written = []
    for name in chosen:
        filename, _, fmt = FORMATS[name]
        target = folder / filename
        partial = target.with_suffix(".partial")
        if fmt == ox.RdfFormat.TURTLE:
            data = ox.serialize(
                sorted({q.triple for q in quads}, key=str), format=fmt, prefixes=SERIALIZATION_PREFIXES
            )
        elif fmt == ox.RdfFormat.TRIG:
            data = ox.serialize(quads, format=fmt, prefixes=SERIALIZATION_PREFIXES)
        else:
            data = dataset.read_bytes()  # the build's N-Quads are already the canonical dump
        with gzip.GzipFile(partial, "wb", mtime=0) as handle:  # mtime 0: the same data gives the same bytes
            handle.write(data or b"")
        partial.replace(target)
        written.append(target)
    dcat = dcat_description(folder, base)
    dcat.serialize(folder / "dcat.ttl", format="turtle")
    written.append(folder / "dcat.ttl")
    return written


def dcat_description(folder: Path, base: str) -> Graph:
    graph = Graph()
    graph.bind("dcat", DCAT)
    graph.bind("dcterms", DCTERMS)
    graph.bind("void", VOID)
    dataset = URIRef(base.rstrip("/") + "/dataset")
    graph.add((dataset, RDF.type, DCAT.Dataset))
    graph.add((dataset, RDF.type, VOID.Dataset))
    describe_dataset(graph, dataset)
    for name, (filename, media, _) in FORMATS.items():
        path = folder / filename
        if not path.exists():
            continue
        distribution = BNode(name)
        graph.add((dataset, DCAT.distribution, distribution))
        graph.add((distribution, RDF.type, DCAT.Distribution))
        graph.add((distribution, DCAT.downloadURL, URIRef(base.rstrip("/") + "/downloads/" + filename)))
        graph.add(
            (distribution, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/{media}"))
        )
        graph.add(
            (
                distribution,
                DCAT.compressFormat,
                URIRef("https://www.iana.org/assignments/media-types/application/gzip"),
            )
        )
        graph.add(
            (distribution, DCAT.byteSize, Literal(path.stat().st_size, datatype=XSD.nonNegativeInteger))
        )
        graph.add((dataset, VOID.dataDump, URIRef(base.rstrip("/") + "/downloads/" + filename)))
    return graph
