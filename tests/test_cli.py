"""The `mbc-kg` command line, run as a user runs it (the console script `make install` puts in .venv/bin)."""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from paths import ROOT, SEED_CORPUS

SCRIPT = Path(sys.executable).with_name("mbc-kg")
COMMANDS = ("ingest", "serve", "search", "query", "check")
ISSUERS = ("SELECT ?cert ?issuer WHERE { ?c a mbc:Certification ; rdfs:label ?cert ; mbc:issuedBy ?o . "
           "?o rdfs:label ?issuer } ORDER BY ?cert ?issuer")


def mbc_kg(*args: str, timeout: float = 600, stdin: str | None = None, env: dict | None = None):
    return subprocess.run([str(SCRIPT), *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                          input=stdin, env={**os.environ, **(env or {})})


def test_the_console_script_is_installed_and_declared():
    import tomllib

    assert SCRIPT.exists(), f"{SCRIPT} is missing: run `make install`"
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["mbc-kg"] == "mbc_kg.cli:main"


def test_help_lists_every_command():
    result = mbc_kg("--help")
    assert result.returncode == 0
    for command in COMMANDS:
        assert f"\n  {command} " in result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_has_help(command):
    result = mbc_kg(command, "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"usage: mbc-kg {command}")
    assert "--data" in result.stdout


def test_an_unknown_command_is_named():
    result = mbc_kg("serch", "pay")
    assert result.returncode == 2 and "unknown command 'serch'" in result.stderr


@pytest.fixture(scope="module")
def small_data(tmp_path_factory) -> Path:
    """`mbc-kg ingest` of one seed document (graph only: quick), as a user runs it."""
    corpus = tmp_path_factory.mktemp("cli-corpus")
    shutil.copy(SEED_CORPUS / "002_62df25396eb30289.txt", corpus)
    data = tmp_path_factory.mktemp("cli-data") / "data"
    result = mbc_kg("ingest", "--corpus", str(corpus), "--data", str(data), "--no-index", "--no-progress")
    assert result.returncode == 0, result.stderr
    assert "1 extracted" in result.stdout
    return data


def test_query_prints_a_table(small_data):
    result = mbc_kg("query", "--data", str(small_data), ISSUERS)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["cert", "issuer"] and set(lines[1]) <= {"-", " "}
    assert any(line.startswith("Certified Coding Specialist ") and line.endswith("American Health Information "
                                                                                "Management Association")
               for line in lines), result.stdout
    assert lines[-1] == f"({len(lines) - 3} rows)"


def test_query_prints_csv_and_reads_stdin(small_data):
    result = mbc_kg("query", "--data", str(small_data), "--format", "csv", "-", stdin=ISSUERS)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {"cert": "Certified Coding Specialist",
            "issuer": "American Health Information Management Association"} in rows


def test_query_ask_construct_and_refusals(small_data):
    assert mbc_kg("query", "--data", str(small_data), "ASK { ?c a mbc:Certification }").stdout == "true\n"
    false = mbc_kg("query", "--data", str(small_data), "--ask-status", "ASK { ?c a mbc:NoSuchClass }")
    assert (false.returncode, false.stdout) == (1, "false\n")
    turtle = mbc_kg("query", "--data", str(small_data), "CONSTRUCT WHERE { ?c mbc:issuedBy ?o }")
    assert turtle.returncode == 0 and "mbc:issuedBy <https://w3id.org/mbc-kg/id/organization/" in turtle.stdout
    bad = mbc_kg("query", "--data", str(small_data), "SELECT ?x WHERE {\n  ?x ?y")
    assert bad.returncode == 2 and "malformed query: error line 2," in bad.stderr and len(bad.stderr.splitlines()) == 1
    update = mbc_kg("query", "--data", str(small_data), "INSERT DATA { <http://e.org/a> <http://e.org/b> 1 }")
    assert update.returncode == 2 and "updates are refused" in update.stderr
    assert mbc_kg("query", "--data", str(small_data), "ASK { <http://e.org/a> ?p ?o }").stdout == "false\n"
    missing = mbc_kg("query", "--data", str(small_data.parent / "nothing"), "ASK {}")
    assert missing.returncode == 2 and "nothing" in missing.stderr


def test_check_passes_an_ingested_graph(small_data):
    result = mbc_kg("check", "--data", str(small_data))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("check: the graph conforms:")


def test_check_names_each_violation(tmp_path):
    from serving import data_dir_with_graphs

    broken = tmp_path / "broken.nt"
    claim = "<https://w3id.org/mbc-kg/id/claim/x>"
    broken.write_text(f"{claim} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
                      f"<https://w3id.org/mbc-kg/ontology#Claim> .\n"
                      f'{claim} <https://w3id.org/mbc-kg/ontology#confidence> "1.5"^^'
                      f"<http://www.w3.org/2001/XMLSchema#decimal> .\n")
    data = data_dir_with_graphs(tmp_path / "data", {"https://w3id.org/mbc-kg/id/graph/x": broken}, merge_default=True)
    result = mbc_kg("check", "--data", str(data))
    assert result.returncode == 1
    assert "violation(s)" in result.stderr.splitlines()[0]
    assert any("https://w3id.org/mbc-kg/id/claim/x mbc:confidence = 1.5" in line for line in result.stderr.splitlines())
    assert any("mbc:quote" in line for line in result.stderr.splitlines())


def test_search_asks_the_running_server_when_it_serves_the_same_data(live_server_url, graph_data_dir):
    started = time.monotonic()
    result = mbc_kg("search", "--data", str(graph_data_dir), "--server", live_server_url, "--json",
                    "who awards the CCS credential?")
    seconds = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert f"answered by the server at {live_server_url}" in result.stderr
    response = json.loads(result.stdout)
    assert response["answers"][0]["value"].endswith("/organization/ahima")
    assert "torch" not in result.stderr
    print(f"mbc-kg search through the server: {seconds:.2f} s")


def test_search_elsewhere_says_why_it_is_slow_and_still_answers(graph_data_dir, tmp_path):
    from service.process import free_port

    result = mbc_kg("search", "--data", str(graph_data_dir), "--server", f"http://127.0.0.1:{free_port()}",
                    "-k", "1", "who awards the CCS credential?")
    assert result.returncode == 0, result.stderr
    assert "searching here, which loads the embedding model" in result.stderr and "no server answers" in result.stderr
    assert "Answer: AHIMA" in result.stdout


def test_search_does_not_ask_a_server_with_other_data(live_server_url, small_data):
    result = mbc_kg("search", "--data", str(small_data), "--server", live_server_url, "pay")
    assert "serves other data" in result.stderr
    assert result.returncode == 2 and "no search index" in result.stderr      # small_data was ingested --no-index


def test_serve_starts_and_refuses_a_used_port(small_data):
    from service.process import ServerProcess, free_port

    port = free_port()
    server = ServerProcess([str(SCRIPT), "serve", "--data", str(small_data), "--port", str(port), "--workers", "1"],
                           env={"MBC_LOAD_SEARCH": "false"})
    try:
        server.wait_ready(120)
        assert f"http://127.0.0.1:{port}/docs" in server.output()
        again = mbc_kg("serve", "--data", str(small_data), "--port", str(port), timeout=60)
        assert again.returncode == 1 and "address already in use" in again.stderr
    finally:
        server.stop()


def test_the_makefile_and_the_readme_use_the_command():
    makefile = (ROOT / "Makefile").read_text()
    for target, command in (("ingest", "ingest"), ("run", "serve"), ("serve", "serve"), ("check", "check")):
        recipe = makefile.split(f"\n{target}:", 1)[1].split("\n\n", 1)[0]
        assert f"$(MBC_KG) {command}" in recipe, (target, recipe)
    readme = (ROOT / "README.md").read_text()
    for command in COMMANDS:
        assert f"mbc-kg {command}" in readme
    first_steps = readme.split("## Layout")[0]        # what a new user reads first uses the command
    assert "python -m ingest --corpus" not in first_steps and "python server.py --data" not in first_steps


def test_make_run_passes_the_log_level_and_the_access_log_through():
    def serve_line(*variables: str) -> str:
        result = subprocess.run(["make", "-n", "run", *variables], cwd=ROOT, capture_output=True, text=True)
        return next(line for line in result.stdout.splitlines() if " serve " in line)

    assert serve_line().endswith("--log-level info --access-log")
    line = serve_line("LOG_LEVEL=warning", "ACCESS_LOG=", "PORT=5999")
    assert line.startswith(".venv/bin/mbc-kg serve ") and "--port 5999" in line
    assert "--log-level warning" in line and "--access-log" not in line
