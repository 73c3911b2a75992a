"""HTTP odds against a real server (granian and the buffering front), as a client on a socket sends them."""
import socket
import urllib.parse

import pytest

pytestmark = pytest.mark.server


def _raw(base: str, request: bytes) -> bytes:
    parts = urllib.parse.urlsplit(base)
    with socket.create_connection((parts.hostname, parts.port), timeout=15) as connection:
        connection.sendall(request)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer


def _chunked(body: bytes, size: int = 7) -> bytes:
    pieces = [body[i:i + size] for i in range(0, len(body), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for piece in pieces) + b"0\r\n\r\n"


def test_a_chunked_body_is_read_whole(live_server_url):
    body = b"ASK { ?s ?p ?o }"
    answer = _raw(live_server_url, b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                                   b"Content-Type: application/sparql-query\r\nAccept: application/sparql-results+json\r\n"
                                   b"Transfer-Encoding: chunked\r\n\r\n" + _chunked(body))
    assert answer.startswith(b"HTTP/1.1 200"), answer[:300]
    assert b'"boolean":true' in answer.replace(b" ", b"")


def test_a_chunked_form_is_read_whole(live_server_url):
    body = urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}).encode()
    answer = _raw(live_server_url, b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                                   b"Content-Type: application/x-www-form-urlencoded\r\n"
                                   b"Accept: application/sparql-results+json\r\n"
                                   b"Transfer-Encoding: chunked\r\n\r\n" + _chunked(body))
    assert answer.startswith(b"HTTP/1.1 200"), answer[:300]


def test_a_malformed_chunk_is_a_client_error(live_server_url):
    answer = _raw(live_server_url, b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                                   b"Content-Type: application/sparql-query\r\nTransfer-Encoding: chunked\r\n\r\n"
                                   b"zz\r\nASK {}\r\n0\r\n\r\n")
    status = int(answer.split(b" ", 2)[1]) if answer else 0
    assert 400 <= status < 500 or not answer, answer[:300]      # refused, or the connection closed: never a 5xx
