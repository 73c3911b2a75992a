"""ingest.tokenpatterns, the linear-time stand-in for spaCy's Matcher: the same matches as the Matcher
(greedy="LONGEST") on real documents, for every pattern extraction uses, and time linear in a run of
tokens a pattern repeats over ("& & & ...", which the Matcher took quadratic time on)."""
from __future__ import annotations

import time

import pytest
from spacy.matcher import Matcher

from ingest import entities, relations
from ingest.tokenpatterns import TokenPatterns

from paths import SEED_CORPUS, SHARED


def _with_spaces(pattern: list[dict]) -> list[dict]:
    """What the extraction rules gave spaCy when whitespace tokens may sit inside a match."""
    spaced: list[dict] = []
    for spec in pattern:
        if spaced:
            spaced.append({"IS_SPACE": True, "OP": "*"})
        spaced.append(spec)
    return spaced


def spacy_matches(doc, patterns: TokenPatterns) -> list[tuple[str, int, int]]:
    matcher = Matcher(doc.vocab)
    for name, pattern in patterns.source.items():
        matcher.add(name, [_with_spaces(pattern) if patterns.skip_spaces else pattern], greedy="LONGEST")
    found = []
    for key, start, end in matcher(doc):
        while patterns.skip_spaces and doc[end - 1].is_space:
            end -= 1     # whitespace before elements that matched nothing: spaCy includes it, ours does not
        found.append((doc.vocab.strings[key], start, end))
    return sorted(found)


class Comparing:
    """Stands where extraction calls its TokenPatterns: answers with them, and records spaCy's answer."""

    def __init__(self, patterns: TokenPatterns, log: list):
        self.patterns, self.log = patterns, log
        self.source, self.skip_spaces = patterns.source, patterns.skip_spaces

    def __call__(self, doc):
        ours = self.patterns(doc)
        self.log.append((sorted(ours), spacy_matches(doc, self.patterns), ours))
        return ours


def _documents():
    from ingest.reader import read_document

    paths = sorted(SEED_CORPUS.iterdir())
    dev = SHARED / "dev-eval" / "documents"
    if dev.is_dir():
        paths += sorted(dev.iterdir())
    return [read_document(path) for path in paths]


@pytest.fixture(scope="module")
def comparisons():
    from ingest.extract import analyse
    from kg.vocabulary import load_vocabulary

    vocabulary = load_vocabulary()
    log: list = []
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(entities, "_ROLE_PATTERNS", Comparing(entities._ROLE_PATTERNS, log))
    monkeypatch.setattr(relations, "_ISSUER_MATCHER", Comparing(relations._ISSUER_MATCHER, log))
    monkeypatch.setattr(relations, "_SOURCE_MATCHER", Comparing(relations._SOURCE_MATCHER, log))
    try:
        documents = _documents()
        for document in documents:
            analyse(document.text, vocabulary)
    finally:
        monkeypatch.undo()
    return documents, log


def test_same_matches_as_spacy_on_real_documents(comparisons):
    documents, log = comparisons
    assert len(log) >= 3 * len(documents)          # roles, issuers, sources: every document went through
    assert sum(len(spacy) for _, spacy, _ in log) > 100, "the documents must give matches to compare"
    for ours, spacy, _ in log:
        assert ours == spacy


def test_matches_come_in_document_order(comparisons):
    _, log = comparisons
    for _, _, ours in log:
        assert [m[1:] for m in ours] == sorted(m[1:] for m in ours)


def _doc(text: str):
    from kg.vocabulary import load_vocabulary
    from ingest.nlp import pipeline

    return pipeline(load_vocabulary())(text)


@pytest.mark.parametrize("text", [
    "medical coder & & & & biller",
    "Senior medical billing and coding specialist and medical records technician",
    "coder\n\ncoders and billers",
])
def test_role_phrases_like_spacy(text):
    doc = _doc(text)
    assert sorted(entities._ROLE_PATTERNS(doc)) == spacy_matches(doc, entities._ROLE_PATTERNS)


def test_operators_like_spacy_on_a_written_sequence():
    """Every operator, and a run where optional elements and repeats compete for the same tokens."""
    doc = _doc("a b b a c a b a a b c c b a b c a a a c b")
    patterns = TokenPatterns({
        "one-star-one": [{"ORTH": "a"}, {"ORTH": {"IN": ["a", "b"]}, "OP": "*"}, {"ORTH": "c"}],
        "plus-opt": [{"ORTH": "b", "OP": "+"}, {"ORTH": "a", "OP": "?"}, {"ORTH": {"NOT_IN": ["c"]}}],
        "opt-first": [{"ORTH": "c", "OP": "?"}, {"ORTH": "b"}, {"ORTH": "a", "OP": "*"}],
        "star-star": [{"ORTH": "a", "OP": "*"}, {"ORTH": "b", "OP": "*"}, {"ORTH": "c"}],
    })
    assert sorted(patterns(doc)) == spacy_matches(doc, patterns)


def test_a_match_may_begin_with_its_first_required_element():
    """Optional elements first, none of them present: the match begins at the element that must match."""
    doc = _doc("c b a a b")
    patterns = TokenPatterns({"late-start": [{"ORTH": "x", "OP": "*"}, {"ORTH": "z", "OP": "?"},
                                             {"ORTH": "a", "OP": "+"}, {"ORTH": "b"}]})
    assert patterns(doc) == [("late-start", 2, 5)] == spacy_matches(doc, patterns)


def test_skipped_spaces_never_start_or_end_a_match():
    doc = _doc("coder \n\n  and   \n biller")
    patterns = TokenPatterns({"run": [{"LOWER": {"IN": ["coder", "and", "biller"]}, "OP": "+"}]}, skip_spaces=True)
    assert [(doc[s].text, doc[e - 1].text) for _, s, e in patterns(doc)] == [("coder", "biller")]


def _seconds(doc, patterns) -> float:
    started = time.perf_counter()
    patterns(doc)
    return time.perf_counter() - started


def test_linear_time_on_a_run_of_ampersands():
    """10 kB of "& " took spaCy's Matcher 15 s (quadratic); here twice the run takes about twice the time.
    Bounds generous: the machine is shared."""
    short, long = _doc("medical " + "& " * 5_000 + "coder"), _doc("medical " + "& " * 10_000 + "coder")
    assert len(long) > 10_000
    patterns = entities._ROLE_PATTERNS
    assert patterns(long) == [("ROLE", 0, len(long))]
    best_short = min(_seconds(short, patterns) for _ in range(3))
    best_long = min(_seconds(long, patterns) for _ in range(3))
    assert best_long < 2.0
    assert best_long < 4 * best_short + 0.05, (best_short, best_long)


def test_linear_time_for_relation_patterns_on_a_run_of_ampersands():
    text = "The CPC " + "& " * 10_000 + "is offered by AAPC."
    doc = _doc(text)
    relations.tag_tokens(doc, [])
    assert _seconds(doc, relations._ISSUER_MATCHER) < 2.0
