"""The ingest pipeline: corpus/ -> a new generation of the graph store (and the search index).

Incremental: a document whose bytes and the pipeline's code are unchanged is not touched; an
added, changed or removed document changes only its own named graph. Safe: everything is
written into a new generation directory (the previous store is copied by an Oxigraph
checkpoint, which hard-links its files), and only a complete generation is swapped in by
renaming the `current` symlink, so an interrupted ingest leaves the previous data usable.
"""
from __future__ import annotations

import dataclasses
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from ingest import formats
from ingest.formats.limits import Limits, describe, hint, limits_from
from ingest.fingerprint import MANIFEST_FORMAT, PROJECT_ROOT, code_fingerprint, pipeline_fingerprint  # noqa: F401
from ingest.jobs import DocumentResult, extract_document, extract_job, vocabulary_payload  # noqa: F401
from ingest.pool import GuardedPool, InProcess, JobFailed, PoolError, default_workers
from ingest.reader import (
    SourceDocument,
    UnreadableDocument,
    converted_document,
    corpus_listing,
    decode_document,
    file_sha256,
    read_bytes,
)
from kg.datadir import DataDir, Generation, not_writable_error
from kg.errors import StorageError
from kg.namespaces import document_graph_iri, document_iri
from kg.store import GraphStore
from kg.vocabulary import vocabulary_mode

KEEP_GENERATIONS = 1     # the live one; generations a server still reads are kept until it lets go


@dataclass
class Plan:
    fingerprint: str
    to_extract: list[SourceDocument] = field(default_factory=list)
    unchanged: dict[str, dict] = field(default_factory=dict)   # file -> previous manifest entry
    removed: list[str] = field(default_factory=list)
    problems: list[UnreadableDocument] = field(default_factory=list)
    kept_after_problem: list[str] = field(default_factory=list)
    rebuild: bool = False
    paths: dict[str, Path] = field(default_factory=dict)      # file -> where it was read, to name it
    failed: list[str] = field(default_factory=list)            # read, but extraction failed on it

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
    def documents_per_second(self) -> float:
        """Documents read and extracted per second of the whole run (start-up, index and dump included)."""
        return len(self.extracted) / self.seconds if self.seconds > 0 else 0.0

    @property
    def exit_status(self) -> int:
        return 3 if self.problems else 0


@dataclass
class _Conversion:
    name: str
    path: Path
    entry: dict | None       # the previous manifest entry, if any
    kind: str
    data: bytes


def plan_ingest(corpus_dir: Path, previous: dict, fingerprint: str, max_bytes: int | None = None,
                limits: Limits | None = None, converter_workers: int = 1) -> Plan:
    """What to do: which files are unchanged, which to extract (read, and HTML, PDF and DOCX converted
    to text in guarded processes, each within `limits`' time and memory), which were removed, and
    which cannot be read (named, with the reason)."""
    limits = limits or Limits()
    max_bytes = limits.document_bytes if max_bytes is None else max_bytes
    previous_documents = previous.get("documents", {}) if previous.get("fingerprint") == fingerprint else {}
    plan = Plan(fingerprint=fingerprint, rebuild=bool(previous) and previous.get("fingerprint") != fingerprint)
    seen: set[str] = set()
    files, plan.problems = corpus_listing(corpus_dir)
    conversions: list[_Conversion] = []
    for corpus_file in files:
        name, path = corpus_file.name, corpus_file.path
        seen.add(name)
        plan.paths[name] = path
        entry = previous_documents.get(name)
        try:
            if entry is not None and file_sha256(path) == entry["sha256"]:
                plan.unchanged[name] = entry
                continue
            data = read_bytes(path, max_bytes)
            kind = formats.media_type(name, data)
            if kind in formats.TEXT_TYPES:
                plan.to_extract.append(dataclasses.replace(decode_document(name, data, path), media_type=kind))
            else:
                conversions.append(_Conversion(name, path, entry, kind, data))
        except UnreadableDocument as problem:
            _skip(plan, problem, name, entry)
        except OSError as error:
            plan.problems.append(UnreadableDocument(path, f"cannot be read ({error})"))
    _convert(plan, conversions, limits, converter_workers)
    plan.removed = sorted(set(previous.get("documents", {})) - seen)
    if plan.rebuild:
        plan.removed = []
    return plan


def _skip(plan: Plan, problem: UnreadableDocument, name: str, entry: dict | None) -> None:
    plan.problems.append(problem)
    if entry is not None:
        # keep the last good version rather than lose the document to a bad write
        plan.unchanged[name] = entry
        plan.kept_after_problem.append(name)


