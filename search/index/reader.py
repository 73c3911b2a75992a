"""Reading a generation's passage index into memory (once per process and generation)."""
from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import numpy as np

from search.index import dense
from search.index.schema import DATABASE, DENSE, DENSE_UNITS, INDEX_FORMAT


class IndexUnavailable(RuntimeError):
    """No usable index: missing, from another model or format. The message says what to run."""


class IndexReader:
    """The passages, their entities and claims, and the dense indexes of one generation."""

    def __init__(self, generation):
        self.generation = generation
        index_dir = generation.index_dir
        if not (index_dir / DATABASE).exists() or not (index_dir / DENSE).exists():
            raise IndexUnavailable(f"no search index in {index_dir}; it was ingested with --no-index. "
                                   f"Run `mbc-kg ingest` (or `make ingest`) to build it")
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []     # every thread's, so close() can close them all
        self._connections_lock = threading.Lock()
        self._database_path = index_dir / DATABASE
        self._check_meta()
        self._load_passages()
        self._load_dense(index_dir / DENSE, index_dir / DENSE_UNITS)
        self._load_aliases()

    @property
    def db(self) -> sqlite3.Connection:
        """One read-only connection per thread (sqlite connections are not shared across threads)."""
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(f"file:{self._database_path}?mode=ro", uri=True, check_same_thread=False)
            # How many passages each indexed term occurs in (FTS5's own vocabulary, read live), and a
            # scratch FTS5 table with the same tokenizer that turns a question's words into indexed terms.
            connection.execute("CREATE VIRTUAL TABLE temp.passage_terms USING fts5vocab(main, passages_fts, 'row')")
            connection.execute("CREATE VIRTUAL TABLE temp.question USING fts5(text, tokenize='porter unicode61')")
            connection.execute("CREATE VIRTUAL TABLE temp.question_terms USING fts5vocab(temp, question, 'instance')")
            self._local.connection = connection
            with self._connections_lock:
                self._connections.append(connection)
        return connection

    def close(self) -> None:
        """Close every thread's database connection and drop the dense indexes."""
        with self._connections_lock:
            connections, self._connections = self._connections, []
        for connection in connections:
            connection.close()
        self._local = threading.local()
        self.dense = self.unit_dense = None

    def _check_meta(self) -> None:
        from common.embedding import model_id

        meta = dict(self.db.execute("SELECT key, value FROM meta"))
        if meta.get("format") != str(INDEX_FORMAT):
            raise IndexUnavailable(f"the index in {self.generation.path} has format {meta.get('format')}, this code reads "
                                   f"format {INDEX_FORMAT}; re-run `make ingest` to rebuild it")
        if meta.get("model") != model_id():
            raise IndexUnavailable(f"the index was built with the model {meta.get('model')}, but this installation has "
                                   f"{model_id()}; re-run `make ingest` to rebuild it")
        self.meta = meta

    def _load_passages(self) -> None:
        self.passages: dict[int, dict] = {}
        self.cells: dict[int, list[list[str]]] = {}     # table rows: [[column, cell], ...]
        rows = self.db.execute('SELECT id, iri, document, source_file, title, section, kind, start, "end", text, '
                               "cells FROM passages")
        for pid, iri, document, source_file, title, section, kind, start, end, text, cells in rows:
            self.passages[pid] = {"passage": iri, "document": document, "source_file": source_file, "title": title,
                                  "section": section, "kind": kind, "start": start, "end": end, "text": text}
            if cells:
                self.cells[pid] = json.loads(cells)
        self.by_file: dict[str, set[int]] = {}
        self.by_document: dict[str, set[int]] = {}
        for pid, row in self.passages.items():
            self.by_file.setdefault(row["source_file"], set()).add(pid)
            self.by_document.setdefault(row["document"], set()).add(pid)
        self.by_entity: dict[str, set[int]] = {}
        self.by_kind: dict[str, set[int]] = {}
        self.defined_in: dict[str, set[int]] = {}     # passages that spell an entity out: "Name (ACR)"
        self.documents_about = self._document_regions()
        self.predicates: dict[int, set[str]] = {}
        for pid, predicate in self.db.execute("SELECT DISTINCT passage_id, predicate FROM claims"):
            self.predicates.setdefault(pid, set()).add(predicate)
        # Everything a hit shows is read here once, so that answering builds no rows from SQLite.
        self.mentions: dict[int, list[tuple[int, int, str, str, str]]] = {}   # (start, end, entity, kind, label)
        for pid, entity, kind, label, start, end, defines in self.db.execute(
                'SELECT passage_id, entity, kind, label, start, "end", defines FROM mentions ORDER BY passage_id, start'):
            self.by_entity.setdefault(entity, set()).add(pid)
            self.by_kind.setdefault(kind, set()).add(pid)
            self.mentions.setdefault(pid, []).append((start, end, entity, kind, label))
            if defines:
                self.defined_in.setdefault(entity, set()).add(pid)
        self.claims: dict[int, list[tuple]] = {}
        self.claim_passage: dict[str, int] = {}
        for row in self.db.execute('SELECT passage_id, claim, subject, predicate, object, object_is_iri, start, "end", '
                                   "extractor, confidence FROM claims ORDER BY passage_id, start, claim"):
            self.claims.setdefault(row[0], []).append(row[1:])
            self.claim_passage[row[1]] = row[0]

    def _document_regions(self) -> dict[str, set[str]]:
        """Region -> documents about it: the region named in a quarter or more of a document's passages."""
        rows = self.db.execute(
            "SELECT p.source_file, m.entity, COUNT(DISTINCT m.passage_id) FROM mentions m "
            "JOIN passages p ON p.id = m.passage_id WHERE m.kind = 'Region' GROUP BY p.source_file, m.entity")
        about: dict[str, set[str]] = {}
        for source_file, entity, count in rows:
            if count >= 0.25 * len(self.by_file[source_file]):
                about.setdefault(entity, set()).add(source_file)
        return about

    def _load_dense(self, path: Path, units_path: Path) -> None:
        import faiss

        if not units_path.exists():
            raise IndexUnavailable(f"{units_path} is missing; re-run `make ingest` to rebuild the index")
        self.dense = dense.prepare(_read_index(path))
        self.unit_dense = dense.prepare(_read_index(units_path))
        for index, where in ((self.dense, path), (self.unit_dense, units_path)):
            if index.d != int(self.meta["dimension"]):
                raise IndexUnavailable(f"{where} has dimension {index.d}, the index says {self.meta['dimension']}; "
                                       "re-run `make ingest`")
        self.unit_passage = np.zeros(0, dtype=np.int64)
        self.units: dict[int, list[tuple[int, int, int, str]]] = {}     # passage -> (unit id, start, end, kind)
        rows = list(self.db.execute('SELECT rowid, passage_id, start, "end", kind FROM units ORDER BY passage_id, start'))
        if rows:
            size = max(r[0] for r in rows) + 1
            self.unit_passage = np.full(size, -1, dtype=np.int64)
            for rowid, passage_id, start, end, kind in rows:
                self.unit_passage[rowid] = passage_id
                self.units.setdefault(passage_id, []).append((rowid, start, end, kind))

    def _load_aliases(self) -> None:
        """Names of the graph's entities (labels, acronyms, place names), for recognising them in
        questions, and every word of the passages, for telling a misspelling from a real word."""
        from search.question import Names, words

        self.names = Names()
        self.entity_labels: dict[str, tuple[str, str]] = {}
        for entity, kind, label, alias in self.db.execute("SELECT DISTINCT entity, kind, label, alias FROM aliases"):
            self.entity_labels[entity] = (label, kind)
            self.names.add(entity, kind, label, alias)
        known: set[str] = set()
        for row in self.passages.values():
            known.update(words(row["text"]))
        for key in self.names.by_key:
            known.update(key.split())
        self.names.corpus_words = self.names.known_words = frozenset(known)



def _read_index(path: Path):
    """The faiss index memory-mapped where faiss and the OS allow it: the vectors stay in the page cache,
    one copy shared by every server process that reads this generation (and nothing to copy at start)."""
    import faiss

    flags = getattr(faiss, "IO_FLAG_MMAP_IFC", 0) | getattr(faiss, "IO_FLAG_READ_ONLY", 0)
    if flags:
        try:
            return faiss.read_index(str(path), flags)
        except RuntimeError:      # a faiss or a file system that cannot map it: read it into memory
            pass
    return faiss.read_index(str(path))
