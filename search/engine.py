"""Semantic search over passages: dense (MiniLM + faiss), lexical (SQLite FTS5 BM25) and graph
signals (entities named in the question lift the passages that mention them), fused.

Ingest writes each generation's index (search.index.writer); a Searcher reads one generation's
(search.index.reader) and answers from it alone.
"""
from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from common.normalize import normalize
from kg.datadir import DataDir, DataDirError, Generation
from search.index import dense
from search.index.reader import IndexReader, IndexUnavailable
from search.index.schema import blob_vector

MAX_QUERY_CHARS = 500
MAX_K = 50
CANDIDATES = 100
COMMON_TERM_SHARE = 0.25   # words in more passages than this share are left out of the BM25 query ...
PRUNE_FROM_PASSAGES = 20_000  # ... once the index is this large (below it they cost little and help ranking)
ENTITY_KINDS = ("Certification", "Organization", "Region", "Role", "CodeSet", "Regulation", "EducationProgram")


class SearchError(ValueError):
    """The request is not a valid search (empty or over-long query, k out of range, bad filter)."""


class UnknownFilter(SearchError):
    """A filter names something the index does not hold (a document that was never ingested)."""


@dataclass(frozen=True)
class Fusion:
    """How the three rankings combine. 'weighted' adds normalized scores; 'rrf' adds 1/(60+rank)."""
    method: str = "weighted"
    dense: float = 1.0
    lexical: float = 0.15
    entity: float = 0.3
    intent: float = 0.1        # passages whose claims answer the kind of question asked ("who awards ...")
    rrf_k: int = 60
    lexical_norm: str = "saturate"  # "saturate": BM25 / (BM25 + mean BM25); "top": BM25 / best BM25
    sentence: float = 0.5      # dense score = (1 - sentence) * passage cosine + sentence * best sentence cosine


DEFAULT_FUSION = Fusion()


MBC_NS = "https://w3id.org/mbc-kg/ontology#"
# What a question asks for, and the graph properties whose claims answer it.
INTENTS = [
    (re.compile(r"\b(?:pay|paid|pays|salar(?:y|ies)|wages?|earn\w*|income|make|makes|how much)\b", re.I),
     {"median", "mean", "low", "high", "percentile10", "percentile25", "percentile75", "percentile90"}),
    (re.compile(r"\b(?:awards?|issues?|offers?|grants?|administers?|certif(?:y|ies)|runs?|behind|gives?)\b", re.I),
     {"issuedBy"}),
    (re.compile(r"\b(?:grow\w*|outlook|demand|future|projected|projections?|openings?|open up|increase\w*)\b", re.I),
     {"percentChange", "annualOpenings"}),
    (re.compile(r"\b(?:how many (?:people|workers|jobs)|employed|employment)\b", re.I), {"employment"}),
    (re.compile(r"\b(?:how long|duration|months|take to (?:finish|complete))\b", re.I), {"minMonths", "maxMonths"}),
    (re.compile(r"\baccredit\w*|\bapprov\w*", re.I), {"accreditedBy"}),
]


def question_intents(query: str) -> set[str]:
    wanted: set[str] = set()
    for pattern, predicates in INTENTS:
        if pattern.search(query):
            wanted |= {MBC_NS + p for p in predicates}
    return wanted


@dataclass
class Candidate:
    passage_id: int
    dense: float = 0.0
    lexical: float = 0.0
    entity: float = 0.0
    dense_rank: int | None = None
    lexical_rank: int | None = None
    entity_rank: int | None = None
    intent: float = 0.0
    score: float = 0.0


def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9'\-]*")


