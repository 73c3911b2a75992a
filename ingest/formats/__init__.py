"""Document formats: a file's bytes to the one text every offset of that document indexes.

Pure functions, no I/O. `media_type(name, data)` chooses the format by content first (a PDF's
`%PDF-` header, the zip entry `word/document.xml` of a Word file, an `<html`/`<!doctype html`
start) and by extension second; `convert(media_type, data)` renders HTML, PDF and DOCX as the
plain markdown-like text the layout rules already read (`ingest.layout`, `ingest.table_parser`):
`# `/`## ` headings, `- ` list items, `Term: definition` lines, pipe tables with a `|---|`
separator under the header row, paragraphs separated by a blank line. Plain text and markdown
are not converted: their text is the file decoded as UTF-8, unchanged (ingest.reader).
"""
from __future__ import annotations

import io
import re
import zipfile

from ingest.formats.errors import UnreadableFormat  # noqa: F401 - raised by every converter, caught by callers

PLAIN = "text/plain"
MARKDOWN = "text/markdown"
HTML = "text/html"
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

TEXT_TYPES = frozenset({PLAIN, MARKDOWN})      # decoded as UTF-8 unchanged, never converted
BY_EXTENSION = {".txt": PLAIN, ".md": MARKDOWN, ".markdown": MARKDOWN, ".html": HTML, ".htm": HTML,
                ".pdf": PDF, ".docx": DOCX}
_HTML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]",
                         re.IGNORECASE | re.DOTALL)




def _extension(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot > name.rfind("/") else ""


def _is_docx(data: bytes) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def media_type(name: str, data: bytes) -> str:
    """The format of a corpus file: what its bytes say, else what its extension says, else plain text."""
    if data.startswith(b"%PDF-"):
        return PDF
    if _is_docx(data):
        return DOCX
    if _HTML_START.match(data[:4096]):
        return HTML
    # a .pdf/.docx whose bytes do not say so still goes to its converter, which names the defect
    return BY_EXTENSION.get(_extension(name), PLAIN)


NAMES = {HTML: "HTML page", PDF: "PDF", DOCX: "Word file"}
REASON_MAX_CHARS = 200      # an exception's message may quote the file (pdfminer's quotes whole streams)


def _converter(kind: str):
    if kind == HTML:
        from ingest.formats.html import html_to_text

        return html_to_text
    if kind == PDF:
        from ingest.formats.pdf import pdf_to_text

        return pdf_to_text
    if kind == DOCX:
        from ingest.formats.docx import docx_to_text

        return docx_to_text
    raise ValueError(f"{kind} is read as UTF-8 text, not converted")


def convert(kind: str, data: bytes, limits=None) -> str:
    """The text of an HTML, PDF or DOCX file. Raises UnreadableFormat with the reason, for any failure:
    a damaged file, one over a limit (`limits`, ingest.formats.limits.Limits; default: the defaults),
    or an error of the library that reads it (named, so the file is skipped rather than the run ended)."""
    from ingest.formats.limits import Limits, spending

    convert_text = _converter(kind)
    with spending(limits or Limits()) as spent:
        try:
            text = convert_text(data)
        except Exception as error:
            # a library may turn our LimitExceeded into its own error, or go on after catching it
            if spent.exceeded is not None:
                raise spent.exceeded from None
            if isinstance(error, UnreadableFormat):
                raise
            if isinstance(error, MemoryError):
                raise UnreadableFormat(f"the {NAMES[kind]} needs more memory to convert than this machine "
                                       "has") from None
            raise UnreadableFormat(f"damaged or unsupported {NAMES[kind]} ({describe_error(error)}); "
                                   "re-save or re-export it") from None
        if spent.exceeded is not None:
            raise spent.exceeded
        spent.text(len(text))
    return text


def convert_job(item: tuple[str, bytes], limits=None) -> tuple[str, str]:
    """`convert` as a job for a guarded worker (ingest.pool.GuardedPool): ("text", the text) or
    ("unreadable", the reason), never an exception."""
    kind, data = item
    try:
        return "text", convert(kind, data, limits)
    except UnreadableFormat as problem:
        return "unreadable", problem.reason


def describe_error(error: BaseException) -> str:
    """An exception as one short line: its type and the start of its message."""
    message = " ".join(str(error).split())
    if len(message) > REASON_MAX_CHARS:
        message = message[:REASON_MAX_CHARS] + "..."
    return f"{type(error).__name__}: {message}" if message else type(error).__name__
