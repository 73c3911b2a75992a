"""Names found by language: credentials and bodies no vocabulary holds, and who issues them.

Every text here is invented (names, acronyms, bodies) and is read with the "core" vocabulary, the
reference vocabulary without its certifications and organizations (kg.vocabulary.vocabulary_mode):
whatever is found was found by reading. Each rule has a wording of its own and a trap next to it.
"""
from __future__ import annotations

import pytest

from ingest.extract import analyse
from kg.vocabulary import load_vocabulary, vocabulary_mode


def _issuers(text: str, mode: str = "core") -> set[tuple[str, str]]:
    analysis = analyse(text, load_vocabulary(mode))
    return {(r.subject.key, r.object.key) for r in analysis.relations if r.predicate == "issuedBy"}


def _named(text: str, kind: str, mode: str = "core") -> set[str]:
    return {m.key for m in analyse(text, load_vocabulary(mode)).mentions if m.kind == kind}


# ---------------------------------------------------------------- the names-blind vocabulary

def test_core_vocabulary_has_no_credentials_or_bodies_and_keeps_the_rest():
    full, core = load_vocabulary("full"), load_vocabulary("core")
    assert not core.of_class("Certification", "Organization")
    assert full.of_class("Certification") and full.of_class("Organization")
    assert len(core.states) == len(full.states) and core.of_class("CodeSet") == full.of_class("CodeSet")


def test_vocabulary_mode_from_the_flag_or_the_environment(monkeypatch):
    monkeypatch.delenv("MBC_VOCABULARY", raising=False)
    assert vocabulary_mode() == "full"
    monkeypatch.setenv("MBC_VOCABULARY", "Core")
    assert vocabulary_mode() == "core"
    assert vocabulary_mode("full") == "full"          # the flag wins over the environment
    monkeypatch.setenv("MBC_VOCABULARY", "none")
    with pytest.raises(ValueError, match="MBC_VOCABULARY.*full, core"):
        vocabulary_mode()


def test_ingest_cli_refuses_an_unknown_vocabulary(tmp_path, capsys, monkeypatch):
    from ingest.__main__ import main

    monkeypatch.setenv("MBC_VOCABULARY", "everything")
    assert main(["--corpus", str(tmp_path), "--data", str(tmp_path / "data"), "--no-index"]) == 2
    assert "unknown vocabulary 'everything'" in capsys.readouterr().err
    assert not (tmp_path / "data").exists()


def test_a_core_ingest_stores_the_core_vocabulary_and_says_so(tmp_path):
    import json

    from ingest.pipeline import run_ingest

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Certified Kiln Auditor (CKA), issued by the Potters Guild (PG).\n")
    report = run_ingest(corpus, tmp_path / "data", progress=False, vocabulary="core")
    assert report.exit_status == 0
    manifest = json.loads((report.generation.path / "manifest.json").read_text())
    assert manifest["vocabulary"] == "core"
    dump = (tmp_path / "data" / "kg.trig").read_text()
    assert "vocab/aapc" not in dump and "vocab/cpc" not in dump    # the store holds what was read
    again = run_ingest(corpus, tmp_path / "data", progress=False, vocabulary="full")
    assert again.extracted == ["a.txt"]                              # switching re-extracts


# ---------------------------------------------------------------- definitions and typing

