"""Occupation (SOC) codes are facts only where a document states them."""
import pytest
from helpers import analyse


def codes(text: str) -> set[tuple[str, str, str]]:
    return {(c.role.key, c.code, c.extractor) for c in analyse(text).occupation_codes}


@pytest.mark.parametrize("text, expected", [
    ("Medical records specialists (SOC 29-2072) earn a median of $23.10 an hour.",
     {("medical-records-specialist", "29-2072", "soc-code")}),
    ("The O*NET-SOC code for medical records specialists is 29-2072.00.",
     {("medical-records-specialist", "29-2072", "soc-code")}),
    ("# Medical Records Specialists\n\nOccupation profile.\n\nSOC code: 29-2072\n",
     {("medical-records-specialist", "29-2072", "soc-code-nearby-role")}),
])
def test_a_stated_soc_code_belongs_to_its_role(text, expected):
    assert codes(text) == expected


@pytest.mark.parametrize("text", [
    "Medical records specialists earn a median of $23.10 an hour.",          # no code stated
    "Call 555-2072 or visit room 29-2072 to talk to medical coders.",        # numbers, not a SOC code
    "SOC 29-2072 covers the occupation.",                                    # no role in reach
])
def test_no_code_without_one_stated_for_a_role(text):
    assert codes(text) == set()


def test_the_code_is_a_claim_quoting_the_sentence():
    from rdflib.namespace import RDF

    from ingest.graph import document_graph
    from kg.namespaces import MBC, SCHEMA
    from kg.vocabulary import load_vocabulary

    text = "Medical records specialists (SOC 29-2072) keep patient files in order."
    vocabulary = load_vocabulary()
    graph = document_graph("soc.txt", "0" * 64, analyse(text), vocabulary)
    claims = list(graph.subjects(RDF.predicate, SCHEMA.occupationalCategory))
    assert len(claims) == 1
    assert "SOC 29-2072" in str(graph.value(claims[0], MBC.quote))
