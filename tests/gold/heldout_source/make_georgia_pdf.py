"""Builds georgia_fact_sheet.pdf and writes the exact text it contains to georgia_fact_sheet.source.txt."""
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

HERE = Path(__file__).parent

HEADER = "GEORGIA HEALTH CAREERS ALLIANCE | Occupational Fact Sheet No. 14 | Revised March 2024"
TITLE = "Medical Records Specialists in Georgia"
INTRO = ("Medical records specialists - the occupation that includes medical coders and billing and coding "
         "specialists - review patient charts and assign the ICD-10-CM and CPT codes that hospitals and "
         "physician practices use to bill insurers. Most Georgia jobs are in hospitals, physicians' offices "
         "and outpatient care centers in the Atlanta area.")
GLANCE_TITLE = "At a glance"
GLANCE = [
    ("Employment in Georgia, May 2023", "8,920"),
    ("Projected growth, 2022-2032", "10%"),
    ("Average annual openings, 2022-2032", "870"),
    ("Typical entry-level education", "Postsecondary nondegree award"),
]
WAGE_TITLE = "Wages by percentile, May 2023"
WAGE_HEAD = ["Area", "Period", "10th", "25th", "Median", "75th", "90th"]
WAGE_ROWS = [
    ["Georgia", "Hourly", "$15.62", "$18.40", "$22.19", "$27.05", "$33.48"],
    ["Georgia", "Annual", "$32,490", "$38,270", "$46,150", "$56,260", "$69,640"],
    ["Atlanta-Sandy Springs-Roswell, GA", "Hourly", "$16.48", "$19.35", "$23.57", "$28.90", "$35.62"],
    ["Atlanta-Sandy Springs-Roswell, GA", "Annual", "$34,280", "$40,250", "$49,030", "$60,110", "$74,090"],
    ["Augusta-Richmond County, GA-SC", "Hourly", "$14.95", "$17.22", "$20.36", "$24.81", "$30.14"],
    ["Augusta-Richmond County, GA-SC", "Annual", "$31,100", "$35,820", "$42,350", "$51,600", "$62,690"],
]
WAGE_NOTE = ("Wages do not include benefits. Augusta-area figures include workers in Aiken County, "
             "South Carolina.")
OUTLOOK_TITLE = "Outlook"
OUTLOOK = ("Employment of medical records specialists in Georgia is projected to grow 10% from 2022 to 2032, "
           "according to the Georgia Department of Labor (GDOL). Nationally, the Bureau of Labor Statistics "
           "(BLS) projects 8% growth for the occupation over the same decade.")
CRED_TITLE = "Credentials Georgia employers request"
CRED_HEAD = ["Credential", "Issuing body"]
CRED_ROWS = [
    ["Certified Professional Coder (CPC)", "AAPC"],
    ["Certified Coding Associate (CCA)", "AHIMA"],
    ["Certified Billing and Coding Specialist (CBCS)", "National Healthcareer Association (NHA)"],
    ["Certified Professional Medical Auditor (CPMA)", "AAPC"],
    ["Certified Documentation Integrity Practitioner (CDIP)", "AHIMA"],
]
CRED_NOTE = ("Colleges in the Technical College System of Georgia (TCSG) offer certificate programs that "
             "prepare students for the CPC and CBCS exams; TCSG does not award the credentials themselves.")
SOURCES = ("Sources: U.S. Bureau of Labor Statistics, Occupational Employment and Wage Statistics, May 2023; "
           "GDOL Long-Term Occupational Projections, 2022-2032. Wage figures are rounded.")
FOOTER = "Georgia Health Careers Alliance (GHCA) - Atlanta, Georgia - Fact sheets are free to copy."


def source_text() -> str:
    lines = [HEADER, "", TITLE, "", INTRO, "", GLANCE_TITLE]
    lines += [f"{label}: {value}" for label, value in GLANCE]
    lines += ["", WAGE_TITLE, " | ".join(WAGE_HEAD)]
    lines += [" | ".join(row) for row in WAGE_ROWS]
    lines += [WAGE_NOTE, "", OUTLOOK_TITLE, OUTLOOK, "", CRED_TITLE, " | ".join(CRED_HEAD)]
    lines += [" | ".join(row) for row in CRED_ROWS]
    lines += [CRED_NOTE, "", SOURCES, FOOTER]
    return "\n".join(lines) + "\n"


