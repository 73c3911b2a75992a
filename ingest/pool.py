"""Where ingest's per-document jobs run: in this process, on a local process pool, or on a Dask cluster.

One interface, `run(function, items, *shared)`: calls `function(item, *shared)` for every item and
yields the results in the order of `items`, whatever order the workers finish in, so the caller
writes them in a fixed order and the graph is the same however many workers there are. `function`
must be a module-level function of picklable arguments (ingest.jobs.extract_job).

Dask distributed rather than Ray for the cluster: it is pure Python (wheels install offline like
every other dependency, no separate runtime or object store daemon), `Client.map` is exactly a
pure map over documents, and `LocalCluster` starts a real multi-process cluster in a test.
"""
from __future__ import annotations

import os
from itertools import repeat


class PoolError(RuntimeError):
    """The workers could not be started or reached; the message says which and what to do."""


def default_workers() -> int:
    """All the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:      # not on Linux
        return max(1, os.cpu_count() or 1)


class InProcess:
    """Runs each job here, one after the other (--workers 1)."""

    workers = 1

    def run(self, function, items, *shared):
        for item in items:
            yield function(item, *shared)

    def close(self) -> None:
        pass

    def describe(self) -> str:
        return "in process"


class LocalPool:
    """A process pool on this machine (--workers N)."""

    def __init__(self, workers: int):
        if workers < 1:
            raise PoolError(f"--workers must be at least 1 (got {workers})")
        self.workers = workers

    def run(self, function, items, *shared):
        items = list(items)
        workers = min(self.workers, len(items))
        if workers <= 1:
            # starting a process costs more than one document takes
            yield from InProcess().run(function, items, *shared)
            return
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # forkserver: workers are forked from a clean server process that has imported the
        # extractor once, never from this one (which may hold threads, e.g. PyTorch's)
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([function.__module__])
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as executor:
            # Executor.map yields in the order of `items`
            yield from executor.map(function, items, *(repeat(value) for value in shared))

    def close(self) -> None:
        pass

    def describe(self) -> str:
        return f"{self.workers} local worker processes"


class DaskPool:
    """The jobs on a Dask distributed cluster (--scheduler tcp://host:8786). Its workers need this
    project installed (the same version: the job's code runs there) and nothing else: documents
    travel to them as text and results come back, so no shared file system is needed."""

    def __init__(self, scheduler, connect_timeout: float = 20):
        try:
            from distributed import Client
        except ImportError:
            raise PoolError("--scheduler needs Dask distributed: pip install 'mbc-kg[distributed]' "
                            "(make install includes it)") from None
        self.address = getattr(scheduler, "scheduler_address", scheduler)
        try:
            # a LocalCluster object (tests) or an address
            self.client = Client(scheduler, timeout=connect_timeout, set_as_default=False)
        except (OSError, TimeoutError) as error:
            raise PoolError(f"cannot reach the Dask scheduler at {self.address} ({error}); start one with "
                            f"`dask scheduler` and workers with `dask worker {self.address}`") from None

    @property
    def workers(self) -> int:
        return max(1, len(self.client.scheduler_info(n_workers=-1).get("workers", {})))

    def run(self, function, items, *shared):
        items = list(items)
        if not items:
            return
        # each shared value (the vocabulary) is sent to every worker once, not with every job
        scattered = [self.client.scatter(value, broadcast=True, hash=False) for value in shared]
        futures = self.client.map(function, items, *([future] * len(items) for future in scattered), pure=False)
        try:
            for future in futures:      # in the order of `items`
                yield future.result()
        finally:
            self.client.cancel(futures + scattered)

    def close(self) -> None:
        self.client.close()

    def describe(self) -> str:
        return f"Dask cluster at {self.address} ({self.workers} workers)"


def make_pool(workers: int | None = None, scheduler=None):
    """The pool for ingest's options: a Dask cluster when a scheduler is given, otherwise `workers`
    local processes (None: all cores; 1: in this process)."""
    if scheduler:
        return DaskPool(scheduler)
    workers = default_workers() if workers is None else workers
    return InProcess() if workers == 1 else LocalPool(workers)
