"""Running SPARQL queries in worker processes, so that a runaway query can really be stopped.

pyoxigraph has no way to cancel a query, so each query runs in a worker process that holds a
read-only handle on the store; when the time limit passes the worker is killed (the query
dies with it) and a fresh one takes its place, while other workers keep answering. Results
are serialized in the worker and capped at a maximum size; a capped result says so.
"""
from __future__ import annotations

import io
import logging
import math
import multiprocessing
import os
import signal
import threading
import time
from dataclasses import dataclass

from kg.prefixes import PREFIX_IRIS
from service.negotiation import GRAPH_FORMATS, SOLUTION_FORMATS
from service.sandbox import SandboxUnavailable, forbid_network, is_network_refusal

SERVICE_REFUSED = ("SERVICE is disabled: this endpoint never sends requests to other servers "
                   "(federated queries are refused)")


log = logging.getLogger(__name__)


class QueryTimeout(Exception):
    pass


class QueryFailed(Exception):
    def __init__(self, kind: str, message: str):
        self.kind = kind          # syntax | evaluation | service | sandbox | memory | internal
        self.message = message
        super().__init__(message)


@dataclass
class QueryResult:
    content_type: str
    body: bytes
    truncated: bool
    count: int
    kind: str                   # boolean | solutions | graph
    seconds: float


# ---------------------------------------------------------------- inside a worker

class Enough(Exception):
    """Raised from inside pyoxigraph's serializer once the capped number of lines (or bytes) has been written."""


DEFAULT_MAX_BYTES = 16 * 2**20      # MBC_SPARQL_MAX_RESULT_MB's default, for callers that give none
MEMORY_LIMIT = ("the query exceeds the memory limit: one of its solutions or triples is too large to be "
                "read and written again ({detail}); narrow it (shorter strings, fewer columns)")


class LineCappedWriter(io.RawIOBase):
    """Collects what pyoxigraph's serializer writes and stops it after `lines` lines or `max_bytes` bytes.

    SPARQL TSV results and N-Triples write exactly one solution or triple per line (newlines inside
    literals are escaped), so counting lines caps a result natively: the engine's own serializers do
    the writing, and Python only counts bytes it is handed in blocks. The byte cap keeps a few rows
    holding huge strings from filling the memory of whoever reads them: at most `max_bytes` + 1 bytes
    are ever kept."""

    def __init__(self, lines: int, max_bytes: int | None = None):
        self.limit = lines
        self.max_bytes = DEFAULT_MAX_BYTES if max_bytes is None else max_bytes
        self.lines = 0
        self.buffer = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, block) -> int:
        room = self.max_bytes + 1 - len(self.buffer)
        kept = block if len(block) <= room else bytes(block[:room])
        self.buffer += kept
        self.lines += kept.count(b"\n")
        if self.lines > self.limit or len(self.buffer) > self.max_bytes:
            raise Enough
        return len(block)

    def capped(self) -> tuple[bytes, bool]:
        """The first `limit` whole lines within `max_bytes`, and whether there was more."""
        data = bytes(self.buffer)
        truncated = False
        if self.lines > self.limit:
            end = -1
            for _ in range(self.limit):
                end = data.index(b"\n", end + 1)
            data, truncated = data[:end + 1], True
        if len(data) > self.max_bytes:
            data, truncated = data[:data.rfind(b"\n", 0, self.max_bytes) + 1], True
        return data, truncated


class ByteCappedWriter(io.RawIOBase):
    """Collects a serializer's output up to `max_bytes` (Enough past it); with `keep=False` only counts."""

    def __init__(self, max_bytes: int | None, keep: bool = True):
        self.max_bytes = max_bytes
        self.keep = keep
        self.size = 0
        self.buffer = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, block) -> int:
        self.size += len(block)
        if self.max_bytes is not None and self.size > self.max_bytes:
            raise Enough
        if self.keep:
            self.buffer += block
        return len(block)


def _write_capped(results, line_format, lines: int, max_bytes: int | None = None) -> tuple[bytes, bool]:
    writer = LineCappedWriter(lines, max_bytes)
    try:
        results.serialize(writer, line_format)
    except Enough:
        pass
    return writer.capped()


