"""Relations between mentions: who issues a credential, who accredits programs.

Each token is tagged with the part it can play (a credential, an organization, "by",
"offered", "and", a dash, ...) and the patterns below are found over those tags (spaCy's token pattern
notation, matched by ingest.tokenpatterns):

  issuer, passive:   CERT [and CERT] [credentials are | -] offered|awarded|administered... by ORG [and ORG]
  issuer, "from":    CERT [and CERT] from ORG
  issuer, active:    ORG [, which] offers|awards|administers|issues [two popular credentials:] CERT [and CERT]
  issuer, perfect:   ORG has conferred|awarded... CERT
  issuer, compound:  the ORG-issued CERT
  issuer, genitive:  ORG's [entry-level] CERT | ORG's [risk-adjustment] credential, the CERT
  issuer, predicate: CERT, which is the ORG one | CERT - an ORG credential | the CCS, that's AHIMA's
  issuer, "of":      CERT, a credential of ORG
  issuer, in parentheses: CERT (ORG)
  issuer, through:   CERT through ORG   (not "through ORG's study group")
  issuer, exam:      (to earn) CERT ... an exam (offered) from|by ORG   (one credential in the sentence)
  issuer, section:   under a heading that names a credential, "the ORG exam" or "an exam set by ORG"
  accreditation:     ... accredited|approved by [groups such as] ORG [or ORG]
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from spacy.tokens import Doc

from ingest import lexicon
from ingest.confidence import RELATIONS
from ingest.entities import Mention
from ingest.table_parser import credential_column, issuer_column
from ingest.tokenpatterns import TokenPatterns

TAG_OF_KIND = {"Certification": "CERT", "Organization": "ORG", "EducationProgram": "PROG"}

WORD_TAGS = [
    ({"of"}, "OF"),
    ({"one", "ones"}, "ONE"),
    (lexicon.ISSUE_VERBS_PASSIVE, "PVERB"),
    (lexicon.ISSUE_VERBS_ACTIVE, "AVERB"),
    (lexicon.ACCREDIT_VERBS, "ACCR"),
    (lexicon.CREDENTIAL_NOUNS, "CNOUN"),
    (lexicon.BE_WORDS, "BE"),
    ({"comes", "come"}, "BE"),       # "the CHBME comes from the HBMA": a verb of origin stands where "is" would
    (lexicon.FILLER_WORDS, "FILL"),
    (lexicon.DETERMINERS, "DET"),
    (lexicon.COORDINATORS, "COORD"),
    (lexicon.ACCREDITOR_GROUP_WORDS, "GRP"),
    (lexicon.SOURCE_VERBS, "SVERB"),
    ({"by", "through", "via"}, "BY"),
    ({"from"}, "FROM"),
    ({"according"}, "ACC"),
    ({"to"}, "TO"),
    ({"'s", "\u2019s"}, "POSS"),
    ({"data", "figures", "statistics"}, "DATA"),
    ({"has", "have", "had"}, "HAVE"),
    ({"-", ";", ":"}, "DASH"),
    (lexicon.LIST_MODIFIERS, "QUANT"),
]


def _tag(value, op: str | None = None) -> dict:
    spec = {"_": {"rel": {"IN": value} if isinstance(value, list) else value}}
    if op:
        spec["OP"] = op
    return spec


PATTERNS = {
    "issuer-passive": [
        _tag("CERT", "+"), _tag(["CERT", "COORD", "DET", "CNOUN", "BE", "FILL", "DASH", "MOD", "SP"], "*"), _tag("PVERB"), _tag("BY"),
        _tag("DET", "?"), _tag("ORG", "+"), _tag(["ORG", "COORD", "DET"], "*"),
    ],
    "issuer-from": [
        _tag("CERT", "+"), _tag(["CERT", "COORD", "DET", "CNOUN", "FILL", "DASH", "BE", "MOD", "SP"], "*"), _tag(["FROM", "BY"]),
        _tag("DET", "?"), _tag("ORG", "+"), _tag(["ORG", "COORD", "DET"], "*"),
    ],
    "issuer-active": [
        _tag("ORG", "+"), _tag(["COORD", "FILL", "DET"], "*"), _tag("AVERB"),
        _tag(["DET", "CNOUN", "FILL", "QUANT", "DASH", "MOD", "SP", "COORD"], "*"),
        _tag("CERT", "+"), _tag(["CERT", "COORD", "DET", "CNOUN"], "*"),
    ],
    # "the Society has conferred the CPL": a perfect tense
    "issuer-perfect": [
        _tag("ORG", "+"), _tag(["COORD", "FILL"], "*"), _tag("HAVE"), _tag("FILL", "?"), _tag("PVERB"),
        _tag(["DET", "CNOUN", "FILL", "QUANT", "DASH", "MOD", "SP"], "*"),
        _tag("CERT", "+"), _tag(["CERT", "COORD", "DET", "CNOUN"], "*"),
    ],
    # "the OBB-issued CPAU": a body joined by a hyphen to a verb of issuing, before the credential
    "issuer-compound": [_tag("ORG", "+"), {"ORTH": "-"}, _tag("PVERB"), _tag("MOD", "*"), _tag("CERT", "+")],
    # "AAPC's CPC", "AHIMA's entry-level CCA", "AAPC's risk-adjustment credential, the CRC"
    "issuer-genitive": [_tag("ORG", "+"), _tag("POSS"), _tag("MOD", "*"), _tag("CNOUN", "?"), _tag("COORD", "?"),
                        _tag("DET", "?"), _tag("CERT", "+")],
    "issuer-relative": [
        _tag("CERT", "+"), _tag(["CERT", "COORD", "CNOUN"], "*"), _tag("FILL"), _tag("DET", "?"), _tag("ORG", "+"),
        _tag("FILL", "?"), _tag("AVERB"),
    ],
    "issuer-predicate": [
        _tag("CERT", "+"), _tag(["COORD", "DASH", "FILL", "BE", "DET"], "*"), _tag("ORG", "+"),
        _tag(["CNOUN", "ONE", "POSS"]),
    ],
    "issuer-of": [
        _tag("CERT", "+"), _tag(["COORD", "DASH", "FILL", "BE", "DET", "MOD"], "*"), _tag("CNOUN"), _tag("OF"),
        _tag("DET", "?"), _tag("ORG", "+"),
    ],
    "issuer-exam": [
        _tag("CERT", "+"), {"_": {"rel": {"NOT_IN": ["CERT", "ORG"]}}, "OP": "*"},
        {"LOWER": {"IN": sorted(lexicon.EXAM_NOUNS)}}, _tag("PVERB", "?"), _tag(["FROM", "BY"]), _tag("DET", "?"),
        _tag("ORG", "+"),
    ],
    # "CPC (AAPC) or CCS-P (AHIMA) required": a body in parentheses right after a credential, alone
    "issuer-parenthesis": [_tag("CERT", "+"), {"ORTH": "("}, _tag("ORG", "+"), {"ORTH": ")"}],
    "accreditor": [
        _tag("ACCR"), _tag("BY"), _tag(["DET", "GRP", "FILL", "OF", "ONE"], "*"), _tag("ORG", "+"), _tag(["ORG", "COORD", "DET"], "*"),
    ],
}
SOURCE_PATTERNS = {
    "source-according-to": [_tag("ACC"), _tag("TO"), _tag("DET", "?"), _tag("ORG", "+")],
    "source-data-from": [_tag("DATA"), _tag("FROM"), _tag("DET", "?"), _tag("ORG", "+")],
    "source-verb": [_tag("ORG", "+"), _tag("SVERB")],
}
CONFIDENCE = RELATIONS
_PRONOUNS = {"that", "it", "this", "which", "what", "there", "who", "he", "she"}


@dataclass
class Relation:
    subject: Mention | None      # None: the generic program the sentence is about
    predicate: str               # issuedBy | accreditedBy
    object: Mention
    unit: object
    extractor: str
    confidence: float


def tag_tokens(doc: Doc, mentions: list[Mention]) -> dict[int, Mention]:
    """Set token._.rel on every token; returns the mention covering each mention token."""
    covering: dict[int, Mention] = {}
    for token in doc:
        token._.rel = ""
        for words, tag in WORD_TAGS:
            if token.lower_ in words:
                token._.rel = tag
                break
        if token.is_space:
            token._.rel = "SP"        # a wrapped line's break inside a run of words the patterns repeat
        if not token._.rel and token.like_num:
            token._.rel = "QUANT"     # "offers two credentials: ..."
        if token._.rel == "POSS" and token.i > 0 and doc[token.i - 1].lower_ in _PRONOUNS:
            token._.rel = "BE"        # "that's AHIMA's", "it's from AMBA": the clitic is "is"
    _tag_compound_modifiers(doc)
    for token in doc:
        if token._.rel == "CNOUN":
            _tag_noun_modifiers(doc, token)
    for mention in mentions:
        tag = TAG_OF_KIND.get(mention.kind)
        span = doc.char_span(mention.nstart, mention.nend, alignment_mode="expand")
        if span is None:
            continue
        for token in span:
            covering[token.i] = mention
            if tag:
                token._.rel = tag
    return covering


def _tag_compound_modifiers(doc: Doc) -> None:
    """'entry-level', 'physician-based', 'risk-adjustment': lower-case words joined by hyphens, written
    without spaces, modify the noun or name after them (spaCy makes each word and hyphen a token)."""
    index = 0
    while index < len(doc):
        run = [doc[index]]
        while run[-1].i + 2 < len(doc) and not run[-1].whitespace_ and doc[run[-1].i + 1].text == "-" \
                and not doc[run[-1].i + 1].whitespace_:
            run += [doc[run[-1].i + 1], doc[run[-1].i + 2]]
        words = run[::2]
        if len(words) >= 2 and all(w.is_alpha and w.is_lower and w._.rel in ("", "QUANT", "MOD") for w in words):
            for token in run:
                token._.rel = "MOD"
        index = run[-1].i + 1


def _tag_noun_modifiers(doc: Doc, noun) -> None:
    """'a regional credential', 'AAPC's compliance officer credential', 'the auditing credential':
    lower-case words before a credential noun modify it (at most three; a verb-like "-ed"/"-ing" word,
    which could open another clause, only right after a determiner: "the auditing credential")."""
    words = [t for t in reversed(doc[max(0, noun.i - 8):noun.i]) if not t.is_space]
    taken = 0
    for position, previous in enumerate(words):
        if previous._.rel == "MOD":
            continue                  # a hyphenated compound, tagged already
        if taken == 3 or previous._.rel not in ("", "QUANT", "GRP") or not (previous.is_alpha and previous.is_lower):
            break
        if previous.lower_.endswith(("ed", "ing")):
            following = words[position + 1] if position + 1 < len(words) else None
            if following is None or following._.rel != "DET":
                break
        previous._.rel = "MOD"
        taken += 1


# Runs of extra whitespace (spaCy makes them tokens; markdown emphasis and wrapped lines leave them) may
# sit anywhere in a match. Matched in linear time (ingest.tokenpatterns: spaCy's Matcher is quadratic on
# runs of tokens a pattern repeats over, "& & & ...").
_ISSUER_MATCHER = TokenPatterns(PATTERNS, skip_spaces=True)
_SOURCE_MATCHER = TokenPatterns(SOURCE_PATTERNS, skip_spaces=True)


def _mentions_in(covering: dict[int, Mention], start: int, end: int, kind: str) -> list[Mention]:
    seen: list[Mention] = []
    for index in range(start, end):
        mention = covering.get(index)
        if mention is not None and mention.kind == kind and mention not in seen:
            seen.append(mention)
    return seen


def _first_tag(doc: Doc, start: int, end: int, tags: set[str]) -> int:
    return next(i for i in range(start, end) if doc[i]._.rel in tags)


def _same_unit(mentions: list[Mention]) -> bool:
    return len({id(m.unit) for m in mentions}) == 1


def find_relations(doc: Doc, covering: dict[int, Mention], mentions: list[Mention],
                   units_by_section: dict[str, list], heading_units: list,
                   unit_spans: list | None = None, passages: list | None = None) -> list[Relation]:
    """Relations in a document whose tokens tag_tokens() has tagged."""
    relations: list[Relation] = []
    seen: set[tuple] = set()
    for rule, start, end in _ISSUER_MATCHER(doc):
        if rule == "accreditor":
            relations.extend(_accreditation(doc, covering, start, end))
            continue
        pivot_tags = {"issuer-passive": {"BY"}, "issuer-from": {"FROM", "BY"}, "issuer-active": {"AVERB"}, "issuer-perfect": {"PVERB"}, "issuer-compound": {"PVERB"},
                      "issuer-genitive": {"POSS"}, "issuer-relative": {"FILL"}, "issuer-exam": {"FROM", "BY"},
                      "issuer-predicate": {"ORG"}, "issuer-of": {"OF"}, "issuer-parenthesis": {"ORG"}}[rule]
        pivot = _first_tag(doc, start, end, pivot_tags)
        if rule in ("issuer-active", "issuer-perfect", "issuer-compound", "issuer-genitive"):
            organizations = _mentions_in(covering, start, pivot, "Organization")
            certifications = _mentions_in(covering, pivot, end, "Certification")
        else:
            certifications = _mentions_in(covering, start, pivot, "Certification")
            organizations = _mentions_in(covering, pivot, end, "Organization")
        if rule not in ("issuer-active", "issuer-perfect", "issuer-compound", "issuer-genitive"):
            certifications = _subjects_of_clause(doc, certifications, pivot)
        if rule == "issuer-exam" and len({c.key for c in certifications}) != 1:
            continue   # "the CPC and the CCS both need an exam from ..." does not say whose exam
        if rule == "issuer-genitive" and not _genitive_names_the_credential(doc, start, end):
            continue   # "AAPC's members, the CPC holders": only a credential noun stands before a comma
        if rule == "issuer-active" and not _apposition_before_credential(doc, pivot, end):
            continue   # "AHIMA offers a credential, and ..."
        if rule in ("issuer-active", "issuer-perfect", "issuer-compound") and _training_after(doc, end):
            continue   # "Pima Medical Institute offers CBCS exam preparation": it offers a course, not the credential
        if rule == "issuer-predicate" and not _ends_predicate(doc, end):
            continue   # "the CPC, the AMA's CPT code set ...": the possessive governs another noun
        if _possessive_after(doc, end) and rule in ("issuer-from", "issuer-passive", "issuer-of"):
            continue   # "the CCS through VHIMA's study group": the group, not VHIMA, is what the CCS is through
        for certification in certifications:
            for organization in organizations:
                if not _same_unit([certification, organization]):
                    continue
                key = (certification.key, organization.key, id(certification.unit))
                if key in seen:
                    continue
                seen.add(key)
                relations.append(Relation(certification, "issuedBy", organization, certification.unit, rule,
                                          CONFIDENCE[rule]))
    relations.extend(_section_exam_issuers(doc, covering, mentions, units_by_section, heading_units, seen))
    relations.extend(_term_entry_issuers(doc, covering, mentions, units_by_section, heading_units,
                                         unit_spans or [], seen))
    relations.extend(_issuer_heading_lists(doc, mentions, units_by_section, heading_units, unit_spans or [], seen))
    relations.extend(_definition_entry_issuers(doc, mentions, unit_spans or [], passages or [], seen))
    relations.extend(_labelled_list_issuers(doc, mentions, unit_spans or [], seen))
    return relations


# "CPC: Certified Professional Coder, issued by AAPC ...", "CHDA - Certified Health Data Analyst; AHIMA."
_ENTRY = re.compile(r"^(?P<term>[^:;()]{1,40}?(?:\([^()]{1,80}\))?)\s*(?::|\s[-\u2013\u2014]\s)\s*(?P<description>\S.*)$",
                    re.DOTALL)
_NEGATION = {"not", "n't", "never", "no"}


def _definition_entry_issuers(doc: Doc, mentions: list[Mention], unit_spans: list, passages: list,
                              seen: set[tuple]) -> list[Relation]:
    """A glossary entry whose term is one credential names its issuer anywhere in the description:
    "issued by AAPC after a four-hour exam", "Also from AAPC", "AHIMA awards it", "...; AHIMA.".
    Only when the description names no other credential and exactly one organization in those ways."""
    by_unit: dict[int, list[Mention]] = {}
    doc_text = doc.text     # Doc.text joins every token on each access: read once, not once per unit
    for mention in mentions:
        by_unit.setdefault(id(mention.unit), []).append(mention)
    relations = []
    for line in _lines_of(unit_spans):
        unit, (start, _) = line[0]
        end = line[-1][1][1]
        if unit.kind in ("heading", "title", "table_header", "table_row"):
            continue
        entry = _ENTRY.match(doc_text[start:end])
        if entry is None:
            continue
        split = start + entry.start("description")
        here = [m for u, _ in line for m in by_unit.get(id(u), [])]
        term = [m for m in here if m.nstart < split]
        if not term or any(m.kind != "Certification" for m in term) or len({m.key for m in term}) != 1:
            continue
        certification = term[0]
        label = (certification.canonical_name or "").lower()
        others = [m for m in here if m.nstart >= split and m.kind == "Certification" and m.key != certification.key
                  and not (m.acronym is None and label.startswith(m.name.lower()))]
        if others:
            continue
        tokens = [t for t in doc.char_span(split, end, alignment_mode="expand") if not t.is_space]
        named = _entry_issuers(tokens, [m for m in here if m.nstart >= split and m.kind == "Organization"], doc)
        if len({m.key for m in named}) != 1:
            continue
        evidence = unit if named[0].unit is unit else _spanning(unit, named[0].unit, passages)
        key = (certification.key, named[0].key, id(unit))
        if evidence is None or key in seen:
            continue
        seen.add(key)
        relations.append(Relation(certification, "issuedBy", named[0], evidence, "definition-entry-issuer",
                                  CONFIDENCE["definition-entry-issuer"]))
    return relations


_ISSUING_WORDS = lexicon.ISSUE_VERBS_ACTIVE | lexicon.ISSUE_VERBS_PASSIVE | {"issuer", "issuers", "issuing"}


def _labelled_list_issuers(doc: Doc, mentions: list[Mention], unit_spans: list, seen: set[tuple]) -> list[Relation]:
    """'Here is who issues what:' then '* AAPC: CPC, COC, CRC and CDEO': a list item labelled with an
    organization lists its credentials, when the list's lead-in speaks of issuing."""
    by_unit: dict[int, list[Mention]] = {}
    doc_text = doc.text     # Doc.text joins every token on each access: read once, not once per unit
    for mention in mentions:
        by_unit.setdefault(id(mention.unit), []).append(mention)
    lead_words: dict[int, set[str]] = {}
    for unit, (start, end) in unit_spans:
        if unit.kind == "sentence":
            lead_words.setdefault(unit.block, set()).update(re.findall(r"[a-z]+", doc_text[start:end].lower()))
    relations = []
    for unit, (start, end) in unit_spans:
        if unit.kind != "list_item" or not lead_words.get(unit.block, set()) & _ISSUING_WORDS:
            continue
        here = sorted(by_unit.get(id(unit), []), key=lambda m: m.nstart)
        if not here or here[0].kind != "Organization" or here[0].nstart != start:
            continue
        if not re.match(r"\s*:", doc_text[here[0].nend:end]):
            continue
        organization = here[0]
        rest = here[1:]
        if any(m.kind == "Organization" and m.key != organization.key for m in rest):
            continue
        for certification in (m for m in rest if m.kind == "Certification"):
            key = (certification.key, organization.key, id(unit))
            if key in seen:
                continue
            seen.add(key)
            relations.append(Relation(certification, "issuedBy", organization, unit, "issuer-labelled-list",
                                      CONFIDENCE["issuer-labelled-list"]))
    return relations


