"""Downloads of the whole graph (TriG, Turtle, JSON-LD) and its VoID description: a page for a
browser (counts, dumps, example queries, the ontology's classes and properties), RDF for machines.

One triple count everywhere: the default graph's distinct triples (every document graph, the
ontology and the vocabulary merged, each triple once), as ingest writes it in the manifest. It is
what ingest prints, /healthz and /void report, and what kg.ttl holds.
"""
from __future__ import annotations

from urllib.parse import quote

import pyoxigraph as ox
from flask import Blueprint, Response, abort, render_template, request, send_file, url_for

from kg.namespaces import ID_BASE, MBC, PREFIX_IRIS, compact
from kg.store_protocol import ReadableStore
from service import state
from service.data_access import select
from service.negotiation import (HTML, JSON_LD, TRIG, TURTLE, prefers_html_to_rdf, rdf_media, rdf_response,
                                 resource_media)
from service.sparql_examples import EXAMPLES

bp = Blueprint("downloads", __name__)
VOID = "http://rdfs.org/ns/void#"
DCTERMS = "http://purl.org/dc/terms/"
RDF_TYPE = ox.NamedNode(PREFIX_IRIS["rdf"] + "type")
DUMPS = {
    "kg.trig": ("TriG", TRIG, "every document's graph, the ontology and the vocabulary as named graphs"),
    "kg.ttl": ("Turtle", TURTLE, "the default graph: all graphs merged, each triple once"),
    "kg.jsonld": ("JSON-LD", JSON_LD, "the named graphs, as JSON-LD"),
}


@bp.route("/download/<string:name>")
def download(name: str):
    generation = state.served()
    if name == "kg.trig":
        return send_file(generation.dump_path, mimetype=TRIG, as_attachment=True, download_name="kg.trig")
    if name == "kg.ttl":
        body = generation.cached_download("ttl", lambda: _union_dump(generation.store, ox.RdfFormat.TURTLE))
        return Response(body, content_type=f"{TURTLE}; charset=utf-8",
                        headers={"Content-Disposition": "attachment; filename=kg.ttl"})
    if name == "kg.jsonld":
        body = generation.cached_download("jsonld", lambda: _named_graphs_dump(generation.store, ox.RdfFormat.JSON_LD))
        return Response(body, content_type=f"{JSON_LD}; charset=utf-8",
                        headers={"Content-Disposition": "attachment; filename=kg.jsonld"})
    abort(404, description="downloads are kg.trig, kg.ttl and kg.jsonld")


def _union_dump(store: ReadableStore, rdf_format) -> bytes:
    """The default graph: every named graph merged into one (Turtle has no named graphs)."""
    return ox.serialize(store.default_graph_triples(), format=rdf_format, prefixes=PREFIX_IRIS)


def _named_graphs_dump(store: ReadableStore, rdf_format) -> bytes:
    return ox.serialize(store.named_graph_quads(), format=rdf_format)


def dataset_counts(generation) -> dict:
    """The figures the dataset page and its VoID give, once per generation."""
    def build() -> dict:
        store = generation.store
        triples = generation.manifest.get("distinct_triples")
        if triples is None:     # a data directory from before the manifest kept the count
            triples = sum(1 for _ in store.default_graph_triples())
        row = select(store, "SELECT (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?c) AS ?claims) "
                            "WHERE { { ?s ?p ?o } UNION { ?c a mbc:Claim } }")[0]
        graphs = store.named_graphs()
        quads = sum(1 for _ in store.named_graph_quads())
        classes = [(r["class"].value, int(r["n"].value)) for r in select(
            store, f"SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a ?class FILTER STRSTARTS(STR(?class), "
                   f"'{MBC}') }} GROUP BY ?class ORDER BY DESC(?n)")]
        return {"triples": int(triples), "subjects": int(row["subjects"].value), "claims": int(row["claims"].value),
                "graphs": len(graphs), "quads": quads, "documents": len(generation.documents), "classes": classes}
    return generation.cached_download("dataset-counts", build)


