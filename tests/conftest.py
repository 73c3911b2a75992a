"""Shared fixtures: the seed corpus ingested once per test session."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from rdflib import Dataset, Graph

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="session")
def graph_data_dir(tmp_path_factory) -> Path:
    """The seed corpus ingested as `make ingest` does: graph store, dump and search index."""
    from ingest.index import IndexStep
    from ingest.pipeline import run_ingest

    data = tmp_path_factory.mktemp("seed-data")
    report = run_ingest(CORPUS, data, progress=False, steps=[IndexStep()])
    assert report.exit_status == 0, report.problems
    return data


@pytest.fixture(scope="session")
def seed_searcher(graph_data_dir):
    from search import Searcher

    return Searcher(graph_data_dir)


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
