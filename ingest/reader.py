"""Reading corpus files: bytes in, a checked text document (or a clear reason to skip it) out.

The text a document's offsets index is its file's bytes decoded, with no newline translation
(a CRLF file keeps its "\\r\\n"), minus a leading byte-order mark. The same string is stored with
the generation (kg.datadir) and served by /documents, so a claim's offsets select its quote
everywhere.

Only regular files are read. The corpus folder is walked with its subfolders (a document's name,
its identity, is its path relative to the corpus: "texas/a.txt"); hidden files and folders are
left alone; named pipes, sockets, devices, links that resolve outside the corpus folder and links
to folders are named and skipped without ever being opened.
"""
from __future__ import annotations

import codecs
import hashlib
import os
import stat
from dataclasses import dataclass, field, replace
from pathlib import Path

MAX_DOCUMENT_MB_ENV = "MBC_MAX_DOCUMENT_MB"   # the size limit's setting (its default: ingest.formats.limits)


@dataclass(frozen=True)
class SourceDocument:
    source_file: str   # the path relative to the corpus ("texas/a.txt"): the document's identity
    text: str          # the ONE text every offset in the graph indexes: for plain text and markdown the file
    #                    decoded (UTF-8, or UTF-16 with its BOM), BOM removed, newlines as in the file; for
    #                    HTML, PDF and DOCX the text extracted from it (ingest.formats)
    sha256: str        # of the file's original bytes
    media_type: str = "text/plain"
    original: bytes | None = field(default=None, repr=False, compare=False)  # the bytes, when converted

    @property
    def text_sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CorpusFile:
    """A regular file of the corpus, found by `corpus_listing`."""
    name: str          # relative POSIX path: the document's identity
    path: Path         # where to read it (a link inside the corpus is read at its target)


class UnreadableDocument(Exception):
    """A corpus file that cannot be ingested; the message names the file and says why."""

    def __init__(self, path: Path, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"skipped {path}: {reason}")


# -- decoding: pure (bytes in, document out)
def decode_document(source_file: str, data: bytes, path: Path | None = None) -> SourceDocument:
    """Check and decode a file's bytes. Raises UnreadableDocument for empty, binary or undecodable input.

    UTF-8 (a byte-order mark is removed) and UTF-16 with a byte-order mark are text; a NUL byte
    anywhere else means a binary file.
    """
    where = path or Path(source_file)
    if not data.strip():
        raise UnreadableDocument(where, "the file is empty" if not data else "the file holds only whitespace")
    text = _decode(data, where)
    if not text.strip():
        raise UnreadableDocument(where, "the file holds only whitespace")
    if _control_character_share(text) > 0.05:
        raise UnreadableDocument(where, "looks binary (over 5% control characters); only text is ingested")
    return SourceDocument(source_file=source_file, text=text, sha256=hashlib.sha256(data).hexdigest())


def _decode(data: bytes, where: Path) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not data.startswith(codecs.BOM_UTF32_LE):
        try:
            text = data.decode("utf-16")   # the BOM picks the byte order and is not part of the text
        except UnicodeDecodeError as error:
            raise UnreadableDocument(where, f"UTF-16 text with a bad sequence at byte {error.start}; "
                                            "convert it to UTF-8 and re-run") from None
        if "\x00" in text:
            raise UnreadableDocument(where, "binary file (it contains NUL characters); only text is ingested")
        return text
    nul = data.find(b"\x00")
    if nul >= 0:
        raise UnreadableDocument(where, f"binary file (a NUL byte at offset {nul}); only text is ingested")
    try:
        # utf-8-sig: a UTF-8 byte-order mark is an encoding signature, not text (nor part of the title)
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        offset = error.start + (len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0)
        bad = data[offset:offset + 1].hex()
        raise UnreadableDocument(
            where, f"not UTF-8 text (byte 0x{bad} at offset {offset}); convert it to UTF-8 and re-run"
        ) from None


def _control_character_share(text: str) -> float:
    sample = text[:65536]
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f")
    return control / max(len(sample), 1)


