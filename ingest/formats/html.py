"""HTML to text: the page's main content, without navigation, cookie banners, sidebars or footers.

Main-content detection is trafilatura's (its own rules, with readability and jusText as
fallbacks). We ask for its XML, not its markdown, and render that XML ourselves, because its
markdown writes headings without `#` markers unless inline formatting is on, and puts a
table's caption into the header row; the layout rules need `## ` headings and one header row.
Measured against readability-lxml on the HTML of shared/dev-eval and tests/gold/heldout
(README, "Document formats"): both drop the boilerplate, but readability also drops the
`<h2>` titles of job-board cards and keeps bylines, and flattens definition lists.
"""
from __future__ import annotations

from lxml import etree

from ingest.formats.errors import UnreadableFormat
from ingest.formats.render import TextBuilder, clean, definition, heading, list_item, pipe_table

# links are kept as <ref> only to tell a page of menus from a page with something to read
_OPTIONS = dict(output_format="xml", include_tables=True, include_comments=False, include_images=False,
                include_links=True, include_formatting=False, deduplicate=False, with_metadata=False)
MIN_CONTENT_WORDS = 12      # words outside links; below this trafilatura only found menus or a footer


def html_to_text(data: bytes) -> str:
    import trafilatura

    xml = trafilatura.extract(data, **_OPTIONS)
    if not xml:
        raise UnreadableFormat("no main content found in the HTML page (only navigation, banners or "
                               "boilerplate); save the article itself or convert it to text")
    root = etree.fromstring(xml.encode("utf-8"))
    main = root.find("main")
    main = main if main is not None else root
    if _words_outside_links(main) < MIN_CONTENT_WORDS:
        raise UnreadableFormat("no main content found in the HTML page (only links, menus or a footer); "
                               "save the article itself or convert it to text")
    return render_main(main)


def _words_outside_links(element) -> int:
    words = len((element.text or "").split()) if element.tag != "ref" else 0
    for child in element:
        words += _words_outside_links(child) + len((child.tail or "").split())
    return words


def _inline(element) -> str:
    """An element's text with line breaks (<lb/>) kept as newlines, each line's spaces collapsed."""
    parts: list[str] = []

    def walk(node):
        if node.text:
            parts.append(node.text)
        for child in node:
            if child.tag == "lb":
                parts.append("\n")
            elif child.tag != "list":      # a nested list is rendered on its own lines
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(element)
    return "\n".join(line for line in (clean(l) for l in "".join(parts).split("\n")) if line)


def _heading_level(element) -> int:
    rend = element.get("rend", "h2")
    return int(rend[1]) if len(rend) == 2 and rend[0] == "h" and rend[1].isdigit() else 2


def _list_lines(element) -> list[str]:
    if element.get("rend") == "dl":
        return _definition_lines(element)
    lines: list[str] = []
    for item in element.findall("item"):
        text = _inline(item)
        if text:
            lines.extend(list_item(line) for line in text.split("\n"))
        for nested in item.findall("list"):
            lines.extend(_list_lines(nested))
    return lines


def _definition_lines(element) -> list[str]:
    """<dl> as `Term: definition` lines (trafilatura marks items dt-N and dd-N)."""
    lines: list[str] = []
    term: str | None = None
    for item in element.findall("item"):
        rend = item.get("rend", "")
        text = clean(_inline(item))
        if rend.startswith("dt"):
            if term:
                lines.append(definition(term, ""))
            term = text
        elif term is not None:
            lines.append(definition(term, text))
            term = None
        elif text:
            lines.append(text)      # a further <dd> of the same term
    if term:
        lines.append(definition(term, ""))
    return lines


def _table_blocks(element) -> tuple[str | None, list[str]]:
    """(caption, pipe-table lines). trafilatura gives a <caption> as a first row with one filled cell."""
    rows = [[(clean(_inline(c)), c.get("role") == "head") for c in row.findall("cell")]
            for row in element.iter("row")]
    rows = [row for row in rows if any(text for text, _ in row)]
    caption = None
    if len(rows) > 1 and len(rows[0]) > 1 and sum(1 for text, _ in rows[0] if text) == 1:
        caption = next(text for text, _ in rows[0] if text)
        rows = rows[1:]
    header = bool(rows) and all(head for text, head in rows[0] if text)
    return caption, pipe_table([[text for text, _ in row] for row in rows], header)


def render_main(main) -> str:
    builder = TextBuilder()
    _render_children(main, builder)
    return builder.text()


def _render_children(parent, builder: TextBuilder) -> None:
    for element in parent:
        tag = element.tag
        if tag == "head":
            builder.add(heading(_inline(element), _heading_level(element)))
        elif tag == "list":
            builder.add(_list_lines(element))
        elif tag == "table":
            caption, lines = _table_blocks(element)
            if caption:
                builder.add(caption)
            builder.add(lines)
        elif tag in ("div", "quote") and len(element):
            _render_children(element, builder)
            if element.text and element.text.strip():
                builder.add(clean(element.text))
        elif tag == "graphic":
            continue
        else:
            builder.add(_inline(element).split("\n"))
