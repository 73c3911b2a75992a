"""Ingest times: cold (model load included), no-op re-ingest, 10x / 100x synthetic corpora, and
throughput by number of workers on the seed corpus and on a 100-document corpus in other layouts.

    python -m bench.ingest_bench [--scales 10 100] [--workers 1 2] [--layouts-documents 100]
Each run is a fresh `python -m ingest` process, as a user runs it. Throughput is reported twice:
graph only (`--no-index`: reading and extraction, no model) and the full ingest with the time the
embedding model takes to load (measured on its own) taken out, so documents per second compare
across machines whose disks load the model at different speeds.

The layouts corpus: every file of the held-out documents (tests/gold/heldout, and the dev-eval
documents when ../shared/dev-eval is beside the checkout), copied round-robin under new names until
there are `--layouts-documents`; text files get their figures varied (bench.synthetic.rewrite) so the
copies are distinct text, not cache hits. Files the reader cannot read yet are skipped by ingest
and not counted.
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import ROOT, report
from bench.synthetic import make_corpus, rewrite

LAYOUT_SOURCES = (ROOT / "tests" / "gold" / "heldout", ROOT.parent / "shared" / "dev-eval" / "documents")
EXTRACTED = re.compile(r"ingest: (\d+) extracted")


def ingest(corpus: Path, data: Path, *options: str) -> float:
    return ingest_run(corpus, data, *options)[0]


def ingest_run(corpus: Path, data: Path, *options: str) -> tuple[float, int]:
    """Seconds of a fresh `python -m ingest` process, and how many documents it extracted."""
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "ingest", "--corpus", str(corpus), "--data", str(data),
                             "--no-progress", *options], cwd=ROOT, capture_output=True, text=True)
    if result.returncode not in (0, 3):
        raise RuntimeError(result.stderr[-2000:])
    found = EXTRACTED.search(result.stdout)
    return time.perf_counter() - started, int(found.group(1)) if found else 0


def model_load_seconds() -> float:
    """Loading the embedding model and embedding one text in a fresh process, less the interpreter's start."""
    def run(code: str) -> float:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True)
        return time.perf_counter() - started

    return max(0.0, run("from common.embedding import encode; encode(['a'])") - run("import numpy"))


def layouts_corpus(target: Path, documents: int, seed: int = 5) -> int:
    """`documents` files from the held-out sources under new names; returns how many were written."""
    import random

    from bench.synthetic import _states_and_cities

    sources = sorted(p for folder in LAYOUT_SOURCES if folder.is_dir() for p in folder.iterdir()
                     if p.is_file() and not p.name.startswith(".") and p.suffix.lower() != ".json"
                     and p.name.lower() != "readme.md")
    if not sources:
        return 0
    rng = random.Random(seed)
    states, cities = _states_and_cities()
    codes = sorted(cities)
    target.mkdir(parents=True, exist_ok=True)
    for number in range(documents):
        source = sources[number % len(sources)]
        name = target / f"{number:04d}_{source.name}"
        try:
            code = codes[number % len(codes)]
            name.write_text(rewrite(source.read_text(encoding="utf-8"), states[code], code,
                                    rng.sample(cities[code], 15), rng), encoding="utf-8")
        except UnicodeDecodeError:          # PDF, Word: copied as they are
            shutil.copyfile(source, name)
    return documents


def throughput(corpus: Path, work: Path, workers: int, model_seconds: float) -> dict:
    graph_seconds, documents = ingest_run(corpus, work / f"graph-{workers}", "--no-index", "--workers", str(workers))
    full_seconds, _ = ingest_run(corpus, work / f"full-{workers}", "--workers", str(workers))
    return {"documents": documents, "graph_only_seconds": round(graph_seconds, 1),
            "graph_only_documents_per_second": round(documents / graph_seconds, 2),
            "full_seconds": round(full_seconds, 1),
            "full_documents_per_second_without_model_load":
                round(documents / max(full_seconds - model_seconds, 1e-3), 2)}


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", type=int, nargs="*", default=[10, 100])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, nargs="*", default=[1, 2])
    parser.add_argument("--layouts-documents", type=int, default=100)
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
        model_seconds = model_load_seconds()
        by_workers = {"model_load_seconds": round(model_seconds, 1)}
        layouts = layouts_corpus(work / "layouts", args.layouts_documents)
        for workers in args.workers:
            by_workers[f"seed corpus, --workers {workers}"] = throughput(seeds, work / "seed-w", workers, model_seconds)
            if layouts:
                by_workers[f"{layouts} documents in other layouts, --workers {workers}"] = throughput(
                    work / "layouts", work / "layouts-w", workers, model_seconds)
        return report("ingest", {
            "throughput": by_workers,
            "cold_ingest_seconds": {"median": round(sorted(cold)[len(cold) // 2], 2), "runs": [round(c, 2) for c in cold]},
            "noop_reingest_seconds": {"median": round(sorted(noop)[len(noop) // 2], 2), "runs": [round(n, 2) for n in noop]},
            "scaled": scaled,
        })
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
