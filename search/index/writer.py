"""Writing a generation's passage index (driven by ingest, which supplies the records).

Incremental: the previous generation's database is copied and only the rows of changed, added
and removed documents change; vectors of unchanged text come from a content-addressed cache
shared by every generation, so only new text is embedded.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import sys
from pathlib import Path

import numpy as np

from search.index import dense
from search.index.records import AliasRecord, ClaimRecord, MentionRecord, PassageRecord
from search.index.schema import (
    DATABASE,
    DENSE,
    DENSE_UNITS,
    INDEX_FORMAT,
    SCHEMA,
    blob_vector,
    vector_blob,
)


def cache_key(encoder: str, text: str) -> str:
    """A text's key in the embedding cache: the passage encoder (common.embedding.passage_encoder_id) and the text."""
    return hashlib.sha256(f"{encoder}\n{text}".encode()).hexdigest()


def cached_vectors(connection: sqlite3.Connection, keys: list[str]) -> dict[str, np.ndarray]:
    found: dict[str, np.ndarray] = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for key, blob in connection.execute(f"SELECT key, vector FROM vectors WHERE key IN ({marks})", chunk):
            found[key] = blob_vector(blob)
    return found


def embed_missing(texts: list[str], encoder: str, cache_path: str | None, threads: int) -> dict[str, np.ndarray]:
    """Vectors of the distinct `texts` the cache at `cache_path` (read only; None or absent: none) does not
    hold, by cache key: what an extraction worker embeds for its document (ingest.jobs), so embedding
    runs on every core beside extraction instead of after it in one process."""
    from common.embedding import encode_passages

    keys = {cache_key(encoder, text): text for text in texts}
    if cache_path and Path(cache_path).exists():
        try:
            connection = sqlite3.connect(f"file:{cache_path}?mode=ro", uri=True)
            try:
                for key in cached_vectors(connection, list(keys)):
                    del keys[key]
            finally:
                connection.close()
        except sqlite3.Error:       # unreadable here: embed it all, the parent's cache stays as it is
            pass
    if not keys:
        return {}
    vectors = encode_passages(list(keys.values()), threads)
    return dict(zip(keys, vectors))


class EmbeddingCache:
    """Vectors by (passage encoder, text) so that unchanged text is never embedded twice."""

    def __init__(self, path: Path, model: str):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.model = model
        self.connection = sqlite3.connect(path)
        self.connection.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")

    def _key(self, text: str) -> str:
        return cache_key(self.model, text)

    def vectors(self, texts: list[str], progress: bool, known: dict[str, np.ndarray] | None = None) -> list[np.ndarray]:
        """A vector per text: from `known` (embedded by the extraction workers, by cache key), the cache,
        or embedded here (each distinct text once, batched by length: common.embedding.PassageEncoder)."""
        from common.embedding import encode_passages

        keys = [self._key(t) for t in texts]
        known = known or {}
        found = {key: known[key] for key in keys if key in known}
        if found:
            self.connection.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                                        [(key, vector_blob(vector)) for key, vector in found.items()])
        found.update(cached_vectors(self.connection, [k for k in dict.fromkeys(keys) if k not in found]))
        missing = sorted({k: t for k, t in zip(keys, texts) if k not in found}.items())
        batch = 2048
        batches = range(0, len(missing), batch)
        if progress and missing:
            from tqdm import tqdm

            batches = tqdm(batches, desc="passages", unit="batch", file=sys.stderr, leave=False,
                           total=(len(missing) + batch - 1) // batch)
        for start in batches:
            chunk = missing[start:start + batch]
            vectors = encode_passages([text for _, text in chunk])
            rows = [(key, vector_blob(vector)) for (key, _), vector in zip(chunk, vectors)]
            self.connection.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)", rows)
            found.update({key: vector for (key, _), vector in zip(chunk, vectors)})
        self.connection.commit()
        return [found[k] for k in keys]

    def close(self) -> None:
        self.connection.close()


class DocumentRecords:
    """Everything the index holds about one document."""

    def __init__(self, source_file: str, document: str, title: str, passages: list[PassageRecord],
                 mentions: list[MentionRecord], claims: list[ClaimRecord], aliases: list[AliasRecord]):
        self.source_file, self.document, self.title = source_file, document, title
        self.passages, self.mentions, self.claims, self.aliases = passages, mentions, claims, aliases


def model_fingerprint() -> str:
    from common.embedding import model_id, passage_encoder_id

    return f"index={INDEX_FORMAT};model={model_id()};passages={passage_encoder_id()}"


