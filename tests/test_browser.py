"""The site in headless Chromium (Debian's, never `playwright install`), as a person uses it: the search
page and its citations, the SPARQL workbench (shared links, the editor, the result table, charts and
downloads), the browse pages, an entity page's first screen, and every page at a phone's width."""
import json
from urllib.parse import quote, unquote

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.server]
CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = None  # set to a Path to keep screenshots while working on the pages
PHONE = {"width": 390, "height": 844}
METRO_WAGES = """PREFIX mbc: <https://w3id.org/mbc-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?region ?area ?median WHERE {
  ?w a mbc:WageStatistic ; mbc:payPeriod mbc:Hour ; mbc:median ?median ; mbc:region ?region .
  ?region a mbc:MetropolitanArea ; rdfs:label ?area .
} ORDER BY DESC(?median)"""
ROWS = ".yasr table.dataTable tbody tr"


@pytest.fixture(scope="module")
def server(request):
    """The session's live server; MBC_BROWSER_TEST_SERVER=http://127.0.0.1:5000 points the tests at a server
    already running over the seed corpus (quicker while working on the pages)."""
    import os

    return os.environ.get("MBC_BROWSER_TEST_SERVER") or request.getfixturevalue("live_server_url")


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


@pytest.fixture()
def page(browser):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda message: page.console_errors.append(message.text) if message.type == "error" else None)
    yield page
    context.close()


def shared_link(server: str, query: str) -> str:
    return f"{server}/sparql?query={quote(query)}"


def numbers_in_column(page, index: int) -> list[float]:
    """The first figure of each non-empty cell of a listing's column ('$16.50–$18.24' -> 16.5)."""
    import re

    cells = page.locator(f"table.listing tbody tr td:nth-child({index})").all_inner_texts()
    return [float(re.search(r"[\d,]+(?:\.\d+)?", cell).group().replace(",", "")) for cell in cells if cell.strip()]


def column(page, index: int) -> list[str]:
    return page.locator(f"{ROWS} td:nth-child({index})").all_inner_texts()


# ---------------------------------------------------------------- search

def test_ask_a_question_and_follow_a_citation_to_the_source(server, page):
    page.goto(server + "/")
    page.fill("input[name=q]", "who awards the CCS credential?")
    page.click("form.search button[type=submit]")
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
    assert "/documents/" in page.url
    assert "Certified Coding Specialist (CCS)" in page.locator("mark#highlight").inner_text()


def test_entity_links_lead_to_their_pages(server, page):
    page.goto(server + "/search?q=pay+for+coders+in+Stockton")
    page.wait_for_selector("a.entity")
    page.locator("a.entity", has_text="California").first.click()
    page.wait_for_selector(".chart .chart-row")
    assert page.locator("h1").inner_text() == "California"


# ---------------------------------------------------------------- the SPARQL workbench

def test_a_shared_query_link_opens_the_workbench_with_the_query_run(server, page):
    response = page.goto(shared_link(server, METRO_WAGES))
    assert response.headers["content-type"].startswith("text/html")      # a page, not an XML download
    page.wait_for_selector(ROWS)
    assert "San Jose-Sunnyvale-Santa Clara, CA MSA" in page.locator(ROWS).first.inner_text()
    assert "rows" in page.locator("#status").inner_text()
    assert page.evaluate("window.sparqlWorkbench.yasqe.getValue()") == METRO_WAGES
    # local IRIs are prefixed names linking to their pages here, not to w3id.org
    region = page.locator(f"{ROWS} td:nth-child(2) a").first
    assert region.inner_text().startswith("id:region/")
    assert region.get_attribute("href").startswith("/id/region/")
    # numbers keep their form: 16.50, not 16.5
    medians = column(page, 4)
    assert all(len(value.split(".")[1]) == 2 for value in medians), medians
    assert "16.50" in medians
    assert page.console_errors == []


