"""The search page in headless Chromium: the answer box, "did you mean", the no-results message,
paging that keeps the question, mode and filters; at desktop and phone widths.

MBC_SCREENSHOTS=DIR keeps full-page screenshots at 1280 and 390 px, to look at them."""
import os
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.server]
SCREENSHOTS = Path(os.environ["MBC_SCREENSHOTS"]) if os.environ.get("MBC_SCREENSHOTS") else None


@pytest.fixture(scope="module")
def server(live_server_url):
    return live_server_url


def _screens(page, name):
    """Keep screenshots at both widths when SCREENSHOTS names a folder (to look at them)."""
    if SCREENSHOTS:
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)


def _fits(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= innerWidth + 1")


def test_the_answer_box_comes_first_with_its_sources(server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server + "/search?q=How+much+do+coders+earn+in+San+Jose")
    box = page.locator("section.answers .answer").first
    assert "Median $27.19 an hour in San Jose-Sunnyvale-Santa Clara, CA MSA" in box.locator(".answer-text").inner_text()
    assert box.bounding_box()["y"] < page.locator("li.result").first.bounding_box()["y"]
    headers = box.locator("table.row-cells th").all_inner_texts()
    assert headers == ["Location", "Pay Type", "Low", "Median", "High"]
    assert page.locator("li.result").first.locator("table.row-cells td").all_inner_texts()[3] == "$27.19"
    box.locator("a.source").first.click()
    page.wait_for_selector("mark#highlight")
    assert "San Jose-Sunnyvale-Santa Clara" in page.locator("mark#highlight").inner_text()
    page.go_back()
    page.set_viewport_size({"width": 390, "height": 900})
    assert _fits(page), "the page is wider than a phone"
    _screens(page, "answer")
    page.close()


def test_misspellings_offer_a_did_you_mean(server, browser):
    page = browser.new_page()
    page.goto(server + "/search?q=medcal+codr+salry+san+jsoe")
    suggestion = page.locator(".did-you-mean a")
    assert "San Jose" in suggestion.inner_text()
    assert "San Jose" in page.locator("section.answers").inner_text()
    suggestion.click()
    page.wait_for_load_state("load")
    assert "San+Jose" in page.url or "San%20Jose" in page.url
    page.close()


def test_a_question_the_documents_cannot_answer_says_so(server, browser):
    page = browser.new_page(viewport={"width": 390, "height": 900})
    page.goto(server + "/search?q=pizza+recipe+with+mozzarella")
    message = page.locator("section.no-results")
    assert "Nothing in these documents answers" in message.inner_text()
    assert page.locator("li.result").count() == 0 and page.locator("section.answers").count() == 0
    assert message.locator("ul.covers li").count() == 4 and message.locator("a.entity").count() > 5
    assert _fits(page)
    _screens(page, "no-results")
    page.close()


def test_paging_keeps_the_question_mode_and_filters(server, browser):
    page = browser.new_page()
    page.goto(server + "/search?q=certification&mode=dense&type=Certification")
    assert page.locator("p.count").inner_text().startswith("Passages 1–10 of ")
    first = page.locator("li.result h2").all_inner_texts()
    page.click("nav.pages a[rel=next]")
    page.wait_for_load_state("load")
    assert "offset=10" in page.url and "mode=dense" in page.url and "type=Certification" in page.url
    assert page.locator("p.count").inner_text().startswith("Passages 11–")
    assert page.locator("select[name=mode]").input_value() == "dense"
    assert page.locator("select[name=type]").input_value() == "Certification"
    assert "(" in page.locator("select[name=type] option[value=Certification]").inner_text()   # filter counts
    assert page.locator("li.result").count() >= 1 and page.locator("ol.results").get_attribute("start") == "11"
    page.click("button[type=submit]")            # resubmitting keeps mode and filters
    page.wait_for_load_state("load")
    assert "mode=dense" in page.url and "type=Certification" in page.url
    _screens(page, "paging")
    assert first
    page.close()
