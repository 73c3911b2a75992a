"""The passage index search reads: its format, the writer ingest drives and the reader search uses.

A generation's index directory (kg.datadir.Generation.index_dir) holds `search.sqlite` (passages,
their units, the entities and claims in each, an FTS5 table for BM25, embedding vectors as
float32 blobs) and two faiss indexes over the passage and unit vectors. Nothing is pickled:
loading a data directory never executes code from it.
"""
from search.index.records import AliasRecord, ClaimRecord, MentionRecord, PassageRecord
from search.index.schema import (
           DATABASE,
           DENSE,
           DENSE_UNITS,
           INDEX_FORMAT,
           blob_vector,
           vector_blob,
)

__all__ = ["INDEX_FORMAT", "DATABASE", "DENSE", "DENSE_UNITS", "blob_vector", "vector_blob", "PassageRecord",
           "MentionRecord", "ClaimRecord", "AliasRecord"]
