"""A SPARQL 1.1 server a user already runs, as the graph store: Oxigraph server, Apache Jena
Fuseki, QLever, Virtuoso, anything that speaks the SPARQL 1.1 Protocol (and, for writing, SPARQL
1.1 Update or the Graph Store Protocol).

    MBC_SPARQL_QUERY_URL   the query endpoint, e.g. http://localhost:7878/query (Oxigraph),
                           http://localhost:3030/mbc/query (Fuseki)
    MBC_SPARQL_UPDATE_URL  the update endpoint (ingest only), e.g. http://localhost:7878/update
    MBC_SPARQL_GSP_URL     optional Graph Store Protocol endpoint, e.g. http://localhost:7878/store:
                           graphs are then replaced with one PUT each instead of updates

It reads and writes the same way the local store does (kg.store.GraphStore; both are
kg.store_protocol.WritableStore): each document a
named graph, the default graph their stored merge, so queries that name no graph mean the same
on every server whatever its union-default-graph setting. Results come back as pyoxigraph terms
(parsed by pyoxigraph from the server's SPARQL JSON and N-Triples), so code reading the graph
does not care which kind of store it holds. Written on the standard library's HTTP client: four
kinds of request, no connection pool needed.
"""
from __future__ import annotations

import http.client
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

import pyoxigraph as ox

from kg.errors import (  # noqa: F401 - raised here, caught by callers
    RemoteStoreError,
    RemoteTimeout,
    RemoteUnavailable,
)

INSERT_BATCH = 5000   # triples per INSERT DATA request when the server has no Graph Store Protocol


@dataclass(frozen=True)
class RemoteEndpoints:
    query_url: str
    update_url: str | None = None
    gsp_url: str | None = None
    timeout: float = 30.0


