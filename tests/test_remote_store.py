"""The same graph, pages and SPARQL endpoint with the graph on a SPARQL server a user already runs:
Oxigraph's own server (PyPI `oxigraph`) on a loopback port, filled by ingest's copy."""
import contextlib
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest

from ingest.remote_sync import sync_remote, wanted_graphs
from kg.datadir import DataDir
from kg.remote import RemoteEndpoints, RemoteStore
from service import Config, create_app, state
from service.process import free_port

# The service's own tests, run again here with `client` reading from the remote server.
from test_service import (  # noqa: F401
    test_capped_results_say_so,
    test_claim_page,
    test_construct_and_describe_in_rdf_formats,
    test_dataset_parameters_are_honoured,
    test_downloads_and_void,
    test_every_example_query_runs_and_returns_rows,
    test_malformed_query_gets_400_with_position,
    test_post_forms_and_direct,
    test_provenance_api,
    test_query_page_and_service_description,
    test_region_and_role_pages_chart_wages,
    test_resource_pages_and_content_negotiation,
    test_select_in_every_results_format,
    test_service_is_refused,
    test_updates_are_refused_and_change_nothing,
)
from test_web_pages import (  # noqa: F401
    test_an_entity_page_reads_as_a_summary_then_the_data,
    test_browse_pages,
    test_the_dataset_page_for_people_and_void_for_machines,
    test_wage_charts_keep_medians_and_means_apart_with_a_legend,
)

pytestmark = pytest.mark.server


@contextlib.contextmanager
def oxigraph_serve(location: Path, *options: str):
    """`oxigraph serve` (read-write) on a loopback port: query, update and Graph Store endpoints."""
    binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    port = free_port()
    process = subprocess.Popen([binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                                *options],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    try:
        while True:
            try:
                urllib.request.urlopen(base + "/query?query=ASK%7B%7D", timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("oxigraph serve did not start") from None
                time.sleep(0.2)
        yield RemoteEndpoints(base + "/query", base + "/update", base + "/store", timeout=20)
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory):
    with oxigraph_serve(tmp_path_factory.mktemp("oxigraph-server")) as endpoints:
        yield endpoints


@pytest.fixture(scope="module")
def remote_copy(graph_data_dir, oxigraph_server):
    data = DataDir(graph_data_dir)
    first = sync_remote(data, data.require_current(), oxigraph_server)
    assert len(first["put"]) == len(wanted_graphs(data.require_current()))
    return oxigraph_server


@pytest.fixture(scope="module")
def app(graph_data_dir, remote_copy):
    application = create_app(Config(data_dir=graph_data_dir, sparql_timeout=3, sparql_max_results=50,
                                    sparql_query_url=remote_copy.query_url))
    yield application
    state.query_pool(application).close()


def test_the_server_holds_exactly_the_local_graph(graph_data_dir, remote_copy):
    local = DataDir(graph_data_dir).require_current().open_store()
    remote = RemoteStore(remote_copy)
    assert remote.named_graphs() == local.named_graphs()
    assert set(remote.default_graph_triples()) == set(local.default_graph_triples())
    for graph in local.named_graphs():
        assert set(remote.named_graph_quads(graph)) == set(local.named_graph_quads(graph)), graph


def test_a_second_copy_changes_nothing_and_a_new_server_is_filled_again(graph_data_dir, remote_copy):
    data = DataDir(graph_data_dir)
    assert sync_remote(data, data.require_current(), remote_copy) == {"put": [], "dropped": [],
                                                                     "server": remote_copy.query_url}


def test_the_app_reads_the_remote_server(client, remote_copy, monkeypatch):
    """No local store is touched: the pages and /sparql answer from the server."""
    served = state.live_data(client.application).current()
    assert isinstance(served.store, RemoteStore)
    response = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
    assert response.get_json()["boolean"] is True


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }",
    "PREFIX t: <http://127.0.0.1:1/> SELECT * WHERE { { SELECT * WHERE { SERVICE SILENT t:x { ?s ?p ?o } } } }",
    "SELECT * WHERE { #\rSERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }",
])
def test_service_is_never_forwarded_to_the_server(client, query):
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code in (400, 403)


def test_a_removed_document_is_dropped_from_the_server(tmp_path):

    with oxigraph_serve(tmp_path / "server") as server:
        _removed_document_is_dropped(tmp_path, server)


def _removed_document_is_dropped(tmp_path, oxigraph_server):
    from ingest.pipeline import run_ingest

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Coding in Ohio\nThe Certified Professional Coder (CPC) is offered by AAPC.\n")
    (corpus / "b.txt").write_text("Coding in Utah\nThe Certified Coding Specialist (CCS) is offered by AHIMA.\n")
    data = DataDir(tmp_path / "data")
    endpoints = RemoteEndpoints(oxigraph_server.query_url, oxigraph_server.update_url, None, 20)   # updates only
    run_ingest(corpus, data.root, progress=False)
    sync_remote(data, data.require_current(), endpoints)
    (corpus / "b.txt").unlink()
    run_ingest(corpus, data.root, progress=False)
    done = sync_remote(data, data.require_current(), endpoints)
    assert done["put"] == [] and len(done["dropped"]) == 1 and done["dropped"][0].endswith("/b.txt")
    remote = RemoteStore(endpoints)
    assert not remote.ask(f"ASK {{ GRAPH <{done['dropped'][0]}> {{ ?s ?p ?o }} }}")
    assert not remote.ask("ASK { <https://w3id.org/mbc-kg/id/certification/ccs> ?p ?o }")    # nor in the merge
    assert remote.ask("ASK { <https://w3id.org/mbc-kg/id/certification/cpc> ?p ?o }")
    assert isinstance(remote.triples_about("https://w3id.org/mbc-kg/id/certification/cpc")[0], ox.Triple)


