"""Ingest speed, the figures of issue 19, each measured side by side with another version of the code.

    python -m bench.ingest_bench [--baseline REF] [--repeat 3] [--only throughput,per-kb,big,one-line,noop,same-graph]

Every figure is a fresh `python -m ingest` process, as a user runs it, on a fresh data folder (cold:
nothing cached, the embedding model loaded) unless said otherwise. With `--baseline REF` (a commit of
this repository, e.g. `main`) that version is exported with `git archive` to a temporary folder and
run from there with the same Python environment; runs of the two alternate (baseline, current,
baseline, ...) so that the load of other processes on the machine falls on both alike, and each figure
is the median of `--repeat` runs. The load average is printed with each run: on a shared machine
every timing is noisy, so each run also gives the CPU seconds of its whole process tree (sampled),
which other processes' load stretches much less than the wall time.

Figures (the issue's targets in brackets):
- throughput: 40 rewritten corpus documents (bench.synthetic, 10 copies), cold, model load included:
  documents per second [>= 3 on 2 cores].
- per-kb: one document of 4 rewritten corpus copies (about 46 kB) and one of 32 (about 370 kB):
  seconds per kB of each, the fixed cost (a run on a one-line document) taken out, and their ratio
  [32 copies <= 1.2x per kB of 4 copies].
- big: one document of about 2 MB (corpus copies), index included: seconds and peak resident memory
  of the whole process tree [<= 60 s, <= 1 GB].
- one-line: one document of about 1 MB on a single line: seconds [<= 30 s].
- noop: a re-run with nothing changed (the tests' seed corpus): seconds [< 1 s].
- same-graph: kg.trig of the tests' seed corpus (tests/fixtures/seed_corpus) from both versions
  compared byte for byte.
"""
from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.common import ROOT, report
from bench.synthetic import SEEDS, _states_and_cities, make_corpus, rewrite

FIXTURE_CORPUS = ROOT / "tests" / "fixtures" / "seed_corpus"    # the tests' own copy of the seed documents
EXTRACTED = re.compile(r"ingest: (\d+) extracted")
FIGURES = ("throughput", "per-kb", "big", "one-line", "noop", "same-graph")


# ---------------------------------------------------------------- corpora

def corpus_copies(copies: int, seed: int = 11, joiner: str = "\n\n") -> str:
    """One text of `copies` seed documents in turn, each rewritten to another state and other figures
    (bench.synthetic.rewrite), so the copies are distinct text, not repeats a cache would catch."""
    rng = random.Random(seed)
    states, cities = _states_and_cities()
    codes = sorted(cities)
    seeds = sorted(SEEDS.iterdir())
    parts = []
    for number in range(copies):
        code = codes[number % len(codes)]
        parts.append(rewrite(seeds[number % len(seeds)].read_text(encoding="utf-8"), states[code], code,
                             rng.sample(cities[code], 15), rng))
    return joiner.join(parts)


def copies_for(size: int) -> int:
    """How many corpus copies make about `size` bytes."""
    return max(1, round(size / (len(corpus_copies(8).encode()) / 8)))


