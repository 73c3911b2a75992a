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
