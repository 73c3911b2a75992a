"""Resource pages: every resource under https://w3id.org/mbc-kg/id/ at /id/..., as a page for
people or as RDF (Turtle, JSON-LD, N-Triples, RDF/XML) by content negotiation.

A page reads top down for a person first: the name, a summary in words with numbered citations
(service.summaries), the wage charts, and then, for researchers, every triple with its sources.
"""
from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox
from flask import Blueprint, abort, render_template, request, url_for

from kg.namespaces import ID_BASE, MBC, PREFIX_IRIS, compact
from kg.store_protocol import ReadableStore
from service import state
from service.charts import wage_charts
from service.data_access import (
    CLAIM_FIELDS,
    claim_json,
    iri_term,
    is_iri,
    labels,
    looks_like_iri,
    select,
)
from service.compare import compare_choices
from service.negotiation import HTML, rdf_response, resource_media
from service.neighbourhood import neighbourhood
from service.presentation import counted, href, number
from service.summaries import Citations, summarize

bp = Blueprint("resources", __name__)

HIDDEN_PREDICATES = {str(MBC.mentions)}
MAX_CLAIMS = 1000
SOURCES_SHOWN = 3            # quoted sources under each fact; the rest behind "+N more"
INCOMING_SHOWN = 12          # subjects per incoming property; the rest behind "+N more"
RDF_TYPE = PREFIX_IRIS["rdf"] + "type"
NAME_PREDICATES = (PREFIX_IRIS["rdfs"] + "label", PREFIX_IRIS["skos"] + "prefLabel")
ALT_LABEL = PREFIX_IRIS["skos"] + "altLabel"
NOT_RELATIONS = "rdf:subject, rdf:object, mbc:mentions, oa:hasSource, mbc:document, prov:wasDerivedFrom"


def describe(store: ReadableStore, iri: str) -> list[ox.Triple]:
    """The triples with `iri` as subject, in the default graph (the merge of every document's)."""
    return sorted(store.triples_about(iri), key=lambda t: (t.predicate.value, str(t.object)))


def local_href(iri: str) -> str | None:
    """Where this server shows a resource of the graph: /id/<path>."""
    return href(iri)


@bp.route("/id/<path:rest>")
def resource(rest: str):
    iri = ID_BASE + rest
    if not looks_like_iri(iri):
        abort(404, description=f"nothing is known about {iri}")
    store = state.store()
    triples = describe(store, iri)
    incoming = select(store, f"SELECT DISTINCT ?s ?p WHERE {{ ?s ?p {iri_term(iri, 'resource')} "
                             f"FILTER (?p NOT IN ({NOT_RELATIONS})) }} ORDER BY ?p ?s LIMIT 2000")
    if not triples and not incoming:
        abort(404, description=f"nothing is known about {iri}")
    media = resource_media()
    if media != HTML:
        return rdf_response(triples, media)
    return _resource_page(store, iri, triples, incoming)


def claims_about(store: ReadableStore, iri: str, limit: int = MAX_CLAIMS) -> list[dict]:
    """Claims whose subject is `iri`, or whose object is (what issues a certification is claimed on the
    certification), or whose subject is a figure about it (a wage or growth figure for a region or role)."""
    term = iri_term(iri, "resource")
    query = (f"SELECT * WHERE {{ {{ VALUES ?s {{ {term} }} }} UNION {{ ?claim rdf:object {term} }} UNION "
             f"{{ ?s mbc:region|mbc:role {term} }} {CLAIM_FIELDS} }} ORDER BY ?source_file ?start ?claim LIMIT {int(limit)}")
    return [claim_json(row) for row in select(store, query)]


def _resource_page(store, iri: str, triples, incoming):
    claims = claims_about(store, iri)
    by_fact: dict[tuple, list[dict]] = defaultdict(list)
    for claim in claims:
        if claim["subject"] == iri:
            by_fact[(claim["predicate"], claim["object"])].append(claim)
    names = labels(store, {iri} | {t.object.value for t in triples if is_iri(t.object)}
                   | {row["s"].value for row in incoming} | {t.predicate.value for t in triples})
    types = [t.object.value for t in triples if t.predicate.value == RDF_TYPE]
    citations = Citations()
    summary = summarize(store, iri, types, triples, claims, names, citations)
    charts = wage_charts(store, iri, types)
    label = names.get(iri, compact(iri))
    return render_template(
        "resource.html", iri=iri, label=label, summary=summary, citations=citations,
        charts=charts, facts=data_rows(iri, triples, by_fact, names), incoming=incoming_rows(iri, incoming, names),
        claim_count=len(claims), triple_count=len(triples), short=compact, pay_map=_pay_map(iri, label, types),
        neighbourhood=neighbourhood(store, iri, label), compare=compare_choices(store, iri, types))


def _pay_map(iri: str, label: str, types: list[str]):
    """The pay map of the documents that mention a role or a certification (built once per generation)."""
    from service import paymap

    if not {str(MBC.Role), str(MBC.Certification)} & set(types):
        return None
    generation = state.served()
    built = generation.cached_download(f"paymap:{iri}", lambda: paymap.for_entity(generation.store, iri, label))
    return built and paymap.choose(built, *(request.args.get(k) for k in ("period", "role", "measure")))


# ---------------------------------------------------------------- the researchers' table

