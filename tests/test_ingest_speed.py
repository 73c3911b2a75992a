"""What makes ingest fast without changing what it makes (issue 19): the graph held as N-Triples, passage
vectors from ONNX Runtime, nothing heavy imported that a run does not use, a line per document."""
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from ingest.reader import SourceDocument

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "fixtures" / "seed_corpus"
TEXT = ("# Medical Coding in Ohio\n\nThe Certified Professional Coder (CPC) is issued by AAPC. Coders in "
        "Columbus, OH earn a median of $22.10 an hour.\n\n- CCS: awarded by AHIMA\n- RHIT: awarded by AHIMA\n")


def test_the_job_graph_is_the_rdflib_graph_line_for_line():
    """The N-Triples the job sends are the triples an rdflib Graph of the same document holds, and the
    claims and labels read as they arrive are those read off that Graph."""
    from rdflib import Graph

    from ingest.indexing import graph_records
    from ingest.jobs import extract_document, extract_job, vocabulary_payload
    from kg.vocabulary import load_vocabulary

    source = SourceDocument("ohio.txt", TEXT, "0" * 64)
    _, graph = extract_document(source, load_vocabulary())
    result = extract_job(source, vocabulary_payload())
    assert not result.error
    sent = Graph().parse(data=result.ntriples.decode("utf-8"), format="nt")
    assert set(sent) == set(graph) and result.triples == len(graph) > 50
    claims, labels = graph_records(graph)
    assert sorted(result.claims, key=lambda c: c.claim) == sorted(claims, key=lambda c: c.claim)
    assert result.labels == labels


def test_a_sink_keeps_each_triple_once_and_answers_membership():
    from rdflib import Literal, URIRef

    from ingest.triples import NTriplesSink

    sink = NTriplesSink()
    triple = (URIRef("https://example.org/a"), URIRef("https://example.org/p"), Literal("x\ny \"z\"", lang="en"))
    sink.add(triple)
    sink.add(triple)
    assert len(sink) == 1 and triple in sink
    assert (triple[0], triple[1], Literal("x")) not in sink
    assert sink.serialize().count(b"\n") == 1


def test_passage_vectors_match_the_model_and_each_text_is_embedded_once():
    """ONNX Runtime runs the model's own weights: the vectors are the sentence-transformers ones (the
    questions' encoder), in the order asked, repeated texts included."""
    from common.embedding import encode, encode_passages

    texts = ["Medical coders earn $22.10 an hour in Columbus.", "CPC is issued by AAPC.", "short",
             "Medical coders earn $22.10 an hour in Columbus.", "a " * 400]
    ours = encode_passages(texts, threads=1)
    theirs = encode(texts)
    assert ours.shape == theirs.shape == (5, 384) and ours.dtype == np.float32
    assert np.allclose(np.linalg.norm(ours, axis=1), 1, atol=1e-5)
    assert (ours * theirs).sum(axis=1).min() > 0.9999
    assert np.array_equal(ours[0], ours[3])


def test_jobs_make_the_index_rows_and_only_the_vectors_the_cache_lacks(tmp_path):
    from common.embedding import passage_encoder_id
    from ingest.indexing import IndexRequest
    from ingest.jobs import extract_job, vocabulary_payload
    from search.index.writer import EmbeddingCache, cache_key

    source = SourceDocument("ohio.txt", TEXT, "0" * 64)
    first = extract_job(source, vocabulary_payload(), False, IndexRequest(str(tmp_path / "absent.sqlite")))
    assert first.analysis is None and first.records.passages and first.encoder == passage_encoder_id()
    texts = [p.search_text for p in first.records.passages] + [u[2] for p in first.records.passages for u in p.units]
    assert set(first.vectors) == {cache_key(first.encoder, t) for t in texts}
    cache = EmbeddingCache(tmp_path / "cache.sqlite", first.encoder)
    cache.vectors(texts[:2], progress=False, known=first.vectors)
    cache.close()
    second = extract_job(source, vocabulary_payload(), False, IndexRequest(str(tmp_path / "cache.sqlite")))
    assert set(second.vectors) == {cache_key(first.encoder, t) for t in texts[2:]}


def _modules_after_ingest(tmp_path, *options) -> list[str]:
    script = ("import runpy, sys\n"
              f"sys.argv = ['ingest', '--corpus', {str(CORPUS)!r}, '--data', {str(tmp_path / 'data')!r}, "
              f"'--workers', '1', *{list(options)!r}]\n"
              "try:\n    runpy.run_module('ingest', run_name='__main__')\nexcept SystemExit as exit:\n"
              "    assert not exit.code, exit.code\n"
              "print(sorted(m for m in ('torch', 'spacy', 'sentence_transformers', 'search.engine') "
              "if m in sys.modules))\n")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_a_graph_only_run_never_imports_torch_and_a_no_op_run_nothing_heavy(tmp_path):
    assert _modules_after_ingest(tmp_path, "--no-index") == "['spacy']"
    assert _modules_after_ingest(tmp_path, "--no-index") == "[]"


def test_a_line_per_document_on_a_terminal(capsys):
    from ingest.pipeline import _DocumentProgress

    progress = _DocumentProgress(2, enabled=True)
    progress.done(SourceDocument("a.txt", "x" * 2500, "0" * 64), 1.25)
    progress.close()
    silent = _DocumentProgress(2, enabled=False)
    silent.done(SourceDocument("b.txt", "x", "0" * 64), 1.0)
    assert "a.txt  2.5 kB  1.2 s" in capsys.readouterr().err


@pytest.mark.parametrize("workers", ["1", "2"])
def test_the_summary_says_documents_per_second(tmp_path, workers):
    result = subprocess.run([sys.executable, "-m", "ingest", "--corpus", str(CORPUS), "--data", str(tmp_path / "d"),
                             "--no-index", "--workers", workers], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "documents/s)" in result.stdout
