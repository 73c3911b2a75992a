"""The Flask app behind an asynchronous front, so slow clients cannot hold the app's threads.

Granian (a Rust HTTP server) reads request headers without a thread and drops a connection whose
headers take longer than the header timeout. This adapter then reads the whole body, also without
a thread, within the body timeout and the size limit, and only a complete request is handed to
the Flask app, which runs in a bounded thread pool (a2wsgi). A client that sends one byte a
second costs a socket and a little memory, never a worker.

Why not a2wsgi alone: it hands the body to the app as it arrives, so a thread would wait on a
slow upload. Measured with 200 slow-header and 200 slow-body clients (bench/attack.py): gunicorn's
threads were all taken by the first 16; granian with its own WSGI interface served slow headers
but not slow bodies; this front served both.
"""
from __future__ import annotations

import asyncio
import json

from a2wsgi import WSGIMiddleware


class BufferedWSGI:
    """An ASGI application that buffers each request body before calling a WSGI application."""

    def __init__(self, wsgi_app, threads: int, body_timeout: float, max_body_bytes: int):
        self.app = WSGIMiddleware(wsgi_app, workers=threads)
        self.body_timeout = body_timeout
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        try:
            async with asyncio.timeout(self.body_timeout):
                body = await self._read_body(receive)
        except TimeoutError:
            await _error(send, 408, "request timeout",
                         f"the request body did not arrive within {self.body_timeout:g} s")
            return
        except _BodyTooLarge:
            await _error(send, 413, "request too large",
                         f"the request body is over {self.max_body_bytes} bytes")
            return
        if body is None:       # the client went away
            return
        await self.app(scope, _replay(body, receive), send)

    async def _read_body(self, receive) -> bytes | None:
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                raise _BodyTooLarge
            chunks.append(chunk)
            if not message.get("more_body"):
                return b"".join(chunks)

    @staticmethod
    async def _lifespan(receive, send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return


class _BodyTooLarge(Exception):
    pass


def _replay(body: bytes, receive):
    """A receive() that gives the buffered body once, then waits for the client to disconnect."""
    delivered = False

    async def replayed():
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


async def _error(send, status: int, error: str, detail: str) -> None:
    payload = json.dumps({"error": error, "detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"connection", b"close"),
                            (b"content-length", str(len(payload)).encode())]})
    await send({"type": "http.response.body", "body": payload})


def create_asgi_app_from_env():
    """For granian's workers: the Flask app from MBC_* settings, behind the buffering front."""
    import logging

    from service import Config, create_app

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    config = Config.from_env()
    return BufferedWSGI(create_app(config), threads=config.server_threads, body_timeout=config.body_timeout,
                        max_body_bytes=config.max_body_bytes)
