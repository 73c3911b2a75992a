"""The web interface through the Flask test client: which clients get the workbench and which the
protocol, browse pages, entity pages, the dataset page, the favicon and the one triple count."""
from __future__ import annotations

import html
import re

import pytest
from rdflib import Graph, URIRef

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,"
                     "*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"}       # what Chromium sends for a link
ASK = "ASK { ?s ?p ?o }"


def test_a_browser_opening_a_query_link_gets_the_workbench_with_the_query(client):
    response = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1"}, headers=BROWSER)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert b'data-run="true"' in response.data
    assert b"SELECT * WHERE { ?s ?p ?o } LIMIT 1" in response.data
    assert "Accept" in response.headers["Vary"]


@pytest.mark.parametrize("accept, media", [
    (None, "application/sparql-results+json"),
    ("*/*", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("application/sparql-results+json,*/*;q=0.9", "application/sparql-results+json"),
    ("text/csv", "text/csv"),
    ("text/html;q=0.5,application/sparql-results+json", "application/sparql-results+json"),
])
def test_machine_clients_keep_the_protocol(client, accept, media):
    headers = {"Accept": accept} if accept else {}
    response = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1"}, headers=headers)
    assert response.status_code == 200 and response.mimetype == media


def test_format_parameter_wins_over_a_browser_accept(client):
    response = client.get("/sparql", query_string={"query": ASK, "format": "json"}, headers=BROWSER)
    assert response.mimetype == "application/sparql-results+json"


def test_an_accept_the_endpoint_cannot_meet_is_406(client):
    response = client.get("/sparql", query_string={"query": ASK}, headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.get_json()["detail"]
    post = client.post("/sparql", data={"query": ASK}, headers={"Accept": "application/pdf"})
    assert post.status_code == 406


def test_the_workbench_is_served_from_the_app_never_a_cdn(client):
    page = client.get("/sparql", headers=BROWSER).get_data(as_text=True)
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert "/vendor/yasgui/yasgui.min.js" in sources and "/vendor/yasgui/yasgui.min.css" in sources
    assert not [s for s in sources if s.startswith(("http:", "https:", "//"))]
    script = client.get("/vendor/yasgui/yasgui.min.js")
    assert script.status_code == 200 and len(script.data) > 500_000
    assert client.get("/vendor/yasgui/package.json").status_code == 404


def test_the_workbench_page_relaxes_the_csp_only_by_two_style_hashes(client):
    csp = client.get("/sparql", headers=BROWSER).headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "unsafe" not in csp and "script-src 'self';" in csp
    assert csp.count("'sha256-") == 2
    assert client.get("/browse", headers=BROWSER).headers["Content-Security-Policy"].count("sha256") == 0


def test_the_editor_completes_from_this_graph(client):
    page = client.get("/sparql", headers=BROWSER).get_data(as_text=True)
    settings = re.search(r'<script type="application/json" id="sparql-settings">(.*?)</script>', page, re.S).group(1)
    import json

    data = json.loads(settings)
    assert data["prefixes"]["mbc"] == "https://w3id.org/mbc-kg/ontology#"
    assert "https://w3id.org/mbc-kg/ontology#Certification" in data["classes"]
    assert "https://w3id.org/mbc-kg/ontology#issuedBy" in data["properties"]


@pytest.mark.parametrize("path, expected", [
    ("/certifications", "American Health Information Management Association"),
    ("/organizations", "Certified Coding Specialist"),
    ("/regions", "Median hourly pay"),
    ("/roles", "Occupation code (reference)"),
    ("/programs", "Program"),
    ("/code-sets", "Code set"),
    ("/laws", "Law"),
    ("/documents", "Characters"),
    ("/browse", "Certifications"),
    ("/id/", "Organizations"),
    ("/claims/", "claim"),
])
def test_browse_pages(client, path, expected):
    response = client.get(path, headers=BROWSER)
    assert response.status_code == 200, path
    assert expected in response.get_data(as_text=True)


def test_browse_sorts_by_a_column_and_leaves_empty_cells_last(client):
    page = client.get("/regions?sort=hourly&order=desc", headers=BROWSER).get_data(as_text=True)
    cells = re.findall(r'<td class="num" data-label="Median hourly pay">([^<]*)</td>', page)
    figures = [float(c.strip().lstrip("$").split("\u2013")[0].replace(",", "")) for c in cells if c.strip()]
    assert figures == sorted(figures, reverse=True) and len(figures) > 5
    assert all(c.strip() for c in cells[:len(figures)])          # the empty ones come after


@pytest.mark.parametrize("query, said", [("sort=median", "no column 'median'"), ("sort=hourly&order=up", "asc or desc")])
def test_an_unknown_sort_column_or_order_is_a_400_that_names_the_choices(client, query, said):
    for headers in (BROWSER, {}):
        response = client.get(f"/regions?{query}", headers=headers)
        assert response.status_code == 400, query
        assert said in html.unescape(response.get_data(as_text=True))
    assert "name, kind, parent, hourly, yearly, growth, documents" in client.get("/regions?sort=median").json["detail"]


def test_a_column_no_entry_fills_still_sorts_by_name(client):
    assert client.get("/documents?sort=claims&order=desc", headers=BROWSER).status_code == 200


def test_an_entity_page_reads_as_a_summary_then_the_data(client):
    page = client.get("/id/certification/ccs", headers=BROWSER).get_data(as_text=True)
    summary = page[page.index('class="summary"'):page.index("All data")]
    assert "is issued by" in summary and 'class="cite"' in summary and "/documents/" in summary
    assert page.index('class="summary"') < page.index("All data")
    facts = page[page.index("All data"):]
    assert facts.count("<code>rdf:type</code>") == 1                       # the types in one row
    assert "rdfs:label</code>, <code>skos:prefLabel" in facts              # one name, two properties


def test_alternative_names_differing_only_in_case_show_once(client):
    page = client.get("/id/role/medical-records-specialist", headers=BROWSER).get_data(as_text=True)
    row = page[page.index("<code>skos:altLabel</code>"):]
    row = row[:row.index("</tr>")]
    shown = re.findall(r"<span>([^<]+)</span>", row)
    assert len({name.casefold() for name in shown}) == len(shown)


def test_a_role_shows_its_reference_occupation_code_as_reference_data(client):
    page = client.get("/id/role/medical-records-specialist", headers=BROWSER).get_data(as_text=True)
    reference = page[page.index('class="reference"'):]
    assert "29-2072" in reference[:600] and "reference data" in reference[:600]


def test_wage_charts_keep_medians_and_means_apart_with_a_legend(client):
    page = client.get("/id/region/us/ca", headers=BROWSER).get_data(as_text=True)
    chart = page[page.index('class="chart"'):page.index("</table>", page.index('class="chart"'))]
    assert 'class="swatch median"' in chart and 'class="swatch mean"' in chart
    assert 'class="bar median"' in chart and 'class="bar mean"' in chart
    assert "San Jose-Sunnyvale-Santa Clara, CA MSA" in chart                 # full names, not cut
    assert "<caption>Hourly wages, every figure</caption>" in chart


def test_the_dataset_page_for_people_and_void_for_machines(client):
    page = client.get("/void", headers=BROWSER)
    assert page.mimetype == "text/html"
    text = page.get_data(as_text=True)
    for expected in ("kg.trig", "kg.ttl", "kg.jsonld", "Example queries", "mbc:Certification",
                     "A professional credential", "mbc:issuedBy"):
        assert expected in text
    turtle = client.get("/void", headers={"Accept": "text/turtle"})
    assert turtle.mimetype == "text/turtle"
    assert client.get("/void?format=ttl", headers=BROWSER).mimetype == "text/turtle"


def test_one_triple_count_everywhere(client, graph_data_dir):
    import json

    from kg.datadir import DataDir

    manifest = json.loads((DataDir(graph_data_dir).require_current().path / "manifest.json").read_text())
    health = client.get("/healthz").get_json()["triples"]
    void = Graph().parse(data=client.get("/void", headers={"Accept": "text/turtle"}).data, format="turtle")
    void_triples = int(next(void.objects(None, URIRef("http://rdfs.org/ns/void#triples"))))
    dump = Graph().parse(data=client.get("/download/kg.ttl").data, format="turtle")
    page = client.get("/void", headers=BROWSER).get_data(as_text=True)
    assert health == void_triples == len(dump) == manifest["distinct_triples"]
    assert f"{health:,}</strong> triples" in page


def test_a_favicon_instead_of_a_404(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert b'rel="icon"' in client.get("/browse", headers=BROWSER).data


def test_counts_take_the_number_of_their_noun():
    from service.presentation import counted

    assert [counted(n, "name") for n in (0, 1, 2, 1204)] == ["0 names", "1 name", "2 names", "1,204 names"]
    assert counted(1, "body", "bodies") == "1 body" and counted(3, "body", "bodies") == "3 bodies"


def test_an_entity_with_one_alternative_name_says_1_name(client, app):
    from service import state

    with app.app_context():
        store = state.live_data(app).current().store
        rows = list(store.oxigraph.query(
            "SELECT ?e WHERE { ?e <http://www.w3.org/2004/02/skos/core#altLabel> ?a } GROUP BY ?e "
            "HAVING (COUNT(DISTINCT LCASE(STR(?a))) = 1) ORDER BY ?e LIMIT 1"))
    assert rows, "the seed graph has an entity with exactly one alternative name"
    iri = rows[0]["e"].value
    page = client.get("/id/" + iri.split("/id/", 1)[1], headers=BROWSER).get_data(as_text=True)
    assert '<div class="variants">1 name' in page and "1 names" not in page


def test_the_sort_keys_the_api_describes_are_the_columns_of_each_list(app):
    from service import browse, state

    with app.app_context():
        generation = state.live_data(app).current()
        for kind in browse.KINDS:
            columns, _ = browse.BUILDERS.get(kind.path, browse._named_things)(generation.store, kind)
            assert [c.key for c in columns] == browse.SORT_KEYS[kind.path], kind.path
        with app.test_request_context():
            columns, _ = browse._documents_table(generation)
        assert [c.key for c in columns] == browse.SORT_KEYS["documents"]
