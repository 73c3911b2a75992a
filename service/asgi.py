"""The Flask app behind an asynchronous front, so slow clients cannot hold the app's threads.

Granian (a Rust HTTP server) reads request headers without a thread and drops a connection whose
headers take longer than the header timeout. This adapter then reads the whole body, also without
a thread, within the body timeout and the size limit, and only a complete request is handed to
the Flask app, which runs in a bounded thread pool. A client that sends one byte a second costs a
socket and a little memory, never a worker.

Why this front: measured with 200 slow-header and 200 slow-body clients (bench/attack.py),
gunicorn's threads were all taken by the first 16; granian with its own WSGI interface served slow
headers but not slow bodies (it hands the body to a thread as it arrives, as a2wsgi does). The
environ is built by a2wsgi's `build_environ`; the call itself is written here because a2wsgi's
per-chunk hand-offs between the thread and the event loop cost about 1 ms a request (measured:
/healthz p50 1.6 ms behind a2wsgi, 0.65 ms with granian's own WSGI): a whole request is handed to a
thread once, and the response comes back in blocks of up to 1 MB (a large download streams).
"""
from __future__ import annotations

import asyncio
import io
import json
import logging
import sys
from concurrent.futures import ThreadPoolExecutor

from a2wsgi.wsgi import build_environ
from service.negotiation import JSON

RESPONSE_BLOCK = 1 << 20     # bytes of a response taken from the app per hand-off
log = logging.getLogger(__name__)


class BufferedWSGI:
    """An ASGI application that buffers each request body before calling a WSGI application."""

    def __init__(self, wsgi_app, threads: int, body_timeout: float, max_body_bytes: int):
        self.app = wsgi_app
        self.threads = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="app")
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
        except _BadBody as problem:
            log.warning("a request body could not be read: %s", problem)
            await _error(send, 400, "malformed request body",
                         "the request body could not be read (a chunk size that is not hexadecimal, or a "
                         "body cut short); send it again with Content-Length or well-formed chunks")
            return
        if body is None:
            # The body ended early: the client went away, or the server's reader gave up on it (granian
            # reports a malformed chunk as a disconnect). Answer 400 either way (a client that is gone
            # never sees it); staying silent made granian answer 500 on our behalf.
            log.info("a request body ended before it was complete (client gone, or malformed chunks)")
            try:
                await _error(send, 400, "malformed request body",
                             "the request body ended before it was complete (a chunk size that is not "
                             "hexadecimal, or a body cut short); send it again")
            except Exception:  # noqa: BLE001 - the client is gone: nothing to tell it
                pass
            return
        await self._respond(scope, body, send)

    async def _respond(self, scope, body: bytes, send) -> None:
        loop = asyncio.get_running_loop()
        environ = build_environ(scope, io.BytesIO(body))
        environ["wsgi.errors"] = sys.stderr
        # The whole body is read (a chunked one included, already de-chunked by the server): the app
        # gets it with its length, as if the client had sent Content-Length.
        environ["CONTENT_LENGTH"] = str(len(body))
        environ.pop("HTTP_TRANSFER_ENCODING", None)
        call = _WsgiCall(self.app, environ)
        try:
            status, headers, block = await loop.run_in_executor(self.threads, call.start)
            await send({"type": "http.response.start", "status": status, "headers": headers})
            while not call.done:
                await send({"type": "http.response.body", "body": block, "more_body": True})
                block = await loop.run_in_executor(self.threads, call.next_block)
            await send({"type": "http.response.body", "body": block, "more_body": False})
        finally:
            if call.result is not None:
                await loop.run_in_executor(self.threads, call.close)

    async def _read_body(self, receive) -> bytes | None:
        chunks, size = [], 0
        while True:
            try:
                message = await receive()
            except Exception as error:  # noqa: BLE001 - the server's reader failed on what the client sent
                raise _BadBody(f"{type(error).__name__}: {error}") from None
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


class _BadBody(Exception):
    pass


class _WsgiCall:
    """One call of a WSGI application, run in a worker thread: `start` gives the status, the headers
    and the first block of the body; `next_block` the following ones until `done`."""

    def __init__(self, app, environ: dict):
        self.app, self.environ = app, environ
        self.result = None
        self._iterator = None
        self._status = 500
        self._headers: list[tuple[bytes, bytes]] = []
        self._written: list[bytes] = []        # from the legacy write() callable
        self.done = False

    def _start_response(self, status: str, headers, exc_info=None):
        self._status = int(status.split(" ", 1)[0])
        self._headers = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers]
        return self._written.append

    def start(self) -> tuple[int, list, bytes]:
        self.result = self.app(self.environ, self._start_response)
        self._iterator = iter(self.result)
        block = self.next_block()
        return self._status, self._headers, block

    def next_block(self) -> bytes:
        parts, size = self._written, sum(len(part) for part in self._written)
        self._written = []
        while size < RESPONSE_BLOCK:
            chunk = next(self._iterator, None)
            if chunk is None:
                self.done = True
                break
            parts.append(chunk)
            size += len(chunk)
        return b"".join(parts)

    def close(self) -> None:
        close = getattr(self.result, "close", None)
        if close is not None:
            close()      # Flask tears the request down here (and releases its generation)


async def _error(send, status: int, error: str, detail: str) -> None:
    payload = json.dumps({"error": error, "detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", JSON.encode()), (b"connection", b"close"),
                            (b"content-length", str(len(payload)).encode())]})
    await send({"type": "http.response.body", "body": payload})


def create_asgi_app_from_env():
    """For granian's workers: the Flask app from MBC_* settings, behind the buffering front."""
    import logging
    import os

    from service import Config, create_app
    from service.lifeline import die_with_parent

    if os.environ.get("MBC_SERVER_PID"):    # a worker of `mbc-kg serve`: no orphan may serve old data
        die_with_parent(int(os.environ["MBC_SERVER_PID"]))
    level = os.environ.get("MBC_LOG_LEVEL", "info").upper()
    logging.basicConfig(level=getattr(logging, level, logging.INFO),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    config = Config.from_env()
    return BufferedWSGI(create_app(config), threads=config.server_threads, body_timeout=config.body_timeout,
                        max_body_bytes=config.max_body_bytes)
