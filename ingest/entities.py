"""Entity mentions: certifications, organizations, code sets, laws, roles, regions, programs.

Four rules find candidates, then the longest non-overlapping ones win:
1. the vocabulary ruler (known names and acronyms, any case for names, exact case for acronyms);
2. acronym definitions, "Certified Something Specialist (CSS)" and "ICD-10 (International
   Classification of Diseases)", found with the Schwartz-Hearst algorithm and typed by the head
   words of the long form, so credentials and bodies the vocabulary has never heard of are found;
3. capitalised names whose head word gives their type ("... Association", "Certified ... Coder",
   "... Act"), and role phrases ("medical records technicians", "billing manager");
4. places whose names have a recognisable form ("Stockton, CA MSA", "the Los Angeles-Long
   Beach-Anaheim area of California") and state abbreviations of states the document names.
Acronyms a document defines are then found wherever else it uses them.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc, Span

from ingest import lexicon
from ingest.confidence import MENTIONS
from ingest.nlp import RULER_CLASSES
from ingest.table_parser import credential_column, issuer_column
from ingest.tokenpatterns import TokenPatterns
from ingest.places import Place, country_place, find_places_in_prose, state_place
from kg.namespaces import slug
from kg.vocabulary import REGION_CLASSES, Concept, Vocabulary, normalize_name, singular

ACRONYM_SHAPE = re.compile(r"^(?=(?:.*[A-Z]){2})[A-Z][A-Za-z0-9&/\-.*]{1,11}$")

CONFIDENCE = MENTIONS


@dataclass
class Candidate:
    nstart: int
    nend: int
    kind: str
    extractor: str
    priority: int
    name: str
    acronym: str | None = None
    concept: Concept | None = None
    place: Place | None = None


@dataclass(eq=False)
class Mention:
    kind: str               # Certification | Organization | CodeSet | Regulation | Role | Region | EducationProgram
    key: str                # canonical key; kg.namespaces.entity_iri(kind, key) is the entity's IRI
    name: str               # the name as written (the long form of "Name (ACR)")
    acronym: str | None
    start: int              # document offsets of the whole mention
    end: int
    nstart: int             # the same span in the normalized text
    nend: int
    unit: object            # ingest.segments.Unit holding the mention
    extractor: str
    confidence: float
    concept: Concept | None = None
    place: Place | None = None
    canonical_name: str | None = None
    aliases: list[str] = field(default_factory=list)

    @property
    def region_class(self) -> str | None:
        return self.place.region_class if self.place else None


# ---------------------------------------------------------------- typing by head words

def _words(name: str) -> list[str]:
    return [w for w in re.split(r"[\s\-/]+", name.lower()) if w]


def type_of_defined_name(name: str) -> str | None:
    """The kind of a name the text defines with an acronym: its grammar first (below), then its head
    words, else an organization's closing word ("... Regional Health (GLRH)")."""
    typed = _type_by_grammar(name) or type_by_heads(name)
    words = name.split()
    if typed is None and len(words) >= 2 and singular(words[-1].lower()) in lexicon.ORGANIZATION_TAILS:
        return "Organization"
    if typed is None:
        stripped = _DASHED_QUALIFIER.sub("", name)
        if stripped != name and len(stripped.split()) >= 2:
            typed = type_by_heads(stripped)
    return typed


# "Specialist-Diagnosis", "Coder\u2013Payer": a qualifier joined to the head noun by a hyphen or dash; it
# does not change the head ("Home Care Coding Specialist-Diagnosis" is typed as "... Specialist")
_DASHED_QUALIFIER = re.compile(r"[\-\u2010-\u2014]\s*[A-Z][A-Za-z\-]*\s*$")


def _type_by_grammar(name: str) -> str | None:
    """Kinds a defined proper name's grammar gives:
    - opened by a credential participle or noun ("Certified ...", "Registered ...", "Certification
      in ...") and holding no organization noun, it names a credential whatever its last word
      ("Certified Medical Practice Executive", "Certified Professional in Healthcare Information and
      Management Systems");
    - headed by a plural person noun, it names the body of those people ("American Medical
      Technologists"); a credential is held by one person and is singular."""
    words = [w.strip(".,()") for w in name.split()]
    words = [w for w in words if w]
    if len(words) < 2 or not all(w[:1].isupper() or w.lower() in lexicon.NAME_CONNECTORS for w in words):
        return None
    lowered = [w.lower() for w in words]
    if lowered[0] in lexicon.CREDENTIAL_PARTICIPLES and not _has_organization_head(lowered):
        return "Certification"
    last = lowered[-1]
    if (singular(last) != last and singular(last).endswith(_PERSON_NOUN_ENDINGS)
            and lowered[0] not in lexicon.CREDENTIAL_OPENERS):
        return "Organization"
    return None


# agent nouns: "examiner", "technologist", "physician", "auditor", "consultant"
_PERSON_NOUN_ENDINGS = ("er", "or", "ist", "ian", "ant", "ent")


def _has_organization_head(lowered: list[str]) -> bool:
    return any(w in lexicon.ORGANIZATION_HEADS or singular(w) in lexicon.ORGANIZATION_HEADS for w in lowered)


def type_by_heads(name: str) -> str | None:
    """The kind a name's words give it, or None: 'Medical Association of Billers' -> Organization."""
    words = [singular(w.strip(".,()")) for w in _words(name)]
    if not words:
        return None
    joined = " ".join(words)
    credential_shaped = words[-1] in lexicon.CREDENTIAL_TAILS and len(words) >= 2
    if words[0] in ("certified", "registered", "credentialed", "licensed") and credential_shaped:
        return "Certification"
    if any(w in lexicon.ORGANIZATION_HEADS for w in words) or _has_organization_head(_words(name)):
        return "Organization"   # "Island Testing Services": "services" is a head, its singular is not
    if words[0] in lexicon.CREDENTIAL_OPENERS and credential_shaped:
        return "Certification"
    if words[-1] in lexicon.REGULATION_HEADS:
        return "Regulation"
    if any(joined.endswith(head) for head in lexicon.CODE_SET_HEADS):
        return "CodeSet"
    if words[-1] in lexicon.CREDENTIAL_TAILS and len(words) >= 2:
        # "Insurance and Coding Specialist (NCICS)": a job-title-like name with an acronym is a credential
        return "Certification"
    return None


# ---------------------------------------------------------------- Schwartz-Hearst

def initials_long_form(short: str, long: str) -> str | None:
    """The shortest tail of `long` whose word initials spell `short` in order, skipping small words:
    'Commission of Accreditation for Health Informatics and Information Management Education' for CAHIIM.
    Connectors ("of", "for") spell a letter only when the content words cannot: OIG is "Office of
    Inspector General", not "of Inspector General"; DOL is "Department of Labor"."""
    return _initials_long_form(short, long, skip_connectors=True) or _initials_long_form(short, long, False)


def _initials_long_form(short: str, long: str, skip_connectors: bool) -> str | None:
    letters = [c.lower() for c in short if c.isalpha()]
    words = re.findall(r"[^\s\-/]+", long)
    positions = [m.start() for m in re.finditer(r"[^\s\-/]+", long)]
    if len(letters) < 2 or not words:
        return None
    index = len(letters) - 1
    for word_index in range(len(words) - 1, -1, -1):
        if skip_connectors and words[word_index].lower() in lexicon.NAME_CONNECTORS:
            continue
        if words[word_index][0].lower() == letters[index]:
            index -= 1
            if index < 0:
                start = positions[word_index]
                tail = long[start:].strip()
                return tail if len(words) - word_index <= len(letters) + 4 else None
    return None