def _convert(plan: Plan, conversions: list[_Conversion], limits: Limits, workers: int) -> None:
    """HTML, PDF and DOCX to text, each file in a child process that is killed when it runs out of time
    or memory (a hostile file can make a library loop for ever or inflate gigabytes): the file is named
    and skipped, the rest goes on."""
    if not conversions:
        return
    with GuardedPool(max(1, min(workers, len(conversions))), limits.seconds, limits.memory_bytes) as pool:
        jobs = [(conversion.kind, conversion.data) for conversion in conversions]
        for conversion, outcome in zip(conversions, pool.run(formats.convert_job, jobs, limits)):
            if isinstance(outcome, JobFailed):
                reason = _conversion_failure(outcome, limits)
            elif outcome[0] == "unreadable":
                reason = outcome[1]
            else:
                plan.to_extract.append(converted_document(conversion.name, conversion.kind, conversion.data,
                                                          outcome[1]))
                continue
            _skip(plan, UnreadableDocument(conversion.path, reason), conversion.name, conversion.entry)


def _conversion_failure(failure: JobFailed, limits: Limits) -> str:
    if failure.kind == "timeout":
        return (f"converting it took longer than the limit of {describe(limits, 'seconds')}, so it was stopped "
                f"(a damaged or hostile file, or {hint('seconds')})")
    if failure.kind == "memory":
        return (f"converting it needed more memory than the limit of {describe(limits, 'memory_bytes')}, so it "
                f"was stopped (a damaged or hostile file, or {hint('memory_bytes')})")
    return f"converting it failed: {failure.reason}"


class _DocumentProgress:
    """On a terminal: a bar over the documents and, above it, a line per document as it is done (its
    name, size and the seconds its job took). Nothing otherwise."""

    def __init__(self, total: int, enabled: bool):
        self.bar = None
        if enabled and total:
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc="documents", unit="doc", file=sys.stderr, leave=False)

    def done(self, source: SourceDocument, seconds: float, outcome: str = "") -> None:
        if self.bar is None:
            return
        size = len(source.text.encode("utf-8")) if source.original is None else len(source.original)
        self.bar.write(f"  {source.source_file}  {size / 1000:,.1f} kB  {seconds:.1f} s{outcome}", file=sys.stderr)
        self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def run_ingest(corpus_dir: Path, data_dir: Path | DataDir, progress: bool = True, steps: list | None = None,
               pool=None, remote=None, max_document_mb: float | None = None, limits: Limits | None = None,
               notice=None, vocabulary: str | None = None) -> Report:
    """Ingest `corpus_dir` into `data_dir`. `steps` are extra per-generation builders (the search index);
    `pool` runs the per-document extraction (ingest.pool; default: in this process); `remote`
    (kg.remote.RemoteEndpoints) is a SPARQL server the published generation is copied to; `limits`
    (ingest.formats.limits; default: the settings in the environment, else the defaults) bound what one
    file may cost to read, `max_document_mb` overriding its size limit: a file over any of them is named
    and skipped. `notice(line)` is told what the run does that a user should know (default: stderr).
    `vocabulary` is the reference vocabulary the extractor reads, "full" or "core" (default:
    $MBC_VOCABULARY or full; kg.vocabulary.vocabulary_mode)."""
    started = time.perf_counter()
    corpus_dir = Path(corpus_dir)
    data = data_dir if isinstance(data_dir, DataDir) else DataDir(data_dir)
    steps = steps or []
    if limits is None:
        limits = limits_from({"document_bytes": max_document_mb})
    elif max_document_mb is not None:
        limits = dataclasses.replace(limits, document_bytes=limits_from({"document_bytes": max_document_mb},
                                                                        {}).document_bytes)
    notice = notice or _to_stderr
    mode = vocabulary_mode(vocabulary)
    try:
        return _run_locked(corpus_dir, data, progress, steps, limits, started, pool or InProcess(), remote, notice,
                           mode)
    except StorageError:
        raise       # already says what is wrong (the data folder, or the SPARQL server the graph is copied to)
    except Exception as error:
        # no permission, a read-only file system, a full disk: one line that says so, not a traceback
        # (the generation being written was discarded; the served one was never touched)
        problem = not_writable_error(data.root, error)
        if problem is None:
            raise
        raise problem from error


def _to_stderr(line: str) -> None:
    print(f"ingest: {line}", file=sys.stderr, flush=True)