def _lines_of(unit_spans: list) -> list[list]:
    """Units grouped by the line they are on: a glossary entry's description may run to several sentences."""
    lines: dict[tuple[int, int], list] = {}
    for unit, span in unit_spans:
        lines.setdefault((unit.block, unit.line_start), []).append((unit, span))
    return list(lines.values())


def _spanning(first, last, passages: list):
    """One unit from the start of `first` to the end of `last` (sentences of one line), when one passage holds it."""
    start, end = first.start, last.end
    if not any(p.start <= start and end <= p.end for p in passages):
        return None
    return replace(first, end=end)


_CERTIFYING_VERBS = {"certifies", "certify", "credentials"}


def _takes_up_the_term(words: list[str]) -> bool:
    """'billers through this exam', 'coders with it': the clause speaks of the entry's credential again."""
    for index, word in enumerate(words):
        if word in ("it", "them"):
            return True
        if word == "this" and index + 1 < len(words) and words[index + 1] in lexicon.CREDENTIAL_NOUNS:
            return True
    return False


def _entry_issuers(tokens: list, organizations: list[Mention], doc: Doc) -> list[Mention]:
    found = []
    for organization in organizations:
        span = doc.char_span(organization.nstart, organization.nend, alignment_mode="expand")
        index = next((i for i, t in enumerate(tokens) if t.i == span.start), None)
        last = next((i for i, t in enumerate(tokens) if t.i == span.end - 1), None)
        if index is None or last is None:
            continue
        before = [t for t in tokens[max(0, index - 3):index] if t._.rel != "DET"]
        after = tokens[last + 1:]
        clause = []
        for token in after:
            if token.is_punct:
                break
            clause.append(token.lower_)
        if set(clause) & _NEGATION:
            continue      # "AzHIMA ... is not a certifying body"
        by_verb = len(before) >= 2 and before[-1]._.rel in ("BY", "FROM") and before[-2]._.rel == "PVERB"
        # "Also from AAPC", ", from the NHA" (not "guidance from the OIG"): "from" opens its clause
        from_org = bool(before) and before[-1]._.rel == "FROM" and (
            len(before) < 2 or before[-2].is_punct or before[-2]._.rel in ("FILL", "DASH", "COORD"))
        awards_it = len(after) >= 2 and after[0]._.rel == "AVERB" and after[1].lower_ in ("it", "them", "this")
        # "AMBA certifies billers through this exam": the verb of certifying people, then the entry's
        # credential taken up again
        awards_it = awards_it or (len(after) >= 3 and after[0].lower_ in _CERTIFYING_VERBS
                                  and after[1].lower_ != "that" and _takes_up_the_term(clause[1:]))
        bare = bool(before) and before[-1].text == ";" and (not after or after[0].text in (".", ";"))
        if by_verb or from_org or awards_it or bare:
            found.append(organization)
    return found