def _serialize_solutions(solutions, form: str, limit: int, max_bytes: int | None = None) -> tuple[bytes, int, bool]:
    """At most `limit` solutions and `max_bytes` bytes in the asked format, written by pyoxigraph's own
    serializers: TSV first (one line per solution, so it can be capped as it is written), then, for the
    other formats, that TSV read back and written again."""
    import pyoxigraph as ox

    tsv, truncated = _write_capped(solutions, ox.QueryResultsFormat.TSV, limit + 1, max_bytes)  # a header, then rows
    body, count, cut = solutions_from_tsv(tsv, form, max_bytes)
    return body, count, truncated or cut


def _fit(lines: bytes, first: int, convert, max_bytes: int | None) -> tuple[bytes, bytes, bool]:
    """(output, the lines it was made from, whether lines were dropped): `convert(lines, writer)` writes
    `lines` in another format; while that is over `max_bytes`, trailing lines are dropped (never the
    `first` ones: a TSV header) in proportion to how much too large it was. pyoxigraph's parsers refuse
    a line over their 16 MB buffer with MemoryError: that is the query's fault (400), never a crash."""
    cut = False
    try:
        while True:
            writer = ByteCappedWriter(max_bytes)
            try:
                convert(lines, writer)
                return bytes(writer.buffer), lines, cut
            except Enough:
                pass
            counter = ByteCappedWriter(None, keep=False)
            convert(lines, counter)
            floor = 0
            for _ in range(first):
                floor = lines.index(b"\n", floor) + 1
            if len(lines) <= floor:
                raise QueryFailed("memory", MEMORY_LIMIT.format(detail="even with no rows the result is over "
                                                                       f"{max_bytes} bytes"))
            share = int(len(lines) * max_bytes / max(counter.size, 1) * 0.98)
            end = lines.rfind(b"\n", floor, min(share, len(lines) - 1)) + 1
            lines, cut = lines[:max(end, floor)], True
    except MemoryError as error:
        raise QueryFailed("memory", MEMORY_LIMIT.format(detail=str(error) or "out of memory")) from None


def solutions_from_tsv(tsv: bytes, form: str, max_bytes: int | None = None) -> tuple[bytes, int, bool]:
    """Capped TSV results in the asked format within `max_bytes`, how many solutions that holds, and
    whether solutions were dropped to keep within `max_bytes`."""
    import pyoxigraph as ox

    if form == "tsv":
        return tsv, max(0, tsv.count(b"\n") - 1), False
    target = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
              "csv": ox.QueryResultsFormat.CSV}[form]

    def convert(lines: bytes, writer) -> None:
        ox.parse_query_results(lines, ox.QueryResultsFormat.TSV).serialize(writer, target)

    body, kept, cut = _fit(tsv, 1, convert, max_bytes)
    return body, max(0, kept.count(b"\n") - 1), cut


def _serialize_graph(triples, form: str, limit: int, max_bytes: int | None = None) -> tuple[bytes, int, bool]:
    """At most `limit` triples and `max_bytes` bytes: N-Triples first (one line per triple), then the asked format."""
    import pyoxigraph as ox

    ntriples, truncated = _write_capped(triples, ox.RdfFormat.N_TRIPLES, limit, max_bytes)
    body, count, cut = graph_from_ntriples(ntriples, form, max_bytes)
    return body, count, truncated or cut


def graph_from_ntriples(ntriples: bytes, form: str, max_bytes: int | None = None) -> tuple[bytes, int, bool]:
    """Capped N-Triples in the asked RDF format within `max_bytes`, how many triples that holds, and
    whether triples were dropped to keep within `max_bytes`."""
    import pyoxigraph as ox

    if form == "ntriples":
        return ntriples, ntriples.count(b"\n"), False
    rdf_format = {"turtle": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}[form]

    def convert(lines: bytes, writer) -> None:
        parsed = (ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(lines, ox.RdfFormat.N_TRIPLES))
        ox.serialize(parsed, writer, rdf_format, prefixes=PREFIX_IRIS)

    body, kept, cut = _fit(ntriples, 0, convert, max_bytes)
    return body, kept.count(b"\n"), cut