@pytest.mark.parametrize("text, expected", [
    # an acronym from an older name: its letters do not spell the name in the parenthesis
    ("CSTB (Certified Sleep Technology Biller), also from the Northern Sleep Council (NSC), covers sleep labs.",
     {("cstb", "nsc")}),
    # a qualifier after a dash does not change the head noun
    ("PRS-O (Payment Reconciliation Specialist\u2013Outpatient) is awarded by the Harbor Billing Board (HBB).",
     {("prs-o", "hbb")}),
    # "Certified ..." names a credential whatever its last word
    ("CPIRM (Certified Professional in Revenue Management) comes from the Lakeshore Revenue Society (LRS).",
     {("cpirm", "lrs")}),
    # a plural person noun heads a body of people
    ("The Certified Tariff Abstractor (CTA) is granted by Federated Claims Examiners (FCE).", {("cta", "fce")}),
    # modifiers before "credential", and a name broken across CRLF lines
    ("# Digest\r\n\r\nReaders asked about pediatric billing this week, so here is the answer.\r\n"
     "The PBX (Pediatric Billing Expert) is a national credential issued by the\r\n"
     "Kestrel Billing Board (KBB), and most clinics in the region ask for it\r\n"
     "when they hire a biller for a pediatric practice of any size at all.\r\n\r\n"
     "Next week we look at remote work, which more readers ask about than\r\n"
     "any other topic, and at the pay of billers who work from home.\r\n", {("pbx", "kbb")}),
])
def test_defined_names_and_their_issuers(text, expected):
    assert _issuers(text) == expected


def test_a_table_row_spells_an_acronym_out_whatever_the_header_words():
    text = ("| Abbreviation | Spelled out | Awarding organization |\n|---|---|---|\n"
            "| CWRC | Certified Wound Repair Coder | ZAPC |\n"
            "| RDA | Registered Denials Analyst | Prairie Denials Association (PDA) |\n")
    assert _issuers(text) == {("cwrc", "zapc"), ("rda", "pda")}
    assert {"cwrc", "rda"} <= _named(text, "Certification")


@pytest.mark.parametrize("header", ["Testing vendor", "Prep course provider", "Employer that reimburses",
                                    "Accredited by", "Study guide publisher", "Chapter hosting reviews"])
def test_a_table_column_of_another_role_is_never_the_issuer(header):
    text = (f"| Credential | Full name | {header} |\n|---|---|---|\n"
            "| CWRC | Certified Wound Repair Coder | Quantum Testing Services (QTS) |\n")
    assert _issuers(text) == set()


def test_acronyms_beside_a_list_of_names_are_matched_by_their_initials():
    text = ("## Credentials employers ask for\n\nQRA\n\nQSC\n\n"
            "- Qualified Revenue Auditor, issued by the Delta Audit Guild (DAG).\n"
            "- Qualified Surgical Coder, awarded by ZAPC. Mercy Clinics (MC) reimburses the QSC exam fee.\n")
    assert _issuers(text) == {("qra", "dag"), ("qsc", "zapc")}


# ---------------------------------------------------------------- issuers by their place in the sentence

@pytest.mark.parametrize("text, expected", [
    ("Certified Xray Abstractor (CXA) from NOVA \u2013 a respected credential.", {("cxa", "nova")}),
    ("The Certified Xray Abstractor (CXA) is administered by NOVA.", {("cxa", "nova")}),
    ("The Certified Xray Abstractor (CXA) is NOVA's entry credential.", {("cxa", "nova")}),
    ("Certified Xray Abstractor (CXA): NOVA awards the CXA after a two-hour exam.", {("cxa", "nova")}),
])
def test_an_undefined_acronym_where_only_an_issuer_stands(text, expected):
    assert _issuers(text) == expected


def test_the_guild_stands_for_the_one_guild_the_document_names():
    text = ("The Southern Revenue Guild (SRG) trains dental billers across the region. Most members hold the "
            "Certified Dental Claims Analyst (CDCA). Candidates sit the Guild's CDCA exam after a year of work.")
    assert _issuers(text) == {("cdca", "srg")}
    two = text + " The Northern Claims Guild (NCG) meets in March."
    assert _issuers(two) == set()      # two guilds: "the Guild" does not say which


def test_a_definition_list_entry_opening_with_its_issuer():
    text = ("## Credentials\n\nQDC (Qualified Dialysis Coder)\n:   Offered by the Western Renal Council (WRC). "
            "The Riverside Testing Center (RTC) proctors it.\n\n"
            "QHC (Qualified Hospice Coder)\n:   Covers hospice claims. Bayside Hospice (BH) reimburses the exam.\n")
    assert _issuers(text) == {("qdc", "wrc")}


