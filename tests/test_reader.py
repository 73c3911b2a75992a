import pytest

from ingest.reader import UnreadableDocument, decode_document, read_document


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"),
    (b"   \n\n", "only whitespace"),
    (b"PK\x03\x04\x00\x00binary", "binary"),
    ("caf\u00e9 au lait".encode("latin-1"), "not UTF-8"),
])
def test_bad_input_gets_a_clear_reason(data, reason):
    with pytest.raises(UnreadableDocument) as error:
        decode_document("bad.txt", data)
    assert reason in str(error.value) and "bad.txt" in str(error.value)


def test_good_text_keeps_its_characters_and_hash():
    document = decode_document("a.txt", "Stockton \u2013 $65,990\n".encode())
    assert document.text == "Stockton \u2013 $65,990\n"
    assert len(document.sha256) == 64


def test_unreadable_path(tmp_path):
    link = tmp_path / "gone.txt"
    link.symlink_to(tmp_path / "missing.txt")
    with pytest.raises(UnreadableDocument) as error:
        read_document(link)
    assert "gone.txt" in str(error.value)
