"""What the server reads: the live generation of the data directory, opened read-only.

The server never writes the graph. When ingest publishes a new generation, the next request
notices that `current` has moved and opens it: its store, its index and its documents, all from
that one generation. A request keeps the generation it started with (flask.g), so the pages,
the search and the SPARQL endpoint never mix two generations in one answer.

Views use the accessors at the bottom (`served()`, `store()`, `searcher()`, `query_pool()`,
`config()`) rather than reaching into `current_app.extensions`.
"""
from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from pathlib import Path

from flask import Flask, current_app, g

from kg.datadir import DataDir, DataDirError, Generation
from kg.store_protocol import ReadableStore
from service.errors import ApiError

log = logging.getLogger(__name__)
EXTENSION = "mbc"


class ServedGeneration:
    """A generation opened for serving: its store, its searcher (or why there is none), caches."""

    def __init__(self, generation: Generation, load_search: bool, remote=None):
        self.generation = generation
        self._lease = generation.lease()      # ingest will not delete it while we hold this
        if not generation.path.exists():      # deleted between finding it and leasing it
            self._lease.release()
            raise FileNotFoundError(generation.path)
        self.store: ReadableStore
        if remote is not None:                # the graph lives on a SPARQL server (kg.remote)
            from kg.remote import RemoteStore

            self.store = RemoteStore(remote, whole_deadline=True)   # ends by its time limit, headers and all
        else:
            self.store = generation.open_store(read_only=True)
        self.searcher, self.search_problem = None, None
        if load_search:
            from search import IndexUnavailable, Searcher

            try:
                self.searcher = Searcher(generation, store=self.store)
                self.searcher.embed("warm up")  # the model loads now, not on the first user's request
            except IndexUnavailable as error:
                self.search_problem = str(error)
        self._downloads: dict[str, bytes] = {}
        self._downloads_lock = threading.Lock()
        self.users = 0           # requests reading it now (counted by LiveData)
        self.retired = False     # a newer generation is served; close when the last user is done

    def close(self) -> None:
        """Let go of the generation's files and memory, and of the lease that keeps it on disk."""
        if self.searcher is not None:
            self.searcher.close()
        self.searcher = self.store = None
        self._downloads.clear()
        self._lease.release()
        log.info("closed generation %s", self.name)

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

    def document_original(self, source_file: str) -> bytes | None:
        return self.generation.document_original(source_file)

    @property
    def dump_path(self) -> Path:
        return self.generation.dump_path

    def cached_download(self, key: str, build) -> bytes:
        with self._downloads_lock:
            if key not in self._downloads:
                self._downloads[key] = build()
            return self._downloads[key]


class LiveData:
    """Thread-safe access to the live generation, reopened when ingest publishes a new one.

    Requests `acquire` the generation they read and `release` it when done; a generation that is no
    longer live is closed once its last request lets go, so old stores and indexes do not pile up
    in the server (and ingest can delete them from disk)."""

    def __init__(self, data_dir: Path, load_search: bool = True, check_interval: float = 1.0,
                 on_switch=None, remote=None):
        self.data_dir = DataDir(data_dir)
        self.remote = remote
        self.load_search = load_search
        self.check_interval = check_interval
        self.on_switch = on_switch        # called after a new generation is opened (recycle query workers)
        self._lock = threading.Lock()           # guards _served and users counts
        self._opening = threading.Lock()        # one request at a time opens a new generation
        self._served: ServedGeneration | None = None
        self._link: str | None = None
        self._checked = 0.0
        self._remote_state_cache: tuple | None = None

    def current(self) -> ServedGeneration:
        """The live generation. When ingest has published a newer one, the first request to notice opens
        it (outside the lock: the others keep reading the old one meanwhile) and swaps it in."""
        now = time.monotonic()
        if self._served is not None and now - self._checked < self.check_interval:
            return self._served
        if not self._opening.acquire(blocking=self._served is None):
            return self._served               # another request is opening the new one: keep the old
        try:
            self._checked = now
            link = self.data_dir.current_name()
            if self._served is not None and link == self._link:
                return self._served
            opened = self._open()             # may take seconds (store, index, model): no lock held
            with self._lock:
                previous, self._served, self._link = self._served, opened, link
                if previous is not None:
                    previous.retired = True
                    close_now = previous.users == 0
            log.info("serving generation %s", opened.name)
        finally:
            self._opening.release()
        if previous is not None:
            if close_now:
                previous.close()
            if self.on_switch is not None:
                self.on_switch()
        return opened

    def _open(self) -> ServedGeneration:
        for _ in range(3):      # ingest may delete a generation between our reading `current` and leasing it
            try:
                return ServedGeneration(self.data_dir.require_current(), self.load_search, self.remote)
            except FileNotFoundError:
                time.sleep(0.05)
        return ServedGeneration(self.data_dir.require_current(), self.load_search, self.remote)

    def cache_token(self, served: ServedGeneration) -> str | None:
        """What a cached SPARQL answer is keyed by: the generation served and, when the graph is on a
        SPARQL server, what ingest last gave that server; None while a copy to it is under way (or its
        state is unknown), when nothing read from it may be cached."""
        if self.remote is None:
            return served.name
        from kg.remote import server_entry

        entry = server_entry(self._remote_state(), self.remote)
        if entry is None or entry.get("syncing"):
            return None
        graphs = json.dumps(entry.get("graphs", {}), sort_keys=True)
        return f"{served.name}|{entry.get('generation')}|{hashlib.sha256(graphs.encode()).hexdigest()[:16]}"

    def _remote_state(self) -> dict:
        path = self.data_dir.remote_state_path
        try:
            stamp = path.stat()
            stamp = (stamp.st_mtime_ns, stamp.st_size)
        except OSError:
            return {}
        if self._remote_state_cache is None or self._remote_state_cache[0] != stamp:
            self._remote_state_cache = (stamp, self.data_dir.read_remote_state())
        return self._remote_state_cache[1]

    def acquire(self) -> ServedGeneration:
        """The live generation, counted as in use until `release`. Taken under the lock that retires
        generations, so a request never holds one that is being (or has been) closed."""
        self.current()
        with self._lock:
            served = self._served
            served.users += 1
        return served

    def release(self, served: ServedGeneration) -> None:
        with self._lock:
            served.users -= 1
            done = served.retired and served.users == 0
        if done:
            served.close()


def install(app: Flask, live: LiveData, pool, cache) -> None:
    app.extensions[EXTENSION] = {"live": live, "pool": pool, "cache": cache}


def live_data(app: Flask | None = None) -> LiveData:
    return (app or current_app).extensions[EXTENSION]["live"]


# ---------------------------------------------------------------- accessors for views

def config():
    return current_app.config["MBC"]


def served() -> ServedGeneration:
    """The generation this request reads (chosen once per request, released at its end)."""
    if "mbc_served" not in g:
        g.mbc_served = live_data().acquire()
    return g.mbc_served


def release_request_generation(_error=None) -> None:
    served_generation = g.pop("mbc_served", None)
    if served_generation is not None:
        live_data().release(served_generation)


def store() -> ReadableStore:
    return served().store


def searcher():
    generation = served()
    if generation.searcher is None:
        raise ApiError(503, "search is not available", generation.search_problem or "no search index")
    return generation.searcher


def query_pool(app: Flask | None = None):
    return (app or current_app).extensions[EXTENSION]["pool"]


def result_cache(app: Flask | None = None):
    return (app or current_app).extensions[EXTENSION]["cache"]


__all__ = ["ServedGeneration", "LiveData", "DataDirError", "install", "live_data", "config", "served", "store",
           "searcher", "query_pool"]
