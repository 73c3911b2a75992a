"""Word lists the extraction rules are written in.

These are the language of the rules (which words make a name an organization, which verbs
say who awards a credential), not facts about any document.
"""
from __future__ import annotations

# A capitalised name containing one of these is an organization: "National Commission for ...".
ORGANIZATION_HEADS = {
    "association", "academy", "bureau", "commission", "department", "council", "board", "institute",
    "society", "organization", "organisation", "agency", "administration", "alliance", "federation",
    "foundation", "college", "university", "center", "centre", "centers", "office", "committee",
    "network", "corporation", "inc", "llc", "group", "consortium", "league", "union", "registry",
    "accreditation", "services", "guild", "coalition", "partnership", "collaborative", "chapter",
}
# A name defined with an acronym and ending in one of these is an organization: "Great Lakes Regional
# Health (GLRH)", "Cumberland Valley Health System (CVHS)". Too common to type a bare capitalised name.
ORGANIZATION_TAILS = {"health", "healthcare", "hospital", "hospitals", "clinic", "clinics", "system", "systems",
                      "partners", "medicine", "physicians"}
# A credential name starts with one of these ...
CREDENTIAL_OPENERS = {"certified", "registered", "certificate", "credentialed", "licensed", "national", "chartered"}
# ... and ends with one of these (singular forms; plurals are matched too).
CREDENTIAL_TAILS = {
    "coder", "biller", "specialist", "associate", "technician", "technologist", "administrator", "auditor",
    "analyst", "professional", "manager", "practitioner", "officer", "expert", "assistant", "instructor",
    "abstractor", "consultant", "educator", "certification", "credential", "outpatient", "inpatient", "payer",
}
# A defined name opened by one of these is a credential whatever its last word ("Certified Medical
# Practice Executive (CMPE)", "Certification in Healthcare Revenue Integrity (CHRI)").
CREDENTIAL_PARTICIPLES = {"certified", "registered", "credentialed", "certification", "certificate", "licensed"}
REGULATION_HEADS = {"act", "law", "rule", "regulation", "regulations", "statute", "amendment", "code of federal regulations"}
CODE_SET_HEADS = {"classification", "terminology", "coding system", "code set", "codes", "nomenclature", "groups"}

# An acronym followed by one of these is an organization's: "Active WHIMA membership", "the AHIMA board" ...
MEMBERSHIP_NOUNS = ("membership", "members", "chapter", "conference", "annual meeting", "board")
# ... and so is one followed by one of these, its own name: "HCA Healthcare", "UPMC Health System" (longest first).
ACRONYM_ORGANIZATION_TAILS = ("Healthcare", "Health System", "Health", "Medical Center", "Hospital")

# Connectors allowed inside a capitalised name: "Bureau of Labor Statistics".
NAME_CONNECTORS = {"of", "for", "and", "&", "the", "on", "in", "de"}

# Role phrases: modifiers + head noun ("medical records technician", "billing manager").
ROLE_MODIFIERS = {
    "medical", "health", "healthcare", "billing", "coding", "records", "record", "information", "reimbursement",
    "insurance", "claims", "revenue", "cycle", "compliance", "clinical", "documentation", "office", "practice",
    "patient", "inpatient", "outpatient", "remote", "hospital", "physician", "coder", "biller", "and", "&",
    "senior", "lead", "certified", "entry-level", "professional",
}
ROLE_HEADS = {
    "specialist", "coder", "biller", "technician", "analyst", "manager", "supervisor", "auditor", "instructor",
    "professional", "administrator", "assistant", "clerk", "director", "consultant", "abstractor", "educator",
}
# Modifiers that make a phrase a domain role rather than any "office manager".
ROLE_DOMAIN_WORDS = {"billing", "coding", "records", "record", "reimbursement", "claims", "revenue", "coder",
                     "biller", "health", "documentation", "insurance", "compliance"}

# The noun an exam's name modifies when what is offered is training for it, not the exam: "CBCS exam
# preparation", "RHIT and RHIA exam-prep study groups".
TRAINING_NOUNS = {"prep", "preparation", "course", "courses", "class", "classes", "review", "reviews", "training",
                  "study", "boot", "bootcamp", "workshop", "workshops", "webinar", "webinars", "tutoring", "practice"}

