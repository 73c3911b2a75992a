"""/sparql: a read-only SPARQL 1.1 Protocol endpoint, its query page and its service description."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, abort, render_template, request, send_from_directory

from service import state
from service.security_headers import CONTENT_SECURITY_POLICY
from service.errors import ApiError
from service.negotiation import (
    FORM,
    FORMAT_IRIS,
    HTML,
    RDF_FORMATS,
    SPARQL_QUERY,
    SPARQL_UPDATE,
    prefers_html_to_rdf,
    rdf_media,
    sparql_formats,
    sparql_page_requested,
)
from service.sparql_examples import EXAMPLES, editor_settings
from service.sparql_executor import (
    GRAPH_FORMATS,
    SOLUTION_FORMATS,
    QueryFailed,
    QueryRefused,
    QueryTimeout,
)
from service.sparql_query import looks_like_update, nesting_depth, syntax_position

bp = Blueprint("sparql", __name__)

READ_ONLY = ("this endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, ...) is refused; "
             "the graph changes only when documents are re-ingested")


def _single(values: list[str], name: str) -> str:
    if len(values) > 1:
        raise ApiError(400, f"more than one {name}", f"send exactly one '{name}' parameter, not {len(values)}")
    return values[0]


def _read_request() -> tuple[str | None, list[str], list[str]]:
    """(query, default graph IRIs, named graph IRIs) from a GET or POST, by the protocol's rules."""
    if request.method in ("GET", "HEAD"):
        if "update" in request.args:
            raise ApiError(403, "updates are not allowed", READ_ONLY)
        queries = request.args.getlist("query")
        query = _single(queries, "query") if queries else None
        return query, request.args.getlist("default-graph-uri"), request.args.getlist("named-graph-uri")
    media = request.mimetype
    charset = (request.mimetype_params.get("charset") or "utf-8").lower()
    if media == SPARQL_UPDATE or (media == FORM and "update" in request.form):
        raise ApiError(403, "updates are not allowed", READ_ONLY)
    if charset not in ("utf-8", "utf8"):
        raise ApiError(415, "unsupported charset", f"the body must be UTF-8, not {charset}")
    if media == FORM:
        queries = request.form.getlist("query")
        if not queries:
            raise ApiError(400, "missing query", "a form POST needs a 'query' field")
        return (_single(queries, "query"),
                request.form.getlist("default-graph-uri") + request.args.getlist("default-graph-uri"),
                request.form.getlist("named-graph-uri") + request.args.getlist("named-graph-uri"))
    if media == SPARQL_QUERY:
        try:
            query = request.get_data(cache=False).decode("utf-8")
        except UnicodeDecodeError:
            raise ApiError(400, "body is not UTF-8", "send the query as UTF-8 text") from None
        return query, request.args.getlist("default-graph-uri"), request.args.getlist("named-graph-uri")
    raise ApiError(415, "unsupported media type",
                   f"POST the query as {FORM} (query=...) or as {SPARQL_QUERY}")


def _check(query: str) -> None:
    limit = state.config().max_query_chars
    if not query.strip():
        raise ApiError(400, "empty query", "the query parameter is empty")
    if len(query) > limit:
        raise ApiError(413, "query too long", f"the query is {len(query)} characters; the limit is {limit}")
    if looks_like_update(query):
        raise ApiError(403, "updates are not allowed", READ_ONLY)
    depth, most = nesting_depth(query), state.config().sparql_max_nesting
    if depth > most:
        raise ApiError(400, "query nested too deeply",
                       f"the query nests {depth} levels deep (brackets or repeated operators); the limit is {most}")


