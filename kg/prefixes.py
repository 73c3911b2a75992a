"""The project's prefixes as plain strings: the one table every serializer, query prologue and
page uses (kg.namespaces builds rdflib namespaces from it). No rdflib import, so SPARQL worker
processes and the search side can use it cheaply."""
from __future__ import annotations

ID_BASE = "https://w3id.org/mbc-kg/id/"
PREFIX_IRIS: dict[str, str] = {
    "mbc": "https://w3id.org/mbc-kg/ontology#",
    "id": ID_BASE,
    "schema": "https://schema.org/",
    "oa": "http://www.w3.org/ns/oa#",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "void": "http://rdfs.org/ns/void#",
}
ONTOLOGY = PREFIX_IRIS["mbc"]
VOCAB_BASE = ID_BASE + "vocab/"    # the vocabulary's concepts (kg/vocabulary.ttl)
SPARQL_PROLOGUE = "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in PREFIX_IRIS.items())


def sparql_prologue(*prefixes: str) -> str:
    """PREFIX lines for the named prefixes (all of them when none are named)."""
    chosen = prefixes or tuple(PREFIX_IRIS)
    return "".join(f"PREFIX {prefix}: <{PREFIX_IRIS[prefix]}>\n" for prefix in chosen)


def compact(iri: str, keep_local: bool = True) -> str:
    """'https://w3id.org/mbc-kg/ontology#issuedBy' -> 'mbc:issuedBy'; an IRI under no prefix stays whole.
    With keep_local, resources of the graph keep their full IRI (they are links, not vocabulary)."""
    for prefix, namespace in PREFIX_IRIS.items():
        if iri.startswith(namespace) and not (keep_local and prefix == "id"):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri
