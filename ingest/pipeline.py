"""The ingest pipeline: corpus/ -> a new generation of the graph store (and the search index).

Incremental: a document whose bytes and the pipeline's code are unchanged is not touched; an
added, changed or removed document changes only its own named graph. Safe: everything is
written into a new generation directory (the previous store is copied by an Oxigraph
checkpoint, which hard-links its files), and only a complete generation is swapped in by
renaming the `current` symlink, so an interrupted ingest leaves the previous data usable.
"""
from __future__ import annotations

import dataclasses
import hashlib
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from ingest.jobs import code_fingerprint, extract_document, extract_job, vocabulary_payload  # noqa: F401
from ingest.pool import InProcess, PoolError
from ingest.reader import (
    SourceDocument,
    UnreadableDocument,
    corpus_listing,
    file_sha256,
    max_document_bytes,
    read_document,
)
from kg.datadir import DataDir, DataDirError, Generation, not_writable
from kg.namespaces import document_graph_iri, document_iri
from kg.vocabulary import vocabulary_mode

MANIFEST_FORMAT = 1
KEEP_GENERATIONS = 1     # the live one; generations a server still reads are kept until it lets go
PROJECT_ROOT = Path(__file__).resolve().parent.parent


# The code and reference data that shape the graph and the index.
FINGERPRINTED = ("ingest", "kg", "common", "search/index")


