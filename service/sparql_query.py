"""What the endpoint tells a client about a query string before running it.

A small lexer strips comments, strings and IRIs so that an update operation can be named in a
clear 403. It is a courtesy, not the guard: queries run on a read-only store through
`Store.query`, which cannot parse an update, and in worker processes that cannot open a socket
(service.sandbox), so nothing here decides what a query may do. Written by hand because no
maintained Python SPARQL lexer exposes tokens; rdflib's parser builds a full algebra at several
milliseconds a query, and pyoxigraph parses without exposing the parse tree.
"""
from __future__ import annotations

import re

_LEXEME = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'          # long strings
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'                     # short strings
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"                     # IRIs
    r"|#[^\r\n]*",                              # comments end at a line feed or a carriage return
    re.DOTALL,
)
UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")


def strip_lexemes(query: str) -> str:
    """The query with strings, IRIs and comments blanked out (same length, so positions hold)."""
    return _LEXEME.sub(lambda m: " " * len(m.group()), query)


def looks_like_update(query: str) -> bool:
    """True when the text starts (after its prologue) with an update operation."""
    body = strip_lexemes(query)
    body = re.sub(r"(?is)^\s*(?:(?:PREFIX\s+[\w\-.]*:\s*|BASE\s*)\s*)*", "", _drop_prologue(body))
    first = re.match(r"\s*([A-Za-z]+)", body)
    return bool(first) and first.group(1).upper() in UPDATE_KEYWORDS


def _drop_prologue(body: str) -> str:
    # PREFIX p: <iri> and BASE <iri>: the IRIs are already blanked out
    return re.sub(r"(?i)\b(?:PREFIX\s+[\w\-.]*:|BASE)\s+", "", body)


def syntax_position(message: str) -> tuple[int | None, int | None]:
    """Line and column from a parser message: pyoxigraph's 'error at 1:6: expected ...' or rdflib's
    '... (line:1, col:6)'."""
    match = re.search(r"at (\d+):(\d+)", message) or re.search(r"line:(\d+), col:(\d+)", message)
    if match:
        return int(match.group(1)), int(match.group(2))
    return None, None


_OPENERS, _CLOSERS = "({[", ")}]"
_UNARY_RUN = re.compile(r"(?:[!^+\-]\s*){2,}")


def nesting_depth(query: str) -> int:
    """How deeply the query nests: brackets of every kind (groups, OPTIONAL and sub-select bodies,
    function calls, blank-node lists) and runs of unary operators (`!!!!x`, `^^^p`).

    pyoxigraph's parser and evaluator recurse once per level, so thousands of levels overflow the
    worker's stack; the endpoint refuses such a query before parsing it. Strings, IRIs and comments
    are blanked first, so brackets inside them do not count.
    """
    depth = deepest = 0
    text = strip_lexemes(query)
    for character in text:
        if character in _OPENERS:
            depth += 1
            deepest = max(deepest, depth)
        elif character in _CLOSERS:
            depth = max(0, depth - 1)
    longest_run = max((len(re.sub(r"\s", "", m.group())) for m in _UNARY_RUN.finditer(text)), default=0)
    return max(deepest, longest_run)
