"""The lines `mbc-kg serve` prints once the service can answer: where to go.

granian logs "Listening at" before its workers have loaded the app (each binds the port only when its
app is ready, seconds later), so that line is no sign of readiness. This watch waits until every
worker process of this server listens on the port and /healthz answers, then prints the addresses of
the search page, the workbench and the API page (or why there is no data yet) on stdout.
"""
from __future__ import annotations

import json
import os
import sys
import threading
import time
import urllib.error
import urllib.request

POLL_SECONDS = 0.25
READY_MARK = "mbc-kg is ready"      # tests and scripts wait for this line


def announce_when_ready(local_base: str, public_base: str, port: int, workers: int, out=None,
                        give_up_after: float = 3600) -> threading.Thread:
    """Start a daemon thread that prints the addresses to open once the server answers."""
    import psutil    # imported here, in the main thread, not in the watch thread during a fork

    stream = out or sys.stdout

    def watch() -> None:
        deadline = time.monotonic() + give_up_after
        me = psutil.Process(os.getpid())
        while time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)
            if _listening_workers(me, port) < workers:
                continue
            health = _health(local_base)
            if health is None:
                continue
            print(ready_message(public_base, health, workers), file=stream, flush=True)
            return

    thread = threading.Thread(target=watch, name="announce-ready", daemon=True)
    thread.start()
    return thread


def _listening_workers(me, port: int) -> int:
    count = 0
    try:
        for child in me.children():
            try:
                if any(c.status == "LISTEN" and c.laddr and c.laddr.port == port
                       for c in child.net_connections(kind="tcp")):
                    count += 1
            except Exception:  # noqa: BLE001 - a worker that ended or is being replaced
                continue
    except Exception:  # noqa: BLE001
        return 0
    return count


def _health(base: str) -> dict | None:
    """/healthz's answer (ready or not: a 503 says why), or None while nothing answers."""
    try:
        with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as error:
        try:
            return json.loads(error.read())
        except ValueError:
            return None
    except (urllib.error.URLError, OSError, ValueError):
        return None


def ready_message(base: str, health: dict, workers: int) -> str:
    if health.get("status") == "ok":
        search = health.get("search")
        head = (f"{READY_MARK}: {health.get('documents')} documents, {health.get('triples')} triples, "
                f"{workers} server process{'es' if workers != 1 else ''}")
        if search != "ready":
            head += f" (search unavailable: {search})"
    else:
        head = (f"{READY_MARK}, but has no data to serve: {health.get('detail', health.get('status'))}; "
                "run `mbc-kg ingest` (the pages answer once it has)")
    return "\n".join([head,
                      f"  search page         {base}/",
                      f"  SPARQL workbench    {base}/sparql",
                      f"  API page            {base}/docs",
                      "Press Ctrl+C to stop."])