def execute(stores: dict, job: dict) -> dict:
    """Run one query; returns a picklable answer dict (never raises)."""
    import pyoxigraph as ox

    started = time.perf_counter()
    try:
        store = stores.get(job["store"])
        if store is None:
            stores.clear()
            store = stores[job["store"]] = ox.Store.read_only(job["store"])
        options = {"base_iri": job.get("base_iri")}
        if job.get("default_graphs") is not None or job.get("named_graphs") is not None:
            # named graphs alone leave the default graph empty (FROM NAMED without FROM, SPARQL 1.1 Query 13.2)
            options["default_graph"] = [ox.NamedNode(g) for g in job.get("default_graphs") or []]
            options["named_graphs"] = [ox.NamedNode(g) for g in job.get("named_graphs") or []]
        result = store.query(job["query"], **options)
        limit = job["limit"]
        if isinstance(result, ox.QueryBoolean):
            form = job["solution_format"] if job["solution_format"] in ("json", "xml") else "json"
            output = io.BytesIO()
            result.serialize(output, ox.QueryResultsFormat.JSON if form == "json" else ox.QueryResultsFormat.XML)
            body, truncated, count, kind = output.getvalue(), False, 1, "boolean"
            content_type = SOLUTION_FORMATS[form]
        elif isinstance(result, ox.QuerySolutions):
            form = job["solution_format"]
            body, count, truncated = _serialize_solutions(result, form, limit, job.get("max_bytes"))
            kind, content_type = "solutions", SOLUTION_FORMATS[form]
        else:
            form = job["graph_format"]
            body, count, truncated = _serialize_graph(result, form, limit, job.get("max_bytes"))
            kind, content_type = "graph", GRAPH_FORMATS[form]
        return {"ok": True, "content_type": content_type, "body": body, "truncated": truncated, "count": count,
                "kind": kind, "seconds": time.perf_counter() - started}
    except SyntaxError as error:
        return {"ok": False, "kind": "syntax", "message": str(error)}
    except QueryFailed as failure:
        return {"ok": False, "kind": failure.kind, "message": failure.message}
    except MemoryError as error:
        return {"ok": False, "kind": "memory", "message": MEMORY_LIMIT.format(detail=str(error) or "out of memory")}
    except (OSError, RuntimeError, ValueError, TypeError) as error:
        if is_network_refusal(str(error)):
            return {"ok": False, "kind": "service", "message": SERVICE_REFUSED}
        return {"ok": False, "kind": "evaluation", "message": str(error)}


# pyoxigraph recurses once per level of a query's nesting (and of each chain it folds: `a + b + c`,
# UNION, OPTIONAL). On the main thread's 8 MB a few thousand levels overflowed the stack and killed the
# worker; on a 256 MB stack every shape up to 100,000 levels ran (1 GB measured the same up to 100,000;
# the longest query is 100,000 characters), so no query within the size limit can crash it. A worker
# runs its jobs on one thread with such a stack, made once when it starts: a stack is reserved whole,
# and counted by the memory limit, so a new one per job could fail once the heap had grown.
JOB_STACK_BYTES = 256 * 2**20
# A remote store's queries are checked and rewritten here (service.sparql_canonical) rather than on a
# request thread: rdflib's parser is not thread-safe, and it recurses about 37 Python frames per level
# of nesting, so the recursion limit is sized to the depth allowed (and the job thread's stack to that).
FRAMES_PER_LEVEL = 40


