"""/sparql: a read-only SPARQL 1.1 Protocol endpoint, its query page and its service description."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, request

from service.errors import ApiError
from service.sparql_examples import EXAMPLES
from service.sparql_executor import GRAPH_FORMATS, SOLUTION_FORMATS, QueryFailed, QueryTimeout
from service.sparql_query import looks_like_update, syntax_position

bp = Blueprint("sparql", __name__)

SOLUTION_MEDIA = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
GRAPH_MEDIA = {
    "text/turtle": "turtle", "application/x-turtle": "turtle", "application/n-triples": "ntriples",
    "text/plain": "ntriples", "application/ld+json": "jsonld", "application/rdf+xml": "rdfxml",
    "application/xml": "rdfxml",
}
FORMAT_PARAMETER = {
    "json": ("json", "jsonld"), "xml": ("xml", "rdfxml"), "csv": ("csv", "turtle"), "tsv": ("tsv", "turtle"),
    "turtle": ("json", "turtle"), "ttl": ("json", "turtle"), "ntriples": ("json", "ntriples"),
    "nt": ("json", "ntriples"), "jsonld": ("json", "jsonld"), "json-ld": ("json", "jsonld"),
    "rdfxml": ("xml", "rdfxml"), "rdf": ("xml", "rdfxml"),
}
READ_ONLY = ("this endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, ...) is refused; "
             "the graph changes only when documents are re-ingested")


def _negotiate() -> tuple[str, str]:
    """The (results format, graph format) the client asked for by ?format= or Accept."""
    requested = request.values.get("format")
    if requested:
        if requested.lower() not in FORMAT_PARAMETER:
            raise ApiError(400, "unknown format", f"format must be one of {', '.join(sorted(FORMAT_PARAMETER))}")
        return FORMAT_PARAMETER[requested.lower()]
    accept = request.accept_mimetypes
    solution = SOLUTION_MEDIA[accept.best_match(list(SOLUTION_MEDIA), default="application/sparql-results+json")]
    graph = GRAPH_MEDIA[accept.best_match(list(GRAPH_MEDIA), default="text/turtle")]
    return solution, graph


def _single(values: list[str], name: str) -> str:
    if len(values) > 1:
        raise ApiError(400, f"more than one {name}", f"send exactly one '{name}' parameter, not {len(values)}")
    return values[0]


def _read_request() -> tuple[str | None, list[str], list[str]]:
    """(query, default graph IRIs, named graph IRIs) from a GET or POST, by the protocol's rules."""
    if request.method == "GET":
        if "update" in request.args:
            raise ApiError(403, "updates are not allowed", READ_ONLY)
        queries = request.args.getlist("query")
        query = _single(queries, "query") if queries else None
        return query, request.args.getlist("default-graph-uri"), request.args.getlist("named-graph-uri")
    media = request.mimetype
    charset = (request.mimetype_params.get("charset") or "utf-8").lower()
    if media == "application/sparql-update" or (media == "application/x-www-form-urlencoded" and "update" in request.form):
        raise ApiError(403, "updates are not allowed", READ_ONLY)
    if charset not in ("utf-8", "utf8"):
        raise ApiError(415, "unsupported charset", f"the body must be UTF-8, not {charset}")
    if media == "application/x-www-form-urlencoded":
        queries = request.form.getlist("query")
        if not queries:
            raise ApiError(400, "missing query", "a form POST needs a 'query' field")
        return (_single(queries, "query"),
                request.form.getlist("default-graph-uri") + request.args.getlist("default-graph-uri"),
                request.form.getlist("named-graph-uri") + request.args.getlist("named-graph-uri"))
    if media == "application/sparql-query":
        try:
            query = request.get_data(cache=False).decode("utf-8")
        except UnicodeDecodeError:
            raise ApiError(400, "body is not UTF-8", "send the query as UTF-8 text") from None
        return query, request.args.getlist("default-graph-uri"), request.args.getlist("named-graph-uri")
    raise ApiError(415, "unsupported media type",
                   "POST the query as application/x-www-form-urlencoded (query=...) or as application/sparql-query")


def _check(query: str) -> None:
    limit = current_app.config["MBC"].max_query_chars
    if not query.strip():
        raise ApiError(400, "empty query", "the query parameter is empty")
    if len(query) > limit:
        raise ApiError(413, "query too long", f"the query is {len(query)} characters; the limit is {limit}")
    if looks_like_update(query):
        raise ApiError(403, "updates are not allowed", READ_ONLY)