def _possessed(doc: Doc, mention: Mention) -> bool:
    """'AHIMA's CDIP': a credential its text already gives to an organization."""
    span = doc.char_span(mention.nstart, mention.nend, alignment_mode="expand")
    before = [t for t in doc[max(0, span.start - 3):span.start] if not t.is_space]
    return len(before) >= 2 and before[-1]._.rel == "POSS" and before[-2]._.rel == "ORG"


def _subjects_of_clause(doc: Doc, certifications: list[Mention], pivot: int) -> list[Mention]:
    """The credentials a passive or predicate clause is about. 'AHIMA's CDIP or the CCDS, which is
    administered by ACDIS': a relative clause with a singular verb is about the last credential only,
    and a credential already possessed by another organization is not re-assigned."""
    kept = [c for c in certifications if not _possessed(doc, c)]
    if len(kept) < 2:
        return kept
    last = doc.char_span(kept[-1].nstart, kept[-1].nend, alignment_mode="expand")
    between = [t.lower_ for t in doc[last.end:pivot] if not t.is_space]
    for index, word in enumerate(between[:-1]):
        if word in ("which", "that") and between[index + 1] in ("is", "was", "'s", "\u2019s", "has"):
            return kept[-1:]
    return kept


def _training_after(doc: Doc, end: int) -> bool:
    """The noun the credential modifies: 'CBCS exam preparation', 'RHIT and RHIA exam-prep study groups'."""
    for token in doc[end:end + 5]:
        if token.is_space or token._.rel == "CNOUN" or token.text == "-":
            continue
        if token.lower_ in lexicon.TRAINING_NOUNS:
            return True
        if token.is_punct or not (token.is_alpha and token.is_lower):
            return False
    return False


