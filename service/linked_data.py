"""Linked data: every resource under https://w3id.org/mbc-kg/id/ served at /id/..., claims at
/claims/<id>, provenance lookup at /api/provenance, downloads of the whole graph and a VoID
description."""
from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox
from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request, send_file, url_for
from markupsafe import Markup, escape

from kg.namespaces import ID_BASE, MBC, PREFIXES, is_local, local_path
from service.data_access import claim_rows, iri_term, is_iri, labels, looks_like_iri, select
from service.errors import ApiError
from service.sparql_executor import TURTLE_PREFIXES

bp = Blueprint("linked_data", __name__)

RDF_MEDIA = {
    "text/turtle": ox.RdfFormat.TURTLE, "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-triples": ox.RdfFormat.N_TRIPLES, "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
FORMAT_NAMES = {"ttl": "text/turtle", "turtle": "text/turtle", "jsonld": "application/ld+json",
                "json": "application/ld+json", "nt": "application/n-triples", "rdf": "application/rdf+xml",
                "html": "text/html"}
HIDDEN_PREDICATES = {str(MBC.mentions)}
MAX_CLAIMS = 1000
MAX_OFFSET = 1_000_000


def _store():
    return current_app.extensions["mbc_state"].current().store


def _media() -> str:
    requested = request.args.get("format")
    if requested:
        if requested not in FORMAT_NAMES:
            raise ApiError(400, "unknown format", f"format must be one of {', '.join(sorted(FORMAT_NAMES))}")
        return FORMAT_NAMES[requested]
    return request.accept_mimetypes.best_match(["text/html", *RDF_MEDIA], default="text/html")


def _describe(store, iri: str) -> list[ox.Triple]:
    node = ox.NamedNode(iri)
    quads = store.oxigraph.quads_for_pattern(node, None, None, ox.DefaultGraph())
    return sorted((ox.Triple(q.subject, q.predicate, q.object) for q in quads),
                  key=lambda t: (t.predicate.value, str(t.object)))


def _rdf_response(triples, media: str) -> Response:
    prefixes = {k: v for k, v in TURTLE_PREFIXES.items()}
    rdf_format = RDF_MEDIA[media]
    body = (ox.serialize(triples, format=rdf_format, prefixes=prefixes) if rdf_format != ox.RdfFormat.N_TRIPLES
            else ox.serialize(triples, format=rdf_format))
    response = Response(body, content_type=f"{media}; charset=utf-8")
    response.headers["Vary"] = "Accept"
    return response


def local_href(iri: str) -> str | None:
    """Where this server shows a resource of the graph: /id/<path>."""
    return "/id/" + local_path(iri) if is_local(iri) else None


def short(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(str(namespace)) and prefix != "id":
            return f"{prefix}:{iri[len(str(namespace)):]}"
    return iri


# ---------------------------------------------------------------- resource pages

@bp.route("/id/<path:rest>")
def resource(rest: str):
    iri = ID_BASE + rest
    if not looks_like_iri(iri):
        abort(404, description=f"nothing is known about {iri}")
    store = _store()
    triples = _describe(store, iri)
    incoming = select(store, f"SELECT DISTINCT ?s ?p WHERE {{ ?s ?p {iri_term(iri, 'resource')} "
                             "FILTER (?p NOT IN (rdf:subject, rdf:object, mbc:mentions, oa:hasSource, mbc:document, "
                             "prov:wasDerivedFrom)) } LIMIT 500")
    if not triples and not incoming:
        abort(404, description=f"nothing is known about {iri}")
    media = _media()
    if media != "text/html":
        return _rdf_response(triples, media)
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
            "predicate": triple.predicate.value, "predicate_label": short(triple.predicate.value),
            "object": obj.value, "object_is_iri": is_iri(obj), "object_href": local_href(obj.value) if is_iri(obj) else None,
            "object_label": names.get(obj.value, short(obj.value)) if is_iri(obj) else obj.value,
            "sources": by_fact.get((triple.predicate.value, obj.value), []),
        })
    facts.sort(key=_fact_order)
    types = [f["object"] for f in facts if f["predicate"].endswith("#type")]
    related = [{"iri": row["s"].value, "href": local_href(row["s"].value), "predicate": short(row["p"].value),
                "label": names.get(row["s"].value, row["s"].value)} for row in incoming
               if not row["s"].value.startswith(ID_BASE + "claim/")]
    charts = _wage_charts(store, iri, types)
    return render_template("resource.html", iri=iri, label=names.get(iri, iri), types=[short(t) for t in types],
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


# ---------------------------------------------------------------- wage charts

def _wage_charts(store, iri: str, types: list[str]) -> list[dict]:
    """Bar charts of wages across regions: for a region, itself and the places within it; for a role,
    every region with a figure for it."""
    if str(MBC.Role) in types:
        where = f"?w mbc:role {iri_term(iri, 'role')} ; mbc:region ?r ."
    elif str(MBC.Region) in types:
        where = f"?w mbc:region ?r . ?r mbc:partOf* {iri_term(iri, 'region')} ."
    else:
        return []
    rows = select(store, f"""SELECT ?r ?label ?period ?median ?mean ?low ?high WHERE {{
        ?w a mbc:WageStatistic ; mbc:payPeriod ?period . {where} ?r rdfs:label ?label .
        OPTIONAL {{ ?w mbc:median ?median }} OPTIONAL {{ ?w mbc:mean ?mean }}
        OPTIONAL {{ ?w mbc:low ?low }} OPTIONAL {{ ?w mbc:high ?high }} }}""")
    charts = []
    for period, title in ((str(MBC.Hour), "Hourly wages"), (str(MBC.Year), "Annual wages")):
        bars: dict[str, dict] = {}
        for row in rows:
            if row["period"].value != period:
                continue
            figure = row["median"] or row["mean"]
            measure = "median" if row["median"] is not None else "mean"
            if figure is None:
                continue
            bars.setdefault(row["r"].value, {"label": row["label"].value, "value": float(figure.value),
                                             "measure": measure, "href": local_href(row["r"].value)})
        if bars:
            ordered = sorted(bars.values(), key=lambda b: -b["value"])[:40]
            charts.append({"title": title, "svg": bar_chart_svg(ordered, "$/hour" if "Hour" in period else "$/year")})
    return charts


def bar_chart_svg(bars: list[dict], unit: str) -> Markup:
    """An inline SVG bar chart; labels are escaped text, links go to the regions' pages."""
    row_height, label_width, chart_width = 22, 330, 360
    top = max(b["value"] for b in bars) or 1.0
    height = row_height * len(bars) + 30
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {label_width + chart_width + 90} {height}" '
             f'width="100%" xmlns="http://www.w3.org/2000/svg"><title>{escape(unit)}</title>']
    for index, bar in enumerate(bars):
        y = 10 + index * row_height
        width = max(2.0, chart_width * bar["value"] / top)
        label = escape(bar["label"] if len(bar["label"]) <= 48 else bar["label"][:47] + "\u2026")
        value = f"{bar['value']:,.2f}" if bar["value"] < 1000 else f"{bar['value']:,.0f}"
        text = f'<text x="{label_width - 6}" y="{y + 14}" text-anchor="end">{label}</text>'
        if bar.get("href"):
            text = f'<a href="{escape(bar["href"])}">{text}</a>'
        parts.append(text)
        parts.append(f'<rect x="{label_width}" y="{y + 2}" width="{width:.1f}" height="{row_height - 6}" '
                     f'class="bar {escape(bar["measure"])}"><title>{label}: ${value} ({escape(bar["measure"])})</title></rect>')
        parts.append(f'<text x="{label_width + width + 6:.1f}" y="{y + 14}">${value}</text>')
    parts.append(f'<text x="{label_width}" y="{height - 4}" class="axis">{escape(unit)}; median where given, else mean</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


# ---------------------------------------------------------------- claims

@bp.route("/claims/<string:claim_id>")
def claim_page(claim_id: str):
    iri = f"{ID_BASE}claim/{claim_id}"
    store = _store()
    rows = claim_rows(store, claim=iri, limit=1)
    if not rows:
        abort(404, description=f"no claim {claim_id!r}")
    claim = rows[0]
    if _media() != "text/html":
        return _rdf_response(_describe(store, iri), _media())
    generation = current_app.extensions["mbc_state"].current()
    text = generation.document_text(claim["source_file"]) or claim["passage_text"]
    start, end = claim["start"], claim["end"]
    window_start, window_end = max(0, start - 400), min(len(text), end + 400)
    context = Markup("{}<mark id=\"highlight\">{}</mark>{}").format(
        escape(text[window_start:start]), escape(text[start:end]), escape(text[end:window_end]))
    names = labels(store, {claim["subject"], claim["predicate"]} | ({claim["object"]} if claim["object_type"] == "iri" else set()))
    return render_template("claim.html", claim=claim, iri=iri, context=context, names=names, href=local_href,
                           short=short, document_href=url_for("documents.document_page", name=claim["source_file"],
                                                             start=start, end=end) + "#highlight")


@bp.route("/api/provenance")
def provenance():
    subject, predicate, obj = (request.args.get(k) or None for k in ("s", "p", "o"))
    try:
        limit = int(request.args.get("limit", 100))
        offset = int(request.args.get("offset", 0))
    except ValueError:
        raise ApiError(400, "bad limit or offset", "limit and offset must be whole numbers") from None
    if not 1 <= limit <= MAX_CLAIMS or not 0 <= offset <= MAX_OFFSET:
        raise ApiError(400, "bad limit or offset", f"limit must be 1 to {MAX_CLAIMS} and offset 0 to {MAX_OFFSET}")
    claims = claim_rows(_store(), subject, predicate, obj, limit=limit, offset=offset)
    return jsonify({"s": subject, "p": predicate, "o": obj, "limit": limit, "offset": offset, "claims": claims})


# ---------------------------------------------------------------- downloads and VoID

@bp.route("/download/<string:name>")
def download(name: str):
    generation = current_app.extensions["mbc_state"].current()
    if name == "kg.trig":
        return send_file(generation.dump_path, mimetype="application/trig", as_attachment=True, download_name="kg.trig")
    if name == "kg.ttl":
        body = generation.cached_download("ttl", lambda: _union_dump(generation.store, ox.RdfFormat.TURTLE))
        return Response(body, content_type="text/turtle; charset=utf-8",
                        headers={"Content-Disposition": "attachment; filename=kg.ttl"})
    if name == "kg.jsonld":
        body = generation.cached_download("jsonld", lambda: _named_graphs_dump(generation.store, ox.RdfFormat.JSON_LD))
        return Response(body, content_type="application/ld+json; charset=utf-8",
                        headers={"Content-Disposition": "attachment; filename=kg.jsonld"})
    abort(404, description="downloads are kg.trig, kg.ttl and kg.jsonld")


def _union_dump(store, rdf_format) -> bytes:
    """The default graph: every named graph merged into one (Turtle has no named graphs)."""
    quads = store.oxigraph.quads_for_pattern(None, None, None, ox.DefaultGraph())
    return ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in quads), format=rdf_format,
                        prefixes=TURTLE_PREFIXES)


