"""The mbc-kg service: SPARQL endpoint, search page and API, provenance and linked data.

    python server.py --data DIR --host H --port P --workers N
    make run                                          # the same, on http://127.0.0.1:5000

The app comes from `create_app(config)`. `main()` serves it with granian behind the buffering
front of service.asgi: each of the N worker processes calls `create_asgi_app_from_env()`, so the
embedding model loads once per worker, and settings reach the workers as MBC_* variables.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
from dataclasses import dataclass, fields
from pathlib import Path

from flask import Flask, request

from service.errors import ApiError, register_error_handlers


@dataclass
class Config:
    data_dir: Path = Path("data")
    sparql_timeout: float = 10.0          # seconds before a query is stopped
    sparql_max_results: int = 10000       # rows or triples; a capped result says so
    sparql_workers: int = 2               # query worker processes kept ready per server process
    sparql_max_workers: int = 4
    max_query_chars: int = 100_000
    max_body_bytes: int = 1_000_000
    max_query_string_bytes: int = 16_384
    load_search: bool = True              # load the search index and model at start-up
    check_interval: float = 1.0           # how often to look for a newly ingested generation
    header_timeout: float = 10.0          # seconds a client has to send its request headers
    body_timeout: float = 20.0            # seconds a client has to send its request body
    server_threads: int = 16              # threads per worker process that run the Flask app

    @classmethod
    def from_env(cls, **overrides) -> "Config":
        values = {}
        for spec in fields(cls):
            raw = os.environ.get(f"MBC_{spec.name.upper()}")
            if raw is not None:
                kind = type(cls.__dataclass_fields__[spec.name].default)
                values[spec.name] = (raw.lower() in ("1", "true", "yes")) if kind is bool else kind(raw)
        values.update(overrides)
        return cls(**values)


def create_app(config: Config | dict | None = None) -> Flask:
    if isinstance(config, dict):
        config = Config(**config)
    config = config or Config()
    config.data_dir = Path(config.data_dir)

    app = Flask(__name__, template_folder="service/templates", static_folder="service/static")
    app.config["MBC"] = config
    app.config["MAX_CONTENT_LENGTH"] = config.max_body_bytes
    app.config["JSON_SORT_KEYS"] = False
    app.json.sort_keys = False
    app.config["COMPRESS_ALGORITHM"] = "gzip"
    app.config["COMPRESS_MIN_SIZE"] = 1024
    app.config["COMPRESS_MIMETYPES"] = [
        "text/html", "text/css", "application/javascript", "application/json", "text/csv",
        "text/tab-separated-values", "text/turtle", "application/n-triples", "application/trig",
        "application/ld+json", "application/rdf+xml", "application/sparql-results+json",
        "application/sparql-results+xml", "image/svg+xml",
    ]

    from flask_compress import Compress
    from flask_cors import CORS

    from service.sparql_executor import QueryPool
    from service.state import DataState

    Compress(app)
    CORS(app, resources={r"/sparql*": {"origins": "*"}}, methods=["GET", "POST", "OPTIONS"],
         allow_headers=["Content-Type", "Accept"], expose_headers=["X-SPARQL-Truncated", "X-SPARQL-Limit",
                                                                    "X-SPARQL-Results"])
    app.extensions["mbc_state"] = DataState(config.data_dir, load_search=config.load_search,
                                            check_interval=config.check_interval)
    app.extensions["mbc_sparql_pool"] = QueryPool(config.sparql_workers, config.sparql_max_workers,
                                                  config.sparql_timeout)
    register_error_handlers(app)

    @app.before_request
    def _limit_query_string():
        if len(request.query_string) > config.max_query_string_bytes:
            raise ApiError(414, "query string too long",
                           f"the query string is {len(request.query_string)} bytes; the limit is "
                           f"{config.max_query_string_bytes}. POST long SPARQL queries instead")

    @app.after_request
    def _security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if response.mimetype == "text/html":
            response.headers.setdefault("Content-Security-Policy",
                                        "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                                        "script-src 'self'; frame-ancestors 'none'")
        return response

    from service import documents, health, linked_data, openapi, search_views, sparql

    for blueprint in (sparql.bp, search_views.bp, documents.bp, linked_data.bp, health.bp, openapi.bp):
        app.register_blueprint(blueprint)

    try:
        app.extensions["mbc_state"].current()   # open the store and load the model now
    except Exception as error:  # noqa: BLE001 - the app still starts; /healthz reports the problem
        app.logger.warning("data not ready: %s", error)
    return app


def configure_logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def create_app_from_env() -> Flask:
    """Configuration from MBC_* environment variables (MBC_DATA_DIR, ...), for any WSGI server."""
    configure_logging()
    return create_app(Config.from_env())


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
    overrides = {"data_dir": args.data.resolve(), "sparql_timeout": args.sparql_timeout,
                 "sparql_max_results": args.sparql_max_results}
    for name, value in overrides.items():
        if value is not None:   # the worker processes read their settings from the environment
            os.environ[f"MBC_{name.upper()}"] = str(value)
    config = Config.from_env()
    return serve(args.host, args.port, args.workers, config, access_log=args.access_log)


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
