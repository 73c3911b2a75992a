"""/openapi.json: the OpenAPI 3 description of the JSON API."""
from flask import Blueprint, jsonify

from search import MAX_K, MAX_QUERY_CHARS
from service.data_access import IRI_PATTERN

bp = Blueprint("openapi", __name__)

IRI = {"type": "string", "minLength": 1, "maxLength": 2000, "pattern": IRI_PATTERN}
ERROR = {"type": "object", "required": ["error", "detail"],
         "properties": {"error": {"type": "string"}, "detail": {"type": "string"}}}
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
        "entities": {"type": "array", "items": {"type": "object", "required": ["iri", "label", "type"],
                                                "properties": {"iri": {"type": "string"}, "label": {"type": "string"},
                                                               "type": {"type": "string"}}}},
        "claims": {"type": "array", "items": {"type": "object"}},
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


def _error_responses(*codes):
    return {str(code): {"description": "error", "content": {"application/json": {"schema": ERROR}}} for code in codes}


SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "mbc-kg API", "version": "1.0.0",
             "description": "Search career documents about medical billing and coding, and trace every claim "
                            "of the knowledge graph to the text it came from. SPARQL is at /sparql."},
    "paths": {
        "/api/search": {"get": {
            "summary": "Ranked passages that answer a question, cited to document and offsets",
            "parameters": [
                {"name": "q", "in": "query", "required": True,
                 "schema": {"type": "string", "minLength": 1, "maxLength": MAX_QUERY_CHARS, "pattern": "\\S"}},
                {"name": "k", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": MAX_K,
                                                        "default": 10}},
                {"name": "document", "in": "query", "schema": {"type": "string"}},
                {"name": "entity", "in": "query", "schema": {"type": "string"}},
                {"name": "type", "in": "query", "schema": {"type": "string", "enum": [
                    "Certification", "Organization", "Region", "Role", "CodeSet", "Regulation", "EducationProgram"]}},
                {"name": "mode", "in": "query", "schema": {"type": "string", "enum": ["hybrid", "dense", "lexical"]}},
            ],
            "responses": {
                "200": {"description": "results", "content": {"application/json": {"schema": {
                    "type": "object", "required": ["query", "results"],
                    "properties": {"query": {"type": "string"}, "results": {"type": "array", "items": HIT},
                                   "entities": {"type": "array", "items": {"type": "object"}}}}}}},
                **_error_responses(400, 404, 503),
            },
        }},
        "/api/provenance": {"get": {
            "summary": "Claims behind triples: each with its quote, offsets, document, passage, rule, confidence",
            "parameters": [
                {"name": "s", "in": "query", "schema": IRI, "description": "subject IRI"},
                {"name": "p", "in": "query", "schema": IRI, "description": "predicate IRI"},
                {"name": "o", "in": "query", "schema": {"type": "string", "minLength": 1, "maxLength": 2000},
                 "description": "object: an IRI, or a literal's text (matched by its lexical form)"},
                {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000}},
                {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": 1000000}},
            ],
            "responses": {
                "200": {"description": "claims", "content": {"application/json": {"schema": {
                    "type": "object", "required": ["claims"],
                    "properties": {"claims": {"type": "array", "items": CLAIM}}}}}},
                **_error_responses(400),
            },
        }},
        "/healthz": {"get": {
            "summary": "Readiness",
            "responses": {"200": {"description": "ready", "content": {"application/json": {"schema": {
                "type": "object", "required": ["status"], "properties": {"status": {"type": "string"}}}}}},
                "503": {"description": "not ready", "content": {"application/json": {"schema": {"type": "object"}}}}},
        }},
    },
}


@bp.route("/openapi.json")
def openapi():
    return jsonify(SPEC)
