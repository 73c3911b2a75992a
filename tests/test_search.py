"""Search on a small fixture corpus: ranking, exact offsets and highlights, filters, errors."""
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.indexing import IndexStep
from ingest.pipeline import run_ingest
from kg.datadir import DataDir
from search import IndexUnavailable, Searcher, SearchError
from search.index import DATABASE

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = {
    "texas.md": ("# Medical Coding in Texas\n\n## Pay\n\nCoders in Austin, TX earn a median of $23.10 an hour. "
                 "Houston pays a little less.\n\n## Certification\n\nThe Certified Professional Coder (CPC) is offered "
                 "by the American Academy of Professional Coders (AAPC). Most employers in Texas ask for it.\n\n"
                 "## Working from home\n\nMany coders in Texas work remotely for large hospital systems.\n"),
    "ohio.txt": ("Becoming a Medical Biller in Ohio\nBillers in Ohio submit claims to insurance companies and follow up "
                 "on denials.\nSchooling\nA certificate program in medical billing takes about nine months. "
                 "Community colleges across Ohio offer one.\nOutlook\nEmployment of medical billers in Ohio is projected "
                 "to grow 6% from 2022 to 2032.\n"),
    "ccs.txt": ("The CCS Credential\nThe Certified Coding Specialist (CCS) credential is administered by the American "
                "Health Information Management Association (AHIMA). Hospital coders often hold it.\n"),
}


