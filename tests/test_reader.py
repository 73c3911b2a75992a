"""The document reader's marks (a pure function of the text and the spans), the facts beside them, and the
compare page's handling of its ids."""
import re

import pytest
from markupsafe import Markup

from service.reader import HIGHLIGHT, Span, mark_up


def claim(start, end, name, kind="wage"):
    return Span(start, end, f"https://w3id.org/mbc-kg/id/claim/{name}", kind, f"c-{name}")


def first_marks(html: str) -> list[str]:
    return re.findall(r'data-claim="[^"]*/(\w+)"', html)


def plain(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def well_nested(html: str) -> bool:
    depth = 0
    for tag in re.findall(r"</?mark", html):
        depth += 1 if tag == "<mark" else -1
        if depth < 0:
            return False
    return depth == 0


def test_identical_and_nested_spans_nest_with_one_mark_each():
    text = "Fresno, CA MSA Hourly $16.69"
    html = mark_up(text, [claim(0, 28, "row"), claim(0, 28, "median"), claim(0, 14, "region", "place")])
    assert plain(html) == text and well_nested(html)
    assert sorted(first_marks(html)) == ["median", "region", "row"]
    assert "data-claim-part" not in html
    # the longer span is outside, the region's name inside
    assert html.index("/row\"") < html.index("/region\"")


def test_crossing_spans_split_the_later_one_and_still_count_once():
    text = "abcdefghij"
    html = mark_up(text, [claim(0, 6, "first"), claim(3, 10, "second")])
    assert plain(html) == text and well_nested(html)
    assert first_marks(html) == ["first", "second"]
    assert html.count('data-claim-part="https://w3id.org/mbc-kg/id/claim/second"') == 1
    assert re.search(r'<mark data-claim="[^"]*second"[^>]*>def</mark></mark><mark data-claim-part="[^"]*second"[^>]*>ghij',
                     html)


def test_the_cited_span_is_never_split_and_claims_inside_it_are():
    text = "one two three four five"
    html = mark_up(text, [claim(0, 7, "a"), claim(4, 13, "b"), Span(4, 18, HIGHLIGHT)])
    assert html.count('id="highlight"') == 1 and "highlight-part" not in html
    highlighted = re.search(r'<mark id="highlight">(.*)', html).group(1)
    assert plain(highlighted).startswith("two three four")
    assert sorted(first_marks(html)) == ["a", "b"] and well_nested(html)


def test_empty_out_of_range_and_escaped():
    text = "<b>Pay</b> & more"
    html = mark_up(text, [claim(3, 3, "empty"), claim(10, 99, "tail"), claim(0, 10, "tag")])
    assert isinstance(html, Markup) and "<b>" not in html and "&lt;b&gt;" in html
    assert plain(html).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&") == text
    assert sorted(first_marks(html)) == ["empty", "tag", "tail"] and well_nested(html)


def test_many_claims_on_many_spans_keep_their_count():
    import random

    generator = random.Random(7)
    text = "".join(generator.choice("abc \n") for _ in range(400))
    spans = []
    for number in range(300):
        start = generator.randrange(0, 400)
        spans.append(claim(start, min(400, start + generator.randrange(0, 60)), f"c{number}"))
    html = mark_up(text, spans + [Span(100, 250, HIGHLIGHT)])
    assert len(first_marks(html)) == 300 and well_nested(html)
    assert html.count('id="highlight"') == 1
    unescaped = plain(html).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    assert unescaped == text


def test_the_reader_page_marks_every_claim_and_lists_the_facts(client, union_graph):
    from rdflib import Literal, Namespace

    mbc = Namespace("https://w3id.org/mbc-kg/ontology#")
    name = "002_62df25396eb30289.txt"
    claims = {c for c, _, _ in union_graph.triples((None, mbc.document, None))
              if str(c).startswith("https://w3id.org/mbc-kg/id/claim/")
              and union_graph.value(union_graph.value(c, mbc.document), mbc.sourceFile) == Literal(name)}
    html = client.get(f"/documents/{name}").get_data(as_text=True)
    marked = set(re.findall(r'<mark data-claim="([^"]+)"', html))
    assert marked == {str(c) for c in claims} and len(re.findall(r"<mark data-claim=", html)) == len(claims)
    assert "Certified Coding Specialist is issued by American Health Information Management Association" in html
    assert 'aria-labelledby="facts-heading"' in html
    with_span = client.get(f"/documents/{name}?start=2364&end=2472").get_data(as_text=True)
    assert with_span.count('<mark id="highlight">') == 1
    assert len(re.findall(r"<mark data-claim=", with_span)) == len(claims)


@pytest.mark.parametrize("ids, status", [
    ("certification/cpc", 400),
    ("certification/cpc,certification/ccs,role/medical-records-specialist,region/us,region/us/ca", 400),
    ("certification/cpc,certification/no-such-thing", 400),
    ("certification/cpc,organization/aapc", 400),
    ("certification/cpc,certification/ccs", 200),
    ("/id/certification/cpc, certification/ccs ,certification/cpc", 200),
])
def test_compare_takes_two_to_four_comparable_ids(client, ids, status):
    response = client.get(f"/compare?ids={ids}", headers={"Accept": "text/html"})
    assert response.status_code == status
    if status == 400:
        assert "/compare?ids=certification/cpc,certification/ccs" in response.get_data(as_text=True) or \
            "not a certification, role or region" in response.get_data(as_text=True)


def test_compare_from_a_form_redirects_to_the_address_to_share(client):
    response = client.get("/compare?ids=certification/cpc&ids=certification/ccs")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/compare?ids=certification/cpc,certification/ccs")


def test_compare_cells_are_cited(client):
    html = client.get("/compare?ids=certification/cpc,certification/ccs").get_data(as_text=True)
    issuers = re.search(r'<tr data-row="issuer">(.*?)</tr>', html, re.S).group(1)
    assert issuers.count('<sup class="cite">') >= 2 and "American Academy of Professional Coders" in issuers
    assert "No document states" in html            # the rows nothing fills are named, not left blank