def _apposition_before_credential(doc: Doc, pivot: int, end: int) -> bool:
    """'administers a new designation, the CDRA': between the verb and its first credential, a coordinator
    only as the comma of an apposition (a credential noun before it, nothing but "the" after it)."""
    words = [t for t in doc[pivot + 1:end] if not t.is_space]
    first = next((i for i, t in enumerate(words) if t._.rel == "CERT"), len(words))
    between = words[:first]
    for index, word in enumerate(between):
        if word._.rel != "COORD":
            continue
        if word.text != "," or index == 0 or between[index - 1]._.rel != "CNOUN" \
                or any(t._.rel != "DET" for t in between[index + 1:]):
            return False
    return True


def _genitive_names_the_credential(doc: Doc, start: int, end: int) -> bool:
    """'AAPC's risk-adjustment credential, the CRC': a coordinator after the possessive only where a
    credential noun stands before it (an apposition), never 'AAPC's, the CPC' or 'AAPC's and the CPC'."""
    tags = [t._.rel for t in doc[start:end] if not t.is_space]
    if "COORD" not in tags:
        return True
    at = tags.index("COORD")
    return doc[start:end].text.count(",") == 1 and at > 0 and tags[at - 1] == "CNOUN" and \
        [t for t in doc[start:end] if t._.rel == "COORD"][0].text == ","


