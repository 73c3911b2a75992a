"""/openapi.json: the OpenAPI 3 description of every public route; /docs: the same as a page to read
(Swagger UI, from npm, served by the app from web/node_modules: never a CDN).

Every route the app serves is here (tests/test_openapi.py compares them with the app's URL map), with
its parameters, its media types and its error statuses: the JSON API, the SPARQL endpoint, the pages
for people (HTML), the linked-data pages (HTML or RDF by content negotiation), downloads and VoID.
"""
from pathlib import Path

from flask import Blueprint, Response, abort, jsonify, render_template, send_from_directory

from search import MAX_K, MAX_QUERY_CHARS
from search.request import ENTITY_KINDS, MAX_OFFSET
from service import negotiation
from service.negotiation import RESOURCE_FORMATS, SPARQL_FORMAT_PARAMETER
from service.data_access import IRI_PATTERN
from service.errors import ApiError
from kg.prefixes import ID_BASE

bp = Blueprint("openapi", __name__)

IRI = {"type": "string", "minLength": 1, "maxLength": 2000, "pattern": IRI_PATTERN}
ERROR = {"type": "object", "required": ["error", "detail"],
         "properties": {"error": {"type": "string"}, "detail": {"type": "string"}}}
CELLS = {"type": "array", "description": "a table row's cells with their column names, in column order",
         "items": {"type": "object", "required": ["column", "value"],
                   "properties": {"column": {"type": "string"}, "value": {"type": "string"}}}}
HIT = {
    "type": "object",
    "required": ["passage", "document", "source_file", "title", "section", "start", "end", "text", "highlight",
                 "score", "entities", "claims"],
    "properties": {
        "passage": {"type": "string", "format": "uri"}, "document": {"type": "string", "format": "uri"},
        "source_file": {"type": "string"}, "title": {"type": "string"}, "section": {"type": "string"},
        "kind": {"type": "string"}, "start": {"type": "integer"}, "end": {"type": "integer"},
        "text": {"type": "string"},
        "highlight": {"type": "object", "required": ["start", "end", "text"],
                      "properties": {"start": {"type": "integer"}, "end": {"type": "integer"},
                                     "text": {"type": "string"}}},
        "score": {"type": "number"},
        "cells": CELLS,
        "entities": {"type": "array", "items": {"type": "object", "required": ["iri", "label", "type"],
                                                "properties": {"iri": {"type": "string"}, "label": {"type": "string"},
                                                               "type": {"type": "string"}}}},
        "claims": {"type": "array", "description": "the facts this passage states, each as a sentence",
                   "items": {"type": "object", "required": ["claim", "subject", "predicate", "object", "text",
                                                            "start", "end"],
                             "properties": {"claim": {"type": "string"}, "subject": {"type": "string"},
                                            "predicate": {"type": "string"}, "object": {"type": "string"},
                                            "object_is_iri": {"type": "boolean"}, "text": {"type": "string"},
                                            "start": {"type": "integer"}, "end": {"type": "integer"},
                                            "confidence": {"type": "number"}}}},
    },
}
EVIDENCE = {"type": "object", "required": ["claim", "quote", "source_file", "title", "start", "end"],
            "properties": {"claim": {"type": "string"}, "quote": {"type": "string"},
                           "source_file": {"type": "string"}, "title": {"type": "string"},
                           "start": {"type": "integer"}, "end": {"type": "integer"}, "cells": CELLS}}