@bp.route("/sparql/", methods=["GET", "POST"])
@bp.route("/sparql", methods=["GET", "POST"])   # listed last, so it is the one url_for() writes
def sparql():
    query, default_graphs, named_graphs = _read_request()
    if query is None:
        return _landing()
    if sparql_page_requested():
        return _query_page(query)   # a shared link opened in a browser: the workbench runs it
    _check(query)
    solution_format, graph_format = sparql_formats()
    config = state.config()
    generation = state.served()
    dataset_given = bool(default_graphs or named_graphs)
    job = {
        "query": query, "store": str(generation.store.path) if generation.store.is_local else None,
        "limit": config.sparql_max_results, "max_bytes": max(1, config.sparql_max_result_mb) * 2**20,
        "solution_format": solution_format, "graph_format": graph_format,
        "base_iri": config.public_base_url + request.path,
        "default_graphs": default_graphs if dataset_given else None,
        "named_graphs": named_graphs if dataset_given else None,
    }
    cache = state.result_cache()
    live = state.live_data()
    token = live.cache_token(generation)
    key = (token, job["base_iri"], query, solution_format, graph_format, tuple(default_graphs),
           tuple(named_graphs), dataset_given)
    result = cache.get(key) if token is not None else None
    cached = result is not None
    if result is None:
        result = _run(job, config)
        # kept only if what the store holds did not move while the query ran (a copy to a remote server)
        if token is not None and live.cache_token(generation) == token:
            cache.put(key, result)
    content_type = result.content_type + ("; charset=utf-8" if not result.content_type.endswith("+xml") else "")
    response = Response(result.body, content_type=content_type)
    response.headers["X-SPARQL-Results"] = str(result.count)
    response.headers["X-SPARQL-Cache"] = "hit" if cached else "miss"
    if result.truncated:
        response.headers["X-SPARQL-Truncated"] = "true"
        response.headers["X-SPARQL-Limit"] = str(config.sparql_max_results)
        response.headers["X-SPARQL-Limit-Bytes"] = str(max(1, config.sparql_max_result_mb) * 2**20)
    response.headers["Vary"] = "Accept, Accept-Encoding"
    return response


def _run(job: dict, config):
    """The query on a worker of the pool; every way it can fail, as the error a client can act on."""
    try:
        return state.query_pool().run(job, client=request.remote_addr or "-")
    except QueryRefused as error:
        status = 429 if error.kind == "client-share" else 503
        raise ApiError(status, "too many queries" if status == 429 else "server busy", error.message,
                       headers={"Retry-After": str(error.retry_after)}, retry_after=error.retry_after) from None
    except QueryTimeout as error:
        raise ApiError(503, "query timeout", str(error), limit_seconds=config.sparql_timeout) from None
    except QueryFailed as error:
        if error.kind == "syntax":
            line, column = syntax_position(error.message)
            raise ApiError(400, "malformed query", error.message, line=line, column=column) from None
        if error.kind == "service":
            raise ApiError(403, "SERVICE is disabled", error.message) from None
        if error.kind == "memory":
            raise ApiError(400, "query exceeds the memory limit", error.message) from None
        if error.kind == "depth":
            raise ApiError(400, "query nested too deeply", error.message) from None
        if error.kind == "function":
            raise ApiError(400, "function not available", error.message) from None
        if error.kind == "unreachable":
            raise ApiError(502, "the graph store is unreachable", error.message) from None
        if error.kind == "upstream":
            raise ApiError(502, "SPARQL server error", error.message) from None
        if error.kind == "unsupported":
            raise ApiError(400, "query cannot be forwarded", error.message) from None
        if error.kind == "sandbox":
            raise ApiError(503, "queries unavailable", error.message) from None
        if error.kind == "evaluation":
            raise ApiError(400, "query failed", error.message) from None
        raise ApiError(500, "query failed", "the query could not be completed") from None


def _landing():
    """No query: the query page for a browser, the service description for other clients."""
    if prefers_html_to_rdf():
        return _query_page(None)
    return service_description()