class Searcher:
    """Loaded once per process (the model, the faiss index and the passage table stay in memory)."""

    def __init__(self, generation: Generation, fusion: Fusion = DEFAULT_FUSION, query_cache: int = 1024):
        self.generation = generation
        self.index = IndexReader(generation)
        self.fusion = fusion
        self._stop = _stop_words()
        self._query_vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._query_cache_size = query_cache
        self._cache_lock = threading.Lock()

    def close(self) -> None:
        self.index.close()

    @classmethod
    def open(cls, data_dir: Path | str, **options) -> "Searcher":
        """A searcher over the live generation of a data directory (for the CLI and scripts)."""
        try:
            generation = DataDir(data_dir).require_current()
        except DataDirError as error:
            raise IndexUnavailable(str(error)) from None
        return cls(generation, **options)

    # ------------------------------------------------------------ query analysis
    def validate(self, query: str, k: int) -> str:
        if not isinstance(query, str) or not query.strip():
            raise SearchError("the query is empty; type a question, e.g. 'who awards the CCS credential?'")
        query = " ".join(query.split())
        if len(query) > MAX_QUERY_CHARS:
            raise SearchError(f"the query is {len(query)} characters long; the limit is {MAX_QUERY_CHARS}")
        if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= MAX_K:
            raise SearchError(f"k must be a whole number from 1 to {MAX_K}, not {k!r}")
        return query

    def query_entities(self, query: str) -> list[str]:
        """Entities named in the question: 'CPC-P', 'Stockton', 'AHIMA' (longest names first)."""
        words = _TOKEN.findall(normalize(query).text.lower())
        found: list[str] = []
        used = [False] * len(words)
        for size in range(min(self.index.max_alias_words, len(words)), 0, -1):
            for start in range(0, len(words) - size + 1):
                if any(used[start:start + size]):
                    continue
                key = " ".join(words[start:start + size])
                if key in self._stop or key not in self.index.aliases:
                    continue
                for entity in sorted(self.index.aliases[key]):
                    if entity not in found:
                        found.append(entity)
                for i in range(start, start + size):
                    used[i] = True
        return found

    def _terms(self, query: str) -> list[str]:
        words = [w.lower().strip("'-") for w in _TOKEN.findall(normalize(query).text)]
        terms = [w for w in words if w and w not in self._stop]
        return terms or [w for w in words if w]

    def embed(self, query: str) -> np.ndarray:
        with self._cache_lock:
            cached = self._query_vectors.get(query)
            if cached is not None:
                self._query_vectors.move_to_end(query)
                return cached
        from common.embedding import encode

        vector = encode([query])[0]
        with self._cache_lock:
            self._query_vectors[query] = vector
            if len(self._query_vectors) > self._query_cache_size:
                self._query_vectors.popitem(last=False)
        return vector

    # ------------------------------------------------------------ rankings
    def allowed(self, document: str | None, entity: str | None, entity_type: str | None) -> set[int] | None:
        sets: list[set[int]] = []
        if document:
            ids = self.index.by_file.get(document) or self.index.by_document.get(document)
            if ids is None:
                raise UnknownFilter(f"no document {document!r}; give a source file name or a document IRI")
            sets.append(ids)
        if entity:
            sets.append(self.index.by_entity.get(entity, set()))
        if entity_type:
            if entity_type not in ENTITY_KINDS:
                raise SearchError(f"entity type must be one of {', '.join(ENTITY_KINDS)}, not {entity_type!r}")
            sets.append(self.index.by_kind.get(entity_type, set()))
        if not sets:
            return None
        result = set(sets[0])
        for other in sets[1:]:
            result &= other
        return result

    @staticmethod
    def _faiss_search(index, query: np.ndarray, limit: int, allowed_ids: np.ndarray | None):
        return dense.search(index, query, limit, allowed_ids)

    def dense_ranking(self, vector: np.ndarray, allowed: set[int] | None, limit: int,
                      sentence_weight: float) -> list[tuple[int, float]]:
        """Passages by cosine similarity, blending the whole passage with its best-matching sentence."""
        query = vector.reshape(1, -1).astype(np.float32)
        allowed_ids = np.fromiter(allowed, dtype=np.int64) if allowed is not None else None
        passage_scores = dict(self._faiss_search(self.index.dense, query, limit, allowed_ids))
        unit_allowed = None
        if allowed is not None:
            unit_allowed = np.nonzero(np.isin(self.index.unit_passage, allowed_ids))[0].astype(np.int64)
        best_unit: dict[int, float] = {}
        for unit_id, score in self._faiss_search(self.index.unit_dense, query, limit * 3, unit_allowed):
            passage_id = int(self.index.unit_passage[unit_id])
            if score > best_unit.get(passage_id, -1.0):
                best_unit[passage_id] = score
        missing = [pid for pid in best_unit if pid not in passage_scores]
        if missing:
            vectors = np.stack([self.index.dense.reconstruct(pid) for pid in missing])
            passage_scores.update(zip(missing, (vectors @ query[0]).tolist()))
        floor = min(best_unit.values(), default=0.0)
        blended = {pid: (1 - sentence_weight) * score + sentence_weight * best_unit.get(pid, min(score, floor))
                   for pid, score in passage_scores.items()}
        return sorted(blended.items(), key=lambda item: (-item[1], item[0]))[:limit]

    def selective_terms(self, terms: list[str]) -> list[str]:
        """The question's words minus those in more than COMMON_TERM_SHARE of all passages.

        Such words add little to BM25 but make FTS5 score most of the index: at 100k passages they
        were what made slow queries slow (FTS5 p95 67 ms, 24 ms without them). On small indexes
        they are kept: there they cost nothing and measurably helped the development questions.
        The two rarest words are always kept.
        """
        terms = list(dict.fromkeys(terms))
        if len(terms) <= 2 or len(self.index.passages) < PRUNE_FROM_PASSAGES:
            return terms
        db = self.index.db
        db.execute("DELETE FROM temp.question")
        db.executemany("INSERT INTO temp.question(rowid, text) VALUES (?, ?)", list(enumerate(terms, start=1)))
        stems = dict(db.execute("SELECT doc, term FROM temp.question_terms"))      # rowid -> indexed term
        marks = ",".join("?" * len(stems))
        frequency = dict(db.execute(f"SELECT term, doc FROM temp.passage_terms WHERE term IN ({marks})",
                                    list(stems.values()))) if stems else {}
        counts = [(frequency.get(stems.get(i + 1), 0), term) for i, term in enumerate(terms)]
        limit = COMMON_TERM_SHARE * len(self.index.passages)
        kept = [term for count, term in counts if count <= limit]
        rarest = [term for _, term in sorted(counts)[:2]]
        return [term for term in terms if term in kept or term in rarest]

    def lexical_ranking(self, terms: list[str], allowed: set[int] | None, limit: int) -> list[tuple[int, float]]:
        if not terms:
            return []
        expression = " OR ".join('"' + t.replace('"', '""') + '"' for t in self.selective_terms(terms))
        rows = self.index.db.execute("SELECT rowid, -bm25(passages_fts) FROM passages_fts WHERE passages_fts MATCH ? "
                               "ORDER BY rank LIMIT ?", (expression, limit if allowed is None else limit * 5))
        ranking = [(int(pid), float(score)) for pid, score in rows if allowed is None or pid in allowed]
        return ranking[:limit]

    def entity_ranking(self, entities: list[str], allowed: set[int] | None) -> list[tuple[int, float]]:
        if not entities:
            return []
        counts: dict[int, float] = {}
        for entity in entities:
            defined = self.index.defined_in.get(entity, ())
            for pid in self._passages_about(entity):
                if allowed is None or pid in allowed:
                    # a passage that spells the name out answers "what is X?" and "who awards X?" best
                    counts[pid] = counts.get(pid, 0.0) + (1.5 if pid in defined else 1.0)
        share = {pid: count / len(entities) for pid, count in counts.items()}
        return sorted(share.items(), key=lambda item: (-item[1], item[0]))

    def _passages_about(self, entity: str) -> set[int]:
        """Passages that mention the entity; for a region, also every passage of a document about it
        (a Texas guide's passage on certificate programs is about Texas without saying so)."""
        passages = set(self.index.by_entity.get(entity, ()))
        for source_file in self.index.documents_about.get(entity, ()):
            passages |= self.index.by_file[source_file]
        return passages

    def fuse(self, dense, lexical, entity, fusion: Fusion, intents: set[str] = frozenset()) -> list[Candidate]:
        candidates: dict[int, Candidate] = {}

        def get(pid: int) -> Candidate:
            return candidates.setdefault(pid, Candidate(pid))

        for rank, (pid, score) in enumerate(dense):
            get(pid).dense, get(pid).dense_rank = score, rank
        top_lexical = lexical[0][1] if lexical else 1.0
        mean_lexical = (sum(s for _, s in lexical) / len(lexical)) if lexical else 1.0
        for rank, (pid, score) in enumerate(lexical):
            if fusion.lexical_norm == "saturate":
                value = score / (score + mean_lexical) if mean_lexical > 0 else 0.0
            else:
                value = score / top_lexical if top_lexical > 0 else 0.0
            get(pid).lexical, get(pid).lexical_rank = value, rank
        for rank, (pid, score) in enumerate(entity):
            if pid in candidates or rank < CANDIDATES:
                get(pid).entity, get(pid).entity_rank = score, rank
        for candidate in candidates.values():
            if intents and self.index.predicates.get(candidate.passage_id, set()) & intents:
                candidate.intent = 1.0
            if fusion.method == "rrf":
                candidate.score = sum(weight / (fusion.rrf_k + rank + 1) for weight, rank in (
                    (fusion.dense, candidate.dense_rank), (fusion.lexical, candidate.lexical_rank),
                    (fusion.entity, candidate.entity_rank)) if rank is not None)
            else:
                candidate.score = (fusion.dense * candidate.dense + fusion.lexical * candidate.lexical
                                   + fusion.entity * candidate.entity + fusion.intent * candidate.intent)
        return sorted(candidates.values(), key=lambda c: (-c.score, c.passage_id))

    # ------------------------------------------------------------ the API
    def search(self, query: str, k: int = 10, document: str | None = None, entity: str | None = None,
               entity_type: str | None = None, mode: str = "hybrid", fusion: Fusion | None = None) -> dict:
        query = self.validate(query, k)
        if mode not in ("hybrid", "dense", "lexical"):
            raise SearchError(f"mode must be hybrid, dense or lexical, not {mode!r}")
        allowed = self.allowed(document, entity, entity_type)
        fusion = fusion or self.fusion
        vector = None
        dense = lexical = entities_ranked = []
        named = self.query_entities(query) if mode == "hybrid" else []
        if mode in ("hybrid", "dense"):
            vector = self.embed(query)
            dense = self.dense_ranking(vector, allowed, CANDIDATES, fusion.sentence)
        if mode in ("hybrid", "lexical"):
            lexical = self.lexical_ranking(self._terms(query), allowed, CANDIDATES)
        if mode == "hybrid":
            entities_ranked = self.entity_ranking(named, allowed)
        if mode == "dense":
            ranked = [Candidate(pid, dense=score, score=score) for pid, score in dense]
        elif mode == "lexical":
            ranked = [Candidate(pid, lexical=score, score=score) for pid, score in lexical]
        else:
            ranked = self.fuse(dense, lexical, entities_ranked, fusion, question_intents(query))
        results = [self._hit(c, query, vector, named) for c in ranked[:k]]
        return {"query": query, "results": results,
                "entities": [{"iri": e, "label": self.index.entity_labels.get(e, (e, ""))[0],
                              "type": self.index.entity_labels.get(e, ("", ""))[1]} for e in named]}

    # ------------------------------------------------------------ one hit
    def _hit(self, candidate: Candidate, query: str, vector: np.ndarray | None, named: list[str]) -> dict:
        row = self.index.passages[candidate.passage_id]
        entities, mention_spans = self._entities(candidate.passage_id)
        hit = dict(row)
        hit["highlight"] = self._highlight(candidate.passage_id, row, query, vector, mention_spans, named)
        hit["score"] = round(candidate.score, 6)
        hit["entities"] = entities
        hit["claims"] = self._claims(candidate.passage_id)
        return hit

    def _entities(self, passage_id: int) -> tuple[list[dict], list[tuple[int, int, str]]]:
        entities: dict[str, dict] = {}
        spans = []
        for entity, kind, label, start, end in self.index.db.execute(
                'SELECT entity, kind, label, start, "end" FROM mentions WHERE passage_id = ? ORDER BY start',
                (passage_id,)):
            spans.append((start, end, entity))
            item = entities.setdefault(entity, {"iri": entity, "label": label, "type": kind, "mentions": []})
            item["mentions"].append({"start": start, "end": end})
        return list(entities.values()), spans

    def _claims(self, passage_id: int) -> list[dict]:
        rows = self.index.db.execute('SELECT claim, subject, predicate, object, object_is_iri, quote, start, "end", '
                               "extractor, confidence FROM claims WHERE passage_id = ? ORDER BY start, claim",
                               (passage_id,))
        return [{"claim": claim, "subject": s, "predicate": p, "object": o, "object_is_iri": bool(is_iri),
                 "quote": quote, "start": start, "end": end, "extractor": extractor, "confidence": confidence}
                for claim, s, p, o, is_iri, quote, start, end, extractor, confidence in rows]

    def _highlight(self, passage_id: int, row: dict, query: str, vector: np.ndarray | None,
                   mention_spans: list[tuple[int, int, str]], named: list[str]) -> dict:
        """The unit (sentence, list item, row) of the passage that best matches the question."""
        units = list(self.index.db.execute('SELECT start, "end", vector FROM units WHERE passage_id = ? ORDER BY start',
                                     (passage_id,)))
        if not units:
            return {"start": row["start"], "end": row["end"], "text": row["text"]}
        terms = set(self._terms(query))
        offset = row["start"]
        best, best_score = units[0], -1e9
        for unit in units:
            start, end, blob = unit
            text = row["text"][start - offset:end - offset]
            words = {w.lower() for w in _TOKEN.findall(normalize(text).text)}
            overlap = len(terms & words) / len(terms) if terms else 0.0
            similarity = float(np.dot(vector, blob_vector(blob))) if vector is not None else 0.0
            entity_bonus = 0.3 * sum(1 for s, e, ent in mention_spans if ent in named and start <= s and e <= end)
            score = similarity + 0.5 * overlap + entity_bonus - (0.3 if end - start < 25 else 0.0)
            if score > best_score:
                best, best_score = unit, score
        start, end, _ = best
        return {"start": start, "end": end, "text": row["text"][start - offset:end - offset]}
