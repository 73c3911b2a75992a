"""The site in headless Chromium (Debian's, never `playwright install`), as a person uses it: the search
page and its citations, the SPARQL workbench (shared links, the editor, the result table, charts and
downloads), the browse pages, an entity page's first screen, and every page at a phone's width."""
import json
import re
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
               "/documents/000_79f5a7983566f278.txt?start=0&end=40", "/sparql?query=" + quote(METRO_WAGES),
               "/documents/001_c892d1600849e27d.txt", "/compare?ids=certification/cpc,certification/ccs",
               "/compare?ids=region/us/ca,region/us,role/medical-records-specialist,certification/cpc", "/docs"]


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


# ---------------------------------------------------------------- the pay map, the reader, compare, the neighbourhood

CLAIMS_PER_DOCUMENT = """PREFIX mbc: <https://w3id.org/mbc-kg/ontology#>
SELECT ?file (COUNT(DISTINCT ?claim) AS ?claims) WHERE { ?claim a mbc:Claim ; mbc:document ?d . ?d mbc:sourceFile ?file }
GROUP BY ?file"""


def sparql_rows(page, server: str, query: str) -> list[dict]:
    response = page.request.get(f"{server}/sparql?query={quote(query)}",
                                headers={"Accept": "application/sparql-results+json"})
    return [{k: v["value"] for k, v in row.items()} for row in response.json()["results"]["bindings"]]


def test_the_pay_map_draws_every_state_and_a_tooltip_citing_its_source(server, page):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(server + "/regions")
    the_map = page.locator('[aria-label="pay map"]')
    the_map.locator("svg path.area").first.wait_for()
    # every state, D.C. and the five territories is a shape whose <title> names it
    titles = the_map.locator("svg path.area > title").all_text_contents()
    assert len(titles) == 56
    for name in ("California", "Texas", "Puerto Rico", "Guam", "United States Virgin Islands", "American Samoa"):
        assert any(t.startswith(name) for t in titles), name
    # every state the graph has figures for is drawn as its shape, named, with its figures once chosen
    data = json.loads(page.locator(".pay-map-data").text_content())
    states = {p["at"]["shape"]: p["label"] for p in data["places"].values() if p["at"] and p["at"].get("shape")}
    assert states.get("06") == "California"
    page.select_option("select[name=measure]", "mean")
    for fips, label in states.items():
        shape = the_map.locator(f'svg path.area[data-fips="{fips}"]')
        assert shape.locator("title").text_content().startswith(label)
    california = the_map.locator('svg path.area[data-fips="06"]')
    assert "has-figure" in california.get_attribute("class")
    assert "$27" in california.locator("title").text_content()
    assert "measure=mean" in page.url                                   # the choice is in the address
    page.select_option("select[name=measure]", "median")
    assert "no-figure" in california.get_attribute("class")             # no median for California: drawn as such
    # metro areas are points; zoomed to the places with figures, hovering one shows its figures, the year
    # and a link to the quoted source
    page.locator(".map-zoom").click()
    assert page.locator(".map-zoom").get_attribute("aria-pressed") == "true"
    stockton = the_map.locator("svg circle.point", has=page.locator("title", has_text="Stockton, CA MSA"))
    stockton.hover()
    tip = page.locator(".map-tip")
    tip.wait_for(state="visible")
    assert "Stockton, CA MSA" in tip.inner_text() and "$20.54" in tip.inner_text()
    assert "year not stated" in tip.inner_text() or "year " in tip.inner_text()
    stockton.click()                                                      # a click pins it, so its link can be followed
    source = tip.locator(".tip-sources a").first
    assert "/documents/" in source.get_attribute("href") and "#highlight" in source.get_attribute("href")
    source.click()
    page.wait_for_selector("mark#highlight")
    assert "Stockton" in page.locator("mark#highlight").inner_text()
    assert page.console_errors == []


