"""Ingest times: cold (model load included), no-op re-ingest, and 10x / 100x synthetic corpora.

    python -m bench.ingest_bench [--scales 10 100]
Each run is a fresh `python -m ingest` process, as a user runs it.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import ROOT, report
from bench.synthetic import make_corpus


def ingest(corpus: Path, data: Path) -> float:
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "ingest", "--corpus", str(corpus), "--data", str(data),
                             "--no-progress"], cwd=ROOT, capture_output=True, text=True)
    if result.returncode not in (0, 3):
        raise RuntimeError(result.stderr[-2000:])
    return time.perf_counter() - started


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", type=int, nargs="*", default=[10, 100])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="mbc-bench-ingest-"))
    try:
        seeds = ROOT / "corpus"
        cold, noop = [], []
        for run in range(args.repeat):
            data = work / f"seed-{run}"
            cold.append(ingest(seeds, data))     # a fresh data dir: no cache, model loaded
            noop.append(ingest(seeds, data))
        scaled = {}
        for scale in args.scales:
            corpus = work / f"corpus-{scale}x"
            documents = make_corpus(corpus, scale)
            seconds = ingest(corpus, work / f"data-{scale}x")
            scaled[f"{scale}x"] = {"documents": len(documents), "seconds": round(seconds, 1),
                                   "seconds_per_document": round(seconds / len(documents), 3)}
        return report("ingest", {
            "cold_ingest_seconds": {"median": round(sorted(cold)[len(cold) // 2], 2), "runs": [round(c, 2) for c in cold]},
            "noop_reingest_seconds": {"median": round(sorted(noop)[len(noop) // 2], 2), "runs": [round(n, 2) for n in noop]},
            "scaled": scaled,
        })
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
