"""What the server reads: the live generation of the data directory, opened read-only.

The server never writes the graph. When ingest publishes a new generation, the next request
notices that `current` has moved and opens it: its store, its index and its documents, all from
that one generation. A request keeps the generation it started with (flask.g), so the pages,
the search and the SPARQL endpoint never mix two generations in one answer.

Views use the accessors at the bottom (`served()`, `store()`, `searcher()`, `query_pool()`,
`config()`) rather than reaching into `current_app.extensions`.
"""
from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from flask import Flask, current_app, g

from kg.datadir import DataDir, DataDirError, Generation
from service.errors import ApiError

log = logging.getLogger(__name__)
EXTENSION = "mbc"


class ServedGeneration:
    """A generation opened for serving: its store, its searcher (or why there is none), caches."""

    def __init__(self, generation: Generation, load_search: bool):
        self.generation = generation
        self.store = generation.open_store(read_only=True)
        self.searcher, self.search_problem = None, None
        if load_search:
            from search import IndexUnavailable, Searcher

            try:
                self.searcher = Searcher(generation)
                self.searcher.embed("warm up")  # the model loads now, not on the first user's request
            except IndexUnavailable as error:
                self.search_problem = str(error)
        self._downloads: dict[str, bytes] = {}
        self._downloads_lock = threading.Lock()

    @property
    def name(self) -> str:
        return self.generation.name

    @property
    def manifest(self) -> dict:
        return self.generation.manifest

    @property
    def documents(self) -> dict[str, dict]:
        return self.generation.documents

    def document_text(self, source_file: str) -> str | None:
        return self.generation.document_text(source_file)

    @property
    def dump_path(self) -> Path:
        return self.generation.dump_path

    def cached_download(self, key: str, build) -> bytes:
        with self._downloads_lock:
            if key not in self._downloads:
                self._downloads[key] = build()
            return self._downloads[key]


class LiveData:
    """Thread-safe access to the live generation, reopened when ingest publishes a new one."""

    def __init__(self, data_dir: Path, load_search: bool = True, check_interval: float = 1.0):
        self.data_dir = DataDir(data_dir)
        self.load_search = load_search
        self.check_interval = check_interval
        self._lock = threading.Lock()
        self._served: ServedGeneration | None = None
        self._link: str | None = None
        self._checked = 0.0

    def current(self) -> ServedGeneration:
        now = time.monotonic()
        if self._served is not None and now - self._checked < self.check_interval:
            return self._served
        with self._lock:
            self._checked = now
            link = self.data_dir.current_name()
            if self._served is None or link != self._link:
                generation = self.data_dir.require_current()
                self._served = ServedGeneration(generation, self.load_search)
                self._link = link
                log.info("serving generation %s", generation.name)
            return self._served


def install(app: Flask, live: LiveData, pool) -> None:
    app.extensions[EXTENSION] = {"live": live, "pool": pool}


def live_data(app: Flask | None = None) -> LiveData:
    return (app or current_app).extensions[EXTENSION]["live"]


# ---------------------------------------------------------------- accessors for views

def config():
    return current_app.config["MBC"]


def served() -> ServedGeneration:
    """The generation this request reads (chosen once per request)."""
    if "mbc_served" not in g:
        g.mbc_served = live_data().current()
    return g.mbc_served


def store():
    return served().store


def searcher():
    generation = served()
    if generation.searcher is None:
        raise ApiError(503, "search is not available", generation.search_problem or "no search index")
    return generation.searcher


def query_pool(app: Flask | None = None):
    return (app or current_app).extensions[EXTENSION]["pool"]


__all__ = ["ServedGeneration", "LiveData", "DataDirError", "install", "live_data", "config", "served", "store",
           "searcher", "query_pool"]
