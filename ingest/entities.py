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
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from ingest import lexicon
from ingest.confidence import MENTIONS
from ingest.nlp import RULER_CLASSES
from ingest.regions import Place, country_place, find_places_in_prose, state_place
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
    """The kind of a name the text defines with an acronym: its head words, else an organization's
    closing word ("... Regional Health (GLRH)")."""
    typed = type_by_heads(name)
    if typed is None and len(name.split()) >= 2 and singular(name.split()[-1].lower()) in lexicon.ORGANIZATION_TAILS:
        return "Organization"
    return typed


def type_by_heads(name: str) -> str | None:
    """The kind a name's words give it, or None: 'Medical Association of Billers' -> Organization."""
    words = [singular(w.strip(".,()")) for w in _words(name)]
    if not words:
        return None
    joined = " ".join(words)
    credential_shaped = words[-1] in lexicon.CREDENTIAL_TAILS and len(words) >= 2
    if words[0] in ("certified", "registered", "credentialed", "licensed") and credential_shaped:
        return "Certification"
    if any(w in lexicon.ORGANIZATION_HEADS for w in words):
        return "Organization"
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
_MEMBERSHIP = re.compile(r"(?<![\w-])(?P<short>[A-Z][A-Z&]{2,7})(?:\s+(?P<noun>membership|members|chapter|conference|"
                         r"annual meeting|board)\b|\s+(?P<tail>Healthcare|Health System|Health|Medical Center|Hospital)\b)")
_WINDOW_BREAK = re.compile(r"[,;:()\[\]]|\s[-\u2013\u2014]\s|\.\s")


def _definition_candidates(text: str, offset: int) -> list[Candidate]:
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
        if not long:
            continue
        long_start = window_start + window.rfind(long)
        country = re.search(r"(?:U\.S\.|US|United States)\s+$", text[:long_start])
        if country and extractor == "acronym-definition":
            # "the U.S. Bureau of Labor Statistics (BLS)": the country prefix belongs to the name
            long_start, long = country.start(), text[country.start():long_start] + long
        found.append(Candidate(offset + long_start, offset + match.end(), "", extractor, 3, long, short))
    for match in _APPOSITIVE.finditer(text):
        short, long = match.group("short"), match.group("long").strip()
        if short in ("US", "USA", "U.S.") or not ACRONYM_SHAPE.match(short):
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
        if not ACRONYM_SHAPE.match(short) or ACRONYM_SHAPE.match(long) or best_long_form(short, long) is None:
            continue
        found.append(Candidate(offset + match.start(), offset + match.end(), "", "acronym-definition", 3, long, short))
    return found


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
        inner = current and (token.lower_ in lexicon.NAME_CONNECTORS or text in ("-", "'s"))
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

def _role_matcher(doc: Doc) -> Matcher:
    heads = lexicon.ROLE_HEADS | {h + "s" for h in lexicon.ROLE_HEADS}
    modifiers = lexicon.ROLE_MODIFIERS | heads
    matcher = Matcher(doc.vocab)
    matcher.add("ROLE", [[{"LOWER": {"IN": sorted(modifiers)}, "OP": "*"}, {"LOWER": {"IN": sorted(heads)}}]],
                greedy="LONGEST")
    return matcher


_ROLE_LEADING_NOISE = {"and", "&", "certified", "professional", "remote", "senior", "lead", "entry-level",
                       "experienced", "skilled", "new", "coder", "biller"}


def _role_candidates(doc: Doc) -> list[Candidate]:
    found = []
    for _, start, end in _role_matcher(doc)(doc):
        tokens = list(doc[start:end])
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
        found = _definition_candidates(text, nstart)
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
        for token in self.doc:
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
                  named_states: set[str]) -> list[Mention]:
    """All mentions of a document. `unit_spans` pairs each unit with its normalized (start, end)."""
    finder = MentionFinder(vocabulary, doc, document_state, named_states)
    candidates = (finder.ruler_candidates() + finder.wrapped_name_candidates() + _role_candidates(doc)
                  + finder.abbreviation_candidates())
    known_acronyms = {c.acronym for c in vocabulary.concepts.values() if c.acronym}
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
    finder.definitions = {a: d for a, d in finder.definitions.items() if a not in known_acronyms or d.concept is None}
    candidates += finder.defined_acronym_candidates()
    candidates = _defer_to_definitions(candidates)
    mentions = []
    starts = [span[0] for _, span in unit_spans]
    for candidate in choose(candidates):
        unit = _unit_at(unit_spans, starts, candidate.nstart, candidate.nend)
        if unit is None:
            continue
        mentions.append(finder.link(candidate, unit, normalized))
    return mentions


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