def test_the_address_bar_follows_the_query(server, page):
    page.goto(server + "/sparql")
    page.wait_for_selector(".yasqe .CodeMirror")
    page.click("a.example[data-example=metro-wages]")
    page.wait_for_selector(ROWS)
    assert "query=" in page.url and "MetropolitanArea" in unquote(page.url)
    page.evaluate("window.sparqlWorkbench.yasqe.setValue('ASK { ?s ?p ?o }')")
    page.wait_for_function("() => decodeURIComponent(location.search).includes('ASK { ?s ?p ?o }')")
    page.click("#run")
    page.wait_for_function("() => document.getElementById('status').textContent.includes('answer: true')")
    shared = page.url
    other = page.context.new_page()
    other.goto(shared)
    other.wait_for_function("() => document.getElementById('status').textContent.includes('answer: true')")
    page.go_back()      # Back returns to the previous query and runs it
    page.wait_for_function("() => window.sparqlWorkbench.yasqe.getValue().includes('MetropolitanArea')")


def test_the_editor_highlights_completes_prefixes_and_marks_errors(server, page):
    page.goto(server + "/sparql")
    page.wait_for_selector(".yasqe .CodeMirror")
    assert page.locator(".yasqe .cm-keyword", has_text="SELECT").count() >= 1        # syntax highlighting
    yasqe = "window.sparqlWorkbench.yasqe"
    page.evaluate(f"{yasqe}.setValue('PREFIX mb'); {yasqe}.focus(); {yasqe}.getDoc().setCursor({{line: 0, ch: 9}})")
    page.keyboard.press("Control+Space")
    hints = page.locator(".CodeMirror-hints li")
    hints.first.wait_for()
    assert any("mbc: <https://w3id.org/mbc-kg/ontology#>" in text for text in hints.all_inner_texts())
    page.keyboard.press("Enter")
    assert page.evaluate(f"{yasqe}.getValue()").startswith("PREFIX mbc: <https://w3id.org/mbc-kg/ontology#>")
    # a class of this graph is offered after `a`, from the graph itself, not from an outside service
    page.evaluate(f"{yasqe}.setValue('PREFIX mbc: <https://w3id.org/mbc-kg/ontology#>\\nSELECT * WHERE {{ ?c a mbc:Cert');"
                  f"{yasqe}.focus(); {yasqe}.getDoc().setCursor({{line: 1, ch: 100}})")
    page.keyboard.press("Control+Space")
    page.wait_for_function("() => [...document.querySelectorAll('.CodeMirror-hints li')]"
                           ".some(li => li.textContent.includes('mbc:Certification'))")
    page.keyboard.press("Escape")
    # a syntax error is marked on its line as you type
    page.evaluate(f"{yasqe}.setValue('SELECT * WHERE {{\\n  ?s ?p \\n}}')")
    page.wait_for_selector(".yasqe .gutterErrorBar .CodeMirror-gutter-elt, .yasqe .CodeMirror-gutter-elt svg")
    assert page.console_errors == []


def test_the_result_table_sorts_numbers_as_numbers_and_pages(server, page):
    page.goto(shared_link(server, "SELECT ?n WHERE { VALUES ?n { 9 10 100 25 } }"))
    page.wait_for_selector(ROWS)
    page.locator(".yasr table.dataTable thead th", has_text="n").last.click()
    page.wait_for_function(f"() => document.querySelector('{ROWS} td:nth-child(2)').textContent.trim() === '9'")
    assert column(page, 2) == ["9", "10", "25", "100"]
    page.goto(shared_link(server, "PREFIX mbc: <https://w3id.org/mbc-kg/ontology#>\n"
                                  "SELECT ?claim WHERE { ?claim a mbc:Claim } LIMIT 120"))
    page.wait_for_selector(ROWS)
    assert page.locator(ROWS).count() == 50
    assert "of 120 entries" in page.locator(".dataTables_info").inner_text()
    page.locator(".dataTables_paginate .paginate_button", has_text="2").click()
    page.wait_for_function("() => document.querySelector('.dataTables_info').textContent.includes('51 to 100')")


