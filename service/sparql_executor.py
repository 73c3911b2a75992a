"""Running SPARQL queries in worker processes, so that a runaway query can really be stopped.

pyoxigraph has no way to cancel a query, so each query runs in a worker process that holds a
read-only handle on the store; when the time limit passes the worker is killed (the query
dies with it) and a fresh one takes its place, while other workers keep answering. Results
are serialized in the worker and capped at a maximum size; a capped result says so.
"""
from __future__ import annotations

import io
import itertools
import multiprocessing
import queue
import threading
import time
from dataclasses import dataclass

from kg.prefixes import PREFIX_IRIS
from service.sandbox import SandboxUnavailable, forbid_network, is_network_refusal

SOLUTION_FORMATS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_FORMATS = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}
SERVICE_REFUSED = ("SERVICE is disabled: this endpoint never sends requests to other servers "
                   "(federated queries are refused)")


class QueryTimeout(Exception):
    pass


class QueryFailed(Exception):
    def __init__(self, kind: str, message: str):
        self.kind = kind          # syntax | evaluation | service | sandbox | internal | busy
        self.message = message
        super().__init__(message)


@dataclass
class QueryResult:
    content_type: str
    body: bytes
    truncated: bool
    count: int
    kind: str                   # boolean | solutions | graph
    seconds: float


# ---------------------------------------------------------------- inside a worker

def _take(results, limit: int) -> tuple[list, bool]:
    """The first `limit` results, and whether there were more."""
    kept = list(itertools.islice(results, limit + 1))
    return kept[:limit], len(kept) > limit


def _json_term(term) -> dict:
    """A term in the SPARQL 1.1 Query Results JSON format."""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        if term.language:
            return {"type": "literal", "value": term.value, "xml:lang": term.language}
        if term.datatype.value == "http://www.w3.org/2001/XMLSchema#string":
            return {"type": "literal", "value": term.value}
        return {"type": "literal", "value": term.value, "datatype": term.datatype.value}
    return {"type": "triple", "value": {"subject": _json_term(term.subject), "predicate": _json_term(term.predicate),
                                        "object": _json_term(term.object)}}


def _serialize_solutions(solutions, form: str, limit: int) -> tuple[bytes, bool, int]:
    """At most `limit` solutions, written as SPARQL JSON and, for the other formats, converted by
    pyoxigraph's own result serializers (it reads back the capped JSON)."""
    import json

    import pyoxigraph as ox

    variables = [v.value for v in solutions.variables]
    kept, truncated = _take(solutions, limit)
    bindings = [{name: _json_term(solution[name]) for name in variables if solution[name] is not None}
                for solution in kept]
    body = json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}},
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if form != "json":
        target = {"xml": ox.QueryResultsFormat.XML, "csv": ox.QueryResultsFormat.CSV,
                  "tsv": ox.QueryResultsFormat.TSV}[form]
        output = io.BytesIO()
        ox.parse_query_results(body, ox.QueryResultsFormat.JSON).serialize(output, target)
        body = output.getvalue()
    return body, truncated, len(bindings)


def _serialize_graph(triples, form: str, limit: int) -> tuple[bytes, bool, int]:
    import pyoxigraph as ox

    collected, truncated = _take(triples, limit)
    rdf_format = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
                  "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}[form]
    prefixes = PREFIX_IRIS if form in ("turtle", "rdfxml", "jsonld") else None
    body = ox.serialize(collected, format=rdf_format, prefixes=prefixes) if prefixes else \
        ox.serialize(collected, format=rdf_format)
    return body, truncated, len(collected)


