"""Protocol-independent query handling: guards, deadline, row cap and result formats.

`SparqlEngine.run` takes what a request asks for and returns an :class:`Answer` (status,
content type, body, headers) or raises a :class:`SparqlError` whose status and message say
what is wrong. Flask never appears here; the web layer only translates.
"""

from __future__ import annotations

import gc
import queue
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

import pyoxigraph as ox

from ..config import Settings
from ..errors import TfkgError
from ..store import DatasetSpec, Store, Term
from . import results, sandbox
from .evaluators import EvaluatorError, EvaluatorPool, Zygote
from .formats import GRAPH_FORMATS, RESULT_FORMATS, Format, negotiate
from .lexer import scan
from .parsed import STACK_BYTES, QueryRefusedError, canonical, check_nesting, refuse_remote


class SparqlError(TfkgError):
    """A request the endpoint will not or cannot answer; ``status`` is the HTTP status."""

    def __init__(self, message: str, status: int = 400, **context: object) -> None:
        super().__init__(message)
        self.status = status
        self.context = context


@dataclass(frozen=True)
class Limits:
    """Safety limits, from settings."""

    timeout: float = 10.0
    max_rows: int = 10_000
    #: "process": queries from outside run in killable evaluator processes behind the network
    #: wall (evaluators.py); "thread": on this process's threads (tests, embedding).
    isolation: str = "process"
    #: Address space an evaluator may add to what it inherits, in MiB.
    memory_mib: int = 1024
    #: Refuse SERVICE from the parsed query. Off only to prove the wall alone holds.
    parse_check: bool = True


def limits_from(settings: Settings) -> Limits:
    """The engine's limits as the settings give them."""
    return Limits(
        timeout=settings.query_timeout,
        max_rows=settings.max_rows,
        isolation=settings.isolation,
        memory_mib=settings.query_memory,
        parse_check=settings.parse_check == "on",
    )


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SparqlRequest:
    query: str
    dataset: DatasetSpec = field(default_factory=DatasetSpec)
    accept: str | None = None
    format: str | None = None
    substitutions: Mapping[str, Term] | None = None
    base_iri: str | None = None
    #: tfkg's own text (a catalogue query with typed bindings): not parsed again or isolated.
    trusted: bool = False


_POSITION = re.compile(r"error at (\d+):(\d+)")


