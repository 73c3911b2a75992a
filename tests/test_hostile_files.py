"""Hostile files from the web (issue 23, items 3-6): a PDF that loops, token runs that were quadratic,
bombs that the file-size limit never saw, malformed files that raised deep in a library. Each is made by a
small generator (tests/hostile_files.py). What must hold: the bad file is named and skipped with its
reason, everything else ingests, the run ends in bounded time and memory, the exit status is 3."""
from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import hostile_files as hostile  # noqa: E402

from ingest.formats import DOCX, HTML, PDF, UnreadableFormat, convert, convert_job  # noqa: E402
from ingest.formats.limits import SETTINGS, Limits, LimitExceeded, limits_from  # noqa: E402
from ingest.pool import GuardedPool, JobFailed  # noqa: E402
from kg.datadir import DataDir, IngestRunning  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def ingest_cli(corpus: Path, data: Path, *extra: str, timeout: float = 300, env: dict | None = None):
    return subprocess.run([sys.executable, "-m", "ingest", "--corpus", str(corpus), "--data", str(data), "--no-index",
                           "--no-progress", *extra], cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


def skip_line(stderr: str, name: str) -> str:
    lines = [line for line in stderr.splitlines() if f"/{name}:" in line]
    assert len(lines) == 1, stderr
    return lines[0]


# ---------------------------------------------------------------- 5. limits on what a file becomes


def test_a_docx_zip_bomb_is_refused_before_it_is_inflated():
    bomb = hostile.zip_bomb_docx(40)        # 40 MB of XML in about 0.2 MB
    started = time.perf_counter()
    with pytest.raises(LimitExceeded, match=r"inflate to more than the limit of 10 MB.*--max-decompressed-mb"):
        convert(DOCX, bomb, Limits(decompressed_bytes=10_000_000))
    assert time.perf_counter() - started < 2, "the parts were inflated before the sizes were checked"


def test_a_docx_cell_spanning_thirty_million_columns_is_refused_without_making_them():
    started = time.perf_counter()
    with pytest.raises(LimitExceeded, match=r"1 row and 30,000,000 columns is over the limit of 100,000 cells"):
        convert(DOCX, hostile.grid_span_docx())
    with pytest.raises(LimitExceeded, match="cells"):
        convert(DOCX, hostile.wide_table_docx())
    assert time.perf_counter() - started < 5


def test_a_table_is_counted_with_its_rows_padded_to_the_widest():
    # 100 rows, one of them 30 cells wide: 3,000 cells once padded, though the page names 130
    rows = "".join(f"<tr><td>{i}</td></tr>" for i in range(100))
    wide = "<tr>" + "".join(f"<td>c{i}</td>" for i in range(30)) + "</tr>"
    page = (f"<html><body><main><h1>Coder wages by county</h1><p>{'Medical coders earn a fair wage here. ' * 5}</p>"
            f"<table>{wide}{rows}</table></main></body></html>").encode()
    with pytest.raises(LimitExceeded, match="101 rows and 30 columns is over the limit of 2,000 cells"):
        convert(HTML, page, Limits(table_cells=2_000))
    assert "| c0 | c1 |" in convert(HTML, page, Limits(table_cells=5_000))


def test_a_pdf_flate_bomb_stops_at_the_decompression_limit():
    bomb = hostile.flate_bomb_pdf(300)          # 300 MB in about 0.3 MB
    started = time.perf_counter()
    with pytest.raises(LimitExceeded, match=r"inflate to more than the limit of 100 MB"):
        convert(PDF, bomb)
    assert time.perf_counter() - started < 20


def test_a_flate_bomb_with_a_bad_checksum_stops_too():
    """pdfminer reads a stream whose checksum is wrong byte by byte (quadratic); ours is bounded too."""
    data = hostile.deflate_repeated(b"BT /F1 12 Tf 72 720 Td (x) Tj ET\n", b" " * 1_000_000, 50)
    broken = data[:-4] + bytes(4)
    pdf = hostile._pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
                        b"/Resources << /Font << /F1 5 0 R >> >> >>",
                        hostile._stream(broken, compressed=True), hostile.FONT])
    with pytest.raises(LimitExceeded, match="inflate to more than the limit of 10 MB"):
        convert(PDF, pdf, Limits(decompressed_bytes=10_000_000))


