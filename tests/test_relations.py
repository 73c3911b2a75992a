import pytest
from helpers import analyse, issuers


@pytest.mark.parametrize("text, expected", [
    ("Certified Professional Coder (CPC), offered by theAmerican Academy of Professional Coders (AAPC).",
     {("cpc", "aapc")}),
    ("Certified Professional Coder (CPC) and Certified Professional Biller (CPB) from AAPC \u2013 widely known.",
     {("cpc", "aapc"), ("cpb", "aapc")}),
    ("The CCS credential is administered by AHIMA.", {("ccs", "ahima")}),
    ("The Widget Coding Board (WCB) awards the Registered Widget Coder (RWC) and the CPC.",
     {("rwc", "wcb"), ("cpc", "wcb")}),
    ("NHA issues the CBCS credential.", {("cbcs", "nha")}),
    ("AHIMA's CCA is an entry-level credential.", {("cca", "ahima")}),
    ("Many employers accept the CPC, which the AAPC administers.", {("cpc", "aapc")}),
])
def test_issuer_patterns(text, expected):
    assert issuers(text) == expected


@pytest.mark.parametrize("text", [
    "After training, pursue certification from organizations like the AAPC or AHIMA.",
    "Employers recognize certifications from the American Academy of Professional Coders (AAPC).",
    "The CPC is recognized by employers; the AAPC has chapters.",
])
def test_no_issuer_without_a_stated_credential_and_body(text):
    assert issuers(text) == set()


def test_exam_named_in_a_credential_section():
    text = ("Registered Health Information Technician\n"
            "To earn it, students complete a two-year degree and pass the AHIMA exam.\n")
    assert issuers(text) == {("rhit", "ahima")}


def test_accreditation_of_programs():
    text = "Attend training that is accredited by CAHIIM or AAPC.\n"
    relations = [r for r in analyse(text).relations if r.predicate == "accreditedBy"]
    assert {r.object.key for r in relations} == {"cahiim", "aapc"}


@pytest.mark.parametrize("text, expected", [
    ("The Certified Professional Biller (CPB) is offered through the AAPC.", {("cpb", "aapc")}),
    ("AHIMA offers two entry-level credentials: the CCA and the CCS.", {("cca", "ahima"), ("ccs", "ahima")}),
    ("**Certified Coding Specialist (CCS)** \u2013 administered by AHIMA, preferred by hospitals.", {("ccs", "ahima")}),
    ("Florida recognizes the Certified Risk Adjustment Coder (CRC), which is administered by the AAPC.",
     {("crc", "aapc")}),
])
def test_issuer_patterns_in_other_phrasings_and_layouts(text, expected):
    assert issuers("Credentials\n" + text + "\n") == expected


def test_the_exam_of_the_one_credential_in_a_sentence():
    assert issuers("Credentials\nTo earn the Registered Health Information Administrator (RHIA), you must pass an "
                   "exam from AHIMA.\n") == {("rhia", "ahima")}
    assert issuers("Credentials\nThe CPC and the CCS both require an exam from an approved testing center run by "
                   "AHIMA.\n") == set()


@pytest.mark.parametrize("text, expected", [
    ("So I took the CPC, which is the AAPC one, in 2016.", {("cpc", "aapc")}),
    ("So I sat for the CCS, that's AHIMA's, in 2019.", {("ccs", "ahima")}),
    ("My coworker has her CDIP through AHIMA.", {("cdip", "ahima")}),
    ("My friend got the CMRS, that's from AMBA, the American Medical Billing Association.", {("cmrs", "amba")}),
    ("The CPC is a credential of AAPC.", {("cpc", "aapc")}),
    ("CPCO \u2014 an AAPC credential for compliance officers.", {("cpco", "aapc")}),
    ("There's also the NCICS, offered through NCCT.", {("ncics", "ncct")}),
    # a relative clause with a singular verb is about the last credential; a possessed one keeps its owner
    ("Specialists can pursue AHIMA's CDIP or the CCDS, which is administered by ACDIS.",
     {("cdip", "ahima"), ("ccds", "acdis")}),
    ("The RHIA and RHIT, which are both awarded by AHIMA, need a degree.", {("rhia", "ahima"), ("rhit", "ahima")}),
])
def test_issuer_phrasings_of_speech_and_glossaries(text, expected):
    assert issuers(text) == expected


