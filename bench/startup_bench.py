"""Start-up time and memory of the server's process tree, as `make run` starts it (reported, not asserted).

    python -m bench.startup_bench --data data [--workers 2] [--rounds 3] [--root DIR] [--extra ARGS]

Starts `python ROOT/server.py` (ROOT: this checkout, or another one, e.g. an older commit unpacked
with `git archive`), and measures: seconds until every worker listens and /healthz answers; then,
after a few searches and SPARQL queries (so lazily loaded parts are in), the memory of the whole
process tree (server, workers, query workers): the sum of RSS (counts shared pages once per
process, as `ps` does), of PSS (shared pages split between the processes that share them: what the
tree really costs) and of USS (pages no other process has). Medians of --rounds starts.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import psutil

from service.process import free_port

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ["who awards the CCS credential?", "medical coder salary in texas", "how long is a coding program",
             "job outlook for medical records specialists"]
QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _get(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, OSError):
        return None


def _listening_children(root: psutil.Process, port: int) -> int:
    count = 0
    for child in root.children():
        try:
            if any(c.status == "LISTEN" and c.laddr.port == port for c in child.net_connections("tcp")):
                count += 1
        except psutil.Error:
            pass
    return count


def tree_memory(pid: int) -> dict:
    root = psutil.Process(pid)
    totals = {"processes": 0, "rss_mb": 0.0, "pss_mb": 0.0, "uss_mb": 0.0}
    for process in [root, *root.children(recursive=True)]:
        try:
            info = process.memory_full_info()
        except psutil.Error:
            continue
        totals["processes"] += 1
        totals["rss_mb"] += info.rss / 2**20
        totals["pss_mb"] += info.pss / 2**20
        totals["uss_mb"] += info.uss / 2**20
    return {name: round(value, 1) for name, value in totals.items()}


def one_start(root_dir: Path, data: Path, workers: int, extra: list[str]) -> dict:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, str(root_dir / "server.py"), "--data", str(data), "--port", str(port),
               "--workers", str(workers), *extra]
    started = time.monotonic()
    server = subprocess.Popen(command, cwd=root_dir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        process = psutil.Process(server.pid)
        while not (_listening_children(process, port) >= workers and _get(base + "/healthz") == 200):
            if server.poll() is not None or time.monotonic() - started > 600:
                raise RuntimeError(f"the server did not start: {command}")
            time.sleep(0.1)
        ready = time.monotonic() - started
        for question in QUESTIONS * workers:
            _get(base + "/api/search?" + urllib.parse.urlencode({"q": question}))
        for _ in range(workers * 2):
            _get(base + "/sparql?" + urllib.parse.urlencode({"query": QUERY}))
        time.sleep(1)
        return {"ready_s": round(ready, 1), **tree_memory(server.pid)}
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout whose server.py to start")
    parser.add_argument("--extra", default="", help="more arguments for server.py, e.g. --no-preload")
    args = parser.parse_args(argv)
    runs = [one_start(args.root.resolve(), args.data.resolve(), args.workers, args.extra.split())
            for _ in range(args.rounds)]
    summary = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    print(json.dumps({"root": str(args.root), "extra": args.extra, "workers": args.workers, "runs": runs,
                      "median": summary}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
