"""PDF to text: tables as cells (pdfplumber), the text around them in reading order (pdfminer's layout).

pdfplumber finds ruled tables and gives each cell's text, so a wage table comes out as a pipe
table with one row per line rather than one figure per line. The text outside tables comes from
pdfminer's layout analysis (which pdfplumber runs when given `laparams`): it groups lines into
text boxes and orders the boxes column by column, so a two-column fact sheet is not read across
both columns at once. Within a box, a line that reaches the box's right edge continues on the next
line (it was wrapped) and is joined to it; a short line ends its paragraph. Lines set larger than
the body text, or wholly in bold, become headings.
"""
from __future__ import annotations

import io
import re
import statistics
from collections import Counter

from ingest.formats import UnreadableFormat
from ingest.formats.render import TextBuilder, clean, heading, list_item, pipe_table

HEADING_SCALE = 1.15        # a line this much larger than the body text is a heading
HEADING_MAX_WORDS = 14
WRAP_REACH = 0.85           # a line ending past this share of its box's width was wrapped
_BULLET = re.compile(r"^[\u2022\u25aa\u25cf\u25e6\u2023\u2013\u2014*\-]\s+")


def pdf_to_text(data: bytes) -> str:
    pdf = _open(data)
    try:
        pages = [_read_page(page) for page in pdf.pages]
    except UnreadableFormat:
        raise
    except Exception as error:     # pdfminer raises many kinds of error on damaged content streams
        raise UnreadableFormat(f"damaged PDF ({type(error).__name__}: {error}); re-export or re-save it") from None
    finally:
        pdf.close()
    if not any(page["chars"] for page in pages):
        raise UnreadableFormat("the PDF has no text layer (a scanned or image-only document); "
                               "run OCR on it (e.g. ocrmypdf) and re-run")
    body_size = _body_size(pages)
    top_size = max((line["size"] for page in pages for item in page["items"] if item[0] == "box"
                    for line in item[1]), default=body_size)
    builder = TextBuilder()
    for page in pages:
        for kind, content in page["items"]:
            if kind == "table":
                builder.add(content)
            else:
                _render_box(content, builder, body_size, top_size)
    text = builder.text()
    if not text.strip():
        raise UnreadableFormat("the PDF has no extractable text")
    return text


def _open(data: bytes):
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(io.BytesIO(data), laparams={})
        pdf.pages   # parses the page tree: a damaged file fails here, not later
        return pdf
    except Exception as error:
        cause = getattr(error, "__cause__", None) or (error.args[0] if error.args else None)
        if isinstance(error, (PDFPasswordIncorrect, PDFEncryptionError)) or \
                isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise UnreadableFormat("encrypted PDF: it cannot be opened without a password; "
                                   "save an unprotected copy and re-run") from None
        raise UnreadableFormat(f"damaged or not a PDF ({type(cause or error).__name__}); "
                               "re-export or re-save it") from None


def _read_page(page) -> dict:
    """The page's tables and text boxes in reading order: [("table", lines) | ("box", [line...])]."""
    from pdfminer.layout import LTTextBox

    tables = [table for table in page.find_tables() if _is_table(table)]
    boxes = []
    for element in page.layout:
        if not isinstance(element, LTTextBox):
            continue
        top, bottom = page.height - element.y1, page.height - element.y0
        centre = ((element.x0 + element.x1) / 2, (top + bottom) / 2)
        if any(_inside(centre, table.bbox) for table in tables):
            continue
        lines = _box_lines(element)
        if lines:
            boxes.append({"top": top, "x0": element.x0, "x1": element.x1, "lines": lines})
    items: list[tuple[str, object]] = [("box", box) for box in boxes]
    for table in sorted(tables, key=lambda t: t.bbox[1]):
        rows = table.extract()
        lines = pipe_table([[cell or "" for cell in row] for row in rows], header=True)
        where = next((i for i, (kind, box) in enumerate(items)
                      if kind == "box" and box["top"] >= table.bbox[3] - 1 and _overlaps(box, table.bbox)), len(items))
        items.insert(where, ("table", lines))
    return {"chars": len(page.chars), "items": [(kind, box["lines"] if kind == "box" else box)
                                                for kind, box in items]}


def _is_table(table) -> bool:
    """pdfplumber also finds framed boxes of prose: a table has at least two columns and two rows."""
    rows = table.extract()
    filled = [row for row in rows if sum(1 for cell in row if cell and cell.strip()) >= 2]
    return len(filled) >= 2


def _inside(point, bbox) -> bool:
    x, y = point
    x0, top, x1, bottom = bbox
    return x0 <= x <= x1 and top <= y <= bottom


def _overlaps(box: dict, bbox) -> bool:
    return box["x0"] < bbox[2] and box["x1"] > bbox[0]


def _box_lines(box) -> list[dict]:
    from pdfminer.layout import LTChar, LTTextLine

    lines = []
    width = max(box.x1 - box.x0, 1.0)
    for line in box:
        if not isinstance(line, LTTextLine):
            continue
        text = clean(line.get_text())
        chars = [c for c in line if isinstance(c, LTChar) and c.get_text().strip()]
        if not text or not chars:
            continue
        lines.append({
            "text": text,
            "size": round(statistics.median(c.size for c in chars), 1),
            "bold": all("bold" in c.fontname.lower() for c in chars),
            "wrapped": line.x1 >= box.x0 + WRAP_REACH * width,
            "chars": len(chars),
        })
    return lines


def _body_size(pages: list[dict]) -> float:
    sizes = Counter()
    for page in pages:
        for kind, content in page["items"]:
            if kind == "box":
                for line in content:
                    sizes[line["size"]] += line["chars"]
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _is_heading(line: dict, body_size: float) -> bool:
    short = len(line["text"].split()) <= HEADING_MAX_WORDS and not line["text"].endswith((".", ",", ";"))
    return short and (line["size"] >= body_size * HEADING_SCALE or (line["bold"] and line["size"] >= body_size))


def _render_box(lines: list[dict], builder: TextBuilder, body_size: float, top_size: float) -> None:
    paragraph: list[str] = []
    block: list[str] = []

    def end_paragraph():
        if paragraph:
            block.append(" ".join(paragraph))
            paragraph.clear()

    for index, line in enumerate(lines):
        if _is_heading(line, body_size):
            end_paragraph()
            builder.add(block[:])
            block.clear()
            builder.add(heading(line["text"], 1 if line["size"] >= top_size and top_size > body_size * HEADING_SCALE
                                else 2))
            continue
        bullet = _BULLET.match(line["text"])
        if bullet:
            end_paragraph()
            paragraph.append(list_item(line["text"][bullet.end():]))
        else:
            paragraph.append(line["text"])
        if not line["wrapped"] or index == len(lines) - 1:
            end_paragraph()
    end_paragraph()
    builder.add(block)
