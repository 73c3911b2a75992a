"""Ingest with awkward corpora and faults: CRLF text, pipes and sockets, links out of the corpus,
subfolders, encodings, big documents, and a data folder that cannot be written."""
from __future__ import annotations

import errno
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import highlighted_text
from ingest.pipeline import run_ingest
from kg.datadir import DataDir
from kg.namespaces import ID_BASE, document_iri
from paths import SEED_CORPUS

ROOT = Path(__file__).resolve().parent.parent
CORPUS = SEED_CORPUS

FACTS = ("# Medical coding in Texas\n\nThe Certified Professional Coder (CPC) credential is offered by the AAPC.\n\n"
         "Medical coders in Austin, TX earn a median of $23.00 an hour.\n\nThe CCS is awarded by AHIMA.\n")
CLAIMS = """PREFIX mbc: <https://w3id.org/mbc-kg/ontology#>
SELECT ?quote ?start ?end WHERE { GRAPH ?g { ?c mbc:quote ?quote ; mbc:start ?start ; mbc:end ?end } }"""


def ingest_cli(corpus: Path, data: Path, *extra: str, timeout: float = 180, env: dict | None = None):
    return subprocess.run([sys.executable, "-m", "ingest", "--corpus", str(corpus), "--data", str(data), "--no-index",
                           "--no-progress", *extra], cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


def claims(data: Path) -> list[tuple[str, int, int]]:
    store = DataDir(data).require_current().open_store()
    return [(row["quote"].value, int(row["start"].value), int(row["end"].value))
            for row in store.oxigraph.query(CLAIMS)]


def make_app(data: Path):
    from service import Config, create_app

    return create_app(Config(data_dir=data, sparql_workers=1))


def close_app(application) -> None:
    from service import state

    state.query_pool(application).close()


# ---------------------------------------------------------------- 1. CRLF: one text, read one way


def test_a_crlf_document_cites_the_text_it_serves_and_highlights(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "crlf.txt").write_bytes(FACTS.replace("\n", "\r\n").encode())
    data = tmp_path / "data"
    from ingest.indexing import IndexStep

    assert run_ingest(corpus, data, progress=False, steps=[IndexStep()]).exit_status == 0
    text = DataDir(data).require_current().document_text("crlf.txt")
    assert "\r\n" in text, "the served text lost its carriage returns"
    found = claims(data)
    # claims after the first line break: with newline translation every one of them would be off
    late = [(q, s, e) for q, s, e in found if s > text.index("\r\n")]
    assert len(late) >= 3
    application = make_app(data)
    try:
        client = application.test_client()
        for quote, start, end in late:
            assert text[start:end] == quote
            page = client.get(f"/documents/crlf.txt?start={start}&end={end}").get_data(as_text=True)
            assert highlighted_text(page) == quote
    finally:
        close_app(application)
    from search import Searcher

    hits = Searcher.open(data).search("who awards the CCS", k=5, refuse=False)["results"]
    assert hits
    for hit in hits:
        assert text[hit["start"]:hit["end"]] == hit["text"]
        assert text[hit["highlight"]["start"]:hit["highlight"]["end"]] == hit["highlight"]["text"]


# ---------------------------------------------------------------- 2. only regular files; no way out


def test_pipes_and_sockets_are_named_and_skipped_never_opened(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(FACTS)
    os.mkfifo(corpus / "pipe.txt")          # opening it for reading would wait for a writer forever
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(corpus / "s.sock"))
    try:
        result = ingest_cli(corpus, tmp_path / "data", timeout=120)
    finally:
        listener.close()
    assert result.returncode == 3, result.stderr
    assert re.search(r"pipe\.txt: a named pipe, not a regular file", result.stderr)
    assert re.search(r"s\.sock: a socket, not a regular file", result.stderr)
    assert list(DataDir(tmp_path / "data").require_current().documents) == ["a.txt"]


def test_a_link_out_of_the_corpus_is_never_read_or_served(tmp_path):
    marker = "Zyxwvutsmarker"
    outside = tmp_path / "private" / "secret.txt"
    outside.parent.mkdir()
    outside.write_text(f"# {marker}\n\nMedical coders at {marker} earn $99.00 an hour; the CPC is offered by AAPC.\n")
    corpus = tmp_path / "corpus"
    (corpus / "texas").mkdir(parents=True)
    (corpus / "texas" / "a.txt").write_text(FACTS)
    (corpus / "secret.txt").symlink_to(outside)
    (corpus / "up.txt").symlink_to(Path("..") / "private" / "secret.txt")      # relative, same place
    (corpus / "folder").symlink_to(outside.parent, target_is_directory=True)
    (corpus / "alias.txt").symlink_to(Path("texas") / "a.txt")                 # inside: fine
    (corpus / "again").symlink_to("texas", target_is_directory=True)          # inside, but a folder
    data = tmp_path / "data"
    result = ingest_cli(corpus, data)
    assert result.returncode == 3, result.stderr
    for name in ("secret.txt", "up.txt", "folder"):
        assert re.search(rf"{name}: a link that leads outside the corpus folder; not read", result.stderr)
    assert "again: a link to a folder" in result.stderr
    assert sorted(DataDir(data).require_current().documents) == ["alias.txt", "texas/a.txt"]
    for path in data.rglob("*"):
        if path.is_file():
            assert marker.encode() not in path.read_bytes(), f"{path} holds the outside file's text"


# ---------------------------------------------------------------- 3. subfolders: the relative path is the name


def test_documents_in_subfolders_are_named_by_their_path_and_served(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "texas").mkdir(parents=True)
    (corpus / "texas" / "a.txt").write_text(FACTS)
    (corpus / "b.txt").write_text(FACTS.replace("Texas", "Ohio"))
    (corpus / ".hidden.txt").write_text(FACTS)
    (corpus / ".git").mkdir()
    (corpus / ".git" / "c.txt").write_text(FACTS)
    (corpus / "texas" / ".d.txt").write_text(FACTS)
    data = tmp_path / "data"
    report = run_ingest(corpus, data, progress=False)
    assert report.problems == [] and report.extracted == ["b.txt", "texas/a.txt"]
    generation = DataDir(data).require_current()
    assert generation.documents["texas/a.txt"]["document"] == ID_BASE + "document/texas/a.txt"
    assert generation.document_text("texas/a.txt") == FACTS
    assert [p.name for p in generation.documents_dir.iterdir() if p.name.startswith("texas")] == ["texas%2Fa.txt"]
    application = make_app(data)
    try:
        client = application.test_client()
        assert FACTS.splitlines()[2] in client.get("/documents/texas/a.txt").get_data(as_text=True)
        turtle = client.get("/id/document/texas/a.txt", headers={"Accept": "text/turtle"})
        assert turtle.status_code == 200 and b"texas/a.txt" in turtle.data
        for bad in ("/documents/texas/../b.txt", "/documents/..%2Fb.txt", "/documents/texas%2Fa.txt/..",
                    "/documents/texas", "/documents/%2Fetc%2Fpasswd", "/documents/texas/a.txt/"):
            response = client.get(bad)
            assert response.status_code in (404, 308), bad
            if response.status_code == 308:   # a slash merge: relative, and to a name that exists
                assert not response.headers["Location"].startswith("http")
    finally:
        close_app(application)


def test_a_name_with_a_slash_makes_one_iri_and_no_other_name_makes_it():
    assert document_iri("texas/a.txt") == document_iri("texas/a.txt")
    assert str(document_iri("texas/a.txt")).endswith("/document/texas/a.txt")
    assert document_iri("texas%2Fa.txt") != document_iri("texas/a.txt")
    assert str(document_iri("a b.txt")).endswith("/document/a%20b.txt")
    for bad in ("../a.txt", "texas/../a.txt", "/etc/passwd", "texas//a.txt", "texas/", "./a.txt"):
        with pytest.raises(ValueError):
            document_iri(bad)


# ---------------------------------------------------------------- 5. big documents, the size limit


def test_a_file_over_the_size_limit_is_named_and_skipped(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "small.txt").write_text(FACTS)
    (corpus / "big.txt").write_text(FACTS * 40)      # about 8 kB
    by_flag = ingest_cli(corpus, tmp_path / "data1", "--max-document-mb", "0.005")
    by_env = ingest_cli(corpus, tmp_path / "data2", env={"MBC_MAX_DOCUMENT_MB": "0.005"})
    for result, data in ((by_flag, tmp_path / "data1"), (by_env, tmp_path / "data2")):
        assert result.returncode == 3, result.stderr
        assert re.search(r"big\.txt: 0\.0 MB, over the document size limit of 0\.005 MB", result.stderr)
        assert list(DataDir(data).require_current().documents) == ["small.txt"]
    bad = ingest_cli(corpus, tmp_path / "data3", env={"MBC_MAX_DOCUMENT_MB": "lots"})
    assert bad.returncode == 2 and "MBC_MAX_DOCUMENT_MB" in bad.stderr and "Traceback" not in bad.stderr


# ---------------------------------------------------------------- 6. a data folder that cannot be written


def _ingested(tmp_path) -> tuple[Path, Path]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(FACTS)
    data = tmp_path / "data"
    run_ingest(corpus, data, progress=False)
    return corpus, data


def _served(data: Path) -> tuple[str, bytes]:
    return DataDir(data).current_name(), DataDir(data).dump_link.read_bytes()


def _main(capsys, *argv: str) -> tuple[int, str, str]:
    from ingest.__main__ import main

    status = main(["--no-index", "--no-progress", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def _one_line_error(err: str, *words: str) -> None:
    # only ingest's own lines: a query worker of an app closed by an earlier test may still log here
    lines = [line for line in err.strip().splitlines() if line.startswith("ingest:")]
    assert len(lines) == 1 and "Traceback" not in err, err
    assert all(word in lines[0] for word in words), err


def test_a_full_disk_is_one_line_and_the_served_graph_stays(tmp_path, capsys, monkeypatch):
    corpus, data = _ingested(tmp_path)
    before = _served(data)
    (corpus / "b.txt").write_text(FACTS.replace("Texas", "Ohio"))
    from kg.store import GraphStore

    def full(self, path):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(GraphStore, "dump_trig", full)
    status, _, err = _main(capsys, "--corpus", str(corpus), "--data", str(data))
    assert status == 1
    _one_line_error(err, str(data), "disk is full", "free some space", "unchanged")
    assert _served(data) == before
    assert [p.name for p in DataDir(data).generations_dir.iterdir()] == [before[0].split("/")[-1]]


def test_no_permission_to_write_is_one_line(tmp_path, capsys, monkeypatch):
    corpus, data = _ingested(tmp_path)
    before = _served(data)
    (corpus / "b.txt").write_text(FACTS)

    def denied(self):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self.generations_dir))

    monkeypatch.setattr(DataDir, "new_generation", denied)
    status, _, err = _main(capsys, "--corpus", str(corpus), "--data", str(data))
    assert status == 1
    _one_line_error(err, "permission denied", "--data")
    assert _served(data) == before


def _read_only(monkeypatch):
    """Every write into the data folder fails as on a read-only mount (tests run as root, so chmod
    would not stop them)."""
    import builtins

    import kg.datadir

    real_open = builtins.open

    def open_read_only(path, mode="r", *args, **kwargs):
        if any(flag in mode for flag in "wax+"):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, mode, *args, **kwargs)

    def no_generation(self):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(self.generations_dir))

    monkeypatch.setattr(kg.datadir, "open", open_read_only, raising=False)
    monkeypatch.setattr(DataDir, "new_generation", no_generation)


