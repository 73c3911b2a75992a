"""Document layout: lines classified as title, heading, paragraph, list item or table row.

Career articles arrive as plain text in many layouts: one paragraph per line or blank-line
separated, markdown headings and pipe tables, bullets ("-", "*", "•") or bare short lines
after a colon, numbered steps ("1.Complete ..."), "Label: value" fact sheets, and wage
tables whose cells were run together when scraped. The rules here look only at the shape
of each line and its neighbours, never at what a particular document says.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

HEADING_MAX_WORDS = 14
HEADING_MAX_CHARS = 110
TITLE_MAX_WORDS = 22

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^(?:[-*+\u2022\u25aa\u25e6\u2023\u00b7\u2013\u2014]|\(?[a-z]\))\s+")
_NUMBERED = re.compile(r"^\(?\d{1,2}[.)](?=\s*\S)\s*")
_MD_TABLE_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")
_MONEY = re.compile(r"\$\s?\d")
_PAY_LINE = re.compile(r"^(?:from|up to|starting at)\s+\$\s?\d", re.IGNORECASE)   # "From $85,333 a year"
_MONEY_AMOUNT = re.compile(r"\$\s?\d[\d,]*(?:\.\d+)?")
_SENTENCE_END = re.compile(r"[.!;,:]$")
_LABEL_VALUE = re.compile(r"^([A-Z][^:]{1,60}):\s+.*\d")  # "Median wage: $20.15"
# "Median hourly wage: $21.40", "Employment: 2,150": one fact per line, never joined into a paragraph
_FACT_LINE = re.compile(r"^[A-Z][A-Za-z0-9 ()/&,'\-]{1,50}:\s+\S")
# "Location: Columbus, OH", "State: Ohio": fact-sheet fields, never headings
# "Median Pay ........ $23.10/hour": a label, a dotted leader, its value (a fact-sheet line)
LEADER_LINE = re.compile(r"^(?P<label>[^\s.][^.]{0,80}?)\s*\.{4,}\s*(?P<value>[^.\s].*)$")
# "-----" or "=====" under a line (a setext heading) or framing a box: a rule, not text
_RULE_LINE = re.compile(r"^(?:-{3,}|={3,})$")
_FIELD_LINE = re.compile(r"^(?:location|state|region|area|city|county|metro(?:politan)? area|place|market|"
                         r"occupation|role|job title|source|year|period)\s*:\s*\S", re.IGNORECASE)


@dataclass
class Line:
    start: int          # offsets of the stripped line in the document
    end: int
    text: str
    kind: str = "paragraph"   # title | heading | paragraph | list_item | table_header | table_row
    indent: int = 0
    marker_end: int = 0       # end of a bullet or number marker, as an offset in the document
    section: str = ""         # nearest heading above (or the title)
    block: int = -1           # index of the block the line belongs to
    cells: list[tuple[int, int]] = field(default_factory=list)  # table cells as document offsets

    @property
    def words(self) -> int:
        return len(self.text.split())

    @property
    def content_start(self) -> int:
        return max(self.start, self.marker_end)


@dataclass
class Block:
    """Consecutive lines that belong together: a paragraph, a list with its lead-in, a table."""
    kind: str                 # paragraph | list | table | heading
    lines: list[Line]
    section: str

    @property
    def start(self) -> int:
        return self.lines[0].start

    @property
    def end(self) -> int:
        return self.lines[-1].end


@dataclass
class Layout:
    text: str
    title: str
    title_span: tuple[int, int] | None
    lines: list[Line]
    blocks: list[Block]


def split_lines(text: str) -> list[Line]:
    """Non-blank lines with their stripped offsets; blank lines are kept as zero-width markers."""
    lines: list[Line] = []
    position = 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        stripped = body.strip()
        if stripped:
            lead = len(body) - len(body.lstrip())
            start = position + lead
            lines.append(Line(start=start, end=start + len(stripped), text=stripped, indent=lead))
        else:
            lines.append(Line(start=position, end=position, text="", kind="blank"))
        position += len(raw)
    return lines


def _is_packed_table_row(text: str) -> bool:
    """'Dayton, OH MSAHourly$14.10$54.63$33.90': cells run together."""
    amounts = len(_MONEY.findall(text))
    if amounts < 2:
        return False
    before_first = text[: _MONEY.search(text).start()]
    # cells hold a figure each; words running on between the amounts ("$54.97 per hour, while the
    # annual median wage was $77,413") are a wrapped sentence, not cells
    if not before_first.strip(" +~:(").strip() or before_first.strip().lower() in ("from", "up to", "starting at"):
        return False   # "$21 - $26 an hour": a pay range on a line of its own, no cell names a row
    after_first = text[len(before_first):]
    pieces = _MONEY_AMOUNT.split(after_first)
    gaps, tail = pieces[1:-1], pieces[-1]
    if any(len(gap.split()) > 2 for gap in gaps) or re.search(r"[a-z0-9]\.\s+[A-Z]", after_first):
        return False
    return ". " not in before_first and len(before_first.split()) <= 14 and not text.rstrip().endswith(".")


def _reads_as_wrapped_sentence(text: str) -> bool:
    """'... listed pay from $41.08 to $56.83 an hour, most of them for': amounts joined by the words of a
    sentence (a range's "to", "and") and running on in words: in hard-wrapped text, a line of prose."""
    first = _MONEY.search(text)
    if first is None:
        return False
    pieces = _MONEY_AMOUNT.split(text[first.start():])
    gaps, tail = pieces[1:-1], pieces[-1]
    return any(re.fullmatch(r"\s*(?:to|and|or|through|than|versus|vs\.?)\s*", gap, re.IGNORECASE) for gap in gaps) \
        and len(re.findall(r"\b[a-z][a-z']*\b", tail)) >= 3


def _is_packed_header(text: str, next_line: Line | None) -> bool:
    """'LocationPay TypeLowMedianHigh': capitalised words run together above a packed table."""
    if next_line is None or next_line.kind != "table_row" or next_line.cells:
        return False
    seams = len(re.findall(r"[a-z][A-Z]", text))
    return seams >= 2 and not _SENTENCE_END.search(text) and "$" not in text


def _md_cells(line: Line) -> list[tuple[int, int]]:
    """Offsets of the cells of a '|'-separated row (or tab-separated row)."""
    separator = "|" if "|" in line.text else "\t"
    cells, cursor = [], line.start
    body = line.text
    pieces = body.split(separator)
    if separator == "|":
        if body.startswith("|"):
            pieces, cursor = pieces[1:], cursor + 1
        if body.endswith("|") and pieces:
            pieces = pieces[:-1]
    for piece in pieces:
        lead = len(piece) - len(piece.lstrip())
        stripped = piece.strip()
        cells.append((cursor + lead, cursor + lead + len(stripped)))
        cursor += len(piece) + 1
    return cells


def _classify_shape(line: Line, document: str) -> None:
    text = line.text
    heading = _MD_HEADING.match(text)
    if heading:
        line.kind = "heading"
        line.marker_end = line.start + heading.start(2)
        return
    if (_MD_TABLE_SEPARATOR.match(text) and "-" in text) or _RULE_LINE.match(text):
        line.kind = "table_separator"
        return
    if LEADER_LINE.match(text):
        line.kind = "list_item"    # one fact per line, never joined into a paragraph or read as a heading
        return
    if text.count("|") >= 2 or text.count("\t") >= 2:
        line.kind = "table_row"
        line.cells = _md_cells(line)
        return
    bullet = _BULLET.match(text)
    if bullet and len(text) > bullet.end():
        line.kind = "list_item"
        line.marker_end = line.start + bullet.end()
        return
    numbered = _NUMBERED.match(text)
    if numbered and len(text) > numbered.end():
        line.kind = "numbered"
        line.marker_end = line.start + numbered.end()
        return
    if _is_packed_table_row(text):
        line.kind = "table_row"


def _short(line: Line) -> bool:
    return line.words <= HEADING_MAX_WORDS and len(line.text) <= HEADING_MAX_CHARS


# A heading never ends on a word that needs another after it: "... is a national credential issued by the"
# is a wrapped line of a sentence, however short.
_DANGLING_WORDS = {"the", "a", "an", "by", "of", "to", "for", "and", "or", "in", "on", "with", "from", "at", "is",
                   "are", "was", "were", "as", "that", "which", "its", "their", "than"}


_NAME_CONNECTORS = {"of", "and", "for", "the", "in", "on", "&"}
_NAME_THEN_ACRONYM = re.compile(r"^((?:[A-Z][\w\-]*|of|and|for|the|in|on|&)(?:[ \t]+(?:[A-Z][\w\-]*|of|and|for|the|in|on|&))*)"
                                r"[ \t]*\((?P<short>[A-Z][A-Za-z]{1,9})\)")


def _name_runs_on(text: str, following: str) -> bool:
    """A name broken over the line end: the capitalised words ending this line and those opening the next,
    before an acronym in parentheses, have that acronym's letters as initials ("the Certified" then
    "Revenue Integrity Lead (CRIL)"). Hand-written (a line is read before any mention exists)."""
    opening = _NAME_THEN_ACRONYM.match(following.strip())
    if opening is None:
        return False
    tail = []
    for word in reversed(text.split()):
        if not (word[:1].isupper() or word in _NAME_CONNECTORS):
            break
        tail.insert(0, word)
    while tail and tail[0] in _NAME_CONNECTORS:
        tail = tail[1:]
    if not tail:
        return False
    words = tail + opening.group(1).split()
    initials = "".join(w[0] for w in words if w not in _NAME_CONNECTORS).upper()
    letters = opening.group("short").upper()
    return len(letters) >= 3 and initials.endswith(letters) and len(letters) > len(opening.group(1).split())


def _heading_shaped(line: Line) -> bool:
    body = line.text[line.content_start - line.start:]
    last = body.split()[-1].lower() if body.split() else ""
    return (_short(line) and not _SENTENCE_END.search(body) and not _LABEL_VALUE.match(body)
            and not _FIELD_LINE.match(body) and body[:1].isupper() and not _PAY_LINE.match(body)
            and last not in _DANGLING_WORDS)


def _next_content(lines: list[Line], index: int) -> Line | None:
    for candidate in lines[index + 1:]:
        if candidate.kind != "blank":
            return candidate
    return None


def classify(lines: list[Line], document: str) -> bool:
    """Set each line's kind. Returns whether the text is hard-wrapped (paragraphs span lines)."""
    for line in lines:
        if line.kind != "blank":
            _classify_shape(line, document)
    for index, line in enumerate(lines):
        if line.kind == "paragraph" and _is_packed_header(line.text, _next_content(lines, index)):
            line.kind = "table_header"
    _mark_header_rows(lines)
    _mark_setext_headings(lines)
    wrapped = _is_hard_wrapped(lines)
    if wrapped:
        for line in lines:
            if line.kind == "table_row" and not line.cells and _reads_as_wrapped_sentence(line.text):
                line.kind = "paragraph"    # a wrapped sentence holding a pay range, not a packed row
    _resolve_short_lines(lines, wrapped)
    return wrapped


def _is_hard_wrapped(lines: list[Line]) -> bool:
    """Hard-wrapped text breaks sentences across lines and separates paragraphs by blank lines."""
    plain = [(a, b) for a, b in zip(lines, lines[1:]) if a.kind == "paragraph" and not _FACT_LINE.match(a.text)]
    if len(plain) < 4 or not any(line.kind == "blank" for line in lines):
        return False
    continued = sum(1 for a, b in plain if b.kind == "paragraph" and not re.search(r"[.!?:]$", a.text))
    return continued / len(plain) > 0.3


def _mark_setext_headings(lines: list[Line]) -> None:
    """'Quick Facts: Pay in Ohio' right above a line of dashes or equals signs, after a blank line: a heading."""
    for index in range(1, len(lines)):
        line, previous = lines[index], lines[index - 1]
        if not (_RULE_LINE.match(line.text) and previous.kind == "paragraph" and _short(previous)):
            continue
        before = lines[index - 2] if index >= 2 else None
        if before is None or before.kind == "blank":
            previous.kind = "heading"


def _mark_header_rows(lines: list[Line]) -> None:
    """The first row of a pipe table (the one above its ---- separator) is its header; so is the first
    row of a table without a separator when it has no figures and the row below it has."""
    for index, line in enumerate(lines):
        if line.kind == "table_separator":
            previous = next((l for l in reversed(lines[:index]) if l.kind != "blank"), None)
            if previous is not None and previous.kind == "table_row":
                previous.kind = "table_header"
    content = [line for line in lines if line.kind != "blank"]
    for before, line, after in zip([None] + content[:-1], content, content[1:] + [None]):
        starts_a_table = line.kind == "table_row" and line.cells and (before is None or before.kind not in (
            "table_row", "table_header", "table_separator"))
        if starts_a_table and after is not None and after.kind == "table_row" and not re.search(r"\d", line.text) \
                and re.search(r"\d", after.text):
            line.kind = "table_header"


def _neighbours(lines: list[Line], index: int) -> tuple[Line | None, bool, Line | None, bool]:
    """Previous and next non-blank lines, and whether a blank line separates each from this one."""
    before, blank_before = None, index == 0
    for candidate in reversed(lines[:index]):
        if candidate.kind == "blank":
            blank_before = True
        else:
            before = candidate
            break
    after, blank_after = None, False
    for candidate in lines[index + 1:]:
        if candidate.kind == "blank":
            blank_after = True
        else:
            after = candidate
            break
    return before, blank_before or before is None, after, blank_after


def _is_heading(line: Line, before: Line | None, blank_before: bool, after: Line | None,
                blank_after: bool, wrapped: bool) -> bool:
    if not _heading_shaped(line) or after is None:
        return False
    if not blank_before and before is not None and before.text.split() \
            and before.text.split()[-1].lower() in _DANGLING_WORDS:
        return False   # the line above stops mid-phrase ("... issued by the"): this line goes on with it
    if not blank_after and after.kind == "paragraph" and after.text[:1].islower():
        return False   # the line below goes on with this one ("when they hire ...")
    if not blank_after and _name_runs_on(line.text, after.text):
        return False   # "... grants the Certified" / "Revenue Integrity Lead (CRIL) to managers."
    if wrapped:
        # in wrapped prose a short line is a heading only when it stands alone
        return blank_before and (blank_after or after.kind in ("list_item", "table_row", "table_header"))
    return (not _short(after) or after.kind in ("list_item", "table_row", "table_header", "numbered")
            or re.search(r"[.!?:]$", after.text) is not None or _heading_shaped(after))


def _bare_item_shaped(line: Line, after: Line | None, blank_after: bool, wrapped: bool) -> bool:
    """An unmarked list item is one phrase: it holds no sentence break ("Agree. Two more ..."), does not
    start mid-sentence, and in wrapped text does not run on into a next line that continues it."""
    text = line.text
    if re.search(r"[a-z0-9)]\.\s+[A-Z]", text) or text[:1].islower():
        return False
    runs_on = after is not None and not blank_after and after.kind == "paragraph" and after.text[:1].islower()
    return not (wrapped and runs_on)


def _resolve_short_lines(lines: list[Line], wrapped: bool) -> None:
    """Decide between heading, bare list item and paragraph for plain and numbered lines."""
    bare_list = False   # inside a run of unmarked short lines after "... such as:"
    for index, line in enumerate(lines):
        if line.kind == "blank":
            continue
        before, blank_before, after, blank_after = _neighbours(lines, index)
        if line.kind == "paragraph" and bare_list and _short(line) and _bare_item_shaped(line, after, blank_after,
                                                                                       wrapped):
            line.kind = "list_item"
            continue
        if line.kind in ("paragraph", "numbered"):
            if _is_heading(line, before, blank_before, after, blank_after, wrapped):
                line.kind = "heading"
            elif line.kind == "numbered":
                line.kind = "list_item"
        colon = line.text.endswith(":") and line.kind in ("paragraph", "list_item")
        bare_list = colon and after is not None and after.kind in ("paragraph", "numbered") and _short(after)
        if line.kind == "list_item" and line.marker_end == 0:
            bare_list = True


def _assign_title(lines: list[Line]) -> tuple[str, tuple[int, int] | None]:
    content = [line for line in lines if line.kind != "blank"]
    if not content:
        return "", None
    first = content[0]
    if first.kind in ("heading", "paragraph") and first.words <= TITLE_MAX_WORDS and not _SENTENCE_END.search(first.text):
        first.kind = "title"
        body_start = first.content_start
        return first.text[body_start - first.start:], (body_start, first.end)
    heading = next((line for line in content if line.kind == "heading"), None)
    if heading is not None:
        return heading.text[heading.content_start - heading.start:], (heading.content_start, heading.end)
    return "", None


def _group_blocks(lines: list[Line], wrapped: bool) -> list[Block]:
    blocks: list[Block] = []
    section = ""
    current: Block | None = None
    pending_blank = False
    for line in lines:
        if line.kind == "blank":
            pending_blank = True
            continue
        if line.kind == "table_separator":
            continue
        if line.kind in ("title", "heading"):
            section = line.text[line.content_start - line.start:]
            line.section = section
            blocks.append(Block("heading", [line], section))
            current, pending_blank = None, False
            continue
        line.section = section
        kind = {"list_item": "list", "table_row": "table", "table_header": "table"}.get(line.kind, "paragraph")
        lead_in = (current is not None and current.kind == "paragraph" and kind == "list"
                   and current.lines[-1].text.endswith(":"))
        continues_paragraph = (wrapped and not pending_blank and current is not None
                               and current.kind == "paragraph" and kind == "paragraph"
                               and not _FACT_LINE.match(line.text) and not _FACT_LINE.match(current.lines[-1].text))
        # a name broken over the line end joins its two lines in any text ("the Certified" / "Revenue ... (CRIL)")
        continues_paragraph = continues_paragraph or (
            not pending_blank and current is not None and current.kind == "paragraph" and kind == "paragraph"
            and _name_runs_on(current.lines[-1].text, line.text))
        if lead_in:
            current.kind = "list"  # "Classes typically include:" introduces the list after it
            current.lines.append(line)
        elif continues_paragraph or (current is not None and current.kind == kind and kind in ("list", "table")
                                     and not (pending_blank and kind == "table")):
            current.lines.append(line)
        else:
            current = Block(kind, [line], section)
            blocks.append(current)
        pending_blank = False
    for index, block in enumerate(blocks):
        for line in block.lines:
            line.block = index
    return blocks


def _join_item_continuations(lines: list[Line], text: str) -> list[Line]:
    """'  * AAPC: CPC, COC and CDEO (documentation' over '    expert outpatient)': a line indented under a
    bulleted item, with no blank line between, continues that item."""
    joined: list[Line] = []
    for line in lines:
        previous = joined[-1] if joined else None
        if (previous is not None and previous.kind == "list_item" and previous.marker_end > 0
                and line.kind == "paragraph" and line.indent > previous.indent
                and line.indent >= previous.marker_end - previous.start + previous.indent - 1):
            previous.end = line.end
            previous.text = text[previous.start:previous.end]
            continue
        joined.append(line)
    return joined


def parse_layout(text: str) -> Layout:
    lines = split_lines(text)
    wrapped = classify(lines, text)
    lines = _join_item_continuations(lines, text)
    title, title_span = _assign_title(lines)
    blocks = _group_blocks(lines, wrapped)
    content = [line for line in lines if line.kind not in ("blank", "table_separator")]
    return Layout(text=text, title=title, title_span=title_span, lines=content, blocks=blocks)