def _possessive_after(doc: Doc, end: int) -> bool:
    following = [t for t in doc[end:end + 2] if not t.is_space]
    return bool(following) and following[0]._.rel == "POSS"


def _ends_predicate(doc: Doc, end: int) -> bool:
    """'... the AAPC one', '... an AHIMA credential', or a bare possessive that ends the clause: "AHIMA's."."""
    if doc[end - 1]._.rel != "POSS":
        return True
    following = [t for t in doc[end:end + 4] if not t.is_space]
    if not following or following[0].is_punct or following[0]._.rel in ("CNOUN", "COORD", "FILL"):
        return True
    # "AAPC's billing credential", "AAPC's inpatient facility credential", "PAC's senior-level review
    # credential": modifiers (a hyphenated compound among them), then the noun
    following = [t for t in doc[end:end + 10] if not t.is_space]
    words = 0
    for token in following:
        if token._.rel == "CNOUN":
            return True
        if token._.rel == "MOD" and token.text == "-":
            words -= 1         # "senior-level": a compound is one modifier
            continue
        words += 1
        if words > 3 or not (token.is_alpha and token.is_lower and token._.rel in ("", "MOD")):
            return False
    return False


def _accreditation(doc: Doc, covering, start: int, end: int) -> list[Relation]:
    organizations = _mentions_in(covering, start, end, "Organization")
    if not organizations:
        return []
    unit = organizations[0].unit
    programs = [m for m in covering.values() if m.kind == "EducationProgram" and m.unit is unit]
    subjects = list(dict.fromkeys(programs)) or [None]
    if subjects == [None] and not _mentions_training(doc, unit, organizations[0]):
        return []
    return [Relation(program, "accreditedBy", organization, unit, "accreditor", CONFIDENCE["accreditor"])
            for program in subjects for organization in organizations if organization.unit is unit]


