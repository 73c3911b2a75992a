"""`make bench`: every benchmark, results in bench/results/*.json (reported, not asserted)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench import ingest_bench, load_bench, search_bench, sparql_bench, store_bench

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    data = ROOT / "data"
    subprocess.run([sys.executable, "-m", "ingest", "--corpus", str(ROOT / "corpus"), "--data", str(data),
                    "--no-progress"], cwd=ROOT, check=False)
    store_bench.main(["--data", str(data)])
    sparql_bench.main(["--data", str(data)])
    search_bench.main(["--data", str(data)])
    load_bench.main(["--data", str(data)])
    ingest_bench.main([])


if __name__ == "__main__":
    main()
