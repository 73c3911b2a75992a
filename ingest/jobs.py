"""The per-document work of ingest as a job: one document's text in, its analysis and named graph out.

A pure function of picklable values, so that a process pool or a Dask cluster (ingest.pool) can run
it anywhere: no store, data directory or model is touched. The graph travels as N-Triples bytes
(an rdflib Graph pickles slowly and is rebuilt in full on the other side; the store loads N-Triples
directly). The search index's records that are read off the graph (claims and labels) are computed
here too, where the rdflib graph still exists, rather than parsing the N-Triples back into rdflib.
The vocabulary travels as its Turtle text and is parsed once per worker process.
"""
from __future__ import annotations

import dataclasses
import hashlib
import time
from dataclasses import dataclass, field

from typing import TYPE_CHECKING

from ingest.fingerprint import code_fingerprint
from ingest.reader import SourceDocument
from kg.vocabulary import VOCABULARY_MODES, Vocabulary, load_vocabulary, parse_vocabulary, vocabulary_text

if TYPE_CHECKING:       # ingest.indexing imports the search index writer, which a job loads only when asked to index
    from ingest.indexing import IndexRequest

# What a local pool's fork server imports before it forks the workers (see ingest.pool.LocalPool).
PRELOAD = ("ingest.warm",)


@dataclass(frozen=True)
class DocumentResult:
    """What a job sends back for one document: the extractor's findings (ingest.extract.Analysis), the
    graph made of them, and what the index needs; the pipeline keeps it, less the graph, for the index."""
    source_file: str
    analysis: object                 # ingest.extract.Analysis (None when the job made the index rows itself)
    ntriples: bytes                  # the document's named graph, N-Triples in UTF-8
    triples: int                     # how many triples the graph holds
    claims: list = field(default_factory=list)        # search.index.ClaimRecord, read off the graph
    labels: dict = field(default_factory=dict)        # entity IRI -> rdfs:label in the graph
    code: str = ""                   # code_fingerprint() of the process that ran the job
    error: str = ""                  # why extraction failed (then nothing else is set): the document is skipped
    title: str = ""                  # the document's title (its name when it has none)
    passages: int = 0
    records: object = None           # search.index.writer.DocumentRecords, when the job was asked for the index's rows
    vectors: dict = field(default_factory=dict)       # embedding-cache key -> vector of texts the cache lacked
    encoder: str = ""                # common.embedding.passage_encoder_id() of the worker that made `vectors`
    seconds: float = 0.0             # how long the job took where it ran


def vocabulary_payload(mode: str = "full") -> str:
    """The vocabulary as a worker gets it: the Turtle text of kg/vocabulary.ttl (for "core", without
    its certifications and organizations; kg.vocabulary.vocabulary_mode)."""
    return vocabulary_text(mode)


_vocabularies: dict[str, Vocabulary] = {}


def vocabulary_from_payload(payload: str) -> Vocabulary:
    """The Vocabulary of a payload, parsed once per process (the spaCy pipeline is cached on it)."""
    key = hashlib.sha256(payload.encode("utf-8")).hexdigest()
    if key not in _vocabularies:
        known = next((mode for mode in VOCABULARY_MODES if payload == vocabulary_payload(mode)), None)
        if known is not None:
            _vocabularies[key] = load_vocabulary(known)    # the same object the rest of this process uses
        else:
            from rdflib import Graph

            _vocabularies[key] = parse_vocabulary(Graph().parse(data=payload, format="turtle"))
    return _vocabularies[key]


def extract_document(source: SourceDocument, vocabulary: Vocabulary, progress: bool = False, graph=None):
    """Text to the document's analysis and named graph (an rdflib Graph, or added to `graph`: see
    ingest.graph.document_graph); `progress`: a bar within a big document."""
    from ingest.extract import analyse
    from ingest.graph import document_graph
    from ingest.windows import bounded_runs

    # extraction reads the text with over-long runs cut (same length, so the same offsets): linear time for
    # any text; quotes and passages are still taken from the document's own text
    readable = bounded_runs(source.text)
    analysis = analyse(readable, vocabulary, progress=progress)
    if readable is not source.text:
        analysis = dataclasses.replace(analysis, text=source.text)
    return analysis, document_graph(source.source_file, source.sha256, analysis, vocabulary, source.media_type, graph)


def warm_up() -> None:
    """Load what every job needs (the extractor's modules, the vocabulary, its spaCy pipeline, the
    place names) by extracting a two-line text. The local pool runs this once in its fork server
    (ingest.warm), so each worker starts with it loaded instead of spending seconds on it."""
    extract_job(SourceDocument("warm-up.txt", "Coding in Ohio\nThe CPC is offered by AAPC in Columbus, OH.\n",
                               "0" * 64), vocabulary_payload())


def extract_job(source: SourceDocument, vocabulary_payload: str, progress: bool = False,
                index: IndexRequest | None = None) -> DocumentResult:
    """One document's extraction. An error of the extractor on this document is returned (`error`), not
    raised: that document is named and skipped, and the rest of the corpus still ingests. With `index`,
    the document's index rows and the vectors of its passages and sentences are made here too (then the
    analysis is not sent back: the rows are what the index needs of it)."""
    from ingest.triples import NTriplesSink

    started = time.perf_counter()
    try:
        # the graph is held as N-Triples from the start, not as an rdflib Graph (ingest.triples)
        analysis, graph = extract_document(source, vocabulary_from_payload(vocabulary_payload), progress,
                                           NTriplesSink())
        claims, labels = graph.records()
        ntriples = graph.serialize()
        triples = len(graph)
        del graph
        title = analysis.title or source.source_file
        result = DocumentResult(source.source_file, analysis, ntriples, triples, claims, labels, code_fingerprint(),
                                title=title, passages=len(analysis.passages))
        if index is not None:
            result = _with_index_rows(result, source, index)
    except Exception as error:
        from ingest.formats import describe_error

        return DocumentResult(source.source_file, None, b"", 0, code=code_fingerprint(), error=describe_error(error),
                              seconds=time.perf_counter() - started)
    return dataclasses.replace(result, seconds=time.perf_counter() - started)


def _with_index_rows(result: DocumentResult, source: SourceDocument, index: IndexRequest) -> DocumentResult:
    from common.embedding import passage_encoder_id
    from ingest.indexing import document_records, embedded_texts
    from search.index.writer import embed_missing

    records = document_records(source.source_file, result.title, result.analysis, result.claims, result.labels)
    encoder = passage_encoder_id()
    vectors = embed_missing(embedded_texts(records), encoder, index.cache_path, index.threads)
    return dataclasses.replace(result, analysis=None, records=records, vectors=vectors, encoder=encoder)