def _mentions_training(doc: Doc, unit, organization: Mention) -> bool:
    sentence = doc.char_span(organization.nstart, organization.nend, alignment_mode="expand")
    words = {t.lower_ for t in doc[max(0, sentence.start - 30):sentence.start]}
    return bool(words & {"training", "program", "programs", "course", "courses", "school", "schools"})


def _section_exam_issuers(doc: Doc, covering, mentions: list[Mention], units_by_section, heading_units,
                          seen: set[tuple]) -> list[Relation]:
    """Under a heading that is a credential's name, "pass the AHIMA exam" says who sets its exam."""
    relations = []
    for heading in heading_units:
        names = [m for m in mentions if m.kind == "Certification" and m.unit is heading]
        if len(names) != 1:
            continue
        certification = names[0]
        for unit in units_by_section.get(heading.section, []):
            for organization in (m for m in mentions if m.kind == "Organization" and m.unit is unit):
                if not _names_an_exam(doc, organization):
                    continue
                key = (certification.key, organization.key, id(unit))
                if key in seen:
                    continue
                seen.add(key)
                relations.append(Relation(certification, "issuedBy", organization, unit, "section-exam-issuer",
                                          CONFIDENCE["section-exam-issuer"]))
    return relations


def _term_entry_issuers(doc: Doc, covering, mentions: list[Mention], units_by_section, heading_units,
                        unit_spans: list, seen: set[tuple]) -> list[Relation]:
    """A term that is one credential's name, then a description whose first sentence has no subject of
    its own: "COSC (Certified Orthopaedic Surgery Coder)" then ":   Issued by AAPC." (a markdown
    definition list), "Also issued by ...", "Awarded by the Board ...", "From the Association ...".
    The sentence must open with the issuing words (after a ':' or a bullet), so that a body named later
    in the description ("Pelican State Home Health reimburses the exam") is never taken."""
    spans = {id(unit): span for unit, span in unit_spans}
    relations = []
    for heading in heading_units:
        here = [m for m in mentions if m.unit is heading]
        section = units_by_section.get(heading.section, [])
        if len(here) != 1 or here[0].kind != "Certification" or not section or id(section[0]) not in spans:
            continue
        first = section[0]
        window = doc.char_span(*spans[id(first)], alignment_mode="expand")
        tokens = [t for t in window if not t.is_space][:12] if window is not None else []
        while tokens and tokens[0].text in (":", "-", "*", "\u2022", ">", "\u2013", "\u2014"):
            tokens = tokens[1:]
        if tokens and tokens[0].lower_ in ("also", "both"):
            tokens = tokens[1:]
        if len(tokens) >= 3 and tokens[0]._.rel == "PVERB" and tokens[1]._.rel == "BY":
            tokens = tokens[2:]
        elif len(tokens) >= 2 and tokens[0]._.rel == "FROM":
            tokens = tokens[1:]
        else:
            continue
        if tokens and tokens[0]._.rel == "DET":
            tokens = tokens[1:]
        organization = covering.get(tokens[0].i) if tokens else None
        if organization is None or organization.kind != "Organization":
            continue
        end = doc.char_span(organization.nstart, organization.nend, alignment_mode="expand").end
        if _possessive_after(doc, end):
            continue   # "From AHIMA's partner ...": the partner, not AHIMA
        key = (here[0].key, organization.key, id(first))
        if key in seen:
            continue
        seen.add(key)
        relations.append(Relation(here[0], "issuedBy", organization, first, "issuer-term-entry",
                                  CONFIDENCE["issuer-term-entry"]))
    return relations


