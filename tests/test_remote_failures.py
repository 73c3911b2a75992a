"""Remote-store mode when the store fails: a server that is down or answers 5xx is the store's fault
(502 "the graph store is unreachable" on /sparql, the JSON API and pages, /healthz 503), a server that
trickles its headers is stopped at the time limit (503), and a result of huge rows is capped in bytes.

Against small fake SPARQL servers on loopback ports (attacks slow_upstream.py and bigrows.py)."""
from __future__ import annotations

import socket
import threading
import time
import urllib.parse

import pytest

from kg.remote import RemoteEndpoints, RemoteStore, RemoteTimeout, RemoteUnavailable
from service import Config, create_app, state
from service.process import free_port

pytestmark = pytest.mark.server

ASK = "ASK { ?s ?p ?o }"
PAGES = ["/id/certification/cpc", "/certifications"]


class FakeStore:
    """A SPARQL server on a raw socket, so that it can misbehave at the byte level: `behaviour` is
    "fail" (500 to everything), "trickle-head" (its status line and headers one byte every 0.3 s),
    "trickle-body" (its body so), or "big-rows" (TSV rows of 100 kB each, 200 of them)."""

    def __init__(self, behaviour: str):
        self.behaviour = behaviour
        self.requests = 0
        self.socket = socket.socket()
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(32)
        self.socket.settimeout(0.2)
        self._stop = False
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def query_url(self) -> str:
        return f"http://127.0.0.1:{self.socket.getsockname()[1]}/query"

    def _serve(self):
        while not self._stop:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                continue
            self.requests += 1
            threading.Thread(target=self._answer, args=(connection,), daemon=True).start()

    def _answer(self, connection):
        try:
            data = b""
            while b"\r\n\r\n" not in data:
                data += connection.recv(65536)
            head, body = data.split(b"\r\n\r\n", 1)
            lines = head.decode("latin-1").split("\r\n")
            headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
            while len(body) < int(headers.get("content-length", 0)):
                body += connection.recv(65536)
            accept = headers.get("accept", "")
            if "tab-separated" in accept:
                ctype, payload = "text/tab-separated-values", b"?s\n<http://example.org/a>\n"
                if self.behaviour == "big-rows":
                    payload = b"?r\t?x\n" + b"".join(b'%d\t"%s"\n' % (i, b"a" * 100_000) for i in range(200))
            elif "sparql-results+json" in accept:
                ctype, payload = "application/sparql-results+json", b'{"head":{},"boolean":true}'
            else:
                ctype, payload = "application/n-triples", b"<http://a> <http://b> <http://c> .\n"
            status = "500 Internal Server Error" if self.behaviour == "fail" else "200 OK"
            if self.behaviour == "fail":
                payload = b"the store broke"
            response_head = (f"HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {len(payload)}\r\n"
                             "Connection: close\r\n\r\n").encode()
            if self.behaviour == "trickle-head":
                for byte in response_head:
                    connection.sendall(bytes([byte]))
                    time.sleep(0.3)
                connection.sendall(payload)
            elif self.behaviour == "trickle-body":
                connection.sendall(response_head)
                for byte in payload:
                    connection.sendall(bytes([byte]))
                    time.sleep(0.3)
            else:
                connection.sendall(response_head + payload)
        except OSError:
            pass
        finally:
            connection.close()

    def close(self):
        self._stop = True
        self.socket.close()


@pytest.fixture()
def fake(request):
    server = FakeStore(request.param)
    yield server
    server.close()


def _app(data_dir, query_url, **settings):
    config = dict(data_dir=data_dir, sparql_timeout=3, sparql_workers=1, sparql_max_workers=2, sparql_cache_mb=0,
                  sparql_query_url=query_url, load_search=False)
    config.update(settings)
    app = create_app(Config(**config))
    state.query_pool(app).checker.check("ASK {}", None, 256)    # its worker has started: time the requests only
    return app


@pytest.fixture()
def down_app(graph_data_dir):
    app = _app(graph_data_dir, f"http://127.0.0.1:{free_port()}/query")     # nothing listens there
    yield app
    state.query_pool(app).close()