ANSWER = {
    "type": "object", "required": ["text", "value", "entity", "claims"],
    "properties": {
        "text": {"type": "string", "description": "one line a person reads"},
        "value": {"type": "string", "nullable": True, "description": "the literal or entity IRI answered"},
        "entity": {"type": "string", "description": "the IRI the answer is about"},
        "claims": {"type": "array", "minItems": 1, "items": {"type": "string"},
                   "description": "the mbc:Claims that back the answer"},
        "kind": {"type": "string", "enum": ["issuer", "issued", "definition", "pay", "growth", "openings",
                                            "employment", "duration", "requirement"]},
        "evidence": {"type": "array", "items": EVIDENCE},
        "sources_differ": {"type": "boolean", "description": "documents give different values; each is cited"},
    },
}
SEARCH_RESPONSE = {
    "type": "object", "required": ["query", "total", "offset", "k", "answers", "results", "out_of_scope"],
    "properties": {
        "query": {"type": "string"}, "total": {"type": "integer"}, "offset": {"type": "integer"},
        "k": {"type": "integer"}, "answers": {"type": "array", "items": ANSWER},
        "results": {"type": "array", "items": HIT},
        "entities": {"type": "array", "items": {"type": "object"}},
        "suggestions": {"type": "array", "description": "did you mean: the question with misspelled names corrected",
                        "items": {"type": "object", "required": ["query"],
                                  "properties": {"query": {"type": "string"}, "names": {"type": "array"}}}},
        "facets": {"type": "object", "properties": {
            "documents": {"type": "array", "items": {"type": "object", "required": ["source_file", "count"]}},
            "types": {"type": "array", "items": {"type": "object", "required": ["type", "count"]}}}},
        "out_of_scope": {"type": "boolean", "description": "nothing in the documents is close to the question"},
        "covers": {"type": "object", "description": "what the documents cover (when out_of_scope)"},
    },
}
CLAIM = {
    "type": "object",
    "required": ["claim", "subject", "predicate", "object", "quote", "start", "end", "source_file", "document",
                 "title", "passage_text", "extractor", "confidence"],
    "properties": {name: {"type": kind} for name, kind in (
        ("claim", "string"), ("subject", "string"), ("predicate", "string"), ("object", "string"),
        ("object_type", "string"), ("quote", "string"), ("start", "integer"), ("end", "integer"),
        ("source_file", "string"), ("document", "string"), ("title", "string"), ("passage", "string"),
        ("passage_text", "string"), ("extractor", "string"), ("confidence", "number"))},
}



HTML = {negotiation.HTML: {"schema": {"type": "string"}}}
RDF_CONTENT = {media: {"schema": {} if "json" in media else {"type": "string"}} for media in negotiation.RDF_FORMATS}
SPARQL_RESULTS = {media: {"schema": {"type": "string" if "json" not in media else "object"}}
                  for media in negotiation.SOLUTION_FORMATS.values()}


def _error_responses(*codes):
    """Errors are JSON for a program and a page for a browser (by Accept)."""
    return {str(code): {"description": ERROR_STATUS.get(code, "error"),
                        "content": {negotiation.JSON: {"schema": ERROR}, **HTML}} for code in codes}


ERROR_STATUS = {400: "a parameter is malformed or out of range (the detail says which)", 403: "refused (read-only)",
                404: "nothing by that name", 406: "no format the Accept header allows",
                408: "the request body came too slowly", 413: "the request or query is too large",
                414: "the query string is too long (POST long SPARQL queries)", 415: "unsupported media type or charset",
                429: "this client's share of the query workers is in use (see Retry-After)",
                502: "the remote graph store is unreachable or failed (remote-store mode)",
                503: "busy, timed out, or no data yet (see the detail; Retry-After when busy)"}


def _param(name: str, description: str, schema: dict | None = None, required: bool = False, where: str = "query"):
    return {"name": name, "in": where, "required": required or where == "path", "description": description,
            "schema": schema or {"type": "string"}}


def _get(summary: str, responses: dict, parameters: list | None = None, description: str = "", tags=()):
    operation = {"summary": summary, "responses": responses, "tags": list(tags)}
    if description:
        operation["description"] = description
    if parameters:
        operation["parameters"] = parameters
    return {"get": operation}


def _page(summary: str, parameters: list | None = None, errors=(404,), description: str = "", tags=("Pages",)):
    return _get(summary, {"200": {"description": "the page", "content": HTML}, **_error_responses(*errors)},
                parameters, description, tags)


SEARCH_PARAMETERS = [
    {"name": "q", "in": "query", "required": True, "description": "a question in plain words",
     "schema": {"type": "string", "minLength": 1, "maxLength": MAX_QUERY_CHARS,
                # a character Python does not count as white space (it also counts \x1c-\x1f, \x85)
                "pattern": "[^\\s\\x1c-\\x1f\\x85]"}},
    {"name": "k", "in": "query", "description": "passages per page",
     "schema": {"type": "integer", "minimum": 1, "maximum": MAX_K, "default": 10}},
    {"name": "document", "in": "query", "description": "only this document (its file name or IRI)",
     "schema": {"type": "string"}},
    {"name": "entity", "in": "query", "description": "only passages that mention this entity IRI",
     "schema": {"type": "string"}},
    {"name": "offset", "in": "query", "description": "skip this many passages (paging)",
     "schema": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET, "default": 0}},
    {"name": "type", "in": "query", "description": "only passages that mention an entity of this type",
     "schema": {"type": "string", "enum": list(ENTITY_KINDS)}},
    {"name": "mode", "in": "query", "schema": {"type": "string", "enum": ["hybrid", "dense", "lexical"]}},
]
SPARQL_FORMAT = _param("format", "the result format, instead of Accept: json, xml, csv, tsv (SELECT/ASK); turtle, "
                       "ntriples, jsonld, rdfxml (CONSTRUCT/DESCRIBE)", {"type": "string", "enum": sorted(
                           SPARQL_FORMAT_PARAMETER)})