_HEADING_WORDS = (lexicon.CREDENTIAL_NOUNS - lexicon.EXAM_NOUNS | {"certification", "certifications"}) \
    | lexicon.LIST_MODIFIERS | lexicon.ISSUE_VERBS_PASSIVE | {"from", "by", "of", "'s", "\u2019s", "and", "&"}


def _issuer_heading_lists(doc: Doc, mentions: list[Mention], units_by_section, heading_units, unit_spans: list,
                          seen: set[tuple]) -> list[Relation]:
    """'## AAPC specialty credentials' or '## Credentials offered by the Guild', then list items that each
    open with one credential: the heading names who issues them. The heading must say nothing but the
    body, credential nouns, modifiers and issuing words ("Exams proctored by X", "Courses at X" never
    qualify), and an item that names any organization is left alone (it may name its own issuer)."""
    spans = {id(unit): span for unit, span in unit_spans}
    doc_text = doc.text     # Doc.text joins every token on each access: read once, not once per unit
    relations = []
    for heading in heading_units:
        here = [m for m in mentions if m.unit is heading]
        if len(here) != 1 or here[0].kind != "Organization" or id(heading) not in spans:
            continue
        organization = here[0]
        words = [t for t in doc.char_span(*spans[id(heading)], alignment_mode="expand") or []
                 if not t.is_space and not t.is_punct or t.text in ("'s", "\u2019s")]
        rest = [t.lower_ for t in words if not (organization.nstart <= t.idx < organization.nend)]
        rest = [w for w in rest if w not in lexicon.DETERMINERS and not w.startswith("#")]
        if not rest or not set(rest) <= _HEADING_WORDS or not set(rest) & {"credential", "credentials",
                                                                             "certification", "certifications",
                                                                             "designation", "designations"}:
            continue
        for unit in units_by_section.get(heading.section, []):
            if unit.kind != "list_item" or id(unit) not in spans:
                continue
            inside = sorted((m for m in mentions if m.unit is unit), key=lambda m: m.nstart)
            start = spans[id(unit)][0]
            if not inside or inside[0].kind != "Certification" or any(m.kind == "Organization" for m in inside):
                continue
            if doc_text[start:inside[0].nstart].strip(" -*\u2022\t") != "":
                continue   # the item must open with the credential
            if _names_someone(doc_text[inside[0].nend:spans[id(unit)][1]]):
                continue   # "...: Mercy Labs (ML) pays for the exam": a name no rule typed is still a name
            key = (inside[0].key, organization.key, id(unit))
            if key in seen:
                continue
            seen.add(key)
            relations.append(Relation(inside[0], "issuedBy", organization, unit, "issuer-heading-list",
                                      CONFIDENCE["issuer-heading-list"]))
    return relations


