"""Downloads of the whole graph (TriG, Turtle, JSON-LD) and its VoID description."""
from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, abort, send_file

from kg.namespaces import ID_BASE, MBC, PREFIX_IRIS
from service import state
from service.data_access import select
from service.negotiation import rdf_media, rdf_response

bp = Blueprint("downloads", __name__)


@bp.route("/download/<string:name>")
def download(name: str):
    generation = state.served()
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
                        prefixes=PREFIX_IRIS)


def _named_graphs_dump(store, rdf_format) -> bytes:
    quads = (q for q in store.oxigraph if not isinstance(q.graph_name, ox.DefaultGraph))
    return ox.serialize(quads, format=rdf_format)


@bp.route("/void")
@bp.route("/.well-known/void")
def void():
    store = state.store()
    base = state.config().public_base_url
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
    return rdf_response(triples, rdf_media())
