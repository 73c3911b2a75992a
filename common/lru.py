"""The one least-recently-used cache of the project: question vectors (search.engine), graph answers
(search.answers) and SPARQL results (service.result_cache) are all kept in one.

Thread-safe (a server answers from several threads) and bounded by a total weight: by default each
entry weighs one, so the bound is a number of entries; `weigh` makes it, say, a number of bytes.
(`functools.lru_cache` cannot be bounded by bytes nor emptied per generation, and cachetools is not a
dependency.)
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable, Generic, Hashable, TypeVar

Value = TypeVar("Value")


def _one(key, value) -> int:
    return 1


class LRUCache(Generic[Value]):
    def __init__(self, max_weight: int, weigh: Callable[[Hashable, Value], int] = _one,
                 max_entry_weight: int | None = None):
        """`max_entry_weight`: an entry heavier than this is not kept at all (one huge answer must not
        push out everything else)."""
        self.max_weight = max_weight
        self.max_entry_weight = max_weight if max_entry_weight is None else max_entry_weight
        self._weigh = weigh
        self._entries: OrderedDict[Hashable, tuple[Value, int]] = OrderedDict()   # key -> (value, weight)
        self._weight = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    @property
    def weight(self) -> int:
        """What the entries weigh together."""
        return self._weight

    def get(self, key: Hashable) -> Value | None:
        """The value kept under `key` (now the most recently used), or None."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry[0]

    def put(self, key: Hashable, value: Value) -> None:
        """Keep `value` under `key` (a key already kept keeps its value), the least recently used
        entries out until the whole fits."""
        weight = self._weigh(key, value)
        if weight > self.max_entry_weight:
            return
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = (value, weight)
            self._weight += weight
            while self._weight > self.max_weight and self._entries:
                _, (_, evicted) = self._entries.popitem(last=False)
                self._weight -= evicted

    def items(self) -> list[tuple[Hashable, Value]]:
        with self._lock:
            return [(key, value) for key, (value, _) in self._entries.items()]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._weight = 0

    def __len__(self) -> int:
        return len(self._entries)