def test_a_pdf_of_fifty_thousand_pages_is_refused_from_its_page_tree():
    started = time.perf_counter()
    with pytest.raises(LimitExceeded, match=r"more pages than the limit of 1,000.*--max-pages"):
        convert(PDF, hostile.many_pages_pdf())
    assert time.perf_counter() - started < 30
    assert "21.40" in convert(PDF, hostile.many_pages_pdf(1))


def test_the_text_limit_stops_a_conversion():
    with pytest.raises(LimitExceeded, match=r"text runs past the limit of 100 characters.*--max-text-chars"):
        convert(HTML, hostile.good_html(), Limits(text_chars=100))


def test_every_limit_has_a_flag_an_environment_variable_and_a_readme_line():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for setting in SETTINGS:
        assert setting.flag in readme and setting.environment in readme, setting
    assert limits_from({"pages": "7"}, {"MBC_MAX_PAGES": "9"}).pages == 7
    assert limits_from({}, {"MBC_MAX_DECOMPRESSED_MB": "2.5"}).decompressed_bytes == 2_500_000
    for bad in ("lots", "0", "-1", "nan", "1.5"):
        with pytest.raises(ValueError, match="MBC_MAX_PAGES"):
            limits_from({}, {"MBC_MAX_PAGES": bad})


# ---------------------------------------------------------------- 6. a malformed file is one skip, never a crash


def _cells_as_python_docx_reads_them(data: bytes) -> list[list[str]]:
    """The table reading this project used before (python-docx's `_Row.cells`), for well-formed tables."""
    import io

    import docx

    rows = []
    for table in docx.Document(io.BytesIO(data)).tables:
        for row in table.rows:
            cells, previous = [], None
            for cell in row.cells:
                cells.append("" if cell._tc is previous else cell.text)
                previous = cell._tc
            rows.append(cells)
    return rows


def test_docx_tables_read_as_python_docx_read_well_formed_ones():
    from ingest.formats.render import pipe_table

    data = hostile.docx_with_table()
    expected = pipe_table(_cells_as_python_docx_reads_them(data), header=True)
    text = convert(DOCX, data)
    assert "\n".join(expected) in text
    assert "| Area | Hourly Median | Hourly Mean |" in text      # the merged header, as before


def test_a_vertical_merge_in_the_first_row_is_read_not_raised():
    text = convert(DOCX, hostile.vmerge_first_row_docx())
    assert "| Area | Hourly median |" in text and "| Ohio | $21.40 |" in text


def test_a_library_error_is_named_not_raised(monkeypatch):
    from ingest.formats import html

    def broken(data):
        raise KeyError("a bug deep in a library")

    monkeypatch.setattr(html, "html_to_text", broken)
    with pytest.raises(UnreadableFormat, match=r"damaged or unsupported HTML page \(KeyError: 'a bug deep"):
        convert(HTML, b"<html></html>")


FUZZ_SEED = 23
FUZZ_PER_FORMAT = 40


def _mutants() -> list[tuple[str, str, bytes]]:
    from test_formats import PAGE, pdf_bytes

    rng = random.Random(FUZZ_SEED)
    docx_seed, pdf_seeds, html_seed = hostile.docx_with_table(), [pdf_bytes(), hostile.good_pdf()], PAGE.encode()
    mutants = []
    for index in range(FUZZ_PER_FORMAT):
        mutants.append((f"m{index}.docx", DOCX, hostile.mutate_docx(docx_seed, rng) if index % 4 else
                        hostile.mutate(docx_seed, rng)))
        mutants.append((f"m{index}.pdf", PDF, hostile.mutate(pdf_seeds[index % 2], rng, edits=12)))
        mutants.append((f"m{index}.html", HTML, hostile.mutate(html_seed, rng, edits=16)))
    return mutants


