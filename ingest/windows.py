"""Big documents: the spaCy pass over a text of any length, in windows.

spaCy refuses texts over `nlp.max_length` (1,000,000 characters, error E088) and its memory grows
with the text it parses at once. A long text is cut into windows, each parsed on its own, and the
windows' Docs are joined back into one Doc (`Doc.from_docs`) whose text is exactly the input, so
every character offset downstream is an offset into the whole document, as if it had been parsed
at once. A cut is made where it changes nothing: after a blank line (a paragraph boundary, which no
unit crosses), else after a sentence end, else after a space, and only at a hard limit in the
middle of a word. The tokenizer splits at whitespace first, so the tokens of the joined Doc are the
tokens of the whole text; only a name running across a paragraph boundary (never a unit of its
own) would be found in one window but not the other.
"""
from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:       # spaCy is imported where a text is parsed, not by every importer of cut_points
    from spacy.language import Language
    from spacy.tokens import Doc

WINDOW_CHARS = 100_000          # a window's length: well below spaCy's limit, small enough to show progress
MAX_RUN = 200                   # characters of one run without whitespace that extraction reads (see bounded_runs)
_PARAGRAPH = re.compile(r"\n[ \t\r\f\v]*\n\s*")
# a sentence end: a word of two lower-case letters or more, a stop, space, a capital ("...coders. The")
_SENTENCE = re.compile(r"(?<=[a-z]{2}[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9$])")
_SPACE = re.compile(r"\s+")


# Runs made only of these cost linear time (measured) and are structure the layout rules read: pipe-table
# separators ("|---|---|"), leader dots, rules, underscores
_CHEAP_RUN = re.compile(r"[.|\-_*~/]+")


def _long_run(max_run: int) -> re.Pattern:
    # from the start of a run only, so the search is linear in the text
    return re.compile(r"(?<!\S)\S{%d,}" % (max_run + 1))


_LONG_RUN = _long_run(MAX_RUN)


def bounded_runs(text: str, max_run: int = MAX_RUN) -> str:
    """The text extraction reads: `text` with every run of more than `max_run` characters without
    whitespace cut to its first `max_run`, the rest of the run blanked with spaces (pure; same length,
    so every offset is an offset into `text`; `text` itself when nothing is cut).

    Why: spaCy's tokenizer strips prefixes and suffixes one character at a time, copying what is left,
    so 1,333 "$" in a row took 10.8 s and each doubling four times as long; the number patterns of
    ingest.quantities retry at every digit of a run, so a long run of digits is quadratic too. A run
    this long is no word, figure or name (the longest in the development and held-out documents is 99
    characters); cutting it makes the work per run bounded and the work per text linear. Runs of the
    characters in _CHEAP_RUN are left whole."""
    long_run = _LONG_RUN if max_run == MAX_RUN else _long_run(max_run)
    if long_run.search(text) is None:
        return text
    pieces: list[str] = []
    last = 0
    for match in long_run.finditer(text):
        if _CHEAP_RUN.fullmatch(match.group()):
            continue
        keep = match.start() + max_run
        pieces += [text[last:keep], " " * (match.end() - keep)]
        last = match.end()
    pieces.append(text[last:])
    return "".join(pieces)


def cut_points(text: str, window: int = WINDOW_CHARS) -> list[int]:
    """Offsets where `text` is cut into windows of at most `window` characters (pure).

    Every cut falls just after whitespace, at the best boundary in the second half of the window.
    """
    cuts: list[int] = []
    start = 0
    while len(text) - start > window:
        cut = _best_cut(text, start + window // 2, start + window)
        cuts.append(cut)
        start = cut
    return cuts


def _best_cut(text: str, low: int, high: int) -> int:
    for pattern in (_PARAGRAPH, _SENTENCE, _SPACE):
        last = None
        for last in pattern.finditer(text, low, high):
            pass
        if last is not None:
            return last.end()
    return high   # one "word" longer than half a window: cut it


def parse(nlp: "Language", text: str, cuts: list[int], progress: bool = False) -> "Doc":
    """`nlp(text)` for a text of any length, parsed in windows between `cuts` (offsets into `text`,
    ascending; see `cut_points`); one Doc whose offsets are offsets into `text`."""
    from spacy.tokens import Doc

    if not cuts:
        return nlp(text)
    bounds = [0, *cuts, len(text)]
    spans = [(bounds[i], bounds[i + 1]) for i in range(len(bounds) - 1) if bounds[i] < bounds[i + 1]]
    docs = [nlp(text[start:end]) for start, end in _with_progress(spans, len(text), progress)]
    doc = Doc.from_docs(docs, ensure_whitespace=False)
    if doc.text != text:   # a broken invariant would misplace every offset: stop rather than cite wrongly
        raise AssertionError("the windowed parse does not reproduce the text")
    return doc


def _with_progress(spans: list[tuple[int, int]], total: int, enabled: bool) -> Iterable[tuple[int, int]]:
    if not enabled:
        return spans
    from tqdm import tqdm

    def advance() -> Iterator[tuple[int, int]]:
        with tqdm(total=total, desc="  parsing (characters)", unit="char", unit_scale=True, file=sys.stderr,
                  leave=False) as bar:
            for start, end in spans:
                yield start, end
                bar.update(end - start)
    return advance()