def best_long_form(short: str, long: str) -> str | None:
    """Schwartz & Hearst (2003): the shortest tail of `long` whose letters spell `short`.

    Hand-written because the packaged implementations either pull in heavy dependencies
    (scispaCy needs nmslib) or configure logging and raise on stray parentheses at import
    (the `abbreviations` package); the algorithm itself is twenty lines.
    """
    letters = [c.lower() for c in short if c.isalnum() and not c.isdigit()]
    if len(letters) < 2:
        return None
    s_index, l_index = len(letters) - 1, len(long) - 1
    while s_index >= 0:
        char = letters[s_index]
        while l_index >= 0 and (long[l_index].lower() != char or
                                (s_index == 0 and l_index > 0 and long[l_index - 1].isalnum())):
            l_index -= 1
        if l_index < 0:
            return None
        l_index -= 1
        s_index -= 1
    start = long.rfind(" ", 0, l_index + 1) + 1
    result = long[start:].strip()
    if len(result.split()) > min(len(letters) + 5, len(letters) * 2) or len(result) <= len(short):
        return None
    return result


_DEFINITION = re.compile(r"\((?P<short>[^()]{2,14})\)")
_REVERSE_DEFINITION = re.compile(r"(?P<short>\b[A-Z][A-Za-z0-9&/\-.]{1,11})\s*\((?P<long>[^()]{4,120})\)")
# "MHIMA, the Michigan Health Information Management Association," / "VHIMA, the state association,"
_APPOSITIVE = re.compile(r"(?<![\w-])(?P<short>[A-Z][A-Za-z0-9&\-]{1,11})(?P<gap>,\s+(?:the\s+|a\s+|an\s+)?|\s+is\s+(?:the|a|an)\s+)"
                         r"(?P<long>(?P<descriptor>[A-Za-z][A-Za-z&'\u2019\- ]{3,100}?))(?=[,.;:)]|\s[-\u2013\u2014]\s|$)")
_MEMBERSHIP = re.compile(r"(?<![\w-])(?P<short>[A-Z][A-Z&]{2,7})(?:\s+(?P<noun>" + "|".join(lexicon.MEMBERSHIP_NOUNS)
                         + r")\b|\s+(?P<tail>" + "|".join(lexicon.ACRONYM_ORGANIZATION_TAILS) + r")\b)")
_WINDOW_BREAK = re.compile(r"[,;:()\[\]]|\s[-\u2013\u2014]\s|\.\s")


@lru_cache(maxsize=4)
def _country_prefix(vocabulary: Vocabulary) -> re.Pattern:
    """A name of the vocabulary's country ending a text: "the U.S. " before "Bureau of Labor Statistics"."""
    names = sorted(vocabulary.country.names, key=len, reverse=True)
    return re.compile(r"(?:" + "|".join(re.escape(name) for name in names) + r")\s+$")


def _is_the_country(vocabulary: Vocabulary, name: str) -> bool:
    return vocabulary.lookup_name(name, "Region") is vocabulary.country


def _definition_candidates(vocabulary: Vocabulary, text: str, offset: int) -> list[Candidate]:
    """'Long Form (LF)' and 'LF (long form)' inside one unit (normalized text, absolute offset)."""
    found: list[Candidate] = []
    for match in _DEFINITION.finditer(text):
        short = match.group("short").strip()
        if not ACRONYM_SHAPE.match(short):
            continue
        before = text[:match.start()].rstrip()
        breaks = list(_WINDOW_BREAK.finditer(before))
        window_start = breaks[-1].end() if breaks else 0
        window = before[window_start:]
        bare = short[:-1] if short.endswith("s") and short[:-1].isupper() else short
        long = initials_long_form(bare, window) or best_long_form(bare, window)
        extractor = "acronym-definition"
        if long is None:
            long = _capitalised_tail(window)
            extractor = "acronym-definition-untyped-name"
        if not long or (len(long.split()) == 1 and _is_bare_acronym(long)):
            continue   # "CPC (AAPC)": an acronym is never spelled out by another acronym
        long_start = window_start + window.rfind(long)
        country = _country_prefix(vocabulary).search(text[:long_start])
        if country and extractor == "acronym-definition":
            # "the U.S. Bureau of Labor Statistics (BLS)": the country prefix belongs to the name
            long_start, long = country.start(), text[country.start():long_start] + long
        found.append(Candidate(offset + long_start, offset + match.end(), "", extractor, 3, long, short))
    for match in _APPOSITIVE.finditer(text):
        short, long = match.group("short"), match.group("long").strip()
        if _is_the_country(vocabulary, short) or not ACRONYM_SHAPE.match(short):
            continue
        if long[:1].isupper() and (initials_long_form(short, long) == long or best_long_form(short, long) == long):
            # "MHIMA, the Michigan Health Information Management Association": the name spelled out after it
            found.append(Candidate(offset + match.start(), offset + match.end("long"), "", "acronym-definition", 3,
                                   long, short))
        elif type_by_heads(_head_phrase(match.group("descriptor"))) == "Organization" and not long[:1].isupper():
            # "VHIMA, the state association": an organization described, not named
            found.append(Candidate(offset + match.start(), offset + match.end("short"), "", "acronym-described", 3,
                                   short, short))
    for match in _MEMBERSHIP.finditer(text):
        # "Active WHIMA membership", "HCA Healthcare": what only an organization has, or its own name
        end = match.end("short") if match.group("noun") else match.end()
        found.append(Candidate(offset + match.start(), offset + end, "", "acronym-described", 3,
                               text[match.start():end], match.group("short")))
    for match in _REVERSE_DEFINITION.finditer(text):
        short, long = match.group("short"), match.group("long").strip()
        if not ACRONYM_SHAPE.match(short) or ACRONYM_SHAPE.match(long):
            continue
        if best_long_form(short, long) is None and not _named_in_full(short, long):
            continue
        found.append(Candidate(offset + match.start(), offset + match.end(), "", "acronym-definition", 3, long, short))
    for match in _DASH_DEFINITION.finditer(text):
        # "NCICS - National Certified Insurance and Coding Specialist, offered by ...": the acronym, a dash
        # or colon, then the capitalised words whose initials spell it (only as many words as that takes)
        short = match.group("short")
        if not (ACRONYM_SHAPE.match(short) and short.upper() == short):
            continue
        long = _spelled_prefix(short, match.group("long"))
        if long is None:
            continue
        end = match.start("long") + len(long)
        found.append(Candidate(offset + match.start(), offset + end, "", "acronym-definition", 3, long, short))
    return found


_DASH_DEFINITION = re.compile(r"(?<![\w-])(?P<short>[A-Z][A-Za-z0-9&\-]{1,11})[ \t]*(?:[-\u2013\u2014:])[ \t]+"
                              r"(?P<long>[A-Z][\w\-]*(?:[ \t]+(?:[A-Z][\w\-]*|of|for|and|in|on|the|&|[\-\u2013\u2014])){1,11})")


