"""Evidence units (sentences, list items, table rows, headings) and the passages that hold them.

A unit is the quote a claim cites; a passage is what search returns and what a claim is
derived from. Every unit lies inside exactly one passage, and both carry exact offsets
into the document text.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

import pysbd

from ingest.layout import LEADER_LINE, Block, Layout, Line
from ingest.windows import cut_points

PASSAGE_MAX_WORDS = 110     # a paragraph up to this length stays whole
WINDOW_WORDS = 80           # longer paragraphs are cut into sentence windows of about this size
LIST_MAX_WORDS = 170        # a list with its lead-in up to this length stays whole
SEGMENTER_CHARS = 5_000     # the longest piece given to the sentence segmenter at once (far above a paragraph)


@dataclass(frozen=True)
class Unit:
    start: int
    end: int
    kind: str        # sentence | heading | title | list_item | table_row | table_header
    block: int
    section: str
    line_start: int  # start of the line the unit is on


@dataclass
class Passage:
    start: int
    end: int
    kind: str                  # paragraph | list | table-row | heading
    section: str
    units: list[Unit]
    lead_in: str = ""          # for a table row: the sentence that introduces its table

    def contains(self, start: int, end: int) -> bool:
        return self.start <= start and end <= self.end


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    # pysbd writes a regular expression for each abbreviation it meets and lets `re` compile it: more than
    # the 512 patterns `re` keeps compiled, so it recompiled them over and over (a tenth of a big
    # document's extraction, measured). A larger cache (a few MB) keeps them; `re` has no public setting.
    if getattr(re, "_MAXCACHE", 0) < 4096:
        re._MAXCACHE = 4096
    return pysbd.Segmenter(language="en", clean=False, char_span=True)


def split_sentences(text: str, start: int, end: int, normalized=None) -> list[tuple[int, int]]:
    """Sentence spans of text[start:end] as document offsets, trimmed of surrounding whitespace.

    With `normalized` (common.normalize), sentences are found in the matching copy, where
    "theU.S. Bureau" reads "the U.S. Bureau" and is not cut after "U.S.", then mapped back.
    """
    if normalized is not None:
        nstart, nend = normalized.to_normalized(start), normalized.to_normalized(end, "end")
        return [normalized.span_to_original(s, e) for s, e in split_sentences(normalized.text, nstart, nend)]
    # line breaks inside a (hard-wrapped) paragraph are spaces to the segmenter; same length, same offsets
    piece = text[start:end].replace("\r", " ").replace("\n", " ")
    if len(piece) > SEGMENTER_CHARS:
        # pysbd's time grows with the square of its input: a paragraph pages long (a document on one
        # line) is segmented in pieces cut at sentence ends (ingest.windows), each on its own
        bounds = [0, *cut_points(piece, SEGMENTER_CHARS), len(piece)]
        return [span for i in range(len(bounds) - 1)
                for span in split_sentences(text, start + bounds[i], start + bounds[i + 1])]
    spans: list[tuple[int, int]] = []
    cursor = 0
    for sentence in _segmenter().segment(piece):
        body = sentence.sent.strip()
        if not body:
            continue
        # pysbd's own offsets drift on repeated sentences, so locate each one from the cursor.
        found = piece.find(body, cursor)
        if found < 0:
            found = sentence.start + (len(sentence.sent) - len(sentence.sent.lstrip()))
        if spans and _ABBREVIATION_END.search(text[spans[-1][0]:spans[-1][1]]) and body[:1].isupper():
            # "Minneapolis-St. Paul": the segmenter took the abbreviation's full stop for a sentence end
            spans[-1] = (spans[-1][0], start + found + len(body))
        else:
            spans.append((start + found, start + found + len(body)))
        cursor = found + len(body)
    return spans or [(start, end)]


_ABBREVIATION_END = re.compile(r"(?:^|[\s\-])(?:St|Ste|Ft|Mt|Pt)\.$")


def _line_units(text: str, line: Line, normalized) -> list[Unit]:
    if line.kind in ("table_row", "table_header", "title", "heading"):
        kind = line.kind
        return [Unit(line.content_start if kind in ("title", "heading") else line.start, line.end,
                     kind, line.block, line.section, line.start)]
    kind = "list_item" if line.kind == "list_item" else "sentence"
    spans = split_sentences(text, line.content_start, line.end, normalized)
    if kind == "list_item" and (len(spans) == 1 or LEADER_LINE.match(line.text)):
        return [Unit(line.content_start, line.end, kind, line.block, line.section, line.start)]
    return [Unit(s, e, "sentence" if kind == "sentence" or i else "list_item", line.block, line.section, line.start)
            for i, (s, e) in enumerate(spans)]


def _wrapped_paragraph_units(text: str, lines: list[Line], normalized) -> list[Unit]:
    """A paragraph hard-wrapped over several lines: its sentences run across the line breaks."""
    first = lines[0]
    return [Unit(s, e, "sentence", first.block, first.section, first.start)
            for s, e in split_sentences(text, first.content_start, lines[-1].end, normalized)]


def units_of(layout: Layout, normalized=None) -> list[Unit]:
    units: list[Unit] = []
    wrapped = {id(line) for block in layout.blocks if block.kind == "paragraph" and len(block.lines) > 1
               for line in block.lines}
    done: set[int] = set()
    for line in layout.lines:
        if id(line) in wrapped:
            if line.block not in done:
                done.add(line.block)
                units.extend(_wrapped_paragraph_units(layout.text, layout.blocks[line.block].lines, normalized))
            continue
        units.extend(_line_units(layout.text, line, normalized))
    return units


def _words(text: str, units: list[Unit]) -> int:
    return sum(len(text[u.start:u.end].split()) for u in units)


def _windows(text: str, units: list[Unit], limit: int) -> list[list[Unit]]:
    """Greedy runs of consecutive units of about `limit` words (never splitting a unit)."""
    windows: list[list[Unit]] = []
    current: list[Unit] = []
    count = 0
    for unit in units:
        size = len(text[unit.start:unit.end].split())
        if current and count + size > limit:
            windows.append(current)
            current, count = [], 0
        current.append(unit)
        count += size
    if current:
        windows.append(current)
    return windows


def _block_passages(text: str, block: Block, block_units: list[Unit]) -> list[Passage]:
    if block.kind == "table":
        rows = [u for u in block_units if u.kind == "table_row"]
        return [Passage(u.start, u.end, "table-row", block.section, [u]) for u in rows]
    limit = LIST_MAX_WORDS if block.kind == "list" else PASSAGE_MAX_WORDS
    if _words(text, block_units) <= limit:
        groups = [block_units]
    else:
        groups = _windows(text, block_units, WINDOW_WORDS)
    kind = "list" if block.kind == "list" else "paragraph"
    return [Passage(g[0].start, g[-1].end, kind, block.section, list(g)) for g in groups]


def build_passages(layout: Layout, units: list[Unit]) -> list[Passage]:
    """Passages in document order. Headings join the passage that follows them in their section."""
    by_block: dict[int, list[Unit]] = {}
    for unit in units:
        by_block.setdefault(unit.block, []).append(unit)
    passages: list[Passage] = []
    pending_headings: list[Unit] = []
    for index, block in enumerate(layout.blocks):
        block_units = by_block.get(index, [])
        if not block_units:
            continue
        if block.kind == "heading":
            pending_headings.extend(block_units)
            continue
        produced = _block_passages(layout.text, block, block_units)
        if not produced:
            continue
        if pending_headings and block.kind != "table":
            first = produced[0]
            first.units[:0] = pending_headings
            first.start = pending_headings[0].start
        elif pending_headings:
            passages.extend(_heading_passages(pending_headings))
        pending_headings = []
        if block.kind == "table":
            lead_in = _lead_in(layout, passages)
            for passage in produced:
                passage.lead_in = lead_in
        passages.extend(produced)
    passages.extend(_heading_passages(pending_headings))
    return passages


def _heading_passages(headings: list[Unit]) -> list[Passage]:
    if not headings:
        return []
    return [Passage(headings[0].start, headings[-1].end, "heading", headings[-1].section, list(headings))]


def _lead_in(layout: Layout, passages: list[Passage]) -> str:
    """The last sentence before a table ("...take a look at the table below.")."""
    if not passages or passages[-1].kind == "table-row":
        return ""
    last = passages[-1].units[-1]
    return layout.text[last.start:last.end]


class PassageLocator:
    """Which passage holds a span: a binary search over passage starts (passages never overlap)."""

    def __init__(self, passages: list[Passage]):
        self.passages = sorted(passages, key=lambda p: p.start)
        self._starts = [p.start for p in self.passages]

    def index_of(self, start: int, end: int) -> int | None:
        """Position in `passages` (sorted by start) of the passage holding [start, end), or None."""
        index = bisect_right(self._starts, start) - 1
        if index >= 0 and self.passages[index].contains(start, end):
            return index
        return None

    def find(self, start: int, end: int) -> Passage | None:
        index = self.index_of(start, end)
        return None if index is None else self.passages[index]
