"""The search index, built by ingest for each generation of the data directory.

index/search.sqlite holds the passages (the graph's mbc:Passage nodes, same offsets), their
sentences, the entities and claims in each, an FTS5 table for BM25 and the embedding vectors
as float32 blobs; index/dense.faiss is the faiss index over the passage vectors. Nothing is
pickled: loading a data directory never executes code from it.

Incremental: the previous generation's database is copied and only the rows of changed,
added and removed documents change; vectors of unchanged text come from a content-addressed
cache (data/cache/embeddings.sqlite), so only new text is embedded.
"""
from __future__ import annotations

import hashlib
import shutil
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from ingest.segments import PassageLocator
from ingest.tables import read_cell_row, read_columns, read_packed_row
from kg.namespaces import MBC, document_iri, entity_iri, passage_iri
from kg.store import INDEX_DIR

INDEX_FORMAT = 3
DATABASE = "search.sqlite"
DENSE = "dense.faiss"
DENSE_UNITS = "units.faiss"
SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE passages (
    id INTEGER PRIMARY KEY, iri TEXT UNIQUE NOT NULL, document TEXT NOT NULL, source_file TEXT NOT NULL,
    title TEXT NOT NULL, section TEXT NOT NULL, kind TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    text TEXT NOT NULL, search_text TEXT NOT NULL, vector BLOB NOT NULL);
CREATE INDEX passages_by_file ON passages (source_file);
CREATE TABLE units (passage_id INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, vector BLOB NOT NULL);
CREATE INDEX units_by_passage ON units (passage_id);
CREATE TABLE mentions (passage_id INTEGER NOT NULL, entity TEXT NOT NULL, kind TEXT NOT NULL, label TEXT NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, defines INTEGER NOT NULL);
CREATE INDEX mentions_by_passage ON mentions (passage_id);
CREATE INDEX mentions_by_entity ON mentions (entity);
CREATE TABLE claims (passage_id INTEGER NOT NULL, claim TEXT NOT NULL, subject TEXT NOT NULL, predicate TEXT NOT NULL,
    object TEXT NOT NULL, object_is_iri INTEGER NOT NULL, quote TEXT NOT NULL, start INTEGER NOT NULL,
    "end" INTEGER NOT NULL, extractor TEXT NOT NULL, confidence REAL NOT NULL);
CREATE INDEX claims_by_passage ON claims (passage_id);
CREATE TABLE aliases (entity TEXT NOT NULL, kind TEXT NOT NULL, label TEXT NOT NULL, alias TEXT NOT NULL,
    source_file TEXT NOT NULL);
CREATE INDEX aliases_by_file ON aliases (source_file);
CREATE VIRTUAL TABLE passages_fts USING fts5(search_text, content='passages', content_rowid='id',
    tokenize='porter unicode61');
