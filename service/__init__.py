"""The mbc-kg web service: `create_app(config)` builds the Flask app from its blueprints.

The server never writes the graph: it reads the live generation of the data directory
(service.state) and runs SPARQL in sandboxed worker processes (service.sparql_executor).
"""
from __future__ import annotations

import atexit
import logging
import os
from dataclasses import dataclass, fields
from pathlib import Path

from flask import Flask, request

from service.errors import ApiError, register_error_handlers
from service.negotiation import COMPRESSED_TYPES, HTML
from service.security_headers import CONTENT_SECURITY_POLICY


@dataclass
class Config:
    data_dir: Path = Path("data")
    sparql_timeout: float = 10.0          # seconds before a query is stopped
    sparql_max_results: int = 10000       # rows or triples; a capped result says so
    sparql_max_result_mb: int = 16        # bytes of a result, in MB; a capped result says so (whole rows kept)
    sparql_workers: int = 2               # query worker processes kept ready per server process
    sparql_max_workers: int = 4           # at most this many per server process
    sparql_per_client: int = 2            # queries one client address may run at once per server process
    sparql_memory_mb: int = 512           # memory one query may use (its worker is stopped above it)
    sparql_niceness: int = 10             # query workers run at this lower CPU priority
    sparql_max_nesting: int = 64          # deepest bracket nesting a query may have (deeper: 400 before parsing)
    sparql_max_depth: int = 256           # remote store: deepest query tree forwarded (service.sparql_canonical)
    sparql_cache_mb: int = 64             # answers to repeated queries kept per server process (0: none)
    sparql_query_url: str = ""            # a remote SPARQL server to read the graph from (see kg.remote)
    sparql_update_url: str = ""           # its update endpoint (used by ingest only)
    sparql_gsp_url: str = ""              # its Graph Store Protocol endpoint, if any (ingest only)

    def remote_endpoints(self):
        from kg.remote import RemoteEndpoints

        if not self.sparql_query_url:
            return None
        return RemoteEndpoints(self.sparql_query_url, self.sparql_update_url or None, self.sparql_gsp_url or None,
                               self.sparql_timeout)
    max_query_chars: int = 100_000
    max_body_bytes: int = 1_000_000
    max_query_string_bytes: int = 16_384
    load_search: bool = True              # load the search index and model at start-up
    check_interval: float = 1.0           # how often to look for a newly ingested generation
    header_timeout: float = 10.0          # seconds a client has to send its request headers
    body_timeout: float = 20.0            # seconds a client has to send its request body
    server_threads: int = 16              # threads per worker process that run the Flask app
    public_base_url: str = "http://127.0.0.1:5000"   # where users reach the service: absolute links use it
    trusted_hosts: str = ""               # Host header values accepted, comma-separated (default: the base
                                          # URL's host, localhost, 127.0.0.1 and ::1); others get a 400

    def trusted_host_list(self) -> list[str]:
        from urllib.parse import urlsplit

        if self.trusted_hosts.strip():
            return [host.strip() for host in self.trusted_hosts.split(",") if host.strip()]
        return sorted({urlsplit(self.public_base_url).hostname or "localhost", "localhost", "127.0.0.1", "[::1]"})

    @classmethod
    def from_env(cls, **overrides) -> "Config":
        """Settings from MBC_<NAME> environment variables (MBC_DATA_DIR, MBC_SPARQL_TIMEOUT, ...)."""
        values = {}
        for spec in fields(cls):
            raw = os.environ.get(f"MBC_{spec.name.upper()}")
            if raw is not None:
                kind = type(spec.default)
                values[spec.name] = (raw.lower() in ("1", "true", "yes")) if kind is bool else kind(raw)
        values.update({name: value for name, value in overrides.items() if value is not None})
        return cls(**values)



def quiet_library_logs() -> None:
    """faiss tries its AVX512 and AVX2 builds first and logs each missing one as a ModuleNotFoundError at
    INFO before loading the build it has: alarming and untrue (nothing is wrong). Only its warnings stay."""
    logging.getLogger("faiss.loader").setLevel(logging.WARNING)