def _spelled_prefix(short: str, words_text: str) -> str | None:
    """The first words of `words_text` whose initials, connectors skipped, are the letters of `short`."""
    letters = [c.upper() for c in short if c.isalpha()]
    spans = [(m.start(), m.end(), m.group()) for m in re.finditer(r"[^\s]+", words_text)]
    taken = 0
    for start, end, word in spans:
        if word.lower() in lexicon.NAME_CONNECTORS or not any(c.isalnum() for c in word):
            continue    # "of", and a dash standing alone ("Specialist \u2013 Physician-based")
        parts = [p for p in re.split(r"-", word) if p]
        for part in parts:
            if taken < len(letters) and part[:1].upper() == letters[taken]:
                taken += 1
            elif part is parts[0]:
                return None
        if taken == len(letters):
            return words_text[:end]
    return None


def _named_in_full(short: str, long: str) -> bool:
    """'CGIC (Certified Gastroenterology Coder)': the letters need not spell the name (an acronym may
    come from an older or longer form) when the parenthesis holds a proper name of a credential or a
    body, every word capitalised, that starts with the acronym's first letter."""
    words = long.split()
    return (2 <= len(words) <= 12 and long[:1].upper() == short[:1].upper()
            and all(w[:1].isupper() or w.lower() in lexicon.NAME_CONNECTORS for w in words)
            and type_of_defined_name(long) in ("Certification", "Organization"))


def _head_phrase(descriptor: str) -> str:
    """'state association' of 'state association of Virginia'; 'credential' of 'credential from the Board'."""
    return re.split(r"\s(?:of|from|by|for|with|in|at|to|that|which|who|and|or)\s", descriptor + " ", maxsplit=1)[0]


def _capitalised_tail(window: str) -> str:
    """The run of capitalised words (with inner connectors) that ends the window."""
    words = window.split()
    taken: list[str] = []
    for word in reversed(words):
        bare = word.strip("\"'")
        if bare[:1].isupper() or (taken and bare.lower() in lexicon.NAME_CONNECTORS):
            taken.append(word)
        else:
            break
    while taken and taken[-1].lower() in lexicon.NAME_CONNECTORS:
        taken.pop()
    return " ".join(reversed(taken))


# ---------------------------------------------------------------- capitalised names

def _capitalised_runs(span: Span) -> list[Span]:
    runs, current = [], []
    for token in span:
        text = token.text
        capital = text[:1].isupper() or text in ("U.S.", "&")
        following = token.nbor(1).text if token.i + 1 < len(token.doc) else ""
        # "the Guild's CDCA exam": an acronym after a possessive is what the name owns, not part of it
        possessive = text == "'s" and not _is_bare_acronym(following)
        inner = current and (token.lower_ in lexicon.NAME_CONNECTORS or text == "-" or possessive)
        if capital or inner:
            current.append(token)
            continue
        if current:
            runs.append(current)
        current = []
    if current:
        runs.append(current)
    spans = []
    for run in runs:
        while run and (run[-1].lower_ in lexicon.NAME_CONNECTORS or run[-1].text in ("-", "'s", "&")):
            run = run[:-1]
        while run and (run[0].lower_ in STOP_WORDS or run[0].lower_ in lexicon.NAME_CONNECTORS):
            run = run[1:]
        if run:
            spans.append(span.doc[run[0].i:run[-1].i + 1])
    return spans


def _name_candidates(span: Span) -> list[Candidate]:
    found = []
    for run in _capitalised_runs(span):
        words = [t for t in run if t.text not in ("-", "&")]
        lowered = [singular(t.lower_) for t in run]
        # credential: opener ... tail, the longest such stretch
        opener = next((i for i, w in enumerate(lowered) if w in ("certified", "registered", "credentialed")), None)
        if opener is not None:
            tail = max((i for i, w in enumerate(lowered) if w in lexicon.CREDENTIAL_TAILS and i > opener), default=None)
            if tail is not None:
                stretch = run[opener:tail + 1]
                if len(stretch) >= 2:
                    found.append(Candidate(stretch.start_char, stretch.end_char, "Certification", "capitalised-name", 1,
                                           stretch.text))
                    continue
        if len(words) >= 3 and any(w in lexicon.ORGANIZATION_HEADS for w in lowered):
            found.append(Candidate(run.start_char, run.end_char, "Organization", "capitalised-name", 1, run.text))
        elif len(words) >= 2 and lowered[-1] in lexicon.REGULATION_HEADS:
            found.append(Candidate(run.start_char, run.end_char, "Regulation", "capitalised-name", 1, run.text))
        elif len(words) >= 2 and type_by_heads(run.text) == "CodeSet":
            found.append(Candidate(run.start_char, run.end_char, "CodeSet", "capitalised-name", 1, run.text))
    return found


# ---------------------------------------------------------------- roles

def _role_patterns() -> TokenPatterns:
    """Modifiers, then a head noun: "medical records and health information technician". Matched in
    linear time (ingest.tokenpatterns): "and" and "&" are modifiers, and spaCy's Matcher took time
    quadratic in a run of them (10 kB of "& & &" took 15 s)."""
    heads = lexicon.ROLE_HEADS | {h + "s" for h in lexicon.ROLE_HEADS}
    modifiers = lexicon.ROLE_MODIFIERS | heads
    return TokenPatterns({"ROLE": [{"LOWER": {"IN": sorted(modifiers)}, "OP": "*"}, {"LOWER": {"IN": sorted(heads)}}]})


_ROLE_PATTERNS = _role_patterns()


_ROLE_LEADING_NOISE = {"and", "&", "certified", "professional", "remote", "senior", "lead", "entry-level",
                       "experienced", "skilled", "new", "coder", "biller"}


def _last_coordinated_role(tokens: list) -> list:
    """"billers and educators", "coders and records specialists": a plural role before "and" ends a role of
    its own, so the phrase names two roles and the last one is what follows the conjunction. "Billers and
    coders" stays one: the field's name for those who do both (the vocabulary's billing and coding
    specialist). "Medical records and health information technician" keeps its "and": "records" is no role."""
    for i in range(len(tokens) - 1, 0, -1):
        before = tokens[i - 1].lower_
        if tokens[i].lower_ in ("and", "&", "or") and before.endswith("s") and before[:-1] in lexicon.ROLE_HEADS:
            rest = tokens[i + 1:]
            if rest and {before[:-1], rest[-1].lower_.removesuffix("s")} <= _BILLING_AND_CODING:
                return tokens
            return rest or tokens
    return tokens


_BILLING_AND_CODING = {"biller", "coder"}


def _role_candidates(doc: Doc) -> list[Candidate]:
    found = []
    for _, start, end in _ROLE_PATTERNS(doc):
        tokens = _last_coordinated_role(list(doc[start:end]))
        while len(tokens) > 1 and tokens[0].lower_ in _ROLE_LEADING_NOISE:
            tokens = tokens[1:]
        lowered = [t.lower_ for t in tokens]
        if len(tokens) < 2 and lowered[0].rstrip("s") not in ("coder", "biller"):
            continue
        if not any(w in lexicon.ROLE_DOMAIN_WORDS or w.rstrip("s") in ("coder", "biller") for w in lowered):
            continue
        span = doc[tokens[0].i:tokens[-1].i + 1]
        found.append(Candidate(span.start_char, span.end_char, "Role", "role-phrase", 1, span.text))
    return found


# ---------------------------------------------------------------- resolution

