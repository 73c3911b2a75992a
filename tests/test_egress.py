"""No request ever leaves the SPARQL endpoint, however SERVICE is spelled.

A listener answers like a SPARQL endpoint with a marker in its results; every test checks that it
was never contacted and that the marker never comes back, whatever the response status.
"""
import socket
import subprocess
import sys
import threading
import time

import pytest
import requests

pytestmark = pytest.mark.server

MARKER = "egress-marker-7f3a"
REPLY = ('HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\nConnection: close\r\n\r\n'
         '{"head":{"vars":["s","p","o"]},"results":{"bindings":[{"s":{"type":"literal","value":"%s"},'
         '"p":{"type":"literal","value":"%s"},"o":{"type":"literal","value":"%s"}}]}}' % ((MARKER,) * 3)).encode()


class Listener:
    """A TCP listener that records every connection and answers it like a SPARQL endpoint."""

    def __init__(self, family=socket.AF_INET, host="127.0.0.1"):
        self.socket = socket.socket(family)
        self.socket.bind((host, 0))
        self.socket.listen()
        self.socket.settimeout(0.1)
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while self.running:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                continue
            self.connections += 1
            try:
                connection.settimeout(1)
                connection.recv(65536)
                connection.sendall(REPLY)
            except OSError:
                pass
            finally:
                connection.close()

    def close(self):
        self.running = False
        self.thread.join()
        self.socket.close()


@pytest.fixture(scope="module")
def server(live_server_url):
    return live_server_url


@pytest.fixture()
def listener():
    listening = Listener()
    yield listening
    listening.close()


# {t} is the listener's URL, {base} the same without the final path segment, {port} its port.
FORMS = {
    "plain": "SELECT * WHERE {{ SERVICE <{t}> {{ ?s ?p ?o }} }}",
    "comment ending in CR": "SELECT * WHERE {{ #\rSERVICE <{t}> {{ ?s ?p ?o }} }}",
    "comment ending in CR after a filter": "SELECT * WHERE {{ FILTER(1<2) #x\rSERVICE <{t}> {{ ?s ?p ?o }} }}",
    "filter then comment over an IRI": "SELECT * WHERE {{ FILTER(1<2)SERVICE#>\n<{t}> {{ ?s ?p ?o }} }}",
    "lower case": "select * where {{ service <{t}> {{ ?s ?p ?o }} }}",
    "mixed case": "SeLeCt * WhErE {{ sErViCe <{t}> {{ ?s ?p ?o }} }}",
    "silent": "SELECT * WHERE {{ SERVICE SILENT <{t}> {{ ?s ?p ?o }} }}",
    "silent, lower case": "select * where {{ service silent <{t}> {{ ?s ?p ?o }} }}",
    "BASE makes the IRI": "BASE <{base}> SELECT * WHERE {{ SERVICE <x> {{ ?s ?p ?o }} }}",
    "PREFIX makes the IRI": "PREFIX t: <{base}> SELECT * WHERE {{ SERVICE t:x {{ ?s ?p ?o }} }}",
    "PREFIX after a comment": "PREFIX t: <{base}> SELECT * WHERE {{ SERVICE#c\n t:x {{ ?s ?p ?o }} }}",
    "escaped IRI": "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/\\u0078> {{ ?s ?p ?o }} }}",
    "variable bound by VALUES": "SELECT * WHERE {{ SERVICE ?e {{ ?s ?p ?o }} }} VALUES ?e {{ <{t}> }}",
    "variable bound by inner VALUES": "SELECT * WHERE {{ VALUES ?e {{ <{t}> }} SERVICE ?e {{ ?s ?p ?o }} }}",
    "variable bound by BIND": "SELECT * WHERE {{ BIND(<{t}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
    "variable bound by IRI()": "SELECT * WHERE {{ BIND(IRI(CONCAT('http://127.0.0.1:', '{port}', '/x')) AS ?e) "
                               "SERVICE ?e {{ ?s ?p ?o }} }}",
    "nested sub-selects": "SELECT * WHERE {{ {{ SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{t}> "
                          "{{ ?s ?p ?o }} }} }} }} }} }}",
    "in OPTIONAL": "SELECT * WHERE {{ OPTIONAL {{ SERVICE <{t}> {{ ?s ?p ?o }} }} }}",
    "in UNION": "SELECT * WHERE {{ {{ BIND(1 AS ?x) }} UNION {{ SERVICE <{t}> {{ ?s ?p ?o }} }} }}",
    "in MINUS": "SELECT * WHERE {{ BIND(1 AS ?x) MINUS {{ SERVICE <{t}> {{ ?x ?p ?o }} }} }}",
    "in FILTER EXISTS": "SELECT * WHERE {{ BIND(1 AS ?x) FILTER EXISTS {{ SERVICE <{t}> {{ ?s ?p ?o }} }} }}",
    "in GRAPH": "SELECT * WHERE {{ GRAPH ?g {{ SERVICE <{t}> {{ ?s ?p ?o }} }} }} LIMIT 1",
    "ASK": "ASK {{ SERVICE <{t}> {{ ?s ?p ?o }} }}",
    "CONSTRUCT": "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{t}> {{ ?s ?p ?o }} }}",
    "DESCRIBE": "DESCRIBE ?s WHERE {{ SERVICE <{t}> {{ ?s ?p ?o }} }}",
    "host name": "SELECT * WHERE {{ SERVICE <http://localhost:{port}/x> {{ ?s ?p ?o }} }}",
}


