"""Helpers for tests that start a real server or build a data directory by hand."""
from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def live_server(data_dir: Path, *extra: str, env: dict | None = None):
    """`python server.py` on a free loopback port; yields its base URL, stops it afterwards."""
    port = free_port()
    command = [sys.executable, str(ROOT / "server.py"), "--data", str(data_dir), "--host", "127.0.0.1",
               "--port", str(port), *extra]
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **(env or {})},
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"server exited: {process.stderr.read().decode()[-2000:]}")
            try:
                if requests.get(base + "/healthz", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("server did not become ready in 90 s")
            time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def data_dir_with_graphs(root: Path, graphs: dict[str, Path]) -> Path:
    """A data directory whose live generation holds the given files as named graphs (no documents)."""
    from rdflib import Graph

    from kg.store import GraphStore

    generation = root / "generations" / "g1"
    store = GraphStore(generation / "store")
    for name, path in graphs.items():
        graph = Graph()
        graph.parse(path, format="nt")
        store.replace_graph(name, graph)
    store.flush()
    del store
    (generation / "manifest.json").write_text(json.dumps({"documents": {}}))
    (generation / "kg.trig").write_text("")
    (root / "current").symlink_to(Path("generations") / "g1")
    return root