"""


def vector_blob(vector: np.ndarray) -> bytes:
    return np.ascontiguousarray(vector, dtype="<f4").tobytes()


def blob_vector(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<f4")


class EmbeddingCache:
    """Vectors by (model, text) so that unchanged text is never embedded twice."""

    def __init__(self, path: Path, model: str):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.model = model
        self.connection = sqlite3.connect(path)
        self.connection.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")

    def _key(self, text: str) -> str:
        return hashlib.sha256(f"{self.model}\n{text}".encode()).hexdigest()

    def vectors(self, texts: list[str], progress: bool) -> list[np.ndarray]:
        from ingest.embedding import encode

        keys = [self._key(t) for t in texts]
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for key, blob in self.connection.execute(f"SELECT key, vector FROM vectors WHERE key IN ({marks})", chunk):
                found[key] = blob_vector(blob)
        missing = sorted({k: t for k, t in zip(keys, texts) if k not in found}.items())
        batch = 256
        batches = range(0, len(missing), batch)
        if progress and missing:
            from tqdm import tqdm

            batches = tqdm(batches, desc="passages", unit="batch", file=sys.stderr, leave=False,
                           total=(len(missing) + batch - 1) // batch)
        for start in batches:
            chunk = missing[start:start + batch]
            vectors = encode([text for _, text in chunk])
            rows = [(key, vector_blob(vector)) for (key, _), vector in zip(chunk, vectors)]
            self.connection.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)", rows)
            found.update({key: vector for (key, _), vector in zip(chunk, vectors)})
        self.connection.commit()
        return [found[k] for k in keys]

    def close(self) -> None:
        self.connection.close()


# ---------------------------------------------------------------- rows from one document

@dataclass
class PassageRow:
    iri: str
    kind: str
    section: str
    start: int
    end: int
    text: str
    search_text: str
    units: list[tuple[int, int, str]]      # (start, end, normalized text)


def _normalized(analysis, start: int, end: int) -> str:
    normalized = analysis.normalized
    return normalized.text[normalized.to_normalized(start):normalized.to_normalized(end, "end")]


def _rendered_rows(analysis) -> dict[int, str]:
    """Table rows as 'Column: value; ...' text, by row start offset, so that both BM25 and the
    embedding see 'Median: $20.54' instead of '$12.45$20.54$31.39'."""
    rendered: dict[int, str] = {}
    for block in analysis.layout.blocks:
        if block.kind != "table":
            continue
        header = next((line for line in block.lines if line.kind == "table_header"), None)
        if header is None:
            continue
        header_cells = [analysis.text[s:e] for s, e in header.cells] if header.cells else None
        columns = read_columns(analysis.text[header.start:header.end], header_cells)
        for line in block.lines:
            if line.kind != "table_row":
                continue
            row = (read_cell_row(analysis.text, line.cells) if line.cells
                   else read_packed_row(analysis.text[line.start:line.end], line.start, columns))
            if row is None:
                continue
            rendered[line.start] = "; ".join(f"{c.header}: {v}" for c, v in zip(columns, row.cells) if v)
    return rendered


def _context(analysis, passage) -> str:
    """What a passage is indexed with besides its own text: its section heading (unless the passage
    starts with it) and, for a table row, the sentence that introduces the table. The document
    title is left out: it is the same for every passage of a document, and measured on the
    development questions it drowned the passages that answer in those that merely share a title."""
    text = analysis.text[passage.start:passage.end]
    heading = passage.section if passage.section and not text.startswith(passage.section) else ""
    return "\n".join(part for part in (heading, passage.lead_in) if part)


def passage_rows(source_file: str, analysis) -> list[PassageRow]:
    rendered = _rendered_rows(analysis)
    rows = []
    for passage in analysis.passages:
        body = rendered.get(passage.start) if passage.kind == "table-row" else None
        body = body or _normalized(analysis, passage.start, passage.end)
        search_text = "\n".join(part for part in (_context(analysis, passage), body) if part)
        units = [(u.start, u.end, rendered.get(u.start) or _normalized(analysis, u.start, u.end)) for u in passage.units]
        rows.append(PassageRow(str(passage_iri(source_file, passage.start, passage.end)), passage.kind,
                               passage.section, passage.start, passage.end, analysis.text[passage.start:passage.end],
                               search_text, units))
    return rows


def _claims_by_passage(graph) -> dict[str, list[tuple]]:
    from rdflib.namespace import PROV

    claims: dict[str, list[tuple]] = {}
    for claim in graph.subjects(RDF.type, MBC.Claim):
        fields = {p: o for p, o in graph.predicate_objects(claim)}
        obj = fields[RDF.object]
        claims.setdefault(str(fields[PROV.wasDerivedFrom]), []).append((
            str(claim), str(fields[RDF.subject]), str(fields[RDF.predicate]), str(obj), int(isinstance(obj, URIRef)),
            str(fields[MBC.quote]), int(fields[MBC.start]), int(fields[MBC.end]), str(fields[MBC.extractor]),
            float(fields[MBC.confidence])))
    return claims


def _labels(graph) -> dict[str, str]:
    return {str(s): str(o) for s, o in graph.subject_objects(RDFS.label)}


def _aliases(mention) -> set[str]:
    names = {mention.name, mention.canonical_name, mention.acronym}
    if mention.kind == "Region" and mention.place is not None:
        # "Stockton, CA MSA" is also found by "Stockton", "San Jose-Sunnyvale-Santa Clara" by "Sunnyvale"
        core = mention.place.name.split(",")[0].removesuffix(" area").removesuffix(" Region (BOS)").strip()
        names.add(core)
        if mention.place.region_class == "MetropolitanArea":
            names.update(part.strip() for part in core.split("-") if part.strip())
    return {n.strip() for n in names if n and len(n.strip()) >= 2}


# ---------------------------------------------------------------- the step

class IndexStep:
    """Builds index/ in a new generation (see ingest.pipeline.run_ingest's `steps`)."""

    def __init__(self, cache_dir: Path | None = None):
        self.cache_dir = cache_dir
        self._entries: dict = {}

    def fingerprint(self) -> str:
        from ingest.embedding import model_id

        return f"index={INDEX_FORMAT};model={model_id()}"

    def manifest_entries(self) -> dict:
        return {"index": self._entries}

    def build(self, generation: Path, previous_generation: Path | None, plan, extracted: dict, documents: dict,
              progress: bool) -> None:
        from ingest.embedding import dimension, model_id

        index_dir = generation / INDEX_DIR
        index_dir.mkdir()
        database = index_dir / DATABASE
        previous_database = previous_generation / INDEX_DIR / DATABASE if previous_generation else None
        if previous_database is not None and previous_database.exists():
            shutil.copy2(previous_database, database)
            connection = sqlite3.connect(database)
        else:
            connection = sqlite3.connect(database)
            connection.executescript(SCHEMA)
        cache = EmbeddingCache((self.cache_dir or generation.parent.parent / "cache") / "embeddings.sqlite", model_id())
        try:
            for name in plan.removed + sorted(extracted):
                self._delete_document(connection, name)
            rows = {name: passage_rows(name, extracted[name].analysis) for name in sorted(extracted)}
            texts = [r.search_text for name in rows for r in rows[name]]
            unit_texts = [u[2] for name in rows for r in rows[name] for u in r.units]
            vectors = iter(cache.vectors(texts + unit_texts, progress))
            passage_vectors = [next(vectors) for _ in texts]
            unit_vectors = list(vectors)
            self._insert(connection, rows, extracted, documents, passage_vectors, unit_vectors)
            connection.execute("INSERT INTO passages_fts(passages_fts) VALUES ('rebuild')")
            meta = {"format": str(INDEX_FORMAT), "model": model_id(), "dimension": str(dimension()),
                    "fingerprint": plan.fingerprint}
            connection.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", meta.items())
            connection.commit()
            count = self._write_faiss(connection, "SELECT id, vector FROM passages ORDER BY id", index_dir / DENSE,
                                      int(meta["dimension"]))
            self._write_faiss(connection, "SELECT rowid, vector FROM units ORDER BY rowid", index_dir / DENSE_UNITS,
                              int(meta["dimension"]))
            connection.execute("VACUUM")
            self._entries = {"passages": count, "model": meta["model"], "dimension": int(meta["dimension"]),
                             "format": INDEX_FORMAT}
        finally:
            connection.close()
            cache.close()

    @staticmethod
    def _delete_document(connection: sqlite3.Connection, name: str) -> None:
        ids = [row[0] for row in connection.execute("SELECT id FROM passages WHERE source_file = ?", (name,))]
        for table in ("units", "mentions", "claims"):
            connection.executemany(f"DELETE FROM {table} WHERE passage_id = ?", [(i,) for i in ids])
        connection.execute("DELETE FROM passages WHERE source_file = ?", (name,))
        connection.execute("DELETE FROM aliases WHERE source_file = ?", (name,))

    def _insert(self, connection, rows, extracted, documents, passage_vectors, unit_vectors) -> None:
        passage_vectors, unit_vectors = iter(passage_vectors), iter(unit_vectors)
        for name, passage_list in rows.items():
            analysis, graph = extracted[name].analysis, extracted[name].graph
            claims = _claims_by_passage(graph)
            labels = _labels(graph)
            title = documents[name]["title"]
            by_iri: dict[str, int] = {}
            for row in passage_list:
                cursor = connection.execute(
                    'INSERT INTO passages (iri, document, source_file, title, section, kind, start, "end", text, '
                    "search_text, vector) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (row.iri, str(document_iri(name)), name, title, row.section, row.kind, row.start, row.end,
                     row.text, row.search_text, vector_blob(next(passage_vectors))))
                passage_id = cursor.lastrowid
                by_iri[row.iri] = passage_id
                connection.executemany('INSERT INTO units VALUES (?, ?, ?, ?)',
                                       [(passage_id, s, e, vector_blob(next(unit_vectors))) for s, e, _ in row.units])
                connection.executemany("INSERT INTO claims VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                       [(passage_id, *claim) for claim in claims.get(row.iri, [])])
            locator = PassageLocator(analysis.passages)
            aliases = set()
            for mention in analysis.mentions:
                passage = locator.find(mention.start, mention.end)
                if passage is None:
                    continue
                passage_id = by_iri[str(passage_iri(name, passage.start, passage.end))]
                entity = str(entity_iri(mention.kind, mention.key))
                label = labels.get(entity, mention.canonical_name or mention.name)
                defines = int(bool(mention.acronym) and mention.name != mention.acronym)  # "Name (ACR)"
                connection.execute("INSERT INTO mentions VALUES (?, ?, ?, ?, ?, ?, ?)",
                                   (passage_id, entity, mention.kind, label, mention.start, mention.end, defines))
                aliases |= {(entity, mention.kind, label, alias) for alias in _aliases(mention)}
            connection.executemany("INSERT INTO aliases VALUES (?, ?, ?, ?, ?)", [(*a, name) for a in sorted(aliases)])

    @staticmethod
    def _write_faiss(connection, query: str, path: Path, dimension: int) -> int:
        import faiss

        ids, blobs = [], []
        for row_id, blob in connection.execute(query):
            ids.append(row_id)
            blobs.append(blob)
        matrix = (np.frombuffer(b"".join(blobs), dtype="<f4").reshape(len(ids), dimension)
                  if ids else np.zeros((0, dimension), dtype=np.float32))
        index = faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))
        if ids:
            index.add_with_ids(np.ascontiguousarray(matrix, dtype=np.float32), np.asarray(ids, dtype=np.int64))
        faiss.write_index(index, str(path))
        return len(ids)


__all__ = ["IndexStep", "DATABASE", "DENSE", "INDEX_FORMAT", "blob_vector", "Literal"]
