"""Token patterns (spaCy's Matcher notation) matched in time linear in the length of the text.

spaCy's Matcher follows every partial match of a pattern at once and lists every match, every
start and every length, before keeping the longest; a run of tokens a pattern may repeat over
("& & & ...", a list of a thousand acronyms) holds a partial match from each of its tokens, so
its cost is the square of the run's length (10 kB of "& " took 15 s, a line of repeated
acronyms never ended), and its bounded quantifiers ("{0,8}") are worse still, since they copy
states. Only the longest match from each start is wanted, which one right-to-left pass finds:
at each token, for each element of the pattern, the furthest end a match of the rest of the
pattern can reach from there (dynamic programming, like matching a regular expression by its
automaton). Then, as spaCy's greedy="LONGEST" does, the longest matches that do not overlap
are kept. Cost: tokens x pattern elements, and only over stretches of tokens the pattern can
match at all.

The notation is the part of spaCy's token pattern that the extraction rules use: a custom
attribute ("_": {"rel": TAG | {"IN": [...]} | {"NOT_IN": [...]}}), "LOWER": {"IN": [...]},
"ORTH", and the operators "?", "*", "+" (none: exactly one).
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from typing import Callable

from spacy.tokens import Doc

Signature = tuple[str, str, str]        # (token._.rel, token.lower_, token.text)


@dataclass(frozen=True)
class _Element:
    test: Callable[[Signature], bool]
    op: str                             # "1" | "?" | "*"


def _value_test(spec, index: int) -> Callable[[Signature], bool]:
    if isinstance(spec, str):
        return lambda signature: signature[index] == spec
    if isinstance(spec, dict) and set(spec) == {"IN"}:
        values = frozenset(spec["IN"])
        return lambda signature: signature[index] in values
    if isinstance(spec, dict) and set(spec) == {"NOT_IN"}:
        values = frozenset(spec["NOT_IN"])
        return lambda signature: signature[index] not in values
    raise ValueError(f"unsupported token pattern value: {spec!r}")


def _compile_spec(spec: dict) -> tuple[Callable[[Signature], bool], str]:
    tests = []
    op = spec.get("OP", "1")
    for key, value in spec.items():
        if key == "OP":
            continue
        if key == "_":
            if set(value) != {"rel"}:
                raise ValueError(f"unsupported custom attribute in token pattern: {value!r}")
            tests.append(_value_test(value["rel"], 0))
        elif key == "LOWER":
            tests.append(_value_test(value, 1))
        elif key == "ORTH":
            tests.append(_value_test(value, 2))
        else:
            raise ValueError(f"unsupported token pattern attribute: {key!r}")
    if op not in ("1", "?", "*", "+"):
        raise ValueError(f"unsupported token pattern operator: {op!r}")
    return (lambda signature: all(test(signature) for test in tests)), op


def _compile(pattern: list[dict]) -> list[_Element]:
    """Elements with "+" written as one, then any number more."""
    elements: list[_Element] = []
    for spec in pattern:
        test, op = _compile_spec(spec)
        if op == "+":
            elements += [_Element(test, "1"), _Element(test, "*")]
        else:
            elements.append(_Element(test, op))
    if not any(element.op == "1" for element in elements):
        raise ValueError("a token pattern needs at least one element that must match")
    return elements


class TokenPatterns:
    """Named patterns; calling it on a Doc gives (name, start, end) token spans, in document order.

    `skip_spaces`: whitespace tokens (a line break, runs of spaces) are passed over anywhere inside a
    match, as if each pattern allowed them between any two of its elements; a match never starts or
    ends on one (spaCy's Matcher, given optional whitespace between elements, let a match whose last
    elements matched nothing end on the whitespace before them: nothing is read from it)."""

    def __init__(self, patterns: dict[str, list[dict]], skip_spaces: bool = False):
        self.source = patterns          # as written, in spaCy's notation
        self.patterns = {name: _compile(pattern) for name, pattern in patterns.items()}
        self.skip_spaces = skip_spaces

    def __call__(self, doc: Doc) -> list[tuple[str, int, int]]:
        positions = [t.i for t in doc if not (self.skip_spaces and t.is_space)]
        signatures = [(t._.rel, t.lower_, t.text) for t in (doc[i] for i in positions)]
        found: list[tuple[int, int, int, str]] = []
        for order, (name, elements) in enumerate(self.patterns.items()):
            # lengths in the document's tokens, as spaCy counts them (whitespace inside a match included)
            spans = [(positions[start], positions[end - 1] + 1) for start, end in _longest_matches(elements, signatures)]
            for start, end in _keep_longest(spans):
                found.append((start, order, end, name))
        return [(name, start, end) for start, _, end, name in sorted(found)]


def _longest_matches(elements: list[_Element], signatures: list[Signature]) -> list[tuple[int, int]]:
    """The longest match (start, end) of one pattern from each start in a token sequence that has one."""
    verdicts: dict[Signature, tuple[bool, ...]] = {}
    accepted: list[tuple[bool, ...]] = []
    for signature in signatures:
        verdict = verdicts.get(signature)
        if verdict is None:
            verdict = verdicts[signature] = tuple(element.test(signature) for element in elements)
        accepted.append(verdict)
    first_required = next(j for j, element in enumerate(elements) if element.op == "1")
    starters = range(first_required + 1)   # the elements a match can begin with
    candidates: list[tuple[int, int]] = []
    index, count = 0, len(signatures)
    while index < count:               # stretches of tokens some element accepts; a match lies inside one
        if not any(accepted[index]):
            index += 1
            continue
        stop = index
        while stop < count and any(accepted[stop]):
            stop += 1
        if any(accepted[i][j] for i in range(index, stop) for j in starters):
            candidates += _longest_from_each_start(elements, accepted, index, stop)
        index = stop
    return candidates


def _longest_from_each_start(elements: list[_Element], accepted: list[tuple[bool, ...]], first: int,
                             stop: int) -> list[tuple[int, int]]:
    """For each start in [first, stop), the end of the longest match from it, if any: a right-to-left
    pass keeping, for each element j, the furthest end of a match of elements j.. from the token."""
    size = len(elements)
    optional = [element.op != "1" for element in elements]
    repeats = [element.op == "*" for element in elements]
    following: list[int | None] = [None] * (size + 1)
    following[size] = stop
    for j in range(size - 1, -1, -1):
        following[j] = following[j + 1] if optional[j] else None
    found = []
    for i in range(stop - 1, first - 1, -1):
        verdict = accepted[i]
        here: list[int | None] = [None] * (size + 1)
        here[size] = i
        for j in range(size - 1, -1, -1):
            reach = None
            if verdict[j]:
                reach = following[j] if repeats[j] else following[j + 1]
            if optional[j]:
                skipped = here[j + 1]
                if skipped is not None and (reach is None or skipped > reach):
                    reach = skipped
            here[j] = reach
        if here[0] is not None and here[0] > i:
            found.append((i, here[0]))
        following = here
    return found


def _keep_longest(candidates: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """spaCy's greedy="LONGEST": longest first (the earlier of two as long), none overlapping one kept."""
    kept: list[tuple[int, int]] = []
    starts: list[int] = []
    for start, end in sorted(candidates, key=lambda span: (span[0] - span[1], span[0])):
        at = bisect_left(starts, start)
        if at > 0 and kept[at - 1][1] > start:
            continue
        if at < len(kept) and kept[at][0] < end:
            continue
        starts.insert(at, start)
        kept.insert(at, (start, end))
    return kept