def ontology_terms(store: ReadableStore) -> tuple[list[dict], list[dict]]:
    """The ontology's classes and properties with their labels and comments."""
    rows = select(store, f"""SELECT ?term ?kind ?label ?comment ?super ?domain ?range WHERE {{
        ?term a ?kind . VALUES ?kind {{ owl:Class owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty }}
        FILTER STRSTARTS(STR(?term), "{MBC}")
        OPTIONAL {{ ?term rdfs:label ?label }} OPTIONAL {{ ?term rdfs:comment ?comment }}
        OPTIONAL {{ ?term rdfs:subClassOf|rdfs:subPropertyOf ?super FILTER STRSTARTS(STR(?super), "{MBC}") }}
        OPTIONAL {{ ?term rdfs:domain ?domain }} OPTIONAL {{ ?term rdfs:range ?range }} }} ORDER BY ?term""")
    terms: dict[str, dict] = {}
    for row in rows:
        entry = terms.setdefault(row["term"].value, {
            "iri": row["term"].value, "name": compact(row["term"].value), "anchor": row["term"].value.rsplit("#", 1)[-1],
            "is_class": row["kind"].value.endswith("#Class"), "label": row["label"].value if row["label"] else "",
            "comment": row["comment"].value if row["comment"] else "", "super": [], "domain": None, "range": None})
        if row["super"] and compact(row["super"].value) not in entry["super"]:
            entry["super"].append(compact(row["super"].value))
        if row["domain"]:
            entry["domain"] = compact(row["domain"].value)
        if row["range"]:
            entry["range"] = compact(row["range"].value)
    classes = [t for t in terms.values() if t["is_class"]]
    properties = [t for t in terms.values() if not t["is_class"]]
    return classes, properties


@bp.route("/void")
@bp.route("/.well-known/void")
def void():
    generation = state.served()
    counts = dataset_counts(generation)
    if request.args.get("format"):
        media = resource_media()          # ?format=ttl, jsonld, nt, rdf or html
    else:
        media = HTML if prefers_html_to_rdf() else rdf_media()
    if media == HTML:
        return _void_page(generation, counts)
    return rdf_response(void_triples(counts), media)


def void_triples(counts: dict) -> list[ox.Triple]:
    base = state.config().public_base_url      # never the request's Host header
    dataset = ox.NamedNode(f"{base}/void#dataset")

    def literal(value: int) -> ox.Literal:
        return ox.Literal(str(value), datatype=ox.NamedNode(PREFIX_IRIS["xsd"] + "integer"))

    triples = [
        ox.Triple(dataset, RDF_TYPE, ox.NamedNode(VOID + "Dataset")),
        ox.Triple(dataset, ox.NamedNode(DCTERMS + "title"), ox.Literal("mbc-kg: medical billing and coding careers")),
        ox.Triple(dataset, ox.NamedNode(VOID + "sparqlEndpoint"), ox.NamedNode(f"{base}/sparql")),
        ox.Triple(dataset, ox.NamedNode(VOID + "uriSpace"), ox.Literal(ID_BASE)),
        ox.Triple(dataset, ox.NamedNode(VOID + "vocabulary"), ox.NamedNode(str(MBC))),
        ox.Triple(dataset, ox.NamedNode(VOID + "triples"), literal(counts["triples"])),
        ox.Triple(dataset, ox.NamedNode(VOID + "distinctSubjects"), literal(counts["subjects"])),
    ]
    for name in DUMPS:
        triples.append(ox.Triple(dataset, ox.NamedNode(VOID + "dataDump"), ox.NamedNode(f"{base}/download/{name}")))
    for cls, count in counts["classes"]:
        partition = ox.BlankNode()
        triples.append(ox.Triple(dataset, ox.NamedNode(VOID + "classPartition"), partition))
        triples.append(ox.Triple(partition, ox.NamedNode(VOID + "class"), ox.NamedNode(cls)))
        triples.append(ox.Triple(partition, ox.NamedNode(VOID + "entities"), literal(count)))
    return triples


def _void_page(generation, counts: dict):
    classes, properties = ontology_terms(generation.store)
    class_counts = dict(counts["classes"])
    for entry in classes:
        entry["count"] = class_counts.get(entry["iri"], 0)
    dumps = []
    for name, (title, media, what) in DUMPS.items():
        size = generation.dump_path.stat().st_size if name == "kg.trig" and generation.dump_path.exists() else None
        dumps.append({"name": name, "title": title, "media": media, "what": what, "size": size,
                      "href": url_for("downloads.download", name=name)})
    examples = [{"title": e["title"], "query": e["query"], "href": url_for("sparql.sparql") + "?query=" + quote(e["query"])}
                for e in EXAMPLES]
    response = Response(render_template("void.html", counts=counts, classes=classes, properties=properties,
                                        dumps=dumps, examples=examples, prefixes=PREFIX_IRIS,
                                        created=generation.manifest.get("created")),
                        content_type=f"{HTML}; charset=utf-8")
    response.headers["Vary"] = "Accept"
    return response