def _query(form: str, listener: Listener) -> str:
    target = f"http://127.0.0.1:{listener.port}/x"
    return FORMS[form].format(t=target, base=f"http://127.0.0.1:{listener.port}/", port=listener.port)


def _assert_no_egress(response: requests.Response, listener: Listener) -> None:
    time.sleep(0.3)    # a connection attempt, if any, reaches the listener
    assert listener.connections == 0, "the endpoint contacted another server"
    assert MARKER not in response.text
    assert response.status_code in (200, 400, 403), (response.status_code, response.text[:300])


@pytest.mark.parametrize("form", sorted(FORMS))
def test_service_never_contacts_the_listener(server, listener, form):
    response = requests.get(server + "/sparql", params={"query": _query(form, listener)}, timeout=20)
    _assert_no_egress(response, listener)
    if response.status_code == 403:
        assert response.json()["error"] == "SERVICE is disabled"


@pytest.mark.parametrize("form", ["comment ending in CR", "silent", "variable bound by VALUES", "CONSTRUCT"])
@pytest.mark.parametrize("how", ["form", "direct"])
def test_service_never_contacts_the_listener_by_post(server, listener, form, how):
    query = _query(form, listener)
    if how == "form":
        response = requests.post(server + "/sparql", data={"query": query}, timeout=20)
    else:
        response = requests.post(server + "/sparql", data=query.encode(),
                                 headers={"Content-Type": "application/sparql-query"}, timeout=20)
    _assert_no_egress(response, listener)


def test_service_with_a_dataset_never_contacts_the_listener(server, listener):
    response = requests.get(server + "/sparql", params={
        "query": _query("plain", listener), "default-graph-uri": f"http://127.0.0.1:{listener.port}/g",
        "named-graph-uri": f"http://127.0.0.1:{listener.port}/n"}, timeout=20)
    _assert_no_egress(response, listener)


def test_service_over_ipv6_never_contacts_the_listener(server):
    try:
        listening = Listener(socket.AF_INET6, "::1")
    except OSError:
        pytest.skip("no IPv6 loopback on this machine")
    try:
        query = f"SELECT * WHERE {{ SERVICE <http://[::1]:{listening.port}/x> {{ ?s ?p ?o }} }}"
        _assert_no_egress(requests.get(server + "/sparql", params={"query": query}, timeout=20), listening)
    finally:
        listening.close()


def test_a_plain_service_query_is_refused_with_a_clear_message(server, listener):
    response = requests.get(server + "/sparql", params={"query": _query("plain", listener)}, timeout=20)
    assert response.status_code == 403
    assert "never sends requests" in response.json()["detail"]


@pytest.mark.parametrize("host", ["example.org", "mbc-kg-test.invalid", "localhost.localdomain"])
def test_a_service_naming_a_host_is_refused_as_service_not_as_a_lookup_failure(server, host):
    """A host name fails in the resolver (no socket for DNS), not at connect: still "SERVICE is disabled"."""
    query = f"SELECT * WHERE {{ SERVICE <http://{host}/sparql> {{ ?s ?p ?o }} }}"
    response = requests.get(server + "/sparql", params={"query": query}, timeout=20)
    assert response.status_code == 403, response.text[:300]
    assert response.json()["error"] == "SERVICE is disabled"
    assert "lookup" not in response.text and "resolution" not in response.text


def test_the_sandbox_stops_every_socket_in_the_process():
    """The guarantee itself, without the server: after forbid_network() no socket can be made."""
    script = (
        "import socket, sys\n"
        "from service.sandbox import forbid_network\n"
        "forbid_network()\n"
        "for family in (socket.AF_INET, socket.AF_INET6, socket.AF_UNIX):\n"
        "    try:\n"
        "        socket.socket(family)\n"
        "        sys.exit('a socket was created')\n"
        "    except OSError as error:\n"
        "        assert error.errno == 64, error\n"
        "try:\n"
        "    socket.getaddrinfo('localhost', 80)\n"
        "except OSError:\n"
        "    pass\n"
        "print('sealed')\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "sealed"
