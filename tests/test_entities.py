import pytest
from helpers import mentions

from ingest.entities import best_long_form, initials_long_form, type_by_heads


def by_key(text, kind):
    return {m.key: m for m in mentions(text, kind)}


def test_acronym_in_parentheses_defines_a_known_certification():
    found = by_key("Coders can take the Certified Coding Associate (CCA) exam.", "Certification")
    assert set(found) == {"cca"}
    assert found["cca"].acronym == "CCA" and found["cca"].name == "Certified Coding Associate"


def test_unknown_credential_and_body_are_found_and_typed():
    text = "The Certified Something Specialist (CSS) credential is issued by the Widget Coders Alliance (WCA)."
    certs = by_key(text, "Certification")
    orgs = by_key(text, "Organization")
    assert certs["css"].name == "Certified Something Specialist"
    assert orgs["wca"].name == "Widget Coders Alliance"


def test_unknown_credential_without_an_acronym_is_found_by_its_head_words():
    assert "certified-dental-coding-auditor" in by_key("Many earn the Certified Dental Coding Auditor credential.",
                                                        "Certification")


def test_a_defined_acronym_is_found_again_on_its_own():
    text = "The Registered Widget Analyst (RWA) is new. Employers like the RWA."
    found = [m for m in mentions(text, "Certification") if m.key == "rwa"]
    assert len(found) == 2


def test_names_and_acronyms_of_one_body_are_one_entity():
    text = ("Certification comes from the American Academy of Professional Coders. "
            "The AAPC also runs local chapters.")
    assert {m.key for m in mentions(text, "Organization")} == {"aapc"}


def test_code_sets_and_laws():
    text = "Coders use ICD-10-CM, CPT and HCPCS (Healthcare Common Procedure Coding System) under HIPAA."
    assert {m.key for m in mentions(text, "CodeSet")} == {"icd-10-cm", "cpt", "hcpcs"}
    assert {m.key for m in mentions(text, "Regulation")} == {"hipaa"}


def test_run_together_words_do_not_hide_entities():
    text = "It involves coding systems, such asICD-10 (International Classification of Diseases),CPT and more."
    assert {m.key for m in mentions(text, "CodeSet")} == {"icd-10", "cpt"}


def test_roles_are_normalized_to_one_entity():
    text = "Medical billers and coders earn more. Many billers and coders work remotely as medical coding specialists."
    keys = [m.key for m in mentions(text, "Role")]
    assert keys.count("medical-billing-and-coding-specialist") == 2
    assert "medical-coder" in keys


def test_places_with_state_abbreviations():
    text = "Coders in Stockton, CA MSA and in Austin, TX earn more than in the Dallas-Fort Worth, TX-OK area."
    found = {m.key: m for m in mentions(text, "Region")}
    assert found["us/ca/stockton-ca-msa"].region_class == "MetropolitanArea"
    assert found["us/tx/austin-tx"].region_class == "City"
    assert found["us/tx/austin-tx"].place.parents == ("us/tx",)


def test_state_abbreviation_alone_needs_the_state_named_in_the_document():
    assert not mentions("An MD or PA signs the chart in the OR.", "Region")
    assert {m.key for m in mentions("Jobs in California grow. CA pays well.", "Region")} == {"us/ca"}


@pytest.mark.parametrize("name, kind", [
    ("National Association of Healthcare Access Management", "Organization"),
    ("Certified Professional Coder-Payer", "Certification"),
    ("No Surprises Act", "Regulation"),
    ("Current Procedural Terminology", "CodeSet"),
    ("Electronic Health Records", None),
])
def test_typing_by_head_words(name, kind):
    assert type_by_heads(name) == kind


def test_long_forms():
    assert initials_long_form("CCA", "while the Certified Coding Associate") == "Certified Coding Associate"
    assert initials_long_form("BLS", "the U.S. Bureau of Labor Statistics") == "Bureau of Labor Statistics"
    assert best_long_form("CPC-P", "the Certified Professional Coder-Payer") == "Certified Professional Coder-Payer"


def test_a_vocabulary_name_broken_over_a_line_is_one_mention():
    wrapped = ("This paragraph is hard-wrapped like the one below it, so the lines of\n"
               "each paragraph are joined into sentences before names are looked up.\n\n")
    text = ("Education\n\n" + wrapped + wrapped +
            "Programs must be accredited by CAHIIM, the Commission on Accreditation for Health\n"
            "  Informatics and Information Management Education, to qualify. This paragraph goes on\n"
            "  for another line so that it reads as wrapped prose, and then it ends.\n")
    found = mentions(text, "Organization")
    assert {m.key for m in found} == {"cahiim"}
    assert any(text[m.start:m.end].endswith("Information Management Education") for m in found)


def test_a_chapter_with_its_acronym_is_an_organization():
    found = mentions("Newsletter of the Kansas City Metro Coding Chapter (KCMCC), a local chapter.", "Organization")
    assert [(m.acronym, m.kind) for m in found] == [("KCMCC", "Organization")]


def test_connector_words_spell_a_letter_only_when_content_words_cannot():
    found = mentions("Guidance from the HHS Office of Inspector General (OIG) and the Department of Labor (DOL).",
                     "Organization")
    assert [(m.name, m.acronym) for m in found] == [("Office of Inspector General", "OIG"),
                                                  ("Department of Labor", "DOL")]


@pytest.mark.parametrize("text, expected", [
    ("MHIMA, the Michigan Health Information Management Association, runs review sessions.", ("MHIMA", "Organization")),
    ("VHIMA, the state association, had a study group on Tuesday nights.", ("VHIMA", "Organization")),
    ("Medical coders at Great Lakes Regional Health (GLRH) earn more.", ("GLRH", "Organization")),
    ("At Cumberland Valley Health System (CVHS), new coders earn the CPC.", ("CVHS", "Organization")),
])
def test_unknown_organizations_named_or_described_next_to_their_acronym(text, expected):
    assert expected in {(m.acronym, m.kind) for m in mentions(text)}


def test_a_credential_described_by_a_phrase_is_not_an_organization():
    found = mentions("The CPC, the most popular credential, is hard. ABC, a great program, helps.")
    assert {(m.acronym, m.kind) for m in found if m.kind == "Organization"} == set()


@pytest.mark.parametrize("text, expected", [
    ("PHIMA is a component state association of AHIMA.", ("PHIMA", "Organization")),
    ("Active WHIMA membership is a plus.", ("WHIMA", "Organization")),
    ("Nashville, home to HCA Healthcare and others.", ("HCA", "Organization")),
])
def test_unknown_organizations_by_what_is_said_of_them(text, expected):
    assert expected in {(m.acronym, m.kind) for m in mentions(text)}


@pytest.mark.parametrize("text", [
    "The CRC, a credential of AAPC, matters.",
    "The XYZC, a credential from the Coding Board, is new.",
])
def test_a_credential_described_is_not_an_organization_nor_a_definition(text):
    found = mentions(text)
    assert all(m.extractor not in ("acronym-described", "acronym-definition") for m in found), \
        [(m.name, m.extractor) for m in found]


def test_two_roles_joined_by_and_are_not_one_role():
    text = ("LCCN is a volunteer network of coders, billers and educators. Our coders and records specialists "
            "meet monthly. A medical records and health information technician files charts.")
    said = {text[m.start:m.end].lower() for m in mentions(text, "Role")}
    assert not [phrase for phrase in said if phrase.startswith(("billers and", "coders and"))], said
    assert "medical records and health information technician" in said