def test_a_read_only_data_folder_is_up_to_date_or_one_line(tmp_path, capsys, monkeypatch):
    corpus, data = _ingested(tmp_path)
    before = _served(data)
    _read_only(monkeypatch)
    status, out, err = _main(capsys, "--corpus", str(corpus), "--data", str(data))
    assert status == 0 and "up to date" in out and err == ""
    (corpus / "b.txt").write_text(FACTS)
    status, _, err = _main(capsys, "--corpus", str(corpus), "--data", str(data))
    assert status == 1
    _one_line_error(err, "read-only file system")
    assert _served(data) == before


def test_a_data_folder_that_cannot_be_created_is_one_line(tmp_path, capsys, monkeypatch):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(FACTS)
    _read_only(monkeypatch)
    monkeypatch.setattr(Path, "mkdir", lambda self, *a, **k: (_ for _ in ()).throw(
        OSError(errno.EROFS, os.strerror(errno.EROFS), str(self))))
    status, _, err = _main(capsys, "--corpus", str(corpus), "--data", str(tmp_path / "data"))
    assert status == 1
    _one_line_error(err, "read-only file system")


# ---------------------------------------------------------------- 5. windows: big documents, same claims


@pytest.fixture(scope="module")
def vocabulary():
    from kg.vocabulary import load_vocabulary

    return load_vocabulary()


