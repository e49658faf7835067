"""The peer: rdflib-endpoint serving one RDF file, as its own `rdflib-endpoint serve` does.

Runs in the peer's virtualenv (bench/.venv-peer), never in tfkg's, as a uvicorn app factory
so that uvicorn can start several workers (each loads the file itself):

    TFKG_BENCH_PEER_DATA=file.nt bench/.venv-peer/bin/uvicorn peer_app:create_app --factory \
        --app-dir bench --host 127.0.0.1 --port 8001 --workers 2

The graph is built exactly as the CLI builds it: an rdflib Dataset with default_union=True,
parsed from the file; the endpoint answers at "/".
"""

from __future__ import annotations

import os

from rdflib import Dataset
from rdflib_endpoint import SparqlEndpoint


def create_app() -> SparqlEndpoint:
    path = os.environ["TFKG_BENCH_PEER_DATA"]
    graph = Dataset(default_union=True)
    graph.parse(path)
    return SparqlEndpoint(graph=graph, title="rdflib-endpoint (tfkg benchmark peer)")
