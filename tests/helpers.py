"""Helpers for tests that run extraction on short strings."""
from __future__ import annotations

from ingest.extract import analyse as analyse_with
from kg.vocabulary import load_vocabulary


def analyse(text: str):
    """Extraction of a short string with the project's reference vocabulary."""
    return analyse_with(text, load_vocabulary())


def mentions(text: str, kind: str | None = None):
    return [m for m in analyse(text).mentions if kind is None or m.kind == kind]


def issuers(text: str) -> set[tuple[str, str]]:
    return {(r.subject.key, r.object.key) for r in analyse(text).relations if r.predicate == "issuedBy"}


def figures(text: str, kind: str | None = None):
    return [r for r in analyse(text).statistics if kind is None or r.kind == kind]


def wage_values(text: str) -> set[tuple]:
    """(region key, period, measure, value) for every wage value in the text."""
    return {(r.region.key if r.region else None, r.period, v.measure, str(v.amount))
            for r in figures(text, "WageStatistic") for v in r.values}


def highlighted_text(page: str) -> str:
    """The text of a document page's `<mark id="highlight">`, unescaped, without the claim marks nested in it."""
    import html
    import re

    start = page.index('<mark id="highlight">') + len('<mark id="highlight">')
    depth, position = 1, start
    for tag in re.finditer(r"<(/?)mark\b[^>]*>", page[start:]):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            position = start + tag.start()
            break
    return html.unescape(re.sub(r"<[^>]+>", "", page[start:position]))