def _query_page(query: str | None):
    """The SPARQL workbench (YASGUI's editor and result views), with `query` in the editor and run at
    once, or the first example when there is none."""
    config = state.config()
    response = Response(render_template(
        "sparql.html", examples=EXAMPLES, query=query, run=query is not None,
        initial=query if query is not None else EXAMPLES[0]["query"], limit=config.sparql_max_results,
        timeout=config.sparql_timeout, settings=editor_settings(state.served()),
        max_query_string=config.max_query_string_bytes), content_type=f"{HTML}; charset=utf-8")
    response.headers["Vary"] = "Accept"
    response.headers["Content-Security-Policy"] = WORKBENCH_CSP
    return response


# The one relaxation of the site's CSP (default-src 'self'), on this page only: YASR's column resizer
# (column-resizer, bundled in @triply/yasgui 4.2.28) adds two fixed <style> elements, its grip layout and
# the drag cursor. They are allowed by their hashes, not by 'unsafe-inline', so no other inline style
# can run. A new YASGUI version that changes them only loses resizable columns (a console warning).
YASR_STYLE_HASHES = ("'sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk='",
                     "'sha256-c0O6TmFAkgpNbHxKAa1BrveWHHopjEtC47i0PzMudxg='")
WORKBENCH_CSP = CONTENT_SECURITY_POLICY.replace("style-src 'self'", "style-src 'self' " + " ".join(YASR_STYLE_HASHES))


# YASGUI, installed by `make install` from web/package-lock.json (npm ci) and served from here, never
# from a CDN. Only the two built files are exposed, not the rest of node_modules.
WEB_ASSETS = Path(__file__).resolve().parent.parent / "web" / "node_modules" / "@triply" / "yasgui" / "build"
VENDOR_FILES = {"yasgui.min.js", "yasgui.min.css"}


@bp.route("/vendor/yasgui/<string:name>")
def vendor(name: str):
    if name not in VENDOR_FILES:
        abort(404, description=f"the vendor files are {', '.join(sorted(VENDOR_FILES))}")
    if not (WEB_ASSETS / name).exists():
        raise ApiError(503, "editor not installed", f"{WEB_ASSETS / name} is missing: run `make install` "
                                                    "(it runs `npm ci --prefix web`)")
    return send_from_directory(WEB_ASSETS, name, max_age=86400)


RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def service_description():
    """A SPARQL 1.1 Service Description of this endpoint, in the RDF format the client accepts."""
    import pyoxigraph as ox

    from kg.namespaces import SD, VOID

    sd = str(SD)
    endpoint = ox.NamedNode(state.config().public_base_url + "/sparql")
    dataset = ox.BlankNode("dataset")
    triples = [
        (endpoint, ox.NamedNode(RDF_TYPE), ox.NamedNode(sd + "Service")),
        (endpoint, ox.NamedNode(sd + "endpoint"), endpoint),
        (endpoint, ox.NamedNode(sd + "supportedLanguage"), ox.NamedNode(sd + "SPARQL11Query")),
        (endpoint, ox.NamedNode(sd + "feature"), ox.NamedNode(sd + "UnionDefaultGraph")),
        (endpoint, ox.NamedNode(sd + "defaultDataset"), dataset),
        (dataset, ox.NamedNode(RDF_TYPE), ox.NamedNode(sd + "Dataset")),
        (dataset, ox.NamedNode(str(VOID) + "sparqlEndpoint"), endpoint),
    ]
    for media in list(SOLUTION_FORMATS.values()) + list(GRAPH_FORMATS.values()):
        triples.append((endpoint, ox.NamedNode(sd + "resultFormat"), ox.NamedNode(FORMAT_IRIS[media])))
    generation = state.served()
    for graph_name in generation.store.named_graphs():
        named = ox.BlankNode()
        triples.append((dataset, ox.NamedNode(sd + "namedGraph"), named))
        triples.append((named, ox.NamedNode(sd + "name"), ox.NamedNode(graph_name)))
    media = rdf_media()
    body = ox.serialize([ox.Triple(*t) for t in triples], format=RDF_FORMATS[media])
    return Response(body, content_type=f"{media}; charset=utf-8")