def test_the_pay_maps_table_follows_the_choices(server, page):
    page.goto(server + "/regions")
    page.locator('[aria-label="pay map"] svg').wait_for()
    visible = page.locator(".map-figures tbody tr:not([hidden])")
    hourly = visible.count()
    assert hourly >= 20 and all("Hourly" not in t for t in visible.all_inner_texts()[:1])
    page.select_option("select[name=period]", "Year")
    assert 0 < visible.count() != hourly
    assert "Annual pay" in page.locator(".map-figures caption").inner_text()
    role = page.locator("select[name=role] option").nth(1).get_attribute("value")
    page.select_option("select[name=role]", role)
    assert all(r == role for r in page.locator(".map-figures tbody tr:not([hidden])").evaluate_all(
        "rows => rows.map(r => r.dataset.role)"))


def test_the_pay_map_on_a_phone_taps_to_a_tooltip_and_zooms_to_the_figures(server, browser):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(server + "/regions")
    page.locator('[aria-label="pay map"] svg circle.point').first.wait_for()
    assert page.locator(".map-zoom").get_attribute("aria-pressed") == "true"     # the figures sit in one state
    # points crowd on a phone: a tap opens every point under the finger
    spot = page.evaluate("""() => { for (const c of document.querySelectorAll('svg circle.point.has-figure')) {
        const r = c.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
        if (document.elementFromPoint(x, y) === c) return [x, y]; } }""")
    page.touchscreen.tap(*spot)
    tip = page.locator(".map-tip")
    tip.wait_for(state="visible")
    box = tip.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert tip.locator(".tip-sources a").count() >= 1
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    context.close()


def test_a_role_page_has_the_pay_map_of_its_documents(server, page):
    page.goto(server + "/id/role/medical-records-specialist")
    the_map = page.locator('[aria-label="pay map"]')
    the_map.locator("svg circle.point.has-figure").first.wait_for()
    assert the_map.locator("svg path.area").count() == 56
    assert page.console_errors == []


def test_the_reader_marks_every_claim_of_the_document(server, page):
    counts = {row["file"]: int(row["claims"]) for row in sparql_rows(page, server, CLAIMS_PER_DOCUMENT)}
    assert counts
    for name, claims in counts.items():
        page.goto(f"{server}/documents/{name}")
        marks = page.locator("#document-text mark[data-claim]")
        assert marks.count() == claims, name
        assert len(set(marks.evaluate_all("ms => ms.map(m => m.dataset.claim)"))) == claims, name
        # a piece of a split claim never counts as a claim of its own
        parts = page.locator("#document-text mark[data-claim-part]").evaluate_all("ms => ms.map(m => m.dataset.claimPart)")
        assert set(parts) <= set(marks.evaluate_all("ms => ms.map(m => m.dataset.claim)"))
    assert page.console_errors == []


def test_the_reader_goes_from_a_fact_to_its_mark_and_from_a_mark_to_its_facts(server, page):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(server + "/documents/002_62df25396eb30289.txt")
    fact = page.locator(".k-issuer .fact-link").first
    assert "is issued by" in fact.inner_text()
    fact.click()
    anchor = fact.get_attribute("data-anchor")
    mark = page.locator(f"mark#{anchor}")
    page.wait_for_function(f"() => document.activeElement && document.activeElement.id === '{anchor}'")
    assert "flash" in mark.get_attribute("class") and "k-issuer" in mark.get_attribute("class")
    page.wait_for_function(f"() => {{ const r = document.getElementById('{anchor}').getBoundingClientRect();"
                           " return r.top >= 0 && r.bottom <= innerHeight; }")
    mark.click()
    info = page.locator(".mark-info")
    info.wait_for(state="visible")
    assert "is issued by" in info.inner_text()
    entity = info.locator("a[href^='/id/']").first
    assert entity.get_attribute("href").startswith("/id/")
    # a cited span still opens on that span, marked as the highlight around the claims inside it
    page.goto(server + "/documents/002_62df25396eb30289.txt?start=2364&end=2472")
    highlight = page.locator("mark#highlight")
    assert highlight.inner_text().startswith("Certified Coding Specialist (CCS)")
    assert highlight.locator("mark[data-claim]").count() >= 1
    page.wait_for_function("() => { const r = document.getElementById('highlight').getBoundingClientRect();"
                           " return r.top >= 0 && r.top < innerHeight; }")
    assert page.console_errors == []


