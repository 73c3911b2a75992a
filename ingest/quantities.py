"""Lexing the figures in a piece of text: money, percentages, counts, years and durations.

This is a lexer, not extraction logic: each pattern is one token class of the grammar of
figures ("$57k", "$50.33", "over 41,333", "8%", "from 2021 to 2031", "6 months to 2 years").
spaCy's tokenizer splits these inconsistently ("57k" stays one token, "by8" another), so
figures are read from the normalized text with these patterns and handed to the rules as
spans. Durations of programs are read in ingest.programs with DURATION_NUMBER.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
MONEY = re.compile(
    r"(?:(?<![\w$])US)?\$\s?(?P<number>" + _NUMBER + r")(?:\s?(?P<multiplier>[kK]|[mM]|thousand|million)\b)?"
    r"|(?P<number2>" + _NUMBER + r")\s?(?P<multiplier2>k|thousand)?\s?(?:dollars|USD)\b"
)
# the number and its unit may stand on two lines of a hard-wrapped text ("4.9\r\npercent", two spaces once normalized)
PERCENT = re.compile(r"(?P<sign>[-+\u2212])?(?P<number>\d+(?:\.\d+)?)\s{0,2}(?:%|percent\b|per cent\b)")
COUNT = re.compile(r"(?<![\w$.,])(?P<number>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s?(?P<multiplier>thousand|million)\b)?(?![\w%$]|[.,]\d)")
YEAR = re.compile(r"(?<![\w$.,])(?P<year>(?:19[5-9]\d|20\d\d))(?![\w%]|,\d)")
YEAR_RANGE = re.compile(
    r"(?:from|between)\s+(?P<start>(?:19|20)\d\d)\s+(?:to|and|through|until|-)\s+(?P<end>(?:19|20)\d\d)"
    r"|(?P<start2>(?:19|20)\d\d)\s?[-/]\s?(?P<end2>(?:19|20)?\d\d)\b",
    re.IGNORECASE,
)
YEAR_END = re.compile(r"\b(?:through|thru|by|until|till|to|before)\s+(?:the\s+year\s+|year\s+)?(?P<year>(?:19|20)\d\d)\b",
                      re.IGNORECASE)
YEAR_REFERENCE = re.compile(
    r"\b(?:as of|in|for|during|since)\s+(?:(?:January|February|March|April|May|June|July|August|September|"
    r"October|November|December)\s+)?(?P<year>(?:19|20)\d\d)\b"
    r"|\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+"
    r"(?P<year2>(?:19|20)\d\d)\b|\((?P<year3>(?:19|20)\d\d)\)"
)

_MULTIPLIERS = {"k": 1000, "thousand": 1000, "m": 1_000_000, "million": 1_000_000}

# Words that hedge a figure; the graph keeps them as mbc:valueQualifier.
QUALIFIERS = [
    "more than", "over", "upwards of", "up to", "at least", "nearly", "almost", "about", "around",
    "approximately", "roughly", "an estimated", "estimated", "close to", "under", "less than", "just over",
    "just under", "above", "below", "some",
]
_QUALIFIER = re.compile(r"\b(?P<q>" + "|".join(sorted((re.escape(q) for q in QUALIFIERS), key=len, reverse=True))
                        + r")\s+(?:the\s+)?$", re.IGNORECASE)

# Numbers written as words in durations ("two-year", "a year", "six months").
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "eighteen": 18, "twenty-four": 24,
}
DURATION_NUMBER = r"(?:\d+(?:\.\d+)?|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"


@dataclass(frozen=True)
class Figure:
    start: int
    end: int
    value: Decimal
    qualifier: str | None = None


def to_decimal(number: str, multiplier: str | None = None) -> Decimal:
    value = Decimal(number.replace(",", ""))
    if multiplier:
        value *= _MULTIPLIERS[multiplier.lower()]
    return value


def _qualifier_before(text: str, start: int) -> str | None:
    match = _QUALIFIER.search(text[max(0, start - 24):start])
    return match.group("q").lower() if match else None


def find_money(text: str) -> list[Figure]:
    figures = []
    for match in MONEY.finditer(text):
        number = match.group("number") or match.group("number2")
        multiplier = match.group("multiplier") or match.group("multiplier2")
        figures.append(Figure(match.start(), match.end(), to_decimal(number, multiplier),
                              _qualifier_before(text, match.start())))
    return figures


def find_percentages(text: str) -> list[Figure]:
    figures = []
    for match in PERCENT.finditer(text):
        value = Decimal(match.group("number"))
        if match.group("sign") in ("-", "\u2212"):
            value = -value
        figures.append(Figure(match.start(), match.end(), value, _qualifier_before(text, match.start())))
    return figures


def find_counts(text: str) -> list[Figure]:
    """Plain numbers that are neither money, percentages nor years."""
    taken = [(f.start, f.end) for f in find_money(text) + find_percentages(text)]
    figures = []
    for match in COUNT.finditer(text):
        if any(s <= match.start() < e for s, e in taken):
            continue
        if YEAR.fullmatch(match.group("number")) and not match.group("multiplier"):
            continue
        figures.append(Figure(match.start(), match.end(), to_decimal(match.group("number"), match.group("multiplier")),
                              _qualifier_before(text, match.start())))
    return figures


def find_year_range(text: str) -> tuple[int | None, int | None]:
    """(start year, end year) of a projection: 'from 2021 to 2031', '2022-2032', 'through 2024'."""
    match = YEAR_RANGE.search(text)
    if match:
        start = int(match.group("start") or match.group("start2"))
        end_text = match.group("end") or match.group("end2")
        end = int(end_text) if len(end_text) == 4 else (start // 100) * 100 + int(end_text)
        if start < end:
            return start, end
    match = YEAR_END.search(text)
    if match:
        return None, int(match.group("year"))
    return None, None


@dataclass(frozen=True)
class YearSpan:
    """A projection's years as the text writes them, where it writes them: 'from 2021 to 2031' (both),
    'through 2032' (the end only)."""
    start: int
    end: int
    start_year: int | None
    end_year: int


def find_year_spans(text: str) -> list[YearSpan]:
    """Every span of years a text states, in order ('grow 6.4 percent from 2020 to 2030, and Missouri 5.8
    percent over 2022-2032' has two)."""
    spans: list[YearSpan] = []
    for match in YEAR_RANGE.finditer(text):
        start = int(match.group("start") or match.group("start2"))
        end_text = match.group("end") or match.group("end2")
        end = int(end_text) if len(end_text) == 4 else (start // 100) * 100 + int(end_text)
        if start < end:
            spans.append(YearSpan(match.start(), match.end(), start, end))
    for match in YEAR_END.finditer(text):
        if not any(s.start <= match.start("year") < s.end for s in spans):
            spans.append(YearSpan(match.start(), match.end(), None, int(match.group("year"))))
    return sorted(spans, key=lambda s: s.start)


def find_reference_year(text: str) -> int | None:
    match = YEAR_REFERENCE.search(text)
    if not match:
        return None
    return int(match.group("year") or match.group("year2") or match.group("year3"))
