"""Media types: what a client asked for (by `Accept` or `?format=`) and how RDF is written back.

One place for every route: SPARQL results and graphs, resource pages, the dataset description
and error pages all decide here, and every media type the service names is spelled here
(tests/test_architecture.py holds the other modules of service/ to that).
"""
from __future__ import annotations

import pyoxigraph as ox
from flask import Response, request

from kg.namespaces import PREFIX_IRIS
from service.api_error import ApiError

HTML = "text/html"
PLAIN_TEXT = "text/plain"
CSS = "text/css"
JAVASCRIPT = "application/javascript"
JSON = "application/json"
OCTET_STREAM = "application/octet-stream"
SVG = "image/svg+xml"
FORM = "application/x-www-form-urlencoded"
CSV = "text/csv"
TSV = "text/tab-separated-values"
TURTLE = "text/turtle"
TRIG = "application/trig"
N_TRIPLES = "application/n-triples"
JSON_LD = "application/ld+json"
RDF_XML = "application/rdf+xml"
SPARQL_RESULTS_JSON = "application/sparql-results+json"
SPARQL_RESULTS_XML = "application/sparql-results+xml"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
# what compressing pays for: text, whatever its media type
COMPRESSED_TYPES = [HTML, CSS, JAVASCRIPT, JSON, CSV, TSV, TURTLE, N_TRIPLES, TRIG, JSON_LD, RDF_XML,
                    SPARQL_RESULTS_JSON, SPARQL_RESULTS_XML, SVG]

# RDF serialisations the service writes, by media type
RDF_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE, "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-triples": ox.RdfFormat.N_TRIPLES, "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
# ?format= names of a resource (a page or RDF)
RESOURCE_FORMATS = {"ttl": "text/turtle", "turtle": "text/turtle", "jsonld": "application/ld+json",
                    "json": "application/ld+json", "nt": "application/n-triples", "rdf": "application/rdf+xml",
                    "html": "text/html"}

# SPARQL: results of SELECT/ASK, and graphs of CONSTRUCT/DESCRIBE, by Accept and by ?format=
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
SPARQL_FORMAT_PARAMETER = {
    "json": ("json", "jsonld"), "xml": ("xml", "rdfxml"), "csv": ("csv", "turtle"), "tsv": ("tsv", "turtle"),
    "turtle": ("json", "turtle"), "ttl": ("json", "turtle"), "ntriples": ("json", "ntriples"),
    "nt": ("json", "ntriples"), "jsonld": ("json", "jsonld"), "json-ld": ("json", "jsonld"),
    "rdfxml": ("xml", "rdfxml"), "rdf": ("xml", "rdfxml"),
}
# The media type a SPARQL worker writes each results and graph format in
SOLUTION_FORMATS = {"json": SPARQL_RESULTS_JSON, "xml": SPARQL_RESULTS_XML, "csv": CSV, "tsv": TSV}
GRAPH_FORMATS = {"turtle": TURTLE, "ntriples": N_TRIPLES, "jsonld": JSON_LD, "rdfxml": RDF_XML}
# W3C format IRIs (http://www.w3.org/ns/formats/) for the service description
FORMAT_IRIS = {
    "application/sparql-results+json": "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
    "application/sparql-results+xml": "http://www.w3.org/ns/formats/SPARQL_Results_XML",
    "text/csv": "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
    "text/tab-separated-values": "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
    "text/turtle": "http://www.w3.org/ns/formats/Turtle",
    "application/n-triples": "http://www.w3.org/ns/formats/N-Triples",
    "application/ld+json": "http://www.w3.org/ns/formats/JSON-LD",
    "application/rdf+xml": "http://www.w3.org/ns/formats/RDF_XML",
}


def wants_html() -> bool:
    """A browser (HTML preferred over JSON), not an API client."""
    accept = request.accept_mimetypes
    best = accept.best_match(["application/json", "text/html"], default="application/json")
    return best == "text/html" and accept["text/html"] > accept["application/json"]


def sparql_page_requested() -> bool:
    """A browser opening a shared `GET /sparql?query=...` link: its Accept ranks text/html above every
    SPARQL result and graph media type (browsers send `text/html,...,application/xml;q=0.9,*/*;q=0.8`),
    and it named no ?format=. Anything else (curl's `*/*`, SPARQLWrapper, the W3C suite) keeps the protocol."""
    if request.method not in ("GET", "HEAD") or request.args.get("format"):
        return False
    accept = request.accept_mimetypes
    html = accept.quality("text/html")
    return html > 0 and html > max(accept.quality(media) for media in (*SOLUTION_MEDIA, *GRAPH_MEDIA))


def prefers_html_to_rdf() -> bool:
    accept = request.accept_mimetypes
    return "text/html" in accept.values() and accept["text/html"] >= accept["text/turtle"]


def rdf_media(default: str = "text/turtle") -> str:
    return request.accept_mimetypes.best_match(list(RDF_FORMATS), default=default)


def resource_media() -> str:
    """text/html or an RDF media type for a resource, by ?format= or Accept."""
    requested = request.args.get("format")
    if requested:
        if requested not in RESOURCE_FORMATS:
            raise ApiError(400, "unknown format", f"format must be one of {', '.join(sorted(RESOURCE_FORMATS))}")
        return RESOURCE_FORMATS[requested]
    return request.accept_mimetypes.best_match(["text/html", *RDF_FORMATS], default="text/html")


def sparql_formats() -> tuple[str, str]:
    """The (results format, graph format) a SPARQL client asked for by ?format= or Accept."""
    requested = request.values.get("format")
    if requested:
        if requested.lower() not in SPARQL_FORMAT_PARAMETER:
            raise ApiError(400, "unknown format",
                           f"format must be one of {', '.join(sorted(SPARQL_FORMAT_PARAMETER))}")
        return SPARQL_FORMAT_PARAMETER[requested.lower()]
    accept = request.accept_mimetypes
    if accept and not any(accept.quality(media) for media in (*SOLUTION_MEDIA, *GRAPH_MEDIA)):
        offered = ", ".join(sorted({*SOLUTION_MEDIA, *GRAPH_MEDIA}))
        raise ApiError(406, "not acceptable", f"this endpoint answers in {offered}; the Accept header "
                                              f"{request.headers.get('Accept')!r} allows none of them")
    solution = SOLUTION_MEDIA[accept.best_match(list(SOLUTION_MEDIA), default="application/sparql-results+json")]
    graph = GRAPH_MEDIA[accept.best_match(list(GRAPH_MEDIA), default="text/turtle")]
    return solution, graph


def serialize_rdf(triples, media: str) -> bytes:
    rdf_format = RDF_FORMATS[media]
    if rdf_format == ox.RdfFormat.N_TRIPLES:      # N-Triples has no prefixes
        return ox.serialize(triples, format=rdf_format)
    return ox.serialize(triples, format=rdf_format, prefixes=PREFIX_IRIS)


def rdf_response(triples, media: str) -> Response:
    response = Response(serialize_rdf(triples, media), content_type=f"{media}; charset=utf-8")
    response.headers["Vary"] = "Accept"
    return response