def _overlaps(a: Candidate, b: Candidate) -> bool:
    return a.nstart < b.nend and b.nstart < a.nend


def choose(candidates: list[Candidate]) -> list[Candidate]:
    """Longest first, then the stronger rule; a chosen span excludes every span it overlaps."""
    # The chosen spans never overlap, so kept in start order they are in end order too: of those starting
    # before a candidate ends, only the last can reach into it (one bisection, not a scan: big documents
    # have tens of thousands of candidates).
    chosen: list[Candidate] = []
    starts: list[int] = []
    for candidate in sorted(candidates, key=lambda c: (-(c.nend - c.nstart), -c.priority, c.nstart)):
        before = bisect_left(starts, candidate.nend) - 1
        if before >= 0 and _overlaps(candidate, chosen[before]):
            continue
        at = bisect_left(starts, candidate.nstart)   # an empty span goes before a longer one at its start
        starts.insert(at, candidate.nstart)
        chosen.insert(at, candidate)
    return chosen


class MentionFinder:
    """Finds and links the mentions of one document."""

    def __init__(self, vocabulary: Vocabulary, doc: Doc, document_state: Concept | None, named_states: set[str]):
        self.vocabulary = vocabulary
        self.doc = doc
        self.text = doc.text    # Doc.text joins every token on each access: read it once, not once per unit
        self.document_state = document_state
        self.named_states = named_states       # region codes of states whose full name the document uses
        self.definitions: dict[str, Candidate] = {}

    # -- candidates
    def ruler_candidates(self) -> list[Candidate]:
        found = []
        for ent in self.doc.ents:
            concept = self.vocabulary.concepts.get(ent.ent_id_)
            if concept is None:
                continue
            if concept.entity_class == "EducationProgram" and _is_school_diploma(ent):
                continue
            is_acronym = concept.acronym is not None and ent.text.rstrip("s") == concept.acronym.rstrip("s")
            extractor = "vocabulary-acronym" if is_acronym else "vocabulary-name"
            kind = "Region" if concept.entity_class in REGION_CLASSES else concept.entity_class
            place = None
            if concept.entity_class == "State":
                place = state_place(concept, ent.text)
            elif concept.entity_class == "Country":
                place = country_place(self.vocabulary, ent.text)
            found.append(Candidate(ent.start_char, ent.end_char, kind, extractor, 2, ent.text,
                                   ent.text if is_acronym else None, concept, place))
        return found

    def unit_candidates(self, nstart: int, nend: int) -> list[Candidate]:
        text = self.text[nstart:nend]
        span = self.doc.char_span(nstart, nend, alignment_mode="expand")
        found = _definition_candidates(self.vocabulary, text, nstart)
        if span is not None:
            found += _name_candidates(span)
        for start, end, place in find_places_in_prose(self.vocabulary, text, self.document_state):
            found.append(Candidate(nstart + start, nstart + end, "Region", "place-name", 2, place.name, None, None, place))
        return found

    def wrapped_name_candidates(self) -> list[Candidate]:
        """Vocabulary names broken over a line ("the Commission on Accreditation for Health Informatics and
        <newline> Information Management Education"): the ruler matches tokens and a line break is a token."""
        found = []
        for match in _wrapped_names(self.vocabulary).finditer(self.doc.text):
            if match.group() == " ".join(match.group().split()):
                continue   # single-spaced: the ruler has it
            concept = self.vocabulary.lookup_name(re.sub(r"\s+", " ", match.group()))
            if concept is None or concept.entity_class not in RULER_CLASSES or concept.entity_class in REGION_CLASSES:
                continue
            found.append(Candidate(match.start(), match.end(), concept.entity_class, "vocabulary-name", 2,
                                   match.group(), None, concept))
        return found

    def abbreviation_candidates(self) -> list[Candidate]:
        """'CA' on its own counts as California only in a document that also writes 'California'."""
        found = []
        for token in self.doc:
            if len(token.text) == 2 and token.text.isupper() and token.text in self.named_states:
                concept = self.vocabulary.by_region_code[token.text]
                found.append(Candidate(token.idx, token.idx + 2, "Region", "state-abbreviation", 1, token.text,
                                       token.text, concept, state_place(concept, token.text)))
        return found

    def defined_acronym_candidates(self) -> list[Candidate]:
        found = []
        for token in acronym_uses(self.doc, hyphenated_only=True) + list(self.doc):
            bare = token.text[:-1] if token.text.endswith("s") and token.text[:-1] in self.definitions else token.text
            definition = self.definitions.get(bare)
            if definition is not None:
                found.append(Candidate(token.idx, token.idx + len(token.text), definition.kind, "defined-acronym", 1,
                                       bare, bare, definition.concept))
        return found

    # -- typing and linking
    def type_definition(self, candidate: Candidate) -> Candidate | None:
        acronym, long = candidate.acronym, candidate.name
        by_name = self.vocabulary.lookup_name(long)
        typed = "Organization" if candidate.extractor == "acronym-described" else type_of_defined_name(long)
        by_acronym = self.vocabulary.lookup_acronym(acronym, typed) if typed else self.vocabulary.lookup_acronym(acronym)
        concept = by_name if by_name is not None and (by_acronym is None or by_acronym is by_name) else by_acronym
        if concept is not None and concept.entity_class not in REGION_CLASSES:
            kind = concept.entity_class
        elif typed is not None:
            kind, concept = typed, None
        else:
            return None
        candidate.kind, candidate.concept = kind, concept
        return candidate

    def link(self, candidate: Candidate, unit, normalized) -> Mention:
        """The mention with its canonical key (hence its IRI) and the name the graph gives it."""
        start, end = normalized.span_to_original(candidate.nstart, candidate.nend)
        concept = candidate.concept
        if candidate.kind != "Region" and concept is None:
            concept = self.vocabulary.lookup_name(candidate.name, candidate.kind)
        return Mention(kind=candidate.kind, key=self._key(candidate, concept), name=candidate.name,
                       acronym=candidate.acronym, start=start, end=end, nstart=candidate.nstart,
                       nend=candidate.nend, unit=unit, extractor=candidate.extractor,
                       confidence=CONFIDENCE[candidate.extractor], concept=concept, place=candidate.place,
                       canonical_name=self._canonical_name(candidate, concept))

    def _key(self, candidate: Candidate, concept: Concept | None) -> str:
        """Vocabulary key, else the key of the document's definition of this name, else acronym, else name."""
        if candidate.kind == "Region":
            return candidate.place.key
        if concept is not None:
            return concept.key
        defined = self._definition_for_name(candidate.name, candidate.kind)
        if defined is not None:
            return _key_of(defined)
        if candidate.acronym:
            return slug(candidate.acronym)
        return slug(normalize_name(candidate.name))

    def _canonical_name(self, candidate: Candidate, concept: Concept | None) -> str:
        place = candidate.place
        if place is not None and place.region_class not in ("State", "Country"):
            return place.name
        if concept is not None:
            return concept.pref_label
        if candidate.acronym and candidate.name == candidate.acronym:
            # a defined acronym on its own is named by its definition's long form
            defined = self.definitions.get(candidate.acronym)
            return defined.name if defined is not None else candidate.name
        if candidate.kind == "Role":
            return _role_label(candidate.name)
        return candidate.name

    def _definition_for_name(self, name: str, kind: str) -> Candidate | None:
        wanted = normalize_name(name)
        for definition in self.definitions.values():
            if definition.kind == kind and normalize_name(definition.name) == wanted:
                return definition
        return None


