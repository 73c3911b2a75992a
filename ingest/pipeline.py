"""The ingest pipeline: corpus/ -> a new generation of the graph store (and the search index).

Incremental: a document whose bytes and the pipeline's code are unchanged is not touched; an
added, changed or removed document changes only its own named graph. Safe: everything is
written into a new generation directory (the previous store is copied by an Oxigraph
checkpoint, which hard-links its files), and only a complete generation is swapped in by
renaming the `current` symlink, so an interrupted ingest leaves the previous data usable.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from ingest.reader import SourceDocument, UnreadableDocument, corpus_files, file_sha256, read_document
from kg.namespaces import document_graph_iri, document_iri
from kg.store import (DOCUMENTS_DIR, DUMP_FILE, MANIFEST, STORE_DIR, GraphStore, current_generation,
                      read_manifest)

MANIFEST_FORMAT = 1
KEEP_GENERATIONS = 2
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def pipeline_fingerprint(extra: str = "") -> str:
    """Changes whenever the code or reference data that shapes the graph changes."""
    digest = hashlib.sha256(f"format={MANIFEST_FORMAT};{extra}".encode())
    for folder in ("ingest", "kg"):
        for path in sorted((PROJECT_ROOT / folder).glob("*")):
            if path.suffix in (".py", ".ttl"):
                digest.update(path.name.encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


@dataclass
class Extracted:
    analysis: object      # ingest.extract.Analysis
    graph: object         # the document's rdflib Graph


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
    generation: Path | None
    seconds: float
    triples: int = 0

    @property
    def exit_status(self) -> int:
        return 3 if self.problems else 0


def plan_ingest(corpus_dir: Path, previous: dict, fingerprint: str) -> Plan:
    previous_documents = previous.get("documents", {}) if previous.get("fingerprint") == fingerprint else {}
    plan = Plan(fingerprint=fingerprint, rebuild=bool(previous) and previous.get("fingerprint") != fingerprint)
    seen: set[str] = set()
    for path in corpus_files(corpus_dir):
        seen.add(path.name)
        entry = previous_documents.get(path.name)
        try:
            if entry is not None and path.is_file() and file_sha256(path) == entry["sha256"]:
                plan.unchanged[path.name] = entry
                continue
            plan.to_extract.append(read_document(path))
        except UnreadableDocument as problem:
            plan.problems.append(problem)
            if entry is not None:
                # keep the last good version rather than lose the document to a bad write
                plan.unchanged[path.name] = entry
                plan.kept_after_problem.append(path.name)
        except OSError as error:
            plan.problems.append(UnreadableDocument(path, f"cannot be read ({error})"))
    plan.removed = sorted(set(previous.get("documents", {})) - seen)
    if plan.rebuild:
        plan.removed = []
    return plan


class _Lock:
    """One ingest at a time per data directory."""

    def __init__(self, data_dir: Path):
        self.path = data_dir / ".ingest.lock"

    def __enter__(self):
        self.handle = open(self.path, "w")
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RuntimeError(f"another ingest is running on {self.path.parent}; wait for it to finish") from None
        return self

    def __exit__(self, *exc):
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()


def _new_generation_dir(data_dir: Path) -> Path:
    generations = data_dir / "generations"
    generations.mkdir(parents=True, exist_ok=True)
    # sortable and unique: pruning keeps the newest generations by name
    name = time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + f".{time.time_ns() % 10**9:09d}-{os.getpid()}"
    path = generations / f"{name}.partial"
    if path.exists():
        shutil.rmtree(path)
    path.mkdir()
    return path


def _clean_partial_generations(data_dir: Path) -> None:
    for leftover in (data_dir / "generations").glob("*.partial"):
        shutil.rmtree(leftover, ignore_errors=True)


def _swap_in(data_dir: Path, partial: Path) -> Path:
    final = partial.with_name(partial.name.removesuffix(".partial"))
    partial.rename(final)
    temporary_link = data_dir / "current.new"
    if temporary_link.is_symlink() or temporary_link.exists():
        temporary_link.unlink()
    temporary_link.symlink_to(Path("generations") / final.name)
    os.replace(temporary_link, data_dir / "current")  # atomic on POSIX
    dump_link = data_dir / DUMP_FILE
    if not dump_link.is_symlink():
        if dump_link.exists():
            dump_link.unlink()
        dump_link.symlink_to(Path("current") / DUMP_FILE)
    return final


def _prune_generations(data_dir: Path, live: Path) -> None:
    generations = sorted(p for p in (data_dir / "generations").iterdir() if not p.name.endswith(".partial"))
    for old in generations[:-KEEP_GENERATIONS]:
        if old.resolve() != live.resolve():
            shutil.rmtree(old, ignore_errors=True)


def _snapshot(source: SourceDocument, generation: Path) -> None:
    """The ingested text, so offsets keep pointing at what was ingested even if corpus/ moves on."""
    documents = generation / DOCUMENTS_DIR
    documents.mkdir(exist_ok=True)
    (documents / source.source_file).write_bytes(source.text.encode("utf-8"))


def _carry_snapshot(name: str, previous: Path, generation: Path) -> None:
    documents = generation / DOCUMENTS_DIR
    documents.mkdir(exist_ok=True)
    source = previous / DOCUMENTS_DIR / name
    target = documents / name
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _progress(iterable, total: int, description: str, enabled: bool):
    if not enabled:
        return iterable
    from tqdm import tqdm

    return tqdm(iterable, total=total, desc=description, unit="doc", file=sys.stderr, leave=False)


def extract_document(source: SourceDocument):
    """Text to the document's named graph (pure: no store involved)."""
    from ingest.extract import analyse
    from ingest.graph import document_graph
    from kg.vocabulary import load_vocabulary

    vocabulary = load_vocabulary()
    analysis = analyse(source.text, vocabulary)
    return analysis, document_graph(source.source_file, source.sha256, analysis, vocabulary)


