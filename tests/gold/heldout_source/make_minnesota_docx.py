"""Builds minnesota_brochure.docx (python-docx)."""
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor

HERE = Path(__file__).parent

CREDENTIALS = [
    ("Certified Professional Coder (CPC)", "AAPC"),
    ("Certified Risk Adjustment Coder (CRC)", "AAPC"),
    ("Certified Physician Practice Manager (CPPM)", "AAPC"),
    ("Certified Coding Specialist (CCS)", "AHIMA"),
    ("Registered Health Information Technician (RHIT)", "AHIMA"),
    ("Certified Clinical Documentation Specialist (CCDS)",
     "Association of Clinical Documentation Integrity Specialists (ACDIS)"),
    ("Certified Electronic Health Records Specialist (CEHRS)", "National Healthcareer Association (NHA)"),
]

STEPS = [
    "Finish high school or earn a GED.",
    "Complete a medical coding certificate (about 12 months) or a two-year associate degree in health "
    "information technology.",
    "Learn the HIPAA privacy rules and the ICD-10-CM Official Guidelines for Coding and Reporting.",
    "Sit for a credential exam such as the CPC or the CCS.",
    "Apply for entry-level coding or billing jobs; many employers allow remote work after 90 days.",
    "Keep your credential current with continuing education units (CEUs).",
]


def build() -> None:
    doc = Document()
    section = doc.sections[0]
    header = section.header.paragraphs[0]
    header.text = "Minnesota Medical Coding Careers  |  2024 edition"
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    section.footer.paragraphs[0].text = ("Printed March 2024. Figures change every year; check the sources "
                                         "named inside before you rely on them.")

    doc.add_heading("Start a Career in Medical Coding in Minnesota", level=0)
    tagline = doc.add_paragraph()
    run = tagline.add_run("Steady work, remote options and a clear path to certification.")
    run.italic = True
    run.font.size = Pt(13)
    run.font.color.rgb = RGBColor(0x2E, 0x5E, 0x8C)

    doc.add_heading("What coders do", level=1)
    doc.add_paragraph(
        "Medical coders read physicians' notes, lab reports and discharge summaries and translate them into "
        "ICD-10-CM, ICD-10-PCS and CPT codes. Those codes decide what a hospital or clinic is paid, so accuracy "
        "matters. Billers then submit the claims and follow up on denials.")

    doc.add_heading("Credentials and who awards them", level=1)
    doc.add_paragraph("Minnesota employers usually ask for one of these national credentials:")
    table = doc.add_table(rows=1, cols=2)
    table.style = "Light Grid Accent 1"
    table.rows[0].cells[0].text = "Credential"
    table.rows[0].cells[1].text = "Awarded by"
    for credential, body in CREDENTIALS:
        cells = table.add_row().cells
        cells[0].text = credential
        cells[1].text = body
    doc.add_paragraph()
    doc.add_paragraph(
        "Saint Paul College and other two-year colleges offer certificate programs that prepare you for the "
        "CPC and CCS exams; the colleges award a certificate of completion, not the credential. Large "
        "employers such as Mayo Clinic in Rochester often reimburse the CCS exam fee for new hires.")

    doc.add_heading("Steps to get started", level=1)
    for step in STEPS:
        doc.add_paragraph(step, style="List Number")

    doc.add_heading("What coders earn", level=1)
    doc.add_paragraph(
        "According to the Bureau of Labor Statistics (BLS), medical records specialists in Minnesota earned a "
        "median of $26.02 an hour in May 2023, and their annual mean wage was $55,480.")
    doc.add_paragraph(
        "The same May 2023 survey shows that coders in Minneapolis-St. Paul-Bloomington, MN-WI earned a median "
        "of $27.10 an hour, while coders in Rochester, MN earned a median of $25.64 an hour and an annual mean "
        "of $54,300. Pay is lower up north: in May 2023 the annual mean in Duluth, MN-WI was $49,730.")
    doc.add_paragraph(
        "Entry-level coders in the Twin Cities typically start between $19 and $22 an hour.")

    doc.add_heading("Job outlook", level=1)
    doc.add_paragraph(
        "About 5,210 people work as medical records specialists in Minnesota. The Minnesota Department of "
        "Employment and Economic Development (DEED) projects employment in the occupation to grow 6.8% from "
        "2022 to 2032. Not every records job is growing: DEED expects jobs for medical transcriptionists to "
        "decline 5% over the same years, as speech recognition takes over dictation.")

    closing = doc.add_paragraph()
    closing.add_run("Ready to start? ").bold = True
    closing.add_run("Talk to an advisor at your local college about a coding certificate.")

    doc.core_properties.title = "Start a Career in Medical Coding in Minnesota"
    doc.core_properties.author = "Career brochure"
    doc.save(str(HERE.parent / "heldout" / "minnesota_brochure.docx"))


if __name__ == "__main__":
    build()
