"""The ingest pipeline as a user runs it: incremental, safe on bad input and on interruption."""
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.pipeline import run_ingest
from kg.datadir import DataDir
from kg.namespaces import document_graph_iri
from paths import SEED_CORPUS

ROOT = Path(__file__).resolve().parent.parent


def graph_sizes(data: Path) -> dict[str, int]:
    return {name: entry["triples"] for name, entry in DataDir(data).require_current().documents.items()}


def open_current(data: Path):
    generation = DataDir(data).require_current()
    return generation.open_store(), generation.manifest, generation


def test_cli_ingests_and_a_second_run_rewrites_nothing(tmp_path, corpus_copy):
    data = tmp_path / "data"
    command = [sys.executable, "-m", "ingest", "--corpus", str(corpus_copy), "--data", str(data), "--no-index"]
    first = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    generation = DataDir(data).require_current()
    assert DataDir(data).dump_link.exists() and generation.store_path.is_dir()
    stamp = generation.dump_path.stat().st_mtime_ns
    second = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert second.returncode == 0 and "up to date" in second.stdout
    assert DataDir(data).require_current() == generation
    assert generation.dump_path.stat().st_mtime_ns == stamp


def test_a_changed_document_changes_only_its_own_graph(tmp_path, corpus_copy):
    data = tmp_path / "data"
    run_ingest(corpus_copy, data, progress=False)
    before = graph_sizes(data)
    changed = sorted(corpus_copy.iterdir())[2]
    changed.write_text(changed.read_text() + "\nIn Ohio, coders earn a median of $21.10 an hour.\n")
    report = run_ingest(corpus_copy, data, progress=False)
    assert report.extracted == [changed.name]
    after = graph_sizes(data)
    assert after[changed.name] > before[changed.name]
    assert {k: v for k, v in after.items() if k != changed.name} == {k: v for k, v in before.items() if k != changed.name}
    store, _, _ = open_current(data)
    query = f"ASK {{ GRAPH <{document_graph_iri(changed.name)}> {{ ?w <https://w3id.org/mbc-kg/ontology#median> 21.10 }} }}"
    assert store.oxigraph.query(query)


def test_added_and_removed_documents(tmp_path, corpus_copy):
    data = tmp_path / "data"
    run_ingest(corpus_copy, data, progress=False)
    removed = sorted(corpus_copy.iterdir())[0]
    removed.unlink()
    (corpus_copy / "new.md").write_text("# Coding in Texas\n\nCoders in Austin, TX earn $23.00 an hour.\n")
    report = run_ingest(corpus_copy, data, progress=False)
    assert report.removed == [removed.name] and report.extracted == ["new.md"]
    store, manifest, _ = open_current(data)
    graphs = store.named_graphs()
    assert str(document_graph_iri(removed.name)) not in graphs
    assert str(document_graph_iri("new.md")) in graphs
    assert removed.name not in manifest["documents"]


def test_bad_files_are_named_and_skipped_and_the_rest_ingests(tmp_path, corpus_copy):
    (corpus_copy / "empty.txt").write_bytes(b"")
    (corpus_copy / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (corpus_copy / "latin1.txt").write_bytes("r\u00e9sum\u00e9 of a coder".encode("latin-1"))
    data = tmp_path / "data"
    result = subprocess.run([sys.executable, "-m", "ingest", "--corpus", str(corpus_copy), "--data", str(data),
                             "--no-index"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 3
    for name, reason in (("empty.txt", "empty"), ("image.png", "binary"), ("latin1.txt", "not UTF-8")):
        assert name in result.stderr and reason in result.stderr
    assert len(graph_sizes(data)) == 4


def test_an_interrupted_ingest_leaves_the_previous_data_usable(tmp_path, corpus_copy):
    data = tmp_path / "data"
    run_ingest(corpus_copy, data, progress=False)
    live = DataDir(data).require_current()
    trig = DataDir(data).dump_link.read_bytes()
    changed = sorted(corpus_copy.iterdir())[1]
    changed.write_text(changed.read_text() + "\nMore text about coders.\n")

    class Interrupt:
        def fingerprint(self):
            return "interrupt"

        def build(self, *args):
            raise KeyboardInterrupt

        def manifest_entries(self):
            return {}

    with pytest.raises(KeyboardInterrupt):
        run_ingest(corpus_copy, data, progress=False, steps=[Interrupt()])
    assert DataDir(data).require_current() == live
    assert DataDir(data).dump_link.read_bytes() == trig
    assert [g.name for g in DataDir(data).generations()] == [live.name]
    store, manifest, _ = open_current(data)
    assert len(store) > 0 and len(manifest["documents"]) == 4


def test_missing_corpus_is_a_clear_error(tmp_path):
    result = subprocess.run([sys.executable, "-m", "ingest", "--corpus", str(tmp_path / "nope"), "--data",
                             str(tmp_path / "data"), "--no-index"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1 and "does not exist" in result.stderr


def test_an_empty_corpus_is_ingested_with_a_warning(tmp_path):
    (tmp_path / "empty").mkdir()
    result = subprocess.run([sys.executable, "-m", "ingest", "--corpus", str(tmp_path / "empty"), "--data",
                             str(tmp_path / "data"), "--no-index"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0 and "holds no documents" in result.stderr, result.stderr


def test_the_graph_is_the_same_whatever_the_number_of_workers(tmp_path, graph_data_dir):
    """--workers 2 extracts on a process pool; kg.trig is byte for byte the in-process one."""
    data = tmp_path / "data"
    result = subprocess.run([sys.executable, "-m", "ingest", "--corpus", str(SEED_CORPUS), "--data", str(data),
                             "--no-index", "--workers", "2"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (data / "kg.trig").read_bytes() == (graph_data_dir / "kg.trig").read_bytes()


def test_workers_must_be_a_positive_number(tmp_path, monkeypatch):
    command = [sys.executable, "-m", "ingest", "--corpus", str(SEED_CORPUS), "--data", str(tmp_path / "d")]
    assert "at least 1" in subprocess.run(command + ["--workers", "0"], cwd=ROOT, capture_output=True,
                                          text=True).stderr
    bad = subprocess.run(command, cwd=ROOT, capture_output=True, text=True,
                         env={**__import__("os").environ, "MBC_INGEST_WORKERS": "many"})
    assert bad.returncode != 0 and "MBC_INGEST_WORKERS" in bad.stderr
    assert not (tmp_path / "d").exists()