@pytest.fixture(scope="module")
def fixture_data(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("search-corpus")
    for name, text in FIXTURE.items():
        (corpus / name).write_text(text, encoding="utf-8")
    data = tmp_path_factory.mktemp("search-data")
    run_ingest(corpus, data, progress=False, steps=[IndexStep()])
    return data, corpus


@pytest.fixture(scope="module")
def searcher(fixture_data):
    return Searcher.open(fixture_data[0])


def top(searcher, query, **filters):
    return searcher.search(query, k=3, **filters)["results"]


@pytest.mark.parametrize("query, file, snippet", [
    ("who administers the CCS?", "ccs.txt", "administered by the American Health Information"),
    ("hourly pay for coders in Austin", "texas.md", "$23.10 an hour"),
    ("can coders work from home?", "texas.md", "work remotely"),
    ("how long is billing school", "ohio.txt", "nine months"),
    ("job growth for billers through 2032", "ohio.txt", "grow 6%"),
])
def test_the_answering_passage_ranks_first(searcher, query, file, snippet):
    hit = top(searcher, query)[0]
    assert hit["source_file"] == file and snippet in hit["text"]


def test_offsets_and_highlight_are_exact(searcher, fixture_data):
    _, corpus = fixture_data
    for hit in searcher.search("who offers the CPC credential?", k=5)["results"]:
        text = (corpus / hit["source_file"]).read_text(encoding="utf-8")
        assert text[hit["start"]:hit["end"]] == hit["text"]
        light = hit["highlight"]
        assert hit["start"] <= light["start"] < light["end"] <= hit["end"]
        assert text[light["start"]:light["end"]] == light["text"]
        for claim in hit["claims"]:   # a claim's quote is the text its offsets cut from the passage
            assert hit["start"] <= claim["start"] < claim["end"] <= hit["end"]
            assert " \u2014 " in claim["text"]
    best = searcher.search("who offers the CPC credential?", k=1)["results"][0]
    assert "offered by the American Academy" in best["highlight"]["text"]


def test_a_hit_carries_its_citation_entities_and_claims(searcher):
    hit = top(searcher, "Certified Coding Specialist")[0]
    for field in ("passage", "document", "source_file", "title", "section", "start", "end", "text", "highlight",
                  "score", "entities", "claims"):
        assert field in hit
    assert hit["title"] == "The CCS Credential" and hit["passage"].startswith("https://w3id.org/mbc-kg/id/passage/")
    labels = {e["label"] for e in hit["entities"]}
    assert {"Certified Coding Specialist", "American Health Information Management Association"} <= labels
    assert any(c["predicate"].endswith("#issuedBy") for c in hit["claims"])


def test_entities_in_the_question_lift_their_passages(searcher):
    response = searcher.search("AHIMA", k=3)
    assert response["entities"][0]["label"] == "American Health Information Management Association"
    assert response["results"][0]["source_file"] == "ccs.txt"


def test_filters(searcher):
    assert {h["source_file"] for h in searcher.search("medical billing", k=10, document="ohio.txt")["results"]} == {"ohio.txt"}
    aapc = "https://w3id.org/mbc-kg/id/organization/aapc"
    hits = searcher.search("employers", k=10, entity=aapc)["results"]
    assert hits and all(any(e["iri"] == aapc for e in h["entities"]) for h in hits)
    hits = searcher.search("pay", k=10, entity_type="Region")["results"]
    assert hits and all(any(e["type"] == "Region" for e in h["entities"]) for h in hits)
    with pytest.raises(SearchError, match="no document"):
        searcher.search("pay", document="missing.txt")
    with pytest.raises(SearchError, match="entity type"):
        searcher.search("pay", entity_type="Planet")


@pytest.mark.parametrize("query, k, message", [
    ("", 5, "empty"), ("   ", 5, "empty"), ("x" * 501, 5, "limit is 500"), ("pay", 0, "k must be"),
    ("pay", 51, "k must be"),
])
def test_bad_requests_are_rejected_with_a_clear_error(searcher, query, k, message):
    with pytest.raises(SearchError, match=message):
        searcher.search(query, k=k)


def test_missing_index_and_other_model_are_detected(tmp_path, fixture_data):
    with pytest.raises(IndexUnavailable, match="run `make ingest`"):
        Searcher.open(tmp_path / "nothing-here")
    data, corpus = fixture_data
    graph_only = tmp_path / "graph-only"
    run_ingest(corpus, graph_only, progress=False)
    with pytest.raises(IndexUnavailable, match="--no-index"):
        Searcher.open(graph_only)
    copy = tmp_path / "copy"
    subprocess.run(["cp", "-r", str(data), str(copy)], check=True)
    database = DataDir(copy).require_current().index_dir / DATABASE
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE meta SET value = 'some-other-model@9' WHERE key = 'model'")
    with pytest.raises(IndexUnavailable, match="some-other-model@9"):
        Searcher.open(copy)


def test_the_index_follows_document_changes(tmp_path, fixture_data):
    _, corpus = fixture_data
    work = tmp_path / "corpus"
    subprocess.run(["cp", "-r", str(corpus), str(work)], check=True)
    data = tmp_path / "data"
    step = IndexStep(cache_path=tmp_path / "cache" / "embeddings.sqlite")
    run_ingest(work, data, progress=False, steps=[step])
    (work / "ohio.txt").unlink()
    (work / "utah.txt").write_text("Coding in Utah\nCoders in Provo earn $19.40 an hour on average.\n")
    run_ingest(work, data, progress=False, steps=[IndexStep(cache_path=tmp_path / "cache" / "embeddings.sqlite")])
    searcher = Searcher.open(data)
    files = {row["source_file"] for row in searcher.index.passages.values()}
    assert files == {"texas.md", "ccs.txt", "utah.txt"}
    assert searcher.search("pay in Provo", k=1)["results"][0]["source_file"] == "utah.txt"


def test_command_line(fixture_data):
    data, _ = fixture_data
    result = subprocess.run([sys.executable, "-m", "search", "--data", str(data), "--json", "-k", "2",
                             "who administers the CCS?"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    response = json.loads(result.stdout)
    assert response["query"] == "who administers the CCS?" and len(response["results"]) == 2
    plain = subprocess.run([sys.executable, "-m", "search", "--data", str(data), "CCS"], cwd=ROOT,
                           capture_output=True, text=True)
    assert "The CCS Credential, characters" in plain.stdout
    empty = subprocess.run([sys.executable, "-m", "search", "--data", str(data), ""], cwd=ROOT,
                           capture_output=True, text=True)
    assert empty.returncode == 2 and "empty" in empty.stderr


def test_common_words_leave_the_bm25_query_on_large_indexes(searcher, monkeypatch):
    import search.engine as engine

    terms = ["coders", "texas", "ohio", "remotely"]
    assert searcher.selective_terms(terms) == terms            # small index: every word is kept
    monkeypatch.setattr(engine, "PRUNE_FROM_PASSAGES", 0)
    monkeypatch.setattr(engine, "COMMON_TERM_SHARE", 0.3)
    kept = searcher.selective_terms(terms)
    assert "coders" not in kept and "remotely" in kept        # "coders" is in most fixture passages
    assert len(searcher.selective_terms(["coders", "texas"])) == 2


def test_held_out_scorer_counts_hits_answers_and_no_answers(searcher, tmp_path):
    """`python -m search.evaluation --held-out`: a hit is a passage holding a gold piece; a question
    whose gold no passage holds is reported as not ingested, not scored; `answer: null` wants none."""
    from search.evaluation import answer_right, held_out_report

    questions = [
        {"q": "who administers the CCS?", "gold": ["administered by the American Health"], "answer": ["AHIMA"]},
        {"q": "can coders work from home?", "gold": ["work remotely"], "answer": None},
        {"q": "what is on the exam?", "gold": ["a sentence no fixture document holds"], "answer": ["x"]},
    ]
    path = tmp_path / "questions.json"
    path.write_text(json.dumps(questions), encoding="utf-8")
    result = held_out_report(searcher, path)
    assert result["questions"] == 2 and result["not_covered"] == ["what is on the exam?"]
    assert result["recall@5"] == 1.0 and result["ranks"][0] == 1
    assert result["no_answer_expected"] == 1
    assert answer_right([{"text": "AHIMA awards the CCS"}], ["ahima"])
    assert not answer_right([{"text": "AAPC"}, {"text": "AHIMA"}], ["AHIMA"])   # only the first answer counts
    assert not answer_right([], ["AHIMA"])
