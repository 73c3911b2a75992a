"""/sparql over a remote SPARQL server (kg.remote) instead of the local store's sandboxed workers.

The same contract as service.sparql_executor.QueryPool: a per-client share of concurrent queries
(refused at once beyond it), a time limit, results capped at the same size and written in the
format the client asked for. The remote server would run a `SERVICE` clause itself, where our
sandbox cannot reach, so every query is parsed first (rdflib's SPARQL parser, which also expands
\\u escapes) and refused when its parse tree holds a SERVICE pattern; a query the parser cannot
read is refused too rather than forwarded unchecked.
"""
from __future__ import annotations

import socket
import threading
import time
import urllib.parse

from kg.remote import RemoteStore, RemoteStoreError
from service.sparql_executor import (GRAPH_FORMATS, SERVICE_REFUSED, SOLUTION_FORMATS, Enough, LineCappedWriter,
                                     QueryFailed, QueryRefused, QueryResult, QueryTimeout, graph_from_ntriples,
                                     solutions_from_tsv)

READ_BLOCK = 1 << 16


def query_form(query: str) -> str:
    """select | ask | construct | describe, from the parse tree; QueryFailed for SERVICE or no parse."""
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    try:
        tree = parseQuery(query)
    except Exception as error:  # noqa: BLE001 - pyparsing raises several kinds; all mean "cannot be read"
        raise QueryFailed("syntax", f"the query cannot be parsed: {error}") from None
    names: set[str] = set()
    pending = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, CompValue):
            names.add(node.name)
            pending.extend(node.values())
        elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
            pending.extend(node)
    if "ServiceGraphPattern" in names:
        raise QueryFailed("service", SERVICE_REFUSED)
    return tree[1].name.removesuffix("Query").lower()


class RemoteQueries:
    def __init__(self, store: RemoteStore, timeout: float, per_client: int, max_concurrent: int):
        self.store = store
        self.timeout = timeout
        self.per_client = max(1, per_client)
        self.max_concurrent = max(1, max_concurrent)
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
        form = query_form(job["query"])
        self._admit(client)
        started = time.perf_counter()
        try:
            return self._run(job, form, timeout, started)
        except (socket.timeout, TimeoutError):
            raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped") from None
        except RemoteStoreError as error:
            raise QueryFailed("evaluation", str(error)) from None
        finally:
            self._release(client)

    def _run(self, job: dict, form: str, timeout: float, started: float) -> QueryResult:
        limit = job["limit"]
        if form == "ask":
            body = self._fetch(job, "application/sparql-results+json", timeout, None)[0]
            solution_form = job["solution_format"] if job["solution_format"] in ("json", "xml") else "json"
            if solution_form == "xml":
                import io

                import pyoxigraph as ox

                output = io.BytesIO()
                ox.parse_query_results(body, ox.QueryResultsFormat.JSON).serialize(output, ox.QueryResultsFormat.XML)
                body = output.getvalue()
            return QueryResult(SOLUTION_FORMATS[solution_form], body, False, 1, "boolean",
                               time.perf_counter() - started)
        if form == "select":
            tsv, truncated = self._fetch(job, "text/tab-separated-values", timeout, limit + 1)
            body, count = solutions_from_tsv(tsv, job["solution_format"])
            return QueryResult(SOLUTION_FORMATS[job["solution_format"]], body, truncated, count, "solutions",
                               time.perf_counter() - started)
        ntriples, truncated = self._fetch(job, "application/n-triples", timeout, limit)
        body, count = graph_from_ntriples(ntriples, job["graph_format"])
        return QueryResult(GRAPH_FORMATS[job["graph_format"]], body, truncated, count, "graph",
                           time.perf_counter() - started)

    def _fetch(self, job: dict, accept: str, timeout: float, lines: int | None) -> tuple[bytes, bool]:
        """The server's answer, read only up to `lines` lines (the cap) when given."""
        fields = [("query", job["query"])]
        fields += [("default-graph-uri", g) for g in job.get("default_graphs") or []]
        fields += [("named-graph-uri", g) for g in job.get("named_graphs") or []]
        body = urllib.parse.urlencode(fields).encode()
        with self.store.request(self.store.endpoints.query_url, body, "application/x-www-form-urlencoded", accept,
                                timeout=timeout) as response:
            if lines is None:
                return response.read(), False
            writer = LineCappedWriter(lines)
            try:
                while block := response.read(READ_BLOCK):
                    writer.write(block)
            except Enough:
                pass
            return writer.capped()

    def recycle_idle(self) -> None:
        """Nothing to recycle: no worker holds a store."""

    def close(self) -> None:
        pass