class RemoteStore:
    """A SPARQL server as the store (kg.store_protocol.WritableStore)."""

    is_local = False
    path = None         # no local files: query workers are not used for a remote store

    def __init__(self, endpoints: RemoteEndpoints, whole_deadline: bool = False):
        self.endpoints = endpoints
        # The service ends every request at a deadline, headers included (a server that trickles them
        # cannot hold a request thread); ingest keeps a time limit per socket operation, since a large
        # write may rightly take long while bytes keep moving.
        self.whole_deadline = whole_deadline

    def __repr__(self) -> str:
        return f"RemoteStore({self.endpoints.query_url})"

    # -- the protocol
    def request(self, url: str, data: bytes, content_type: str, accept: str, method: str = "POST",
                timeout: float | None = None, deadline: float | None = None):
        """An open HTTP response (the caller reads it), or RemoteStoreError: RemoteUnavailable when the
        server cannot be reached or answers 5xx, RemoteTimeout past the time allowed. With a `deadline`
        (time.monotonic()), or on a store made with `whole_deadline`, the whole exchange ends by then."""
        timeout = timeout or self.endpoints.timeout
        if deadline is None and self.whole_deadline:
            deadline = time.monotonic() + timeout
        if deadline is not None:
            return _request_by(url, data, content_type, accept, method, deadline)
        request = urllib.request.Request(url, data=data, method=method,
                                         headers={"Content-Type": content_type, "Accept": accept})
        try:
            return urllib.request.urlopen(request, timeout=timeout)  # noqa: S310 - configured URL
        except urllib.error.HTTPError as error:
            detail = error.read(2000).decode("utf-8", "replace").strip()
            raise _answered(url, error.code, detail or error.reason) from None
        except TimeoutError:
            raise RemoteTimeout(f"{url} did not answer within {timeout:g} s") from None
        except (urllib.error.URLError, OSError) as error:
            if isinstance(getattr(error, "reason", None), TimeoutError):
                raise RemoteTimeout(f"{url} did not answer within {timeout:g} s") from None
            raise _unreachable(url, getattr(error, "reason", error)) from None

    def reachable(self, seconds: float = 2.0) -> str | None:
        """None when the query endpoint answers `ASK {}` within `seconds`, else what is wrong."""
        body = urllib.parse.urlencode({"query": "ASK {}"}).encode()
        try:
            with _request_by(self.endpoints.query_url, body, "application/x-www-form-urlencoded",
                             "application/sparql-results+json", "POST", time.monotonic() + seconds) as response:
                response.read()
        except RemoteStoreError as error:
            return str(error)
        return None

    @staticmethod
    def read_block(response, size: int, deadline: float | None = None) -> bytes:
        """Up to `size` bytes of an answer; RemoteTimeout when the server stalls or the deadline
        (time.monotonic()) has passed, so a server that trickles its answer cannot hold us forever."""
        if deadline is not None and time.monotonic() > deadline:
            raise RemoteTimeout("the SPARQL server did not finish its answer in time")
        try:
            return response.read1(size)    # what has arrived (one read from the socket), not `size` bytes
        except TimeoutError:
            raise RemoteTimeout("the SPARQL server stopped sending its answer") from None

    def query_response(self, query: str, accept: str, timeout: float | None = None):
        body = urllib.parse.urlencode({"query": query}).encode()
        return self.request(self.endpoints.query_url, body, "application/x-www-form-urlencoded", accept,
                            timeout=timeout)

    def _read(self, query: str, accept: str) -> bytes:
        with self.query_response(query, accept) as response:
            return response.read()

    def update(self, update: str) -> None:
        if not self.endpoints.update_url:
            raise RemoteStoreError("writing to the SPARQL server needs MBC_SPARQL_UPDATE_URL (its update endpoint)")
        body = urllib.parse.urlencode({"update": update}).encode()
        with self.request(self.endpoints.update_url, body, "application/x-www-form-urlencoded", "*/*") as response:
            response.read()

    # -- reading (kg.store_protocol.ReadableStore)
    def select(self, query: str) -> list[dict]:
        results = ox.parse_query_results(self._read(query, "application/sparql-results+json"),
                                         ox.QueryResultsFormat.JSON)
        names = [v.value for v in results.variables]
        return [{name: solution[name] for name in names} for solution in results]

    def ask(self, query: str) -> bool:
        return bool(ox.parse_query_results(self._read(query, "application/sparql-results+json"),
                                           ox.QueryResultsFormat.JSON))

    def construct(self, query: str) -> list[ox.Triple]:
        data = self._read(query, "application/n-triples")
        return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(data, ox.RdfFormat.N_TRIPLES)]

    def triples_about(self, iri: str) -> list[ox.Triple]:
        node = ox.NamedNode(iri)   # checks the IRI before it goes into a query
        return self.construct(f"CONSTRUCT {{ {node} ?p ?o }} WHERE {{ {node} ?p ?o }}")

    def default_graph_triples(self):
        return iter(self.construct("CONSTRUCT WHERE { ?s ?p ?o }"))

    def named_graph_quads(self, graph_iri: str | None = None):
        graphs = [graph_iri] if graph_iri is not None else self.named_graphs()
        for graph in graphs:
            name = ox.NamedNode(graph)
            for triple in self.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {name} {{ ?s ?p ?o }} }}"):
                yield ox.Quad(triple.subject, triple.predicate, triple.object, name)

    def named_graphs(self) -> list[str]:
        rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(row["g"].value for row in rows if row["g"] is not None)

    def default_graph_size(self) -> int:
        row = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]
        return int(row["n"].value)

    def close(self) -> None:
        pass

    # -- writing (ingest only)
    def replace_graph(self, graph_iri: str, graph) -> int:
        """Put an rdflib graph (or pyoxigraph triples) in the named graph `graph_iri`, replacing it."""
        triples = graph if isinstance(graph, list) else _triples_of(graph)
        name = ox.NamedNode(str(graph_iri))
        data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        if self.endpoints.gsp_url:
            url = f"{self.endpoints.gsp_url}?{urllib.parse.urlencode({'graph': name.value})}"
            with self.request(url, data, "application/n-triples", "*/*", method="PUT") as response:
                response.read()
            return len(triples)
        self.update(f"DROP SILENT GRAPH {name}")
        lines = data.decode("utf-8").splitlines()
        for start in range(0, len(lines), INSERT_BATCH):
            block = "\n".join(lines[start:start + INSERT_BATCH])
            self.update(f"INSERT DATA {{ GRAPH {name} {{\n{block}\n}} }}")
        return len(triples)

    def remove_graph(self, graph_iri: str) -> None:
        self.update(f"DROP SILENT GRAPH {ox.NamedNode(str(graph_iri))}")

    def rebuild_default_graph(self) -> int:
        """The default graph as the merge of the named graphs (see kg.store.GraphStore)."""
        self.update("DROP SILENT DEFAULT")
        self.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        return self.default_graph_size()


