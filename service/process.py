"""The server in a child process, as `make run` starts it: for tests and benchmarks that need a
real server on a loopback port."""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from service.startup import READY_MARK

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServerProcess:
    """`python server.py` started with its output collected (read as it comes, so a full pipe never
    blocks the server): `lines` holds stdout and stderr, `ready` is set on the line saying where to go."""

    def __init__(self, command: list[str], env: dict | None = None):
        self.popen = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True, errors="replace")
        self.lines: list[str] = []
        self.ready = threading.Event()
        self._readers = [threading.Thread(target=self._read, args=(stream,), daemon=True)
                         for stream in (self.popen.stdout, self.popen.stderr)]
        for reader in self._readers:
            reader.start()

    def _read(self, stream) -> None:
        for line in stream:
            self.lines.append(line.rstrip("\n"))
            if line.startswith(READY_MARK):
                self.ready.set()

    @property
    def pid(self) -> int:
        return self.popen.pid

    def poll(self):
        return self.popen.poll()

    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_ready(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not self.ready.wait(0.2):
            if self.popen.poll() is not None:
                for reader in self._readers:
                    reader.join(timeout=2)
                raise RuntimeError(f"the server exited ({self.popen.returncode}): {self.output()[-2000:]}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server was not ready in {seconds:g} s: {self.output()[-2000:]}")

    def stop(self) -> None:
        self.popen.terminate()
        try:
            self.popen.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()
        for reader in self._readers:
            reader.join(timeout=5)

    # what tests used of the Popen before
    def terminate(self) -> None:
        self.popen.terminate()

    def kill(self) -> None:
        self.popen.kill()

    def wait(self, timeout: float | None = None):
        return self.popen.wait(timeout)


def server_command(data_dir: Path, port: int, *extra: str, workers: int = 1, host: str = "127.0.0.1") -> list[str]:
    return [sys.executable, str(ROOT / "server.py"), "--data", str(data_dir), "--host", host, "--port", str(port),
            "--workers", str(workers), *extra]


@contextlib.contextmanager
def running_server(data_dir: Path, *extra: str, env: dict | None = None, workers: int = 1,
                   ready_seconds: float = 180, port: int | None = None):
    """`python server.py` on a free loopback port; yields its base URL and its process once every worker
    answers (the server prints so), stops it after."""
    port = port or free_port()
    process = ServerProcess(server_command(data_dir, port, *extra, workers=workers), env=env)
    try:
        process.wait_ready(ready_seconds)
        yield f"http://127.0.0.1:{port}", process
    finally:
        process.stop()
