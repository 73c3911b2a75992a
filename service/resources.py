"""Resource pages: every resource under https://w3id.org/mbc-kg/id/ at /id/..., as a page for
people or as RDF (Turtle, JSON-LD, N-Triples, RDF/XML) by content negotiation."""
from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox
from flask import Blueprint, abort, render_template

from kg.namespaces import ID_BASE, MBC, compact, is_local, local_path
from service import state
from service.charts import wage_charts
from service.data_access import (
    claim_rows,
    iri_term,
    is_iri,
    labels,
    looks_like_iri,
    select,
)
from service.negotiation import rdf_response, resource_media

bp = Blueprint("resources", __name__)

HIDDEN_PREDICATES = {str(MBC.mentions)}
MAX_CLAIMS = 1000


def describe(store, iri: str) -> list[ox.Triple]:
    """The triples with `iri` as subject, in the default graph (the merge of every document's)."""
    node = ox.NamedNode(iri)
    quads = store.oxigraph.quads_for_pattern(node, None, None, ox.DefaultGraph())
    return sorted((ox.Triple(q.subject, q.predicate, q.object) for q in quads),
                  key=lambda t: (t.predicate.value, str(t.object)))


def local_href(iri: str) -> str | None:
    """Where this server shows a resource of the graph: /id/<path>."""
    return "/id/" + local_path(iri) if is_local(iri) else None


@bp.route("/id/<path:rest>")
def resource(rest: str):
    iri = ID_BASE + rest
    if not looks_like_iri(iri):
        abort(404, description=f"nothing is known about {iri}")
    store = state.store()
    triples = describe(store, iri)
    incoming = select(store, f"SELECT DISTINCT ?s ?p WHERE {{ ?s ?p {iri_term(iri, 'resource')} "
                             "FILTER (?p NOT IN (rdf:subject, rdf:object, mbc:mentions, oa:hasSource, mbc:document, "
                             "prov:wasDerivedFrom)) } LIMIT 500")
    if not triples and not incoming:
        abort(404, description=f"nothing is known about {iri}")
    media = resource_media()
    if media != "text/html":
        return rdf_response(triples, media)
    return _resource_page(store, iri, triples, incoming)


def _resource_page(store, iri: str, triples, incoming):
    claims = claim_rows(store, subject=iri, limit=MAX_CLAIMS)
    by_fact: dict[tuple, list[dict]] = defaultdict(list)
    for claim in claims:
        by_fact[(claim["predicate"], claim["object"])].append(claim)
    names = labels(store, {iri} | {t.object.value for t in triples if is_iri(t.object)}
                   | {row["s"].value for row in incoming} | {t.predicate.value for t in triples})
    facts = []
    for triple in triples:
        if triple.predicate.value in HIDDEN_PREDICATES:
            continue
        obj = triple.object
        facts.append({
            "predicate": triple.predicate.value, "predicate_label": compact(triple.predicate.value),
            "object": obj.value, "object_is_iri": is_iri(obj), "object_href": local_href(obj.value) if is_iri(obj) else None,
            "object_label": names.get(obj.value, compact(obj.value)) if is_iri(obj) else obj.value,
            "sources": by_fact.get((triple.predicate.value, obj.value), []),
        })
    facts.sort(key=_fact_order)
    types = [f["object"] for f in facts if f["predicate"].endswith("#type")]
    related = [{"iri": row["s"].value, "href": local_href(row["s"].value), "predicate": compact(row["p"].value),
                "label": names.get(row["s"].value, row["s"].value)} for row in incoming
               if not row["s"].value.startswith(ID_BASE + "claim/")]
    charts = wage_charts(store, iri, types)
    return render_template("resource.html", iri=iri, label=names.get(iri, iri), types=[compact(t) for t in types],
                           facts=facts, related=related, charts=charts, claim_count=len(claims))


def _fact_order(fact: dict) -> tuple:
    """What the entity is related to first (issued by, part of, figures), names and types last."""
    predicate = fact["predicate"]
    if predicate.startswith(str(MBC)):
        rank = 0
    elif predicate.startswith("https://schema.org/"):
        rank = 1
    elif predicate.endswith(("#prefLabel", "#label")):
        rank = 2
    elif predicate.endswith("#altLabel"):
        rank = 3
    else:
        rank = 4
    return rank, fact["predicate_label"], fact["object_label"]
