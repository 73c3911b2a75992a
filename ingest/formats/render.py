"""The text shapes the layout rules read (ingest.structure): one writer for every converter."""
from __future__ import annotations

import re

_SPACE = re.compile(r"\s+")


def clean(text: str) -> str:
    """Whitespace (newlines, tabs, no-break spaces) collapsed to single spaces, ends stripped."""
    return _SPACE.sub(" ", text.replace("\u00ad", "")).strip()


def cell(text: str) -> str:
    """A table cell on one line; a `|` inside it would split the cell, so it becomes `/`."""
    return clean(text).replace("|", "/")


def heading(text: str, level: int) -> str:
    return "#" * max(1, min(level, 6)) + " " + clean(text)


def list_item(text: str) -> str:
    return "- " + clean(text)


def definition(term: str, text: str) -> str:
    term, text = clean(term).rstrip(":"), clean(text)
    return f"{term}: {text}" if text else term


def pipe_table(rows: list[list[str]], header: bool) -> list[str]:
    """A markdown pipe table; the separator under the first row marks it as the header."""
    rows = [[cell(c) for c in row] for row in rows]
    rows = [row for row in rows if any(row)]
    if not rows:
        return []
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    lines = ["| " + " | ".join(row) + " |" for row in rows]
    if header and len(lines) > 1:
        lines.insert(1, "|" + "---|" * width)
    return lines


class TextBuilder:
    """Blocks (a paragraph, a list, a table, a heading) joined by one blank line."""

    def __init__(self):
        self.blocks: list[list[str]] = []

    def add(self, lines: list[str] | str) -> None:
        lines = [lines] if isinstance(lines, str) else lines
        lines = [line for line in (l.rstrip() for l in lines) if line.strip()]
        if lines:
            self.blocks.append(lines)

    def add_to_last(self, line: str) -> None:
        """A list item or definition line that belongs to the block before it."""
        if self.blocks:
            self.blocks[-1].append(line)
        else:
            self.add(line)

    def text(self) -> str:
        body = "\n\n".join("\n".join(block) for block in self.blocks)
        return body + "\n" if body else ""