def write_index(index_dir: Path, previous_index_dir: Path | None, cache_path: Path, removed: list[str],
                documents: list[DocumentRecords], fingerprint: str, progress: bool,
                known_vectors: dict[str, np.ndarray] | None = None) -> dict:
    """Build `index_dir` from the previous generation's index (if any) minus `removed` and the
    changed documents, plus `documents`. `known_vectors`: vectors already made (by cache key, see
    `embed_missing`). Returns the manifest entry of the index."""
    from common.embedding import dimension, model_id, passage_encoder_id

    index_dir.mkdir()
    database = index_dir / DATABASE
    previous_database = previous_index_dir / DATABASE if previous_index_dir is not None else None
    if previous_database is not None and previous_database.exists():
        shutil.copy2(previous_database, database)
        connection = sqlite3.connect(database)
    else:
        connection = sqlite3.connect(database)
        connection.executescript(SCHEMA)
    cache = EmbeddingCache(cache_path, passage_encoder_id())
    try:
        for name in removed + [d.source_file for d in documents]:
            _delete_document(connection, name)
        texts = [p.search_text for d in documents for p in d.passages]
        unit_texts = [u[2] for d in documents for p in d.passages for u in p.units]
        vectors = iter(cache.vectors(texts + unit_texts, progress, known_vectors))
        passage_vectors = iter([next(vectors) for _ in texts])
        unit_vectors = iter(list(vectors))
        for document in documents:
            _insert(connection, document, passage_vectors, unit_vectors)
        connection.execute("INSERT INTO passages_fts(passages_fts) VALUES ('rebuild')")
        meta = {"format": str(INDEX_FORMAT), "model": model_id(), "dimension": str(dimension()),
                "fingerprint": fingerprint, "passage_encoder": passage_encoder_id()}
        connection.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", meta.items())
        connection.commit()
        count = write_faiss(connection, "SELECT id, vector FROM passages ORDER BY id", index_dir / DENSE,
                             int(meta["dimension"]))
        write_faiss(connection, "SELECT rowid, vector FROM units ORDER BY rowid", index_dir / DENSE_UNITS,
                     int(meta["dimension"]))
        connection.execute("VACUUM")
        return {"passages": count, "model": meta["model"], "dimension": int(meta["dimension"]),
                "format": INDEX_FORMAT}
    finally:
        connection.close()
        cache.close()


def _delete_document(connection: sqlite3.Connection, name: str) -> None:
    ids = [row[0] for row in connection.execute("SELECT id FROM passages WHERE source_file = ?", (name,))]
    for table in ("units", "mentions", "claims"):
        connection.executemany(f"DELETE FROM {table} WHERE passage_id = ?", [(i,) for i in ids])
    connection.execute("DELETE FROM passages WHERE source_file = ?", (name,))
    connection.execute("DELETE FROM aliases WHERE source_file = ?", (name,))


def _insert(connection, document: DocumentRecords, passage_vectors, unit_vectors) -> None:
    by_iri: dict[str, int] = {}
    claims_by_passage: dict[str, list[ClaimRecord]] = {}
    for claim in document.claims:
        claims_by_passage.setdefault(claim.passage_iri, []).append(claim)
    for row in document.passages:
        cursor = connection.execute(
            'INSERT INTO passages (iri, document, source_file, title, section, kind, start, "end", text, '
            "search_text, vector, cells) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (row.iri, document.document, document.source_file, document.title, row.section, row.kind, row.start,
             row.end, row.text, row.search_text, vector_blob(next(passage_vectors)),
             json.dumps([list(cell) for cell in row.cells], ensure_ascii=False) if row.cells else ""))
        passage_id = cursor.lastrowid
        by_iri[row.iri] = passage_id
        connection.executemany('INSERT INTO units (passage_id, start, "end", vector, kind) VALUES (?, ?, ?, ?, ?)',
                               [(passage_id, s, e, vector_blob(next(unit_vectors)), kind)
                                for s, e, _, kind in row.units])
        connection.executemany("INSERT INTO claims VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                               [(passage_id, c.claim, c.subject, c.predicate, c.object, int(c.object_is_iri), c.quote,
                                 c.start, c.end, c.extractor, c.confidence)
                                for c in claims_by_passage.get(row.iri, [])])
    for mention in document.mentions:
        connection.execute("INSERT INTO mentions VALUES (?, ?, ?, ?, ?, ?, ?)",
                           (by_iri[mention.passage_iri], mention.entity, mention.kind, mention.label, mention.start,
                            mention.end, int(mention.defines)))
    connection.executemany("INSERT INTO aliases VALUES (?, ?, ?, ?, ?)",
                           [(a.entity, a.kind, a.label, a.alias, document.source_file) for a in document.aliases])


def write_faiss(connection, query: str, path: Path, dimension: int) -> int:
    import faiss

    ids, blobs = [], []
    for row_id, blob in connection.execute(query):
        ids.append(row_id)
        blobs.append(blob)
    matrix = (np.frombuffer(b"".join(blobs), dtype="<f4").reshape(len(ids), dimension)
              if ids else np.zeros((0, dimension), dtype=np.float32))
    index = dense.build(np.ascontiguousarray(matrix, dtype=np.float32), np.asarray(ids, dtype=np.int64))
    faiss.write_index(index, str(path))
    return len(ids)
