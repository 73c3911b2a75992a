"""Semantic search over passages: dense (MiniLM + faiss), lexical (SQLite FTS5 BM25) and graph
signals (entities named in the question lift the passages that mention them), fused.

`Searcher.search` reads top-down: the request is checked (search.request), the question understood
once (search.question.understand: its names, corrections and the answers it wants), the signals
retrieved and fused (here), the graph's answers looked up (search.answers) and the page of hits
shown (search.hits). This module is about ranking only.

Ingest writes each generation's index (search.index.writer); a Searcher reads one generation's
(search.index.reader) and answers from it alone.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from common.lru import LRUCache
from common.normalize import normalize
from kg.datadir import DataDir, DataDirError, Generation
from kg.prefixes import ONTOLOGY
from search.index import dense
from search.index.reader import IndexReader, IndexUnavailable
from search.paraphrases import expansions
from search.hits import corpus_coverage, facets, highlight, hit, passage_view, public_answer, root
from search.question import Question, stop_words, understand, words
from search.question_encoder import encode_question, model_words
from search.request import allowed_passages, check_page, checked_query

CANDIDATES = 100
# A passage is shown only when its dense score (cosine, half passage, half best sentence) reaches
# this, or when it holds a claim of the graph's answer. Calibrated on tests/search/unanswerable.json
# against the answerable questions: see README, "No results".
RELEVANCE_FLOOR = 0.20
SUPPORT_DEPTH = 10         # an answer asked for by wording alone must cite one of this many top passages
COMMON_TERM_SHARE = 0.25   # words in more passages than this share are left out of the BM25 query ...
PRUNE_FROM_PASSAGES = 20_000  # ... once the index is this large (below it they cost little and help ranking)


@dataclass(frozen=True)
class Fusion:
    """How the signals combine: 'weighted' adds the six signals' normalized scores (dense, lexical,
    entity, intent, answer, paraphrase); 'rrf' adds 1/(60+rank) of the dense, lexical and entity rankings."""
    method: str = "weighted"
    dense: float = 1.0
    lexical: float = 0.15
    entity: float = 0.3
    intent: float = 0.1        # passages whose claims answer the kind of question asked ("who awards ...")
    answer: float = 0.2        # passages holding a claim of the graph's direct answer
    rrf_k: int = 60
    lexical_norm: str = "saturate"  # "saturate": BM25 / (BM25 + mean BM25); "top": BM25 / best BM25
    sentence: float = 0.5      # dense score = (1 - sentence) * passage cosine + sentence * best sentence cosine
    paraphrase: float = 0.1    # saturated BM25 of the question's paraphrases (search/paraphrases.tsv) alone


DEFAULT_FUSION = Fusion()


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
    answer: float = 0.0
    paraphrase: float = 0.0
    similarity: float = 0.0    # dense score, also for candidates beyond the dense ranking (see fuse)
    covered: bool = False      # the passage holds every word of the question (stop words aside)
    score: float = 0.0


_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9'\-]*")


class Searcher:
    """Loaded once per process (the model, the faiss index and the passage table stay in memory)."""

    def __init__(self, generation: Generation, fusion: Fusion = DEFAULT_FUSION, query_cache: int = 1024,
                 store=None):
        """`store`: the graph store the caller reads (the service's: local or a remote SPARQL server);
        otherwise the generation's own store is opened read-only here. Without one there are no answers."""
        self.generation = generation
        self.index = IndexReader(generation)
        self.fusion = fusion
        self._stop = stop_words()
        self._query_vectors: LRUCache[np.ndarray] = LRUCache(query_cache)
        self.index.names.known_words |= model_words()
        self.answers = self._open_answers(store)
        self.titles = {row["source_file"]: row["title"] for row in self.index.passages.values()}
        self.views = {pid: passage_view(self.index, pid, self._label, self._property) for pid in self.index.passages}
        self.coverage = corpus_coverage(self.index, self.titles, self._property)

    def _open_answers(self, store):
        from search.answers import GraphAnswers

        if store is None:
            if not self.generation.has_store():
                return None
            store = self.generation.open_store(read_only=True)
        return GraphAnswers(store)

    def _label(self, iri: str) -> str:
        if self.answers is not None and iri in self.answers.labels:
            return self.answers.short(iri)
        return self.index.entity_labels.get(iri, (iri.rsplit("/", 1)[-1], ""))[0]

    def _property(self, iri: str) -> str:
        if self.answers is not None:
            return self.answers.property_label(iri)
        return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]

    def close(self) -> None:
        """Let go of the index and of the store the answers read (the generation may be deleted next)."""
        self.index.close()
        self.answers = None

    @classmethod
    def open(cls, data_dir: Path | str, **options) -> "Searcher":
        """A searcher over the live generation of a data directory (for the CLI and scripts)."""
        try:
            generation = DataDir(data_dir).require_current()
        except DataDirError as error:
            raise IndexUnavailable(str(error)) from None
        return cls(generation, **options)

    # ------------------------------------------------------------ the question's terms and vector
    def _terms(self, query: str) -> list[str]:
        tokens = [w.lower().strip("'-") for w in _TOKEN.findall(normalize(query).text)]
        terms = [w for w in tokens if w and w not in self._stop]
        return terms or [w for w in tokens if w]

    def embed(self, query: str) -> np.ndarray:
        vector = self._query_vectors.get(query)
        if vector is None:
            vector = encode_question(query)
            self._query_vectors.put(query, vector)
        return vector

    # ------------------------------------------------------------ rankings
    def dense_ranking(self, vector: np.ndarray, allowed: set[int] | None, limit: int,
                      sentence_weight: float) -> list[tuple[int, float]]:
        """Passages by cosine similarity, blending the whole passage with its best-matching sentence."""
        query = vector.reshape(1, -1).astype(np.float32)
        allowed_ids = np.fromiter(allowed, dtype=np.int64) if allowed is not None else None
        passage_scores = dict(dense.search(self.index.dense, query, limit, allowed_ids))
        unit_allowed = None
        if allowed is not None:
            unit_allowed = np.nonzero(np.isin(self.index.unit_passage, allowed_ids))[0].astype(np.int64)
        best_unit: dict[int, float] = {}
        for unit_id, score in dense.search(self.index.unit_dense, query, limit * 3, unit_allowed):
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

    def fuse(self, dense, lexical, entity, fusion: Fusion, intents: set[str] = frozenset(),
             answering: set[int] = frozenset(), dense_beyond: dict[int, float] | None = None,
             paraphrase=()) -> list[Candidate]:
        """`dense_beyond`: the passage cosine of candidates the other signals found beyond the dense
        ranking's depth. It decides whether they are relevant at all (`similarity`), not their score:
        scored, it let passages that merely name the question's entities outrank the answer
        (development questions, tuning half: MRR@10 0.760 -> 0.744)."""
        candidates: dict[int, Candidate] = {}

        def get(pid: int) -> Candidate:
            return candidates.setdefault(pid, Candidate(pid))

        for rank, (pid, score) in enumerate(dense):
            get(pid).dense, get(pid).dense_rank, get(pid).similarity = score, rank, score
        for pid, score in (dense_beyond or {}).items():
            get(pid).similarity = score
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
        mean_paraphrase = (sum(s for _, s in paraphrase) / len(paraphrase)) if paraphrase else 1.0
        for pid, score in paraphrase:
            if pid in candidates:      # it reorders what the question found; alone it finds only synonyms
                candidates[pid].paraphrase = score / (score + mean_paraphrase) if mean_paraphrase > 0 else 0.0
        for pid in answering:
            get(pid).answer = 1.0
        for candidate in candidates.values():
            if intents and self.index.predicates.get(candidate.passage_id, set()) & intents:
                candidate.intent = 1.0
            if fusion.method == "rrf":
                candidate.score = sum(weight / (fusion.rrf_k + rank + 1) for weight, rank in (
                    (fusion.dense, candidate.dense_rank), (fusion.lexical, candidate.lexical_rank),
                    (fusion.entity, candidate.entity_rank)) if rank is not None)
            else:
                candidate.score = (fusion.dense * candidate.dense + fusion.lexical * candidate.lexical
                                   + fusion.entity * candidate.entity + fusion.intent * candidate.intent
                                   + fusion.answer * candidate.answer + fusion.paraphrase * candidate.paraphrase)
        return sorted(candidates.values(), key=lambda c: (-c.score, c.passage_id))


    # ------------------------------------------------------------ the API
    def search(self, query: str, k: int = 10, document: str | None = None, entity: str | None = None,
               entity_type: str | None = None, mode: str = "hybrid", fusion: Fusion | None = None,
               offset: int = 0, refuse: bool = True) -> dict:
        """Answers from the graph and ranked passages for a question.

        `offset` pages through the ranked passages; with `refuse`, a question nothing in the
        index is close to gets no results and no answers (`out_of_scope`), and the response
        says what the corpus covers instead.
        """
        query = checked_query(query, k)
        check_page(mode, offset)
        allowed = allowed_passages(self.index, document, entity, entity_type)
        fusion = fusion or self.fusion
        question = understand(query, self.index.names, self._stop)
        ranking_named = [n.iri for n in question.named if n.kind != "Role"]   # "coders" is in nearly every passage
        vector = self.embed(question.corrected) if mode in ("hybrid", "dense") else None
        signals = self._signals(question, vector, ranking_named, allowed, mode, fusion)
        tried = self.graph_answers(question) if mode == "hybrid" else []
        ranked = self._fused(signals, tried, allowed, mode, fusion)
        answers = self._supported(tried, ranked, mode)
        if len(answers) != len(tried):
            ranked = self._fused(signals, answers, allowed, mode, fusion)
        relevant = [c for c in ranked if self._relevant(c, mode)] if refuse else ranked
        if refuse and not relevant and ranking_named:
            relevant = [c for c in ranked if c.entity > 0]    # it names something the corpus knows
        out_of_scope = refuse and not relevant and not answers
        if allowed is None:
            shown = facets([self.views[c.passage_id] for c in relevant], self.titles)
        else:
            unfiltered = self._fused(self._signals(question, vector, ranking_named, None, mode, fusion), answers,
                                     None, mode, fusion)
            shown = facets([self.views[c.passage_id] for c in unfiltered if not refuse or self._relevant(c, mode)],
                           self.titles)
        page = relevant[offset:offset + k]
        response = {
            "query": query, "total": len(relevant), "offset": offset, "k": k,
            "answers": [] if out_of_scope else [public_answer(a, self._view_of_claim) for a in answers],
            "results": [self._hit(c, frozenset(self._terms(question.corrected)), vector, ranking_named) for c in page],
            "entities": [{"iri": n.iri, "label": n.label, "type": n.kind, "said": n.typed} for n in question.named],
            "suggestions": question.suggestions(),
            "facets": shown,
            "out_of_scope": out_of_scope,
        }
        if out_of_scope:
            response["covers"] = self.coverage
        return response

    def best_similarity(self, query: str) -> float:
        """How close the index comes to a question: the best `similarity` among the passages it
        ranks (what RELEVANCE_FLOOR is compared with), for calibrating the floor."""
        question = understand(checked_query(query, 1), self.index.names, self._stop)
        ranking_named = [n.iri for n in question.named if n.kind != "Role"]
        signals = self._signals(question, self.embed(question.corrected), ranking_named, None, "hybrid", self.fusion)
        ranked = self._fused(signals, [], None, "hybrid", self.fusion)
        return max((c.similarity for c in ranked), default=0.0)

    def graph_answers(self, question: Question) -> list[dict]:
        if self.answers is None:
            return []
        return self.answers.answer(question.named, question.wanted, question.corrected)

    def _signals(self, question: Question, vector, named: list[str], allowed, mode: str, fusion: Fusion) -> dict:
        """The rankings fusion combines, computed once per question (fusing again is cheap)."""
        text = question.corrected
        signals = {"dense": [], "lexical": [], "entity": [], "intents": {ONTOLOGY + p for p in question.properties},
                   "terms": frozenset(root(w) for term in self._terms(text) for w in words(term))}
        if mode in ("hybrid", "dense"):
            signals["dense"] = self.dense_ranking(vector, allowed, CANDIDATES, fusion.sentence)
        if mode in ("hybrid", "lexical"):
            signals["lexical"] = self.lexical_ranking(self._terms(text), allowed, CANDIDATES)
            if fusion.paraphrase and mode == "hybrid":
                # the question's words said as the documents may say them ("make" -> "wage"), as a
                # signal of its own: added to the question's BM25 query they drowned its own words
                added = [t for t in self._terms(" ".join(expansions(text))) if t not in self._terms(text)]
                signals["paraphrase"] = self.lexical_ranking(added, allowed, CANDIDATES)
        if mode == "hybrid":
            signals["entity"] = self.entity_ranking(named, allowed)
            ranked = {pid for pid, _ in signals["dense"]}
            beyond = sorted({pid for pid, _ in signals["lexical"]} | {pid for pid, _ in signals["entity"][:CANDIDATES]}
                            - ranked)
            signals["dense_beyond"] = self.passage_cosines(vector, beyond)
        return signals

    def passage_cosines(self, vector: np.ndarray, passage_ids: list[int]) -> dict[int, float]:
        if not passage_ids:
            return {}
        vectors = self.index.dense.reconstruct_batch(np.asarray(passage_ids, dtype=np.int64))
        return dict(zip(passage_ids, (vectors @ vector).tolist()))

    def _fused(self, signals: dict, answers: list[dict], allowed, mode: str, fusion: Fusion) -> list[Candidate]:
        if mode == "dense":
            ranked = [Candidate(pid, dense=score, similarity=score, score=score) for pid, score in signals["dense"]]
        elif mode == "lexical":
            ranked = [Candidate(pid, lexical=score, score=score) for pid, score in signals["lexical"]]
        else:
            # an answer about a place the question did not name (the country, for "how much do coders
            # make?") is shown, but lifts no passage: the question did not ask about that place
            answering = {self.index.claim_passage[c] for a in answers if not a.get("implied") for c in a["claims"]
                         if c in self.index.claim_passage}
            if allowed is not None:
                answering &= allowed
            ranked = self.fuse(signals["dense"], signals["lexical"], signals["entity"], fusion, signals["intents"],
                               answering, signals.get("dense_beyond"), signals.get("paraphrase", ()))
        terms = signals["terms"]
        for candidate in ranked:
            candidate.covered = bool(terms) and terms <= self.views[candidate.passage_id].roots
        # a passage that is only a heading (before a table) says nothing; its rows carry it as their section
        return [c for c in ranked if self.views[c.passage_id].row["kind"] != "heading"]

    def _view_of_claim(self, claim: str):
        return self.views.get(self.index.claim_passage.get(claim, -1))

    def _hit(self, candidate: Candidate, terms: frozenset[str], vector: np.ndarray | None, named: list[str]) -> dict:
        view = self.views[candidate.passage_id]
        return hit(view, candidate.score, highlight(view, self.index.unit_dense, terms, vector, named))

    def _supported(self, answers: list[dict], ranked: list[Candidate], mode: str) -> list[dict]:
        """Answers about an entity the question names stand on their own; an answer the question only
        asks for by wording ("how fast will jobs grow") is kept when a passage it cites is among the
        best-ranked passages on their own merit: the graph and the text must agree it is on topic."""
        if not answers:
            return answers
        on_topic = {c.passage_id for c in sorted(ranked, key=lambda c: -(c.score - self.fusion.answer * c.answer))
                    [:SUPPORT_DEPTH] if self._relevant(c, mode, own_merit=True)}
        return [a for a in answers if a["anchored"] or on_topic & {
            self.index.claim_passage.get(c) for c in a["claims"]}]

    def _relevant(self, candidate: Candidate, mode: str, own_merit: bool = False) -> bool:
        """Close enough to the question to be shown (calibrated: see README, 'No results')."""
        if mode == "lexical":
            return candidate.lexical > 0
        return (candidate.similarity >= RELEVANCE_FLOOR or candidate.covered
                or (candidate.answer > 0 and not own_merit))
