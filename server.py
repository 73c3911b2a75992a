"""The mbc-kg service: SPARQL endpoint, search page and API, provenance and linked data.

    python server.py --data DIR --host H --port P --workers N
    make run                                          # the same, on http://127.0.0.1:5000

The app comes from `service.create_app(config)`. This entry point serves it with granian behind
the buffering front of service.asgi: each of the N worker processes builds its own app (so the
embedding model loads once per worker), and settings reach the workers as MBC_* variables.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from service import Config


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python server.py", description="Serve mbc-kg.")
    parser.add_argument("--data", type=Path, default=Path(os.environ.get("MBC_DATA_DIR", "data")),
                        help="data directory written by ingest (default: $MBC_DATA_DIR or data)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("MBC_WORKERS", "2")),
                        help="server processes (default: $MBC_WORKERS or 2)")
    parser.add_argument("--sparql-timeout", type=float, default=None, help="seconds (default 10)")
    parser.add_argument("--sparql-max-results", type=int, default=None)
    parser.add_argument("--access-log", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    local = "127.0.0.1" if args.host in ("0.0.0.0", "::", "") else args.host
    local = f"[{local}]" if ":" in local else local
    overrides = {"data_dir": args.data.resolve(), "sparql_timeout": args.sparql_timeout,
                 "sparql_max_results": args.sparql_max_results,
                 "public_base_url": None if "MBC_PUBLIC_BASE_URL" in os.environ else f"http://{local}:{args.port}"}
    for name, value in overrides.items():
        if value is not None:   # the worker processes read their settings from the environment
            os.environ[f"MBC_{name.upper()}"] = str(value)
    return serve(args.host, args.port, args.workers, Config.from_env(), access_log=args.access_log)


def serve(host: str, port: int, workers: int, config: Config, access_log: bool = False) -> int:
    from granian import Granian
    from granian.constants import HTTPModes, Interfaces
    from granian.http import HTTP1Settings

    Granian("service.asgi:create_asgi_app_from_env", factory=True, interface=Interfaces.ASGI,
            http=HTTPModes.http1, address=host, port=port, workers=workers, respawn_failed_workers=True,
            http1_settings=HTTP1Settings(header_read_timeout=int(config.header_timeout * 1000)),
            log_access=access_log, working_dir=Path(__file__).resolve().parent).serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
