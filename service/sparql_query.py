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

# An unterminated string runs to the end of its line (a long one to the end of the text), so that
# every quote starts at most one scan: a pattern that had to find the closing quote restarted at every
# escaped quote of an unterminated string ('"' + '\\"' * N) and scanned to the end each time,
# quadratic time on the request thread, holding the GIL (100 kB took minutes). The engine rejects an
# unterminated string anyway; the nesting guard still counts the brackets in one (_guarded_text).
_LEXEME = re.compile(
    r'"""(?:[^"\\]|\\(?:.|\Z)|"(?!""))*(?:"""|\Z)'          # long strings
    r"|'''(?:[^'\\]|\\(?:.|\Z)|'(?!''))*(?:'''|\Z)"
    r'|"(?:[^"\\\r\n]|\\[^\r\n])*(?:"|\\?(?=[\r\n])|\\?\Z)'   # short strings, up to a line's end
    r"|'(?:[^'\\\r\n]|\\[^\r\n])*(?:'|\\?(?=[\r\n])|\\?\Z)"
    r"|<[^<>\"{}|^`\\\x00-\x20]*>"               # IRIs: exactly IRIREF's characters
    r"|#[^\r\n]*",                              # comments end at a line feed or a carriage return
    re.DOTALL,
)
# A string the engine reads as one: terminated on its line (long strings: anywhere).
_CLOSED_STRING = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\r\n]|\\[^\r\n])*"'
    r"|'(?:[^'\\\r\n]|\\[^\r\n])*'",
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


def _guarded_text(query: str, for_unary_runs: bool = False) -> str:
    """The query as the nesting guard reads it. Strings are blanked: a parser reads a string exactly
    where this lexer does, or fails (an unterminated one is kept, like an IRI). IRIs and comments are where a checker and an engine have
    disagreed (a comment ended by a carriage return; `a<(((b)))>c` an IRI to a lexer, brackets to the
    engine): inside them an opening bracket still counts and a closing one does not, so whatever the
    engine makes of them, the count is never lower than the engine's. For unary runs, IRIs are kept
    as written (`1<!!!!x>` is an IRI to a lexer, negations to the engine) and comments blanked (a
    `# -----` line is no operator to anyone)."""
    def blank(match: re.Match) -> str:
        lexeme = match.group()
        closed_string = lexeme[0] in "\"'" and _CLOSED_STRING.fullmatch(lexeme) is not None
        if closed_string or (for_unary_runs and lexeme[0] == "#"):
            return " " * len(lexeme)
        if for_unary_runs:
            return lexeme
        return "".join(c if c in _OPENERS else " " for c in lexeme)

    return _LEXEME.sub(blank, query)


def nesting_depth(query: str) -> int:
    """How deeply the query nests: brackets of every kind (groups, OPTIONAL and sub-select bodies,
    function calls, blank-node lists) and runs of unary operators (`!!!!x`, `^^^p`).

    pyoxigraph's parser and evaluator recurse once per level, so tens of thousands of levels overflow
    a worker's stack; the endpoint refuses a query nested deeper than its limit before parsing it. The
    count is an upper bound whatever the engine's reading of strings, IRIs and comments (see
    _guarded_text); unary runs are counted with IRIs as written (`1<!!!!x>` is an IRI to a lexer
    and negations to the engine) and comments blanked (a `# -----` line is not an operator).
    """
    depth = deepest = 0
    for character in _guarded_text(query):
        if character in _OPENERS:
            depth += 1
            deepest = max(deepest, depth)
        elif character in _CLOSERS:
            depth = max(0, depth - 1)
    unary_text = _guarded_text(query, for_unary_runs=True)
    longest_run = max((len(re.sub(r"\s", "", m.group())) for m in _UNARY_RUN.finditer(unary_text)), default=0)
    return max(deepest, longest_run)


_CHAIN_OPERATOR = re.compile(r"&&|\|\||[+*/|]|\b(?:UNION|OPTIONAL|MINUS)\b", re.IGNORECASE)


def longest_operator_run(query: str) -> int:
    """The most binary operators (&&, ||, +, *, /, |, UNION, OPTIONAL, MINUS) between one bracket and its
    match: an estimate of the longest chain an engine folds into nested nodes.

    Only a cost guard for the remote store's check (service.remote_queries): rdflib's parser takes
    seconds per thousand chained operands, so a query whose estimate is over the depth limit is refused
    before it is parsed. Never the decision itself: that is made on the parse tree
    (service.sparql_canonical), so a text that fools this estimate is still measured there.
    """
    text = strip_lexemes(query)
    counts = [0]
    longest = 0
    for match in re.finditer(r"[({\[]|[)}\]]|" + _CHAIN_OPERATOR.pattern, text, re.IGNORECASE):
        token = match.group()
        if token in "({[":
            counts.append(0)
        elif token in ")}]":
            if len(counts) > 1:
                counts.pop()
        else:
            counts[-1] += 1
            longest = max(longest, counts[-1])
    return longest
