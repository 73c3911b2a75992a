"""A matching copy of the text with run-together words pulled apart, and the way back to offsets.

Scraped career articles glue words together ("asICD-10", "theAmerican", "by8%",
"MSAHourly$48.19"). Matching runs on a copy where a space is inserted at such seams and
typographic characters are folded to ASCII one-for-one; every span found in the copy
maps back to exact offsets in the original text, which is what the graph stores.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

# Short function words that scraped text glues to the next word: "asICD-10", "theAmerican",
# "by8%", "in6 months". A seam is only opened before a capital letter or a digit, so
# ordinary words ("there", "bypass", "inside") are never split.
GLUE_PREFIXES = (
    "a an as at by for from in into of on or the to with and such via per than"
).split()

_SEAMS = [
    # function word glued to a capitalised word or a number: "asICD", "theU.S.", "by8%"
    re.compile(r"(?<![A-Za-z])(?:%s)(?=[A-Z0-9])" % "|".join(sorted(GLUE_PREFIXES, key=len, reverse=True))),
    # the article "A" glued to a capitalised word: "AMedical Billing"
    re.compile(r"(?<![A-Za-z])A(?=[A-Z][a-z]{2,})"),
    # an acronym glued to a capitalised word: "MSAHourly"
    re.compile(r"(?<=[A-Z]{2})(?=[A-Z][a-z]{2,})"),
    # a lower-case word glued to a capitalised one: "StatesHourly", "DivisionHourly"
    re.compile(r"(?<=[a-z]{2})(?=[A-Z][a-z])"),
    # a word or figure glued to a dollar sign: "Hourly$14.10", "$14.10$54.63"
    re.compile(r"(?<=[\w.])(?=\$)"),
    # punctuation glued to the next word: "),CPT", "Diseases),CPT"
    re.compile(r"(?<=[,;)])(?=[A-Za-z])"),
]
# After the numbering dot: "1.Complete" -> "1. Complete"
_NUMBERING_DOT = re.compile(r"(?m)^(\d{1,2}\.)(?=[A-Z])")

# One-for-one folds keep offsets unchanged.
_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"',
    "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2007": " ",
    "\u2022": "*", "\u00b7": "*", "\u25aa": "*", "\u25e6": "*", "\u2023": "*",
    # line breaks: a name wrapped onto the next line ("the Certified\nProfessional Coder") is still one
    # name; units never span blocks, so nothing is joined across a paragraph boundary
    "\n": " ", "\r": " ",
})


@dataclass(frozen=True)
class Normalized:
    text: str
    original_index: tuple[int, ...]  # for each normalized character, its original offset

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) of a normalized [start, end); inserted spaces at the edges fall away."""
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"span {start}-{end} is outside the text (length {len(self.text)})")
        if start == end:
            position = self.original_index[start] if start < len(self.text) else self._original_length()
            return position, position
        original_start = self.original_index[start]
        last = end - 1
        original_end = self.original_index[last] + (0 if self._inserted(last) else 1)
        return original_start, max(original_start, original_end)

    def to_normalized(self, position: int, side: str = "start") -> int:
        """Normalized index of an original offset. A start maps to its own character (after any space
        inserted before it); an end-exclusive end maps before such a space."""
        if side == "end":
            return bisect_left(self.original_index, position)
        index = bisect_right(self.original_index, position) - 1
        if index < 0 or self.original_index[index] != position:
            return bisect_left(self.original_index, position)
        return index

    def _inserted(self, position: int) -> bool:
        following = self.original_index[position + 1] if position + 1 < len(self.text) else self._original_length()
        return following == self.original_index[position]

    def _original_length(self) -> int:
        return (self.original_index[-1] + 1) if self.original_index else 0


# Markdown emphasis ("**Certified Professional Coder (CPC)**") hides names from the rules.
_EMPHASIS = re.compile(r"\*\*|__")


def normalize(text: str) -> Normalized:
    folded = _EMPHASIS.sub("  ", text.translate(_FOLD))
    seams = {m.end() for pattern in _SEAMS for m in pattern.finditer(folded)}
    seams |= {m.end() for m in _NUMBERING_DOT.finditer(folded)}
    # A seam that is already next to whitespace needs no space.
    seams = sorted(s for s in seams if 0 < s < len(folded) and not folded[s - 1].isspace() and not folded[s].isspace())
    pieces: list[str] = []
    index: list[int] = []
    previous = 0
    for seam in seams:
        pieces.append(folded[previous:seam])
        index.extend(range(previous, seam))
        pieces.append(" ")
        index.append(seam)  # an inserted space stands for the character after it
        previous = seam
    pieces.append(folded[previous:])
    index.extend(range(previous, len(folded)))
    return Normalized("".join(pieces), tuple(index))