def run_ingest(corpus_dir: Path, data_dir: Path, progress: bool = True, steps: list | None = None) -> Report:
    """Ingest `corpus_dir` into `data_dir`. `steps` are extra per-generation builders (the search index)."""
    started = time.perf_counter()
    corpus_dir, data_dir = Path(corpus_dir), Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    steps = steps or []
    with _Lock(data_dir):
        _clean_partial_generations(data_dir)
        previous_generation = current_generation(data_dir)
        previous = read_manifest(previous_generation)
        fingerprint = pipeline_fingerprint(";".join(step.fingerprint() for step in steps))
        plan = plan_ingest(corpus_dir, previous, fingerprint)
        if not plan.changes and previous_generation is not None:
            return Report([], sorted(plan.unchanged), [], plan.problems, None, time.perf_counter() - started)
        generation = _new_generation_dir(data_dir)
        try:
            manifest = _build_generation(plan, previous, previous_generation, generation, progress, steps)
        except BaseException:
            shutil.rmtree(generation, ignore_errors=True)
            raise
        live = _swap_in(data_dir, generation)
        _prune_generations(data_dir, live)
        return Report(sorted(d.source_file for d in plan.to_extract), sorted(plan.unchanged), plan.removed,
                      plan.problems, live, time.perf_counter() - started, manifest["triples"])


def _build_generation(plan: Plan, previous: dict, previous_generation: Path | None, generation: Path,
                      progress: bool, steps: list) -> dict:
    incremental = previous_generation is not None and not plan.rebuild
    if incremental:
        GraphStore(previous_generation / STORE_DIR, read_only=True).backup(generation / STORE_DIR)
    store = GraphStore(generation / STORE_DIR)
    if not incremental:
        store.load_reference_graphs()
    for name in plan.removed + [d.source_file for d in plan.to_extract]:
        store.remove_graph(str(document_graph_iri(name)))
    documents: dict[str, dict] = {}
    extracted: dict[str, Extracted] = {}
    for name, entry in plan.unchanged.items():
        documents[name] = entry
        _carry_snapshot(name, previous_generation, generation)
    for source in _progress(plan.to_extract, len(plan.to_extract), "documents", progress):
        analysis, graph = extract_document(source)
        triples = store.replace_graph(str(document_graph_iri(source.source_file)), graph)
        _snapshot(source, generation)
        extracted[source.source_file] = Extracted(analysis, graph)
        documents[source.source_file] = {
            "sha256": source.sha256,
            "document": str(document_iri(source.source_file)),
            "graph": str(document_graph_iri(source.source_file)),
            "title": analysis.title or source.source_file,
            "characters": len(source.text),
            "passages": len(analysis.passages),
            "triples": triples,
        }
    store.rebuild_default_graph()
    store.flush()
    for step in steps:
        step.build(generation, previous_generation if incremental else None, plan, extracted, documents, progress)
    store.dump_trig(generation / DUMP_FILE)
    manifest = {
        "format": MANIFEST_FORMAT,
        "fingerprint": plan.fingerprint,
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "documents": dict(sorted(documents.items())),
        "triples": sum(entry["triples"] for entry in documents.values()),
        "distinct_triples": store.default_graph_size(),
    }
    for step in steps:
        manifest.update(step.manifest_entries())
    (generation / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    del store
    return manifest
