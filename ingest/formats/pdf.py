"""PDF to text: tables as cells (pdfplumber), the text around them in reading order (pdfminer's layout).

pdfplumber finds ruled tables and gives each cell's text, so a wage table comes out as a pipe
table with one row per line rather than one figure per line. The text outside tables comes from
pdfminer's layout analysis (which pdfplumber runs when given `laparams`): it groups lines into
text boxes and orders the boxes column by column, so a two-column fact sheet is not read across
both columns at once. Within a box, a line that reaches the box's right edge continues on the next
line (it was wrapped) and is joined to it; a short line ends its paragraph. Lines set larger than
the body text, or wholly in bold, become headings.

A PDF is read within the limits of ingest.formats.limits: its pages are counted (by walking the page
tree, which stops at the limit) before any is read; every stream pdfminer inflates is counted
against the decompression limit while it inflates (`_limit_decompression`); the text read so far is
counted after each page, and each page's layout is let go once read.
"""
from __future__ import annotations

import io
import itertools
import re
import statistics
import zlib
from collections import Counter

from ingest.formats.errors import UnreadableFormat
from ingest.formats.limits import budget
from ingest.formats.render import TextBuilder, clean, definition, heading, list_item, pipe_table

HEADING_SCALE = 1.15        # a line this much larger than the body text is a heading
HEADING_MAX_WORDS = 14
WRAP_REACH = 0.85           # a line ending past this share of its box's width was wrapped
CELL_MAX_WORDS = 10         # a cell of an unruled grid; a line of prose is longer
MARGIN_SHARE = 0.1          # running headers and footers sit in the top and bottom tenth of a page
KEY_MAX_WORDS = 4           # one column of a grid holds short values (figures, acronyms, names)
_HYPHEN_END = re.compile(r"[A-Za-z]-$")
_PAGE_NUMBER = re.compile(r"^(?:page\s*)?\d+(?:\s*(?:of|/)\s*\d+)?$", re.IGNORECASE)
_BULLET = re.compile(r"^[\u2022\u25aa\u25cf\u25e6\u2023\u2013\u2014*\-]\s+")


def pdf_to_text(data: bytes) -> str:
    pdf = _open(data)
    try:
        pages = []
        characters = 0
        for page in pdf.pages:
            pages.append(_read_page(page))
            page.close()      # its layout, characters and objects: a long PDF is held one page at a time
            characters += _page_characters(pages[-1])
            budget().text(characters)
    except UnreadableFormat:
        raise
    except Exception as error:     # pdfminer raises many kinds of error on damaged content streams
        raise UnreadableFormat(f"damaged PDF ({type(error).__name__}: {error}); re-export or re-save it") from None
    finally:
        pdf.close()
    if not any(page["chars"] for page in pages):
        raise UnreadableFormat("the PDF has no text layer (a scanned or image-only document); "
                               "run OCR on it (e.g. ocrmypdf) and re-run")
    _drop_running_lines(pages)
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


def _drop_running_lines(pages: list[dict]) -> None:
    """Page numbers, and on a document of several pages the header and footer lines most pages
    repeat (digits aside), in the top or bottom MARGIN_SHARE of the page: they would cut a
    paragraph or table that runs over a page break."""
    def key(text: str) -> str:
        return re.sub(r"\d+", "#", text.lower())

    def in_margin(line: dict, page: dict) -> bool:
        return line["bottom"] < page["height"] * MARGIN_SHARE or line["top"] > page["height"] * (1 - MARGIN_SHARE)

    seen: Counter = Counter()
    for page in pages:
        seen.update({key(line["text"]) for kind, lines in page["items"] if kind == "box" for line in lines
                     if in_margin(line, page)})
    repeated = {text for text, count in seen.items() if count >= 2 and 2 * count >= len(pages)}
    for page in pages:
        page["items"] = [(kind, [line for line in content if not in_margin(line, page) or (
            key(line["text"]) not in repeated and not _PAGE_NUMBER.match(line["text"]))] if kind == "box" else content)
                         for kind, content in page["items"]]
        page["items"] = [(kind, content) for kind, content in page["items"] if content]


def _open(data: bytes):
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(io.BytesIO(data), laparams={})
        _count_pages(pdf)
        pdf.pages   # parses the page tree: a damaged file fails here, not later
        return pdf
    except UnreadableFormat:
        raise
    except Exception as error:
        cause = getattr(error, "__cause__", None) or (error.args[0] if error.args else None)
        if isinstance(error, (PDFPasswordIncorrect, PDFEncryptionError)) or \
                isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise UnreadableFormat("encrypted PDF: it cannot be opened without a password; "
                                   "save an unprotected copy and re-run") from None
        raise UnreadableFormat(f"damaged or not a PDF ({type(cause or error).__name__}); "
                               "re-export or re-save it") from None


def _count_pages(pdf) -> None:
    """Refuse a PDF of more pages than the limit before pdfplumber makes an object for each."""
    from pdfminer.pdfpage import PDFPage

    limit = budget().limits.pages
    budget().pages(sum(1 for _ in itertools.islice(PDFPage.create_pages(pdf.doc), limit + 1)))


def _page_characters(page: dict) -> int:
    return sum(len(line["text"]) + 1 if kind == "box" else len(line) + 1
               for kind, content in page["items"] for line in content)


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
        lines = _box_lines(element, page.height)
        if lines:
            boxes.append({"x0": element.x0, "x1": element.x1, "lines": lines})
    items = _place_grids(boxes, _unruled_grids(boxes))
    for table in sorted(tables, key=lambda t: t.bbox[1]):
        rows = table.extract()
        lines = pipe_table([[cell or "" for cell in row] for row in rows], header=True)
        where = next((i for i, (kind, box) in enumerate(items)
                      if kind == "box" and box["top"] >= table.bbox[3] - 1 and _overlaps(box, table.bbox)), len(items))
        items.insert(where, ("table", lines))
    return {"chars": len(page.chars), "height": page.height, "items": [(kind, box["lines"] if kind == "box" else box)
                                                for kind, box in items]}


def _unruled_grids(boxes: list[dict]) -> list[list[list[dict]]]:
    """Grids (rows of cells, each cell a line) set without rules: lines of different boxes that share
    a baseline, over consecutive rows whose columns line up."""
    lines = sorted((line for index, box in enumerate(boxes) for line in box["lines"]
                    if not line.update(box=index)), key=lambda line: line["top"])
    rows: list[list[dict]] = []
    for line in lines:
        centre, height = (line["top"] + line["bottom"]) / 2, line["bottom"] - line["top"]
        row = next((r for r in rows if abs((r[0]["top"] + r[0]["bottom"]) / 2 - centre) < 0.4 * height), None)
        if row is None:
            rows.append([line])
        else:
            row.append(line)
    rows = [sorted(row, key=lambda line: line["x0"]) for row in rows]
    rows = [row for row in rows if len({line["box"] for line in row}) == len(row) > 1
            and all(b["x0"] >= a["x1"] - 1 for a, b in zip(row, row[1:]))]
    runs: list[list[list[dict]]] = []
    for row in rows:
        previous = runs[-1][-1] if runs else None
        height = row[0]["bottom"] - row[0]["top"]
        if previous is not None and len(previous) == len(row) and row[0]["top"] - previous[0]["bottom"] < 2.5 * height \
                and all(a["x0"] < b["x1"] and b["x0"] < a["x1"] for a, b in zip(previous, row)):
            runs[-1].append(row)
        else:
            runs.append([row])
    return [run for run in runs if _is_grid(run)]


def _is_grid(run: list[list[dict]]) -> bool:
    if len(run) < 2 or any(len(cell["text"].split()) > CELL_MAX_WORDS for row in run for cell in row):
        return False
    columns = len(run[0])
    return any(all(len(row[c]["text"].split()) <= KEY_MAX_WORDS for row in run) for c in range(columns))


def _grid_lines(grid: list[list[dict]]) -> list[str]:
    cells = [[cell["text"] for cell in row] for row in grid]
    header = all(cell["bold"] for cell in grid[0]) and not all(cell["bold"] for row in grid[1:] for cell in row)
    if not header and len(grid[0]) == 2:
        return [definition(key, value) for key, value in cells]
    return pipe_table(cells, header=header)


def _place_grids(boxes: list[dict], grids: list[list[list[dict]]]) -> list[tuple[str, object]]:
    """Boxes in reading order, each grid where its first line's box stood, its lines taken out of
    the boxes (a box's lines above the grid stay before it, the rest after)."""
    in_grid = {id(cell): index for index, grid in enumerate(grids) for row in grid for cell in row}
    placed: set[int] = set()
    items: list[tuple[str, object]] = []

    def add_box(box, lines):
        if lines:
            items.append(("box", {"top": lines[0]["top"], "x0": box["x0"], "x1": box["x1"], "lines": lines}))

    for box in boxes:
        grid_index = next((in_grid[id(line)] for line in box["lines"] if id(line) in in_grid), None)
        rest = [line for line in box["lines"] if id(line) not in in_grid]
        if grid_index is None or grid_index in placed:
            add_box(box, rest)
            continue
        placed.add(grid_index)
        grid_top = grids[grid_index][0][0]["top"]
        add_box(box, [line for line in rest if line["top"] < grid_top])
        items.append(("table", _grid_lines(grids[grid_index])))
        add_box(box, [line for line in rest if line["top"] >= grid_top])
    return items


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


