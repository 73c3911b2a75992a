"""/openapi.json: the OpenAPI 3 description of the JSON API."""
from flask import Blueprint, jsonify

from search import MAX_K, MAX_QUERY_CHARS
from search.engine import ENTITY_KINDS, MAX_OFFSET
from service.data_access import IRI_PATTERN

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


def _error_responses(*codes):
    return {str(code): {"description": "error", "content": {"application/json": {"schema": ERROR}}} for code in codes}


SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "mbc-kg API", "version": "1.0.0",
             "description": "Search career documents about medical billing and coding, and trace every claim "
                            "of the knowledge graph to the text it came from. SPARQL is at /sparql."},
    "paths": {
        "/api/search": {"get": {
            "summary": "Direct answers from the graph and ranked passages for a question, each cited to its source",
            "parameters": [
                {"name": "q", "in": "query", "required": True,
                 "schema": {"type": "string", "minLength": 1, "maxLength": MAX_QUERY_CHARS,
                            # a character Python does not count as white space (it also counts \x1c-\x1f, \x85)
                            "pattern": "[^\\s\\x1c-\\x1f\\x85]"}},
                {"name": "k", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": MAX_K,
                                                        "default": 10}},
                {"name": "document", "in": "query", "schema": {"type": "string"}},
                {"name": "entity", "in": "query", "schema": {"type": "string"}},
                {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET,
                                                             "default": 0}},
                {"name": "type", "in": "query", "schema": {"type": "string", "enum": list(ENTITY_KINDS)}},
                {"name": "mode", "in": "query", "schema": {"type": "string", "enum": ["hybrid", "dense", "lexical"]}},
            ],
            "responses": {
                "200": {"description": "answers from the graph and ranked passages",
                        "content": {"application/json": {"schema": SEARCH_RESPONSE}}},
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
