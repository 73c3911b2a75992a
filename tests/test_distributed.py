"""Extraction as a pure map over documents, run by a pool: in process, on local processes, on Dask."""
import os
import time
from pathlib import Path

import pytest

from ingest.jobs import DocumentResult, extract_job, vocabulary_payload
from ingest.pipeline import run_ingest
from ingest.pool import DaskPool, InProcess, LocalPool, PoolError, make_pool
from ingest.reader import read_document
from paths import SEED_CORPUS

ROOT = Path(__file__).resolve().parent.parent


def slow_square(value: int, delay: float) -> tuple[int, int]:
    """The first items take longest, so a pool that yields in finishing order gets them backwards."""
    time.sleep(delay * (3 - value))
    return value * value, os.getpid()


def test_a_local_pool_yields_in_the_order_of_the_items_from_several_processes():
    results = list(LocalPool(2).run(slow_square, [0, 1, 2, 3], 0.3))
    assert [square for square, _ in results] == [0, 1, 4, 9]
    assert len({pid for _, pid in results}) == 2 and os.getpid() not in {pid for _, pid in results}


def test_one_worker_runs_in_this_process():
    assert isinstance(make_pool(1), InProcess) and isinstance(make_pool(3), LocalPool)
    assert [pid for _, pid in InProcess().run(slow_square, [3], 0)] == [os.getpid()]


def test_the_job_is_picklable_and_matches_the_in_process_graph():
    import pickle

    source = read_document(sorted(SEED_CORPUS.iterdir())[2])
    result = pickle.loads(pickle.dumps(extract_job(source, vocabulary_payload())))
    assert isinstance(result, DocumentResult) and result.source_file == source.source_file
    assert result.triples == len(result.ntriples.splitlines()) > 100
    assert result.claims and all(claim.quote == source.text[claim.start:claim.end] for claim in result.claims)


def test_an_unreachable_scheduler_is_a_clear_error():
    from service.process import free_port

    with pytest.raises(PoolError, match="cannot reach the Dask scheduler"):
        DaskPool(f"tcp://127.0.0.1:{free_port()}", connect_timeout=2)


def test_a_dask_cluster_of_two_workers_gives_the_same_graph(tmp_path, graph_data_dir):
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      host="127.0.0.1") as cluster:
        pool = DaskPool(cluster.scheduler_address)
        try:
            assert pool.workers == 2
            report = run_ingest(SEED_CORPUS, tmp_path / "data", progress=False, pool=pool)
            # the jobs ran on both workers, not here
            ran = pool.client.run(lambda: __import__("ingest.jobs").jobs._vocabularies != {})
        finally:
            pool.close()
    assert report.exit_status == 0 and len(report.extracted) == 4
    assert sorted(ran.values()) == [True, True]
    assert (tmp_path / "data" / "kg.trig").read_bytes() == (graph_data_dir / "kg.trig").read_bytes()


def test_a_worker_running_other_code_is_refused(tmp_path):
    """A cluster worker with another version of the project would make another graph: ingest stops."""
    import dataclasses

    class StaleWorkers(InProcess):
        def run(self, function, items, *shared):
            for result in super().run(function, items, *shared):
                yield dataclasses.replace(result, code="an-older-version")

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Coding in Ohio\nThe Certified Professional Coder (CPC) is offered by AAPC.\n")
    with pytest.raises(PoolError, match="another version"):
        run_ingest(corpus, tmp_path / "data", progress=False, pool=StaleWorkers())
    assert not (tmp_path / "data" / "kg.trig").exists()
