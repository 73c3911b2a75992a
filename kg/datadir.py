"""The data directory: the one module that knows where ingest's output lives.

    data/
      .ingest.lock                one ingest at a time
      cache/embeddings.sqlite     vectors by (model, text), shared by every generation
      generations/<name>/         one complete ingest:
        store/                      the Oxigraph store
        index/                      the search index (search.index)
        documents/<file>            the text every offset of that document indexes
        originals/<file>            the file's own bytes, for a document whose text was extracted
                                    from another format (HTML, PDF, DOCX); plain text has none
        manifest.json               what was ingested, counts, fingerprints
        kg.trig                     the dump
      generations/<name>.partial/ an ingest under way (never served)
      current -> generations/<name>   the live generation, swapped atomically
      kg.trig -> current/kg.trig
      remote.json                 what a remote SPARQL server holds, when one is used (kg.remote)

A reader picks a `Generation` once and reads everything from it, so the store, the index and the
documents it sees always belong together, even while ingest publishes the next one. Imports
nothing heavy: the search side uses it without loading rdflib or the ingest package.
"""
from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import socket
import time
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import DataDirError, DataDirNotWritable, IngestRunning  # noqa: F401 - raised here, caught by callers

if TYPE_CHECKING:
    from kg.store import GraphStore

CURRENT = "current"
GENERATIONS = "generations"
PARTIAL_SUFFIX = ".partial"
LOCK_FILE = ".ingest.lock"
DUMP_FILE = "kg.trig"
MANIFEST_FILE = "manifest.json"
STORE_MARKER = "CURRENT"        # the file Oxigraph's RocksDB writes when it creates a store


# errno values that mean "the data folder cannot take this write", as opposed to a bug
_WRITE_PROBLEMS = {
    errno.EACCES: "permission denied; make it writable (or run as its owner) or choose another folder with --data",
    errno.EPERM: "operation not permitted; make it writable or choose another folder with --data",
    errno.EROFS: "it is on a read-only file system; choose another folder with --data",
    errno.ENOSPC: "the disk is full; free some space (or choose another folder with --data) and re-run",
    errno.EDQUOT: "the disk quota is exceeded; free some space (or choose another folder with --data) and re-run",
}


def not_writable_error(root: Path, error: BaseException) -> "DataDirNotWritable | None":
    """A one-line error for a write that failed because of the data folder, or None for any other failure.
    Oxigraph and SQLite report the same conditions in their own words, matched here too."""
    code = getattr(error, "errno", None)
    if code not in _WRITE_PROBLEMS:
        message = str(error).lower()
        code = next((c for c, words in _WRITE_PROBLEM_WORDS.items() if any(w in message for w in words)), None)
    if code is None:
        return None
    return DataDirNotWritable(f"cannot write to the data folder {root}: {_WRITE_PROBLEMS[code]}; "
                              "the data being served is unchanged")


_WRITE_PROBLEM_WORDS = {
    errno.ENOSPC: ("no space left", "disk is full", "database or disk is full"),
    errno.EROFS: ("read-only file system", "readonly database", "read-only database"),
    errno.EACCES: ("permission denied",),
}