def test_a_list_under_credential_terms_in_markdown_with_also():
    text = ("PXC (Podiatry Exam Coder)\n:   Also issued by ZAPC. Podiatry groups prefer it.\n\n"
            "RTS (Registered Tumor Scribe)\n:   From the Tumor Registry Alliance (TRA).\n")
    assert _issuers(text) == {("pxc", "zapc"), ("rts", "tra")}


# ---------------------------------------------------------------- traps: never an issuer

@pytest.mark.parametrize("text", [
    "Certified Dental Claims Analyst (CDCA). The CDCA exam is delivered at Quantum Testing Services (QTS) sites.",
    "Certified Dental Claims Analyst (CDCA). Lakeside Career College (LCC) prepares students for the CDCA.",
    "Certified Dental Claims Analyst (CDCA). Mercy Health System (MHS) reimburses the CDCA exam fee.",
    "Certified Dental Claims Analyst (CDCA). The CDCA study guide is published by Northfield Press (NP).",
    "Certified Dental Claims Analyst (CDCA). The Bayou Coding Chapter (BCC) hosts CDCA review sessions.",
    "Certified Dental Claims Analyst (CDCA). The CDCA program at Delta College is accredited by ABHES.",
    "Certified Dental Claims Analyst (CDCA). The exam is proctored by ITS in three cities.",
    "Certified Dental Claims Analyst (CDCA). Members study for the CDCA through NOVA's study group.",
])
def test_vendors_schools_employers_publishers_chapters_and_accreditors_are_not_issuers(text):
    assert _issuers(text) == set()


def test_the_same_rules_hold_with_the_full_vocabulary():
    text = ("CSTB (Certified Sleep Technology Biller), also from the Northern Sleep Council (NSC), covers sleep labs. "
            "The CPC is issued by AAPC.")
    assert _issuers(text, "full") == {("cstb", "nsc"), ("cpc", "aapc")}


def test_list_items_under_a_heading_that_names_their_issuer():
    text = ("# Guide\n\nThe Southern Revenue Guild (SRG) serves dental offices across the region.\n\n"
            "## Credentials offered by the Guild\n\n"
            "- Certified Dental Claims Analyst (CDCA): for dental billers.\n"
            "- Registered Orthodontic Biller (ROB), for orthodontic offices.\n"
            "- Certified Lab Coder (CLC): Mercy Labs (ML) pays for the exam.\n\n"
            "## Exams proctored by Quantum Testing Services (QTS)\n\n"
            "- Certified Sleep Biller (CSB): four hours.\n\n"
            "## DAB specialty credentials\n\n- Certified Wound Repair Coder (CWRC): wound care.\n\n"
            "The Delta Audit Board (DAB) also runs audits for clinics of every size in the state.\n")
    assert _issuers(text) == {("cdca", "srg"), ("rob", "srg"), ("cwrc", "dab")}


@pytest.mark.parametrize("text, expected", [
    ("The CPC (Certified Professional Coder) and the inpatient-focused CIC are credentials of AAPC.",
     {("cic", "aapc")}),
    ("Look at AHIMA's CCS (Certified Coding Specialist) and AHIMA's CCS-P.", {("ccs", "ahima"), ("ccs-p", "ahima")}),
    ("The CWX is offered by ZAPC. Who issues what:\n\n* ZAPC: CWX, CQX, CPMX (auditing) and CDEX (documentation)\n",
     {("cwx", "zapc"), ("cqx", "zapc"), ("cpmx", "zapc"), ("cdex", "zapc")}),
    ("- NCICS - National Certified Insurance and Coding Specialist, offered by NCCT (National Center for "
     "Competency Testing).", {("ncics", "ncct")}),
    ("Requirements:\n\n- CPC (Certified Professional Coder) is preferred.\n- CPC (AAPC) or CCSX (AHIMA) required.\n",
     {("cpc", "aapc"), ("ccsx", "ahima")}),
])
def test_well_known_acronyms_nothing_defines_are_read_from_their_place(text, expected):
    assert _issuers(text) == expected