def data_rows(iri: str, triples, by_fact: dict, names: dict) -> list[dict]:
    """One row per fact, with duplicates collapsed: the types in one row, a name given by both
    rdfs:label and skos:prefLabel once, spellings of an alternative name that differ only in case once."""
    rows: list[dict] = []
    types = [t.object.value for t in triples if t.predicate.value == RDF_TYPE]
    if types:
        rows.append({"predicates": ["rdf:type"], "values": [_value(t, names, is_type=True) for t in types],
                     "sources": [], "more": 0, "more_href": None})
    named: dict[str, list[str]] = defaultdict(list)          # a name -> the properties that give it
    spellings: dict[str, list[str]] = defaultdict(list)      # an alternative name, case folded -> its spellings
    for triple in triples:
        predicate, obj = triple.predicate.value, triple.object
        if predicate in NAME_PREDICATES:
            named[obj.value].append(compact(predicate))
        elif predicate == ALT_LABEL:
            spellings[obj.value.casefold()].append(obj.value)
    for name, predicates in named.items():
        rows.append(_fact_row(iri, predicates, [{"text": name}], by_fact, [(p, name) for p in NAME_PREDICATES]))
    if spellings:
        values = [{"text": forms[0], "variants": forms[1:]} for _, forms in sorted(spellings.items())]
        rows.append({"predicates": ["skos:altLabel"], "values": values, "sources": [], "more": 0, "more_href": None,
                     "note": counted(len(values), "name") + (f" ({sum(len(v) for v in spellings.values())} spellings)"
                                                             if sum(len(v) for v in spellings.values()) > len(values)
                                                             else "")})
    for triple in sorted(triples, key=_fact_order):
        predicate = triple.predicate.value
        if predicate in HIDDEN_PREDICATES or predicate in NAME_PREDICATES or predicate in (RDF_TYPE, ALT_LABEL):
            continue
        rows.append(_fact_row(iri, [compact(predicate)], [_value(triple.object, names)], by_fact,
                              [(predicate, triple.object.value)]))
    return rows


def _fact_row(iri: str, predicates: list[str], values: list[dict], by_fact: dict, keys: list[tuple]) -> dict:
    sources, seen = [], set()
    for key in keys:
        for claim in by_fact.get(key, []):
            span = (claim["source_file"], claim["start"], claim["end"])   # one quote once, whatever rule read it
            if span not in seen:
                seen.add(span)
                sources.append(claim)
    predicate, obj = keys[0]
    more_href = url_for("provenance.claim_list", s=iri, p=predicate, o=obj) if len(sources) > SOURCES_SHOWN else None
    return {"predicates": predicates, "values": values, "sources": [_source(c) for c in sources[:SOURCES_SHOWN]],
            "more": max(0, len(sources) - SOURCES_SHOWN), "more_href": more_href}


def _source(claim: dict) -> dict:
    from service.presentation import snippet

    return {"quote": snippet(claim["quote"]), "title": claim["title"],
            "href": url_for("documents.document_page", name=claim["source_file"], start=claim["start"],
                            end=claim["end"]) + "#highlight",
            "claim_href": url_for("provenance.claim_page", claim_id=claim["claim"].rsplit("/", 1)[1])}


def _value(term, names: dict, is_type: bool = False) -> dict:
    value = term if isinstance(term, str) else term.value
    if is_type or is_iri(term):
        return {"text": names.get(value) if not is_type and value in names else compact(value),
                "href": href(value), "iri": value, "prefixed": compact(value)}
    datatype = getattr(term, "datatype", None)
    if datatype is not None and datatype.value.endswith(("#decimal", "#integer", "#double")):
        return {"text": number(value), "raw": value}
    return {"text": value, "language": getattr(term, "language", None)}


def _fact_order(triple) -> tuple:
    """The entity's relations first (issued by, part of, figures), then everything else by property."""
    predicate = triple.predicate.value
    return (0 if predicate.startswith(str(MBC)) else 1 if predicate.startswith(PREFIX_IRIS["schema"]) else 2,
            compact(predicate), str(triple.object))


def incoming_rows(iri: str, incoming: list[dict], names: dict) -> list[dict]:
    """What points at this resource, one row per property ("Certified Coding Specialist — mbc:issuedBy
    — this"), the first few subjects named and the rest behind a SPARQL query that lists them all."""
    from urllib.parse import quote

    grouped: dict[str, list[str]] = defaultdict(list)
    for row in incoming:
        subject = row["s"].value
        if not subject.startswith(ID_BASE + "claim/"):
            grouped[row["p"].value].append(subject)
    rows = []
    for predicate, subjects in grouped.items():
        query = (f"PREFIX rdfs: <{PREFIX_IRIS['rdfs']}>\nSELECT ?subject ?label WHERE {{\n"
                 f"  ?subject <{predicate}> <{iri}> .\n  OPTIONAL {{ ?subject rdfs:label ?label }}\n}} ORDER BY ?label")
        rows.append({"predicate": compact(predicate), "count": len(subjects),
                     "subjects": [{"text": names.get(s, compact(s)), "href": href(s)} for s in subjects[:INCOMING_SHOWN]],
                     "more": max(0, len(subjects) - INCOMING_SHOWN),
                     "more_href": url_for("sparql.sparql") + "?query=" + quote(query)})
    return rows
