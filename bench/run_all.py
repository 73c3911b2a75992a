"""`make bench`: every benchmark, results in bench/results/*.json (reported, not asserted).

    python -m bench.run_all [--quick] [--only store,sparql,search,load,scale,attack,ingest,places]

Runs on the `data/` of the seed corpus (ingested first): the store and SPARQL comparison (the table
of the project's /sparql against Oxigraph's server, pyoxigraph in-process and rdflib), search,
load, search at scale (100k and 1M passages), the service under attack, and ingest throughput.

The whole run takes well over half an hour on 2 cores; most of it is search at scale (training the
1M-passage IVF index three times: the exact/approximate comparison, then the passage and sentence
indexes of a real Searcher) and ingest throughput (each configuration is a cold ingest). The scale
bench embeds 2,000 synthetic passages with the model (not its default 10,000) and widens them to
100k and 1M with perturbed copies: the model's speed is not what it measures, and that saves
several minutes. The ingest bench measures the figures of issue 19 beside `main` (bench/ingest_bench.py). `--quick` is for trying the benches out, not for figures: scale at 10k and 100k
passages, ingest of the seed corpus and 20 documents in other layouts, fewer SPARQL rounds.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from bench import attack, ingest_bench, load_bench, places_bench, scale_bench, search_bench, sparql_bench, store_bench

ROOT = Path(__file__).resolve().parent.parent
BENCHES = ("store", "sparql", "search", "load", "scale", "attack", "ingest", "places")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.run_all")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, to try the benches out")
    parser.add_argument("--only", default=",".join(BENCHES), help="comma-separated: " + ", ".join(BENCHES))
    args = parser.parse_args(argv)
    only = set(args.only.split(","))
    if only - set(BENCHES):
        parser.error(f"unknown bench(es): {', '.join(sorted(only - set(BENCHES)))}")
    data = ROOT / "data"
    if only - {"scale", "ingest", "places"}:
        subprocess.run([sys.executable, "-m", "ingest", "--corpus", str(ROOT / "corpus"), "--data", str(data),
                        "--no-progress"], cwd=ROOT, check=False)
    runs = {
        "store": lambda: store_bench.main(["--data", str(data)]),
        "sparql": lambda: sparql_bench.main(["--data", str(data)] + (["--rounds", "5"] if args.quick else [])),
        "search": lambda: search_bench.main(["--data", str(data)]),
        "load": lambda: load_bench.main(["--data", str(data)]),
        "scale": lambda: scale_bench.main(["--sizes", "10000,100000", "--embedded", "1000"] if args.quick
                                          else ["--sizes", "100000,1000000", "--embedded", "2000"]),
        "attack": lambda: attack.main(["--data", str(data)]),
        "ingest": lambda: ingest_bench.main(["--repeat", "1", "--only", "throughput,noop,same-graph"] if args.quick
                                            else ["--baseline", "main"]),
        "places": lambda: places_bench.main([]),
    }
    for name in BENCHES:
        if name in only:
            print(f"== {name}", flush=True)
            runs[name]()


if __name__ == "__main__":
    main()
