"""The service under attack, as `make run` serves it (granian, two worker processes): figures for the
README's "Security and limits" section. Reported, never asserted (the assertions live in tests/).

    python -m bench.attack --data data [--only isolation,memory,slow,load]

- isolation: 16 runaway queries from 127.0.0.2 while 127.0.0.3 asks light SPARQL, search and /healthz
- memory: the server's process tree while 6 queries that each want gigabytes run at once
- slow: /healthz and a search while 200 clients send their headers one byte a second
- load: requests/s and latency at concurrency 32 and 128 on a search / SPARQL / health mix (wrk when
  installed: `apt-get install wrk`; else a Python client, which is slower than the server it measures)
"""
from __future__ import annotations

import argparse
import http.client
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from bench.common import percentiles, report
from service.process import running_server

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
MEMORY_HOG = "SELECT ?a ?d (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f } GROUP BY ?a ?d ORDER BY DESC(?n) LIMIT 1"


def get(base: str, path: str, source: str = "127.0.0.1", timeout: float = 30) -> tuple[int, float]:
    parts = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout, source_address=(source, 0))
    started = time.perf_counter()
    try:
        connection.request("GET", path, headers={"Accept": "application/json"})
        response = connection.getresponse()
        response.read()
        return response.status, (time.perf_counter() - started) * 1000
    except OSError:
        return 0, (time.perf_counter() - started) * 1000
    finally:
        connection.close()


def sparql(query: str) -> str:
    return "/sparql?" + urllib.parse.urlencode({"query": query})


def tree_rss_mb(pid: int) -> float:
    import psutil

    root = psutil.Process(pid)
    total = 0
    for process in [root, *root.children(recursive=True)]:
        try:
            total += process.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return round(total / 2**20, 1)


def isolation(base: str, _pid: int) -> dict:
    attack: list[int] = []
    threads = [threading.Thread(target=lambda i=i: attack.append(get(base, sparql(f"{RUNAWAY} # {i}"), "127.0.0.2")[0]))
               for i in range(16)]
    for thread in threads:
        thread.start()
    time.sleep(0.5)
    light = {"sparql ASK": sparql("ASK { ?s ?p ?o }"), "search": "/api/search?q=who+awards+the+CCS",
             "healthz": "/healthz"}
    samples: dict[str, list[float]] = {name: [] for name in light}
    failures = 0
    while any(thread.is_alive() for thread in threads):
        for name, path in light.items():
            status, ms = get(base, path + ("&" if "?" in path else "?") + f"n={len(samples[name])}", "127.0.0.3")
            samples[name].append(ms)
            failures += status != 200
    for thread in threads:
        thread.join()
    return {"runaways_from_one_address": 16, "their_statuses": {str(s): attack.count(s) for s in sorted(set(attack))},
            "other_address_failures": failures, **{name: percentiles(v) for name, v in samples.items()}}


def memory(base: str, pid: int) -> dict:
    before = tree_rss_mb(pid)
    peak = before
    statuses: list[int] = []
    threads = [threading.Thread(target=lambda i=i: statuses.append(get(base, sparql(f"{MEMORY_HOG} # {i}"),
                                                                       f"127.0.0.{10 + i}")[0])) for i in range(6)]
    for thread in threads:
        thread.start()
    while any(thread.is_alive() for thread in threads):
        peak = max(peak, tree_rss_mb(pid))
        time.sleep(0.1)
    return {"heavy_queries": 6, "statuses": {str(s): statuses.count(s) for s in sorted(set(statuses))},
            "tree_rss_before_mb": before, "tree_rss_peak_mb": peak, "growth_mb": round(peak - before, 1)}


