"""The search page in headless Chromium: ask, see cited results, follow a citation to the source."""
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.server]
CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = None  # set to a Path to keep screenshots while working on the pages


@pytest.fixture(scope="module")
def server(live_server_url):
    return live_server_url


@pytest.fixture(scope="module")
def browser():
    from pathlib import Path

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: `make test` installs it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield browser
        browser.close()


def test_ask_a_question_and_follow_a_citation_to_the_source(server, browser):
    page = browser.new_page()
    page.goto(server + "/")
    page.fill("input[name=q]", "who awards the CCS credential?")
    page.click("button[type=submit]")
    page.wait_for_selector("li.result")
    first = page.locator("li.result").first
    assert "Certified Coding Specialist" in first.locator("mark").inner_text()
    citation = first.locator("a.cite")
    assert "characters" in citation.inner_text()
    citation.click()
    page.wait_for_selector("mark#highlight")
    page.wait_for_load_state("load")
    page.wait_for_function("() => { const r = document.getElementById('highlight').getBoundingClientRect();"
                           " return r.top >= 0 && r.top < innerHeight; }")
    page.screenshot(path=str(SCREENSHOTS / "document.png")) if SCREENSHOTS else None
    assert "/documents/" in page.url
    highlighted = page.locator("mark#highlight")
    assert "Certified Coding Specialist (CCS)" in highlighted.inner_text()
    assert highlighted.evaluate("e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }")
    page.close()


def test_entity_links_lead_to_their_pages(server, browser):
    page = browser.new_page()
    page.goto(server + "/search?q=pay+for+coders+in+Stockton")
    page.wait_for_selector("a.entity")
    page.locator("a.entity", has_text="California").first.click()
    page.wait_for_selector("svg.chart")
    assert page.locator("h1").inner_text() == "California"
    page.close()


def test_the_query_page_runs_an_example(server, browser):
    page = browser.new_page()
    page.goto(server + "/sparql")
    page.click("button.example[data-example=metro-wages]")
    page.click("#sparql-form button[type=submit]")
    page.wait_for_selector("#results table")
    assert "San Jose-Sunnyvale-Santa Clara, CA MSA" in page.locator("#results table tbody tr").first.inner_text()
    assert "rows" in page.locator("#status").inner_text()
    page.close()