def create_app(config: Config | dict | None = None) -> Flask:
    quiet_library_logs()
    if isinstance(config, dict):
        config = Config(**config)
    config = config or Config()
    config.data_dir = Path(config.data_dir)

    app = Flask(__name__)
    app.config["MBC"] = config
    app.config["MAX_CONTENT_LENGTH"] = config.max_body_bytes
    # A request's Host header never reaches a link or a redirect: links come from public_base_url and
    # redirects are relative; a Host outside the trusted list is refused (400).
    app.config["TRUSTED_HOSTS"] = config.trusted_host_list()
    config.public_base_url = config.public_base_url.rstrip("/")
    app.json.sort_keys = False
    app.config.update(COMPRESS_ALGORITHM="gzip", COMPRESS_MIN_SIZE=1024, COMPRESS_MIMETYPES=COMPRESSED_TYPES)

    from flask_compress import Compress
    from flask_cors import CORS

    from service import state
    from service.result_cache import ResultCache
    from service.sparql_executor import QueryPool

    Compress(app)
    CORS(app, resources={r"/sparql*": {"origins": "*"}}, methods=["GET", "POST", "OPTIONS"],
         allow_headers=["Content-Type", "Accept"],
         expose_headers=["X-SPARQL-Truncated", "X-SPARQL-Limit", "X-SPARQL-Limit-Bytes", "X-SPARQL-Cache",
                         "X-SPARQL-Results"])
    remote = config.remote_endpoints()
    if remote is not None:
        from kg.remote import RemoteStore
        from service.remote_queries import RemoteQueries

        # Queries are parsed and rewritten in sandboxed workers before anything reaches the server.
        checker = QueryPool(config.sparql_workers, config.sparql_max_workers, config.sparql_timeout,
                            per_client=config.sparql_per_client, memory_limit_mb=config.sparql_memory_mb,
                            niceness=config.sparql_niceness,
                            preload=("rdflib.plugins.sparql.parser", "service.sparql_canonical"))
        pool = RemoteQueries(RemoteStore(remote, whole_deadline=True), checker, config.sparql_timeout,
                             config.sparql_per_client,
                             config.sparql_max_workers, config.sparql_max_depth)
    else:
        pool = QueryPool(config.sparql_workers, config.sparql_max_workers, config.sparql_timeout,
                         per_client=config.sparql_per_client, memory_limit_mb=config.sparql_memory_mb,
                         niceness=config.sparql_niceness)
    atexit.register(pool.close)     # the worker processes stop with the server
    cache = ResultCache(config.sparql_cache_mb * 2**20)

    def new_generation_served():
        cache.clear()
        pool.recycle_idle()

    state.install(app, state.LiveData(config.data_dir, load_search=config.load_search,
                                      check_interval=config.check_interval, on_switch=new_generation_served,
                                      remote=remote), pool, cache)
    app.teardown_request(state.release_request_generation)
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
        if response.mimetype == HTML:
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response

    from service import (
        assets,
        browse,
        compare,
        documents,
        downloads,
        health,
        openapi,
        provenance,
        resources,
        search_views,
        sparql,
    )

    for module in (sparql, search_views, documents, browse, resources, compare, assets, provenance, downloads,
                   health, openapi):
        app.register_blueprint(module.bp)

    from service.presentation import counted

    app.add_template_filter(counted)        # {{ n | counted("passage") }}: "1 passage", "2 passages"

    @app.context_processor
    def _site_navigation():
        return {"browse_navigation": browse.navigation()}

    @app.route("/favicon.ico")
    def _favicon():   # browsers ask for it even with <link rel=icon>; answer rather than log a 404
        return app.send_static_file("favicon.svg")

    try:
        state.live_data(app).current()   # open the store and load the model now, not on the first request
    except Exception as error:  # noqa: BLE001 - the app still starts; /healthz reports the problem
        app.logger.warning("data not ready: %s", error)
    return app
