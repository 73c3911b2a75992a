"""How long education programs take: "Certificate programs typically take less than a year",
"a two-year associate degree", "completed in 6 months to 2 years".

Each duration in a sentence belongs to the program named nearest before it (or, failing that,
after it); "N-year" right before a program's name belongs to that program. Programs joined by
"or"/"and" with nothing between them share a bound ("Diploma or certificate programs ... 12 months
or less"), but not a range: "a certificate or associate degree program ... completed in 6 months to
2 years" spans the options together (the certificate the short end, the degree the long one), so it
is given to none of them; nor when the other option is a word not known as a program ("acertificate
or associate degree program").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ingest.confidence import DURATIONS
from ingest.entities import Mention
from ingest.quantities import DURATION_NUMBER, NUMBER_WORDS

_NUMBER = r"(?P<{name}>" + DURATION_NUMBER + r")"
_UNIT = r"(?P<{name}>year|month|week)s?"
RANGE = re.compile(
    r"(?:between\s+)?" + _NUMBER.format(name="a") + r"[\s-]*" + _UNIT.format(name="ua")
    + r"\s*(?:to|and|-)\s*" + _NUMBER.format(name="b") + r"[\s-]*" + _UNIT.format(name="ub") + r"\b"
    r"|(?:between\s+)?" + _NUMBER.format(name="c") + r"\s*(?:to|-)\s*" + _NUMBER.format(name="d") + r"[\s-]*"
    + _UNIT.format(name="uc") + r"\b",
    re.IGNORECASE,
)
UPPER = re.compile(r"(?:less than|under|up to|as long as|as little as|no more than|within)\s+(?:a|an|one|"
                   + DURATION_NUMBER + r")[\s-]*(?:full\s+)?(year|month|week)s?\b"
                   r"|" + _NUMBER.format(name="n") + r"[\s-]*" + _UNIT.format(name="u") + r"\s+or\s+less\b",
                   re.IGNORECASE)
LOWER = re.compile(r"(?:at least|more than|over)\s+(?:a|an|one|" + DURATION_NUMBER + r")[\s-]*(year|month|week)s?\b"
                   r"(?![\s-]+old)", re.IGNORECASE)  # "at least 18 years old" is an age
ADJECTIVE = re.compile(r"\b(?P<n>" + DURATION_NUMBER + r")-(?P<u>year|month|week)\b", re.IGNORECASE)
EXACT = re.compile(r"\b(?:in|takes?|lasting|last|about|around|roughly)\s+(?:about\s+)?" + _NUMBER.format(name="n")
                   + r"[\s-]*" + _UNIT.format(name="u") + r"\b", re.IGNORECASE)
_FACTOR = {"year": Decimal(12), "month": Decimal(1), "week": Decimal("0.25")}


@dataclass(eq=False)
class ProgramDuration:
    program: Mention
    min_months: Decimal | None
    max_months: Decimal | None
    unit: object
    extractor: str = "program-duration"
    confidence: float = DURATIONS["program-duration"]


def _months(number: str, unit: str) -> Decimal:
    lowered = number.lower()
    value = Decimal(NUMBER_WORDS[lowered]) if lowered in NUMBER_WORDS else Decimal(number)
    return value * _FACTOR[unit.lower()]


def _number_in(text: str) -> str:
    match = re.search(r"\b" + DURATION_NUMBER + r"\b", text, re.IGNORECASE)
    return match.group() if match else "1"


def durations(text: str) -> list[tuple[int, int, Decimal | None, Decimal | None]]:
    """(start, end, min months, max months) of each duration in a sentence."""
    found: list[tuple[int, int, Decimal | None, Decimal | None]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e, _, _ in found)

    for match in RANGE.finditer(text):
        if match.group("a"):
            low, high = _months(match.group("a"), match.group("ua")), _months(match.group("b"), match.group("ub"))
        else:
            low, high = _months(match.group("c"), match.group("uc")), _months(match.group("d"), match.group("uc"))
        found.append((match.start(), match.end(), low, high))
    for match in UPPER.finditer(text):
        if not free(match.start(), match.end()):
            continue
        if match.group("n"):
            found.append((match.start(), match.end(), None, _months(match.group("n"), match.group("u"))))
        else:
            found.append((match.start(), match.end(), None, _months(_number_in(match.group()), match.group(1))))
    for match in LOWER.finditer(text):
        if free(match.start(), match.end()):
            found.append((match.start(), match.end(), _months(_number_in(match.group()), match.group(1)), None))
    for match in EXACT.finditer(text):
        if free(match.start("n"), match.end()):
            months = _months(match.group("n"), match.group("u"))
            found.append((match.start("n"), match.end(), months, months))
    return sorted(found)


def find_program_durations(text: str, unit, programs: list[Mention], unit_start: int) -> list[ProgramDuration]:
    """Durations in one unit (normalized text `text` starting at normalized offset `unit_start`)."""
    if not programs:
        return []
    local = sorted(((m.nstart - unit_start, m.nend - unit_start, m) for m in programs), key=lambda p: p[0])
    results: list[ProgramDuration] = []
    taken: set[tuple[int, int]] = set()
    for match in ADJECTIVE.finditer(text):
        following = next((p for p in local if 0 <= p[0] - match.end() <= 2), None)
        if following is not None:
            months = _months(match.group("n"), match.group("u"))
            results.append(ProgramDuration(following[2], months, months, unit, "program-duration-adjective",
                                           DURATIONS["program-duration-adjective"]))
            taken.add((match.start(), match.end()))
    for start, end, low, high in durations(text):
        if any(s <= start < e for s, e in taken):
            continue
        before = [p for p in local if p[1] <= start]
        target = before[-1] if before else next((p for p in local if p[0] >= end), None)
        if target is None:
            continue
        group = _coordinated(text, local, target)
        is_range = low is not None and high is not None and low != high
        if is_range and (len(group) > 1 or _joined_to_another_option(text, local, group)):
            continue
        for program in group:
            results.append(ProgramDuration(program, low, high, unit))
    return results


def _joined_to_another_option(text: str, local, group: list[Mention]) -> bool:
    """The programs are one side of an 'or'/'and' whose other side is not a program we know
    ("acertificate or associate degree program", "an associate degree or a diploma course")."""
    spans = [(s, e) for s, e, m in local if m in group]
    before, after = text[:min(s for s, _ in spans)], text[max(e for _, e in spans):]
    return bool(re.search(r"\b(?:or|and|and/or)\s*$", before, re.IGNORECASE)
                or re.match(r"\s*(?:,\s*)?(?:or|and|and/or)\s+(?:an?\s+)?\w+\s+(?:programs?|courses?|degrees?|"
                            r"certificates?|diplomas?)\b", after, re.IGNORECASE))


def _coordinated(text: str, local, target) -> list[Mention]:
    """The target program and those joined to it by 'or'/'and' ("Diploma or certificate programs")."""
    group = [target]
    index = local.index(target)
    while index > 0 and re.fullmatch(r"\s*(?:,|or|and|,\s*or|,\s*and)\s*", text[local[index - 1][1]:local[index][0]]):
        index -= 1
        group.insert(0, local[index])
    return list(dict.fromkeys(m for _, _, m in group))