def _names_someone(text: str) -> bool:
    """A defined acronym "(ABC)" or a run of two capitalised words past the first word of a sentence."""
    if re.search(r"\([A-Z][A-Za-z&\-]{1,10}\)", text):
        return True
    return re.search(r"(?<![.:!?]\s)(?<!^)\b[A-Z][a-z]+\s+[A-Z][a-z]+", text.strip(" :,-\u2013\u2014")) is not None


def _names_an_exam(doc: Doc, organization: Mention) -> bool:
    """'the AHIMA exam' or 'an examination set by AHIMA'."""
    span = doc.char_span(organization.nstart, organization.nend, alignment_mode="expand")
    after = doc[span.end].lower_ if span.end < len(doc) else ""
    if after in lexicon.EXAM_NOUNS:
        return True
    before = [t.lower_ for t in doc[max(0, span.start - 4):span.start]]
    before = [w for w in before if w not in lexicon.DETERMINERS]
    return len(before) >= 3 and before[-1] == "by" and before[-2] in lexicon.EXAM_VERBS and before[-3] in lexicon.EXAM_NOUNS


def find_table_issuers(tables: dict, mentions: list[Mention]) -> list[Relation]:
    """A table with a credential column and an issuer column (ingest.table_parser.issuer_column: "Credential |
    Issuing body", "Credential | Awarded by", "Acronym | Full name | Organization"): each row pairs its one
    credential with its one organization. Without a credential header, the column where most rows hold
    one credential is the credential column."""
    relations = []
    for table in tables.values():
        headers = [column.header for column in table.columns]
        issuer = issuer_column(headers)
        if issuer is None:
            continue
        credential = credential_column(headers, issuer)
        if credential is None:
            credential = _credential_column_by_content(table, mentions, issuer)
        if credential is None:
            continue
        for _, row in table.rows:
            if row is None or len(row.cell_spans) <= max(issuer, credential):
                continue
            certifications = _mentions_within(mentions, row.cell_spans[credential], "Certification")
            organizations = _mentions_within(mentions, row.cell_spans[issuer], "Organization")
            if len({m.key for m in certifications}) != 1 or len({m.key for m in organizations}) != 1:
                continue   # "AAPC or AHIMA" in one cell does not say which
            relations.append(Relation(certifications[0], "issuedBy", organizations[0], certifications[0].unit,
                                      "issuer-table", CONFIDENCE["issuer-table"]))
    return relations


def _credential_column_by_content(table, mentions: list[Mention], issuer: int) -> int | None:
    rows = [row for _, row in table.rows if row is not None and row.cell_spans]
    for index in range(len(table.columns)):
        if index == issuer:
            continue
        holding = sum(1 for row in rows if len(row.cell_spans) > index
                      and len({m.key for m in _mentions_within(mentions, row.cell_spans[index], "Certification")}) == 1)
        if rows and holding * 2 > len(rows):
            return index
    return None


def _mentions_within(mentions: list[Mention], span: tuple[int, int], kind: str) -> list[Mention]:
    return [m for m in mentions if m.kind == kind and span[0] <= m.start and m.end <= span[1]]


def find_sources(doc: Doc, covering: dict[int, Mention]) -> dict[int, list[tuple[Mention, str]]]:
    """Organizations credited for figures, by the id of their unit: 'according to the BLS'."""
    sources: dict[int, list[tuple[Mention, str]]] = {}
    for rule, start, end in _SOURCE_MATCHER(doc):
        for organization in _mentions_in(covering, start, end, "Organization"):
            entry = (organization, rule)
            bucket = sources.setdefault(id(organization.unit), [])
            if all(existing[0] is not organization for existing in bucket):
                bucket.append(entry)
    return sources
