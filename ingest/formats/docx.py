"""DOCX to text with python-docx: body paragraphs and tables in document order.

Heading styles ("Title", "Heading 1".."Heading 6") become `#` headings; paragraphs in a list style
("List Bullet", "List Number", ...) or with Word numbering become `- ` items (the rules read
numbered steps as list items too, and a `1.` before a short step would read as a heading); a
table becomes a pipe table whose first row is the header (Word tables almost always start with
one). A merged cell is given once, in its first grid column.
"""
from __future__ import annotations

import io
import re
import zipfile

from ingest.formats import UnreadableFormat
from ingest.formats.render import TextBuilder, clean, heading, list_item, pipe_table

_HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)


def docx_to_text(data: bytes) -> str:
    document = _open(data)
    builder = TextBuilder()
    list_open = False
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):
            builder.add(_table_lines(block))
            list_open = False
            continue
        text = clean(block.text)
        if not text:
            continue
        kind, level = _paragraph_kind(block)
        if kind == "heading":
            builder.add(heading(text, level))
        elif kind == "list":
            # consecutive items stay one block, as the rules group a list
            (builder.add_to_last if list_open else builder.add)(list_item(text))
        else:
            builder.add(text)
        list_open = kind == "list"
    text = builder.text()
    if not text.strip():
        raise UnreadableFormat("the Word document holds no text")
    return text


def _open(data: bytes):
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        return docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError) as error:
        raise UnreadableFormat(f"damaged Word file (not a readable .docx package: {error}); "
                               "re-save it from Word or LibreOffice") from None
    except Exception as error:     # malformed XML inside the package
        raise UnreadableFormat(f"damaged Word file ({type(error).__name__}: {error}); "
                               "re-save it from Word or LibreOffice") from None


def _paragraph_kind(paragraph) -> tuple[str, int]:
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    if style.lower() == "title":
        return "heading", 1
    match = _HEADING_STYLE.match(style)
    if match:
        return "heading", min(int(match.group(1)) + 1, 6)   # the Title is the one `#`
    p_pr = paragraph._p.pPr
    if style.lower().startswith("list") or (p_pr is not None and p_pr.numPr is not None):
        return "list", 0
    return "paragraph", 0


def _table_lines(table) -> list[str]:
    rows = []
    for row in table.rows:
        cells, previous = [], None
        for cell in row.cells:
            # python-docx repeats a merged cell for each grid column it spans: the repeats are written
            # empty, so columns stay aligned and no figure is counted twice
            cells.append("" if cell._tc is previous else cell.text)
            previous = cell._tc
        rows.append(cells)
    return pipe_table(rows, header=True)