def build() -> None:
    styles = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=styles["BodyText"], fontSize=9.5, leading=12)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor=colors.HexColor("#444444"))
    h1 = ParagraphStyle("h1", parent=styles["Title"], fontSize=18, leading=22, alignment=0)
    h2 = ParagraphStyle("h2", parent=styles["Heading2"], fontSize=12, leading=15, spaceBefore=8, spaceAfter=4,
                        textColor=colors.HexColor("#1f4e79"))
    cell = ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10)

    def on_page(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 7.5)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(0.75 * inch, letter[1] - 0.5 * inch, HEADER)
        canvas.drawString(0.75 * inch, 0.5 * inch, FOOTER)
        canvas.drawRightString(letter[0] - 0.75 * inch, 0.5 * inch, f"Page {doc.page}")
        canvas.restoreState()

    story = [Paragraph(TITLE, h1), Paragraph(INTRO, body), Spacer(1, 6)]

    glance = Table([[Paragraph(f"<b>{GLANCE_TITLE}</b>", body), ""]]
                   + [[Paragraph(label, cell), Paragraph(f"<b>{value}</b>", cell)] for label, value in GLANCE],
                   colWidths=[3.2 * inch, 2.6 * inch])
    glance.setStyle(TableStyle([
        ("SPAN", (0, 0), (1, 0)),
        ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#eef4fa")),
        ("BOX", (0, 0), (-1, -1), 0.8, colors.HexColor("#1f4e79")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    story += [glance, Paragraph(WAGE_TITLE, h2)]

    wages = Table([WAGE_HEAD] + [[Paragraph(row[0], cell)] + row[1:] for row in WAGE_ROWS],
                  colWidths=[2.2 * inch, 0.7 * inch] + [0.78 * inch] * 5, repeatRows=1)
    wages.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8.5),
        ("FONT", (1, 1), (-1, -1), "Helvetica", 8.5),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#1f4e79")),
        ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
        ("ALIGN", (2, 0), (-1, -1), "RIGHT"),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f4f4f4")]),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    story += [wages, Spacer(1, 3), Paragraph(WAGE_NOTE, small)]
    story += [Paragraph(OUTLOOK_TITLE, h2), Paragraph(OUTLOOK, body)]

    creds = Table([[Paragraph(f"<b>{CRED_TITLE}</b>", body), ""],
                   [Paragraph(f"<b>{CRED_HEAD[0]}</b>", cell), Paragraph(f"<b>{CRED_HEAD[1]}</b>", cell)]]
                  + [[Paragraph(a, cell), Paragraph(b, cell)] for a, b in CRED_ROWS]
                  + [[Paragraph(CRED_NOTE, small), ""]],
                  colWidths=[3.4 * inch, 2.9 * inch])
    creds.setStyle(TableStyle([
        ("SPAN", (0, 0), (1, 0)),
        ("SPAN", (0, -1), (1, -1)),
        ("BOX", (0, 0), (-1, -1), 1.0, colors.HexColor("#7a5c00")),
        ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#fff8e5")),
        ("LINEBELOW", (0, 1), (-1, 1), 0.5, colors.HexColor("#7a5c00")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    story += [Spacer(1, 10), creds, Spacer(1, 10), Paragraph(SOURCES, small)]

    doc = SimpleDocTemplate(str(HERE.parent / "heldout" / "georgia_fact_sheet.pdf"), pagesize=letter,
                            leftMargin=0.75 * inch, rightMargin=0.75 * inch,
                            topMargin=0.8 * inch, bottomMargin=0.8 * inch,
                            title="Medical Records Specialists in Georgia", author="Georgia Health Careers Alliance")
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    (HERE / "georgia_fact_sheet.source.txt").write_text(source_text(), encoding="utf-8")


if __name__ == "__main__":
    build()
