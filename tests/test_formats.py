"""Document formats: HTML, PDF and DOCX to the text the layout rules read; bad files named and skipped;
offsets of claims and passages index the converted text; the text and original file are served."""
from __future__ import annotations

import hashlib
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from ingest.formats import DOCX, HTML, MARKDOWN, PDF, PLAIN, UnreadableFormat, convert, media_type
from ingest.reader import UnreadableDocument, load_document

ROOT = Path(__file__).resolve().parent.parent
TRAP = "Northwind Coding Guild"       # an organization named only in the page's boilerplate

# ------------------------------------------------------------------ building small inputs

PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Coding careers in Ohio | {TRAP}</title>
<script>var tracker = "{TRAP} analytics";</script><style>.x{{color:red}}</style></head>
<body>
<div id="cookie-banner" class="cookie-banner" role="dialog"><p>We use cookies. {TRAP} stores them for a year.</p>
<button>Accept</button></div>
<header><nav class="main-nav"><ul><li><a href="/">Home</a></li><li><a href="/about">About the {TRAP}</a></li>
<li><a href="/jobs">Jobs</a></li></ul></nav></header>
<main><article>
<h1>Medical Coding Careers in Ohio</h1>
<p>Medical coders in Ohio turn clinical notes into diagnosis and procedure codes. Most work for hospital
systems and physician groups, and many work from home after a few months of training on site.</p>
<h2>Credentials employers ask for</h2>
<p>Most postings we reviewed ask for at least one national credential:</p>
<ul><li>Certified Professional Coder (CPC), issued by AAPC.</li>
<li>Registered Health Information Technician (RHIT), awarded by AHIMA.</li></ul>
<h2>What coders earn</h2>
<p>The table shows wage estimates for medical records specialists in May 2023 from the wage survey.</p>
<table><thead><tr><th>Area</th><th>Hourly median</th><th>Annual mean</th></tr></thead>
<tbody><tr><td>Ohio</td><td>$21.40</td><td>$46,120</td></tr>
<tr><td>Columbus | metro</td><td>$22.75</td><td>$48,900</td></tr></tbody></table>
<h2>Terms</h2>
<dl><dt>CPC</dt><dd>Certified Professional Coder, an AAPC credential for outpatient coding.</dd>
<dt>RHIT</dt><dd>Registered Health Information Technician, from AHIMA.</dd></dl>
<p>Employment of medical records specialists in Ohio is projected to grow 7.5% from 2022 to 2032.</p>
</article></main>
<aside class="sidebar"><h3>Partners</h3><p>The {TRAP} hosts a spring meeting for coders.</p></aside>
<footer class="site-footer"><p>&copy; 2025 {TRAP}. All rights reserved.</p></footer>
</body></html>
"""

BOILERPLATE_ONLY = f"""<!DOCTYPE html><html><head><title>Home</title></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/about">About</a></li></ul></nav>
<footer><p>&copy; 2025 {TRAP}</p></footer></body></html>"""


def pdf_bytes(table: bool = True, encrypt: bool = False) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    if encrypt:
        pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 18)
    pdf.cell(0, 12, "Medical Coding in Ohio", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(0, 5, "Medical coders in Ohio turn clinical notes into diagnosis and procedure codes. "
                         "Most of them work for hospital systems and physician groups across the state, and "
                         "many of them work from home after a few months of training on site.")
    pdf.ln(4)
    if table:
        pdf.set_font("Helvetica", "B", 14)
        pdf.cell(0, 10, "Wages by area", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        with pdf.table() as grid:
            for row in (("Area", "Hourly median", "Annual mean"), ("Ohio", "$21.40", "$46,120"),
                        ("Columbus, OH", "$22.75", "$48,900")):
                cells = grid.row()
                for value in row:
                    cells.cell(value)
        pdf.ln(4)
    pdf.multi_cell(0, 5, "Employment is projected to grow 7.5% from 2022 to 2032.")
    return bytes(pdf.output())


def unruled_pdf() -> bytes:
    """A fact sheet set in columns without rules: a label/value box, a two-column credential list
    under a bold header row, and two columns of running prose (which must stay prose)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 10, "Coding Careers in Ohio", new_x="LMARGIN", new_y="NEXT")
    y = 30
    for label, value in (("Employment in Ohio, May 2023", "9,410"), ("Projected growth, 2022-2032", "7%"),
                         ("Average annual openings", "880")):
        pdf.set_font("Helvetica", "", 9)
        pdf.set_xy(20, y)
        pdf.cell(70, 6, label)
        pdf.set_font("Helvetica", "B", 9)
        pdf.set_xy(110, y)
        pdf.cell(30, 6, value)
        y += 8
    y += 6
    for index, (credential, issuer) in enumerate((("Credential", "Issuing body"),
                                                  ("Certified Professional Coder (CPC)", "AAPC"),
                                                  ("Certified Coding Associate (CCA)", "AHIMA"))):
        pdf.set_font("Helvetica", "B" if index == 0 else "", 9)
        pdf.set_xy(20, y)
        pdf.cell(80, 6, credential)
        pdf.set_xy(110, y)
        pdf.cell(60, 6, issuer)
        y += 8
    pdf.set_font("Helvetica", "", 9)
    left = ("Medical coders read physician notes and assign the codes that insurers use to pay claims. "
            "Billing specialists submit those claims and follow up on every denial they receive.")
    right = ("Most employers expect a postsecondary certificate or an associate degree plus a national "
             "credential, and many community colleges offer such certificates online or in person.")
    pdf.set_xy(20, y + 10)
    pdf.multi_cell(80, 4, left)
    pdf.set_xy(110, y + 10)
    pdf.multi_cell(80, 4, right)
    return bytes(pdf.output())


