"""Reading a question, once (`understand`): the entities it names (exactly, or misspelled), its
misspellings corrected, and what it asks, from the one table of kinds of answer (KINDS) that the
answers (search.answers) and the ranking (search.engine) both read.

A little over 400 lines on purpose: a request's question is read in one pass (names, spelling,
kinds), and a reader following it finds that pass in one module.

Pure functions over plain data: the names come from the index (every entity a document mentions,
under its label, acronym and place names), so a document added tomorrow is read the same way.
Nothing here knows a name of the corpus.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process

from kg.figures import WAGE_MEASURES

_WORD = re.compile(r"[a-z0-9]+")
FUZZY_CUTOFF = 80          # rapidfuzz ratio (0-100) a misspelled name must reach: "salme" ~ "salem" is 80
FUZZY_MIN_CHARS = 5        # shorter names (acronyms) must be typed exactly: CPC and CPB are one letter apart
MAX_NAME_WORDS = 8


def stop_words() -> frozenset[str]:
    """spaCy's English stop words: left out of a question's search terms, never "corrected"."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


@lru_cache(maxsize=1)
def name_stop_words() -> frozenset[str]:
    """Words that are never a name in a question, unless typed in capitals ("US"). spaCy lists "ca"
    only as the first half of "can't"; in a question it is a state's code. (Loaded on first use:
    importing spaCy costs a second and `import search` must stay light.)"""
    return stop_words() - {"ca"}


def words(text: str) -> list[str]:
    """Lower-case words without punctuation: "Bachelor's" -> "bachelors", "CPC-P" -> "cpc", "p"."""
    return _WORD.findall(text.lower().replace("\u2019", "").replace("'", ""))


def name_key(text: str) -> str:
    return " ".join(words(text))


@dataclass(frozen=True)
class Named:
    """An entity the question names: `typed` is what the user typed, `name` the name it matched."""
    iri: str
    kind: str
    label: str
    typed: str
    name: str
    fuzzy: bool = False


@dataclass
class Names:
    """Every name of every entity, by key ("san jose" -> {IRIs}), with what each entity is."""
    by_key: dict[str, set[str]] = field(default_factory=dict)
    entities: dict[str, tuple[str, str]] = field(default_factory=dict)   # IRI -> (label, kind)
    written: dict[str, str] = field(default_factory=dict)                # key -> the name as written
    known_words: frozenset[str] = frozenset()     # words of the corpus, its names and the model's vocabulary
    corpus_words: frozenset[str] = frozenset()    # words of the corpus and its names: what a misspelling becomes
    _longest: int | None = None

    def add(self, iri: str, kind: str, label: str, name: str) -> None:
        key = name_key(name)
        if not key:
            return
        self.entities[iri] = (label, kind)
        self.by_key.setdefault(key, set()).add(iri)
        self._longest = None
        self.written.setdefault(key, name)

    @property
    def longest(self) -> int:
        """Words in the longest name (cached: names are not added once questions are read)."""
        if self._longest is None:
            self._longest = min(MAX_NAME_WORDS, max((len(k.split()) for k in self.by_key), default=1))
        return self._longest


def _usable(key: str, typed: str, stop_words: frozenset[str]) -> bool:
    """A stop word is never a name ("us", "in", "it"), unless typed in capitals ("US", "IT")."""
    if key in stop_words:
        return typed.isupper() and len(typed) >= 2
    return len(key) >= 2


def entities_named(question: str, names: Names, stop_words: frozenset[str] = frozenset(),
              skip_kinds: frozenset[str] = frozenset()) -> list[Named]:
    """The entities a question names, longest names first; misspelled names by fuzzy matching.

    A fuzzy match is only tried on word runs holding a word the corpus never uses ("jsoe",
    "bakersfeild"): a real word that merely resembles a name ("coding" ~ "codin") is left alone.
    """
    typed = re.findall(r"[A-Za-z0-9]+", question.replace("\u2019", "").replace("'", ""))
    lowered = [t.lower() for t in typed]
    used = [False] * len(lowered)
    found: list[Named] = []

    def take(start: int, size: int, key: str, fuzzy: bool) -> None:
        said = " ".join(typed[start:start + size])
        for iri in sorted(names.by_key[key]):
            label, kind = names.entities[iri]
            if kind in skip_kinds or any(n.iri == iri for n in found):
                continue
            found.append(Named(iri, kind, label, said, names.written.get(key, key), fuzzy))
        for i in range(start, start + size):
            used[i] = True

    for size in range(min(names.longest, len(lowered)), 0, -1):
        for start in range(0, len(lowered) - size + 1):
            if any(used[start:start + size]):
                continue
            key = " ".join(lowered[start:start + size])
            if key in names.by_key and _usable(key, " ".join(typed[start:start + size]), stop_words):
                take(start, size, key, fuzzy=False)
    for start, size, key in _shortened_matches(lowered, used, names, stop_words):
        if not any(used[start:start + size]):
            take(start, size, key, fuzzy=True)
    if names.known_words:
        for start, size, key in _fuzzy_matches(lowered, used, names, stop_words):
            if not any(used[start:start + size]):
                take(start, size, key, fuzzy=True)
    return found