# Who issues a credential.
ISSUE_VERBS_PASSIVE = {
    "offered", "awarded", "administered", "issued", "granted", "provided", "sponsored", "conferred", "given",
    "run", "managed", "maintained", "developed", "created", "bestowed", "governed", "overseen", "earned",
}
ISSUE_VERBS_ACTIVE = {
    "offers", "offer", "awards", "award", "administers", "administer", "issues", "issue", "grants", "grant",
    "provides", "provide", "sponsors", "sponsor", "confers", "confer", "maintains", "runs", "manages",
    "bestows", "governs", "oversees", "develops",
}
# Words that may stand between "offers" and the credentials it lists: "offers two entry-level credentials:"
LIST_MODIFIERS = {"two", "three", "four", "several", "various", "many", "multiple", "entry-level", "advanced",
                  "popular", "following", "national", "nationally", "recognized", "main", "key", "its", "own",
                  "well-known", "specialty", "core", "primary", "entry", "level", "well", "known"}
CREDENTIAL_NOUNS = {
    "credential", "credentials", "certification", "certifications", "certificate", "certificates", "exam", "exams",
    "examination", "examinations", "designation", "designations", "test", "tests", "program", "programs",
}
EXAM_NOUNS = {"exam", "exams", "examination", "examinations", "test", "tests", "certification", "certifications"}
EXAM_VERBS = {"set", "administered", "given", "offered", "run", "written", "proctored", "developed", "created"}
BE_WORDS = {"is", "are", "was", "were", "be", "been", "being"}
FILLER_WORDS = {"both", "also", "typically", "usually", "now", "all", "which", "that", "currently", "each",
                "respectively", "only", "generally", "commonly", "jointly"}
DETERMINERS = {"the", "its", "their", "an", "a"}
COORDINATORS = {"and", "or", ",", "&", "as", "well", "plus", "/"}

ACCREDIT_VERBS = {"accredited", "approved", "endorsed", "certified", "sanctioned"}
ACCREDITOR_GROUP_WORDS = {"several", "groups", "group", "organizations", "organisations", "bodies", "body",
                          "agencies", "agency", "reputable", "one", "of", "these", "including", "such", "as",
                          "like", "either", "recognized", "accrediting", "national", "associations", "association"}

# "According to the BLS", "the BLS projects ..."
SOURCE_VERBS = {"projects", "projected", "predicts", "predicted", "estimates", "estimated", "reports", "reported",
                "expects", "expected", "forecasts", "says", "notes", "shows", "found", "finds", "states"}

# Figures
# A figure said of the whole country: "the national median", "7% nationwide".
NATIONAL_WORDS = ("national", "nationwide", "nationally", "the nation", "the country", "countrywide", "across the us")
# Bodies whose figures, when the text names no place, are the whole country's: "the U.S. Bureau of Labor
# Statistics", "the BLS", "Federal data" (a regular expression over a mentioned organisation's names).
NATIONAL_BODY = r"\bU\.\s?S\.|\bUnited States\b|\bBureau of Labor Statistics\b|\bBLS\b|\bFederal\b"
# A table header that names more than one place beside a state: "Idaho vs. U.S.", "Idaho / Oregon", "Idaho and
# the nation" (a regular expression, case-insensitive).
BEYOND_ONE_STATE_HEADER = r"\bU\.?\s?S\.?(?!\w)|\bUnited States\b|\bnation|\bvs\.?(?!\w)|\bversus\b|,|/|\band\b"
# A location (a table cell, a list item) that is the whole country, in kg.vocabulary.normalize_name's form;
# the country's own names come from the vocabulary.
NATIONAL_LOCATIONS = {"national", "nationwide", "nation", "national average", "national median", "national total",
                      "u s average", "u s total", "united state total"}
PAY_WORDS = {"salary", "salaries", "wage", "wages", "pay", "pays", "paid", "earn", "earns", "earned", "earning", "earnings",
             "income", "make", "makes", "making", "compensation", "paying", "top-paying", "highest-paying"}
COST_WORDS = {"cost", "costs", "fee", "fees", "tuition", "price", "prices", "spend", "budget", "premium",
              "premiums", "loan", "loans", "scholarship", "exam fee", "charges", "charge", "dues"}
GROWTH_WORDS = {"grow", "grows", "growth", "growing", "increase", "increases", "increasing", "rise", "rises",
                "rising", "grew", "rose", "climb", "climbing",
                "expand", "expansion", "projected", "projection", "projects", "outlook", "decline", "declines",
                "decrease", "drop", "fall", "openings", "job", "jobs", "employment", "demand", "faster", "slower"}
