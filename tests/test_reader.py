import codecs
import hashlib
import os

import pytest

from ingest.reader import UnreadableDocument, corpus_listing, decode_document, read_document


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


def test_a_nul_byte_anywhere_means_binary():
    data = ("Medical coders earn $20.00 an hour.\n" * 3000).encode() + b"\x00" + b"more text\n"
    assert len(data) > 65536
    with pytest.raises(UnreadableDocument) as error:
        decode_document("late.txt", data)
    assert "NUL byte at offset 108000" in str(error.value)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_a_byte_order_mark_is_text(encoding):
    text = "# Coding in Texas\r\n\r\nCoders earn $23.00 an hour \u2013 r\u00e9sum\u00e9.\n"
    bom = {"utf-16": b"", "utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}[encoding]
    data = bom + text.encode(encoding)
    assert b"\x00" in data
    document = decode_document("wide.txt", data)
    assert document.text == text and document.sha256 == hashlib.sha256(data).hexdigest()


def test_utf16_without_a_byte_order_mark_is_not_taken_for_text():
    with pytest.raises(UnreadableDocument) as error:
        decode_document("wide.txt", "Coders earn $23.00 an hour.\n".encode("utf-16-le"))
    assert "binary" in str(error.value)


def test_a_utf8_byte_order_mark_is_not_text_nor_title():
    """The text is the file minus its BOM; offsets index that text."""
    from ingest.structure import parse_layout

    body = "# Coding in Texas\n\nCoders earn $23.00 an hour.\n"
    document = decode_document("bom.txt", codecs.BOM_UTF8 + body.encode())
    assert document.text == body
    assert parse_layout(document.text).title == "Coding in Texas"


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("Coders earn $23.00 an hour.\n" * 100)
    with pytest.raises(UnreadableDocument) as error:
        read_document(path, max_bytes=1000)
    assert "over the document size limit of 0.001 MB" in str(error.value) and "--max-document-mb" in str(error.value)
    assert read_document(path, "sub/big.txt", max_bytes=10_000).source_file == "sub/big.txt"


def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path):
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    with pytest.raises(UnreadableDocument) as error:
        read_document(pipe)     # O_NONBLOCK: returns at once even with no writer
    assert "a named pipe, not a regular file" in str(error.value)


def test_the_listing_walks_subfolders_skips_hidden_and_names_what_it_skips(tmp_path):
    (tmp_path / "texas" / ".cache").mkdir(parents=True)
    for name in ("b.txt", "texas/a.txt", ".x.txt", "texas/.cache/c.txt"):
        (tmp_path / name).write_text("Coders earn $1.00 an hour.\n")
    os.mkfifo(tmp_path / "texas" / "pipe")
    files, skipped = corpus_listing(tmp_path)
    assert [f.name for f in files] == ["b.txt", "texas/a.txt"]
    assert [str(s.path) for s in skipped] == [str(tmp_path / "texas" / "pipe")]
