"""Reading corpus files: bytes in, a checked text document (or a clear reason to skip it) out."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path


@dataclass(frozen=True)
class SourceDocument:
    source_file: str   # the file name in the corpus: the document's identity
    text: str          # the ONE text every offset in the graph indexes: the file decoded as UTF-8 for
                       # plain text and markdown, the text extracted from it for HTML, PDF and DOCX
    sha256: str        # of the file's original bytes
    media_type: str = "text/plain"
    original: bytes | None = field(default=None, repr=False, compare=False)  # the bytes, when converted

    @property
    def text_sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


class UnreadableDocument(Exception):
    """A corpus file that cannot be ingested; the message names the file and says why."""

    def __init__(self, path: Path, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"skipped {path}: {reason}")


def decode_document(source_file: str, data: bytes, path: Path | None = None) -> SourceDocument:
    """Check and decode a file's bytes. Raises UnreadableDocument for empty, binary or non-UTF-8 input."""
    where = path or Path(source_file)
    if not data.strip():
        raise UnreadableDocument(where, "the file is empty" if not data else "the file holds only whitespace")
    if b"\x00" in data[:65536]:
        raise UnreadableDocument(where, "binary file (it contains NUL bytes); only UTF-8 text is ingested")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        bad = data[error.start:error.start + 1].hex()
        raise UnreadableDocument(
            where, f"not UTF-8 text (byte 0x{bad} at offset {error.start}); convert it to UTF-8 and re-run"
        ) from None
    if _control_character_share(text) > 0.05:
        raise UnreadableDocument(where, "looks binary (over 5% control characters); only UTF-8 text is ingested")
    return SourceDocument(source_file=source_file, text=text, sha256=hashlib.sha256(data).hexdigest())


def _control_character_share(text: str) -> float:
    sample = text[:65536]
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f")
    return control / max(len(sample), 1)


def read_document(path: Path) -> SourceDocument:
    try:
        data = path.read_bytes()
    except PermissionError:
        raise UnreadableDocument(path, "permission denied; make the file readable and re-run") from None
    except IsADirectoryError:
        raise UnreadableDocument(path, "it is a directory, not a file") from None
    except OSError as error:
        raise UnreadableDocument(path, f"cannot be read ({error.strerror or error})") from None
    return load_document(path.name, data, path)


def load_document(source_file: str, data: bytes, path: Path | None = None) -> SourceDocument:
    """Any supported format: plain text and markdown are decoded (decode_document), HTML, PDF and
    DOCX converted to text (ingest.formats), chosen by content and extension."""
    from ingest import formats

    kind = formats.media_type(source_file, data)
    if kind in formats.TEXT_TYPES:
        return replace(decode_document(source_file, data, path), media_type=kind)
    try:
        text = formats.convert(kind, data)
    except formats.UnreadableFormat as problem:
        raise UnreadableDocument(path or Path(source_file), problem.reason) from None
    return SourceDocument(source_file=source_file, text=text, sha256=hashlib.sha256(data).hexdigest(),
                          media_type=kind, original=data)


def corpus_files(corpus_dir: Path) -> list[Path]:
    """The documents of a corpus: its regular, non-hidden files, in name order."""
    if not corpus_dir.is_dir():
        raise FileNotFoundError(f"corpus directory {corpus_dir} does not exist or is not a directory")
    return sorted(p for p in corpus_dir.iterdir() if not p.name.startswith(".") and not p.is_dir())


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