def check(job: dict) -> dict:
    """Parse, judge and rewrite one query for a remote server; a picklable answer (never raises)."""
    import sys

    from service.sparql_canonical import Refused, check_query

    started = time.perf_counter()
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(max(previous, FRAMES_PER_LEVEL * job["max_depth"] + 2000))
    try:
        checked = check_query(job["query"], job.get("base_iri"), job["max_depth"])
        answer = {"ok": True, "form": checked.form, "text": checked.text, "depth": checked.depth}
    except Refused as refusal:
        answer = {"ok": False, "kind": refusal.kind, "message": refusal.message}
    except RecursionError:
        answer = {"ok": False, "kind": "depth", "message": "the query nests too deeply to be read"}
    except Exception as error:  # noqa: BLE001 - reported to the client as a failed check, never a crash
        answer = {"ok": False, "kind": "internal", "message": f"{type(error).__name__}: {error}"}
    finally:
        sys.setrecursionlimit(previous)
    answer["seconds"] = time.perf_counter() - started
    return answer


def _limit_resources(memory_limit_mb: int, niceness: int) -> None:
    """Cap this worker's memory and lower its priority, so a heavy query cannot take the machine."""
    import resource

    os.environ["RUST_BACKTRACE"] = "0"       # an allocation failure aborts the worker: one line, not a backtrace
    if memory_limit_mb > 0:
        # RLIMIT_DATA counts the heap and private anonymous mappings (what a query's joins and sorts
        # use), not the store's files. A thread's stack is such a mapping too, reserved whole when the
        # thread starts (and touched only as deep as the query goes): the job thread's stack is added
        # to the limit, so the heap keeps exactly `memory_limit_mb`.
        limit = memory_limit_mb * 2**20 + JOB_STACK_BYTES
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
    if niceness > 0:
        os.nice(niceness)


def worker_main(connection, memory_limit_mb: int = 0, niceness: int = 0, preload: tuple[str, ...] = (),
                parent_pid: int | None = None) -> None:
    """A query worker: no network from its first instruction on, then jobs until told to stop (or until
    its server process ends, even mid-query: service.lifeline), run on a thread with a stack deep
    enough for any query (JOB_STACK_BYTES)."""
    try:
        forbid_network()
        refusal = None
    except SandboxUnavailable as error:
        # Fail closed: without the sandbox a query could reach the network, so none is run.
        refusal = {"ok": False, "kind": "sandbox", "message": f"queries are disabled: {error}"}
    if parent_pid is not None:      # started after the filter, so this thread is under it too
        from service.lifeline import watch_parent

        watch_parent(parent_pid)
    previous = threading.stack_size(JOB_STACK_BYTES)
    try:
        jobs = threading.Thread(target=_serve, args=(connection, refusal, memory_limit_mb, niceness, preload),
                                name="sparql-jobs")
        jobs.start()
    finally:
        threading.stack_size(previous)
    jobs.join()


def _serve(connection, refusal, memory_limit_mb: int, niceness: int, preload: tuple[str, ...]) -> None:
    _limit_resources(memory_limit_mb, niceness)      # after the job thread's stack exists (see _limit_resources)
    import importlib

    for module in preload:          # import what its jobs need before the first one arrives, not on its clock
        importlib.import_module(module)
    connection.send({"ready": True})
    stores: dict = {}
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        if job.get("op") == "forget":     # a new generation is served: let go of the old store's files
            stores.clear()
            continue
        try:
            if refusal is not None:
                connection.send(refusal)
            elif job.get("op") == "check":
                connection.send(check(job))
            else:
                connection.send(execute(stores, job))
        except Exception as error:  # noqa: BLE001 - a worker reports every failure rather than die silently
            connection.send({"ok": False, "kind": "internal", "message": f"{type(error).__name__}: {error}"})


# ---------------------------------------------------------------- the pool, in the server

STARTUP_SECONDS = 60.0     # how long a new worker may take to start (spawn and imports, on a busy machine)


class QueryRefused(Exception):
    """Not run at all: the client's share of the workers, or every worker, is in use. Try later."""

    def __init__(self, kind: str, message: str, retry_after: int):
        self.kind = kind              # client-share | busy
        self.message = message
        self.retry_after = retry_after
        super().__init__(message)