SHORTENED_MIN_CHARS = 4    # "san fran": a name's last word cut to at least this many letters ...
SHORTENED_MIN_CUT = 3      # ... and by at least this many ("certificate program" is no cut of "programs")


def _shortened_matches(lowered: list[str], used: list[bool], names: Names, stop_words: frozenset[str]):
    """(start, size, name key) for a name of two words or more typed with its last word cut short
    ("san fran" for San Francisco, "los ang"): every other word exact, the last one a prefix. A cut
    that fits names of different words ("new yo" -> New York, New Yorkshire) is left alone."""
    by_head: dict[tuple[str, ...], list[str]] = {}
    for key in names.by_key:
        parts = key.split()
        if len(parts) >= 2:
            by_head.setdefault(tuple(parts[:-1]), []).append(key)
    matches = []
    for size in range(min(names.longest, len(lowered)), 1, -1):
        for start in range(0, len(lowered) - size + 1):
            cut = lowered[start + size - 1]
            if any(used[start:start + size]) or len(cut) < SHORTENED_MIN_CHARS or cut in stop_words:
                continue
            fits = {k for k in by_head.get(tuple(lowered[start:start + size - 1]), ())
                    if k.split()[-1].startswith(cut) and len(k.split()[-1]) - len(cut) >= SHORTENED_MIN_CUT}
            if len({k.split()[-1] for k in fits}) == 1:
                matches.append((start, size, min(fits)))
    return matches


