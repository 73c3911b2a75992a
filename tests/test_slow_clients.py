"""Slow clients cost a socket, never a worker: others are served while 200 of them trickle in."""
import socket
import threading
import time

import pytest
import requests

pytestmark = pytest.mark.server
SLOW_CLIENTS = 200


@pytest.fixture(scope="module")
def server(live_server_url):
    return live_server_url


class Trickle:
    """Clients that send a request one byte a second from several threads."""

    def __init__(self, base: str, head: bytes, count: int):
        host, port = base.removeprefix("http://").split(":")
        self.address, self.head, self.count = (host, int(port)), head, count
        self.sockets: list[socket.socket] = []
        self.stop = threading.Event()
        self.closed_by_server = 0
        self.lock = threading.Lock()

    def start(self) -> "Trickle":
        for _ in range(self.count):
            connection = socket.create_connection(self.address, timeout=5)
            connection.sendall(self.head)
            self.sockets.append(connection)
        threading.Thread(target=self._drip, daemon=True).start()
        return self

    def _drip(self):
        while not self.stop.is_set():
            for connection in list(self.sockets):
                try:
                    connection.send(b"a")
                except OSError:
                    with self.lock:
                        self.closed_by_server += 1
                    self.sockets.remove(connection)
            time.sleep(1)

    def close(self):
        self.stop.set()
        for connection in self.sockets:
            connection.close()


def _probe(base: str) -> list[float]:
    seconds = []
    for i in range(8):
        for path, params in (("/healthz", None), ("/api/search", {"q": f"who awards the CCS {i}"})):
            started = time.monotonic()
            response = requests.get(base + path, params=params, timeout=5)
            seconds.append(time.monotonic() - started)
            assert response.status_code == 200
    return seconds


def test_slow_headers_do_not_hold_the_service(server):
    trickle = Trickle(server, b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ", SLOW_CLIENTS).start()
    try:
        time.sleep(1.5)
        assert len(trickle.sockets) == SLOW_CLIENTS
        seconds = _probe(server)
        assert max(seconds) < 1.0, seconds
    finally:
        trickle.close()


def test_slow_bodies_do_not_hold_the_service(server):
    head = (b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 4000\r\n\r\nASK {")
    trickle = Trickle(server, head, SLOW_CLIENTS).start()
    try:
        time.sleep(1.5)
        seconds = _probe(server)
        assert max(seconds) < 1.0, seconds
    finally:
        trickle.close()


@pytest.mark.parametrize("head", [
    b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ",
    b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nContent-Length: 4000\r\n\r\n",
], ids=["headers", "body"])
def test_a_client_too_slow_is_cut_off(server, head):
    trickle = Trickle(server, head, 5).start()
    try:
        deadline = time.monotonic() + 15
        while trickle.closed_by_server < 5 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert trickle.closed_by_server == 5, "the server kept connections open past its read timeout"
    finally:
        trickle.close()
