"""Query-side paraphrase expansion: the words a question uses are not always the documents' words
("what do coders make" vs "median wage"; "certs" vs "certifications").

The groups come from `paraphrases.tsv` (plain English of the field, no names or figures of the
corpus); `expansions` is a pure function from a question to the words it adds.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from search.question import words

TABLE = Path(__file__).with_name("paraphrases.tsv")


def parse_groups(text: str) -> list[tuple[str, ...]]:
    """Groups of interchangeable phrases (each as its lower-case words joined by one space), one per
    line of tab-separated phrases; '#' starts a comment line."""
    groups = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        phrases = tuple(dict.fromkeys(" ".join(words(p)) for p in line.split("\t") if words(p)))
        if len(phrases) < 2:
            raise ValueError(f"{TABLE.name} line {number}: a group needs two phrases or more, separated by tabs")
        groups.append(phrases)
    return groups


@lru_cache(maxsize=1)
def groups() -> tuple[tuple[str, ...], ...]:
    return tuple(parse_groups(TABLE.read_text(encoding="utf-8")))


def expansions(question: str, table: tuple[tuple[str, ...], ...] | None = None) -> list[str]:
    """The phrases of every group the question uses a phrase of, minus those it already holds."""
    said = " " + " ".join(words(question)) + " "
    added: list[str] = []
    for group in (groups() if table is None else table):
        if any(f" {phrase} " in said for phrase in group):
            added += [p for p in group if f" {p} " not in said and p not in added]
    return added