# -- reading: only regular files, never blocking on a pipe or a device
def _open_regular(path: Path) -> int:
    """A descriptor of `path`, which must be a regular file. O_NONBLOCK: opening a named pipe that slipped
    in after listing returns at once instead of waiting for a writer; it is then refused by fstat."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except PermissionError:
        raise UnreadableDocument(path, "permission denied; make the file readable and re-run") from None
    except IsADirectoryError:
        raise UnreadableDocument(path, "it is a directory, not a file") from None
    except OSError as error:
        raise UnreadableDocument(path, f"cannot be read ({error.strerror or error})") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise UnreadableDocument(path, f"{_kind(mode)}, not a regular file; only regular files are read")
    return fd


def read_bytes(path: Path, max_bytes: int | None = None) -> bytes:
    """A corpus file's bytes: a regular file only, refused (UnreadableDocument) over `max_bytes` before
    it is read."""
    fd = _open_regular(path)
    try:
        size = os.fstat(fd).st_size
        if max_bytes is not None and size > max_bytes:
            raise UnreadableDocument(path, f"{size / 1e6:.1f} MB, over the document size limit of "
                                           f"{max_bytes / 1e6:g} MB (raise it with --max-document-mb or "
                                           f"{MAX_DOCUMENT_MB_ENV})")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read() if max_bytes is None else handle.read(max_bytes + 1)
    except OSError as error:
        raise UnreadableDocument(path, f"cannot be read ({error.strerror or error})") from None
    finally:
        os.close(fd)
    if max_bytes is not None and len(data) > max_bytes:   # it grew while we read it
        raise UnreadableDocument(path, f"over the document size limit of {max_bytes / 1e6:g} MB")
    return data


def read_document(path: Path, source_file: str | None = None, max_bytes: int | None = None,
                  limits=None) -> SourceDocument:
    """Read and decode (or convert, here, in this process) one corpus file; `source_file` is its name in
    the corpus (default: the file name). A file over `max_bytes` is refused before it is read. Ingest
    converts in guarded processes instead (ingest.pipeline)."""
    return load_document(source_file or path.name, read_bytes(path, max_bytes), path, limits)


def load_document(source_file: str, data: bytes, path: Path | None = None, limits=None) -> SourceDocument:
    """Any supported format: plain text and markdown are decoded (decode_document); HTML, PDF and
    DOCX are converted to text (ingest.formats, within `limits`), chosen by content and extension."""
    from ingest import formats

    kind = formats.media_type(source_file, data)
    if kind in formats.TEXT_TYPES:
        return replace(decode_document(source_file, data, path), media_type=kind)
    try:
        text = formats.convert(kind, data, limits)
    except formats.UnreadableFormat as problem:
        raise UnreadableDocument(path or Path(source_file), problem.reason) from None
    return converted_document(source_file, kind, data, text)


def converted_document(source_file: str, kind: str, data: bytes, text: str) -> SourceDocument:
    """The document of an HTML, PDF or DOCX file, given the text converted from it."""
    return SourceDocument(source_file=source_file, text=text, sha256=hashlib.sha256(data).hexdigest(),
                          media_type=kind, original=data)


def file_sha256(path: Path) -> str:
    fd = _open_regular(path)
    digest = hashlib.sha256()
    with os.fdopen(fd, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# -- listing: what in the corpus folder is a document
def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def corpus_listing(corpus_dir: Path) -> tuple[list[CorpusFile], list[UnreadableDocument]]:
    """The documents of a corpus (regular files in it and its subfolders, by name) and what was skipped.

    Nothing listed as skipped has been opened: the decision is made from `lstat` (and, for a link,
    from where it resolves).
    """
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise FileNotFoundError(f"corpus directory {corpus_dir} does not exist or is not a directory")
    root = corpus_dir.resolve()
    files: list[CorpusFile] = []
    skipped: list[UnreadableDocument] = []
    _walk(corpus_dir, root, "", files, skipped)
    return sorted(files, key=lambda f: f.name), skipped


def _walk(folder: Path, root: Path, prefix: str, files: list, skipped: list) -> None:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as error:
        skipped.append(UnreadableDocument(folder, f"the folder cannot be read ({error.strerror or error})"))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue   # hidden files and folders (.git, .DS_Store, editors' swap files) are not documents
        path = Path(entry.path)
        name = prefix + entry.name
        try:
            mode = entry.stat(follow_symlinks=False).st_mode
        except OSError as error:
            skipped.append(UnreadableDocument(path, f"cannot be read ({error.strerror or error})"))
            continue
        if stat.S_ISDIR(mode):
            _walk(path, root, name + "/", files, skipped)
        elif stat.S_ISREG(mode):
            files.append(CorpusFile(name, path))
        elif stat.S_ISLNK(mode):
            target = _link_target(path, root, skipped)
            if target is not None:
                files.append(CorpusFile(name, target))
        else:
            skipped.append(UnreadableDocument(path, f"{_kind(mode)}, not a regular file; only regular files "
                                                    "are read"))


def _link_target(link: Path, root: Path, skipped: list) -> Path | None:
    """Where a link inside the corpus leads, if it is a regular file inside the corpus folder."""
    try:
        target = link.resolve(strict=True)
    except (OSError, RuntimeError):
        skipped.append(UnreadableDocument(link, "a broken link (its target does not exist)"))
        return None
    if not target.is_relative_to(root):
        skipped.append(UnreadableDocument(link, "a link that leads outside the corpus folder; not read "
                                                "(copy the file into the corpus to ingest it)"))
        return None
    mode = target.stat().st_mode
    if not stat.S_ISREG(mode):
        skipped.append(UnreadableDocument(link, f"a link to {_kind(mode)}, not to a regular file; not read"))
        return None
    return target


