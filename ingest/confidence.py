"""How much each rule is trusted: the `mbc:confidence` written on every claim it makes.

A confidence is the share of a rule's claims we expect to be right on documents it was not
written on, judged from the gold annotations (tests/gold/): 0.95 means about one in twenty could be
wrong, 0.7 about three in ten. They order claims (a SPARQL user can keep only the surer ones) and
are never used to decide whether a fact is asserted. Keys are the rule names written as
`mbc:extractor`.
"""
from __future__ import annotations

# Entity mentions (ingest.entities)
MENTIONS = {
    "vocabulary-name": 0.95,          # a full name the reference vocabulary knows
    "vocabulary-acronym": 0.9,        # an acronym it knows ("AHIMA")
    "acronym-definition": 0.9,        # "Certified Coding Specialist (CCS)", typed by its head words
    "acronym-definition-untyped-name": 0.75,
    "acronym-described": 0.75,        # "VHIMA, the state association": an unknown acronym an organization noun describes   # the same, typed only by the acronym's use elsewhere
    "defined-acronym": 0.85,
    # names found by language (ingest.entities.NamesByLanguage), whether or not the vocabulary knows them
    "acronym-definition-table": 0.85, # "| CFPC | Certified Family Practice Coder |": a row spells the acronym out
    "acronym-initials": 0.8,          # "Certified Emergency Department Coder" named in full, "CEDC" elsewhere
    "acronym-by-role": 0.8,           # "issued by NCCA": an undefined acronym where only an issuer stands
    "organization-by-head-noun": 0.75,  # "the Guild's exam" for the one guild the document names          # a later bare use of an acronym the document defined
    "capitalised-name": 0.8,          # "American Academy of Professional Coders" with no acronym
    "role-phrase": 0.8,               # "medical billing and coding specialists"
    "place-name": 0.9,                # "Stockton, CA MSA", a state named in full
    "state-abbreviation": 0.85,       # "CA" standing alone
    "place-in-list-or-table": 0.85,   # a place read from a list item or a table's location cell
}

# Relations between entities (ingest.relations)
RELATIONS = {
    "issuer-passive": 0.9,            # "X is offered by Y", "administered by"
    "issuer-from": 0.85,              # "the CPC from AAPC"
    "issuer-active": 0.9,             # "AHIMA awards the CCS"
    "issuer-genitive": 0.8,           # "AAPC's CPC"
    "issuer-relative": 0.85,          # "the CCS, which AHIMA confers"
    "issuer-predicate": 0.8,          # "the CPC, which is the AAPC one", "CPCO - an AAPC credential"
    "issuer-of": 0.85,
    "issuer-parenthesis": 0.8,        # "CPC (AAPC) or CCS-P (AHIMA) required"                # "the CRC, a credential of AAPC"
    "issuer-table": 0.9,
    "issuer-labelled-list": 0.8,      # "Who issues what:" then "AAPC: CPC, COC and CDEO"              # a row of a "Credential | Issuing body" table
    "definition-entry-issuer": 0.75,  # "CHDA: Certified Health Data Analyst; AHIMA." (a glossary entry about one credential)
    "issuer-exam": 0.75,              # "the exam is given by Y" about the one credential in the sentence
    "section-exam-issuer": 0.7,
    "issuer-term-entry": 0.85,
    "issuer-heading-list": 0.8,       # "## Credentials from the Guild", then items that each open with a credential        # a credential's term, then a description opening "Issued by Y" / "From Y"       # the body that sets a section's exam, for the credential the section is about
    "accreditor": 0.8,                # "programs accredited by CAHIIM"
}

# Figures (ingest.figures)
FIGURES = {
    "wage-sentence": 0.85, "wage-list-item": 0.85, "wage-table-row": 0.95,
    "growth-sentence": 0.85, "growth-table-row": 0.9, "openings-sentence": 0.8, "employment-sentence": 0.8,
    "employment-table-row": 0.9,
}
# A figure's region claim is as sure as the figure times how the place was found.
REGION_HOW = {"named": 1.0, "national-word": 0.95, "state-word": 0.9, "carried": 0.8, "document": 0.75,
              "national-source": 0.85}   # an unplaced figure credited to the BLS (national) or a state's agency

# Program durations (ingest.programs)
DURATIONS = {"program-duration": 0.8, "program-duration-adjective": 0.85}

# Whether a credential is required to work (ingest.requirements)
REQUIREMENTS = {
    "credential-not-required": 0.8,   # "certification is not mandatory in all states"
    "credential-required": 0.75,      # "you'll be legally required to pass one of the ... tests for certification"
}

# Occupation codes (ingest.occupations)
OCCUPATIONS = {
    "soc-code": 0.9,                  # "Medical Records Specialists (SOC 29-2072)": the role in the same unit
    "soc-code-nearby-role": 0.75,     # "SOC code: 29-2072" under a heading or in a block naming one role
}

# Graph-building rules (ingest.graph)
GRAPH = {
    "parent-of-named-place": 0.9,     # a state named only by a child place ("Stockton, CA MSA" names CA)
    "region-of-a-figure": 0.8,        # a region a figure is about, typed where the text only implies it
    "place-in-its-state": 0.95,       # a place whose name says its state ("Austin, TX")
    "place-in-document-state": 0.8,   # a place put in the state the document is about
    "program-in-general": 0.7,        # "attend training that is accredited by ...": the document's programs
}