def one_document(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


# ---------------------------------------------------------------- running one version

class Version:
    """A version of the code to run: this checkout, or a commit exported to a temporary folder."""

    def __init__(self, label: str, root: Path):
        self.label, self.root = label, root

    @classmethod
    def exported(cls, ref: str, work: Path) -> "Version":
        target = work / f"code-{re.sub(r'[^A-Za-z0-9]+', '-', ref)}"
        target.mkdir(parents=True)
        archive = subprocess.run(["git", "archive", ref], cwd=ROOT, check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
        commit = subprocess.run(["git", "rev-parse", "--short", ref], cwd=ROOT, check=True, capture_output=True,
                                text=True).stdout.strip()
        return cls(f"{ref} ({commit})", target)

    def ingest(self, corpus: Path, data: Path, *options: str) -> dict:
        """One `python -m ingest` process: seconds, documents extracted, peak resident memory of its
        process tree (sampled every 0.1 s), the load average when it started."""
        load = os.getloadavg()[0]
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "ingest", "--corpus", str(corpus), "--data", str(data),
                                    "--no-progress", *options], cwd=self.root, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True,
                                   env={**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"})
        peak = _PeakMemory(process.pid)
        stdout, stderr = process.communicate()
        seconds = time.perf_counter() - started
        peak.stop()
        if process.returncode not in (0, 3):
            raise RuntimeError(f"{self.label}: ingest failed ({process.returncode}): {stderr[-2000:]}")
        found = EXTRACTED.search(stdout)
        return {"seconds": round(seconds, 2), "cpu_seconds": round(peak.cpu_seconds, 2),
                "documents": int(found.group(1)) if found else 0, "peak_mb": round(peak.peak / 1e6),
                "load": round(load, 1)}


class _PeakMemory:
    """The largest sum of resident memory over a process and its descendants, sampled; and the CPU time
    each of them used by its last sample (on a shared machine CPU seconds say more than wall seconds:
    another helper's load stretches the wall time, not the work)."""

    def __init__(self, pid: int, interval: float = 0.1):
        import psutil

        self.peak = 0
        self._cpu: dict[int, float] = {}
        self._done = threading.Event()
        self._process = psutil.Process(pid)
        self._thread = threading.Thread(target=self._sample, args=(interval,), daemon=True)
        self._thread.start()

    def _sample(self, interval: float) -> None:
        import psutil

        while not self._done.is_set():
            try:
                tree = [self._process, *self._process.children(recursive=True)]
                total = 0
                for process in tree:
                    try:
                        total += process.memory_info().rss
                        times = process.cpu_times()
                        self._cpu[process.pid] = times.user + times.system
                    except psutil.Error:
                        pass
                self.peak = max(self.peak, total)
            except psutil.Error:
                return
            self._done.wait(interval)

    def stop(self) -> None:
        self._done.set()
        self._thread.join()

    @property
    def cpu_seconds(self) -> float:
        return sum(self._cpu.values())


# ---------------------------------------------------------------- figures

def interleaved(versions: list[Version], repeat: int, run) -> dict:
    """`run(version, round)` for each version in turn, `repeat` rounds; per version its runs and medians."""
    runs: dict[str, list[dict]] = {v.label: [] for v in versions}
    for number in range(repeat):
        for version in versions:
            outcome = run(version, number)
            runs[version.label].append(outcome)
            print(f"  {version.label}: {outcome}", file=sys.stderr, flush=True)
    return {label: {"median_seconds": statistics.median(r["seconds"] for r in rs),
                    "median_cpu_seconds": statistics.median(r.get("cpu_seconds", 0) for r in rs),
                    "median_peak_mb": statistics.median(r["peak_mb"] for r in rs), "runs": rs}
            for label, rs in runs.items()}


def throughput(versions, repeat, work: Path) -> dict:
    corpus = work / "forty"
    documents = len(make_corpus(corpus, 10))
    result = interleaved(versions, repeat, lambda v, n: v.ingest(corpus, work / f"forty-{id(v)}-{n}"))
    for figure in result.values():
        figure["documents"] = documents
        figure["documents_per_second"] = round(documents / figure["median_seconds"], 2)
    return result


def per_kb(versions, repeat, work: Path) -> dict:
    fixed_corpus = one_document(work / "fixed", "one-line.txt", "Medical coders in Ohio earn $20.00 an hour.\n")
    small = one_document(work / "copies-4", "copies-4.txt", corpus_copies(4))
    large = one_document(work / "copies-32", "copies-32.txt", corpus_copies(32))
    kb = {"4": (small / "copies-4.txt").stat().st_size / 1000, "32": (large / "copies-32.txt").stat().st_size / 1000}

    def run(version, number):
        fixed = version.ingest(fixed_corpus, work / f"fixed-{id(version)}-{number}")
        four = version.ingest(small, work / f"c4-{id(version)}-{number}")
        thirty_two = version.ingest(large, work / f"c32-{id(version)}-{number}")
        return {"seconds": thirty_two["seconds"], "cpu_seconds": thirty_two["cpu_seconds"],
                "peak_mb": thirty_two["peak_mb"], "fixed": fixed["seconds"], "copies_4": four["seconds"],
                "copies_32": thirty_two["seconds"], "fixed_cpu": fixed["cpu_seconds"], "copies_4_cpu": four["cpu_seconds"],
                "copies_32_cpu": thirty_two["cpu_seconds"], "load": four["load"]}

    result = interleaved(versions, repeat, run)
    for figure in result.values():
        fixed = statistics.median(r["fixed"] for r in figure["runs"])
        four = statistics.median(r["copies_4"] for r in figure["runs"])
        thirty_two = statistics.median(r["copies_32"] for r in figure["runs"])
        per_four, per_thirty_two = max(four - fixed, 1e-3) / kb["4"], max(thirty_two - fixed, 1e-3) / kb["32"]
        figure.update({"kb": {k: round(v, 1) for k, v in kb.items()}, "fixed_seconds": fixed,
                       "seconds_per_kb_4": round(per_four, 4), "seconds_per_kb_32": round(per_thirty_two, 4),
                       "ratio_32_to_4": round(per_thirty_two / per_four, 2),
                       "ratio_without_taking_out_fixed": round((thirty_two / kb["32"]) / (four / kb["4"]), 2)})
        fixed, four, thirty_two = (statistics.median(r[key] for r in figure["runs"])
                                   for key in ("fixed_cpu", "copies_4_cpu", "copies_32_cpu"))
        per_four, per_thirty_two = max(four - fixed, 1e-3) / kb["4"], max(thirty_two - fixed, 1e-3) / kb["32"]
        figure.update({"cpu_seconds_per_kb_4": round(per_four, 4), "cpu_seconds_per_kb_32": round(per_thirty_two, 4),
                       "cpu_ratio_32_to_4": round(per_thirty_two / per_four, 2)})
    return result


def big(versions, repeat, work: Path, size: int, one_line: bool) -> dict:
    name = "one-line.txt" if one_line else "big.txt"
    text = corpus_copies(copies_for(size), joiner=" " if one_line else "\n\n")
    if one_line:
        text = re.sub(r"\s+", " ", text)
    corpus = one_document(work / name.removesuffix(".txt"), name, text)
    result = interleaved(versions, repeat, lambda v, n: v.ingest(corpus, work / f"{name}-{id(v)}-{n}"))
    for figure in result.values():
        figure["bytes"] = len(text.encode())
    return result


def noop(versions, repeat, work: Path) -> dict:
    data = {}
    for version in versions:
        data[version.label] = work / f"noop-{id(version)}"
        version.ingest(FIXTURE_CORPUS, data[version.label])
    return interleaved(versions, repeat, lambda v, n: v.ingest(FIXTURE_CORPUS, data[v.label]))


def same_graph(versions, work: Path) -> dict:
    dumps = {}
    for version in versions:
        data = work / f"graph-{id(version)}"
        version.ingest(FIXTURE_CORPUS, data)
        dumps[version.label] = (data / "kg.trig").read_bytes()
    first = next(iter(dumps.values()))
    return {"byte_identical": all(dump == first for dump in dumps.values()),
            "bytes": {label: len(dump) for label, dump in dumps.items()}}


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m bench.ingest_bench")
    parser.add_argument("--baseline", help="a commit to measure beside this checkout (e.g. main)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", default=",".join(FIGURES), help="comma-separated: " + ", ".join(FIGURES))
    parser.add_argument("--big-mb", type=float, default=2.0)
    parser.add_argument("--one-line-mb", type=float, default=1.0)
    args = parser.parse_args(argv)
    only = set(args.only.split(","))
    if only - set(FIGURES):
        parser.error(f"unknown figure(s): {', '.join(sorted(only - set(FIGURES)))}")
    work = Path(tempfile.mkdtemp(prefix="mbc-bench-ingest-"))
    try:
        versions = [Version("this checkout", ROOT)]
        if args.baseline:
            versions.insert(0, Version.exported(args.baseline, work))
        figures: dict = {"versions": [v.label for v in versions], "load_at_start": os.getloadavg()}
        steps = {
            "throughput": lambda: throughput(versions, args.repeat, work),
            "per-kb": lambda: per_kb(versions, args.repeat, work),
            "big": lambda: big(versions, args.repeat, work, int(args.big_mb * 1e6), one_line=False),
            "one-line": lambda: big(versions, args.repeat, work, int(args.one_line_mb * 1e6), one_line=True),
            "noop": lambda: noop(versions, args.repeat, work),
            "same-graph": lambda: same_graph(versions, work),
        }
        for name in FIGURES:
            if name in only:
                print(f"== {name}", file=sys.stderr, flush=True)
                figures[name] = steps[name]()
        figures["load_at_end"] = os.getloadavg()
        return report("ingest", figures)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