def test_a_list_labelled_by_bodies_under_a_lead_in_about_issuing():
    text = ("MEMBER NEWS: DANA OKAFOR, CWX, CQX\n\nHere is a quick map of who issues what:\n\n"
            "  * ZAPC: CWX, CQX, CPMX (auditing) and CDEX (documentation\n    expert outpatient)\n"
            "  * ZHIMA: CCX for entry-level coders and CSX for inpatient coders\n")
    analysis = analyse(text, load_vocabulary("core"))
    assert {(r.subject.key, r.object.key) for r in analysis.relations if r.predicate == "issuedBy"} == {
        ("cwx", "zapc"), ("cqx", "zapc"), ("cpmx", "zapc"), ("cdex", "zapc"), ("ccx", "zhima"), ("csx", "zhima")}
    assert "okafor" not in {m.key for m in analysis.mentions}      # a line in capitals names no acronym
    plain = "Here is a quick map of our chapters:\n\n  * ZAPC: CWX, CQX\n"
    assert _issuers(plain) == set()                                # the lead-in must speak of issuing


@pytest.mark.parametrize("text, expected", [
    ("# Glossary\n\nQCS-P: Qualified Coding Specialist \u2013 Physician-based. ZHIMA awards it to clinic coders.\n",
     {("qcs-p", "zhima")}),
    ("There's also the QICS, offered through QCCT (the Quality Center for\nCoding Tests), which employers like.\n",
     {("qics", "qcct")}),
])
def test_glossary_wordings_and_other_prepositions(text, expected):
    assert _issuers(text) == expected


# ---------------------------------------------------------------- appositions, modifiers, the perfect tense

@pytest.mark.parametrize("text, expected", [
    ("The Prairie Audit Council (PAC) meets in May. Most auditors hold the CQRA, the reviewing credential "
     "from the Prairie Audit Council (PAC).", {("cqra", "pac")}),
    ("The Prairie Audit Council (PAC) meets in May. Senior staff add the CQRA, a review credential of PAC.",
     {("cqra", "pac")}),
    ("The Prairie Audit Council (PAC) meets in May. Several also carry the CTRS, PAC's senior-level review "
     "credential.", {("ctrs", "pac")}),
    ("Many managers add the CVRM, which the Lakeshore Revenue Institute (LRI) awards.", {("cvrm", "lri")}),
])
def test_an_undefined_acronym_in_apposition_with_its_issuer(text, expected):
    """A bare acronym is a credential when an apposition or relative clause gives it to a body."""
    assert _issuers(text) == expected
    assert {key for key, _ in expected} <= _named(text, "Certification")


@pytest.mark.parametrize("text, expected", [
    ("The Delta Claims Society (DCS) administers a new designation, the Certified Denial Recovery Analyst "
     "(CDRA), for billers.", {("cdra", "dcs")}),
    ("The Delta Claims Society (DCS) is in Tulsa. Students prepare for the Society's entry-level Certified "
     "Claims Intake Technician (CCIT).", {("ccit", "dcs")}),
    ("The Delta Claims Society (DCS) is in Tulsa. The Society's appeals credential, the Certified Appeals "
     "Writer (CAW), is in demand.", {("caw", "dcs")}),
    ("The Delta Claims Society (DCS) is in Tulsa. Since 2019 the Society has conferred the Certified Payer "
     "Liaison (CPL) on members who pass.", {("cpl", "dcs")}),
])
def test_issuers_through_modifiers_appositions_and_the_perfect_tense(text, expected):
    assert _issuers(text) == expected


