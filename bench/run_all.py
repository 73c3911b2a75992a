"""`make bench`: every benchmark, results in bench/results/*.json (reported, not asserted).

    python -m bench.run_all [--quick]

Runs on the `data/` of the seed corpus (ingested first): the store and SPARQL comparison (the table
of the project's /sparql against Oxigraph's server, pyoxigraph in-process and rdflib), search,
load, search at scale (100k and 1M passages), the service under attack, and ingest throughput.
`--quick` is for trying the benches out, not for figures: smaller sizes everywhere (scale: 10k and
100k passages instead of 100k and 1M; ingest: the seed corpus and 20 documents in other layouts).
"""
from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from bench import attack, ingest_bench, load_bench, scale_bench, search_bench, sparql_bench, store_bench

ROOT = Path(__file__).resolve().parent.parent


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.run_all")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, to try the benches out")
    args = parser.parse_args(argv)
    data = ROOT / "data"
    subprocess.run([sys.executable, "-m", "ingest", "--corpus", str(ROOT / "corpus"), "--data", str(data),
                    "--no-progress"], cwd=ROOT, check=False)
    store_bench.main(["--data", str(data)])
    sparql_bench.main(["--data", str(data)] + (["--rounds", "5"] if args.quick else []))
    search_bench.main(["--data", str(data)])
    load_bench.main(["--data", str(data)])
    scale_bench.main(["--sizes", "10000,100000", "--embedded", "2000"] if args.quick else [])
    attack.main(["--data", str(data)])
    ingest_bench.main(["--scales", "--repeat", "1", "--layouts-documents", "20"] if args.quick else [])


if __name__ == "__main__":
    main()
