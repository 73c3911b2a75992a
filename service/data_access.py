"""Read-only queries the pages run against the store (in-process; their shape is fixed and fast).

IRIs from a request are checked before they go into a query; literals are escaped.
"""
from __future__ import annotations

import re

import pyoxigraph as ox

from kg.prefixes import ID_BASE, SPARQL_PROLOGUE
from kg.store_protocol import ReadableStore
from service.errors import ApiError

IRI_PATTERN = r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>\"{}|\\^`\x7f-\x9f]*$"
_IRI = re.compile(IRI_PATTERN)


class NotInTheGraph(Exception):
    """An IRI of the right shape that no store could hold (Oxigraph rejects it): nothing is known about it."""


def iri_term(value: str, name: str) -> str:
    """`<value>` for a query; a 400 when `value` is not shaped like an absolute IRI."""
    if not value or len(value) > 2000 or not _IRI.match(value):
        raise ApiError(400, f"bad {name}", f"{name} must be an absolute IRI such as "
                                           f"{ID_BASE}certification/cpc")
    try:
        ox.NamedNode(value)
    except ValueError:
        raise NotInTheGraph(value) from None
    return f"<{value}>"


def looks_like_iri(value: str) -> bool:
    if "://" not in value[:16] or _IRI.match(value) is None or len(value) > 2000:
        return False
    try:
        ox.NamedNode(value)
    except ValueError:
        return False
    return True


def literal_term(value: str) -> str:
    escaped = (value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r"))
    return f'"{escaped}"'


def select(store: ReadableStore, query: str) -> list[dict]:
    """Rows as {variable: pyoxigraph term} for a SELECT over the default graph (the merge of all graphs)."""
    return store.select(SPARQL_PROLOGUE + query)


def value(term) -> str | None:
    return None if term is None else term.value


def is_iri(term) -> bool:
    return isinstance(term, ox.NamedNode)


def labels(store: ReadableStore, iris: set[str]) -> dict[str, str]:
    """rdfs:label (or skos:prefLabel) of each IRI that has one."""
    iris = [i for i in iris if _IRI.match(i)]
    found: dict[str, str] = {}
    for start in range(0, len(iris), 200):
        chunk = " ".join(f"<{i}>" for i in iris[start:start + 200])
        for row in select(store, f"SELECT ?s ?l WHERE {{ VALUES ?s {{ {chunk} }} "
                                 "{ ?s rdfs:label ?l } UNION { ?s skos:prefLabel ?l } }"):
            found.setdefault(row["s"].value, row["l"].value)
    return found


CLAIM_FIELDS = """?claim rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; mbc:quote ?quote ;
           mbc:start ?start ; mbc:end ?end ; mbc:document ?document ; prov:wasDerivedFrom ?passage ;
           mbc:extractor ?extractor ; mbc:confidence ?confidence .
    ?document mbc:sourceFile ?source_file ; dcterms:title ?title .
    ?passage mbc:text ?passage_text ."""


def claim_rows(store: ReadableStore, subject: str | None = None, predicate: str | None = None, obj: str | None = None,
               claim: str | None = None, limit: int = 100, offset: int = 0) -> list[dict]:
    """Claims matching the given subject, predicate and object. An object that reads as an IRI
    matches that IRI or a literal written the same way; any other object matches literals by
    their lexical form ("20.54" finds the decimal 20.54)."""
    try:
        return _claim_rows(store, subject, predicate, obj, claim, limit, offset)
    except NotInTheGraph:
        return []


def _claim_rows(store, subject, predicate, obj, claim, limit, offset) -> list[dict]:
    filters = []
    if claim:
        filters.append(f"VALUES ?claim {{ {iri_term(claim, 'claim')} }}")
    if subject:
        filters.append(f"VALUES ?s {{ {iri_term(subject, 's')} }}")
    if predicate:
        filters.append(f"VALUES ?p {{ {iri_term(predicate, 'p')} }}")
    if obj:
        same_text = f"(isLiteral(?o) && str(?o) = {literal_term(obj)})"
        if looks_like_iri(obj):
            filters.append(f"FILTER (?o = <{obj}> || {same_text})")
        else:
            filters.append(f"FILTER {same_text}")
    query = (f"SELECT * WHERE {{ {' '.join(f for f in filters if f.startswith('VALUES'))} {CLAIM_FIELDS} "
             f"{' '.join(f for f in filters if f.startswith('FILTER'))} }} "
             f"ORDER BY ?source_file ?start ?claim LIMIT {int(limit)} OFFSET {int(offset)}")
    return [claim_json(row) for row in select(store, query)]


def claim_json(row: dict) -> dict:
    obj = row["o"]
    return {
        "claim": row["claim"].value,
        "subject": row["s"].value,
        "predicate": row["p"].value,
        "object": obj.value,
        "object_type": "iri" if is_iri(obj) else "literal",
        "quote": row["quote"].value,
        "start": int(row["start"].value),
        "end": int(row["end"].value),
        "source_file": row["source_file"].value,
        "document": row["document"].value,
        "title": row["title"].value,
        "passage": row["passage"].value,
        "passage_text": row["passage_text"].value,
        "extractor": row["extractor"].value,
        "confidence": float(row["confidence"].value),
    }
