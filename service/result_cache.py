"""Answers to repeated SPARQL queries, kept in memory.

The graph is read-only between ingests, so an answer stays right until a new generation is served:
the key holds the generation's name (and the cache is emptied when the server switches), the query
text, the result formats and the dataset parameters. Bounded by bytes, the key's as well as the
answer's (a client can send many distinct queries of 100,000 characters with tiny answers); least
recently used first out.
"""
from __future__ import annotations

import sys

from common.lru import LRUCache

ENTRY_OVERHEAD = 512    # bytes: the dictionary slot, the key tuple and the result object around the body


def key_bytes(key) -> int:
    """Memory held by a cache key: its strings (the query text above all) at their size in memory."""
    if isinstance(key, (tuple, list)):
        return sys.getsizeof(key) + sum(key_bytes(part) for part in key)
    if isinstance(key, (str, bytes)):
        return sys.getsizeof(key)
    return 32


def entry_bytes(key, result) -> int:
    return ENTRY_OVERHEAD + key_bytes(key) + len(result.body)


class ResultCache(LRUCache):
    """SPARQL results by key, bounded by bytes (`entry_bytes`); an entry may hold an eighth of them."""

    def __init__(self, max_bytes: int):
        super().__init__(max_bytes, weigh=entry_bytes, max_entry_weight=max_bytes // 8)

    @property
    def bytes(self) -> int:
        """What the entries hold, keys included."""
        return self.weight
