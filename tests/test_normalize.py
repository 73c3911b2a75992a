import pytest

from common.normalize import normalize


@pytest.mark.parametrize("raw, expected", [
    ("such asICD-10 (International", "such as ICD-10 (International"),
    ("offered by theAmerican Academy", "offered by the American Academy"),
    ("projected to grow by8% from 2021", "projected to grow by 8% from 2021"),
    ("completed in6 months", "completed in 6 months"),
    ("AMedical Billing and Coding Specialist", "A Medical Billing and Coding Specialist"),
    ("(International Classification of Diseases),CPT (Current", "(International Classification of Diseases), CPT (Current"),
    ("1.Complete a Medical Billing", "1. Complete a Medical Billing"),
    ("San Jose, CA MSAHourly$15.86$27.19$48.34", "San Jose, CA MSA Hourly $15.86 $27.19 $48.34"),
    ("United StatesHourly$12.05", "United States Hourly $12.05"),
    ("doctor\u2019s office \u2013 $66,980", "doctor's office - $66,980"),
])
def test_seams_are_opened(raw, expected):
    assert normalize(raw).text == expected


@pytest.mark.parametrize("text", ["there bypass inside", "AAPCs and CPTs", "iPhone McDonald", "HIPAA-compliant", "U.S. Bureau"])
def test_ordinary_words_are_left_alone(text):
    assert normalize(text).text == text


def test_every_normalized_span_maps_back_to_the_same_characters():
    raw = "According to theU.S. Bureau, Stockton, CA MSAHourly$12.45$20.54 by8% asICD-10 \u201cquoted\u201d"
    normalized = normalize(raw)
    folded = raw.translate(str.maketrans("\u201c\u201d", '""'))
    for start in range(len(normalized.text)):
        for end in range(start + 1, min(len(normalized.text), start + 12) + 1):
            piece = normalized.text[start:end].strip()
            if not piece:
                continue
            offset = normalized.text.index(piece, start)
            s, e = normalized.span_to_original(offset, offset + len(piece))
            assert folded[s:e].replace(" ", "") == piece.replace(" ", "")


def test_to_normalized_inverts_offsets():
    raw = "by8% asICD-10"
    normalized = normalize(raw)
    start = normalized.to_normalized(raw.index("ICD"))
    assert normalized.text[start:start + 3] == "ICD"