DATASET_PARAMETERS = [
    _param("default-graph-uri", "a graph of the query's default graph (their merge); repeatable",
           {"type": "array", "items": {"type": "string", "format": "uri"}}),
    _param("named-graph-uri", "a named graph of the query's dataset; repeatable (alone: an empty default graph)",
           {"type": "array", "items": {"type": "string", "format": "uri"}}),
]
SPARQL_RESPONSES = {
    "200": {"description": "SELECT/ASK results or a CONSTRUCT/DESCRIBE graph, in the format asked for "
                          "(X-SPARQL-Truncated: true when capped); without a query: the service description (RDF) "
                          "or, for a browser, the workbench (HTML)",
            "headers": {"X-SPARQL-Truncated": {"schema": {"type": "string"}, "description": "true when capped"},
                        "X-SPARQL-Limit": {"schema": {"type": "integer"}, "description": "rows or triples at most"},
                        "X-SPARQL-Limit-Bytes": {"schema": {"type": "integer"},
                                                 "description": "bytes at most (whole rows kept)"}},
            "content": {**SPARQL_RESULTS, **RDF_CONTENT, **HTML}},
    **_error_responses(400, 403, 406, 413, 414, 415, 429, 502, 503),
}
SPARQL_FORM = {"type": "object", "required": ["query"], "properties": {
    "query": {"type": "string", "description": "the SPARQL query"},
    "default-graph-uri": {"type": "array", "items": {"type": "string"}},
    "named-graph-uri": {"type": "array", "items": {"type": "string"}},
    "format": {"type": "string", "enum": sorted(SPARQL_FORMAT_PARAMETER)}}}
RESOURCE_FORMAT = _param("format", "instead of Accept: html, or an RDF format (ttl, jsonld, nt, rdf)",
                         {"type": "string", "enum": sorted(RESOURCE_FORMATS)})
RESOURCE_RESPONSES = {"200": {"description": "a page (HTML), or the resource's triples as RDF, by Accept or format",
                              "content": {**HTML, **RDF_CONTENT}}, **_error_responses(400, 404)}
def _sort(path: str) -> list[dict]:
    from service.browse import SORT_KEYS

    return [_param("sort", "the column to sort by (another is a 400 naming these)",
                   {"type": "string", "enum": SORT_KEYS[path], "default": "name"}),
            _param("order", "asc (default) or desc", {"type": "string", "enum": ["asc", "desc"]})]


def _browse_paths() -> dict:
    from service.browse import KINDS

    paths = {"/browse": _page("Every kind of entity, with counts (also at /id/)", errors=(), tags=("Browse",)),
             "/documents": _page("Every document, with its size and how much of the graph it gave",
                                 _sort("documents"), errors=(400,), tags=("Browse",))}
    for kind in KINDS:
        paths[f"/{kind.path}"] = _page(f"{kind.title}: {kind.blurb}", _sort(kind.path), errors=(400,),
                                       tags=("Browse",))
    return paths


SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "mbc-kg API", "version": "1.0.0",
             "description": "Search career documents about medical billing and coding, query the knowledge graph "
                            "with SPARQL, and trace every claim of it to the text it came from. Every route the "
                            "service answers is described here: the JSON API, the SPARQL 1.1 Protocol endpoint, "
                            "the pages for people, the linked-data pages (HTML or RDF by content negotiation), "
                            "the dumps and the dataset description."},
    "tags": [{"name": "API", "description": "JSON for programs"},
             {"name": "SPARQL", "description": "the read-only SPARQL 1.1 Protocol endpoint"},
             {"name": "Linked data", "description": "every resource of the graph, as a page or as RDF"},
             {"name": "Browse", "description": "lists of documents and entities, sortable"},
             {"name": "Pages", "description": "pages for people"},
             {"name": "Dataset", "description": "dumps, VoID, health, this description"}],
    "paths": {
        "/api/search": _get(
            "Direct answers from the graph and ranked passages for a question, each cited to its source",
            {"200": {"description": "answers from the graph and ranked passages",
                     "content": {negotiation.JSON: {"schema": SEARCH_RESPONSE}}},
             **_error_responses(400, 404, 503)}, SEARCH_PARAMETERS, tags=("API",)),
        "/api/provenance": _get(
            "Claims behind triples: each with its quote, offsets, document, passage, rule, confidence",
            {"200": {"description": "claims", "content": {negotiation.JSON: {"schema": {
                "type": "object", "required": ["claims"],
                "properties": {"claims": {"type": "array", "items": CLAIM}}}}}},
             **_error_responses(400)},
            [{"name": "s", "in": "query", "schema": IRI, "description": "subject IRI"},
             {"name": "p", "in": "query", "schema": IRI, "description": "predicate IRI"},
             {"name": "o", "in": "query", "schema": {"type": "string", "minLength": 1, "maxLength": 2000},
              "description": "object: an IRI, or a literal's text (matched by its lexical form)"},
             {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000}},
             {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": 1000000}}],
            tags=("API",)),
        "/sparql": {
            "get": {"summary": "A SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) by GET; without one, the "
                               "service description or the workbench", "tags": ["SPARQL"],
                    "description": "Read-only: updates and SERVICE are refused (403). Queries stop after the time "
                                   "limit (503) and results are capped (X-SPARQL-Truncated). A browser opening a "
                                   "query link gets the workbench with the query run. Also at /sparql/.",
                    "parameters": [_param("query", "the SPARQL query"), *DATASET_PARAMETERS, SPARQL_FORMAT],
                    "responses": SPARQL_RESPONSES},
            "post": {"summary": "A SPARQL query by POST: URL-encoded form, or the query itself as the body",
                     "tags": ["SPARQL"], "parameters": DATASET_PARAMETERS,
                     "requestBody": {"required": True, "content": {
                         negotiation.FORM: {"schema": SPARQL_FORM},
                         negotiation.SPARQL_QUERY: {"schema": {"type": "string"}}}},
                     "responses": SPARQL_RESPONSES},
        },
        "/": _page("The search page: a question, answers and ranked passages, each cited",
                   [dict(p, required=False) for p in SEARCH_PARAMETERS], errors=(400, 404, 503),
                   description="Also at /search. The same search as /api/search, for people."),
        "/documents/{name}": _get(
            "A document's text: the page with a cited span highlighted, the text itself, or the original file",
            {"200": {"description": "the page (HTML), the text (format=text) or the original file as a download "
                                    "(format=original, with its media type)",
                     "content": {**HTML, negotiation.PLAIN_TEXT: {"schema": {"type": "string"}},
                                 negotiation.OCTET_STREAM: {"schema": {"type": "string", "format": "binary"}}}},
             **_error_responses(400, 404)},
            [_param("name", "the document's path in the corpus (texas/a.txt: a '/' may stay as it is)", where="path"),
             _param("format", "text: the text every offset indexes; original: the file as ingested",
                    {"type": "string", "enum": ["html", "text", "original"]}),
             _param("start", "first character of the span to highlight (with end)", {"type": "integer", "minimum": 0}),
             _param("end", "character after the span (with start)", {"type": "integer", "minimum": 1})],
            tags=("Pages",)),
        "/id/{rest}": _get(
            f"A resource of the graph ({ID_BASE}{{rest}}): its page, or its triples as RDF",
            RESOURCE_RESPONSES,
            [_param("rest", f"the resource's path under {ID_BASE}, e.g. certification/ccs "
                            "(its '/' stay as they are)", where="path"), RESOURCE_FORMAT], tags=("Linked data",)),
        "/claims/{claim_id}": _get(
            "A claim: the fact, its quote in context, its document, rule and confidence (or the claim as RDF)",
            RESOURCE_RESPONSES, [_param("claim_id", "the claim's id (the last part of its IRI)",
                                        {"type": "string", "pattern": "^[A-Za-z0-9._~-]+$"}, where="path"),
                                 RESOURCE_FORMAT], tags=("Linked data",)),
        "/claims/": _page("Every claim behind a triple, or about a subject, 100 a page",
                          [_param("s", "subject IRI", IRI), _param("p", "predicate IRI", IRI),
                           _param("o", "object: an IRI, or a literal's text", {"type": "string", "minLength": 1,
                                                                                "maxLength": 2000}),
                           _param("offset", "skip this many claims", {"type": "integer", "minimum": 0})],
                          errors=(400,), tags=("Linked data",)),
        **_browse_paths(),
        "/download/{name}": _get(
            "A dump of the whole graph", {"200": {"description": "the dump, as a download", "content": {
                negotiation.TRIG: {"schema": {"type": "string"}}, negotiation.TURTLE: {"schema": {"type": "string"}},
                negotiation.JSON_LD: {"schema": {}}}}, **_error_responses(404)},
            [_param("name", "kg.trig (named graphs), kg.ttl (the merged default graph), kg.jsonld (named graphs)",
                    {"type": "string", "enum": ["kg.trig", "kg.ttl", "kg.jsonld"]}, where="path")],
            tags=("Dataset",)),
        "/void": _get("The dataset's VoID description: a page for a browser, Turtle (or another RDF format) "
                      "for any other client", RESOURCE_RESPONSES, [RESOURCE_FORMAT],
                      description="Also at /.well-known/void.", tags=("Dataset",)),
        "/healthz": _get(
            "Readiness: the generation served, its documents and triples, whether search is ready",
            {"200": {"description": "ready", "content": {negotiation.JSON: {"schema": {
                "type": "object", "required": ["status"], "properties": {
                    "status": {"type": "string"}, "generation": {"type": "string"},
                    "documents": {"type": "integer"}, "triples": {"type": "integer", "nullable": True},
                    "search": {"type": "string", "nullable": True},
                    "store": {"type": "string", "description": "remote graph store only: reachable"}}}}}},
             "503": {"description": "not ready (no data yet: the detail says what to run), or the remote graph "
                                    "store does not answer (\"store\": \"unreachable\")",
                     "content": {negotiation.JSON: {"schema": {"type": "object"}}}}}, tags=("Dataset",)),
        "/openapi.json": _get("This description (OpenAPI 3)", {"200": {"description": "the description",
                              "content": {negotiation.JSON: {"schema": {"type": "object"}}}}}, tags=("Dataset",)),
        "/docs": _page("This description as a page to read and try (Swagger UI)", errors=(), tags=("Dataset",)),
        "/compare": _page("Two to four certifications, roles or regions side by side: issuer, pay by place, "
                          "requirements, program length, growth, each cell cited",
                          [_param("ids", "2 to 4 paths after /id/, comma-separated "
                                         "(certification/cpc,certification/ccs)",
                                  {"type": "string", "minLength": 3, "maxLength": 1000,
                                   "pattern": r"^[^,]+(,[^,]+){1,3}$"}, required=True)],
                          errors=(400,)),
    },
}