class SparqlEngine:
    """Runs queries against a store within limits, on a small thread pool."""

    def __init__(
        self,
        store: Store,
        limits: Limits,
        prefixes: dict[str, str],
        threads: int = 4,
        on_runaway: Callable[[], None] | None = None,
    ) -> None:
        self.store = store
        self.limits = limits
        self.prefixes = prefixes
        self.on_runaway = on_runaway
        self._size = max(2, threads * 2)
        # One token per query thread: a query waits for a free one (at most the deadline).
        # SimpleQueue and a bare lock (below) are the cheapest hand-off the standard library
        # has; threading's Semaphore and Event are Python code over several locks.
        self._slots: queue.SimpleQueue[None] = queue.SimpleQueue()
        for _ in range(self._size):
            self._slots.put(None)
        self._jobs: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self._workers: list[threading.Thread] = []
        self._workers_lock = threading.Lock()
        self._pool: EvaluatorPool | None = None
        self._pool_version = 0

    def start_evaluators(self, replace_gone: EvaluatorPool | None = None) -> None:
        """Fork the evaluators' zygote now, from this (still single-threaded) process.

        The server calls this in its master before the web workers fork, so that they share
        one zygote; otherwise it is started on the first query from outside. It is forked
        again when the graph has changed, or when ``replace_gone``, the pool whose zygote has
        died (it never should: it runs no query), is still the current one.
        """
        if self.limits.isolation != "process":
            return
        version = getattr(self.store, "version", 0)

        def usable() -> bool:
            return self._pool is not None and self._pool_version == version and self._pool is not replace_gone

        if usable():
            return
        with self._workers_lock:
            if usable():
                return
            if self._pool is not None:
                # The graph changed (an update, with TFKG_UPDATE_TOKEN and one worker): the old
                # zygote holds the old graph, so a new one is forked from this process.
                self._pool.close()
            warm_up = (SparqlRequest(query="ASK { ?s ?p ?o }", format="json"), None)
            zygote = Zygote(self._evaluate_in_evaluator, self.limits.memory_mib * 1024 * 1024, warm_up)
            zygote.start()
            self._pool, self._pool_version = (
                EvaluatorPool(zygote, self._size, self.limits.memory_mib),
                version,
            )

    def run(self, request: SparqlRequest) -> Answer:
        """Guard, evaluate within the deadline, and serialize."""
        if not request.trusted:
            try:
                text = canonical(request.query)
                check_nesting(text)
            except QueryRefusedError as refused:
                raise SparqlError(refused.message, status=refused.status) from None
            request = replace(request, query=text)
        shape = scan(request.query)
        if shape.is_update:
            raise SparqlError(
                "This endpoint is read-only: SPARQL Update requests "
                f"({', '.join(sorted(set(shape.update_keywords)))}) are refused.",
                status=403,
            )
        if shape.unreadable_from:
            raise SparqlError(
                "FROM and FROM NAMED need the graph's full IRI in angle brackets, e.g. "
                "FROM <https://w3id.org/tfkg/graph/source/...>; a prefixed name is not accepted there, "
                "so that tfkg can check the graph is in its dataset (GET /sparql lists the graphs).",
                status=403,
            )
        self._check_graphs(shape.from_graphs + shape.from_named_graphs, "FROM")
        self._check_graphs(
            list(request.dataset.default_graphs + request.dataset.named_graphs), "the dataset parameters"
        )
        if not request.dataset.given and (shape.from_graphs or shape.from_named_graphs):
            # The query's own FROM is its dataset, handed to the store as one: pyoxigraph would
            # otherwise let the union default graph override it. Protocol parameters, when
            # given, take precedence over FROM (SPARQL 1.1 Protocol, 2.1.4).
            dataset = DatasetSpec(tuple(shape.from_graphs), tuple(shape.from_named_graphs))
            request = replace(request, dataset=dataset)
        fmt = None
        if shape.form in ("SELECT", "ASK"):
            fmt = negotiate(RESULT_FORMATS, request.accept, request.format)
        elif shape.form in ("CONSTRUCT", "DESCRIBE"):
            fmt = negotiate(GRAPH_FORMATS, request.accept, request.format)
        if not request.trusted and self.limits.isolation == "process":
            return self._in_evaluator(request, fmt)
        return self._within_deadline(request, fmt)

    def _in_evaluator(self, request: SparqlRequest, fmt: Format | None) -> Answer:
        """Evaluate in an evaluator process, which is killed if it outlives the deadline."""
        self.start_evaluators()
        pool = self._pool
        assert pool is not None
        try:
            try:
                answer = pool.evaluate((request, fmt), self.limits.timeout)
            except EvaluatorError as failed:
                if failed.reason != "zygote":
                    raise
                self.start_evaluators(replace_gone=pool)
                assert self._pool is not None
                answer = self._pool.evaluate((request, fmt), self.limits.timeout)
        except EvaluatorError as failed:
            if failed.reason == "deadline":
                raise self._past_deadline() from None
            raise SparqlError(failed.message, status=503, limit=failed.reason) from None
        assert isinstance(answer, Answer)
        return answer

    def _evaluate_in_evaluator(self, job: tuple[SparqlRequest, Format | None]) -> Answer:
        """What an evaluator process runs for one request (see evaluators.py)."""
        return self._evaluate(*job)

    def _past_deadline(self) -> SparqlError:
        return SparqlError(
            f"The query ran past the {self.limits.timeout:g} s limit (TFKG_QUERY_TIMEOUT) and was "
            "abandoned. Narrow it (add LIMIT, bind more variables) or run it on the downloads.",
            status=503,
            limit_seconds=self.limits.timeout,
        )

    def _within_deadline(self, request: SparqlRequest, fmt: Format | None) -> Answer:
        """Evaluate on one of the engine's daemon threads and wait at most the deadline.

        The engine cannot be interrupted mid-query, so a runaway keeps its thread; the threads
        are daemons, so a runaway never holds the process open, and ``on_runaway`` lets the
        server replace the process. The threads are started once and reused: starting a
        thread per query cost a sixth of a small query's time (bench/RESULTS.md).
        """
        try:
            self._slots.get(timeout=self.limits.timeout)
        except queue.Empty:
            raise SparqlError(
                "The server is busy with other queries; try again shortly.", status=503
            ) from None
        outcome: list[Answer | BaseException] = []
        done = threading.Lock()
        done.acquire()  # released by the query thread when the outcome is in

        def work() -> None:
            try:
                outcome.append(self._evaluate(request, fmt))
            except BaseException as error:
                outcome.append(error)
            finally:
                self._slots.put(None)
                done.release()

        self._jobs.put(work)
        self._ensure_workers()
        if not done.acquire(timeout=self.limits.timeout):
            if self.on_runaway is not None:
                self.on_runaway()
            raise self._past_deadline()
        result = outcome[0]
        if isinstance(result, BaseException):
            raise result
        assert isinstance(result, Answer)
        return result

    def _ensure_workers(self) -> None:
        """Start the worker threads on first use, in the process that serves (after a fork)."""
        if len(self._workers) >= self._size:
            return
        with self._workers_lock:
            # Large stacks, as in the evaluators: the parse check of a deeply nested query
            # recurses (parsed.STACK_BYTES says how deep is allowed).
            previous = threading.stack_size(STACK_BYTES)
            try:
                while len(self._workers) < self._size:
                    worker = threading.Thread(target=self._serve_jobs, name="tfkg-query", daemon=True)
                    worker.start()
                    self._workers.append(worker)
            finally:
                threading.stack_size(previous)

    def _serve_jobs(self) -> None:
        while True:
            self._jobs.get()()

    def _check_graphs(self, graphs: list[str], where: str) -> None:
        known = self.store.graph_names()
        unknown = [g for g in graphs if g not in known]
        if unknown:
            raise SparqlError(
                f"{where} names graphs that are not in this dataset: {', '.join(unknown)}. "
                "tfkg never loads remote or file graphs; its graphs are listed in the service description (GET /sparql).",
                status=403,
            )

    def _evaluate(self, request: SparqlRequest, fmt: Format | None) -> Answer:
        """Parse-check, evaluate and serialize on this thread (or evaluator process).

        pyoxigraph's results must be freed on the thread that made them, so no failure may
        carry one away: the error raised is built outside the ``except`` blocks (no context
        chain, no traceback into the serializer), and rdflib's parser's reference cycles are
        collected here after a parse, rather than on whichever thread next runs the collector.
        """
        parses = refuse_remote.cache_info().misses
        failure: SparqlError | None = None
        with sandbox.no_io():
            try:
                if self.limits.parse_check and not request.trusted:
                    refuse_remote(request.query)
                result = self.store.query(
                    request.query, request.substitutions, request.dataset, request.base_iri
                )
                try:
                    return self._serialize(result, request, fmt)
                finally:
                    del result
            except QueryRefusedError as refused:
                failure = SparqlError(refused.message, status=refused.status, **refused.position)
            except SyntaxError as error:
                message = str(error)
                found = _POSITION.search(message)
                position = {"line": int(found[1]), "column": int(found[2])} if found else {}
                failure = SparqlError(f"The query is not valid SPARQL: {message}", status=400, **position)
            except (OSError, RuntimeError, ValueError) as error:
                # pyoxigraph's evaluation errors (an unsupported function, a bad argument).
                failure = SparqlError(f"The query could not be evaluated: {error}", status=400)
            finally:
                if refuse_remote.cache_info().misses != parses:
                    gc.collect()
        raise failure

    def _serialize(self, result: object, request: SparqlRequest, fmt: Format | None) -> Answer:
        cap = self.limits.max_rows
        headers: dict[str, str] = {}
        if isinstance(result, ox.QueryBoolean):
            fmt = fmt or negotiate(RESULT_FORMATS, request.accept, request.format)
            return Answer(200, fmt.content_type, results.write_boolean(fmt, bool(result)))
        if isinstance(result, ox.QuerySolutions):
            fmt = fmt or negotiate(RESULT_FORMATS, request.accept, request.format)
            body, truncated = results.select(result, fmt, cap)
            if truncated:
                headers["X-TFKG-Truncated"] = f"true; rows capped at {cap} (TFKG_MAX_ROWS)"
            return Answer(200, fmt.content_type, body, headers)
        assert isinstance(result, ox.QueryTriples)
        fmt = fmt or negotiate(GRAPH_FORMATS, request.accept, request.format)
        triples: list[ox.Triple] = []
        for triple in result:
            if len(triples) == cap:
                headers["X-TFKG-Truncated"] = f"true; triples capped at {cap} (TFKG_MAX_ROWS)"
                break
            triples.append(triple)
        return Answer(200, fmt.content_type, results.write_graph(fmt, triples, self.prefixes), headers)