# -- who holds the ingest lock: "pid start host since", one line
def _process_start(pid: int) -> str:
    """When a process started (Linux: clock ticks since boot, field 22 of /proc/PID/stat), so that a pid
    reused by an unrelated process is not taken for the holder; "" where that cannot be read."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            return handle.read().rsplit(b")", 1)[1].split()[19].decode()
    except (OSError, IndexError):
        return ""


@contextmanager
def _flocked_folder(folder: Path):
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def _write_holder(handle, clear: bool = False) -> None:
    try:
        handle.seek(0)
        handle.truncate()
        if not clear:
            pid = os.getpid()
            handle.write(f"{pid} {_process_start(pid) or '-'} {socket.gethostname()} "
                         f"{time.strftime('%Y-%m-%dT%H:%M:%S%z')}\n")
        handle.flush()
    except OSError:
        pass        # the name is a courtesy; the flock is the lock


def _read_holder(handle) -> dict | None:
    try:
        handle.seek(0)
        fields = handle.read(4096).split()
    except (OSError, ValueError):
        return None
    if len(fields) < 4 or not fields[0].isdigit():
        return None
    return {"pid": int(fields[0]), "start": "" if fields[1] == "-" else fields[1], "host": fields[2],
            "since": fields[3]}


def _is_self(holder: dict) -> bool:
    return holder["pid"] == os.getpid() and holder["host"] == socket.gethostname()


def _holder_alive(holder: dict) -> bool:
    """Whether the process a lock file names still runs; a holder on another host counts as alive."""
    if holder["host"] != socket.gethostname():
        return True
    try:
        os.kill(holder["pid"], 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass        # it exists, under another user
    start = _process_start(holder["pid"])
    return not (holder["start"] and start and start != holder["start"])    # else its pid was reused


def _describe(holder: dict) -> str:
    return f"pid {holder['pid']} on {holder['host']}, since {holder['since']}"


class Generation:
    """One complete ingest (or one being written, while `partial`)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._manifest: dict | None = None
        self._writer = None     # the store this process opened for writing, if any

    def __repr__(self) -> str:
        return f"Generation({self.path})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Generation) and self.path.resolve() == other.path.resolve()

    def __hash__(self) -> int:
        return hash(self.path.resolve())

    @property
    def name(self) -> str:
        return self.path.name.removesuffix(PARTIAL_SUFFIX)

    @property
    def partial(self) -> bool:
        return self.path.name.endswith(PARTIAL_SUFFIX)

    # -- what a generation holds
    @property
    def store_path(self) -> Path:
        return self.path / "store"

    @property
    def index_dir(self) -> Path:
        return self.path / "index"

    @property
    def documents_dir(self) -> Path:
        return self.path / "documents"

    @property
    def originals_dir(self) -> Path:
        return self.path / "originals"

    @property
    def dump_path(self) -> Path:
        return self.path / DUMP_FILE

    @property
    def manifest_path(self) -> Path:
        return self.path / MANIFEST_FILE

    # -- the manifest
    @property
    def manifest(self) -> dict:
        if self._manifest is None:
            self._manifest = (json.loads(self.manifest_path.read_text(encoding="utf-8"))
                              if self.manifest_path.exists() else {})
        return self._manifest

    def write_manifest(self, manifest: dict) -> None:
        self.manifest_path.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        self._manifest = manifest

    @property
    def documents(self) -> dict[str, dict]:
        return self.manifest.get("documents", {})

    # -- leases: a server holds a shared lock on the generation it serves, so ingest never deletes
    # a generation still in use (flock on the directory itself: the server writes nothing)
    def lease(self) -> "Lease":
        return Lease(self.path, exclusive=False)

    def try_claim(self) -> "Lease | None":
        """An exclusive lock, if nobody holds a lease on this generation (for deleting it)."""
        try:
            return Lease(self.path, exclusive=True, wait=False)
        except BlockingIOError:
            return None

    # -- the store
    def has_store(self) -> bool:
        """Whether ingest has written a graph store in this generation (a generation whose graph went
        to a SPARQL server alone may have none)."""
        return (self.store_path / STORE_MARKER).exists()

    def open_store(self, read_only: bool = True) -> GraphStore:
        """The generation's store; opened read-only, it must be there (DataDirError otherwise)."""
        from kg.store import GraphStore

        if read_only and not self.has_store():
            raise DataDirError(f"no graph store at {self.store_path}; run `make ingest` (mbc-kg ingest) first")
        store = GraphStore(self.store_path, read_only=read_only)
        if not read_only:
            self._writer = store    # closed by `DataDir.discard`, whoever else still holds it
        return store

    def close_writer(self) -> None:
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.close()

    # -- document texts: only names the manifest lists are ever read, so no request can name a path.
    # A document's name is its path in the corpus ("texas/a.txt"); its text is one flat file whose name
    # spells "/" as "%2F" (and "%" as "%25"), so no name reaches outside `documents/`.
    def _document_text_path(self, source_file: str) -> Path | None:
        return _flat_path(self.documents_dir, source_file)

    def document_text(self, source_file: str) -> str | None:
        """The text a document's offsets index, exactly as ingested (bytes decoded as UTF-8: no newline
        translation, so a CRLF document keeps its CR LF)."""
        if source_file not in self.documents:
            return None
        path = self._document_text_path(source_file)
        if path is None or not path.is_file():
            return None
        return path.read_bytes().decode("utf-8")

    def write_document_text(self, source_file: str, text: str) -> None:
        path = self._document_text_path(source_file)
        if path is None:
            raise ValueError(f"{source_file!r} cannot name a document")
        self.documents_dir.mkdir(exist_ok=True)
        path.write_bytes(text.encode("utf-8"))

    def carry_document_text(self, source_file: str, previous: "Generation") -> None:
        """An unchanged document's text (and original file, if kept) from the previous generation
        (a hard link where possible)."""
        self.documents_dir.mkdir(exist_ok=True)
        source, target = previous._document_text_path(source_file), self._document_text_path(source_file)
        _link_or_copy(source, target)
        original = previous._original_path(source_file)
        if original is not None and original.is_file():
            self.originals_dir.mkdir(exist_ok=True)
            _link_or_copy(original, self._original_path(source_file))

    # -- original files of converted documents (HTML, PDF, DOCX): served as downloads, never parsed;
    # named like the texts (one flat file per document, "/" spelled "%2F")
    def _original_path(self, source_file: str) -> Path | None:
        return _flat_path(self.originals_dir, source_file)

    def document_original(self, source_file: str) -> bytes | None:
        """The bytes of a converted document's file as ingested; None for plain text (its text is
        the file) and for any name the manifest does not list."""
        if source_file not in self.documents:
            return None
        path = self._original_path(source_file)
        if path is None or not path.is_file():
            return None
        return path.read_bytes()

    def write_document_original(self, source_file: str, data: bytes) -> None:
        path = self._original_path(source_file)
        if path is None:
            raise ValueError(f"{source_file!r} cannot name a document")
        self.originals_dir.mkdir(exist_ok=True)
        path.write_bytes(data)