def pipeline_fingerprint(extra: str = "") -> str:
    """Changes whenever the code or reference data that shapes the graph changes."""
    digest = hashlib.sha256(f"format={MANIFEST_FORMAT};{extra}".encode())
    for folder in FINGERPRINTED:
        for path in sorted((PROJECT_ROOT / folder).rglob("*")):
            if path.suffix in (".py", ".ttl"):
                digest.update(str(path.relative_to(PROJECT_ROOT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


@dataclass
class Extracted:
    analysis: object      # ingest.extract.Analysis
    claims: list          # search.index.ClaimRecord of the document's graph (ingest.jobs.DocumentResult)
    labels: dict          # entity IRI -> label in the document's graph


@dataclass
class Plan:
    fingerprint: str
    to_extract: list[SourceDocument] = field(default_factory=list)
    unchanged: dict[str, dict] = field(default_factory=dict)   # file -> previous manifest entry
    removed: list[str] = field(default_factory=list)
    problems: list[UnreadableDocument] = field(default_factory=list)
    kept_after_problem: list[str] = field(default_factory=list)
    rebuild: bool = False

    @property
    def changes(self) -> bool:
        return bool(self.to_extract or self.removed or self.rebuild)


@dataclass
class Report:
    extracted: list[str]
    unchanged: list[str]
    removed: list[str]
    problems: list[UnreadableDocument]
    generation: Generation | None
    seconds: float
    triples: int = 0
    remote: dict | None = None    # what ingest.remote_sync did on the SPARQL server, when one is configured

    @property
    def exit_status(self) -> int:
        return 3 if self.problems else 0


def plan_ingest(corpus_dir: Path, previous: dict, fingerprint: str, max_bytes: int | None = None) -> Plan:
    previous_documents = previous.get("documents", {}) if previous.get("fingerprint") == fingerprint else {}
    plan = Plan(fingerprint=fingerprint, rebuild=bool(previous) and previous.get("fingerprint") != fingerprint)
    seen: set[str] = set()
    files, plan.problems = corpus_listing(corpus_dir)
    for corpus_file in files:
        name, path = corpus_file.name, corpus_file.path
        seen.add(name)
        entry = previous_documents.get(name)
        try:
            if entry is not None and file_sha256(path) == entry["sha256"]:
                plan.unchanged[name] = entry
                continue
            plan.to_extract.append(read_document(path, name, max_bytes))
        except UnreadableDocument as problem:
            plan.problems.append(problem)
            if entry is not None:
                # keep the last good version rather than lose the document to a bad write
                plan.unchanged[name] = entry
                plan.kept_after_problem.append(name)
        except OSError as error:
            plan.problems.append(UnreadableDocument(path, f"cannot be read ({error})"))
    plan.removed = sorted(set(previous.get("documents", {})) - seen)
    if plan.rebuild:
        plan.removed = []
    return plan


def _progress(iterable, total: int, description: str, enabled: bool):
    if not enabled:
        return iterable
    from tqdm import tqdm

    return tqdm(iterable, total=total, desc=description, unit="doc", file=sys.stderr, leave=False)


def run_ingest(corpus_dir: Path, data_dir: Path | DataDir, progress: bool = True, steps: list | None = None,
               pool=None, remote=None, max_document_mb: float | None = None, vocabulary: str | None = None) -> Report:
    """Ingest `corpus_dir` into `data_dir`. `steps` are extra per-generation builders (the search index);
    `pool` runs the per-document extraction (ingest.pool; default: in this process); `remote`
    (kg.remote.RemoteEndpoints) is a SPARQL server the published generation is copied to; a file over
    `max_document_mb` (default: $MBC_MAX_DOCUMENT_MB or 5) is named and skipped; `vocabulary` is the
    reference vocabulary the extractor reads, "full" or "core" (default: $MBC_VOCABULARY or full;
    kg.vocabulary.vocabulary_mode)."""
    started = time.perf_counter()
    corpus_dir = Path(corpus_dir)
    data = data_dir if isinstance(data_dir, DataDir) else DataDir(data_dir)
    steps = steps or []
    max_bytes = max_document_bytes(max_document_mb)
    mode = vocabulary_mode(vocabulary)
    try:
        return _run_locked(corpus_dir, data, progress, steps, max_bytes, started, pool or InProcess(), remote, mode)
    except DataDirError:
        raise
    except Exception as error:
        # no permission, a read-only file system, a full disk: one line that says so, not a traceback
        # (the generation being written was discarded; the served one was never touched)
        problem = not_writable(data.root, error)
        if problem is None:
            raise
        raise problem from error


def _run_locked(corpus_dir: Path, data: DataDir, progress: bool, steps: list, max_bytes: int,
                started: float, pool, remote, mode: str = "full") -> Report:
    with data.lock():
        data.clean_partials()
        previous_generation = data.current()
        previous = previous_generation.manifest if previous_generation is not None else {}
        # the vocabulary read is part of what shapes the graph: switching it re-extracts every document
        fingerprint = pipeline_fingerprint(";".join([f"vocabulary={mode}"] * (mode != "full")
                                                    + [step.fingerprint() for step in steps]))
        plan = plan_ingest(corpus_dir, previous, fingerprint, max_bytes)
        if not plan.changes and previous_generation is not None:
            # the server may still lag behind (first use, or an earlier copy failed): bring it up to date
            synced = _sync(data, previous_generation, remote)
            return Report([], sorted(plan.unchanged), [], plan.problems, None, time.perf_counter() - started,
                          remote=synced)
        generation = data.new_generation()
        try:
            manifest = _build_generation(data, plan, previous_generation, generation, progress, steps, pool, mode)
        except BaseException:
            data.discard(generation)
            raise
        live = data.publish(generation)
        data.prune(KEEP_GENERATIONS, live)
        report = Report(sorted(d.source_file for d in plan.to_extract), sorted(plan.unchanged), plan.removed,
                        plan.problems, live, time.perf_counter() - started, manifest["distinct_triples"])
        report.remote = _sync(data, live, remote)
        return report


def _sync(data: DataDir, generation: Generation, remote) -> dict | None:
    """Copy what changed to the SPARQL server, after the local generation is published (a server that
    cannot be reached leaves the local data updated; the next run copies again)."""
    if remote is None:
        return None
    from ingest.remote_sync import sync_remote

    return sync_remote(data, generation, remote)


def _build_generation(data: DataDir, plan: Plan, previous_generation: Generation | None, generation: Generation,
                      progress: bool, steps: list, pool, mode: str = "full") -> dict:
    incremental = previous_generation is not None and not plan.rebuild
    if incremental:
        previous_generation.open_store().backup(generation.store_path)
    store = generation.open_store(read_only=False)
    if not incremental:
        store.load_reference_graphs(mode)
    for name in plan.removed + [d.source_file for d in plan.to_extract]:
        store.remove_graph(str(document_graph_iri(name)))
    documents: dict[str, dict] = {}
    extracted: dict[str, Extracted] = {}
    for name, entry in plan.unchanged.items():
        documents[name] = entry
        generation.carry_document_text(name, previous_generation)
    # extraction is a pure map over the documents (ingest.jobs), run by the pool; the results come
    # back in name order and are written in that order, so the store is the same for any pool.
    # A bar within a big document only when extracting here (workers' bars would interleave).
    sources = sorted(plan.to_extract, key=lambda source: source.source_file)
    within = progress and isinstance(pool, InProcess)
    # a converted file's original bytes stay here: the job needs only the text
    jobs = [dataclasses.replace(source, original=None) for source in sources]
    results = pool.run(extract_job, jobs, vocabulary_payload(mode), within) if sources else iter(())
    for source, result in zip(sources, _progress(results, len(sources), "documents", progress)):
        if result.code != code_fingerprint():
            raise PoolError(f"{source.source_file} was extracted by a worker running another version of this "
                            f"project's code (fingerprint {result.code}, here {code_fingerprint()}); install the "
                            f"same version on every worker")
        analysis = result.analysis
        store.load_graph(str(document_graph_iri(source.source_file)), result.ntriples)
        # the text as ingested, so offsets keep pointing at it even if corpus/ moves on
        generation.write_document_text(source.source_file, source.text)
        if source.original is not None:
            generation.write_document_original(source.source_file, source.original)
        extracted[source.source_file] = Extracted(analysis, result.claims, result.labels)
        documents[source.source_file] = {
            "sha256": source.sha256,
            "media_type": source.media_type,
            "text_sha256": source.text_sha256,
            "document": str(document_iri(source.source_file)),
            "graph": str(document_graph_iri(source.source_file)),
            "title": analysis.title or source.source_file,
            "characters": len(source.text),
            "passages": len(analysis.passages),
            "triples": result.triples,
        }
    store.rebuild_default_graph()
    store.flush()
    for step in steps:
        step.build(data, generation, previous_generation if incremental else None, plan, extracted, documents,
                   progress)
    store.dump_trig(generation.dump_path)
    manifest = {
        "format": MANIFEST_FORMAT,
        "fingerprint": plan.fingerprint,
        "vocabulary": mode,     # which reference vocabulary the extractor read (kg.vocabulary.vocabulary_mode)
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "documents": dict(sorted(documents.items())),
        "triples": sum(entry["triples"] for entry in documents.values()),   # per document graph, summed
        # THE triple count (ingest's message, /healthz, /void, kg.ttl): the default graph's distinct triples,
        # i.e. the merge of every document graph, the ontology and the vocabulary, each triple once
        "distinct_triples": store.default_graph_size(),
    }
    for step in steps:
        manifest.update(step.manifest_entries())
    generation.write_manifest(manifest)
    del store
    return manifest