def _operation_ids(spec: dict) -> None:
    """Each operation's id from its method and path (getApiSearch, postSparql, getIdPath): Swagger UI's deep
    links use them, and ids with no '_' are links it reads without a deprecation warning."""
    import re

    for path, operations in spec["paths"].items():
        words = [w for w in re.split(r"[^A-Za-z0-9]+", path) if w] or ["root"]
        for method, operation in operations.items():
            operation.setdefault("operationId", method + "".join(w[:1].upper() + w[1:] for w in words))


_operation_ids(SPEC)

# Routes that are not described on their own, and why (tests/test_openapi.py holds the list to the app).
UNDESCRIBED = {
    "/sparql/": "the same endpoint as /sparql",
    "/search": "the same page as /",
    "/documents/": "the same list as /documents",
    "/id/": "the same page as /browse",
    "/.well-known/void": "the same description as /void",
    "/favicon.ico": "the site's icon",
    "/static/<path:filename>": "the pages' style sheets and scripts",
    "/vendor/yasgui/<string:name>": "the workbench's editor (YASGUI, from npm)",
    "/vendor/swagger-ui/<string:name>": "this page's viewer (Swagger UI, from npm)",
    "/vendor/lib/<string:name>": "the pay map's and the neighbourhood view's libraries (d3-geo, cytoscape, ..., from npm)",
}


@bp.route("/openapi.json")
def openapi():
    return jsonify(SPEC)


@bp.route("/docs")
def docs():
    return render_template("api_docs.html")


# Swagger UI, installed by `make install` from web/package-lock.json (npm ci) and served from here, never from
# a CDN; only the two files the page needs are exposed.
SWAGGER_UI = Path(__file__).resolve().parent.parent / "web" / "node_modules" / "swagger-ui-dist"
SWAGGER_FILES = {"swagger-ui-bundle.js", "swagger-ui.css"}


@bp.route("/vendor/swagger-ui/<string:name>")
def swagger_ui(name: str):
    if name not in SWAGGER_FILES:
        abort(404, description=f"the files here are {', '.join(sorted(SWAGGER_FILES))}")
    if not (SWAGGER_UI / name).exists():
        raise ApiError(503, "API page not installed", f"{SWAGGER_UI / name} is missing: run `make install` "
                                                      "(it runs `npm ci --prefix web`)")
    return send_from_directory(SWAGGER_UI, name, max_age=86400)
