"""Search at scale: the dense index at 100k and 1M passages, exact against approximate (IVF, what
the index switches to beyond search.index.dense.EXACT_UP_TO), and a whole search through a real
Searcher over an index of that size: latency p50/p95, recall@10 of the approximate index against
exact search, build time and memory.

    python -m bench.scale_bench [--sizes 100000,1000000] [--embedded 10000]

The vectors: `--embedded` synthetic passages (seed-corpus sentences with places and figures varied)
embedded with the real model, then widened to each size with perturbed copies (embedding a
million passages would take hours on 2 cores and adds nothing the index measurements need).
"""
from __future__ import annotations

import argparse
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

import numpy as np

from kg.prefixes import ID_BASE
from bench.common import percentiles, report, rss_mb, timed
from bench.search_bench import QUESTIONS, _widen, synthetic_passages


def dense_only(vectors: np.ndarray, questions: np.ndarray) -> dict:
    """Exact and IVF side by side on the same vectors: speed, recall@10 of IVF, build, memory."""
    import faiss

    from search.index import dense

    ids = np.arange(1, len(vectors) + 1, dtype=np.int64)
    results, exact_hits = {}, None
    for name, threshold in (("exact (IndexFlatIP)", len(vectors)), ("approximate (IVF)", 0)):
        before = rss_mb()
        started = time.perf_counter()
        index = dense.prepare(dense.build(vectors, ids, exact_up_to=threshold))
        build = time.perf_counter() - started
        path = Path(tempfile.mkstemp(suffix=".faiss")[1])
        faiss.write_index(index, str(path))
        samples = [timed(index.search, q.reshape(1, -1), 10)[1] for _ in range(3) for q in questions]
        hits = [set(index.search(q.reshape(1, -1), 10)[1][0]) for q in questions]
        exact_hits = exact_hits or hits
        results[name] = {"build_seconds": round(build, 1), "file_mb": round(path.stat().st_size / 2**20, 1),
                         "rss_growth_mb": round(rss_mb() - before, 1), "search_k10": percentiles(samples),
                         "recall_at_10_vs_exact": round(float(np.mean([len(a & b) / 10 for a, b in
                                                                        zip(hits, exact_hits)])), 3)}
        path.unlink()
        del index
    return results


def end_to_end(texts: list[str], vectors: np.ndarray, questions: list[str]) -> dict:
    """A real Searcher (FTS5 + the dense index the writer picks for this size + fusion)."""
    from common.embedding import model_id
    from kg.datadir import DataDir
    from search import Searcher
    from search.index import dense
    from search.index.schema import DATABASE, DENSE, DENSE_UNITS, INDEX_FORMAT, SCHEMA, vector_blob
    from search.index.writer import write_faiss

    root = Path(tempfile.mkdtemp(prefix="mbc-scale-"))
    try:
        data = DataDir(root)
        generation = data.new_generation()
        generation.index_dir.mkdir(parents=True)
        connection = sqlite3.connect(generation.index_dir / DATABASE)
        connection.executescript(SCHEMA)
        started = time.perf_counter()
        columns = [row[1] for row in connection.execute("PRAGMA table_info(passages)")]
        for start in range(0, len(texts), 50_000):
            rows = []
            for i in range(start, min(len(texts), start + 50_000)):
                values = {"id": i + 1, "iri": f"{ID_BASE}passage/synthetic/{i}",
                          "document": ID_BASE + "document/synthetic", "source_file": "synthetic.txt",
                          "title": "Synthetic", "section": "", "kind": "paragraph", "start": 0, "end": len(texts[i]),
                          "text": texts[i], "search_text": texts[i], "vector": vector_blob(vectors[i])}
                rows.append(tuple(values.get(column, "") for column in columns))
            connection.executemany(f"INSERT INTO passages VALUES ({', '.join('?' * len(columns))})", rows)
            unit_columns = [row[1] for row in connection.execute("PRAGMA table_info(units)")]
            connection.executemany(
                f"INSERT INTO units (rowid, {', '.join(unit_columns)}) VALUES (?, {', '.join('?' * len(unit_columns))})",
                [(i + 1, *({"passage_id": i + 1, "start": 0, "end": len(texts[i]), "vector": vector_blob(vectors[i])}
                           .get(c, "sentence") for c in unit_columns)) for i in range(start, start + len(rows))])
        connection.execute("INSERT INTO passages_fts(passages_fts) VALUES ('rebuild')")
        connection.executemany("INSERT INTO meta VALUES (?, ?)", {"format": str(INDEX_FORMAT), "model": model_id(),
                                                                   "dimension": str(vectors.shape[1])}.items())
        connection.commit()
        tables_seconds = time.perf_counter() - started
        started = time.perf_counter()
        write_faiss(connection, "SELECT id, vector FROM passages ORDER BY id", generation.index_dir / DENSE,
                    vectors.shape[1])
        write_faiss(connection, "SELECT rowid, vector FROM units ORDER BY rowid", generation.index_dir / DENSE_UNITS,
                    vectors.shape[1])
        dense_seconds = time.perf_counter() - started
        connection.close()
        live = data.publish(generation)
        before = rss_mb()
        searcher = Searcher(live)
        loaded = rss_mb() - before
        for question in questions:
            searcher.search(question, k=10)
        samples = [timed(searcher.search, q, k=10)[1] for _ in range(3) for q in questions]
        return {"passages": len(texts), "dense_index": dense.kind(searcher.index.dense),
                "sqlite_and_fts5_build_seconds": round(tables_seconds, 1),
                "dense_build_seconds": round(dense_seconds, 1), "searcher_rss_mb": round(loaded, 1),
                "index_on_disk_mb": round(sum(f.stat().st_size for f in live.index_dir.iterdir()) / 2**20, 1),
                "search_k10_question_vector_cached": percentiles(samples)}
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main(argv=None) -> dict:
    from common.embedding import encode

    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--embedded", type=int, default=10_000)
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    questions = [q["q"] for q in QUESTIONS]
    question_vectors = encode(questions)
    texts = synthetic_passages(max(sizes))
    started = time.perf_counter()
    embedded = np.vstack([encode(texts[i:i + 512]) for i in range(0, args.embedded, 512)])
    results = {"embedded_with_the_model": args.embedded,
               "embedding_passages_per_second": round(args.embedded / (time.perf_counter() - started), 1)}
    for size in sizes:
        vectors = _widen(embedded, size)
        results[str(size)] = {"dense_only": dense_only(vectors, question_vectors),
                              "end_to_end": end_to_end(texts[:size], vectors, questions)}
        print(size, results[str(size)], flush=True)
    return report("scale", results)


if __name__ == "__main__":
    main()