def test_a_store_that_is_down_is_a_502_on_sparql(down_app):
    response = down_app.test_client().get("/sparql", query_string={"query": ASK},
                                          headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 502, response.get_data(as_text=True)
    assert response.get_json()["error"] == "the graph store is unreachable"


@pytest.mark.parametrize("path", PAGES)
def test_a_store_that_is_down_makes_pages_and_the_api_502_not_500(down_app, path):
    client = down_app.test_client()
    page = client.get(path, headers={"Accept": "text/html"})
    assert page.status_code == 502 and b"graph store is unreachable" in page.data
    api = client.get(path, headers={"Accept": "application/json"})
    assert api.status_code == 502 and api.get_json()["error"] == "the graph store is unreachable"
    provenance = client.get("/api/provenance", query_string={"s": "https://w3id.org/mbc-kg/id/certification/cpc"})
    assert provenance.status_code == 502


def test_healthz_says_the_store_is_unreachable(down_app):
    response = down_app.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["store"] == "unreachable" and "graph store is unreachable" in body["detail"]


@pytest.mark.parametrize("fake", ["fail"], indirect=True)
def test_a_store_answering_500_is_a_502(graph_data_dir, fake):
    app = _app(graph_data_dir, fake.query_url)
    try:
        client = app.test_client()
        response = client.get("/sparql", query_string={"query": ASK},
                              headers={"Accept": "application/sparql-results+json"})
        assert response.status_code == 502 and "500" in response.get_json()["detail"]
        assert client.get("/id/certification/cpc", headers={"Accept": "text/html"}).status_code == 502
        assert client.get("/healthz").status_code == 503
    finally:
        state.query_pool(app).close()


@pytest.mark.parametrize("fake", ["trickle-head", "trickle-body"], indirect=True)
def test_a_store_that_trickles_is_stopped_at_the_time_limit(graph_data_dir, fake):
    """slow_upstream.py: headers (or the body) one byte at a time, each well within a socket timeout:
    the whole request still ends at MBC_SPARQL_TIMEOUT with 503, on /sparql and on pages."""
    app = _app(graph_data_dir, fake.query_url)
    try:
        client = app.test_client()
        for accept in ("application/sparql-results+json", "text/tab-separated-values"):
            query = ASK if "json" in accept else "SELECT ?s WHERE { ?s ?p ?o }"
            started = time.monotonic()
            response = client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
            assert response.status_code == 503, response.get_data(as_text=True)
            assert response.get_json()["error"] == "query timeout"
            assert time.monotonic() - started < 5
        started = time.monotonic()
        page = client.get("/id/certification/cpc", headers={"Accept": "application/json"})
        # each read of the page ends at the time limit (a page reads the store a few times)
        assert page.status_code == 503 and time.monotonic() - started < 15
    finally:
        state.query_pool(app).close()


@pytest.mark.parametrize("fake", ["big-rows"], indirect=True)
def test_remote_rows_of_huge_strings_are_capped_in_bytes(graph_data_dir, fake):
    app = _app(graph_data_dir, fake.query_url, sparql_max_result_mb=1)
    try:
        for accept in ("text/tab-separated-values", "application/sparql-results+json"):
            response = app.test_client().get("/sparql", query_string={"query": "SELECT ?r ?x WHERE { ?r ?p ?x }"},
                                              headers={"Accept": accept})
            assert response.status_code == 200
            assert response.headers["X-SPARQL-Truncated"] == "true" and len(response.data) <= 2**20
            assert 5 <= int(response.headers["X-SPARQL-Results"]) <= 10
    finally:
        state.query_pool(app).close()


def test_ingest_keeps_a_time_limit_per_operation_not_per_request():
    """A store made for ingest (no whole deadline) reads a slow but moving answer past its timeout."""
    server = FakeStore("trickle-body")
    try:
        store = RemoteStore(RemoteEndpoints(server.query_url, timeout=1.5))
        body = urllib.parse.urlencode({"query": ASK}).encode()
        with store.request(server.query_url, body, "application/x-www-form-urlencoded",
                           "application/sparql-results+json") as response:
            assert response.read() == b'{"head":{},"boolean":true}'       # about 8 s, 0.3 s a byte
        whole = RemoteStore(RemoteEndpoints(server.query_url, timeout=1.5), whole_deadline=True)
        with pytest.raises(RemoteTimeout):
            with whole.request(server.query_url, body, "application/x-www-form-urlencoded",
                               "application/sparql-results+json") as response:
                response.read()
    finally:
        server.close()
    with pytest.raises(RemoteUnavailable):
        RemoteStore(RemoteEndpoints(f"http://127.0.0.1:{free_port()}/query")).select("SELECT * {}")
