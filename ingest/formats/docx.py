"""DOCX to text with python-docx: body paragraphs and tables in document order.

Heading styles ("Title", "Heading 1".."Heading 6") become `#` headings; paragraphs in a list style
("List Bullet", "List Number", ...) or with Word numbering become `- ` items (the rules read
numbered steps as list items too, and a `1.` before a short step would read as a heading); a
table becomes a pipe table whose first row is the header (Word tables almost always start with
one). A merged cell is given once, in its first grid column.

Before python-docx opens the package, the sizes its zip declares are added up against the
decompression limit (ingest.formats.limits): zipfile never inflates a part past its declared size,
so a zip bomb is refused before anything is inflated. Table rows are read here rather than with
python-docx's `_Row.cells`, which materialises one cell per grid column a cell spans (thirty million
for `gridSpan="30000000"`) and raises ValueError on a vertical merge that continues nothing (a
`vMerge` in the first row); the result is the same for every well-formed table.
"""
from __future__ import annotations

import io
import re
import zipfile

from ingest.formats.errors import UnreadableFormat
from ingest.formats.limits import budget
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


def _check_package_size(data: bytes) -> None:
    """The parts' declared sizes, summed, against the decompression limit (a damaged zip is left to
    python-docx, which names it)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            declared = sum(max(info.file_size, 0) for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return
    budget().decompress(declared, "its zipped parts")


def _open(data: bytes):
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    _check_package_size(data)
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
    """The table as pipe-table lines: one row per `w:tr`, one cell per grid column (a cell spanning
    columns is written once, the rest of its columns empty, so columns stay aligned and no figure
    counts twice); a cell continuing a vertical merge repeats the text of the cell it continues."""
    from docx.table import _Cell

    limit = budget()
    rows: list[list[str]] = []
    width = 0
    above: dict[int, object] = {}     # grid column -> the cell (w:tc) that starts there in the row above
    for tr in table._tbl.tr_lst:
        spans = [(tc, _span(tc)) for tc in tr.tc_lst]
        offset = _grid_before(tr)
        width = max(width, offset + sum(span for _, span in spans))
        limit.table(len(rows) + 1, width)       # before a row of thirty million cells is made
        cells: list[str] = []
        starts: dict[int, object] = {}
        for tc, span in spans:
            top = above.get(offset, tc) if _continues_merge(tc) else tc
            # a continued cell takes the width of the cell it continues, as python-docx reads it
            reach = _span(top) if top is not tc else span
            cells.append(_Cell(top, table).text)
            cells.extend([""] * (reach - 1))
            starts[offset] = top
            offset += span
        above = starts
        rows.append(cells)
    return pipe_table(rows, header=True)


def _span(tc) -> int:
    try:
        return max(int(tc.grid_span), 1)
    except (ValueError, TypeError, AttributeError):     # an unreadable gridSpan spans one column
        return 1


def _grid_before(tr) -> int:
    try:
        return max(int(tr.grid_before), 0)
    except (ValueError, TypeError, AttributeError):
        return 0


def _continues_merge(tc) -> bool:
    try:
        return tc.vMerge == "continue"
    except (ValueError, TypeError, AttributeError):
        return False
