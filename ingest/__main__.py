"""python -m ingest --corpus DIR --data DIR

Exit status: 0 when every document is ingested, 3 when some file was skipped (each named on
stderr with the reason: not text, not a regular file, a link out of the corpus, over the size
limit) but the rest ingested, 1 on a fatal error (one line on stderr: a missing corpus, a data
folder that cannot be written, a full disk; the data being served is then unchanged).
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m ingest", description="Ingest a corpus into the mbc-kg graph store.")
    parser.add_argument("--corpus", type=Path, default=Path("corpus"), help="folder of documents (default: corpus)")
    parser.add_argument("--data", type=Path, default=Path(os.environ.get("MBC_DATA_DIR", "data")),
                        help="data folder for the store, dump and index (default: $MBC_DATA_DIR or data)")
    parser.add_argument("--max-document-mb", type=float, default=None, metavar="MB",
                        help="skip (and name) a file larger than this (default: $MBC_MAX_DOCUMENT_MB or "
                             "5)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")
    parser.add_argument("--no-index", action="store_true", help="build the graph only, not the search index")
    return parser.parse_args(argv)


def default_steps(with_index: bool) -> list:
    if not with_index:
        return []
    from ingest.indexing import IndexStep

    return [IndexStep()]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from ingest.pipeline import run_ingest
    from ingest.reader import max_document_bytes
    from kg.datadir import DataDirError

    progress = not args.no_progress and sys.stderr.isatty()
    try:
        max_document_bytes(args.max_document_mb)
    except ValueError as error:
        print(f"ingest: {error}", file=sys.stderr)
        return 2
    try:
        report = run_ingest(args.corpus, args.data, progress=progress, steps=default_steps(not args.no_index),
                            max_document_mb=args.max_document_mb)
    except (FileNotFoundError, DataDirError) as error:
        print(f"ingest: {error}", file=sys.stderr)
        return 1
    for problem in report.problems:
        print(f"ingest: {problem}", file=sys.stderr)
    if report.generation is None:
        print(f"ingest: up to date ({len(report.unchanged)} documents unchanged, nothing rewritten) "
              f"in {report.seconds:.2f}s")
    else:
        print(f"ingest: {len(report.extracted)} extracted, {len(report.unchanged)} unchanged, "
              f"{len(report.removed)} removed; {report.triples} triples (distinct, all graphs merged) in {args.data / 'kg.trig'} "
              f"({report.seconds:.1f}s)")
    if report.problems:
        print(f"ingest: {len(report.problems)} file(s) skipped; see messages above", file=sys.stderr)
    return report.exit_status


if __name__ == "__main__":
    sys.exit(main())
