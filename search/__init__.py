"""Semantic search over the graph's passages. `Searcher(data_dir).search(question)` is the API."""
from search.engine import (DEFAULT_FUSION, MAX_K, MAX_QUERY_CHARS, Fusion, IndexUnavailable, SearchError, Searcher,
                           UnknownFilter)

__all__ = ["Searcher", "SearchError", "IndexUnavailable", "Fusion", "DEFAULT_FUSION", "MAX_K", "MAX_QUERY_CHARS", "UnknownFilter"]
