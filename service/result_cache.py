"""Answers to repeated SPARQL queries, kept in memory.

The graph is read-only between ingests, so an answer stays right until a new generation is served:
the key holds the generation's name (and the cache is emptied when the server switches), the query
text, the result formats and the dataset parameters. Bounded by bytes, the key's as well as the
answer's (a client can send many distinct queries of 100,000 characters with tiny answers); least
recently used first out.
"""
from __future__ import annotations

import sys
import threading
from collections import OrderedDict

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


class ResultCache:
    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.max_entry_bytes = max_bytes // 8      # one huge answer must not push out everything else
        self._entries: OrderedDict[tuple, tuple[object, int]] = OrderedDict()   # key -> (result, bytes)
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    @property
    def bytes(self) -> int:
        """What the entries hold, keys included."""
        return self._bytes

    def get(self, key: tuple):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry[0]

    def put(self, key: tuple, result) -> None:
        size = entry_bytes(key, result)
        if size > self.max_entry_bytes:
            return
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = (result, size)
            self._bytes += size
            while self._bytes > self.max_bytes and self._entries:
                _, (_, evicted) = self._entries.popitem(last=False)
                self._bytes -= evicted

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)
