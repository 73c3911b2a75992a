"""python -m ingest --corpus DIR --data DIR

Exit status: 0 when every document is ingested, 3 when some file was skipped (each named on
stderr with the reason: not text, not a regular file, a link out of the corpus, over a limit, a
damaged file, a conversion out of time or memory, an extraction that failed) but the rest ingested, 1 on a fatal error (one line on stderr: a missing corpus, a data
folder that cannot be written, a full disk; the data being served is then unchanged).
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def parse_args(argv: list[str] | None = None, prog: str = "python -m ingest") -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=prog, description="Ingest a corpus into the mbc-kg graph store and search "
                                                            "index.")
    parser.add_argument("--corpus", type=Path, default=Path("corpus"), help="folder of documents (default: corpus)")
    parser.add_argument("--data", type=Path, default=Path(os.environ.get("MBC_DATA_DIR", "data")),
                        help="data folder for the store, dump and index (default: $MBC_DATA_DIR or data)")
    from ingest.formats.limits import SETTINGS, Limits, describe

    defaults = Limits()
    for setting in SETTINGS:     # every limit on reading a file: a flag, an environment variable, a default
        parser.add_argument(setting.flag, default=None, metavar={"count": "N"}.get(setting.unit, setting.unit.upper()),
                            dest=setting.field,
                            help=f"{setting.help} (default: ${setting.environment} or "
                                 f"{describe(defaults, setting.field)})")
    parser.add_argument("--vocabulary", choices=("full", "core"), default=None,
                        help="reference vocabulary the extractor reads: full, or core = without its "
                             "certifications and organizations, so every credential and body is found by "
                             "reading the text (default: $MBC_VOCABULARY or full)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")
    parser.add_argument("--no-index", action="store_true", help="build the graph only, not the search index")
    parser.add_argument("--workers", type=int, default=_int_env("MBC_INGEST_WORKERS"),
                        help="processes that extract documents in parallel (default: $MBC_INGEST_WORKERS or all "
                             "cores; 1: in this process)")
    parser.add_argument("--scheduler", default=os.environ.get("MBC_DASK_SCHEDULER") or None,
                        help="extract on a Dask distributed cluster, e.g. tcp://host:8786 (default: "
                             "$MBC_DASK_SCHEDULER; none: this machine)")
    parser.add_argument("--sparql-query-url", default=os.environ.get("MBC_SPARQL_QUERY_URL") or None,
                        help="also copy the graph to this SPARQL server's query endpoint (default: "
                             "$MBC_SPARQL_QUERY_URL); only what changed is rewritten")
    parser.add_argument("--sparql-update-url", default=os.environ.get("MBC_SPARQL_UPDATE_URL") or None,
                        help="that server's SPARQL Update endpoint (default: $MBC_SPARQL_UPDATE_URL)")
    parser.add_argument("--gsp-url", default=os.environ.get("MBC_SPARQL_GSP_URL") or None,
                        help="that server's Graph Store Protocol endpoint, if any: each graph is then put "
                             "with one PUT (default: $MBC_SPARQL_GSP_URL)")
    args = parser.parse_args(argv)
    if args.workers is not None and args.workers < 1:
        parser.error("--workers must be at least 1")
    if (args.sparql_update_url or args.gsp_url) and not args.sparql_query_url:
        parser.error("--sparql-update-url and --gsp-url need --sparql-query-url (the server's query endpoint)")
    if args.sparql_query_url and not (args.sparql_update_url or args.gsp_url):
        parser.error("writing to the SPARQL server needs --sparql-update-url (its SPARQL Update endpoint)")
    return args


def _int_env(name: str) -> int | None:
    value = os.environ.get(name)
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        sys.exit(f"ingest: {name}={value!r} is not a number of workers")


def remote_endpoints(args: argparse.Namespace):
    if not args.sparql_query_url:
        return None
    from kg.remote import RemoteEndpoints

    return RemoteEndpoints(args.sparql_query_url, args.sparql_update_url, args.gsp_url,
                           float(os.environ.get("MBC_SPARQL_REMOTE_TIMEOUT", "30")))


def default_steps(with_index: bool) -> list:
    if not with_index:
        return []
    from ingest.indexing import IndexStep

    return [IndexStep()]


def main(argv: list[str] | None = None, prog: str = "python -m ingest") -> int:
    args = parse_args(argv, prog)
    from ingest.pipeline import run_ingest
    from ingest.pool import PoolError, make_pool
    from ingest.formats.limits import SETTINGS, limits_from
    from kg.vocabulary import vocabulary_mode
    from kg.datadir import DataDirError
    from kg.remote import RemoteStoreError

    progress = not args.no_progress and sys.stderr.isatty()
    try:
        limits = limits_from({setting.field: getattr(args, setting.field) for setting in SETTINGS})
        vocabulary_mode(args.vocabulary)
    except ValueError as error:
        print(f"ingest: {error}", file=sys.stderr)
        return 2
    try:
        pool = make_pool(args.workers, args.scheduler)
    except PoolError as error:
        print(f"ingest: {error}", file=sys.stderr)
        return 1
    try:
        report = run_ingest(args.corpus, args.data, progress=progress, steps=default_steps(not args.no_index),
                            pool=pool, remote=remote_endpoints(args), limits=limits, vocabulary=args.vocabulary)
    except RemoteStoreError as error:
        print(f"ingest: the local graph is up to date, but copying it to the SPARQL server failed: {error}; "
              f"run ingest again to retry", file=sys.stderr)
        return 1
    except (FileNotFoundError, DataDirError, PoolError) as error:
        print(f"ingest: {error}", file=sys.stderr)
        return 1
    finally:
        pool.close()
    for problem in report.problems:
        print(f"ingest: {problem}", file=sys.stderr)
    if not (report.extracted or report.unchanged or report.problems):
        print(f"ingest: warning: {args.corpus} holds no documents (.txt, .md, .html, .pdf, .docx); "
              f"the graph holds only the ontology and the vocabulary", file=sys.stderr)
    if report.generation is None:
        print(f"ingest: up to date ({len(report.unchanged)} documents unchanged, nothing rewritten) "
              f"in {report.seconds:.2f}s")
    else:
        print(f"ingest: {len(report.extracted)} extracted, {len(report.unchanged)} unchanged, "
              f"{len(report.removed)} removed; {report.triples} triples (distinct, all graphs merged) in {args.data / 'kg.trig'} "
              f"({report.seconds:.1f}s, {report.documents_per_second:.2f} documents/s)")
    if report.remote is not None:
        done = report.remote
        print(f"ingest: SPARQL server {done['server']}: {len(done['put'])} graph(s) written, "
              f"{len(done['dropped'])} dropped" + ("" if done["put"] or done["dropped"] else " (up to date)"))
    if report.problems:
        print(f"ingest: {len(report.problems)} file(s) skipped; see messages above", file=sys.stderr)
    return report.exit_status


if __name__ == "__main__":
    sys.exit(main())