def _box_lines(box, page_height: float) -> list[dict]:
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
            "x0": line.x0, "x1": line.x1, "top": page_height - line.y1, "bottom": page_height - line.y0,
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
    # a bold figure ("8,920") set alone is a value, not a heading
    short = len(line["text"].split()) <= HEADING_MAX_WORDS and not line["text"].endswith((".", ",", ";")) \
        and re.search(r"[A-Za-z]{2}", line["text"]) is not None
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
        elif paragraph and _HYPHEN_END.search(paragraph[-1]):
            # "CAHIIM-" + "accredited": a compound split at its hyphen is one word again
            paragraph[-1] += line["text"]
        else:
            paragraph.append(line["text"])
        if (not line["wrapped"] and not _HYPHEN_END.search(line["text"])) or index == len(lines) - 1:
            end_paragraph()
    end_paragraph()
    builder.add(block)


# ---------------------------------------------------------------- decompression within the limit
# pdfminer inflates each stream whole with zlib.decompress (and LZW, run-length, ... likewise), with no
# bound: a 3 MB flate bomb became 8 GB. No option of pdfminer or pdfplumber bounds it, so the decoders
# pdfminer.pdftypes calls are replaced, in this process, by ones that count what they produce against
# the conversion's budget (ingest.formats.limits) and stop as soon as it is spent. The two whose output
# can be a thousand times their input (deflate, LZW) stop while inflating; the others (at most 128:1)
# are counted when they return.
_CHUNK = 1 << 16


class _BoundedZlib:
    """The part of the zlib module pdftypes uses, inflating no more than the budget allows."""
    error = zlib.error

    @staticmethod
    def decompress(data: bytes, *args) -> bytes:
        spent = budget()
        inflater = zlib.decompressobj()
        out = inflater.decompress(data, spent.room() + 1)
        if inflater.unconsumed_tail or len(out) > spent.room():
            spent.decompress(spent.room() + 1, "its compressed streams")
        if not inflater.eof:
            raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
        spent.decompress(len(out), "its compressed streams")
        return out

    @staticmethod
    def decompressobj(*args, **kwargs):
        return zlib.decompressobj(*args, **kwargs)


def _bounded_decompress_corrupted(data: bytes) -> bytes:
    """pdfminer's reading of a deflated stream whose checksum is wrong (everything up to the error, if
    the error is in the last bytes), in linear time: pdfminer's own feeds one byte at a time and
    concatenates, which is quadratic in the output."""
    spent = budget()
    inflater = zlib.decompressobj()
    parts: list[bytes] = []
    produced = 0
    for start in range(0, len(data), _CHUNK):
        try:
            chunk = inflater.decompress(data[start:start + _CHUNK], spent.room() - produced + 1)
        except zlib.error:
            if start + _CHUNK < len(data) - 3:
                raise
            break
        produced += len(chunk)
        if inflater.unconsumed_tail or produced > spent.room():
            spent.decompress(spent.room() + 1, "its compressed streams")
        parts.append(chunk)
    spent.decompress(produced, "its compressed streams")
    return b"".join(parts)


def _bounded_lzwdecode(data: bytes) -> bytes:
    from pdfminer.lzw import LZWDecoder

    spent = budget()
    parts: list[bytes] = []
    produced = 0
    for part in LZWDecoder(io.BytesIO(data)).run():
        produced += len(part)
        if produced > spent.room():
            spent.decompress(spent.room() + 1, "its compressed streams")
        parts.append(part)
    spent.decompress(produced, "its compressed streams")
    return b"".join(parts)


def _counted(decoder):
    def decode(*args, **kwargs):
        out = decoder(*args, **kwargs)
        budget().decompress(len(out), "its encoded streams")
        return out
    decode.__wrapped__ = decoder
    return decode


def _limit_decompression() -> None:
    from pdfminer import pdftypes

    if getattr(pdftypes, "_mbc_bounded", False):
        return
    pdftypes.zlib = _BoundedZlib
    pdftypes.decompress_corrupted = _bounded_decompress_corrupted
    pdftypes.lzwdecode = _bounded_lzwdecode
    for name in ("rldecode", "ascii85decode", "asciihexdecode", "ccittfaxdecode"):
        setattr(pdftypes, name, _counted(getattr(pdftypes, name)))
    pdftypes._mbc_bounded = True


_limit_decompression()
