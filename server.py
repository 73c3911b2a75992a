"""The mbc-kg service: SPARQL endpoint, search page and API, provenance and linked data.

    mbc-kg serve --data DIR --host H --port P --workers N     (or: python server.py ...)
    make run                                                  # ingest, then serve on http://127.0.0.1:5000

The app comes from `service.create_app(config)`. This entry point serves it with granian behind
the buffering front of service.asgi. Before granian starts, this process claims the port (a second
server on it stops at once, naming the holder: service.ports) and loads the embedding model, so the
N worker processes forked from it share one copy of its memory; each worker builds its own app, dies
with this process (service.lifeline), and reads its settings from MBC_* variables. Once every worker
listens and the data answers, the addresses to open are printed.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from service import Config

LOG_LEVELS = ("debug", "info", "warning", "error")


def build_parser(prog: str = "python server.py") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description="Serve mbc-kg: the search page, the SPARQL endpoint and "
                                                            "workbench, the API and its page, linked-data pages.")
    parser.add_argument("--data", type=Path, default=Path(os.environ.get("MBC_DATA_DIR", "data")),
                        help="data directory written by ingest (default: $MBC_DATA_DIR or data)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)")
    parser.add_argument("--port", type=int, default=5000, help="default 5000")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("MBC_WORKERS", "2")),
                        help="server processes (default: $MBC_WORKERS or 2)")
    parser.add_argument("--sparql-timeout", type=float, default=None, help="seconds (default 10)")
    parser.add_argument("--sparql-max-results", type=int, default=None)
    parser.add_argument("--access-log", action="store_true", help="log every request (to stderr)")
    parser.add_argument("--log-level", choices=LOG_LEVELS, default=os.environ.get("MBC_LOG_LEVEL", "info"),
                        help="level of the server's log on stderr (default: $MBC_LOG_LEVEL or info)")
    parser.add_argument("--no-preload", action="store_true",
                        help="let each worker load the embedding model itself (more memory; for comparison)")
    return parser


def main(argv: list[str] | None = None, prog: str = "python server.py") -> int:
    args = build_parser(prog).parse_args(argv)
    if args.workers < 1:
        print(f"{prog}: --workers must be at least 1", file=sys.stderr)
        return 2
    from service.ports import PortUnavailable, claim_port

    try:
        port_guard = claim_port(args.host, args.port)   # held until this process ends
    except PortUnavailable as error:
        print(f"mbc-kg: {error}", file=sys.stderr)
        return 1
    local = "127.0.0.1" if args.host in ("0.0.0.0", "::", "") else args.host
    local = f"[{local}]" if ":" in local else local
    overrides = {"data_dir": args.data.resolve(), "sparql_timeout": args.sparql_timeout,
                 "sparql_max_results": args.sparql_max_results, "log_level": args.log_level,
                 "public_base_url": None if "MBC_PUBLIC_BASE_URL" in os.environ else f"http://{local}:{args.port}"}
    for name, value in overrides.items():
        if value is not None:   # the worker processes read their settings from the environment
            os.environ[f"MBC_{name.upper()}"] = str(value)
    os.environ["MBC_SERVER_PID"] = str(os.getpid())    # the workers end when this process does
    config = Config.from_env()
    if config.load_search and not args.no_preload:
        preload_model()
    from service.startup import announce_when_ready

    announce_when_ready(local_base=f"http://{local}:{args.port}", public_base=config.public_base_url,
                        port=args.port, workers=args.workers)
    try:
        return serve(args.host, args.port, args.workers, config, access_log=args.access_log,
                     log_level=args.log_level)
    finally:
        port_guard.close()


# What every worker imports anyway: imported once here instead (the views, Flask, faiss, pyoxigraph).
PRELOADED_MODULES = ("service.asgi", "service.sparql", "service.search_views", "service.resources", "service.browse",
                     "service.documents", "service.downloads", "service.provenance", "search.answers", "faiss",
                     "pyoxigraph", "flask_compress", "flask_cors")


def preload_model() -> None:
    """Load the question model and the app's code here, before granian forks its workers: they share
    these pages (copy on write; the weights are never written) instead of each loading its own copy.
    No inference runs here, so torch starts no thread pool before the fork."""
    import gc
    import importlib

    from common.embedding import load_model
    from search.engine import question_model

    for module in PRELOADED_MODULES:
        importlib.import_module(module)
    question_model()            # the int8 copy questions are embedded with
    load_model.cache_clear()    # the float32 model it was made from: the server never uses it
    gc.collect()
    gc.freeze()    # what is loaded now is never scanned by the collector again, so its pages stay shared


def serve(host: str, port: int, workers: int, config: Config, access_log: bool = False,
          log_level: str = "info") -> int:
    from granian import Granian
    from granian.constants import HTTPModes, Interfaces
    from granian.http import HTTP1Settings
    from granian.log import LogLevels

    Granian("service.asgi:create_asgi_app_from_env", factory=True, interface=Interfaces.ASGI,
            http=HTTPModes.http1, address=host, port=port, workers=workers, respawn_failed_workers=True,
            http1_settings=HTTP1Settings(header_read_timeout=int(config.header_timeout * 1000)),
            log_access=access_log, log_level=LogLevels(log_level),
            working_dir=Path(__file__).resolve().parent).serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
