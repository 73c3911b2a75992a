"""Semantic search over the graph's passages. `Searcher(generation).search(question)` is the API
(`Searcher.open(data_dir)` for the live generation of a data directory).

The names below are imported on first use (PEP 562): ingest imports `search.index` to write the
index, and a run with nothing to do must not pay for the search engine's imports."""
from importlib import import_module

_EXPORTS = {"DEFAULT_FUSION": "search.engine", "MAX_K": "search.request", "MAX_QUERY_CHARS": "search.request",
            "Fusion": "search.engine", "Searcher": "search.engine", "SearchError": "search.request",
            "UnknownFilter": "search.request", "IndexUnavailable": "search.index.reader"}

__all__ = ["Searcher", "SearchError", "IndexUnavailable", "Fusion", "DEFAULT_FUSION", "MAX_K", "MAX_QUERY_CHARS", "UnknownFilter"]


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'search' has no attribute {name!r}")
