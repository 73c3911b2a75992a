"""Timing helpers for the benchmarks (reported, never asserted)."""
from __future__ import annotations

import json
import os
import platform
import statistics
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
ROOT = Path(__file__).resolve().parent.parent


def percentiles(samples_ms: list[float]) -> dict:
    ordered = sorted(samples_ms)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]

    return {"n": len(ordered), "p50_ms": round(statistics.median(ordered), 3), "p95_ms": round(at(0.95), 3),
            "p99_ms": round(at(0.99), 3), "mean_ms": round(statistics.fmean(ordered), 3)}


def timed(function, *args, **kwargs) -> tuple[object, float]:
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, (time.perf_counter() - started) * 1000


def machine() -> dict:
    return {"cpus": os.cpu_count(), "python": platform.python_version(), "machine": platform.machine(),
            "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}


def rss_mb(pid: int | None = None) -> float:
    import psutil

    return round(psutil.Process(pid or os.getpid()).memory_info().rss / 2**20, 1)


def report(name: str, data: dict) -> dict:
    RESULTS.mkdir(exist_ok=True)
    data = {"benchmark": name, "machine": machine(), **data}
    (RESULTS / f"{name}.json").write_text(json.dumps(data, indent=2))
    print(json.dumps(data, indent=2))
    return data