@pytest.mark.parametrize("text", [
    # a study group, a school program or a neighbour's possession is not the credential's issuer
    "VHIMA, the state association, had a study group for the CCS through VHIMA's chapter.",
    "I earned the CPC through NOVA's evening program.",
    # a state association offering exam preparation does not issue the credential
    "PHIMA, the state association, offers RHIT and RHIA exam-prep study groups each spring and fall.",
    # a user's mistake stays a mistake: "came from" is not an issuing verb
    "And I thought the CPC came from the AMA - is that right?",
    # a possessive that governs another noun
    "You need the CPC, the AMA's CPT book, and a timer.",
    # an organization in the neighbouring clause
    "ORHIMA hosts the annual conference but does not certify anyone; CCS holders get credit.",
])
def test_neighbouring_organizations_are_not_issuers(text):
    assert issuers(text) == set()


GLOSSARY = (
    "# Glossary\n\n"
    "CPC \u2014 Certified Professional Coder: The most widely held coding credential, issued by AAPC after a "
    "four-hour exam.\n"
    "COC \u2014 Certified Outpatient Coder: Also from AAPC; for hospital outpatient departments.\n"
    "CIC (Certified Inpatient Coder): AAPC\u2019s inpatient facility credential.\n"
    "CCS-P: Certified Coding Specialist \u2013 Physician-based. AHIMA awards it to coders in clinics.\n"
    "CHDA: Certified Health Data Analyst; AHIMA.\n"
    "CPCO: Certified Professional Compliance Officer, an AAPC credential for staff who follow guidance from "
    "the Office of Inspector General (OIG).\n"
    "CPT: Current Procedural Terminology, the code set owned by the American Medical Association (AMA). The AMA "
    "publishes the codes; it does not certify coders.\n"
    "RHIT: Registered Health Information Technician. AzHIMA offers webinars for RHIT holders but is not a "
    "certifying body.\n"
    "CBCS: Certified Billing and Coding Specialist. Pima Medical Institute offers CBCS exam preparation.\n"
)


def test_glossary_entries_name_the_issuer_of_their_one_credential():
    assert issuers(GLOSSARY) == {("cpc", "aapc"), ("coc", "aapc"), ("cic", "aapc"), ("ccs-p", "ahima"),
                                 ("chda", "ahima"), ("cpco", "aapc")}


def test_a_glossary_claim_quotes_the_term_and_the_issuer():
    analysis = analyse(GLOSSARY)
    relation = next(r for r in analysis.relations if r.subject.key == "ccs-p")
    quote = GLOSSARY[relation.unit.start:relation.unit.end]
    assert quote.startswith("CCS-P:") and "AHIMA awards it" in quote


def test_a_credential_and_issuing_body_table_pairs_each_row():
    text = ("# Credentials we recognize\n\n| Credential | Issuing body |\n|---|---|\n"
            "| Certified Professional Coder (CPC) | AAPC |\n"
            "| Certified Coding Specialist (CCS) | AHIMA (American Health Information Management Association) |\n"
            "| Certified Billing and Coding Specialist (CBCS) | AAPC or NHA |\n\n"
            "| Program | Accredited by | Prepares for |\n|---|---|---|\n| HIT associate degree | CAHIIM | RHIT |\n")
    assert issuers(text) == {("cpc", "aapc"), ("ccs", "ahima")}


def test_an_awarded_by_column_names_the_issuer():
    text = "| Credential | Awarded by |\n|---|---|\n| CRC | AAPC |\n| RHIT | American Health Information Management Association |\n"
    assert issuers(text) == {("crc", "aapc"), ("rhit", "ahima")}


def test_list_items_labelled_with_an_organization_under_a_lead_in_about_issuing():
    text = ("EXAM PREP CORNER\n\nThinking about your next credential? Here is a quick map of who issues what:\n"
            "  * AAPC: CPC, COC, CRC, CPMA (auditing) and CDEO (documentation\n    expert outpatient)\n"
            "  * AHIMA: CCA for entry-level coders and CCS for inpatient coders\n")
    assert issuers(text) == {("cpc", "aapc"), ("coc", "aapc"), ("crc", "aapc"), ("cpma", "aapc"), ("cdeo", "aapc"),
                             ("cca", "ahima"), ("ccs", "ahima")}


def test_labelled_list_items_without_a_lead_in_about_issuing_say_nothing_of_issuers():
    text = ("Upcoming meetings\n\nOur chapter calendar for the spring:\n"
            "  * CMS: CPC and CCS holders can join the webinar on the new rule\n"
            "  * AMA: CPT update night for CPC holders\n")
    assert issuers(text) == set()