class _Worker:
    def __init__(self, context, memory_limit_mb: int, niceness: int, preload: tuple[str, ...] = ()):
        parent, child = context.Pipe(duplex=True)
        self.process = context.Process(target=worker_main,
                                       args=(child, memory_limit_mb, niceness, preload, os.getpid()),
                                       daemon=True, name="sparql-worker")
        self.process.start()
        child.close()
        self.connection = parent
        self.busy_until = 0.0         # when its running query will be stopped at the latest
        self.ready = False            # it says so once started: a query's time starts then, not at the spawn

    def wait_ready(self, seconds: float) -> bool:
        if not self.ready and self.connection.poll(seconds):
            self.ready = bool(self.connection.recv().get("ready"))
        return self.ready

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.connection.close()

    def stop(self) -> None:
        try:
            self.connection.send(None)
        except OSError:
            pass
        self.process.join(timeout=2)
        if self.process.is_alive():
            self.process.kill()
        self.connection.close()


class QueryPool:
    """Worker processes shared by the request threads of one server process.

    Fair by construction: a client (its address) may hold at most `per_client` workers at once;
    a query beyond that share, or when every worker is busy, is refused at once with the seconds
    after which one will be free, instead of holding a server thread while it waits. So one
    client's runaways cost that client its share and nobody else anything.
    """

    def __init__(self, size: int = 2, max_size: int = 4, timeout: float = 10.0, per_client: int = 2,
                 memory_limit_mb: int = 0, niceness: int = 0, preload: tuple[str, ...] = ()):
        self.size = size
        self.max_size = max(size, max_size)
        self.timeout = timeout
        self.per_client = max(1, per_client)
        self.memory_limit_mb = memory_limit_mb
        self.niceness = niceness
        self.preload = preload
        self._context = multiprocessing.get_context("spawn")
        self._idle: list[_Worker] = []
        self._running: dict[_Worker, str] = {}          # worker -> client
        self._lock = threading.Lock()
        self._count = 0                                  # workers alive or being started
        self._starting = 0                               # replacements starting in the background
        self._closed = False
        for _ in range(size):
            self._idle.append(self._new_worker())
        self._count = size

    def _new_worker(self) -> _Worker:
        return _Worker(self._context, self.memory_limit_mb, self.niceness, self.preload)

    # -- admission
    def _seconds_until_free(self, workers) -> int:
        soonest = min((w.busy_until for w in workers), default=time.monotonic() + 1)
        return max(1, math.ceil(soonest - time.monotonic()))

    def _admit(self, client: str, timeout: float) -> _Worker:
        spawn = False
        with self._lock:
            mine = [w for w, owner in self._running.items() if owner == client]
            if len(mine) >= self.per_client:
                raise QueryRefused("client-share", f"you already have {len(mine)} queries running, the most one "
                                   f"client may run at once; wait for one to finish", self._seconds_until_free(mine))
            if self._idle:
                worker = self._idle.pop()
            elif self._starting:
                # a replacement for a worker that died or was stopped is starting in the background: it
                # takes about a second, which no request waits for while holding a server thread
                raise QueryRefused("busy", "a query worker is starting; try again in a moment", 1)
            elif self._count < self.max_size:
                self._count += 1
                spawn, worker = True, None
            else:
                raise QueryRefused("busy", "every query worker is busy; try again shortly",
                                   self._seconds_until_free(self._running))
            if not spawn:
                self._mark_running(worker, client, timeout)
        if spawn:
            try:
                worker = self._new_worker()
            except BaseException:
                with self._lock:
                    self._count -= 1
                raise
            with self._lock:
                self._mark_running(worker, client, timeout)
        return worker

    def _mark_running(self, worker: _Worker, client: str, timeout: float) -> None:
        worker.busy_until = time.monotonic() + timeout
        self._running[worker] = client

    def _release(self, worker: _Worker, keep: bool) -> None:
        with self._lock:
            self._running.pop(worker, None)
            if keep and not self._closed:
                self._idle.append(worker)
                return
            self._count -= 1
            refill = not self._closed and self._count < self.size
            if refill:
                self._count += 1
                self._starting += 1
        if not keep:
            worker.kill()
        if refill:
            threading.Thread(target=self._start_replacement, name="sparql-worker-start", daemon=True).start()

    def _start_replacement(self) -> None:
        """Start a worker in place of one that died or was stopped, and make it idle once it is ready:
        the request whose worker died has its answer already, and no later one waits for the start."""
        worker = None
        try:
            worker = self._new_worker()
            ready = worker.wait_ready(STARTUP_SECONDS)
        except Exception:  # noqa: BLE001 - a failed start leaves the pool one worker short, logged
            log.exception("a query worker could not be started")
            ready = False
        with self._lock:
            self._starting -= 1
            keep = ready and not self._closed
            if keep:
                self._idle.append(worker)
            else:
                self._count -= 1
        if not keep and worker is not None:
            if not ready:
                log.error("a query worker did not start within %g s", STARTUP_SECONDS)
            worker.stop() if ready else worker.kill()

    # -- running a query
    def run(self, job: dict, client: str = "-", timeout: float | None = None) -> QueryResult:
        answer = self._exchange(job, client, timeout)
        if not answer["ok"]:
            raise QueryFailed(answer["kind"], answer["message"])
        return QueryResult(answer["content_type"], answer["body"], answer["truncated"], answer["count"],
                           answer["kind"], answer["seconds"])

    def check(self, query: str, base_iri: str | None, max_depth: int, client: str = "-",
              timeout: float | None = None) -> dict:
        """A query parsed, judged and rewritten for a remote server (service.sparql_canonical), in a
        worker: {"form", "text", "depth"}, or QueryFailed saying why it is not forwarded."""
        job = {"op": "check", "query": query, "base_iri": base_iri, "max_depth": max_depth}
        answer = self._exchange(job, client, timeout)
        if not answer["ok"]:
            raise QueryFailed(answer["kind"], answer["message"])
        return answer

    def _exchange(self, job: dict, client: str, timeout: float | None) -> dict:
        """Send one job to a worker of the client's share and wait for its answer, within the time limit."""
        timeout = self.timeout if timeout is None else timeout
        worker = self._admit(client, timeout)
        try:
            if not worker.wait_ready(STARTUP_SECONDS):
                self._release(worker, keep=False)
                raise QueryFailed("sandbox", f"a query worker did not start within {STARTUP_SECONDS:g} s; "
                                             "try again shortly")
            deadline = time.monotonic() + timeout
            worker.connection.send(job)
            if not worker.connection.poll(max(0.0, deadline - time.monotonic())):
                self._release(worker, keep=False)
                raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped")
            answer = worker.connection.recv()
        except (EOFError, OSError):
            worker.process.join(timeout=2)
            code = worker.process.exitcode
            self._release(worker, keep=False)
            raise self._death(code, client) from None
        self._release(worker, keep=True)
        return answer

    def _death(self, exit_code, client: str) -> QueryFailed:
        """Why a worker died under a query, logged (a crash is never silent) and told to the client."""
        if exit_code == -signal.SIGABRT and self.memory_limit_mb:
            log.warning("a query from %s used more than %d MB and was stopped", client, self.memory_limit_mb)
            return QueryFailed("memory", f"the query needed more than the {self.memory_limit_mb} MB a query may use "
                                         "and was stopped; narrow it (LIMIT, fewer joins, no cross products)")
        if exit_code == -signal.SIGSEGV:
            # The engine recurses once per level of nesting; a query deep enough to overflow the stack
            # of its worker is the query's fault, not the server's.
            log.warning("a query from %s nested too deeply for the engine's stack and was stopped", client)
            return QueryFailed("depth", "the query nests too deeply for the query engine (it ran out of stack); "
                                        "flatten it (fewer nested brackets, groups or chained operators)")
        log.error("a query worker died running a query from %s (exit code %s)", client, exit_code)
        return QueryFailed("internal", "the query worker stopped unexpectedly; the query was not completed")

    def recycle_idle(self) -> None:
        """After a new generation: idle workers let go of the old store (its files can then be freed).
        They are told, not replaced, so no query waits for a worker to start during a switch."""
        with self._lock:
            for worker in self._idle:
                try:
                    worker.connection.send({"op": "forget"})
                except OSError:
                    pass

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.stop()