DECLINE_WORDS = {"decline", "declines", "decrease", "decreases", "drop", "drops", "fall", "falls", "shrink",
                 "shrinks", "contract"}
EMPLOYMENT_WORDS = {"employed", "employ", "employs", "jobs", "workers", "employment", "positions", "work", "working"}
OPENINGS_WORDS = {"openings", "opening", "vacancies"}

# A figure's measure, from the words before it ("the median annual wage ... was $44,100").
MEASURE_CUES = [
    ("10th percentile", "percentile10"), ("25th percentile", "percentile25"), ("75th percentile", "percentile75"),
    ("90th percentile", "percentile90"), ("bottom 10", "percentile10"), ("top 10", "percentile90"),
    ("lowest 10", "percentile10"), ("highest 10", "percentile90"),
    ("median", "median"), ("mean", "mean"), ("average", "mean"), ("avg", "mean"),
    ("averaged", "mean"), ("averages", "mean"), ("averaging", "mean"),   # "coders there averaged $19.62 an hour"
]
# Table header words and the measure of their column.
COLUMN_MEASURES = {
    "low": "low", "lowest": "low", "minimum": "low", "min": "low", "entry": "low", "entry level": "low",
    "median": "median", "mean": "mean", "average": "mean", "avg": "mean",
    "high": "high", "highest": "high", "maximum": "high", "max": "high", "experienced": "high",
    "10th percentile": "percentile10", "10th": "percentile10", "25th percentile": "percentile25", "25th": "percentile25",
    "75th percentile": "percentile75", "75th": "percentile75", "90th percentile": "percentile90", "90th": "percentile90",
}
LOCATION_COLUMNS = {"location", "area", "region", "state", "city", "metro", "metro area", "metropolitan area",
                    "county", "place", "market", "name", "area name", "geography"}
PERIOD_COLUMNS = {"pay type", "period", "pay period", "type", "basis", "rate type", "unit"}
EMPLOYMENT_COLUMNS = {"employment", "employed", "jobs", "number employed", "workers", "total employment"}
# Headers of a table that pairs credentials with who issues them (regular expressions, case ignored):
# a column of credentials, a column of issuers, and a header naming any other role (a testing vendor, a
# school or course, a publisher, an employer that reimburses, an accreditor, a chapter that hosts
# reviews), which is never the issuer column even when it holds organizations (ingest.table_parser).
CREDENTIAL_HEADER = r"\b(?:credential|certification|certificate|designation|exam|acronym|abbreviation)s?\b"
ISSUER_HEADER = (r"\b(?:issu\w*|award\w*|grant\w*|offer\w*|administer\w*|sponsor\w*|certif(?:ying|ier)|"
                 r"confer\w*|organi[sz]ations?|bod(?:y|ies)|boards?|associations?|agenc(?:y|ies)|"
                 r"owners?|who)\b|^\s*(?:from|by|source)\s*$")
OTHER_ROLE_HEADER = (r"vendor|test(?:ing)?\b|proctor|deliver|prep|train|school|college|program|course|"
                     r"publish|guide|book|employ|reimburs|host|chapter|accredit|review|provider|site|"
                     r"partner|location|study|where|cost|fee|price|pay|wage|salary")
# Words of a table's labels that are never a place, however they are capitalised ("Median", "Hourly
# mean wage", "25th percentile", "Entry level"): a cell made of them only is a statistic, not a town.
NOT_PLACE_WORDS = (
    {word for cue, _ in MEASURE_CUES for word in cue.split()}
    | {word for label in COLUMN_MEASURES for word in label.split()}
    | {word for label in PERIOD_COLUMNS | EMPLOYMENT_COLUMNS for word in label.split()}
    | PAY_WORDS
    | {"hourly", "hour", "annual", "annually", "yearly", "year", "monthly", "weekly", "percentile", "percent",
       "wage", "estimate", "estimated", "range", "total", "statistic", "measure", "figure", "figures", "rate",
       "level", "all", "occupations", "other", "source", "note", "notes", "n", "a", "na", "not", "available"}
)
EXPERIENCE_CUES = {
    "entry-level": "entry-level", "entry level": "entry-level", "starting": "entry-level", "beginner": "entry-level",
    "beginning": "entry-level", "new graduates": "entry-level", "junior": "entry-level",
    "experienced": "experienced", "senior": "experienced", "veteran": "experienced", "seasoned": "experienced",
}
