"""Throughput at concurrency 8 with locust (headless) against gunicorn as `make run` starts it,
search and SPARQL separately; errors counted; RSS of each gunicorn worker.

    python -m bench.load_bench --data data [--seconds 30]
"""
from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import requests

from bench.common import ROOT, report

sys.path.insert(0, str(ROOT / "tests"))
from serving import free_port  # noqa: E402


def start_gunicorn(data: Path, port: int, workers: int) -> subprocess.Popen:
    command = [str(Path(sys.executable).parent / "gunicorn"), "--config", str(ROOT / "service" / "gunicorn_conf.py"),
               "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--access-logfile", "/dev/null",
               "server:create_app_from_env()"]
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, "MBC_DATA_DIR": str(data)},
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
    raise RuntimeError("gunicorn did not start")


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
    process = start_gunicorn(args.data.resolve(), port, args.workers)
    try:
        base = f"http://127.0.0.1:{port}"
        search = run_locust(base, "SearchUser", args.users, args.seconds)
        sparql = run_locust(base, "SparqlUser", args.users, args.seconds)
        master = psutil.Process(process.pid)
        workers = [w for w in master.children() if "gunicorn" in " ".join(w.cmdline())]
        memory = {
            "gunicorn_worker_rss_mb": [round(w.memory_info().rss / 2**20, 1) for w in workers],
            "sparql_query_process_rss_mb": [round(c.memory_info().rss / 2**20, 1)
                                            for w in workers for c in w.children(recursive=True)],
        }
        return report("load", {"concurrency": args.users, "seconds": args.seconds, "gunicorn_workers": args.workers,
                               "search": search, "sparql": sparql, **memory})
    finally:
        process.terminate()
        process.wait(timeout=30)


if __name__ == "__main__":
    main()
