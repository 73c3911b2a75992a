"""The index's on-disk format: file names inside the index directory, the SQLite schema, vectors."""
from __future__ import annotations

import numpy as np

INDEX_FORMAT = 4
DATABASE = "search.sqlite"
DENSE = "dense.faiss"
DENSE_UNITS = "units.faiss"
SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE passages (
    id INTEGER PRIMARY KEY, iri TEXT UNIQUE NOT NULL, document TEXT NOT NULL, source_file TEXT NOT NULL,
    title TEXT NOT NULL, section TEXT NOT NULL, kind TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    text TEXT NOT NULL, search_text TEXT NOT NULL, vector BLOB NOT NULL,
    cells TEXT NOT NULL DEFAULT '');      -- a table row's [[column, cell], ...] as JSON; '' otherwise
CREATE INDEX passages_by_file ON passages (source_file);
CREATE TABLE units (passage_id INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, vector BLOB NOT NULL,
    kind TEXT NOT NULL DEFAULT 'sentence');   -- sentence | heading | title | list_item | table_row | table_header
CREATE INDEX units_by_passage ON units (passage_id);
CREATE TABLE mentions (passage_id INTEGER NOT NULL, entity TEXT NOT NULL, kind TEXT NOT NULL, label TEXT NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, defines INTEGER NOT NULL);
CREATE INDEX mentions_by_passage ON mentions (passage_id);
CREATE INDEX mentions_by_entity ON mentions (entity);
CREATE TABLE claims (passage_id INTEGER NOT NULL, claim TEXT NOT NULL, subject TEXT NOT NULL, predicate TEXT NOT NULL,
    object TEXT NOT NULL, object_is_iri INTEGER NOT NULL, quote TEXT NOT NULL, start INTEGER NOT NULL,
    "end" INTEGER NOT NULL, extractor TEXT NOT NULL, confidence REAL NOT NULL);
CREATE INDEX claims_by_passage ON claims (passage_id);
CREATE TABLE aliases (entity TEXT NOT NULL, kind TEXT NOT NULL, label TEXT NOT NULL, alias TEXT NOT NULL,
    source_file TEXT NOT NULL);
CREATE INDEX aliases_by_file ON aliases (source_file);
CREATE VIRTUAL TABLE passages_fts USING fts5(search_text, content='passages', content_rowid='id',
    tokenize='porter unicode61');
"""


def vector_blob(vector: np.ndarray) -> bytes:
    return np.ascontiguousarray(vector, dtype="<f4").tobytes()


def blob_vector(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<f4")
