"""Where ingest's per-document jobs run: in this process, on a local process pool, or on a Dask cluster.

One interface, `run(function, items, *shared)`: calls `function(item, *shared)` for every item and
yields the results in the order of `items`, whatever order the workers finish in, so the caller
writes them in a fixed order and the graph is the same however many workers there are. `function`
must be a module-level function of picklable arguments (ingest.jobs.extract_job).

`GuardedPool` runs calls that may never end or may exhaust memory (converting a hostile file): each
in a child process that is killed, and the call reported failed, when it runs out of time or memory.

Dask distributed rather than Ray for the cluster: it is pure Python (wheels install offline like
every other dependency, no separate runtime or object store daemon), `Client.map` is exactly a
pure map over documents, and `LocalCluster` starts a real multi-process cluster in a test.
"""
from __future__ import annotations

import os
import signal
import time
from collections import deque
from dataclasses import dataclass


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
    """A process pool on this machine (--workers N). A job that raises, or whose worker dies (killed by the
    kernel for memory, a crash in a library), yields a `JobFailed` for that item; the others go on."""

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
        # forkserver: workers are forked from a clean server process that has loaded the job's
        # module and what its `PRELOAD` names once (ingest.warm: the extractor, warmed up), never
        # from this one (which may hold threads, e.g. PyTorch's)
        import importlib

        module = importlib.import_module(function.__module__)
        preload = [function.__module__, *getattr(module, "PRELOAD", ())]
        with GuardedPool(workers, seconds=None, memory_bytes=None, context="forkserver", preload=preload) as pool:
            yield from pool.run(function, items, *shared)

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
                try:
                    yield future.result()
                except Exception as error:      # the job raised, or its worker died more often than Dask retries
                    from ingest.formats import describe_error

                    yield JobFailed(f"raised {describe_error(error)}")
        finally:
            self.client.cancel(futures + scattered)

    def close(self) -> None:
        self.client.close()

    def describe(self) -> str:
        return f"Dask cluster at {self.address} ({self.workers} workers)"


# ---------------------------------------------------------------- calls with a time and memory limit

@dataclass(frozen=True)
class JobFailed:
    """A call of a pool that did not return: it ran out of time or memory, raised, or its process died."""
    reason: str
    kind: str = "raised"        # raised | timeout | memory | died


class GuardedPool:
    """Runs `function(item, *shared)` for each item in child processes (at most `workers` at once), each
    call stopped after `seconds` or once its process's resident memory passes `memory_bytes`: the process
    is killed (nothing in the call can prevent that, unlike an exception or an alarm, which a library may
    catch or a C loop never see) and the call's result is a `JobFailed` saying which limit it passed.
    Results come in the order of `items`. A killed worker is replaced for the next call.

    Hand-written because no pool of the standard library or our dependencies does this:
    concurrent.futures and multiprocessing.Pool cannot stop one call (a hung worker hangs the pool,
    a killed one breaks it), Dask's memory limit pauses or restarts workers but no call has a deadline.
    The children are spawned (a fresh interpreter: they inherit no lock, thread or open store of this
    process) and die with it (PR_SET_PDEATHSIG on Linux)."""

    def __init__(self, workers: int, seconds: float | None, memory_bytes: int | None, poll: float = 0.05,
                 context: str = "spawn", preload: list[str] | tuple = ()):
        """`seconds`, `memory_bytes`: None for no limit. `context`: how workers start ("spawn", or
        "forkserver" with the modules `preload` imported once in the server they are forked from)."""
        if workers < 1:
            raise PoolError(f"a guarded pool needs at least one worker (got {workers})")
        self.workers = workers
        self.seconds = seconds
        self.memory_bytes = memory_bytes
        self.poll = poll
        self.context = context
        self.preload = list(preload)
        self._idle: list[_Child] = []

    def run(self, function, items, *shared):
        items = list(items)
        results: dict[int, object] = {}
        pending = deque(enumerate(items))
        busy: dict[_Child, tuple[int, float]] = {}
        done = 0
        try:
            while done < len(items):
                while pending and (self._idle or len(busy) < self.workers):
                    child = self._idle.pop() if self._idle else _Child.start(self.context, self.preload)
                    index, item = pending.popleft()
                    try:
                        child.connection.send((function, item, shared))
                    except (OSError, ValueError) as error:     # it died before the call, or the call cannot be sent
                        child.kill()
                        results[index] = JobFailed(f"the call could not be started ({type(error).__name__}: {error})",
                                                   "died")
                        continue
                    busy[child] = (index, time.monotonic())
                if busy:
                    _wait_any(list(busy), self.poll)
                for child, (index, started) in list(busy.items()):
                    outcome = self._check(child, started)
                    if outcome is None:
                        continue
                    del busy[child]
                    results[index] = outcome
                    if child.alive:
                        self._idle.append(child)
                while done in results:
                    yield results.pop(done)
                    done += 1
        finally:
            for child in busy:
                child.kill()

    def _check(self, child: "_Child", started: float):
        """The call's result, a JobFailed, or None while it is still running within its limits."""
        if child.connection.poll():
            try:
                status, value = child.connection.recv()
            except (EOFError, OSError):
                return self._died(child)
            return value if status == "ok" else JobFailed(value)
        if not child.process.is_alive():
            return self._died(child)
        if self.seconds is not None and time.monotonic() - started > self.seconds:
            child.kill()
            return JobFailed(f"took longer than {self.seconds:g} s", "timeout")
        if self.memory_bytes is not None and (resident := _resident_bytes(child.process.pid)) > self.memory_bytes:
            child.kill()
            return JobFailed(f"used more than {self.memory_bytes / 1e6:g} MB of memory ({resident / 1e6:.0f} MB)",
                             "memory")
        return None

    @staticmethod
    def _died(child: "_Child") -> JobFailed:
        child.kill()
        code = child.process.exitcode
        how = f"signal {-code} ({signal.Signals(-code).name})" if code is not None and code < 0 and \
            -code in signal.valid_signals() else f"exit status {code}"
        return JobFailed(f"its process died ({how})", "died")

    def close(self) -> None:
        while self._idle:
            self._idle.pop().stop()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def describe(self) -> str:
        return f"{self.workers} guarded processes ({self.seconds:g} s, {(self.memory_bytes or 0) / 1e6:g} MB each)"


