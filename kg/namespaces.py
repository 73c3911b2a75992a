"""Namespaces and IRI minting: the one place that decides what a resource is called.

Every IRI is a pure function of its inputs (same input, same IRI), so re-ingesting
the same text yields the same graph and two documents naming the same entity meet
on the same node.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import quote

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from kg.prefixes import ID_BASE, PREFIX_IRIS, SPARQL_PROLOGUE, compact, sparql_prologue  # noqa: F401 - re-exported

MBC = Namespace(PREFIX_IRIS["mbc"])
ID = Namespace(ID_BASE)
SCHEMA = Namespace(PREFIX_IRIS["schema"])
OA = Namespace(PREFIX_IRIS["oa"])
VOID = Namespace(PREFIX_IRIS["void"])
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

PREFIXES: dict[str, Namespace] = {prefix: Namespace(iri) for prefix, iri in PREFIX_IRIS.items()}
assert {str(n) for n in (PROV, SKOS, DCTERMS, RDF, RDFS, OWL, XSD)} <= set(PREFIX_IRIS.values())
# The entity kinds the extractor produces, with the path segment of their IRIs.
KIND_SEGMENTS: dict[str, str] = {
    "Role": "role",
    "Certification": "certification",
    "Organization": "organization",
    "Region": "region",
    "EducationProgram": "program",
    "CodeSet": "codeset",
    "Regulation": "regulation",
    "Industry": "industry",         # an industry a statistic is restricted to ("Offices of physicians")
}

ONTOLOGY_GRAPH = URIRef(ID_BASE + "graph/ontology")
VOCABULARY_GRAPH = URIRef(ID_BASE + "graph/vocabulary")


def bind_prefixes(graph) -> None:
    """Bind the project's prefixes on an rdflib graph or dataset."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)


def slug(text: str) -> str:
    """Lower-case ASCII slug: 'Certified Coder-Payer (CPC-P)' -> 'certified-coder-payer-cpc-p'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    ascii_text = ascii_text.replace("&", " and ").replace("'", "")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    if not words:
        raise ValueError(f"cannot make an IRI slug from {text!r}: it has no letters or digits")
    return "-".join(words)


def digest(*parts: object, length: int = 16) -> str:
    """Stable short hash of the parts, for IRIs of things without a natural name."""
    joined = "\u241f".join(str(part) for part in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:length]


def _segment(source_file: str) -> str:
    """The IRI path of a document name: readable, always a valid IRI part, one name one path.

    A name is a file's path in the corpus, so it may hold "/" ("texas/a.txt"): the slash is kept (the
    IRI /id/document/texas/a.txt then dereferences like any other), every other reserved character is
    percent-encoded, and a name with an empty, "." or ".." part is refused, so no IRI walks up a path.
    """
    parts = source_file.split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise ValueError(f"{source_file!r} is not a document name (a relative path without '.' or '..' parts)")
    return quote(source_file, safe="/-._~")


def document_iri(source_file: str) -> URIRef:
    return URIRef(f"{ID_BASE}document/{_segment(source_file)}")


def document_graph_iri(source_file: str) -> URIRef:
    """The named graph holding everything extracted from one document."""
    return URIRef(f"{ID_BASE}graph/document/{_segment(source_file)}")


def passage_iri(source_file: str, start: int, end: int) -> URIRef:
    return URIRef(f"{ID_BASE}passage/{_segment(source_file)}/{start}-{end}")


def claim_iri(source_file: str, subject, predicate, obj, start: int, end: int, extractor: str) -> URIRef:
    return URIRef(f"{ID_BASE}claim/{digest(source_file, subject, predicate, obj, start, end, extractor)}")


def claim_part_iri(claim: URIRef, part: str) -> URIRef:
    """Selector and target nodes of a claim: '<claim>/quote', '<claim>/position'."""
    return URIRef(f"{claim}/{part}")


def entity_iri(kind: str, key: str) -> URIRef:
    """IRI of an extracted entity from its kind and canonical key (see ingest.linking)."""
    try:
        segment = KIND_SEGMENTS[kind]
    except KeyError:
        raise ValueError(f"unknown entity kind {kind!r}; expected one of {sorted(KIND_SEGMENTS)}") from None
    parts = [slug(part) for part in key.split("/")]
    return URIRef(f"{ID_BASE}{segment}/{'/'.join(parts)}")


def statistic_iri(kind: str, *identity: object) -> URIRef:
    """IRI of a wage statistic, growth projection, employment figure or credential requirement from what it states."""
    segment = {"WageStatistic": "wage", "GrowthProjection": "growth", "EmploymentStatistic": "employment",
               "CredentialRequirement": "requirement"}[kind]
    return URIRef(f"{ID_BASE}{segment}/{digest(*identity)}")


def concept_iri(key: str) -> URIRef:
    """Reference vocabulary concepts (kg/vocabulary.ttl)."""
    return URIRef(f"{ID_BASE}vocab/{slug(key)}")


def is_local(iri: str) -> bool:
    return iri.startswith(ID_BASE)


def local_path(iri: str) -> str:
    """'https://w3id.org/mbc-kg/id/region/us/ca' -> 'region/us/ca'."""
    if not is_local(iri):
        raise ValueError(f"{iri} is not under {ID_BASE}")
    return iri[len(ID_BASE):]
