"""Small generators of hostile corpus files (issue 23): each is made in memory by the tests that need
it, never committed as a binary. Every one is a valid-looking file of a supported format that, read
naively, hangs, explodes in memory or raises deep inside a library."""
from __future__ import annotations

import io
import random
import zipfile
import zlib

# ---------------------------------------------------------------- PDF


def _pdf(objects: list[bytes], root: int = 1) -> bytes:
    """A PDF with these objects (numbered from 1) and a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)


def _stream(data: bytes, compressed: bool = False, extra: bytes = b"") -> bytes:
    if compressed:
        return b"<< /Length %d /Filter /FlateDecode %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def circular_pdf() -> bytes:
    """Two objects that refer to each other where the page tree should be: pdfminer's resolve1
    follows the references for ever (about 700 bytes)."""
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"3 0 R",
        b"2 0 R",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
    ])


def deflate_repeated(head: bytes, block: bytes, count: int) -> bytes:
    """zlib data of `head` followed by `block` `count` times, made in about the time of compressing
    `head` and `block` once: after a full flush deflate starts afresh, so every repeat of the block
    compresses to the same bytes, which are copied (the checksum is computed over the whole)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeat = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    end = compressor.flush()
    checksum = zlib.adler32(head)
    for _ in range(count):
        checksum = zlib.adler32(block, checksum)
    return b"\x78\xda" + first + repeat * count + end + checksum.to_bytes(4, "big")


def flate_bomb_pdf(megabytes: int = 3000) -> bytes:
    """One page whose content stream inflates to `megabytes` MB: text operators, then blank space, which
    deflate packs about 1000:1 (3,000 MB in about 3 MB)."""
    line = b"BT /F1 12 Tf 72 720 Td (Medical coders earn a median wage) Tj ET\n"
    data = deflate_repeated(line * 1000, b" " * 1_000_000, megabytes)
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        _stream(data, compressed=True),
        FONT,
    ])


def many_pages_pdf(pages: int = 50_000) -> bytes:
    """`pages` pages that inherit one tiny content stream from their parent (about 80 bytes a page:
    50,000 pages in about 4 MB)."""
    first_page = 6
    kids = b" ".join(b"%d 0 R" % (first_page + i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d /MediaBox [0 0 612 792] /Resources 5 0 R >>" % pages,
        _stream(b"BT /F1 12 Tf 72 720 Td (Coders in Ohio earn $21.40 an hour.) Tj ET"),
        FONT,
        b"<< /Font << /F1 4 0 R >> >>",
    ]
    objects += [b"<</Type/Page/Parent 2 0 R/Contents 3 0 R>>"] * pages
    return _pdf(objects)


def good_pdf() -> bytes:
    """A one-page PDF with a sentence the extractor reads (a wage, a credential and its issuer)."""
    text = (b"BT /F1 11 Tf 72 720 Td (Medical coders in Columbus, OH earn a median of $22.75 an hour.) Tj "
            b"0 -16 Td (The CPC credential is offered by AAPC.) Tj ET")
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        _stream(text),
        FONT,
    ])


# ---------------------------------------------------------------- DOCX

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '</Types>')
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>')