@lru_cache(maxsize=4)
def _wrapped_names(vocabulary: Vocabulary) -> re.Pattern:
    """Every multi-word vocabulary name, its words joined by any run of whitespace."""
    names = {name for concept in vocabulary.concepts.values() for name in concept.names if len(name.split()) > 1}
    alternatives = sorted((r"\s+".join(re.escape(w) for w in name.split()) for name in names), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


def _key_of(definition: Candidate) -> str:
    return definition.concept.key if definition.concept is not None else slug(definition.acronym)


def _is_school_diploma(ent: Span) -> bool:
    return ent.start > 0 and ent.doc[ent.start - 1].lower_ == "school"


def _role_label(phrase: str) -> str:
    words = phrase.split()
    words[-1] = singular(words[-1])
    return " ".join(words).strip().capitalize()


def find_mentions(vocabulary: Vocabulary, doc: Doc, normalized, unit_spans, document_state: Concept | None,
                  named_states: set[str], tables: dict | None = None) -> list[Mention]:
    """All mentions of a document. `unit_spans` pairs each unit with its normalized (start, end);
    `tables` (ingest.table_parser.parse_tables) lets a row define an acronym in another cell."""
    finder = MentionFinder(vocabulary, doc, document_state, named_states)
    candidates = (finder.ruler_candidates() + finder.wrapped_name_candidates() + _role_candidates(doc)
                  + finder.abbreviation_candidates())
    known_acronyms = {c.acronym for c in vocabulary.concepts.values() if c.acronym}
    runs: list[Span] = []
    for unit, (nstart, nend) in unit_spans:
        if unit.kind == "table_header":
            continue   # column names ("Metro area", "Median") are not mentions
        for candidate in finder.unit_candidates(nstart, nend):
            if candidate.extractor == "acronym-described" and candidate.acronym in known_acronyms:
                continue   # the vocabulary already knows what "AHIMA, the association" is
            if candidate.acronym and candidate.extractor.startswith(("acronym-definition", "acronym-described")):
                typed = finder.type_definition(candidate)
                if typed is None:
                    continue
                finder.definitions.setdefault(candidate.acronym, typed)
            candidates.append(candidate)
        span = doc.char_span(nstart, nend, alignment_mode="expand")
        if span is not None:
            runs += _capitalised_runs(span)
    for candidate in _table_definitions(doc.text, normalized, tables or {}):
        if finder.type_definition(candidate) is not None:
            finder.definitions.setdefault(candidate.acronym, candidate)
            candidates.append(candidate)
    finder.definitions = {a: d for a, d in finder.definitions.items() if a not in known_acronyms or d.concept is None}
    names = NamesByLanguage(doc, finder, known_acronyms | set(vocabulary.by_region_code), unit_spans)
    candidates += names.initials(runs)
    candidates += names.labelled_lists(unit_spans)
    issuer_cells, credential_cells = _issuer_table_cells(normalized, tables or {})
    for _ in range(3):   # an issuer found makes its credential's place known, and the other way round
        added = names.by_role(candidates, issuer_cells)
        added += names.credentials_by_role(candidates + added, credential_cells)
        if not added:
            break
        candidates += added
    candidates += finder.defined_acronym_candidates()
    candidates += names.by_head_noun()
    candidates = _defer_to_definitions(candidates)
    mentions = []
    starts = [span[0] for _, span in unit_spans]
    for candidate in choose(candidates):
        unit = _unit_at(unit_spans, starts, candidate.nstart, candidate.nend)
        if unit is None:
            continue
        mentions.append(finder.link(candidate, unit, normalized))
    return mentions


# ---------------------------------------------------------------- names found by language
#
# Credentials and bodies no vocabulary holds, found by how the text uses a name: a table row that
# spells an acronym out in another cell, a bare acronym whose letters are the initials of a name the
# document writes in full, an acronym in the place only an issuer takes ("issued by X", "from X"
# after a credential, "X's credential"), and "the Guild" standing for the one guild the document names.

def _table_definitions(text: str, normalized, tables: dict) -> list[Candidate]:
    """'| CFPC | Certified Family Practice Coder | AAPC |': a cell that is an acronym and another cell of
    the same row whose words' initials spell it define each other, whatever the columns are called."""
    found = []
    for table in tables.values():
        for _, row in table.rows:
            if row is None or not row.cell_spans:
                continue
            cells = [(text[s:e].strip(), s, e) for s, e in row.cell_spans]
            for short, _, _ in cells:
                if not (ACRONYM_SHAPE.match(short) and short.upper() == short):
                    continue
                for long, start, end in cells:
                    if long == short or len(long.split()) < 2:
                        continue
                    if initials_long_form(short, long) != long and best_long_form(short, long) != long:
                        continue
                    begin = start + text[start:end].index(long)
                    nstart = normalized.to_normalized(begin)
                    nend = normalized.to_normalized(begin + len(long), "end")
                    found.append(Candidate(nstart, nend, "", "acronym-definition-table", 3, long, short))
    return found


@dataclass(frozen=True)
class AcronymUse:
    """An acronym as written, over one token or a hyphenated run of them ("CCS-P" is three tokens)."""
    text: str
    idx: int       # character offset (normalized text)
    i: int         # first token
    last: int      # last token


def acronym_uses(doc: Doc, hyphenated_only: bool = False) -> list[AcronymUse]:
    """Every token, and every "X-Y" run written without spaces, as an acronym use."""
    uses = [] if hyphenated_only else [AcronymUse(t.text, t.idx, t.i, t.i) for t in doc]
    doc_text = doc.text     # Doc.text joins every token on each access: read once, not once per use
    for token in doc:
        if token.i + 2 < len(doc) and not token.whitespace_ and doc[token.i + 1].text == "-" \
                and not doc[token.i + 1].whitespace_ and token.text[:1].isupper():
            last = doc[token.i + 2]
            tail = last.text[:-1] if last.text.endswith(".") else last.text   # "CCS-P." ending a sentence
            if tail.isalnum() and tail.upper() == tail and len(tail) <= 3:
                text = doc_text[token.idx:last.idx + len(tail)]
                uses.append(AcronymUse(text, token.idx, token.i, last.i))
    return uses


def _issuer_table_cells(normalized, tables: dict) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Normalized spans of the cells of every issuer column and credential column of a table that has
    both (ingest.table_parser.issuer_column, credential_column)."""
    issuers, credentials = [], []
    for table in tables.values():
        headers = [c.header for c in table.columns]
        issuer = issuer_column(headers)
        credential = credential_column(headers, issuer) if issuer is not None else None
        if credential is None:
            continue
        for _, row in table.rows:
            for column, spans in ((issuer, issuers), (credential, credentials)):
                if row is not None and len(row.cell_spans) > column:
                    start, end = row.cell_spans[column]
                    spans.append((normalized.to_normalized(start), normalized.to_normalized(end, "end")))
    return issuers, credentials


def _is_bare_acronym(text: str) -> bool:
    return bool(ACRONYM_SHAPE.match(text)) and text.upper() == text and any(c.isalpha() for c in text)


class NamesByLanguage:
    """The rules above for one document, after its definitions are known."""

    def __init__(self, doc: Doc, finder: "MentionFinder", reserved: set[str], unit_spans=()):
        self.doc = doc
        self.finder = finder
        self.reserved = reserved     # acronyms the vocabulary gives (any kind) and state codes
        self.acronym_tokens: dict[str, list[AcronymUse]] = {}
        capitals = _capitals_units(doc.text, unit_spans)
        for use in acronym_uses(doc):
            if _is_bare_acronym(use.text) and len(use.text) >= 2 and not _inside(capitals, use.idx):
                self.acronym_tokens.setdefault(use.text, []).append(use)

    def _free(self, acronym: str) -> bool:
        return acronym not in self.reserved and acronym not in self.finder.definitions

    def initials(self, runs: list[Span]) -> list[Candidate]:
        """'Certified Emergency Department Coder, issued by AAPC' and, elsewhere, 'CEDC' on its own: a
        credential or body named in full whose initials are an acronym the document uses is that acronym
        (a box of acronyms beside a list of names, a name given once and abbreviated later)."""
        found = []
        for run in runs:
            words = [t for t in run if not t.is_space and t.text not in ("-", "&", "'s")]
            if len(words) < 3:
                continue
            name = run.text
            acronym = "".join(t.text[0] for t in words if t.lower_ not in lexicon.NAME_CONNECTORS).upper()
            if len(acronym) < 3 or not self._free(acronym) or acronym not in self.acronym_tokens:
                continue
            kind = type_of_defined_name(name)
            if kind not in ("Certification", "Organization"):
                continue
            candidate = Candidate(run.start_char, run.end_char, kind, "acronym-initials", 3, name, acronym)
            self.finder.definitions[acronym] = candidate
            found.append(candidate)
        return found

    def by_role(self, candidates: list[Candidate], issuer_cells: list[tuple[int, int]] = ()) -> list[Candidate]:
        """An acronym nothing else defines, in a place only an issuer takes, is an organization:
        "issued by NCCA", "an examination set by AHIMA", "the CPC ... from NCCA" (a credential before
        "from"), "NHA's credential", "NHA awards the CBCS", a cell of a table's issuer column
        (ingest.table_parser.issuer_column). Its other uses then follow it."""
        credential_ends = {c.nend for c in candidates if c.kind == "Certification"}
        credential_starts = {c.nstart for c in candidates if c.kind == "Certification"}
        for definition in self.finder.definitions.values():
            if definition.kind == "Certification":
                for token in self.acronym_tokens.get(definition.acronym, []):
                    credential_starts.add(token.idx)
                    credential_ends.add(token.idx + len(token.text))
        found = []
        for acronym, tokens in self.acronym_tokens.items():
            if not self._free(acronym):
                continue
            for token in tokens:
                in_issuer_cell = any(start <= token.idx and token.idx + len(token.text) <= end
                                     for start, end in issuer_cells)
                if in_issuer_cell or self._issuer_place(token, credential_starts, credential_ends):
                    candidate = Candidate(token.idx, token.idx + len(token.text), "Organization", "acronym-by-role",
                                          2, acronym, acronym)
                    self.finder.definitions[acronym] = candidate
                    found.append(candidate)
                    break
        return found

    def labelled_lists(self, unit_spans) -> list[Candidate]:
        """'Here is a quick map of who issues what:' then '* AAPC: CPC, COC, CRC and CDEO': under a lead-in
        that speaks of issuing, an item labelled with an acronym lists acronyms; the label is the body
        and the listed ones its credentials."""
        lead_words: dict[int, set[str]] = {}
        doc_text = self.doc.text    # Doc.text joins every token on each access: read once, not once per unit
        for unit, (start, end) in unit_spans:
            if unit.kind == "sentence":
                lead_words.setdefault(unit.block, set()).update(re.findall(r"[a-z]+", doc_text[start:end].lower()))
        found = []
        for unit, (start, end) in unit_spans:
            if unit.kind != "list_item" or not lead_words.get(unit.block, set()) & _ISSUING_WORDS:
                continue
            item = _LABELLED_ITEM.match(doc_text, start, end)
            if item is None or not self._free(item.group("label")):
                continue
            listed = [m for m in re.finditer(r"(?<![\w-])[A-Z][A-Z0-9]{1,7}(?:-[A-Z0-9]{1,3})?(?![\w-])",
                                             doc_text[item.end("label"):end])]
            listed = [m for m in listed if self._free(m.group()) or self.finder.definitions.get(m.group()) is not None
                      and self.finder.definitions[m.group()].kind == "Certification"]
            if len(listed) < 1:
                continue
            label = item.group("label")
            offset = item.end("label")
            organization = Candidate(item.start("label"), item.end("label"), "Organization", "acronym-by-role", 2,
                                     label, label)
            self.finder.definitions[label] = organization
            found.append(organization)
            for match in listed:
                acronym = match.group()
                if acronym in self.finder.definitions:
                    continue
                credential = Candidate(offset + match.start(), offset + match.end(), "Certification",
                                       "acronym-by-role", 2, acronym, acronym)
                self.finder.definitions[acronym] = credential
                found.append(credential)
        return found

    def credentials_by_role(self, candidates: list[Candidate], credential_cells: list[tuple[int, int]] = ()
                            ) -> list[Candidate]:
        """An acronym nothing else defines, in a place only a credential takes, is a credential: "AHIMA's
        CCS-P", "CPC (AAPC)", "the CRC, also from AAPC", "CMRS, from the ... (AMBA)", "AAPC offers the
        CPMA", coordinated with a credential ("the CPC and the CIC", "AAPC: CPC, COC, CRC and CDEO"),
        a cell of a table's credential column. An acronym in an issuer's place too is left alone."""
        organization_starts = {c.nstart for c in candidates if c.kind == "Organization"}
        organization_ends = {c.nend for c in candidates if c.kind == "Organization"}
        credential_starts = {c.nstart for c in candidates if c.kind == "Certification"}
        credential_ends = {c.nend for c in candidates if c.kind == "Certification"}
        for definition in self.finder.definitions.values():
            starts, ends = ((organization_starts, organization_ends) if definition.kind == "Organization"
                            else (credential_starts, credential_ends))
            for token in self.acronym_tokens.get(definition.acronym, []):
                starts.add(token.idx)
                ends.add(token.idx + len(token.text))
        found = []
        changed = True
        while changed:        # coordination spreads along a list: "CPC, COC, CRC, CPMA and CDEO"
            changed = False
            for acronym, tokens in self.acronym_tokens.items():
                if not self._free(acronym):
                    continue
                for token in tokens:
                    in_cell = any(start <= token.idx and token.idx + len(token.text) <= end
                                  for start, end in credential_cells)
                    if not (in_cell or self._credential_place(token, organization_starts, organization_ends,
                                                               credential_starts, credential_ends)):
                        continue
                    if self._issuer_place(token, credential_starts, credential_ends):
                        continue
                    candidate = Candidate(token.idx, token.idx + len(token.text), "Certification",
                                          "acronym-by-role", 2, acronym, acronym)
                    self.finder.definitions[acronym] = candidate
                    for use in tokens:
                        credential_starts.add(use.idx)
                        credential_ends.add(use.idx + len(use.text))
                    found.append(candidate)
                    changed = True
                    break
        return found

    def _credential_place(self, token, organization_starts: set[int], organization_ends: set[int],
                          credential_starts: set[int], credential_ends: set[int]) -> bool:
        before = _words_before(self.doc, token.i, 8)
        after = _words_after(self.doc, token.last, 8)
        if before and before[-1].lower_ in lexicon.DETERMINERS:
            before = before[:-1]
        ends = lambda word: word.idx + len(word.text)
        # "AHIMA's CCS-P"
        if len(before) >= 2 and before[-1].text in ("'s", "\u2019s") and ends(before[-2]) in organization_ends:
            return True
        # "CPC (AAPC)"
        if len(after) >= 3 and after[0].text == "(" and after[1].idx in organization_starts:
            closing = next((w for w in after[2:] if w.text == ")"), None)
            return closing is not None and closing.idx in organization_ends | {w.idx for w in after[2:3]}
        # "the CRC, also from AAPC", "CMRS, from the ... (AMBA)", "the CPMA is offered by AAPC"
        rest = list(after)
        while rest and (rest[0].text == "," or rest[0].lower_ in lexicon.FILLER_WORDS
                        or rest[0].lower_ in lexicon.BE_WORDS or rest[0].lower_ in lexicon.CREDENTIAL_NOUNS):
            rest = rest[1:]
        if rest and rest[0].lower_ == "from":
            rest = rest[1:]
        elif len(rest) >= 2 and rest[0].lower_ in lexicon.ISSUE_VERBS_PASSIVE and rest[1].lower_ in ("by", "through",
                                                                                                    "via"):
            rest = rest[2:]
        else:
            rest = None
        if rest is not None:
            if rest and rest[0].lower_ in lexicon.DETERMINERS:
                rest = rest[1:]
            if rest and rest[0].idx in organization_starts:
                return not (len(rest) > 1 and rest[1].text in ("'s", "\u2019s"))
        if self._apposition_names_issuer(_words_after(self.doc, token.last, 24), organization_starts,
                                         organization_ends):
            return True
        # "AAPC offers the CPMA", "AAPC: CPC, COC"
        words = list(before)
        while words and (words[-1].lower_ in lexicon.DETERMINERS or words[-1].lower_ in lexicon.LIST_MODIFIERS
                         or words[-1].lower_ in lexicon.CREDENTIAL_NOUNS):
            words = words[:-1]
        if len(words) >= 2 and words[-1].lower_ in lexicon.ISSUE_VERBS_ACTIVE and ends(words[-2]) in organization_ends:
            return True
        # coordinated with a credential: "the CPC and the inpatient-focused CIC", "CPC, COC, CRC"
        while before and ((before[-1].is_alpha and before[-1].is_lower) or before[-1].text == "-") \
                and before[-1].lower_ not in ("and", "or"):
            before = before[:-1]     # "the inpatient-focused CIC": modifiers of the acronym
        if before and before[-1].lower_ in lexicon.DETERMINERS:
            before = before[:-1]
        if before and before[-1].text in (",", "and", "or", "/", "&"):
            previous = [w for w in before[:-1] if w.lower_ not in lexicon.DETERMINERS and not w.is_punct or w.text == ")"]
            if previous and (ends(previous[-1]) in credential_ends or
                             (previous[-1].text == ")" and self._closes_credential(previous[-1], credential_ends))):
                return True
            if len(before) >= 2 and before[-1].text == "," and before[-2].text == ":":   # ": ," is no list
                return False
        if len(before) >= 2 and before[-1].text == ":" and ends(before[-2]) in organization_ends:
            # "AAPC: CPC, COC, CRC": a body, a colon, then what it lists
            following = after[0].text if after else ""
            return following in (",", "and", "or", "(") or not after
        if after and after[0].text in (",", "and", "or", "/") and len(after) >= 2:
            nxt = after[1] if after[1].lower_ not in lexicon.DETERMINERS or len(after) < 3 else after[2]
            return nxt.idx in credential_starts
        return False

    @staticmethod
    def _apposition_names_issuer(after: list, organization_starts: set[int], organization_ends: set[int]) -> bool:
        """An apposition or relative clause after the acronym that makes it some body's credential: "the
        CQRA, the reviewing credential from PAC", "the CQRA, a credential of PAC", "the CTRS, PAC's
        senior-level review credential", "the CVRM, which the Lakeshore Revenue Institute (LRI) awards"."""
        if not after or after[0].text != ",":
            return False
        rest = after[1:]
        if rest and rest[0].lower_ == "which":
            rest = rest[1:]
            if rest and rest[0].lower_ in lexicon.DETERMINERS:
                rest = rest[1:]
            behind = _after_organization(rest, organization_starts, organization_ends)
            return behind is not None and bool(behind) and behind[0].lower_ in lexicon.ISSUE_VERBS_ACTIVE
        behind = _after_organization(rest, organization_starts, organization_ends)
        if behind is not None:
            # "PAC's senior-level review credential"
            if not behind or behind[0].text not in ("'s", "\u2019s"):
                return False
            return _credential_noun_after_modifiers(behind[1:]) is not None
        if rest and rest[0].lower_ in lexicon.DETERMINERS:
            rest = rest[1:]
        behind = _credential_noun_after_modifiers(rest)
        if not behind or behind[0].lower_ not in ("from", "of"):
            return False
        behind = behind[1:]
        if behind and behind[0].lower_ in lexicon.DETERMINERS:
            behind = behind[1:]
        following = _after_organization(behind, organization_starts, organization_ends)
        return following is not None and not (following and following[0].text in ("'s", "\u2019s"))

    def _closes_credential(self, closing, credential_ends: set[int]) -> bool:
        """'CPMA (auditing)': a parenthesis closing a remark right after a credential."""
        for word in reversed(self.doc[max(0, closing.i - 6):closing.i]):
            if word.text == "(":
                previous = [w for w in self.doc[max(0, word.i - 3):word.i] if not w.is_space]
                return bool(previous) and previous[-1].idx + len(previous[-1].text) in credential_ends
        return False

    def _issuer_place(self, token, credential_starts: set[int], credential_ends: set[int]) -> bool:
        doc = self.doc
        before = _words_before(doc, token.i, 10)
        after = _words_after(doc, token.last, 6)
        if before and before[-1].lower_ in lexicon.DETERMINERS:
            before = before[:-1]
        if len(before) >= 2 and before[-1].text == "(" and before[-2].idx + len(before[-2].text) in credential_ends \
                and after and after[0].text == ")":
            return True    # "CPC (AAPC) or CCS-P (AHIMA) required"
        if len(before) >= 2 and before[-1].lower_ == "of" and before[-2].lower_ in lexicon.CREDENTIAL_NOUNS \
                and before[-2].lower_ not in lexicon.EXAM_NOUNS:
            return True    # "the CPC and the CIC are credentials of AAPC"
        if len(before) >= 2 and before[-1].lower_ in ("by", "through", "via") and (
                before[-2].lower_ in lexicon.ISSUE_VERBS_PASSIVE or before[-2].lower_ in lexicon.EXAM_VERBS):
            return True
        if before and before[-1].lower_ == "from":
            # "the CPC and CPB from AAPC", "(CGIC), also from AAPC": a credential ends the words before
            # "from", apart from commas, adverbs and "credential"
            for word in reversed(before[:-1]):
                if word.idx + len(word.text) in credential_ends:
                    return True
                if not (word.text in (",", ")", "(") or word.lower_ in lexicon.FILLER_WORDS
                        or word.lower_ in lexicon.CREDENTIAL_NOUNS or word.lower_ in lexicon.BE_WORDS
                        or word.lower_ in ("comes", "come", "available")):
                    break
            return False
        if after and after[0].text in ("'s", "\u2019s"):
            rest = after[1:4]
            if any(w.lower_ in lexicon.CREDENTIAL_NOUNS or w.idx in credential_starts for w in rest[:3]
                   if not w.is_punct) and not any(w.is_punct for w in rest[:1]):
                return True
            # "AHIMA's entry-level CCA", "AHIMA's physician-based coding credential": modifiers first
            rest = _after_modifiers(after[1:12])
            return bool(rest) and (rest[0].lower_ in lexicon.CREDENTIAL_NOUNS or rest[0].idx in credential_starts)
        if len(before) >= 3 and before[-1].lower_ == "which" and before[-2].text == "," \
                and before[-3].idx + len(before[-3].text) in credential_ends \
                and after and after[0].lower_ in lexicon.ISSUE_VERBS_ACTIVE:
            return True    # "the CCS, which AHIMA offers for facility coding"
        if after and after[0].lower_ in lexicon.ISSUE_VERBS_ACTIVE:
            if len(after) >= 2 and after[1].lower_ in ("it", "them"):
                # "CCS-P: Certified Coding Specialist - Physician-based. AHIMA awards it to coders."
                return any(w.idx + len(w.text) in credential_ends for w in before)
            return any(w.idx in credential_starts for w in after[1:5])
        return False

    def by_head_noun(self) -> list[Candidate]:
        """'the Southern Revenue Guild (SRG) ... the Guild's CDCA exam': "the" and the capitalised head of
        the one organization the document names with that head stand for it."""
        heads: dict[str, list[Candidate]] = {}
        for definition in self.finder.definitions.values():
            words = definition.name.split()
            if definition.kind == "Organization" and len(words) >= 2 and words[-1].lower() in lexicon.ORGANIZATION_HEADS:
                heads.setdefault(words[-1], []).append(definition)
        found = []
        for head, definitions in heads.items():
            if len({d.name for d in definitions}) != 1:
                continue   # two guilds: "the Guild" does not say which
            definition = definitions[0]
            for token in self.doc:
                if token.text != head or token.i == 0:
                    continue
                previous = self.doc[token.i - 1]
                following = self.doc[token.i + 1] if token.i + 1 < len(self.doc) else None
                if previous.lower_ != "the" or (following is not None and (following.text[:1].isupper()
                                                                           or following.lower_ == "of")):
                    continue
                found.append(Candidate(token.idx, token.idx + len(token.text), "Organization",
                                       "organization-by-head-noun", 1, definition.name, None, definition.concept))
        return found


_ISSUING_WORDS = lexicon.ISSUE_VERBS_ACTIVE | lexicon.ISSUE_VERBS_PASSIVE | {"issuer", "issuers", "issuing"}
# "  * AAPC: CPC, COC" (after the bullet, which the item's span may or may not hold)
_LABELLED_ITEM = re.compile(r"[\s\-*\u2022]*(?P<label>[A-Z][A-Z&]{1,7})\s*:\s*(?=[A-Z][A-Z0-9]{1,7}\b)")


def _after_organization(words: list, organization_starts: set[int], organization_ends: set[int]) -> list | None:
    """The words after an organization's name that `words` opens with, or None if it opens with none."""
    if not words or words[0].idx not in organization_starts:
        return None
    for index, word in enumerate(words[:12]):
        if word.idx + len(word.text) in organization_ends:
            rest = words[index + 1:]
            if len(rest) >= 3 and rest[0].text == "(" and rest[2].text == ")" and \
                    rest[1].idx + len(rest[1].text) in organization_ends:
                rest = rest[3:]     # "the Lakeshore Revenue Institute (LRI)": the name, then its acronym
            elif rest and rest[0].text == ")" and rest[0].idx + 1 in organization_ends:
                rest = rest[1:]
            return rest
    return None


def _after_modifiers(words: list) -> list:
    """The words after at most three lower-case modifiers a hyphenated compound is among ('entry-level
    Certified ...', 'physician-based coding credential'); none when there is no compound."""
    modifiers, compound = 0, False
    for index, word in enumerate(words):
        if word.text == "-" and index > 0 and not words[index - 1].whitespace_ and not word.whitespace_:
            compound = True
            continue
        if not (word.is_alpha and word.is_lower) or word.lower_ in lexicon.DETERMINERS \
                or word.lower_ in lexicon.FILLER_WORDS or word.lower_ in lexicon.BE_WORDS \
                or word.lower_ in lexicon.CREDENTIAL_NOUNS:
            return words[index:] if compound and modifiers else []
        if index == 0 or words[index - 1].text != "-":
            modifiers += 1
        if modifiers > 3:
            return []
    return []


def _credential_noun_after_modifiers(words: list) -> list | None:
    """'senior-level review credential ...', 'auditing credential ...': the words after a credential
    noun that at most three lower-case modifiers (a hyphenated compound counts as one) lead up to."""
    modifiers = 0
    for index, word in enumerate(words[:10]):
        if word.lower_ in lexicon.CREDENTIAL_NOUNS:
            return words[index + 1:]
        if word.text == "-" and index > 0 and not words[index - 1].whitespace_:
            continue
        if not (word.is_alpha and word.is_lower) or word.lower_ in lexicon.DETERMINERS \
                or word.lower_ in lexicon.FILLER_WORDS or word.lower_ in lexicon.BE_WORDS:
            return None
        if index == 0 or words[index - 1].text != "-":
            modifiers += 1
        if modifiers > 3:
            return None
    return None


def _capitals_units(text: str, unit_spans) -> list[tuple[int, int]]:
    """Units set in capitals ('MEMBER SPOTLIGHT: RENEE CALLOWAY, CPC, CRC'): there every word looks like
    an acronym, so none is read as one by its place."""
    spans = []
    for _, (start, end) in unit_spans:
        piece = text[start:end]
        if len(re.findall(r"[A-Za-z]{2,}", piece)) >= 3 and not any(c.islower() for c in piece):
            spans.append((start, end))
    return spans


def _inside(spans: list[tuple[int, int]], position: int) -> bool:
    return any(start <= position < end for start, end in spans)


def _words_before(doc: Doc, index: int, count: int) -> list:
    return [t for t in doc[max(0, index - count):index] if not t.is_space]


def _words_after(doc: Doc, index: int, count: int) -> list:
    return [t for t in doc[index + 1:index + 1 + count] if not t.is_space]


def _defer_to_definitions(candidates: list[Candidate]) -> list[Candidate]:
    """'Newsletter of the Kansas City Metro Coding Chapter (KCMCC)': the acronym's letters say where the
    name starts, so a capitalised run reaching further back ("Newsletter of the ...") gives way."""
    definitions = [c for c in candidates if c.extractor == "acronym-definition" and c.kind]
    return [c for c in candidates if c.extractor != "capitalised-name"
            or not any(_overlaps(c, d) and c.nstart < d.nstart for d in definitions)]


def _unit_at(unit_spans, starts, nstart: int, nend: int):
    index = bisect_right(starts, nstart) - 1
    if index < 0:
        return None
    unit, (ustart, uend) = unit_spans[index]
    return unit if ustart <= nstart and nend <= uend else None