def test_the_download_buttons_give_csv_json_and_tsv(server, page):
    page.goto(shared_link(server, METRO_WAGES))
    page.wait_for_selector(ROWS)
    rows = page.locator(ROWS).count()
    bodies = {}
    for fmt in ("csv", "json", "tsv"):
        with page.expect_download() as download:
            page.click(f"#downloads a.download[data-format={fmt}]")
        bodies[fmt] = open(download.value.path(), encoding="utf-8").read()
    assert bodies["csv"].splitlines()[0] == "region,area,median"
    assert len(bodies["csv"].strip().splitlines()) == rows + 1
    assert json.loads(bodies["json"])["head"]["vars"] == ["region", "area", "median"]
    assert bodies["tsv"].splitlines()[0] == "?region\t?area\t?median"


def test_the_chart_view_draws_numeric_results(server, page):
    page.goto(shared_link(server, METRO_WAGES))
    page.wait_for_selector(ROWS)
    page.locator(".yasr .select_chart, .yasr button", has_text="Chart").first.click()
    page.wait_for_selector(".result-chart .chart-row")
    first = page.locator(".result-chart .chart-row").first
    assert "San Jose-Sunnyvale-Santa Clara, CA MSA" in first.inner_text()
    assert "27.19" in first.inner_text()
    assert page.locator(".result-chart .legend").inner_text().strip() == "?median"


# ---------------------------------------------------------------- browse and entity pages

@pytest.mark.parametrize("path, heading, expected", [
    ("/certifications", "Certifications", "American Health Information Management Association"),
    ("/organizations", "Organizations", "Certified Coding Specialist"),
    ("/regions", "Regions", "$"),
    ("/roles", "Roles", "Medical Records Specialist"),
    ("/documents", "Documents", "Medical Billing"),
])
def test_browse_pages_list_entries_with_their_key_facts(server, page, path, heading, expected):
    page.goto(server + "/")
    page.locator("nav.browse a", has_text=heading).click()
    page.wait_for_url(f"**{path}")
    assert page.locator("h1").inner_text() == heading
    rows = page.locator("table.listing tbody tr")
    assert rows.count() >= 3
    assert expected in page.locator("table.listing tbody").inner_text()
    # sortable: a numeric heading sorts by its column, largest first; a second click reverses it
    heading_link = page.locator("table.listing thead th.num a").first
    index = heading_link.evaluate("a => [...a.closest('tr').children].indexOf(a.closest('th')) + 1")
    heading_link.click()
    page.wait_for_url("**order=desc*")
    values = numbers_in_column(page, index)
    assert values == sorted(values, reverse=True) and values, values
    page.locator("table.listing thead th[aria-sort] a").click()
    page.wait_for_url("**order=asc*")
    assert numbers_in_column(page, index) == sorted(values)
    # each entry leads to its page
    rows.first.locator("td").first.locator("a").click()
    page.wait_for_selector("h1")
    assert page.url.startswith(server + ("/documents/" if path == "/documents" else "/id/"))


def test_an_entity_page_first_screen_says_what_it_is_with_citations(server, page):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(server + "/id/certification/ccs")
    heading = page.locator("h1")
    assert heading.inner_text().startswith("Certified Coding Specialist")
    summary = page.locator("section.summary")
    text = summary.inner_text()
    assert "is issued by American Health Information Management Association" in text
    assert "Mentioned in" in text
    in_view = "e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }"
    assert summary.evaluate(in_view), "the summary is on the first screen"
    citation = summary.locator("sup.cite a").first
    assert citation.evaluate(in_view)
    assert "Certified Coding Specialist" in citation.get_attribute("title")
    citation.click()
    page.wait_for_selector("mark#highlight")
    assert "Certified Coding Specialist" in page.locator("mark#highlight").inner_text()
    # the raw data comes after, for researchers: prefixed names, duplicates collapsed
    page.go_back()
    facts = page.locator("table.facts").first.inner_text()
    assert "rdfs:label, skos:prefLabel" in facts and "https://w3id.org/mbc-kg/ontology#" not in facts
    assert page.locator("table.facts td.property", has_text="rdf:type").count() == 1


