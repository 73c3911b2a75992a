"""Tests read their own corpus (tests/fixtures/seed_corpus), never the user's corpus/: a document
added there changes no test. The guard in conftest.py refuses any read of corpus/ in the test process."""
import pytest

from paths import ROOT, SEED_CORPUS, USER_CORPUS


def test_the_fixture_corpus_is_the_four_seed_documents():
    assert sorted(p.name for p in SEED_CORPUS.iterdir()) == [
        "000_79f5a7983566f278.txt", "001_c892d1600849e27d.txt", "002_62df25396eb30289.txt", "003_bf91f39b47747f16.txt"]


@pytest.mark.parametrize("read", [lambda: list(USER_CORPUS.iterdir()),
                                  lambda: open(USER_CORPUS / "anything.txt", "rb"),
                                  lambda: __import__("os").scandir(USER_CORPUS)])
def test_reading_the_user_corpus_fails_the_test(read):
    with pytest.raises(PermissionError, match="never corpus/"):
        read()