@pytest.mark.parametrize("text", [
    # a body's members, not its credential, stand in the apposition
    "The Delta Claims Society (DCS) is in Tulsa. DCS's members, the Certified Payer Liaison (CPL) holders, "
    "meet monthly.",
    # a course, then a separate clause about the credential
    "The Delta Claims Society (DCS) offers a review course, and the Certified Denial Recovery Analyst (CDRA) "
    "is popular.",
    # a college that has offered preparation is no issuer
    "Mesa Ridge College (MRC) has offered the Certified Denial Recovery Analyst (CDRA) prep course since 2020.",
    # a study guide in apposition is no credential
    "Readers like the CQRA, the study guide from Summit Press (SP).",
    # a relative clause with a verb of delivering, not awarding
    "Many sit the CVRM, which the Lakeshore Testing Centers (LTC) deliver.",
])
def test_appositions_and_perfects_that_name_no_issuer(text):
    assert _issuers(text) == set()


@pytest.mark.parametrize("text, expected", [
    ("Brookline Career School prepares students for NRCA's entry-level Certified Claims Intake Technician "
     "(CCIT).", {("ccit", "nrca")}),
    ("Clinics also list the CQPB, NRCA's physician-based coding credential.", {("cqpb", "nrca")}),
    ("Hospitals want the Certified Quality Inpatient Fellow (CQIF). They lean toward the CQIF, which NRCA "
     "offers for facility coding.", {("cqif", "nrca")}),
])
def test_an_undefined_acronym_issuer_before_modifiers_or_in_a_relative_clause(text, expected):
    """'NRCA's entry-level ...', 'NRCA's physician-based coding credential', ', which NRCA offers': only
    an issuer stands there, so the acronym is an organization and the credential is its."""
    assert _issuers(text) == expected
    assert "nrca" in _named(text, "Organization")


@pytest.mark.parametrize("text", [
    "NRCA's long-standing members often hold the Certified Quality Inpatient Fellow (CQIF).",
    "Hospitals want the Certified Quality Inpatient Fellow (CQIF). They book the CQIF, which NRCA delivers "
    "at test centers.",
])
def test_modifiers_or_relative_clauses_that_name_no_issuer(text):
    assert _issuers(text) == set()
    assert "nrca" not in _named(text, "Organization")


def test_a_glossary_entry_whose_body_certifies_people_through_the_term():
    text = ("- CPRS (Certified Payer Recovery Specialist): the Midwest Recovery Guild (MRG) certifies billers "
            "through this exam.\n"
            "- CDIT (Certified Denials Intake Technician): Pine County College (PCC) certifies that this program "
            "meets state rules.\n"
            "- CQAL (Certified Quality Audit Lead): the Harbor Testing Network (HTN) certifies proctors for "
            "the exam.\n")
    assert _issuers(text) == {("cprs", "mrg")}


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_name_broken_over_a_line_end_in_unwrapped_text(newline):
    """A short line ending in the first words of a name, the next opening with the rest and its acronym:
    one sentence, not a heading above another."""
    text = newline.join(["Coding news", "", "The Ohio Billing Board also grants the Certified",
                         "Revenue Integrity Lead (CRIL) to managers.", ""])
    assert _issuers(text) == {("cril", "ohio-billing-board")}


def test_a_heading_above_a_defined_name_stays_a_heading():
    from ingest.layout import parse_layout

    text = "Coding news\n\nNew This Year\nRevenue Integrity Lead (RIL) exams open in May.\n"
    kinds = [line.kind for line in parse_layout(text).lines if line.kind != "blank"]
    assert kinds[1] == "heading"


@pytest.mark.parametrize("text, expected", [
    ("The Ohio Billing Board (OBB) meets monthly. Many hold the OBB-issued Certified Payer Auditor (CPAU).",
     {("cpau", "obb")}),
    # a course the body sponsors, not the credential
    ("The Ohio Billing Board (OBB) meets monthly. Few take the OBB-sponsored Certified Payer Auditor (CPAU) "
     "review course.", set()),
    # approval is not issuing
    ("The Ohio Billing Board (OBB) meets monthly. Few take the OBB-approved Certified Payer Auditor (CPAU).",
     set()),
])
def test_a_body_hyphenated_to_a_verb_of_issuing(text, expected):
    assert _issuers(text) == expected
