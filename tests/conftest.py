"""Shared fixtures: the seed corpus ingested once per test session, the app over it, and one real
server over it (as `make run` starts it) for every test that needs a live one."""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from paths import SEED_CORPUS, USER_CORPUS

CORPUS = SEED_CORPUS     # the tests' own copy of the seed documents, never corpus/


def _refuse_the_user_corpus(event: str, args: tuple) -> None:
    """No test reads the user's corpus/ (adding a document there must change no test's result): any
    open or listing of a path inside it, in this process, fails the test that did it."""
    if event not in ("open", "os.listdir", "os.scandir") or not args or not isinstance(args[0], (str, os.PathLike)):
        return
    try:
        path = os.path.realpath(os.fspath(args[0]))
    except (TypeError, ValueError):
        return
    if path == _USER_CORPUS or path.startswith(_USER_CORPUS + os.sep):
        raise PermissionError(f"a test read {path}: tests read their own corpus under tests/fixtures, never corpus/")


_USER_CORPUS = os.path.realpath(USER_CORPUS)
sys.addaudithook(_refuse_the_user_corpus)


@pytest.fixture(scope="session")
def graph_data_dir(tmp_path_factory) -> Path:
    """The seed corpus ingested as `make ingest` does: graph store, dump and search index."""
    from ingest.indexing import IndexStep
    from ingest.pipeline import run_ingest

    data = tmp_path_factory.mktemp("seed-data")
    report = run_ingest(CORPUS, data, progress=False, steps=[IndexStep()])
    assert report.exit_status == 0, report.problems
    return data


@pytest.fixture(scope="session")
def app(graph_data_dir):
    """The Flask app over the seed corpus (small limits, so tests can reach them)."""
    from service import Config, create_app, state

    application = create_app(Config(data_dir=graph_data_dir, sparql_timeout=3, sparql_max_results=50,
                                    sparql_workers=1))
    yield application
    state.query_pool(application).close()


@pytest.fixture()
def client(app):
    return app.test_client()


# What the shared live server is started with; tests that depend on a limit read it from here.
LIVE_SETTINGS = {"MBC_HEADER_TIMEOUT": "4", "MBC_BODY_TIMEOUT": "4", "MBC_SPARQL_TIMEOUT": "3"}
LIVE_WORKERS = 2


@pytest.fixture(scope="session")
def live_server_url(graph_data_dir):
    """One real server (granian, two worker processes) over the seed corpus for the whole session."""
    from serving import live_server

    with live_server(graph_data_dir, env=LIVE_SETTINGS, workers=LIVE_WORKERS) as base:
        yield base


@pytest.fixture(scope="session")
def seed_searcher(graph_data_dir):
    from search import Searcher

    return Searcher.open(graph_data_dir)


@pytest.fixture(scope="session")
def dataset(graph_data_dir) -> Dataset:
    dataset = Dataset()
    dataset.parse(graph_data_dir / "kg.trig", format="trig")
    return dataset


@pytest.fixture(scope="session")
def union_graph(dataset) -> Graph:
    graph = Graph()
    for s, p, o, _ in dataset.quads():
        graph.add((s, p, o))
    return graph


@pytest.fixture()
def corpus_copy(tmp_path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target
