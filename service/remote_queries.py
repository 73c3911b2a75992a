"""/sparql over a remote SPARQL server (kg.remote) instead of the local store's sandboxed workers.

The same contract as service.sparql_executor.QueryPool: a per-client share of concurrent queries
(refused at once beyond it), a time limit (503 when it passes), results capped at the same size and
written in the format the client asked for.

The remote server runs whatever text it is sent, SERVICE clauses and updates included, with a parser
of its own. So the client's text is never sent: a sandboxed worker parses it once, decides on that
parse tree (its form, SERVICE, extension functions, how deeply it nests) and writes it out again in a
canonical form that every SPARQL parser reads the same way (service.sparql_canonical); that canonical
text is what the server receives. The parse runs in the worker processes of a QueryPool (no network,
a memory limit, killed at the time limit), since rdflib's parser is not thread-safe and recurses
once per level of nesting.
"""
from __future__ import annotations

import io
import logging
import threading
import time
import urllib.parse

from kg.remote import RemoteStore, RemoteStoreError, RemoteTimeout, RemoteUnavailable
from service.negotiation import FORM, GRAPH_FORMATS, N_TRIPLES, SOLUTION_FORMATS, SPARQL_RESULTS_JSON, TSV
from service.sparql_executor import (Enough, LineCappedWriter, QueryFailed, QueryPool, QueryRefused, QueryResult,
                                     QueryTimeout, graph_from_ntriples, solutions_from_tsv)
from service.sparql_query import longest_operator_run

READ_BLOCK = 1 << 16
MAX_BOOLEAN_BYTES = 1 << 16     # an ASK answer is a few dozen bytes; more is not an answer to read

log = logging.getLogger(__name__)


class RemoteQueries:
    def __init__(self, store: RemoteStore, checker: QueryPool, timeout: float, per_client: int,
                 max_concurrent: int, max_depth: int):
        self.store = store
        self.checker = checker
        self.timeout = timeout
        self.per_client = max(1, per_client)
        self.max_concurrent = max(1, max_concurrent)
        self.max_depth = max_depth
        self._running: dict[str, int] = {}
        self._lock = threading.Lock()

    def _admit(self, client: str) -> None:
        with self._lock:
            if self._running.get(client, 0) >= self.per_client:
                raise QueryRefused("client-share", "you already have the most queries one client may run at once; "
                                   "wait for one to finish", max(1, int(self.timeout)))
            if sum(self._running.values()) >= self.max_concurrent:
                raise QueryRefused("busy", "every query slot is busy; try again shortly", max(1, int(self.timeout)))
            self._running[client] = self._running.get(client, 0) + 1

    def _release(self, client: str) -> None:
        with self._lock:
            self._running[client] -= 1
            if not self._running[client]:
                del self._running[client]

    def run(self, job: dict, client: str = "-", timeout: float | None = None) -> QueryResult:
        timeout = self.timeout if timeout is None else timeout
        started = time.perf_counter()
        run = longest_operator_run(job["query"])
        if run > self.max_depth:    # a cost guard only: the check itself measures the parse tree
            raise QueryFailed("depth", f"the query chains {run} operators in a row (&&, ||, +, UNION, OPTIONAL, "
                                       f"...), each a level deeper for the server; the limit is {self.max_depth}")
        self._admit(client)
        try:
            checked = self.checker.check(job["query"], job.get("base_iri"), self.max_depth, client, timeout)
            left = timeout - checked["seconds"]      # the time limit counts the check, not a worker's start
            if left <= 0:
                raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped")
            return self._run(job, checked["form"], checked["text"], left, started)
        except RemoteTimeout:
            raise QueryTimeout(f"the SPARQL server did not answer within {timeout:g} s; the query was abandoned "
                               "(the server stops it at its own time limit: see the README)") from None
        except RemoteUnavailable as error:
            raise QueryFailed("unreachable", str(error)) from None
        except RemoteStoreError as error:
            raise QueryFailed("evaluation", str(error)) from None
        except MemoryError:
            raise QueryFailed("memory", "the query exceeds the memory limit: its result is too large to be "
                                        "read; narrow it") from None
        finally:
            self._release(client)

    def _run(self, job: dict, form: str, text: str, timeout: float, started: float) -> QueryResult:
        limit, max_bytes = job["limit"], job.get("max_bytes")
        if form == "ask":
            body = self._fetch(job, text, SPARQL_RESULTS_JSON, timeout, None)[0]
            solution_form = job["solution_format"] if job["solution_format"] in ("json", "xml") else "json"
            body = _boolean_answer(body, solution_form)
            return QueryResult(SOLUTION_FORMATS[solution_form], body, False, 1, "boolean",
                               time.perf_counter() - started)
        if form == "select":
            tsv, truncated = self._fetch(job, text, TSV, timeout, limit + 1)
            body, count, cut = solutions_from_tsv(tsv, job["solution_format"], max_bytes)
            return QueryResult(SOLUTION_FORMATS[job["solution_format"]], body, truncated or cut, count, "solutions",
                               time.perf_counter() - started)
        ntriples, truncated = self._fetch(job, text, N_TRIPLES, timeout, limit)
        body, count, cut = graph_from_ntriples(ntriples, job["graph_format"], max_bytes)
        return QueryResult(GRAPH_FORMATS[job["graph_format"]], body, truncated or cut, count, "graph",
                           time.perf_counter() - started)

    def _fetch(self, job: dict, text: str, accept: str, timeout: float, lines: int | None) -> tuple[bytes, bool]:
        """The server's answer to the canonical `text`, read only up to `lines` lines and the job's
        `max_bytes` (the caps) when given, else only up to MAX_BOOLEAN_BYTES: nothing unbounded is ever
        read into memory."""
        fields = [("query", text)]
        fields += [("default-graph-uri", g) for g in job.get("default_graphs") or []]
        fields += [("named-graph-uri", g) for g in job.get("named_graphs") or []]
        body = urllib.parse.urlencode(fields).encode()
        deadline = time.monotonic() + timeout
        with self.store.request(self.store.endpoints.query_url, body, FORM, accept,
                                timeout=timeout, deadline=deadline) as response:
            if lines is None:
                data = b""
                while len(data) <= MAX_BOOLEAN_BYTES and (block := self.store.read_block(response, READ_BLOCK,
                                                                                          deadline)):
                    data += block
                if len(data) > MAX_BOOLEAN_BYTES:
                    raise QueryFailed("upstream", "the SPARQL server's answer to an ASK query is not a boolean")
                return data, False
            writer = LineCappedWriter(lines, job.get("max_bytes"))
            try:
                while block := self.store.read_block(response, READ_BLOCK, deadline):
                    writer.write(block)
            except Enough:
                pass
            return writer.capped()

    def recycle_idle(self) -> None:
        self.checker.recycle_idle()

    def close(self) -> None:
        self.checker.close()


def _boolean_answer(body: bytes, solution_form: str) -> bytes:
    """The server's SPARQL JSON boolean, checked to be one, in the format the client asked for."""
    import pyoxigraph as ox

    try:
        parsed = ox.parse_query_results(body, ox.QueryResultsFormat.JSON)
    except (SyntaxError, ValueError) as error:
        raise QueryFailed("upstream", f"the SPARQL server's answer cannot be read: {error}") from None
    if not isinstance(parsed, ox.QueryBoolean):
        raise QueryFailed("upstream", "the SPARQL server answered an ASK query with something other than a boolean")
    output = io.BytesIO()
    parsed.serialize(output, ox.QueryResultsFormat.JSON if solution_form == "json" else ox.QueryResultsFormat.XML)
    return output.getvalue()