def _graph(text: str, vocabulary, **options):
    from ingest.extract import analyse
    from ingest.graph import document_graph

    return set(document_graph("doc.txt", "0" * 64, analyse(text, vocabulary, **options), vocabulary))


def test_cut_points_tile_the_text_at_the_best_boundaries():
    from ingest.windows import cut_points

    text = "".join(f"Para {i} says coders earn ${i}.00 an hour. Then more words follow here.\n\n" for i in range(200))
    cuts = cut_points(text, 1000)
    bounds = [0, *cuts, len(text)]
    assert all(0 < b - a <= 1000 for a, b in zip(bounds, bounds[1:]))
    assert all(text[c - 2:c] == "\n\n" for c in cuts)                       # paragraph boundaries first
    line = " ".join(text.split())
    assert all(line[c - 2:c] in (". ",) for c in cut_points(line, 1000))    # then sentence ends
    assert cut_points("x" * 2500, 1000) == [1000, 2000]                      # a hard cut only when nothing else


@pytest.mark.parametrize("one_line", [False, True])
def test_windowed_extraction_gives_the_claims_of_unwindowed_extraction(vocabulary, one_line):
    text = (CORPUS / "001_c892d1600849e27d.txt").read_text(encoding="utf-8")
    if one_line:
        text = " ".join(text.split())
    whole = _graph(text, vocabulary)
    windowed = _graph(text, vocabulary, window=400)
    assert len(whole) > 500
    assert windowed == whole