def _answered(url: str, status: int, detail) -> RemoteStoreError:
    kind = RemoteUnavailable if status >= 500 else RemoteStoreError
    return kind(f"{url} answered {status}: {detail}")


def _unreachable(url: str, reason) -> RemoteUnavailable:
    return RemoteUnavailable(f"{url} cannot be reached ({reason}); is the SPARQL server running?")


class _Expiry:
    """Shuts a connection's socket down at its deadline, whatever the reading thread is waiting for."""

    def __init__(self, connection: http.client.HTTPConnection, seconds: float):
        self.connection = connection
        self.fired = False
        self.timer = threading.Timer(max(0.0, seconds), self.fire)
        self.timer.daemon = True
        self.timer.start()

    def fire(self) -> None:
        self.fired = True
        sock = self.connection.sock
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def end(self) -> None:
        self.timer.cancel()
        self.connection.close()


class _DeadlineResponse:
    """An http.client response that ends at its deadline: reading past it is RemoteTimeout, never a
    short answer taken for a whole one."""

    def __init__(self, response: http.client.HTTPResponse, expiry: _Expiry, url: str):
        self.response = response
        self.expiry = expiry
        self.url = url
        self.status = response.status
        self.headers = response.headers

    def _timed_out(self) -> RemoteTimeout:
        return RemoteTimeout(f"{self.url} did not finish its answer in time")

    def read1(self, size: int = -1) -> bytes:
        return self._within_deadline(self.response.read1, size)

    def read(self, size: int = -1) -> bytes:
        return self._within_deadline(self.response.read, size if size >= 0 else None)

    def _within_deadline(self, reading, size) -> bytes:
        """One read of the answer; a socket the deadline shut is a timeout, any other break-off the server's."""
        try:
            data = reading(size)
        except (http.client.HTTPException, OSError):
            if self.expiry.fired:
                raise self._timed_out() from None
            raise RemoteUnavailable(f"{self.url} broke off its answer") from None
        if self.expiry.fired:
            raise self._timed_out()
        return data

    def close(self) -> None:
        self.expiry.end()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _request_by(url: str, data: bytes, content_type: str, accept: str, method: str,
                deadline: float) -> _DeadlineResponse:
    """One request on http.client that ends by `deadline` (time.monotonic()), headers and all: urllib's
    timeout is per socket operation, so a server sending its headers one byte a second would keep it
    forever. A timer shuts the socket down at the deadline (no proxy: the store is a configured address)."""
    seconds = deadline - time.monotonic()
    if seconds <= 0:
        raise RemoteTimeout(f"{url}: no time was left to ask it")
    parts = urllib.parse.urlsplit(url)
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = kind(parts.hostname, parts.port, timeout=seconds)
    expiry = _Expiry(connection, seconds)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request(method, target, body=data, headers={"Content-Type": content_type, "Accept": accept})
        response = connection.getresponse()
        if response.status >= 400:
            detail = response.read(2000).decode("utf-8", "replace").strip()
            expiry.end()
            raise _answered(url, response.status, detail or response.reason)
    except RemoteStoreError:
        raise
    except (http.client.HTTPException, OSError) as error:
        expiry.end()
        if expiry.fired or isinstance(error, TimeoutError):
            raise RemoteTimeout(f"{url} did not answer within {seconds:g} s") from None
        raise _unreachable(url, getattr(error, "strerror", None) or error) from None
    return _DeadlineResponse(response, expiry, url)


def _triples_of(graph) -> list[ox.Triple]:
    data = graph.serialize(format="nt", encoding="utf-8")
    return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(data, ox.RdfFormat.N_TRIPLES)]


# ---------------------------------------------------------------- what a server was given (DataDir.remote_state_path)
# One entry per server, keyed by its query URL (the store readers know): {"graphs": {graph IRI: key},
# "generation": the generation it holds, "syncing": true while a copy is under way}. Written by ingest
# (ingest.remote_sync) with DataDir.write_remote_state, read by the service (DataDir.read_remote_state)
# to know whether what the server answers is settled.

def server_entry(state: dict, endpoints: RemoteEndpoints) -> dict | None:
    """This server's entry, in the current shape (an older file kept only the graphs, under the update URL)."""
    entry = state.get(endpoints.query_url)
    if entry is None and endpoints.update_url:
        entry = state.get(endpoints.update_url)
    if entry is None:
        return None
    if "graphs" not in entry:
        return {"graphs": entry, "generation": None, "syncing": False}
    return entry

