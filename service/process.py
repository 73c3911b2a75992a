"""The server in a child process, as `make run` starts it: for tests and benchmarks that need a
real server on a loopback port."""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@contextlib.contextmanager
def running_server(data_dir: Path, *extra: str, env: dict | None = None, workers: int = 1,
                   ready_seconds: float = 120):
    """`python server.py` on a free loopback port; yields its base URL and its process, stops it after."""
    port = free_port()
    command = [sys.executable, str(ROOT / "server.py"), "--data", str(data_dir), "--host", "127.0.0.1",
               "--port", str(port), "--workers", str(workers), *extra]
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **(env or {})},
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + ready_seconds
        while not _healthy(base):
            if process.poll() is not None:
                raise RuntimeError(f"the server exited: {process.stderr.read().decode()[-2000:]}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server was not ready in {ready_seconds:g} s")
            time.sleep(0.3)
        # every worker answers once its app (and model) is loaded: wait until all of them have
        for _ in range(workers * 4):
            _healthy(base)
        yield base, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