class _Child:
    """One worker process of a GuardedPool and its end of the pipe."""

    def __init__(self, process, connection):
        self.process = process
        self.connection = connection
        self.alive = True

    @classmethod
    def start(cls, context_name: str = "spawn", preload: list[str] | tuple = ()) -> "_Child":
        import multiprocessing

        context = multiprocessing.get_context(context_name)
        if preload:
            context.set_forkserver_preload(list(preload))
        ours, theirs = context.Pipe()
        process = context.Process(target=_serve, args=(theirs,), daemon=True, name="mbc-guarded")
        process.start()
        theirs.close()
        return cls(process, ours)

    def kill(self) -> None:
        self.alive = False
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.connection.close()

    def stop(self) -> None:
        try:
            self.connection.send(None)
        except (OSError, ValueError):
            pass
        self.process.join(2)
        self.kill()


def _wait_any(children: list[_Child], timeout: float) -> None:
    from multiprocessing.connection import wait

    wait([c.connection for c in children] + [c.process.sentinel for c in children], timeout)


def _resident_bytes(pid: int) -> int:
    """A process's resident memory (Linux: /proc; elsewhere psutil when installed, else 0: no limit)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        pass
    try:
        import psutil

        return psutil.Process(pid).memory_info().rss
    except Exception:       # no psutil, or the process is gone
        return 0


def _die_with_parent() -> None:
    """Linux: the kernel kills this process when its parent dies (the ingest, or the fork server, which
    ends with the ingest), so a call that never ends does not outlive an ingest that was killed."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)      # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() == 1:       # orphaned before the signal was asked for
        os._exit(1)


def _serve(connection) -> None:
    """A GuardedPool worker: runs the calls it is sent until it is sent None."""
    _die_with_parent()
    from ingest.formats import describe_error

    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        function, item, shared = message
        try:
            outcome = ("ok", function(item, *shared))
        except Exception as error:
            outcome = ("error", f"raised {describe_error(error)}")
        try:
            connection.send(outcome)
        except Exception as error:      # a result that cannot be pickled
            connection.send(("error", f"its result could not be sent back ({describe_error(error)})"))


def make_pool(workers: int | None = None, scheduler=None):
    """The pool for ingest's options: a Dask cluster when a scheduler is given, otherwise `workers`
    local processes (None: all cores; 1: in this process)."""
    if scheduler:
        return DaskPool(scheduler)
    workers = default_workers() if workers is None else workers
    return InProcess() if workers == 1 else LocalPool(workers)