def slow(base: str, _pid: int) -> dict:
    parts = urllib.parse.urlsplit(base)
    sockets, stop = [], threading.Event()
    for _ in range(200):
        connection = socket.create_connection((parts.hostname, parts.port), timeout=5)
        connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        sockets.append(connection)

    def drip():
        while not stop.is_set():
            for connection in list(sockets):
                try:
                    connection.send(b"a")
                except OSError:
                    sockets.remove(connection)
            time.sleep(1)

    threading.Thread(target=drip, daemon=True).start()
    time.sleep(2)
    health, search = [], []
    for i in range(16):
        health.append(get(base, "/healthz")[1])
        search.append(get(base, f"/api/search?q=pay+for+coders+{i}")[1])
    stop.set()
    for connection in sockets:
        connection.close()
    return {"slow_header_clients": 200, "healthz": percentiles(health), "search": percentiles(search),
            "within_1s": sum(1 for ms in health + search if ms < 1000), "probes": len(health) + len(search)}


WRK_SCRIPT = """
counter = 0
request = function()
  counter = counter + 1
  local r = counter % 4
  if r == 0 then return wrk.format("GET", "/healthz") end
  if r == 1 then return wrk.format("GET", "/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D%23" .. counter) end
  return wrk.format("GET", "/api/search?q=coder+pay+" .. counter)
end
"""


def load(base: str, _pid: int, seconds: int = 20) -> dict:
    results = {}
    for concurrency in (32, 128):
        results[f"concurrency_{concurrency}"] = (_wrk if shutil.which("wrk") else _python_load)(base, concurrency,
                                                                                                seconds)
    return results


def _wrk(base: str, concurrency: int, seconds: int) -> dict:
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(WRK_SCRIPT)
    output = subprocess.run(["wrk", "-t2", f"-c{concurrency}", f"-d{seconds}s", "--latency", "--timeout", "10s",
                             "-s", str(script), base + "/"], capture_output=True, text=True).stdout
    script.unlink()
    figures = {"tool": "wrk", "mix": "half search, a quarter SPARQL ASK, a quarter /healthz"}
    for line in output.splitlines():
        words = line.split()
        if line.strip().startswith(("50%", "90%", "99%")):
            figures[f"p{words[0].rstrip('%')}"] = words[1]
        elif line.startswith("Requests/sec"):
            figures["requests_per_second"] = float(words[1])
        elif "Non-2xx" in line:
            figures["non_2xx"] = int(words[-1])
        elif "Socket errors" in line:
            figures["socket_errors"] = line.split(":", 1)[1].strip()
        elif "requests in" in line:
            figures["requests"] = int(words[0])
    return figures


def _python_load(base: str, concurrency: int, seconds: int) -> dict:
    samples, statuses, lock = [], [], threading.Lock()
    deadline = time.monotonic() + seconds

    def user(number: int):
        count = 0
        while time.monotonic() < deadline:
            count += 1
            path = ("/healthz", sparql(f"ASK {{ ?s ?p ?o }} # {number}-{count}"),
                    f"/api/search?q=coder+pay+{number}-{count}", f"/api/search?q=ccs+{number}-{count}")[count % 4]
            status, ms = get(base, path, timeout=15)
            with lock:
                samples.append(ms)
                statuses.append(status)

    threads = [threading.Thread(target=user, args=(i,)) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"tool": "python threads", "requests_per_second": round(len(samples) / seconds, 1),
            **percentiles(samples), "errors": sum(1 for s in statuses if s == 0),
            "statuses": {str(s): statuses.count(s) for s in sorted(set(statuses))},
            "over_10s": sum(1 for ms in samples if ms > 10_000)}


SCENARIOS = {"isolation": isolation, "memory": memory, "slow": slow, "load": load}


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=Path("data"))
    parser.add_argument("--only", default=",".join(SCENARIOS), help="comma-separated: " + ", ".join(SCENARIOS))
    args = parser.parse_args(argv)
    results = {"server": "python server.py --workers 2 (as make run)", "cpus": os.cpu_count()}
    with running_server(args.data.resolve(), workers=2) as (base, process):
        for name in args.only.split(","):
            results[name] = SCENARIOS[name](base, process.pid)
            print(name, results[name], flush=True)
    return report("attack", results)


if __name__ == "__main__":
    main()