@bp.route("/sparql", methods=["GET", "POST"])
@bp.route("/sparql/", methods=["GET", "POST"])
def sparql():
    query, default_graphs, named_graphs = _read_request()
    if query is None:
        return _landing()
    _check(query)
    solution_format, graph_format = _negotiate()
    config = current_app.config["MBC"]
    generation = current_app.extensions["mbc_state"].current()
    dataset_given = bool(default_graphs or named_graphs)
    job = {
        "query": query, "store": str(generation.store.path), "limit": config.sparql_max_results,
        "solution_format": solution_format, "graph_format": graph_format, "base_iri": request.base_url,
        "default_graphs": default_graphs if dataset_given else None,
        "named_graphs": named_graphs if dataset_given else None,
    }
    try:
        result = current_app.extensions["mbc_sparql_pool"].run(job)
    except QueryTimeout as error:
        raise ApiError(503, "query timeout", str(error), limit_seconds=config.sparql_timeout) from None
    except QueryFailed as error:
        if error.kind == "syntax":
            line, column = syntax_position(error.message)
            raise ApiError(400, "malformed query", error.message, line=line, column=column) from None
        if error.kind == "service":
            raise ApiError(403, "SERVICE is disabled", error.message) from None
        if error.kind in ("busy", "sandbox"):
            raise ApiError(503, "server busy" if error.kind == "busy" else "queries unavailable",
                           error.message) from None
        if error.kind == "evaluation":
            raise ApiError(400, "query failed", error.message) from None
        raise ApiError(500, "query failed", "the query could not be completed") from None
    content_type = result.content_type + ("; charset=utf-8" if not result.content_type.endswith("+xml") else "")
    response = Response(result.body, content_type=content_type)
    response.headers["X-SPARQL-Results"] = str(result.count)
    if result.truncated:
        response.headers["X-SPARQL-Truncated"] = "true"
        response.headers["X-SPARQL-Limit"] = str(config.sparql_max_results)
    response.headers["Vary"] = "Accept, Accept-Encoding"
    return response


def _landing():
    """No query: the query page for a browser, the service description for other clients."""
    accept = request.accept_mimetypes
    if "text/html" in accept.values() and accept["text/html"] >= accept["text/turtle"]:
        config = current_app.config["MBC"]
        return render_template("sparql.html", examples=EXAMPLES, limit=config.sparql_max_results,
                               timeout=config.sparql_timeout)
    return service_description()


RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def service_description():
    """A SPARQL 1.1 Service Description of this endpoint, in the RDF format the client accepts."""
    import pyoxigraph as ox

    from kg.namespaces import SD, VOID

    sd = str(SD)
    endpoint = ox.NamedNode(request.base_url.rstrip("/"))
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
        triples.append((endpoint, ox.NamedNode(sd + "resultFormat"), ox.NamedNode(_format_iri(media))))
    generation = current_app.extensions["mbc_state"].current()
    for graph_name in generation.store.named_graphs():
        named = ox.BlankNode()
        triples.append((dataset, ox.NamedNode(sd + "namedGraph"), named))
        triples.append((named, ox.NamedNode(sd + "name"), ox.NamedNode(graph_name)))
    media = request.accept_mimetypes.best_match(["text/turtle", "application/ld+json", "application/rdf+xml",
                                                 "application/n-triples"], default="text/turtle")
    rdf_format = {"text/turtle": ox.RdfFormat.TURTLE, "application/ld+json": ox.RdfFormat.JSON_LD,
                  "application/rdf+xml": ox.RdfFormat.RDF_XML, "application/n-triples": ox.RdfFormat.N_TRIPLES}[media]
    body = ox.serialize([ox.Triple(*t) for t in triples], format=rdf_format)
    return Response(body, content_type=f"{media}; charset=utf-8")


def _format_iri(media: str) -> str:
    return {
        "application/sparql-results+json": "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
        "application/sparql-results+xml": "http://www.w3.org/ns/formats/SPARQL_Results_XML",
        "text/csv": "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
        "text/tab-separated-values": "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
        "text/turtle": "http://www.w3.org/ns/formats/Turtle",
        "application/n-triples": "http://www.w3.org/ns/formats/N-Triples",
        "application/ld+json": "http://www.w3.org/ns/formats/JSON-LD",
        "application/rdf+xml": "http://www.w3.org/ns/formats/RDF_XML",
    }[media]