def test_fuzz_mutated_files_convert_or_are_named_never_raise():
    """Seeded mutations of a Word file (its XML: merges, spans, numbering, broken tags), a PDF and an HTML
    page; each converted in a guarded process (so a hang is a failure of the test, not a hung CI): the
    outcome is a text or a reason, never an exception that escapes the converter."""
    mutants = _mutants()
    outcomes = {}
    with GuardedPool(2, seconds=30, memory_bytes=1_500_000_000) as pool:
        for (name, kind, data), outcome in zip(mutants, pool.run(convert_job, [(k, d) for _, k, d in mutants])):
            outcomes[name] = outcome
    escaped = {name: outcome for name, outcome in outcomes.items() if isinstance(outcome, JobFailed)}
    assert not escaped, escaped
    kinds = {outcome[0] for outcome in outcomes.values()}
    assert kinds == {"text", "unreadable"}, kinds      # the mutations reach both ends
    for name, (status, value) in outcomes.items():
        assert isinstance(value, str) and value, name
        if status == "unreadable":
            assert "\n" not in value and len(value) < 400, value


def test_fuzz_through_ingest_every_bad_file_is_one_line_and_the_good_ones_stay(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(hostile.GOOD_TEXT)
    for name, _, data in _mutants()[::6]:
        (corpus / name).write_bytes(data)
    result = ingest_cli(corpus, tmp_path / "data", "--workers", "2")
    assert result.returncode in (0, 3), result.stderr
    assert "Traceback" not in result.stderr
    manifest = DataDir(tmp_path / "data").require_current().manifest
    assert "good.txt" in manifest["documents"]
    skipped = [line for line in result.stderr.splitlines() if line.startswith("ingest: skipped")]
    assert len(skipped) + len(manifest["documents"]) == len(list(corpus.iterdir()))


def test_an_error_extracting_one_document_skips_it_and_keeps_its_last_good_version(tmp_path, monkeypatch):
    from ingest import jobs
    from ingest.pipeline import run_ingest

    real = jobs.extract_document

    def fragile(source, vocabulary, *rest, **options):
        if "EXPLODE" in source.text:
            raise IndexError("list index out of range")
        return real(source, vocabulary, *rest, **options)

    monkeypatch.setattr(jobs, "extract_document", fragile)
    corpus, data = tmp_path / "corpus", tmp_path / "data"
    corpus.mkdir()
    (corpus / "a.txt").write_text(hostile.GOOD_TEXT)
    (corpus / "b.txt").write_text("# Billing in Ohio\n\nThe CCS is awarded by AHIMA.\n")
    assert run_ingest(corpus, data, progress=False).exit_status == 0
    before = DataDir(data).require_current().document_text("b.txt")
    (corpus / "b.txt").write_text("# Billing in Ohio\n\nEXPLODE\n")
    (corpus / "c.txt").write_text("EXPLODE right away\n")
    report = run_ingest(corpus, data, progress=False)
    assert report.exit_status == 3
    reasons = {Path(str(problem.path)).name: problem.reason for problem in report.problems}
    assert set(reasons) == {"b.txt", "c.txt"}
    assert "extracting its facts failed (IndexError: list index out of range)" in reasons["b.txt"]
    current = DataDir(data).require_current()
    assert sorted(current.manifest["documents"]) == ["a.txt", "b.txt"]      # b's last good version stays
    assert current.document_text("b.txt") == before
    store = current.open_store()
    from kg.namespaces import document_graph_iri

    assert str(document_graph_iri("b.txt")) in store.named_graphs()
    assert report.extracted == []


# ---------------------------------------------------------------- 3. time and memory limits; the lock


def _sleep_forever(item):
    while True:
        time.sleep(1)


def _allocate(megabytes):
    hoard = []
    for _ in range(megabytes):
        hoard.append(bytearray(1_000_000))
        time.sleep(0.002)
    return len(hoard)


def _raise(item):
    raise ValueError(f"bad item {item}")


def _die(item):
    os.kill(os.getpid(), signal.SIGSEGV)


def _double(item):
    return item * 2


def test_the_guarded_pool_stops_what_runs_too_long_or_too_big_and_goes_on():
    with GuardedPool(2, seconds=3, memory_bytes=300_000_000) as pool:
        started = time.perf_counter()
        assert list(pool.run(_double, [1, 2, 3])) == [2, 4, 6]
        hung, = pool.run(_sleep_forever, [None])
        assert isinstance(hung, JobFailed) and hung.reason == "took longer than 3 s"
        assert time.perf_counter() - started < 20
        raised, crashed, fine = pool.run(_raise, [1]), pool.run(_die, [2]), pool.run(_double, [21])
        assert next(raised).reason == "raised ValueError: bad item 1"
        assert "SIGSEGV" in next(crashed).reason
        assert list(fine) == [42]       # a killed or dead worker is replaced
    # the memory limit, on its own clock (allocating slows down a busy machine, not the limit)
    with GuardedPool(2, seconds=120, memory_bytes=300_000_000) as pool:
        big, small = pool.run(_allocate, [2000, 5])
        assert isinstance(big, JobFailed) and big.reason.startswith("used more than 300 MB of memory"), big
        assert small == 5


def _double_or_die(item):
    if item < 0:
        os.kill(os.getpid(), signal.SIGKILL)        # as the kernel's out-of-memory killer would
    return item * 2


def test_a_dead_extraction_worker_fails_only_its_own_item():
    from ingest.pool import LocalPool

    results = list(LocalPool(2).run(_double_or_die, [1, -1, 2, 3]))
    assert results[0] == 2 and results[2:] == [4, 6]
    assert isinstance(results[1], JobFailed) and "SIGKILL" in results[1].reason


def test_a_pdf_that_loops_for_ever_is_stopped_named_and_the_rest_ingests(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(hostile.GOOD_TEXT)
    (corpus / "good.pdf").write_bytes(hostile.good_pdf())
    (corpus / "circular.pdf").write_bytes(hostile.circular_pdf())
    started = time.perf_counter()
    result = ingest_cli(corpus, tmp_path / "data", "--convert-timeout", "5")
    assert time.perf_counter() - started < 120
    assert result.returncode == 3, result.stderr
    assert "took longer than the limit of 5 s" in skip_line(result.stderr, "circular.pdf")
    assert sorted(DataDir(tmp_path / "data").require_current().manifest["documents"]) == ["good.pdf", "good.txt"]
    again = ingest_cli(corpus, tmp_path / "data", "--convert-timeout", "5")       # the lock was let go
    assert again.returncode == 3 and "another ingest" not in again.stderr, again.stderr


def test_a_lock_left_by_a_dead_ingest_is_taken_over_with_a_line(tmp_path):
    import socket

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    data = DataDir(tmp_path / "data")
    data.root.mkdir()
    (data.root / ".ingest.lock").write_text(f"{dead.pid} - {socket.gethostname()} 2026-01-01T00:00:00+0000\n")
    lines = []
    with data.lock(notice=lines.append):
        assert str(os.getpid()) == (data.root / ".ingest.lock").read_text().split()[0]
    assert len(lines) == 1 and f"pid {dead.pid}" in lines[0] and "ended without releasing it" in lines[0]
    assert (data.root / ".ingest.lock").read_text() == ""      # released cleanly: nothing to take over next time
    lines.clear()
    with data.lock(notice=lines.append):
        pass
    assert lines == []


def test_a_lock_still_held_by_an_orphan_of_a_dead_ingest_is_taken_over(tmp_path):
    """The holder named in the lock file died, but a process it started still holds the flock."""
    import fcntl

    data = DataDir(tmp_path / "data")
    data.root.mkdir()
    lock_file = data.root / ".ingest.lock"
    holder = subprocess.run([sys.executable, "-c", f"""
import fcntl, os, socket, sys, time
handle = open({str(lock_file)!r}, "a+")
fcntl.flock(handle, fcntl.LOCK_EX)
handle.write(f"{{os.getpid()}} - {{socket.gethostname()}} 2026-01-01T00:00:00+0000\\n"); handle.flush()
child = os.fork()
if child == 0:          # the orphan keeps the descriptor, and so the flock
    null = os.open(os.devnull, os.O_RDWR); os.dup2(null, 1); os.dup2(null, 2)
    os.setsid(); time.sleep(120); os._exit(0)
print(os.getpid(), child)
"""], capture_output=True, text=True, check=True)
    dead_pid, orphan = map(int, holder.stdout.split())
    try:
        with open(lock_file) as probe, pytest.raises(BlockingIOError):
            fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)        # the orphan's flock is real
        lines = []
        with data.lock(notice=lines.append):
            assert lock_file.read_text().split()[0] == str(os.getpid())
        assert len(lines) == 1 and f"pid {dead_pid}" in lines[0] and "no longer running" in lines[0], lines
    finally:
        os.kill(orphan, signal.SIGKILL)


def test_a_live_ingest_is_named_when_the_lock_is_busy(tmp_path):
    data = DataDir(tmp_path / "data")
    with data.lock():
        with pytest.raises(IngestRunning, match=rf"another ingest \(pid {os.getpid()} on .*\) is running"):
            with DataDir(tmp_path / "data").lock():
                pass


def test_killing_ingest_mid_conversion_kills_the_converter_and_frees_the_lock(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(hostile.GOOD_TEXT)
    (corpus / "circular.pdf").write_bytes(hostile.circular_pdf())
    command = [sys.executable, "-m", "ingest", "--corpus", str(corpus), "--data", str(tmp_path / "data"),
               "--no-index", "--no-progress", "--convert-timeout", "600"]
    ingest = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    import psutil

    deadline = time.monotonic() + 60
    converters = []
    while time.monotonic() < deadline and not converters:
        time.sleep(0.5)
        converters = [child for child in psutil.Process(ingest.pid).children(recursive=True)
                      if "multiprocessing" in " ".join(child.cmdline())]
    assert converters, "no converter process started"
    time.sleep(2)
    ingest.kill()
    ingest.wait()
    gone, alive = psutil.wait_procs(converters, timeout=10)
    assert not alive, f"converter outlived the ingest that started it: {alive}"
    after = ingest_cli(corpus, tmp_path / "data", "--convert-timeout", "5")
    assert after.returncode == 3, after.stderr
    assert "took over the lock" in after.stderr and "ended without releasing it" in after.stderr


# ---------------------------------------------------------------- 4. linear time for any text


def test_bounded_runs_cuts_only_long_runs_and_keeps_offsets():
    from ingest.windows import MAX_RUN, bounded_runs

    ordinary = hostile.GOOD_TEXT + "| Area | Wage |\n|" + "---|" * 80 + "\nLeaders " + "." * 500 + " $20\n"
    assert bounded_runs(ordinary) is ordinary
    text = "a " + "$" * 1000 + " b " + "1" * (MAX_RUN + 1) + "\n" + "x" * MAX_RUN
    cut = bounded_runs(text)
    assert len(cut) == len(text)
    assert cut == "a " + "$" * MAX_RUN + " " * 800 + " b " + "1" * MAX_RUN + " \n" + "x" * MAX_RUN


@pytest.mark.parametrize("character", ["$", "1", "="])
def test_long_runs_are_extracted_in_linear_time_with_the_facts_around_them(character):
    """8,000 "$" took 10.8 s and each doubling four times as long (32,000: about 170 s); a line of digits
    0.56 s per kB. Bounded generously (a shared machine): what matters is that it is not quadratic."""
    from ingest.jobs import extract_document
    from ingest.reader import SourceDocument
    from kg.vocabulary import load_vocabulary

    vocabulary = load_vocabulary()
    text = hostile.punctuation_run(32_000, character) + hostile.GOOD_TEXT
    started = time.perf_counter()
    analysis, graph = extract_document(SourceDocument("run.txt", text, "0" * 64), vocabulary)
    assert time.perf_counter() - started < 30
    assert analysis.text == text
    quotes = [(str(o), s) for s, p, o in graph if str(p).endswith("#quote")]
    assert any("AHIMA" in quote for quote, _ in quotes) and any("$23.00" in quote for quote, _ in quotes)
    from rdflib import URIRef

    MBC = "https://w3id.org/mbc-kg/ontology#"
    for claim, _, quote in graph.triples((None, URIRef(MBC + "quote"), None)):
        start = int(graph.value(claim, URIRef(MBC + "start")))
        end = int(graph.value(claim, URIRef(MBC + "end")))
        assert text[start:end] == str(quote)


# ---------------------------------------------------------------- every hostile file beside a good document


HOSTILE = {
    "circular.pdf": (hostile.circular_pdf, "took longer than the limit"),
    "flate_bomb.pdf": (hostile.flate_bomb_pdf, "inflate to more than the limit of 100 MB"),
    "pages.pdf": (hostile.many_pages_pdf, "more pages than the limit of 1,000"),
    "zip_bomb.docx": (lambda: hostile.zip_bomb_docx(150), "inflate to more than the limit of 100 MB"),
    "grid_span.docx": (hostile.grid_span_docx, "30,000,000 columns is over the limit of 100,000 cells"),
    "wide_table.docx": (hostile.wide_table_docx, "columns is over the limit of 100,000 cells"),
}


def test_every_hostile_file_beside_good_documents_is_named_and_skipped(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(hostile.GOOD_TEXT)
    (corpus / "good.pdf").write_bytes(hostile.good_pdf())
    (corpus / "good.docx").write_bytes(hostile.good_docx())
    (corpus / "vmerge.docx").write_bytes(hostile.vmerge_first_row_docx())
    (corpus / "dollars.txt").write_text(hostile.punctuation_run(16_000, "$"))
    (corpus / "digits.txt").write_text(hostile.punctuation_run(16_000, "1"))
    for name, (make, _) in HOSTILE.items():
        (corpus / name).write_bytes(make())
    assert all(path.stat().st_size < 5_000_000 for path in corpus.iterdir())
    started = time.perf_counter()
    result, peak = run_measured([sys.executable, "-m", "ingest", "--corpus", str(corpus), "--data",
                                 str(tmp_path / "data"), "--no-index", "--no-progress", "--convert-timeout", "20"])
    elapsed = time.perf_counter() - started
    assert result.returncode == 3, result.stderr
    assert "Traceback" not in result.stderr
    for name, (_, reason) in HOSTILE.items():
        assert reason in skip_line(result.stderr, name)
    assert sorted(DataDir(tmp_path / "data").require_current().manifest["documents"]) == \
        ["digits.txt", "dollars.txt", "good.docx", "good.pdf", "good.txt", "vmerge.docx"]
    assert elapsed < 120, elapsed
    assert peak < 3_000_000_000, f"the ingest's processes reached {peak / 1e9:.1f} GB together"


def run_measured(command: list[str]) -> tuple[subprocess.CompletedProcess, int]:
    """Run `command`, sampling the resident memory of it and all its descendants together every 0.1 s."""
    import psutil

    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    watched = psutil.Process(process.pid)
    while process.poll() is None:
        try:
            tree = [watched] + watched.children(recursive=True)
            peak = max(peak, sum(_rss(p) for p in tree))
        except psutil.Error:
            pass
        time.sleep(0.1)
    stdout, stderr = process.communicate()
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr), peak


def _rss(process) -> int:
    try:
        return process.memory_info().rss
    except Exception:
        return 0