def test_ingest_copies_to_the_server_and_a_changed_document_replaces_only_its_graph(tmp_path, corpus_copy):
    """`python -m ingest --sparql-query-url ... --sparql-update-url ... --gsp-url ...` as a user runs it."""
    import subprocess

    from ingest.pipeline import PROJECT_ROOT as ROOT
    from kg.namespaces import document_graph_iri

    data = tmp_path / "data"
    with oxigraph_serve(tmp_path / "server") as server:
        command = [sys.executable, "-m", "ingest", "--corpus", str(corpus_copy), "--data", str(data), "--no-index",
                   "--workers", "1", "--sparql-query-url", server.query_url, "--sparql-update-url",
                   server.update_url, "--gsp-url", server.gsp_url]
        first = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        assert first.returncode == 0, first.stderr
        assert "6 graph(s) written" in first.stdout     # four documents, the ontology and the vocabulary
        remote = RemoteStore(server)
        names = sorted(p.name for p in corpus_copy.iterdir())
        changed, untouched = names[1], names[2]
        # a mark in two document graphs on the server: a graph that is rewritten loses it
        mark = "<urn:test:mark> <urn:test:is> <urn:test:here>"
        for name in (changed, untouched):
            remote.update(f"INSERT DATA {{ GRAPH <{document_graph_iri(name)}> {{ {mark} }} }}")
        (corpus_copy / changed).write_text((corpus_copy / changed).read_text() + "\nIn Ohio, coders earn a median "
                                           "of $21.10 an hour.\n")
        second = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        assert second.returncode == 0, second.stderr
        assert "1 graph(s) written, 0 dropped" in second.stdout
        assert not remote.ask(f"ASK {{ GRAPH <{document_graph_iri(changed)}> {{ {mark} }} }}")
        assert remote.ask(f"ASK {{ GRAPH <{document_graph_iri(untouched)}> {{ {mark} }} }}")
        assert remote.ask(f"ASK {{ GRAPH <{document_graph_iri(changed)}> {{ ?w "
                          f"<https://w3id.org/mbc-kg/ontology#median> 21.10 }} }}")
        # with the mark gone, the server holds exactly the local store, default graph (the merge) included
        remote.update(f"DELETE DATA {{ GRAPH <{document_graph_iri(untouched)}> {{ {mark} }} }}")
        remote.update(f"DELETE DATA {{ {mark} }}")
        local = DataDir(data).require_current().open_store(read_only=True)
        assert remote.named_graphs() == local.named_graphs()
        assert set(remote.default_graph_triples()) == set(local.default_graph_triples())
        for graph in local.named_graphs():
            assert set(remote.named_graph_quads(graph)) == set(local.named_graph_quads(graph)), graph
        # nothing changed: nothing is written
        third = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        assert "up to date" in third.stdout and "0 graph(s) written, 0 dropped (up to date)" in third.stdout


def test_an_unreachable_server_leaves_the_local_graph_updated(tmp_path):
    import subprocess

    from ingest.pipeline import PROJECT_ROOT as ROOT

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Coding in Ohio\nThe Certified Professional Coder (CPC) is offered by AAPC.\n")
    base = f"http://127.0.0.1:{free_port()}"
    result = subprocess.run([sys.executable, "-m", "ingest", "--corpus", str(corpus), "--data", str(tmp_path / "d"),
                             "--no-index", "--sparql-query-url", base + "/query", "--sparql-update-url",
                             base + "/update"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1 and "cannot be reached" in result.stderr and "run ingest again" in result.stderr
    assert (tmp_path / "d" / "kg.trig").exists()
    missing = subprocess.run([sys.executable, "-m", "ingest", "--corpus", str(corpus), "--data", str(tmp_path / "d"),
                              "--sparql-query-url", base + "/query"], cwd=ROOT, capture_output=True, text=True)
    assert missing.returncode == 2 and "--sparql-update-url" in missing.stderr


def test_nothing_read_during_a_copy_to_the_server_is_cached(graph_data_dir, remote_copy, client):
    """While ingest copies a generation to the server (its state says "syncing"), answers read from the
    half-copied store are not kept; once the copy is recorded, a repeated query is a cache hit."""
    from kg.datadir import DataDir

    data = DataDir(graph_data_dir)
    settled = data.read_remote_state()
    entry = settled[remote_copy.query_url]
    assert entry["syncing"] is False and entry["generation"] == DataDir(graph_data_dir).require_current().name
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } # during a copy"
    try:
        data.write_remote_state({**settled, remote_copy.query_url: {**entry, "syncing": True}})
        for _ in range(2):
            response = client.get("/sparql", query_string={"query": query})
            assert response.status_code == 200 and response.headers["X-SPARQL-Cache"] == "miss"
    finally:
        data.write_remote_state(settled)
    client.get("/sparql", query_string={"query": query})
    assert client.get("/sparql", query_string={"query": query}).headers["X-SPARQL-Cache"] == "hit"