def three_page_pdf() -> bytes:
    """A running header and a page number on every page; a compound split at its hyphen."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", "", 10)
    for number in (1, 2, 3):
        pdf.add_page()
        pdf.set_font("Helvetica", "", 8)
        pdf.cell(0, 6, "Buckeye Health Careers Council | Fact Sheet 7", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        pdf.ln(6)
        subject = ("Graduates", "Students", "Transfer students")[number - 1]
        pdf.multi_cell(0, 5, f"{subject} of CAHIIM-\naccredited programs may sit for the RHIT "
                             "examination once they finish their degree.")
        pdf.set_y(-20)
        pdf.cell(0, 6, f"Page {number} of 3")
    return bytes(pdf.output())


def brochure_pdf() -> bytes:
    """A brochure in two justified columns with wide line spacing and a rule between them, under a full-width
    banner and over a full-width footer: pdfminer boxes each line (and pieces of the justified ones) apart."""
    from fpdf import FPDF

    left = [("ABOUT THE GUILD", "The Lakeshore Claims Guild (LCG) brings together hospital business offices, "
             "billing firms and coding students along the north shore, with associate members in the islands."),
            ("OUR EXAM", "The Guild's Certified Shoreline Claims Coder (CSCC) exam covers commercial payers, the "
             "county Medicaid plans and workers' compensation rules, and is offered four times a year.")]
    right = [("WHAT THE WORK PAYS", "Duluth, MN-WI: the median wage for medical records specialists was $22.14 an "
              "hour ($46,050 a year) in May 2023."),
             ("OUTLOOK", "Minnesota projects 4.7% growth for the occupation between 2022 and 2032, with about 520 "
              "openings each year.")]
    pdf = FPDF(format="letter", unit="pt")
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 20)
    pdf.set_xy(43, 30)
    pdf.cell(0, 24, "Claims Careers on the North Shore")
    for x, column in ((43, left), (323, right)):
        y = 100
        for heading, paragraph in column:
            pdf.set_font("Helvetica", "B", 10)
            pdf.set_xy(x, y)
            pdf.cell(246, 14, heading)
            pdf.set_font("Helvetica", "", 9.5)
            pdf.set_xy(x, y + 18)
            pdf.multi_cell(246, 14.5, paragraph, align="J")
            y = pdf.get_y() + 14
    pdf.line(306, 95, 306, 400)
    pdf.set_font("Helvetica", "", 7)
    pdf.set_xy(43, 740)
    pdf.cell(0, 10, "LCG | PO Box 1200, Duluth, MN 55802 | Wage figures: BLS OEWS; postings compiled by guild staff.")
    return bytes(pdf.output())


def image_only_pdf() -> bytes:
    """A 'scanned' page: a picture of text, no text layer."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (400, 120), "white")
    ImageDraw.Draw(image).text((10, 50), "Median hourly wage $21.40", fill="black")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(io.BytesIO(buffer.getvalue()), x=10, y=10, w=180)
    return bytes(pdf.output())


def docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Coding Team Guide", level=0)
    document.add_heading("Credentials we recognize", level=1)
    document.add_paragraph("Every coder must hold one of the credentials below.")
    table = document.add_table(rows=3, cols=2)
    for row, values in zip(table.rows, (("Credential", "Issuing body"), ("Certified Professional Coder (CPC)", "AAPC"),
                                        ("Certified Coding Specialist (CCS)", "AHIMA | American Health Information"))):
        for cell, value in zip(row.cells, values):
            cell.text = value
    document.add_heading("Before your first day", level=1)
    document.add_paragraph("Complete the new-hire packet.", style="List Number")
    document.add_paragraph("Finish the HIPAA privacy module.", style="List Number")
    document.add_paragraph("Coders in Detroit earn a median of $23.47 an hour.")
    document.add_paragraph("Ask your supervisor about schedules.", style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def broken_docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document><w:body><w:p>unclosed")
    return buffer.getvalue()


# ------------------------------------------------------------------ choosing the format

@pytest.mark.parametrize("name, data, expected", [
    ("notes.txt", b"Plain words.\n", PLAIN),
    ("guide.md", b"# Guide\n", MARKDOWN),
    ("page.html", b"<p>no doctype</p>", HTML),
    ("saved.txt", b"\n  <!DOCTYPE html><html><body>x</body></html>", HTML),    # content wins
    ("misnamed.txt", b"%PDF-1.7\n...", PDF),
    ("sheet.pdf", b"%PDF-1.4\n", PDF),
    ("report", b"<html><body>x</body></html>", HTML),
    ("about-html.txt", b"Write <html> tags by hand.", PLAIN),      # a mention of <html> is not a page
])
def test_media_type_by_content_then_extension(name, data, expected):
    assert media_type(name, data) == expected


def test_a_word_file_is_known_by_its_zip_entry():
    assert media_type("guide.bin", docx_bytes()) == DOCX
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("data.csv", "a,b")
    assert media_type("archive.zip", zipped.getvalue()) == PLAIN    # then rejected as binary by the reader


def test_plain_text_is_the_file_unchanged():
    raw = "Stockton \u2013 $65,990\r\n\n<b>not html</b>\n".encode()
    document = load_document("a.txt", raw)
    assert document.text == raw.decode("utf-8") and document.media_type == PLAIN
    assert document.text_sha256 == document.sha256 and document.original is None


# ------------------------------------------------------------------ HTML

def test_html_keeps_headings_lists_tables_and_definitions():
    text = convert(HTML, PAGE.encode())
    lines = text.splitlines()
    assert "# Medical Coding Careers in Ohio" in lines
    assert "## What coders earn" in lines
    assert "- Certified Professional Coder (CPC), issued by AAPC." in lines
    header = lines.index("| Area | Hourly median | Annual mean |")
    assert lines[header + 1] == "|---|---|---|"
    assert lines[header + 2] == "| Ohio | $21.40 | $46,120 |"
    assert lines[header + 3] == "| Columbus / metro | $22.75 | $48,900 |"    # a | inside a cell cannot split it
    assert "CPC: Certified Professional Coder, an AAPC credential for outpatient coding." in lines
    assert "\n\nEmployment of medical records specialists" in text      # paragraphs apart by a blank line


def test_html_drops_navigation_banners_sidebars_footers_and_scripts():
    text = convert(HTML, PAGE.encode())
    assert TRAP not in text
    assert "cookies" not in text and "tracker" not in text and "Home" not in text.split()


def test_html_with_no_main_content_is_unreadable():
    with pytest.raises(UnreadableFormat, match="no main content"):
        convert(HTML, BOILERPLATE_ONLY.encode())


# ------------------------------------------------------------------ PDF

def test_pdf_table_cells_come_out_as_cells():
    text = convert(PDF, pdf_bytes())
    lines = text.splitlines()
    header = lines.index("| Area | Hourly median | Annual mean |")
    assert lines[header + 1] == "|---|---|---|"
    assert lines[header + 2] == "| Ohio | $21.40 | $46,120 |"
    assert lines[header + 3] == "| Columbus, OH | $22.75 | $48,900 |"
    # the table's words are not repeated as loose text outside it
    assert text.count("$46,120") == 1


def test_pdf_headings_and_reflowed_paragraphs():
    lines = convert(PDF, pdf_bytes()).splitlines()
    assert lines[0] == "# Medical Coding in Ohio"
    assert "## Wages by area" in lines
    # a paragraph wrapped over several lines comes out as one line
    assert any(line.startswith("Medical coders in Ohio") and line.endswith("training on site.") for line in lines)
    assert lines.index("## Wages by area") < lines.index("| Area | Hourly median | Annual mean |") < \
        lines.index("Employment is projected to grow 7.5% from 2022 to 2032.")


def test_pdf_grids_without_rules_come_out_as_cells():
    lines = convert(PDF, unruled_pdf()).splitlines()
    assert "Employment in Ohio, May 2023: 9,410" in lines       # label and value, not two loose lines
    assert "Projected growth, 2022-2032: 7%" in lines
    header = lines.index("| Credential | Issuing body |")    # its bold first row is the header
    assert lines[header + 1] == "|---|---|"
    assert lines[header + 2] == "| Certified Professional Coder (CPC) | AAPC |"
    assert lines[header + 3] == "| Certified Coding Associate (CCA) | AHIMA |"
    # two columns of prose are read one column after the other, never as a table
    prose = [line for line in lines if "claims" in line or "credential," in line]
    assert not any(line.startswith("|") for line in prose)
    left = next(i for i, line in enumerate(lines) if line.startswith("Medical coders read"))
    assert lines[left].endswith("every denial they receive.")
    assert any(line.startswith("Most employers expect") and line.endswith("online or in person.") for line in lines)


def test_pdf_two_columns_read_column_by_column_when_pdfminer_boxes_each_line():
    text = convert(PDF, brochure_pdf())
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    assert ("The Lakeshore Claims Guild (LCG) brings together hospital business offices, billing firms and coding "
            "students along the north shore, with associate members in the islands.") in paragraphs
    assert ("Duluth, MN-WI: the median wage for medical records specialists was $22.14 an hour ($46,050 a year) in "
            "May 2023.") in paragraphs
    order = [text.index(words) for words in ("# Claims Careers", "ABOUT THE GUILD", "OUR EXAM", "WHAT THE WORK PAYS",
                                               "OUTLOOK", "LCG | PO Box")]
    assert order == sorted(order)


def test_pdf_running_headers_page_numbers_and_split_compounds():
    text = convert(PDF, three_page_pdf())
    assert "Buckeye Health Careers Council" not in text and "Page 2 of 3" not in text
    assert text.count("CAHIIM-accredited programs") == 3
    assert "Students of CAHIIM" in text


@pytest.mark.parametrize("data, reason", [
    (image_only_pdf(), "no text layer"),
    (pdf_bytes(encrypt=True), "encrypted"),
    (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer garbage", "damaged"),
])
def test_bad_pdfs_are_unreadable_with_a_reason(data, reason):
    with pytest.raises(UnreadableFormat, match=reason):
        convert(PDF, data)


# ------------------------------------------------------------------ DOCX

def test_docx_keeps_headings_lists_and_tables_in_body_order():
    text = convert(DOCX, docx_bytes())
    lines = text.splitlines()
    assert lines[0] == "# Coding Team Guide"
    assert "## Credentials we recognize" in lines
    header = lines.index("| Credential | Issuing body |")
    assert lines[header + 1] == "|---|---|"
    assert lines[header + 2] == "| Certified Professional Coder (CPC) | AAPC |"
    assert lines[header + 3] == "| Certified Coding Specialist (CCS) | AHIMA / American Health Information |"
    steps = lines.index("- Complete the new-hire packet.")
    assert lines[steps + 1] == "- Finish the HIPAA privacy module."      # one list block
    assert header < lines.index("## Before your first day") < steps
    assert "- Ask your supervisor about schedules." in lines


@pytest.mark.parametrize("data", [broken_docx(), docx_bytes()[:400]])
def test_broken_docx_is_unreadable(data):
    with pytest.raises(UnreadableFormat, match="damaged Word file"):
        convert(DOCX, data)


def test_reader_names_the_file_of_a_bad_conversion():
    with pytest.raises(UnreadableDocument) as error:
        load_document("scan.pdf", image_only_pdf())
    assert "scan.pdf" in str(error.value) and "no text layer" in str(error.value)


# ------------------------------------------------------------------ through `python -m ingest`

@pytest.fixture(scope="module")
def mixed_corpus(tmp_path_factory) -> Path:
    corpus = tmp_path_factory.mktemp("mixed-corpus")
    (corpus / "ohio_careers.html").write_text(PAGE, encoding="utf-8")
    (corpus / "ohio_sheet.pdf").write_bytes(pdf_bytes())
    (corpus / "team_guide.docx").write_bytes(docx_bytes())
    (corpus / "notes.txt").write_text("Coders in Dayton, OH earn a median of $20.15 an hour.\n", encoding="utf-8")
    (corpus / "scanned.pdf").write_bytes(image_only_pdf())
    (corpus / "locked.pdf").write_bytes(pdf_bytes(encrypt=True))
    (corpus / "broken.docx").write_bytes(broken_docx())
    (corpus / "menu.html").write_text(BOILERPLATE_ONLY, encoding="utf-8")
    return corpus


@pytest.fixture(scope="module")
def mixed_ingest(mixed_corpus, tmp_path_factory):
    data = tmp_path_factory.mktemp("mixed-data")
    result = subprocess.run([sys.executable, "-m", "ingest", "--corpus", str(mixed_corpus), "--data", str(data),
                             "--no-progress"], cwd=ROOT, capture_output=True, text=True)
    return result, data


GOOD = ("notes.txt", "ohio_careers.html", "ohio_sheet.pdf", "team_guide.docx")


def test_bad_files_are_named_skipped_and_the_rest_ingested(mixed_ingest):
    result, data = mixed_ingest
    assert result.returncode == 3, result.stderr
    for name, reason in (("scanned.pdf", "no text layer"), ("locked.pdf", "encrypted"),
                         ("broken.docx", "damaged Word file"), ("menu.html", "no main content")):
        line = next((l for l in result.stderr.splitlines() if name in l), "")
        assert reason in line, result.stderr
    from kg.datadir import DataDir

    manifest = DataDir(data).require_current().manifest
    assert sorted(manifest["documents"]) == sorted(GOOD)
    assert manifest["documents"]["ohio_sheet.pdf"]["media_type"] == PDF


def _claims_and_passages(data: Path):
    from rdflib import Dataset

    dataset = Dataset(default_union=True)
    dataset.parse(data / "kg.trig", format="trig")
    prefix = "PREFIX mbc: <https://w3id.org/mbc-kg/ontology#>\n"
    claims = dataset.query(prefix + "SELECT ?file ?quote ?s ?e WHERE { ?c a mbc:Claim ; mbc:document ?d ; "
                           "mbc:quote ?quote ; mbc:start ?s ; mbc:end ?e . ?d mbc:sourceFile ?file }")
    passages = dataset.query(prefix + "SELECT ?file ?text ?s ?e WHERE { ?p a mbc:Passage ; mbc:document ?d ; "
                             "mbc:text ?text ; mbc:start ?s ; mbc:end ?e . ?d mbc:sourceFile ?file }")
    documents = dataset.query(prefix + "SELECT ?file ?type ?sha ?textsha WHERE { ?d a mbc:Document ; "
                              "mbc:sourceFile ?file ; mbc:mediaType ?type ; mbc:sha256 ?sha ; mbc:textSha256 ?textsha }")
    return list(claims), list(passages), list(documents)


def test_every_quote_and_passage_is_the_converted_text_at_its_offsets(mixed_ingest, mixed_corpus):
    from kg.datadir import DataDir

    _, data = mixed_ingest
    generation = DataDir(data).require_current()
    texts = {name: generation.document_text(name) for name in GOOD}
    claims, passages, documents = _claims_and_passages(data)
    for name in ("ohio_careers.html", "ohio_sheet.pdf", "team_guide.docx"):
        assert any(str(f) == name for f, *_ in claims), f"no claim from {name}"
        assert any(str(f) == name for f, *_ in passages), f"no passage from {name}"
    for file, quote, start, end in claims:
        assert texts[str(file)][int(start):int(end)] == str(quote)
    for file, text, start, end in passages:
        assert texts[str(file)][int(start):int(end)] == str(text)
    by_file = {str(f): (str(t), str(s), str(ts)) for f, t, s, ts in documents}
    for name in GOOD:
        kind, sha, text_sha = by_file[name]
        original = (mixed_corpus / name).read_bytes()
        assert sha == hashlib.sha256(original).hexdigest()
        assert text_sha == hashlib.sha256(texts[name].encode("utf-8")).hexdigest()
    assert by_file["notes.txt"][0] == PLAIN and by_file["notes.txt"][1] == by_file["notes.txt"][2]
    assert by_file["team_guide.docx"][0] == DOCX and by_file["team_guide.docx"][1] != by_file["team_guide.docx"][2]
    assert TRAP not in texts["ohio_careers.html"]


def test_the_converted_documents_give_their_facts(mixed_ingest):
    """The table of the PDF and the HTML page give wage statistics with their pay periods."""
    from rdflib import Dataset

    _, data = mixed_ingest
    dataset = Dataset(default_union=True)
    dataset.parse(data / "kg.trig", format="trig")
    rows = dataset.query("""PREFIX mbc: <https://w3id.org/mbc-kg/ontology#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT DISTINCT ?file ?v WHERE { ?w a mbc:WageStatistic ; ?p ?v . FILTER(?p IN (mbc:median, mbc:mean))
        ?k a mbc:Claim ; mbc:document ?d ; prov:wasDerivedFrom ?src . ?k <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> ?w .
        ?d mbc:sourceFile ?file }""")
    found = {(str(f), float(v)) for f, v in rows}
    for file in ("ohio_careers.html", "ohio_sheet.pdf"):
        assert (file, 21.40) in found and (file, 46120.0) in found, found


# ------------------------------------------------------------------ the service

@pytest.fixture(scope="module")
def mixed_client(mixed_ingest):
    from service import Config, create_app, state

    _, data = mixed_ingest
    application = create_app(Config(data_dir=data, sparql_timeout=3, sparql_max_results=50, sparql_workers=1))
    yield application.test_client()
    state.query_pool(application).close()


def test_text_is_served_verbatim(mixed_client, mixed_ingest):
    from kg.datadir import DataDir

    generation = DataDir(mixed_ingest[1]).require_current()
    response = mixed_client.get("/documents/ohio_sheet.pdf?format=text")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert response.get_data() == generation.document_text("ohio_sheet.pdf").encode("utf-8")


@pytest.mark.parametrize("name, kind", [("ohio_sheet.pdf", PDF), ("ohio_careers.html", HTML),
                                        ("team_guide.docx", DOCX), ("notes.txt", PLAIN)])
def test_original_is_a_download_with_its_media_type(mixed_client, mixed_corpus, name, kind):
    response = mixed_client.get(f"/documents/{name}?format=original")
    assert response.status_code == 200
    assert response.mimetype == kind
    assert response.headers["Content-Type"].count("charset") <= 1     # never "charset=utf-8; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert name in response.headers["Content-Disposition"]
    assert response.headers["Content-Security-Policy"] == "sandbox"    # never run, even if opened
    assert response.get_data() == (mixed_corpus / name).read_bytes()


def test_document_page_links_text_and_original(mixed_client):
    page = mixed_client.get("/documents/ohio_careers.html").get_data(as_text=True)
    assert 'href="?format=original"' in page and 'href="?format=text"' in page
    assert "<script>" not in page.split("<pre", 1)[1]      # the converted text, escaped, never the page's HTML


def test_unknown_format_and_unknown_document(mixed_client):
    assert mixed_client.get("/documents/ohio_sheet.pdf?format=exe").status_code == 400
    assert mixed_client.get("/documents/scanned.pdf?format=original").status_code == 404
    assert mixed_client.get("/documents/..%2Fmanifest.json?format=original").status_code == 404


def test_originals_are_carried_to_the_next_generation_and_stay_inside_it(tmp_path):
    from kg.datadir import Generation

    first, second = Generation(tmp_path / "one"), Generation(tmp_path / "two")
    for generation in (first, second):
        generation.path.mkdir()
        generation.write_manifest({"documents": {"sheet.pdf": {}, "notes.txt": {}}})
    first.write_document_text("sheet.pdf", "extracted")
    first.write_document_original("sheet.pdf", b"%PDF-1.4 original")
    first.write_document_text("notes.txt", "plain")
    for name in ("sheet.pdf", "notes.txt"):
        second.carry_document_text(name, first)
    assert second.document_original("sheet.pdf") == b"%PDF-1.4 original"
    assert second.document_original("notes.txt") is None and second.document_text("notes.txt") == "plain"
    # a name with "/" or ".." is spelled flat inside the generation's originals folder, never outside it
    first.write_document_original("../escape.pdf", b"x")
    assert not (tmp_path / "escape.pdf").exists() and not (first.path / "escape.pdf").exists()
    assert [p.parent for p in first.path.rglob("*escape.pdf")] == [first.originals_dir]
    with pytest.raises(ValueError):
        first.write_document_original("..", b"x")


STACKED = """<!DOCTYPE html><html><body><main><h1>Coder wages in Ohio</h1>
<p>The table gives the wages of medical records specialists in Ohio from the state survey of May 2023.</p>
<table><tr><th rowspan="2">Area</th><th colspan="2">Hourly</th><th colspan="2">Annual</th></tr>
<tr><th>Median</th><th>Mean</th><th>Median</th><th>Mean</th></tr>
<tr><td>Ohio</td><td>$21.40</td><td>$22.10</td><td>$44,510</td><td>$45,970</td></tr></table>
<p>Wages are rounded to the nearest ten dollars and include no benefits.</p></main></body></html>"""


def test_a_header_over_two_rows_names_each_column_fully():
    lines = convert(HTML, STACKED.encode()).splitlines()
    header = lines.index("| Area | Hourly Median | Hourly Mean | Annual Median | Annual Mean |")
    assert lines[header + 1] == "|---|---|---|---|---|"
    assert lines[header + 2] == "| Ohio | $21.40 | $22.10 | $44,510 | $45,970 |"


def test_docx_merged_cells_keep_columns_aligned_and_figures_single():
    import docx

    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).text = "Area"
    table.cell(0, 1).merge(table.cell(0, 2)).text = "Hourly"
    for column, value in ((1, "Median"), (2, "Mean")):
        table.cell(1, column).text = value
    for column, value in ((0, "Ohio"), (1, "$21.40"), (2, "$22.10")):
        table.cell(2, column).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    lines = convert(DOCX, buffer.getvalue()).splitlines()
    assert lines[:3] == ["| Area | Hourly Median | Hourly Mean |", "|---|---|---|", "| Ohio | $21.40 | $22.10 |"]
