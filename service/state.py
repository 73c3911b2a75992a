"""What the server reads: the live generation of the data directory, opened read-only.

The server never writes the graph. When ingest swaps in a new generation, the next request
notices the `current` link has moved and reopens the store and the index.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from kg.store import DOCUMENTS_DIR, DUMP_FILE, DataDirError, GraphStore, current_generation, read_manifest

log = logging.getLogger(__name__)


@dataclass
class Generation:
    path: Path
    store: GraphStore
    manifest: dict
    searcher: object | None
    search_problem: str | None
    _downloads: dict = field(default_factory=dict)

    @property
    def documents(self) -> dict[str, dict]:
        return self.manifest.get("documents", {})

    def document_text(self, source_file: str) -> str | None:
        """The ingested text of a document, only for names the manifest lists (never a raw path)."""
        if source_file not in self.documents:
            return None
        path = self.path / DOCUMENTS_DIR / source_file
        if path.parent != self.path / DOCUMENTS_DIR or not path.is_file():
            return None
        return path.read_text(encoding="utf-8")

    @property
    def dump_path(self) -> Path:
        return self.path / DUMP_FILE

    def cached_download(self, key: str, build) -> bytes:
        if key not in self._downloads:
            self._downloads[key] = build()
        return self._downloads[key]


class DataState:
    """Thread-safe access to the current generation, reopened when ingest publishes a new one."""

    def __init__(self, data_dir: Path, load_search: bool = True, check_interval: float = 1.0):
        self.data_dir = Path(data_dir)
        self.load_search = load_search
        self.check_interval = check_interval
        self._lock = threading.Lock()
        self._generation: Generation | None = None
        self._link: str | None = None
        self._checked = 0.0

    def _link_target(self) -> str | None:
        try:
            return os.readlink(self.data_dir / "current")
        except OSError:
            return None

    def _open(self) -> Generation:
        path = current_generation(self.data_dir)
        if path is None:
            raise DataDirError(f"{self.data_dir} holds no ingested data; run `make ingest` "
                               f"(python -m ingest --data {self.data_dir})")
        store = GraphStore(path / "store", read_only=True)
        searcher, problem = None, None
        if self.load_search:
            from search import IndexUnavailable, Searcher

            try:
                searcher = Searcher(self.data_dir)
                searcher.embed("warm up")  # the model loads now, not on the first user's request
            except IndexUnavailable as error:
                problem = str(error)
        log.info("serving generation %s", path.name)
        return Generation(path, store, read_manifest(path), searcher, problem)

    def current(self) -> Generation:
        now = time.monotonic()
        if self._generation is not None and now - self._checked < self.check_interval:
            return self._generation
        with self._lock:
            self._checked = now
            link = self._link_target()
            if self._generation is None or link != self._link:
                self._generation = self._open()
                self._link = link
            return self._generation