def execute(stores: dict, job: dict) -> dict:
    """Run one query; returns a picklable answer dict (never raises)."""
    import pyoxigraph as ox

    started = time.perf_counter()
    try:
        store = stores.get(job["store"])
        if store is None:
            stores.clear()
            store = stores[job["store"]] = ox.Store.read_only(job["store"])
        options = {"base_iri": job.get("base_iri")}
        if job.get("default_graphs") is not None or job.get("named_graphs") is not None:
            options["default_graph"] = [ox.NamedNode(g) for g in job.get("default_graphs") or []] or ox.DefaultGraph()
            options["named_graphs"] = [ox.NamedNode(g) for g in job.get("named_graphs") or []]
        result = store.query(job["query"], **options)
        limit = job["limit"]
        if isinstance(result, ox.QueryBoolean):
            form = job["solution_format"] if job["solution_format"] in ("json", "xml") else "json"
            output = io.BytesIO()
            result.serialize(output, ox.QueryResultsFormat.JSON if form == "json" else ox.QueryResultsFormat.XML)
            body, truncated, count, kind = output.getvalue(), False, 1, "boolean"
            content_type = SOLUTION_FORMATS[form]
        elif isinstance(result, ox.QuerySolutions):
            form = job["solution_format"]
            body, truncated, count = _serialize_solutions(result, form, limit)
            kind, content_type = "solutions", SOLUTION_FORMATS[form]
        else:
            form = job["graph_format"]
            body, truncated, count = _serialize_graph(result, form, limit)
            kind, content_type = "graph", GRAPH_FORMATS[form]
        return {"ok": True, "content_type": content_type, "body": body, "truncated": truncated, "count": count,
                "kind": kind, "seconds": time.perf_counter() - started}
    except SyntaxError as error:
        return {"ok": False, "kind": "syntax", "message": str(error)}
    except (OSError, RuntimeError, ValueError, TypeError) as error:
        if is_network_refusal(str(error)):
            return {"ok": False, "kind": "service", "message": SERVICE_REFUSED}
        return {"ok": False, "kind": "evaluation", "message": str(error)}


def worker_main(connection) -> None:
    """A query worker: no network from its first instruction on, then jobs until told to stop."""
    try:
        forbid_network()
        refusal = None
    except SandboxUnavailable as error:
        # Fail closed: without the sandbox a query could reach the network, so none is run.
        refusal = {"ok": False, "kind": "sandbox", "message": f"queries are disabled: {error}"}
    stores: dict = {}
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            connection.send(refusal or execute(stores, job))
        except Exception as error:  # noqa: BLE001 - a worker reports every failure rather than die silently
            connection.send({"ok": False, "kind": "internal", "message": f"{type(error).__name__}: {error}"})


# ---------------------------------------------------------------- the pool, in the server

class _Worker:
    def __init__(self, context):
        parent, child = context.Pipe(duplex=True)
        self.process = context.Process(target=worker_main, args=(child,), daemon=True, name="sparql-worker")
        self.process.start()
        child.close()
        self.connection = parent

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.connection.close()

    def stop(self) -> None:
        try:
            self.connection.send(None)
        except OSError:
            pass
        self.process.join(timeout=2)
        if self.process.is_alive():
            self.process.kill()
        self.connection.close()


class QueryPool:
    """Worker processes shared by the request threads of one server process."""

    def __init__(self, size: int = 2, max_size: int = 4, timeout: float = 10.0):
        self.size = size
        self.max_size = max(size, max_size)
        self.timeout = timeout
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._lock = threading.Lock()
        self._count = 0
        self._closed = False
        for _ in range(size):
            self._idle.put(self._spawn())

    def _spawn(self) -> _Worker:
        with self._lock:
            self._count += 1
        return _Worker(self._context)

    def _acquire(self, deadline: float) -> _Worker:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            can_grow = self._count < self.max_size
        if can_grow:
            return self._spawn()
        try:
            return self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise QueryFailed("busy", "every query worker is busy; try again shortly") from None

    def _retire(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._count -= 1
        if not self._closed and self._count < self.size:
            self._idle.put(self._spawn())

    def run(self, job: dict, timeout: float | None = None) -> QueryResult:
        timeout = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + timeout
        worker = self._acquire(deadline)
        try:
            worker.connection.send(job)
            if not worker.connection.poll(max(0.0, deadline - time.monotonic())):
                self._retire(worker)
                raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped")
            answer = worker.connection.recv()
        except (EOFError, OSError, BrokenPipeError):
            self._retire(worker)
            raise QueryFailed("internal", "the query worker stopped unexpectedly; the query was not completed") from None
        self._idle.put(worker)
        if not answer["ok"]:
            raise QueryFailed(answer["kind"], answer["message"])
        return QueryResult(answer["content_type"], answer["body"], answer["truncated"], answer["count"],
                           answer["kind"], answer["seconds"])

    def close(self) -> None:
        self._closed = True
        while True:
            try:
                self._idle.get_nowait().stop()
            except queue.Empty:
                break