def _flat_name(source_file: str) -> str:
    return source_file.replace("%", "%25").replace("/", "%2F")


def _flat_path(folder: Path, source_file: str) -> Path | None:
    """A document's one file in `folder`, or None for a name that cannot be one ("." or "..")."""
    path = folder / _flat_name(source_file)
    if path.parent != folder or path.name in (".", ".."):
        return None
    return path


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


class Lease:
    """A lock on a generation's directory: shared while serving it, exclusive while deleting it."""

    def __init__(self, path: Path, exclusive: bool, wait: bool = True):
        self._fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
        try:
            flags = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
            fcntl.flock(self._fd, flags if wait else flags | fcntl.LOCK_NB)
        except BaseException:
            os.close(self._fd)
            raise

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)      # closing the descriptor drops the lock
            self._fd = None


class DataDir:
    """A data directory written by ingest and read by search and the service."""

    def __init__(self, root: Path | str):
        self.root = Path(root)

    def __repr__(self) -> str:
        return f"DataDir({self.root})"

    @property
    def generations_dir(self) -> Path:
        return self.root / GENERATIONS

    @property
    def cache_dir(self) -> Path:
        return self.root / "cache"

    @property
    def embedding_cache_path(self) -> Path:
        return self.cache_dir / "embeddings.sqlite"

    @property
    def dump_link(self) -> Path:
        return self.root / DUMP_FILE

    @property
    def remote_state_path(self) -> Path:
        """What a remote SPARQL server was last given (ingest.remote_sync), per server."""
        return self.root / "remote.json"

    def read_remote_state(self) -> dict:
        """remote.json as written by write_remote_state ({} when there is none or it cannot be read)."""
        try:
            return json.loads(self.remote_state_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def write_remote_state(self, state: dict) -> None:
        """remote.json replaced whole: a reader sees the old state or the new one, never half of one."""
        partial = self.remote_state_path.with_name(self.remote_state_path.name + ".partial")
        partial.write_text(json.dumps(state, indent=2), encoding="utf-8")
        os.replace(partial, self.remote_state_path)

    # -- reading
    def current_name(self) -> str | None:
        """Where `current` points (cheap: one readlink), to notice a newly published generation."""
        try:
            return os.readlink(self.root / CURRENT)
        except OSError:
            return None

    def current(self) -> Generation | None:
        link = self.root / CURRENT
        if not link.exists():
            return None
        return Generation(link.resolve())

    def require_current(self) -> Generation:
        generation = self.current()
        if generation is None:
            raise DataDirError(f"{self.root} holds no ingested data; run `make ingest` "
                               f"(mbc-kg ingest --corpus corpus --data {self.root})")
        return generation

    def generations(self) -> list[Generation]:
        """Complete generations, oldest first (names sort by creation time)."""
        if not self.generations_dir.is_dir():
            return []
        return [Generation(p) for p in sorted(self.generations_dir.iterdir())
                if p.is_dir() and not p.name.endswith(PARTIAL_SUFFIX)]

    # -- writing (ingest only)
    @contextmanager
    def lock(self, notice=None):
        """One ingest at a time per data directory: an exclusive flock on `.ingest.lock`, which also names
        its holder (pid, process start, host, since when) while it is held and is emptied on release.

        A holder that died (killed, out of memory, power lost) leaves its name in the file: the kernel has
        already dropped its flock, so the next ingest takes the lock, and `notice(line)` says whose it was.
        If the flock is still held but the named holder is dead (a process it started inherited the
        descriptor and lives on), the lock file is replaced and the lock taken over, also with a line.
        A live holder is named in `IngestRunning`.

        On a data folder this process cannot write, the lock is taken on the existing lock file opened for
        reading (flock needs no write access), so a run with nothing to do still finds that out; a run that
        must write then fails with `DataDirNotWritable`."""
        notice = notice or (lambda line: None)
        handle, writable = self._open_lock_file()
        try:
            # taking the lock, reading and writing its holder's name are one step under a flock of the
            # folder itself, so no ingest reads a name another is about to replace
            with _flocked_folder(self.root):
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    stale = _read_holder(handle)
                    if stale and not _is_self(stale):
                        notice(f"took over the lock of {self.root}: the ingest that held it ({_describe(stale)}) "
                               f"ended without releasing it")
                except BlockingIOError:
                    handle = self._take_over(handle, notice)
                if writable:
                    _write_holder(handle)
            try:
                yield self
            finally:
                if writable:
                    _write_holder(handle, clear=True)
                fcntl.flock(handle, fcntl.LOCK_UN)
        finally:
            handle.close()

    def _open_lock_file(self):
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            return open(self.root / LOCK_FILE, "a+"), True
        except OSError as error:
            problem = not_writable_error(self.root, error)
            if problem is None:
                raise
            if not (self.root / LOCK_FILE).is_file():
                raise problem from None
            return open(self.root / LOCK_FILE, "r"), False

    def _take_over(self, handle, notice):
        """The lock is held. If the holder it names is alive (or cannot be checked: another host), that is
        another ingest; if it is dead, what holds the flock is a leftover process that inherited it: a
        fresh lock file replaces the old one (called under the folder's flock)."""
        holder = _read_holder(handle)
        if not holder or _holder_alive(holder):
            who = f" ({_describe(holder)})" if holder else ""
            raise IngestRunning(f"another ingest{who} is running on {self.root}; wait for it to finish")
        path = self.root / LOCK_FILE
        replacement = path.with_name(LOCK_FILE + f".{os.getpid()}")
        fresh = open(replacement, "a+")
        fcntl.flock(fresh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.replace(replacement, path)
        handle.close()
        notice(f"took over the lock of {self.root}: the ingest that held it ({_describe(holder)}) is no longer "
               f"running (a process it left behind still held the old lock file)")
        return fresh

    def clean_partials(self) -> None:
        """Leftovers of an interrupted ingest."""
        if self.generations_dir.is_dir():
            for leftover in self.generations_dir.glob("*" + PARTIAL_SUFFIX):
                shutil.rmtree(leftover, ignore_errors=True)

    def new_generation(self) -> Generation:
        self.generations_dir.mkdir(parents=True, exist_ok=True)
        # sortable and unique: pruning keeps the newest generations by name
        name = time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + f".{time.time_ns() % 10**9:09d}-{os.getpid()}"
        path = self.generations_dir / f"{name}{PARTIAL_SUFFIX}"
        if path.exists():
            shutil.rmtree(path)
        path.mkdir()
        return Generation(path)

    def publish(self, generation: Generation) -> Generation:
        """Make a complete partial generation the live one (an atomic rename of the `current` link)."""
        final = generation.path.with_name(generation.name)
        generation.path.rename(final)
        temporary_link = self.root / (CURRENT + ".new")
        if temporary_link.is_symlink() or temporary_link.exists():
            temporary_link.unlink()
        temporary_link.symlink_to(Path(GENERATIONS) / final.name)
        os.replace(temporary_link, self.root / CURRENT)  # atomic on POSIX
        if not self.dump_link.is_symlink():
            if self.dump_link.exists():
                self.dump_link.unlink()
            self.dump_link.symlink_to(Path(CURRENT) / DUMP_FILE)
        return Generation(final)

    def prune(self, keep: int, live: Generation) -> list[Generation]:
        """Delete all but the newest `keep` complete generations; never the live one, never one a
        server still holds a lease on (it is deleted by a later ingest). Returns those deleted."""
        deleted = []
        for old in self.generations()[:-keep] if keep > 0 else self.generations():
            if old == live:
                continue
            claim = old.try_claim()
            if claim is None:
                continue
            try:
                shutil.rmtree(old.path, ignore_errors=True)
                deleted.append(old)
            finally:
                claim.release()
        return deleted

    def discard(self, generation: Generation) -> None:
        # close its store first: an open store (still referenced by the failed ingest's traceback) keeps
        # writing files while they are deleted, and a partial left behind holds the space of a full disk
        generation.close_writer()
        shutil.rmtree(generation.path, ignore_errors=True)