def test_every_more_link_leads_to_the_rest(server, page):
    page.goto(server + "/id/region/us/ca")
    more = page.locator("a.more").first
    label = more.inner_text()
    count = int(label.strip("+").split()[0])
    more.click()
    page.wait_for_load_state("load")
    if "/claims/" in page.url:
        assert page.locator("ol.claims li").count() >= count
    else:
        page.wait_for_selector(ROWS)
        assert page.locator(ROWS).count() >= count


# ---------------------------------------------------------------- the API page

def test_the_api_page_renders_every_operation_from_this_server_alone(server, page):
    """Swagger UI from web/node_modules, under the site's CSP (default-src 'self'): every operation of
    /openapi.json is listed, one opens with its parameters, and nothing is fetched from another origin."""
    import urllib.request

    spec = json.loads(urllib.request.urlopen(server + "/openapi.json", timeout=10).read())
    operations = sum(len(methods) for methods in spec["paths"].values())
    elsewhere = []
    page.on("request", lambda r: elsewhere.append(r.url) if not r.url.startswith((server, "data:")) else None)
    response = page.goto(server + "/docs")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert "unsafe" not in response.headers["content-security-policy"]
    page.wait_for_selector(".opblock")
    assert page.locator(".opblock").count() == operations
    page.locator(".opblock-summary", has_text="/api/search").first.click()
    page.wait_for_selector(".opblock-body .parameters")
    assert page.locator(".opblock-body tr[data-param-name='q']").count() == 1
    assert not elsewhere, elsewhere
    assert not page.console_errors, page.console_errors


# ---------------------------------------------------------------- a phone's width

PHONE_PAGES = ["/", "/search?q=who+awards+the+CCS+credential%3F", "/browse", "/documents", "/certifications",
               "/organizations", "/regions", "/roles", "/programs", "/id/region/us/ca", "/id/certification/cpc",
               "/id/role/medical-records-specialist", "/id/organization/ahima", "/void", "/claims/",
               "/documents/000_79f5a7983566f278.txt?start=0&end=40", "/sparql?query=" + quote(METRO_WAGES), "/docs"]


BROKEN_WORDS = """() => {
  // words (between spaces and hyphens) of the visible table cells whose letters lie on more than one line
  const broken = [];
  for (const cell of document.querySelectorAll("table.row-cells td")) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node; (node = walker.nextNode());) {
      for (const word of node.textContent.matchAll(/[^\\s\\-\u2013]+/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.bottom)));
        if (lines.size > 1) broken.push(word[0]);
      }
    }
  }
  return broken;
}"""


def test_a_wage_table_on_a_phone_cuts_no_word_and_names_each_column(server, browser):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(server + "/search?q=medical+coder+salary+san+jose")
    page.wait_for_selector(".answer table.row-cells td")
    assert page.evaluate(BROKEN_WORDS) == []
    labels = page.evaluate("""() => [...document.querySelectorAll('.answer table.row-cells td')].map(td =>
        [getComputedStyle(td, '::before').content, td.getBoundingClientRect().width])""")
    assert [label for label, _ in labels][:5] == ['"Location"', '"Pay Type"', '"Low"', '"Median"', '"High"']
    assert all(width > 300 for _, width in labels)        # one line per cell, the row's whole width
    context.close()


def test_no_page_scrolls_sideways_on_a_phone(server, browser):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    wide = {}
    for path in PHONE_PAGES:
        page.goto(server + path)
        if path.startswith("/sparql"):
            page.wait_for_selector(ROWS)
        if path == "/docs":
            page.wait_for_selector(".opblock")
        width = page.evaluate("document.scrollingElement.scrollWidth")
        if width > page.evaluate("innerWidth"):
            wide[path] = width
        if SCREENSHOTS:
            page.screenshot(path=str(SCREENSHOTS / (path.strip("/").split("?")[0].replace("/", "_") + "-phone.png")))
    context.close()
    assert wide == {}, f"pages wider than the 390 px screen: {wide}"