def test_compare_from_the_browse_page_shows_cited_cells(server, page):
    page.goto(server + "/certifications")
    for acronym in ("CPC", "CCS"):
        row = page.locator("table.listing tbody tr", has=page.locator("td", has_text=re.compile(f"^{acronym}$")))
        row.locator("input[name=ids]").check()
    page.locator("form.compare-selected button[type=submit]").click()
    page.wait_for_url(re.compile(r"/compare\?ids=[^&]+$"))
    assert sorted(unquote(page.url).split("ids=")[1].split(",")) == ["certification/ccs", "certification/cpc"]
    headings = page.locator("table.compare thead th").all_inner_texts()
    assert sorted(headings) == ["Certified Coding Specialist", "Certified Professional Coder"]
    issuers = page.locator("table.compare tr[data-row=issuer] td")
    assert issuers.count() == 2
    for cell in issuers.all():
        assert cell.locator("sup.cite a").count() >= 1                  # each cell cited
    assert "American Academy of Professional Coders" in page.locator(
        "table.compare tr[data-row=issuer] td[data-id='certification/cpc']").inner_text()
    citation = issuers.first.locator("sup.cite a").first
    citation.click()
    page.wait_for_selector("mark#highlight")
    assert "offered by" in page.locator("mark#highlight").inner_text() or "from AAPC" in page.locator("mark#highlight").inner_text()


def test_compare_with_from_an_entity_page(server, page):
    page.goto(server + "/id/region/us/ca")
    form = page.locator("form.compare-with")
    form.locator("select[name=ids]").select_option("region/us")
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/compare\?ids=region/us/ca,region/us$"))
    pay = page.locator("table.compare tr[data-row=pay] td")
    assert pay.count() == 2
    assert pay.nth(1).locator("sup.cite a").count() >= 1 and "$" in pay.nth(1).inner_text()
    assert page.locator("ol.sources li").count() >= 2


def test_the_neighbourhood_view_draws_the_entitys_edges(server, page):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(server + "/id/region/us/ca")
    view = page.locator('[aria-label="neighbourhood"]')
    view.wait_for()
    page.wait_for_function("() => document.querySelector('[aria-label=neighbourhood]').dataset.edgesDrawn")
    listed = view.locator(".edge-list li")
    assert listed.count() >= 30                                          # every relation is listed
    drawn_ids = page.evaluate("() => document.querySelector('.neighbourhood-block').cy.edges().map(e => e.id())")
    assert int(view.get_attribute("data-edges-drawn")) == len(drawn_ids) >= 4
    assert set(listed.evaluate_all("items => items.map(i => i.dataset.edge)")) == set(drawn_ids)   # each one drawn
    drawn = page.evaluate("""() => { const cy = document.querySelector('.neighbourhood-block').cy;
        return cy.edges().map(e => [e.data('label'), e.source().data('label'), e.target().data('label')]); }""")
    assert ["part of", "California", "United States"] in drawn
    # the thirty-odd metro areas and cities in the state are one node, their edge leads to all their claims
    assert any(label == "part of" and source.endswith(" places") and target == "California" for label, source, target in drawn)
    assert any("wage statistic" in source for _, source, _ in drawn)    # figures grouped into one node
    # keyboard: each edge is a link to its claims; focusing it lights its edge up
    link = listed.filter(has_text="United States").locator("a.edge-claims")
    link.focus()
    assert "active" in listed.filter(has_text="United States").get_attribute("class")
    assert page.evaluate("() => document.querySelector('.neighbourhood-block').cy.edges('.active').length") == 1
    link.press("Enter")
    page.wait_for_url(re.compile(r"/claims/\?"))
    assert page.locator("ol.claims li").count() >= 1
    assert page.console_errors == []


def test_the_neighbourhood_on_a_phone_is_drawn_when_it_fits_and_otherwise_on_request(server, browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(server + "/id/region/us/ca")
    view = page.locator('[aria-label="neighbourhood"]')
    view.wait_for()
    nodes = json.loads(page.locator(".neighbourhood-data").text_content())["nodes"]
    if len(nodes) > 9:           # more than a phone's screen holds legibly: a button draws it
        page.locator(".draw-graph").tap()
    page.wait_for_function("() => document.querySelector('[aria-label=neighbourhood]').dataset.edgesDrawn")
    box = page.locator(".neighbourhood .cy").bounding_box()
    assert box["width"] <= PHONE["width"] and box["height"] > 100
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    context.close()