def _named_graphs_dump(store, rdf_format) -> bytes:
    quads = (q for q in store.oxigraph if not isinstance(q.graph_name, ox.DefaultGraph))
    return ox.serialize(quads, format=rdf_format)


@bp.route("/void")
@bp.route("/.well-known/void")
def void():
    store = _store()
    base = request.host_url.rstrip("/")
    dataset = ox.NamedNode(f"{base}/void#dataset")
    void_ns, dcterms = "http://rdfs.org/ns/void#", "http://purl.org/dc/terms/"
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    counts = select(store, "SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects) WHERE { ?s ?p ?o }")[0]
    triples = [
        ox.Triple(dataset, rdf_type, ox.NamedNode(void_ns + "Dataset")),
        ox.Triple(dataset, ox.NamedNode(dcterms + "title"), ox.Literal("mbc-kg: medical billing and coding careers")),
        ox.Triple(dataset, ox.NamedNode(void_ns + "sparqlEndpoint"), ox.NamedNode(f"{base}/sparql")),
        ox.Triple(dataset, ox.NamedNode(void_ns + "uriSpace"), ox.Literal(ID_BASE)),
        ox.Triple(dataset, ox.NamedNode(void_ns + "vocabulary"), ox.NamedNode(str(MBC))),
        ox.Triple(dataset, ox.NamedNode(void_ns + "triples"), counts["triples"]),
        ox.Triple(dataset, ox.NamedNode(void_ns + "distinctSubjects"), counts["subjects"]),
    ]
    for name in ("kg.trig", "kg.ttl", "kg.jsonld"):
        triples.append(ox.Triple(dataset, ox.NamedNode(void_ns + "dataDump"), ox.NamedNode(f"{base}/download/{name}")))
    for row in select(store, "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class FILTER STRSTARTS(STR(?class), "
                             "'https://w3id.org/mbc-kg/ontology#') } GROUP BY ?class ORDER BY ?class"):
        partition = ox.BlankNode()
        triples.append(ox.Triple(dataset, ox.NamedNode(void_ns + "classPartition"), partition))
        triples.append(ox.Triple(partition, ox.NamedNode(void_ns + "class"), row["class"]))
        triples.append(ox.Triple(partition, ox.NamedNode(void_ns + "entities"), row["n"]))
    media = request.accept_mimetypes.best_match(list(RDF_MEDIA), default="text/turtle")
    return _rdf_response(triples, media)
