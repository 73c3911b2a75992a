"""Query-side paraphrases (search/paraphrases.py, search/paraphrases.tsv) and their ranking signal."""
from pathlib import Path

import pytest

from ingest.indexing import IndexStep
from ingest.pipeline import run_ingest
from search import Searcher
from search.engine import Fusion
from search.paraphrases import expansions, groups, parse_groups


def test_a_question_word_brings_the_words_of_its_group():
    added = expansions("what do coders make in Denver")
    assert "wage" in added and "salary" in added and "make" not in added
    assert "certifications" in expansions("besides the cpc what other certs are there")
    assert "duration" in expansions("How long is the program?")          # a phrase of two words
    assert expansions("who teaches the course") == []


def test_words_inside_other_words_do_not_match():
    table = (("pay", "wage"),)
    assert expansions("payer rules", table) == [] and expansions("the pay", table) == ["wage"]


def test_the_table_parses_and_names_no_figure():
    assert len(groups()) >= 10
    assert not [p for group in groups() for p in group if any(c.isdigit() for c in p)]
    assert parse_groups("# comment\nA\tb  c\n") == [("a", "b c")]
    with pytest.raises(ValueError, match="line 1: a group needs two phrases"):
        parse_groups("alone\n")


@pytest.fixture(scope="module")
def denver(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("paraphrase-corpus")
    (corpus / "denver.txt").write_text(
        "Billing Work in Denver\n"
        "Billers in Denver make phone calls to insurers, make corrections to claims and make payment plans.\n\n"
        "Billers in Denver earn about $20 an hour, more with a credential.\n\n"
        "Billers in Denver can train at community colleges.\n", encoding="utf-8")
    data = tmp_path_factory.mktemp("paraphrase-data")
    run_ingest(corpus, data, progress=False, steps=[IndexStep()])
    return Searcher.open(data)


def test_a_paraphrase_lifts_the_passage_that_says_it_in_other_words(denver):
    """"make" is a stop word to BM25; its paraphrase "earn" finds the pay sentence."""
    with_signal = denver.search("what do billers make in denver", k=3)["results"]
    without = {r["text"]: r["score"] for r in denver.search("what do billers make in denver", k=3,
                                                            fusion=Fusion(paraphrase=0))["results"]}
    assert "earn about $20" in with_signal[0]["text"]
    lifted = [r["text"] for r in with_signal if r["score"] > without[r["text"]] + 0.01]
    assert lifted == [with_signal[0]["text"]]