def test_a_text_longer_than_spacys_limit_is_parsed_in_windows():
    import spacy

    from ingest.windows import cut_points, parse

    nlp = spacy.blank("en")
    nlp.max_length = 2000
    text = "Medical coders earn $20.00 an hour in Texas. " * 200
    with pytest.raises(ValueError, match="E088"):
        nlp(text)
    doc = parse(nlp, text, cut_points(text, 1000))
    assert len(cut_points(text, 1000)) >= 8
    assert doc.text == text
    assert [(t.idx, t.text) for t in doc] == [(t.idx, t.text) for t in nlp.tokenizer(text)]


def test_a_paragraph_pages_long_gets_the_sentences_it_would_get_at_once(monkeypatch):
    import ingest.segments as segments

    text = " ".join((CORPUS / "003_bf91f39b47747f16.txt").read_text(encoding="utf-8").split())
    assert len(text) > 3 * segments.SEGMENTER_CHARS
    pieces = segments.split_sentences(text, 0, len(text))
    monkeypatch.setattr(segments, "SEGMENTER_CHARS", 10 ** 9)
    assert pieces == segments.split_sentences(text, 0, len(text))


def test_a_big_document_shows_its_progress_when_asked(capsys):
    import spacy

    from ingest.windows import cut_points, parse

    text = "Medical coders earn $20.00 an hour in Texas. " * 100
    parse(spacy.blank("en"), text, cut_points(text, 1000), progress=True)
    assert "characters" in capsys.readouterr().err
    parse(spacy.blank("en"), text, cut_points(text, 1000))
    assert capsys.readouterr().err == ""