def _docx(body_parts, compresslevel: int = 6) -> bytes:
    """A minimal Word package whose body is the concatenation of `body_parts` (strings, written one
    by one so a large body never sits in memory whole)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}">'
                       f'<w:body>'.encode())
            for piece in body_parts:
                part.write(piece.encode())
            part.write(b"</w:body></w:document>")
    return buffer.getvalue()


def _p(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def _tc(text: str, props: str = "") -> str:
    return f"<w:tc>{'<w:tcPr>' + props + '</w:tcPr>' if props else ''}{_p(text)}</w:tc>"


def good_docx() -> bytes:
    return _docx([_p("Medical coders in Dayton, OH earn a median of $20.15 an hour."),
                  _p("The CCS credential is awarded by AHIMA.")])


def zip_bomb_docx(megabytes: int = 200) -> bytes:
    """`megabytes` MB of repeated paragraphs in word/document.xml, packed about 1000:1."""
    paragraph = _p("Medical coders turn clinical notes into codes. " * 20)
    block = paragraph * (1_000_000 // len(paragraph))
    return _docx((block for _ in range(megabytes)), compresslevel=9)


def grid_span_docx(span: int = 30_000_000) -> bytes:
    """One table cell that spans `span` grid columns (under 1 kB)."""
    spanning = _tc("Area", f'<w:gridSpan w:val="{span}"/>')
    row = f"<w:tr>{spanning}</w:tr><w:tr>{_tc('Ohio')}{_tc('$21.40')}</w:tr>"
    return _docx([_p("Wages by area."), f"<w:tbl>{row}</w:tbl>"])


def wide_table_docx(columns: int = 1_000_000, rows: int = 20_000) -> bytes:
    """A table whose first row spans `columns` grid columns and `rows` short rows below it: every row is
    padded to the full width, a thousand million cells from about 2 MB."""
    spanning = _tc("Area", f'<w:gridSpan w:val="{columns}"/>')
    first = f"<w:tr>{spanning}</w:tr>"
    body = "".join(f"<w:tr>{_tc(str(i))}</w:tr>" for i in range(rows))
    return _docx([_p("Wages by area."), f"<w:tbl>{first}{body}</w:tbl>"])


def vmerge_first_row_docx() -> bytes:
    """A vertical merge that continues a cell above the first row (python-docx raises ValueError)."""
    rows = (f"<w:tr>{_tc('Area', '<w:vMerge/>')}{_tc('Hourly median')}</w:tr>"
            f"<w:tr>{_tc('Ohio')}{_tc('$21.40')}</w:tr>")
    return _docx([_p("Medical coders in Ohio earn the wages below, by area of the state."),
                  f"<w:tbl>{rows}</w:tbl>"])


# ---------------------------------------------------------------- HTML and text


def good_html() -> bytes:
    return (b"<!DOCTYPE html><html><head><title>Coding in Oregon</title></head><body><main><article>"
            b"<h1>Medical coding in Oregon</h1><p>Medical coders in Portland, OR earn a median of $26.10 an hour, "
            b"and the CPC credential is offered by AAPC to coders who pass its exam.</p></article></main></body></html>")


GOOD_TEXT = ("# Medical coding in Texas\n\nThe Certified Professional Coder (CPC) credential is offered by the AAPC.\n\n"
             "Medical coders in Austin, TX earn a median of $23.00 an hour.\n")


def punctuation_run(length: int = 8000, character: str = "$") -> str:
    return f"# Costs\n\nA line of {character}: " + character * length + "\n\nThe CCS is awarded by AHIMA.\n"


# ---------------------------------------------------------------- mutation


def mutate(data: bytes, rng: random.Random, edits: int = 8) -> bytes:
    """`data` with a few random byte edits: flips, deletions, duplicated runs, inserted noise."""
    out = bytearray(data)
    for _ in range(rng.randint(1, edits)):
        if not out:
            break
        where = rng.randrange(len(out))
        kind = rng.random()
        if kind < 0.4:
            out[where] = rng.randrange(256)
        elif kind < 0.6:
            del out[where:where + rng.randint(1, 16)]
        elif kind < 0.8:
            span = out[where:where + rng.randint(1, 64)]
            out[where:where] = span * rng.randint(1, 8)
        else:
            out[where:where] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
    return bytes(out)


def mutate_docx(data: bytes, rng: random.Random) -> bytes:
    """A Word file with its XML parts mutated and the zip written again (so the mutation reaches the
    XML reader rather than stopping at the zip's checksums)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            part = source.read(info.filename)
            if info.filename == "word/document.xml" or (info.filename.endswith(".xml") and rng.random() < 0.2):
                part = _mutate_xml(part, rng)
            archive.writestr(info.filename, part)
    return buffer.getvalue()


_XML_EDITS = [
    (b"<w:tc>", b"<w:tc><w:tcPr><w:vMerge/></w:tcPr>"),
    (b"<w:tc>", b"<w:tc><w:tcPr><w:gridSpan w:val=\"0\"/></w:tcPr>"),
    (b"<w:tc>", b"<w:tc><w:tcPr><w:gridSpan w:val=\"-3\"/></w:tcPr>"),
    (b"<w:tc>", b"<w:tc><w:tcPr><w:gridSpan w:val=\"x\"/></w:tcPr>"),
    (b"<w:tc>", b"<w:tc><w:tcPr><w:gridSpan/></w:tcPr>"),
    (b"<w:tc>", b"<w:tc><w:tcPr><w:gridSpan w:val=\"99999999999999999999\"/></w:tcPr>"),
    (b"<w:tc>", b"<w:tc><w:tcPr><w:vMerge w:val=\"bogus\"/></w:tcPr>"),
    (b"<w:r>", b"<w:r><w:br w:type=\"page\" w:clear=\"nonsense\"/>"),
    (b"<w:r>", b"<w:r><w:sym w:font=\"Wingdings\" w:char=\"zz\"/>"),
    (b"<w:p>", b"<w:p><w:pPr><w:pStyle/></w:pPr>"),
    (b"<w:p>", b"<w:p><w:pPr><w:numPr><w:ilvl w:val=\"99\"/><w:numId w:val=\"zz\"/></w:numPr></w:pPr>"),
    (b"<w:p>", b"<w:p><w:pPr><w:pStyle w:val=\"Heading9999999999999999\"/></w:pPr>"),
    (b"<w:tr>", b"<w:tr><w:trPr><w:gridBefore w:val=\"2\"/></w:trPr>"),
    (b"<w:tr>", b"<w:tr><w:trPr><w:gridBefore w:val=\"-1\"/></w:trPr>"),
    (b"</w:tc>", b""),
    (b"<w:tbl>", b"<w:tbl><w:tbl>"),
    (b"<w:t>", b"<w:t xml:space=\"bogus\">"),
    (b"<w:r>", b"<w:r><w:br w:type=\"nonsense\"/>"),
]


def _mutate_xml(part: bytes, rng: random.Random) -> bytes:
    """Mostly edits a reader of Word files must survive (odd merges and spans, missing or bad values),
    sometimes raw byte damage."""
    if rng.random() < 0.8:
        for _ in range(rng.randint(1, 3)):
            old, new = rng.choice(_XML_EDITS)
            spots = [i for i in range(len(part)) if part.startswith(old, i)][:50]
            if spots:
                where = rng.choice(spots)
                part = part[:where] + new + part[where + len(old):]
        return part
    return mutate(part, rng, edits=4)


def docx_with_table() -> bytes:
    """A Word file with headings, a list, a merged header and a table (the fuzz's starting point)."""
    import docx

    document = docx.Document()
    document.add_heading("Coding Team Guide", level=0)
    document.add_paragraph("Every coder must hold one of the credentials below.")
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).text = "Area"
    table.cell(0, 1).merge(table.cell(0, 2)).text = "Hourly"
    table.cell(1, 0).merge(table.cell(2, 0))
    for column, value in ((1, "Median"), (2, "Mean")):
        table.cell(1, column).text = value
    for column, value in ((1, "$21.40"), (2, "$22.10")):
        table.cell(2, column).text = value
    document.add_paragraph("Complete the new-hire packet.", style="List Number")
    document.add_paragraph("Coders in Detroit earn a median of $23.47 an hour.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