def _fuzzy_matches(lowered: list[str], used: list[bool], names: Names, stop_words: frozenset[str]):
    """(start, size, name key) for word runs around an unknown word that closely match a name."""
    candidates = [k for k in names.by_key if len(k) >= FUZZY_MIN_CHARS]
    matches = []
    for position, word in enumerate(lowered):
        if (used[position] or word in stop_words or len(word) < 3 or word.isdigit()
                or is_known(word, names.known_words)):
            continue
        best = None
        for size in range(1, min(names.longest, 5) + 1):
            for start in range(max(0, position - size + 1), min(position, len(lowered) - size) + 1):
                if any(used[start:start + size]):
                    continue
                phrase = " ".join(lowered[start:start + size])
                if len(phrase) < FUZZY_MIN_CHARS:
                    continue
                hit = process.extractOne(phrase, candidates, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
                if hit and (best is None or hit[1] > best[0] or (hit[1] == best[0] and size > best[2])):
                    best = (hit[1], start, size, hit[0])
        if best:
            matches.append(best[1:])
    return matches


def is_known(word: str, known_words: frozenset[str]) -> bool:
    """A word of the corpus or of the embedding model's vocabulary, or an inflection of one
    ("commuting" of "commute"): such a word is never "corrected"."""
    if word in known_words:
        return True
    for suffix, replacements in (("ies", ("y",)), ("es", ("", "e")), ("s", ("",)), ("ing", ("", "e")),
                                 ("ed", ("", "e")), ("ers", ("", "e")), ("er", ("", "e")), ("ly", ("",))):
        if word.endswith(suffix) and any(word[:-len(suffix)] + r in known_words for r in replacements):
            return True
    return False


SPELL_CUTOFF = 80          # rapidfuzz ratio for a misspelled ordinary word ("salry" ~ "salary" is 91)


@lru_cache(maxsize=4)
def _choices(words_: frozenset[str]) -> dict[str, list[str]]:
    """Correction targets by first letter (a misspelling rarely gets the first letter wrong)."""
    by_letter: dict[str, list[str]] = {}
    for word in sorted(words_):
        if len(word) >= 4:
            by_letter.setdefault(word[0], []).append(word)
    return by_letter


def words_corrected(question: str, known_words: frozenset[str], stop_words: frozenset[str] = frozenset(),
            keep: frozenset[str] = frozenset(), targets: frozenset[str] | None = None) -> str:
    """The question with each unknown word replaced by the closest word the corpus uses
    ("salry" -> "salary"), so that its wording is read as meant. A word is unknown when neither the
    corpus nor the embedding model's vocabulary has it; it is only ever corrected to a word of
    `targets` (the corpus's words: "certs" must not become "carts"). Words in `keep` (the words
    of names already recognised) stay as typed."""
    if not known_words:
        return question
    choices = _choices(known_words if targets is None else targets)

    def fix(match: re.Match) -> str:
        word = match.group(0)
        lowered = word.lower()
        if lowered in stop_words or lowered in keep or len(lowered) < 4 or is_known(lowered, known_words):
            return word
        hit = process.extractOne(lowered, choices.get(lowered[0], ()), scorer=fuzz.ratio, score_cutoff=SPELL_CUTOFF)
        return hit[0] if hit else word

    return re.sub(r"[A-Za-z]+", fix, question)


def names_corrected(question: str, named: list[Named]) -> str:
    """The question with each misspelled name replaced by the name it matched ("did you mean")."""
    text = question
    for entity in named:
        if entity.fuzzy:
            text = re.sub(r"\b" + r"\W+".join(map(re.escape, entity.typed.split())) + r"\b", entity.name, text,
                          count=1, flags=re.I)
    return text


# ---------------------------------------------------------------- what the question asks

@dataclass(frozen=True)
class Kind:
    """A kind of answer: the wording that asks for it and the graph properties whose claims answer it.

    `asks` decides that the question wants this kind (search.answers answers it; None: the kind
    follows from others, see `answers_wanted`). `lifts` is the wording on which ranking lifts the
    passages holding a claim of `properties` (search.engine's intent signal): narrower than `asks`
    for most kinds, as tuned on the development questions; None: no passage is lifted for it."""
    asks: re.Pattern | None
    properties: tuple[str, ...]
    lifts: re.Pattern | None = None


def _words(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.I)


# "is certification required", "do I need a license", "must I be certified": the credential itself is what is
# needed (not "do I need an internship before the certification exam")
_CREDENTIAL = r"(?:certif\w*|credential\w*|licen[cs]\w*|certs?)\b"
_NEED = r"(?:need\w*|require\w*|mandatory|compulsory|necessary|have to|must)\b"
_CREDENTIAL_NEEDED = _words(r"\b" + _NEED + r"\W+(?:\w+\W+){0,2}?" + _CREDENTIAL + r"|\b" + _CREDENTIAL
                            + r"\W+(?:\w+\W+){0,2}?" + _NEED)
_OUTLOOK = _words(r"\b(?:grow\w*|outlook|demand|future|projected|projections?|openings?|open up|increase\w*)\b")
PAY_MEASURES = WAGE_MEASURES     # the statistics of a pay figure, as the figures' read model names them

# Every kind of answer, in one table: wording of questions, not facts (nothing here says anything
# about a document). search.answers has one answer function per kind (GraphAnswers.ANSWER).
KINDS = {
    "issuer": Kind(_words(r"\b(?:who|whose|which (?:org\w*|body|group|association|company)|issu\w*|award\w*|"
                          r"grant\w*|administer\w*|hands? out|gives?|offer\w*|provid\w*|runs?|behind|from|by|thing|"
                          r"certif(?:y|ies))\b"), ("issuedBy",),
                   lifts=_words(r"\b(?:awards?|issues?|offers?|grants?|administers?|certif(?:y|ies)|runs?|behind|"
                                r"gives?)\b")),
    "issued": Kind(_words(r"\b(?:what|which|list|name|names|other|besides|kinds?|types?)\b.*\b(?:cert\w*|"
                          r"credentials?|exams?|designations?)\b|\b(?:cert\w*|credentials?|exams?)\b.*\b(?:list|"
                          r"offer\w*|names?)\b"), ("issuedBy",)),
    "pay": Kind(_words(r"\b(?:pay\w*|paid|salar\w*|wages?|earn\w*|income|make|makes|making|money|hourly|"
                       r"per (?:hour|hr|year)|an hour|compensation|rate)\b|how much"), PAY_MEASURES,
                lifts=_words(r"\b(?:pay|paid|pays|salar(?:y|ies)|wages?|earn\w*|income|make|makes|how much)\b")),
    "pay_rank": Kind(None, PAY_MEASURES),                # pay asked with an extreme and a place: "worst paying area"
    "growth": Kind(_words(r"\b(?:grow\w*|outlook|demand|projected|projections?|increase\w*|future|faster|"
                          r"expand\w*)\b"), ("percentChange",), lifts=_OUTLOOK),
    "openings": Kind(_words(r"\b(?:openings?|vacanc\w*|positions? (?:open|available)|new jobs|hiring)\b|"
                            r"\bjobs?\b.*\b(?:a|each|per|every) year\b"), ("annualOpenings",), lifts=_OUTLOOK),
    "employment": Kind(_words(r"\b(?:employ(?!ers?\b)\w*|how many (?:[a-z]+ ){0,3}?(?:people|workers|coders|"
                              r"billers|specialists|technicians|jobs)|work(?:ers|force))\b"), ("employment",),
                       lifts=_words(r"\b(?:how many (?:people|workers|jobs)|employed|employment)\b")),
    "employment_rank": Kind(None, ("employment",)),      # employment asked with an extreme and a place
    "duration": Kind(_words(r"\b(?:how long|length|duration|months?|years? (?:does|to)|yrs?|take to (?:finish|"
                            r"complete)|weeks?)\b"), ("minMonths", "maxMonths"),
                     lifts=_words(r"\b(?:how long|duration|months|take to (?:finish|complete))\b")),
    "definition": Kind(_words(r"\b(?:stands? for|mean\w*|abbreviat\w*|full (?:form|name)|what is|what's|whats|"
                              r"acronym|short for|definition|define)\b|^\W*[A-Za-z][A-Za-z0-9-]{1,7}\W*$"), ("acronym",)),
    "requirement": Kind(_words(r"\b(?:accredit\w*|approv\w*|recogni[sz]\w*|require\w*|need\w*|must|should|"
                               r"mandat\w*)\b"), ("accreditedBy",), lifts=_words(r"\baccredit\w*|\bapprov\w*")),
    "credential_requirement": Kind(_CREDENTIAL_NEEDED, ("required",), lifts=_CREDENTIAL_NEEDED),
}


def properties_asked(question: str) -> frozenset[str]:
    """The graph properties (local names) whose claims answer the question's wording: what the
    ranking's intent signal lifts."""
    return frozenset(p for kind in KINDS.values() if kind.lifts and kind.lifts.search(question)
                     for p in kind.properties)


PERIODS = {"Hour": r"\b(?:hour\w*|per hr|/hr|hr)\b", "Year": r"\b(?:yearly|annual\w*|a year|per year|/yr)\b"}
MEASURES = {
    "percentile10": r"\b10(?:th)? percentile\b", "percentile25": r"\b25(?:th)? percentile\b",
    "percentile75": r"\b75(?:th)? percentile\b", "percentile90": r"\b90(?:th)? percentile\b",
    "median": r"\b(?:median|typical|middle)\b", "mean": r"\b(?:mean|average|avg)\b",
    "low": r"\b(?:low\w*|least|bottom|minimum|min|entry|starting|worst)\b",
    "high": r"\b(?:high\w*|top|most|maximum|max|upper|best|senior)\b",
}


@dataclass(frozen=True)
class Wanted:
    """The answers a question wants: their kinds (KINDS) and what it says of the figures."""
    kinds: tuple[str, ...]        # what the question asks, in the order answers are tried
    period: str | None = None     # Hour | Year when the question says
    measure: str | None = None    # median | mean | low | high | percentileNN when it says
    extreme: str | None = None    # "max" | "min": which place has the most / the least
    places: str | None = None     # "local": the question asks among metro areas and cities


EXTREMES = {"max": r"\b(?:most|highest|best|top|largest|biggest|greatest)\b",
            "min": r"\b(?:least|lowest|worst|smallest|fewest|bottom)\b"}
ASKS_WHICH_PLACE = re.compile(r"\b(?:which|where|what)\b.*\b(?:area|metro\w*|city|cities|region|place|state|town)\b|"
                              r"\bwhere\b|\b(?:area|metro\w*|city|region)\b", re.I)
LOCAL = re.compile(r"\b(?:metro\w*|city|cities|town|msa|area)\b", re.I)


def answers_wanted(question: str, named: list[Named]) -> Wanted:
    """What a question asks, from its wording and the kinds of entity it names."""
    kinds_named = {n.kind for n in named}
    says = {name for name, kind in KINDS.items() if kind.asks and kind.asks.search(question)}
    kinds: list[str] = []
    if "definition" in says and not says & {"issuer", "pay", "growth", "duration"}:
        kinds.append("definition")
    if "Certification" in kinds_named and ("issuer" in says or "Organization" in kinds_named):
        kinds.append("issuer")
    if "Organization" in kinds_named and "issued" in says:
        kinds.append("issued")
    if "duration" in says:
        kinds.append("duration")
    if "requirement" in says and ("EducationProgram" in kinds_named or re.search(r"accredit|approv", question, re.I)):
        kinds.append("requirement")
    elif "credential_requirement" in says:
        kinds.append("credential_requirement")     # "is certification required to work as a coder?"
    if "openings" in says:
        kinds.append("openings")
    if "growth" in says:
        kinds.append("growth")
    if "employment" in says and "pay" not in says:
        kinds.append("employment")
    extreme = next((e for e, pattern in EXTREMES.items() if re.search(pattern, question, re.I)), None)
    if extreme and ASKS_WHICH_PLACE.search(question):
        # "which metro employs the most", "worst paying area in California": a place is the answer
        if "employment" in says and "pay" not in says:
            kinds.insert(0, "employment_rank")
        elif "pay" in says:
            kinds.insert(0, "pay_rank")
    else:
        extreme = None
    if "pay" in says and "Region" in kinds_named:
        kinds.append("pay")
    period = next((p for p, pattern in PERIODS.items() if re.search(pattern, question, re.I)), None)
    measure = next((m for m, pattern in MEASURES.items() if re.search(pattern, question, re.I)
                    and (extreme is None or m not in ("low", "high"))), None)
    return Wanted(tuple(dict.fromkeys(kinds)), period, measure, extreme,
                 "local" if LOCAL.search(question) or "Region" in kinds_named else None)


# the experience levels the extractor writes (ingest.lexicon.EXPERIENCE_CUES), as a question says them
EXPERIENCE_WORDS = {"entry-level": r"\b(?:entry[- ]level|beginners?|new(?:ly)? (?:certified|graduates?|coders?)|"
                                    r"starting|just starting|junior|first[- ]year)\b",
                     "experienced": r"\b(?:experienced|senior|seasoned|veteran)\b"}


def experience_in(question: str) -> list[Named]:
    """The experience level a question asks about, as a pseudo-entity ("what do experienced coders make")."""
    for level, pattern in EXPERIENCE_WORDS.items():
        if re.search(pattern, question, re.IGNORECASE):
            return [Named("", "Experience", level, level, level)]
    return []


# ---------------------------------------------------------------- the question, understood once

@dataclass(frozen=True)
class Question:
    """A question as the search reads it, understood once: what the user typed, the text as read
    (misspelled names and words corrected: what is ranked and answered), the entities it names, the
    answers it wants and the graph properties its wording asks for (the intent signal)."""
    typed: str
    corrected: str
    named: list[Named]
    wanted: Wanted
    properties: frozenset[str]

    def suggestions(self) -> list[dict]:
        """'Did you mean': the question with misspelled names (and words) spelled as the corpus does."""
        fuzzy = list({(n.typed, n.name): n for n in self.named if n.fuzzy}.values())
        if not fuzzy:
            return []
        return [{"query": self.corrected, "names": [{"said": n.typed, "name": n.name} for n in fuzzy]}]


def understand(typed: str, names: Names, stop: frozenset[str]) -> Question:
    """Names, corrections and kind of a question: misspelled names as the corpus spells them, other
    misspelled words as the closest word the corpus uses ("medcal codr salry san jsoe" -> "Medical
    Coder salary San Jose"); what it asks is read from the corrected text. `stop`: words never
    corrected (stop_words())."""
    named = entities_named(typed, names, name_stop_words())
    keep = frozenset(w for n in named if not n.fuzzy for w in words(n.typed))
    corrected = words_corrected(names_corrected(typed, named), names.known_words, stop, keep, names.corpus_words)
    return Question(typed, corrected, named, answers_wanted(corrected, named), properties_asked(corrected))
