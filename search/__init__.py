"""Semantic search over the graph's passages. `Searcher(generation).search(question)` is the API
(`Searcher.open(data_dir)` for the live generation of a data directory)."""
from search.engine import (
    DEFAULT_FUSION,
    MAX_K,
    MAX_QUERY_CHARS,
    Fusion,
    Searcher,
    SearchError,
    UnknownFilter,
)
from search.index.reader import IndexUnavailable

__all__ = ["Searcher", "SearchError", "IndexUnavailable", "Fusion", "DEFAULT_FUSION", "MAX_K", "MAX_QUERY_CHARS", "UnknownFilter"]