def _run_locked(corpus_dir: Path, data: DataDir, progress: bool, steps: list, limits: Limits,
                started: float, pool, remote, notice, mode: str = "full") -> Report:
    with data.lock(notice=notice):
        data.clean_partials()
        previous_generation = data.current()
        previous = previous_generation.manifest if previous_generation is not None else {}
        # the vocabulary read is part of what shapes the graph: switching it re-extracts every document
        fingerprint = pipeline_fingerprint(";".join([f"vocabulary={mode}"] * (mode != "full")
                                                    + [step.fingerprint() for step in steps]))
        plan = plan_ingest(corpus_dir, previous, fingerprint, limits=limits,
                           converter_workers=min(getattr(pool, "workers", 1), default_workers()))
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
        report = Report(sorted(d.source_file for d in plan.to_extract if d.source_file not in plan.failed),
                        sorted(plan.unchanged), plan.removed,
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


def _extraction_failed(plan: Plan, source: SourceDocument, error: str, documents: dict, generation: Generation,
                       previous_generation: Generation | None) -> None:
    """A document the extractor failed on is named and skipped; its previous version, if this generation
    carries one (graph, index records and text), stays as it was."""
    path = plan.paths.get(source.source_file, Path(source.source_file))
    plan.failed.append(source.source_file)
    plan.problems.append(UnreadableDocument(path, f"extracting its facts failed ({error}); the rest of the "
                                                  "corpus is ingested (please report this file)"))
    entry = previous_generation.manifest.get("documents", {}).get(source.source_file) \
        if previous_generation is not None else None
    if entry is not None:
        documents[source.source_file] = entry
        generation.carry_document_text(source.source_file, previous_generation)
        plan.kept_after_problem.append(source.source_file)


def _store_results(plan: Plan, sources: list[SourceDocument], results, bar: _DocumentProgress, store: GraphStore,
                   documents: dict, extracted: dict, generation: Generation,
                   previous_generation: Generation | None) -> None:
    """Each document's result into the new generation, in name order, as it arrives."""
    for source, result in zip(sources, results):
        if isinstance(result, JobFailed):       # the worker died on it (killed for memory, a crash)
            bar.done(source, 0.0, "  (failed)")
            _extraction_failed(plan, source, f"its worker {result.reason.removeprefix('its ')}", documents,
                               generation, previous_generation)
            continue
        bar.done(source, result.seconds, "" if not result.error else "  (failed)")
        if result.code != code_fingerprint():
            raise PoolError(f"{source.source_file} was extracted by a worker running another version of this "
                            f"project's code (fingerprint {result.code}, here {code_fingerprint()}); install the "
                            f"same version on every worker")
        if result.error:
            _extraction_failed(plan, source, result.error, documents, generation, previous_generation)
            continue
        # the previous version's graph goes only now that the new one is in hand
        store.remove_graph(str(document_graph_iri(source.source_file)))
        store.load_graph(str(document_graph_iri(source.source_file)), result.ntriples)
        # the text as ingested, so offsets keep pointing at it even if corpus/ moves on
        generation.write_document_text(source.source_file, source.text)
        if source.original is not None:
            generation.write_document_original(source.source_file, source.original)
        # kept for the steps after the store (the index): all of the result but its graph, now in the store
        extracted[source.source_file] = dataclasses.replace(result, ntriples=b"")
        documents[source.source_file] = {
            "sha256": source.sha256,
            "media_type": source.media_type,
            "text_sha256": source.text_sha256,
            "document": str(document_iri(source.source_file)),
            "graph": str(document_graph_iri(source.source_file)),
            "title": result.title,
            "characters": len(source.text),
            "passages": result.passages,
            "triples": result.triples,
        }


def _build_generation(data: DataDir, plan: Plan, previous_generation: Generation | None, generation: Generation,
                      progress: bool, steps: list, pool, mode: str = "full") -> dict:
    incremental = previous_generation is not None and not plan.rebuild
    if incremental:
        previous_generation.open_store().backup(generation.store_path)
    store = generation.open_store(read_only=False)
    if not incremental:
        store.load_reference_graphs(mode)
    for name in plan.removed:
        store.remove_graph(str(document_graph_iri(name)))
    documents: dict[str, dict] = {}
    extracted: dict[str, DocumentResult] = {}
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
    # the index's rows and passage vectors are made by the jobs too, on every core beside extraction
    # (each on its share of the cores: a pool runs at most one job per document at once)
    running = max(1, min(getattr(pool, "workers", 1), len(sources)))
    index_request = next((step.job_request(data, running) for step in steps if hasattr(step, "job_request")), None)
    results = pool.run(extract_job, jobs, vocabulary_payload(mode), within, index_request) if sources else iter(())
    bar = _DocumentProgress(len(sources), progress)
    try:
        _store_results(plan, sources, results, bar, store, documents, extracted, generation,
                       previous_generation if incremental else None)
    finally:
        bar.close()
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
