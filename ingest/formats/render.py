"""The text shapes the layout rules read (ingest.layout): one writer for every converter."""
from __future__ import annotations

import re

from ingest.formats.limits import budget

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


_NUMBER_CELL = re.compile(r"^[$\u20ac\u00a3]?\s?[\d,.]+\s?%?$")


def merge_stacked_header(rows: list[list[str]]) -> list[list[str]]:
    """A header set over two rows, its upper cells spanning the lower ones ("Hourly" over "Median |
    Mean"), as one row ("Hourly Median | Hourly Mean"), so each column's header names both its
    measure and its pay period. A spanned cell arrives empty (the converters write it so); it takes
    the text of the cell to its left. Only when the second row holds no figures and the third does."""
    if len(rows) < 3 or len(rows[0]) < 2:
        return rows
    top, second, data = rows[0], rows[1], rows[2]
    spans = any(not cell for cell in top[1:])
    labels_only = all(not _NUMBER_CELL.match(clean(cell)) and "$" not in cell for cell in second)
    if not (spans and labels_only and any(cell for cell in second) and any(re.search(r"\d", c) for c in data)):
        return rows
    filled = list(top)
    for index in range(1, len(filled)):
        if not filled[index]:
            filled[index] = filled[index - 1]
    merged = []
    for upper, lower in zip(filled, second + [""] * (len(filled) - len(second))):
        upper, lower = clean(upper), clean(lower)
        merged.append(upper if not lower or lower == upper else f"{upper} {lower}".strip())
    return [merged] + rows[2:]


def pipe_table(rows: list[list[str]], header: bool) -> list[str]:
    """A markdown pipe table; the separator under the first row marks it as the header."""
    rows = [[cell(c) for c in row] for row in rows]
    rows = [row for row in rows if any(row)]
    if not rows:
        return []
    if header:
        rows = merge_stacked_header(rows)
    width = max(len(row) for row in rows)
    # every row is padded to the widest: one wide row among many short ones would multiply the text
    budget().table(len(rows), width)
    rows = [row + [""] * (width - len(row)) for row in rows]
    lines = ["| " + " | ".join(row) + " |" for row in rows]
    if header and len(lines) > 1:
        lines.insert(1, "|" + "---|" * width)
    return lines


class TextBuilder:
    """Blocks (a paragraph, a list, a table, a heading) joined by one blank line."""

    def __init__(self):
        self.blocks: list[list[str]] = []
        self.characters = 0     # about the text's length so far; a conversion stops when it passes the limit

    def add(self, lines: list[str] | str) -> None:
        lines = [lines] if isinstance(lines, str) else lines
        lines = [line for line in (l.rstrip() for l in lines) if line.strip()]
        if lines:
            self.blocks.append(lines)
            self._count(lines)

    def add_to_last(self, line: str) -> None:
        """A list item or definition line that belongs to the block before it."""
        if self.blocks:
            self.blocks[-1].append(line)
            self._count([line])
        else:
            self.add(line)

    def _count(self, lines: list[str]) -> None:
        self.characters += sum(len(line) + 1 for line in lines) + 1
        budget().text(self.characters)

    def text(self) -> str:
        body = "\n\n".join("\n".join(block) for block in self.blocks)
        return body + "\n" if body else ""
