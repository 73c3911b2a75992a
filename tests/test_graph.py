"""The graph as researchers will query it: contract names, provenance, validation."""
from decimal import Decimal
from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from kg.namespaces import (
    ID_BASE,
    MBC,
    SCHEMA,
    claim_iri,
    document_graph_iri,
    entity_iri,
    slug,
)
from kg.vocabulary import SHAPES_FILE

from paths import SEED_CORPUS as CORPUS
STRUCTURAL = ("claim/", "passage/", "document/")


def test_the_graph_validates_against_the_shapes(union_graph):
    conforms, _, report = pyshacl.validate(union_graph, shacl_graph=Graph().parse(SHAPES_FILE), advanced=True)
    assert conforms, report[:4000]


def test_the_shapes_catch_a_broken_claim(union_graph):
    broken = Graph()
    claim = next(union_graph.subjects(RDF.type, MBC.Claim))
    for s, p, o in union_graph.triples((claim, None, None)):
        broken.add((s, p, o))
    passage = union_graph.value(claim, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"))
    for triple in union_graph.triples((passage, None, None)):
        broken.add(triple)
    broken.remove((claim, MBC.confidence, None))
    broken.add((claim, MBC.confidence, Literal(Decimal("1.5"))))
    conforms, _, _ = pyshacl.validate(broken, shacl_graph=Graph().parse(SHAPES_FILE), advanced=True)
    assert not conforms


def test_every_claim_quote_is_the_text_at_its_offsets(union_graph):
    texts = {p.name: p.read_text(encoding="utf-8") for p in CORPUS.iterdir()}
    claims = list(union_graph.subjects(RDF.type, MBC.Claim))
    assert len(claims) > 1000
    for claim in claims:
        document = union_graph.value(claim, MBC.document)
        text = texts[str(union_graph.value(document, MBC.sourceFile))]
        start, end = int(union_graph.value(claim, MBC.start)), int(union_graph.value(claim, MBC.end))
        assert text[start:end] == str(union_graph.value(claim, MBC.quote))


def test_every_asserted_fact_about_an_entity_has_a_claim(dataset):
    for name in (p.name for p in CORPUS.iterdir()):
        graph = dataset.graph(document_graph_iri(name))
        claimed = {(graph.value(c, RDF.subject), graph.value(c, RDF.predicate), graph.value(c, RDF.object))
                   for c in graph.subjects(RDF.type, MBC.Claim)}
        facts = [(s, p, o) for s, p, o in graph
                 if str(s).startswith(ID_BASE) and not str(s)[len(ID_BASE):].startswith(STRUCTURAL)]
        assert facts
        missing = [t for t in facts if t not in claimed]
        assert not missing, missing[:5]


def test_passages_hold_their_exact_text(union_graph):
    texts = {p.name: p.read_text(encoding="utf-8") for p in CORPUS.iterdir()}
    for passage in union_graph.subjects(RDF.type, MBC.Passage):
        document = union_graph.value(passage, MBC.document)
        text = texts[str(union_graph.value(document, MBC.sourceFile))]
        start, end = int(union_graph.value(passage, MBC.start)), int(union_graph.value(passage, MBC.end))
        assert text[start:end] == str(union_graph.value(passage, MBC.text))


def test_claims_carry_web_annotation_selectors(union_graph):
    oa = "http://www.w3.org/ns/oa#"
    claim = next(union_graph.subjects(RDF.type, MBC.Claim))
    target = union_graph.value(claim, MBC.evidence)
    selectors = set(union_graph.objects(target, URIRef(oa + "hasSelector")))
    types = {union_graph.value(s, RDF.type) for s in selectors}
    assert types == {URIRef(oa + "TextQuoteSelector"), URIRef(oa + "TextPositionSelector")}


def test_one_iri_per_real_entity_across_documents(dataset):
    aapc = entity_iri("Organization", "aapc")
    holders = [g.identifier for g in dataset.graphs() if (aapc, RDF.type, MBC.Organization) in g]
    assert len(holders) == 4
    labels = {str(o) for g in dataset.graphs() for o in g.objects(aapc, SKOS.altLabel)}
    assert "AAPC" in labels


def test_regions_nest(union_graph):
    stockton = entity_iri("Region", "us/ca/stockton-ca-msa")
    california = entity_iri("Region", "us/ca")
    assert (stockton, RDF.type, MBC.MetropolitanArea) in union_graph
    assert (stockton, MBC.partOf, california) in union_graph
    assert (california, MBC.partOf, entity_iri("Region", "us")) in union_graph
    assert (california, MBC.regionCode, Literal("CA")) in union_graph


def test_wage_statistics_use_the_contract(union_graph):
    query = """
    PREFIX mbc: <https://w3id.org/mbc-kg/ontology#>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT ?median WHERE {
      ?w a mbc:WageStatistic ; mbc:region ?r ; mbc:payPeriod mbc:Hour ; mbc:currency "USD" ; mbc:median ?median .
      ?r rdfs:label "Stockton, CA MSA"@en .
    }"""
    rows = list(union_graph.query(query))
    assert [row.median for row in rows] == [Literal(Decimal("20.54"), datatype=XSD.decimal)]


def test_growth_figures_that_disagree_are_both_kept(union_graph):
    query = """
    PREFIX mbc: <https://w3id.org/mbc-kg/ontology#>
    SELECT ?pct ?doc WHERE { ?g a mbc:GrowthProjection ; mbc:percentChange ?pct ; mbc:region <%s> .
      ?c <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> ?g ; mbc:document ?doc . }""" % entity_iri("Region", "us")
    found = {(float(row.pct), str(row.doc).rsplit("/", 1)[-1]) for row in union_graph.query(query)}
    assert (7.0, "000_79f5a7983566f278.txt") in found and (8.0, "002_62df25396eb30289.txt") in found


def test_occupation_code_is_reference_data_unless_a_document_states_it(union_graph):
    specialist = entity_iri("Role", "medical-records-specialist")
    concept = union_graph.value(specialist, SKOS.exactMatch)
    assert (concept, SCHEMA.occupationalCategory, Literal("29-2072")) in union_graph   # the vocabulary's
    # no seed document states a SOC code, so no claim asserts one
    claimed = set(union_graph.subjects(RDF.predicate, SCHEMA.occupationalCategory))
    assert not claimed and (specialist, SCHEMA.occupationalCategory, None) not in union_graph


def test_schema_alignment(union_graph):
    specialist = entity_iri("Role", "medical-records-specialist")
    assert (specialist, RDF.type, SCHEMA.Occupation) in union_graph
    ontology = Graph().parse(Path(__file__).resolve().parent.parent / "kg" / "ontology.ttl")
    assert (MBC.issuedBy, RDFS.subPropertyOf, SCHEMA.issuedBy) in ontology
    assert (MBC.Certification, RDFS.subClassOf, SCHEMA.Certification) in ontology
    assert (MBC.median, RDFS.subPropertyOf, SCHEMA.median) in ontology
    for cls in ("Role", "Certification", "Organization", "Region", "WageStatistic", "GrowthProjection",
                "EducationProgram", "CodeSet", "Regulation", "Document", "Passage", "Claim"):
        assert (MBC[cls], RDFS.label, None) in ontology and (MBC[cls], RDFS.comment, None) in ontology


def test_iris_are_deterministic():
    assert entity_iri("Certification", "cpc-p") == URIRef(ID_BASE + "certification/cpc-p")
    assert claim_iri("a.txt", "s", "p", "o", 1, 2, "x") == claim_iri("a.txt", "s", "p", "o", 1, 2, "x")
    assert slug("Certified Coder-Payer (CPC-P)") == "certified-coder-payer-cpc-p"
    with pytest.raises(ValueError):
        slug("---")
    with pytest.raises(ValueError):
        entity_iri("Planet", "mars")
