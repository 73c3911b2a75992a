"""Throughput at concurrency 8 with locust (headless) against the server as `make run` starts it,
search and SPARQL separately; errors counted; RSS of each server worker.

    python -m bench.load_bench --data data [--seconds 30]
"""
from __future__ import annotations

import argparse
import csv
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import requests

from bench.common import ROOT, report


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(data: Path, port: int, workers: int) -> subprocess.Popen:
    command = [sys.executable, str(ROOT / "server.py"), "--data", str(data), "--port", str(port),
               "--workers", str(workers)]
    process = subprocess.Popen(command, cwd=ROOT, env=dict(os.environ),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                time.sleep(8)   # let every worker finish loading its model
                return process
        except requests.RequestException:   # a worker still loading its model
            time.sleep(0.5)
    process.kill()
    raise RuntimeError("the server did not start")


def run_locust(base: str, user_class: str, users: int, seconds: int) -> dict:
    prefix = Path(tempfile.mkdtemp()) / "stats"
    subprocess.run([str(Path(sys.executable).parent / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"),
                    "--headless", "-u", str(users), "-r", str(users), "-t", f"{seconds}s", "--host", base,
                    "--csv", str(prefix), "--only-summary", user_class], cwd=ROOT, capture_output=True, check=True)
    with open(f"{prefix}_stats.csv") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    total = rows["Aggregated"]
    return {"requests": int(total["Request Count"]), "failures": int(total["Failure Count"]),
            "requests_per_second": round(float(total["Requests/s"]), 1),
            "p50_ms": float(total["50%"]), "p95_ms": float(total["95%"]), "p99_ms": float(total["99%"])}


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=Path("data"))
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    port = free_port()
    process = start_server(args.data.resolve(), port, args.workers)
    try:
        base = f"http://127.0.0.1:{port}"
        search = run_locust(base, "SearchUser", args.users, args.seconds)
        sparql = run_locust(base, "SparqlUser", args.users, args.seconds)
        master = psutil.Process(process.pid)
        workers = master.children()
        memory = {
            "server_worker_rss_mb": [round(w.memory_info().rss / 2**20, 1) for w in workers],
            "sparql_query_process_rss_mb": [round(c.memory_info().rss / 2**20, 1)
                                            for w in workers for c in w.children(recursive=True)],
        }
        return report("load", {"concurrency": args.users, "seconds": args.seconds, "server_workers": args.workers,
                               "search": search, "sparql": sparql, **memory})
    finally:
        process.terminate()
        process.wait(timeout=30)


if __name__ == "__main__":
    main()
