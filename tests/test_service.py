"""Every route and error case through the Flask test client, over the ingested seed corpus."""
import gzip
import json

import pytest
from helpers import highlighted_text
from rdflib import Graph

CPC = "https://w3id.org/mbc-kg/id/certification/cpc"
AAPC = "https://w3id.org/mbc-kg/id/organization/aapc"
HTML = {"Accept": "text/html"}


def sparql(client, query, **kwargs):
    return client.get("/sparql", query_string={"query": query, **kwargs.pop("params", {})}, **kwargs)


# ---------------------------------------------------------------- SPARQL

def test_select_in_every_results_format(client):
    query = "PREFIX mbc: <https://w3id.org/mbc-kg/ontology#> SELECT ?c WHERE { ?c a mbc:Certification } LIMIT 3"
    for accept, media in (("application/sparql-results+json", "application/sparql-results+json"),
                          ("application/sparql-results+xml", "application/sparql-results+xml"),
                          ("text/csv", "text/csv"), ("text/tab-separated-values", "text/tab-separated-values")):
        response = sparql(client, query, headers={"Accept": accept})
        assert response.status_code == 200 and response.mimetype == media
    assert sparql(client, query, params={"format": "csv"}).mimetype == "text/csv"
    rows = sparql(client, query).get_json()["results"]["bindings"]
    assert len(rows) == 3


def test_post_forms_and_direct(client):
    form = client.post("/sparql", data={"query": "ASK { ?s ?p ?o }"})
    assert form.status_code == 200 and form.get_json()["boolean"] is True
    direct = client.post("/sparql", data="ASK { ?s ?p ?o }", content_type="application/sparql-query")
    assert direct.get_json()["boolean"] is True


def test_construct_and_describe_in_rdf_formats(client):
    query = f"CONSTRUCT {{ <{CPC}> ?p ?o }} WHERE {{ <{CPC}> ?p ?o }}"
    for accept, fmt in (("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld"),
                        ("application/rdf+xml", "xml")):
        response = sparql(client, query, headers={"Accept": accept})
        assert response.status_code == 200 and response.mimetype == accept
        assert len(Graph().parse(data=response.data, format=fmt)) > 3
    describe = sparql(client, f"DESCRIBE <{CPC}>")
    assert describe.mimetype == "text/turtle"


def test_dataset_parameters_are_honoured(client):
    from kg.namespaces import ONTOLOGY_GRAPH

    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    everything = int(sparql(client, query).get_json()["results"]["bindings"][0]["n"]["value"])
    ontology = int(sparql(client, query, params={"default-graph-uri": str(ONTOLOGY_GRAPH)})
                   .get_json()["results"]["bindings"][0]["n"]["value"])
    assert 0 < ontology < everything
    named = sparql(client, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                   params={"named-graph-uri": str(ONTOLOGY_GRAPH)}).get_json()["results"]["bindings"]
    assert [row["g"]["value"] for row in named] == [str(ONTOLOGY_GRAPH)]


def test_from_in_the_query_is_respected(client):
    from kg.namespaces import ONTOLOGY_GRAPH

    rows = sparql(client, f"SELECT (COUNT(*) AS ?n) FROM <{ONTOLOGY_GRAPH}> WHERE {{ ?s ?p ?o }}").get_json()
    ontology = int(rows["results"]["bindings"][0]["n"]["value"])
    assert 200 < ontology < 1000


def test_malformed_query_gets_400_with_position(client):
    response = sparql(client, "SELECT ?x WHERE {\n  ?x ?y\n")
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] == "malformed query" and body["line"] >= 2 and "column" in body


@pytest.mark.parametrize("request_kwargs", [
    {"method": "GET", "query_string": {"update": "CLEAR ALL"}},
    {"method": "POST", "data": {"update": "CLEAR ALL"}},
    {"method": "POST", "data": "INSERT DATA { <a:a> <a:b> <a:c> }", "content_type": "application/sparql-update"},
    {"method": "GET", "query_string": {"query": "INSERT DATA { <a:a> <a:b> <a:c> }"}},
    {"method": "POST", "data": {"query": "PREFIX x: <a:> DELETE WHERE { ?s ?p ?o }"}},
    {"method": "GET", "query_string": {"query": "LOAD <http://127.0.0.1:9/x>"}},
])
def test_updates_are_refused_and_change_nothing(client, request_kwargs):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    before = sparql(client, count).get_json()
    response = client.open("/sparql", **request_kwargs)
    assert response.status_code == 403 and response.get_json()["error"] == "updates are not allowed"
    assert sparql(client, count).get_json() == before


def test_service_is_refused(client):
    response = sparql(client, "SELECT * WHERE { SERVICE <http://127.0.0.1:65001/sparql> { ?s ?p ?o } }")
    assert response.status_code == 403 and "SERVICE" in response.get_json()["error"]


def test_protocol_errors(client):
    assert client.put("/sparql", data="ASK {}").status_code == 405
    assert client.get("/sparql?query=ASK%20%7B%7D&query=ASK%20%7B%7D").status_code == 400
    assert client.post("/sparql", data="ASK {}", content_type="text/plain").status_code == 415
    assert client.post("/sparql", data="ASK {}".encode("utf-16"),
                       content_type="application/sparql-query; charset=UTF-16").status_code == 415
    assert client.get("/sparql", query_string={"query": "ASK {}", "format": "pdf"}).status_code == 400
    assert client.get("/sparql?query=" + "x" * 20000).status_code == 414


def test_capped_results_say_so(client):
    response = sparql(client, "SELECT * WHERE { ?s ?p ?o }")
    assert response.headers["X-SPARQL-Truncated"] == "true" and response.headers["X-SPARQL-Limit"] == "50"
    assert len(response.get_json()["results"]["bindings"]) == 50
    small = sparql(client, "SELECT * WHERE { ?s ?p ?o } LIMIT 5")
    assert "X-SPARQL-Truncated" not in small.headers


def test_runaway_query_times_out(client):
    response = sparql(client, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    assert response.status_code == 503 and response.get_json()["error"] == "query timeout"
    assert sparql(client, "ASK {}").status_code == 200


def test_query_page_and_service_description(client):
    page = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert page.status_code == 200 and page.mimetype == "text/html"
    for title in ("Certifications and who issues them", "Median hourly wage by metro area",
                  "Growth figures that disagree across documents", "Every claim about an entity"):
        assert title.encode() in page.data
    description = client.get("/sparql", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=description.data, format="turtle")
    assert any("sparql-service-description#Service" in str(o) for o in graph.objects())


def test_every_example_query_runs_and_returns_rows(client):
    from service.sparql_examples import EXAMPLES

    for example in EXAMPLES:
        response = client.post("/sparql", data={"query": example["query"]})
        assert response.status_code == 200, (example["id"], response.data[:300])
        assert response.get_json()["results"]["bindings"], example["id"]


def test_cors_and_gzip(client):
    preflight = client.options("/sparql", headers={"Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST"})
    assert preflight.headers.get("Access-Control-Allow-Origin") in ("*", "https://yasgui.example")
    response = sparql(client, "SELECT * WHERE { ?s ?p ?o } LIMIT 40", headers={"Accept-Encoding": "gzip"})
    assert response.headers.get("Content-Encoding") == "gzip"
    assert json.loads(gzip.decompress(response.data))["results"]["bindings"]


# ---------------------------------------------------------------- search

def test_search_api(client):
    body = client.get("/api/search", query_string={"q": "who awards the CCS credential?", "k": 3}).get_json()
    assert body["query"] == "who awards the CCS credential?" and len(body["results"]) == 3
    assert "Certified Coding Specialist (CCS), offered by" in body["results"][0]["text"]


@pytest.mark.parametrize("params", [{"q": ""}, {}, {"q": "pay", "k": "0"}, {"q": "pay", "k": "99"},
                                    {"q": "pay", "k": "ten"}, {"q": "x" * 600}, {"q": "pay", "type": "Planet"}])
def test_search_api_errors(client, params):
    response = client.get("/api/search", query_string=params)
    assert response.status_code == 400 and set(response.get_json()) >= {"error", "detail"}


def test_search_page_escapes_everything(client):
    response = client.get("/search", query_string={"q": "<script>alert(1)</script> CCS"}, headers=HTML)
    assert response.status_code == 200
    assert b"<script>alert(1)</script>" not in response.data and b"&lt;script&gt;" in response.data
    assert b"<mark>" in response.data and b"characters" in response.data


def test_search_page_shows_errors(client):
    response = client.get("/search", query_string={"q": "   "}, headers=HTML)
    assert response.status_code == 400 and b"empty" in response.data


def test_document_page_highlights_the_span(client):
    response = client.get("/documents/000_79f5a7983566f278.txt?start=0&end=20", headers=HTML)
    assert response.status_code == 200 and highlighted_text(response.get_data(as_text=True)) == "Become a Medical Bil"


@pytest.mark.parametrize("query", ["start=abc&end=20", "start=500&end=100", "start=0", "start=-1&end=5",
                                   "start=0&end=999999999", "start=%203&end=20", "start=%2B3&end=20",
                                   "start=1_0&end=20", "start=%D9%A3&end=20"])
def test_a_span_that_is_not_in_the_document_is_a_clear_400(client, query):
    response = client.get(f"/documents/000_79f5a7983566f278.txt?{query}", headers=HTML)
    assert response.status_code == 400 and b"start and end" in response.data


@pytest.mark.parametrize("path", ["/documents/..%2f..%2fetc%2fpasswd", "/documents/../../etc/passwd",
                                  "/documents/%2e%2e%2fmanifest.json", "/documents/nope.txt", "/static/../server.py"])
def test_no_path_reaches_the_file_system_unchecked(client, path):
    assert client.get(path).status_code == 404


# ---------------------------------------------------------------- provenance and linked data

def test_provenance_api(client):
    body = client.get("/api/provenance", query_string={"s": CPC, "p": "https://w3id.org/mbc-kg/ontology#issuedBy",
                                                       "o": AAPC}).get_json()
    assert len(body["claims"]) >= 2
    for claim in body["claims"]:
        assert claim["quote"] in claim["passage_text"]
        assert {"claim", "start", "end", "source_file", "document", "title", "extractor", "confidence"} <= set(claim)
    literal = client.get("/api/provenance", query_string={"o": "20.54", "p": "https://w3id.org/mbc-kg/ontology#median"})
    assert any("Stockton" in c["quote"] for c in literal.get_json()["claims"])
    assert client.get("/api/provenance", query_string={"s": "not an iri"}).status_code == 400
    assert client.get("/api/provenance", query_string={"limit": "5000"}).status_code == 400


def test_resource_pages_and_content_negotiation(client):
    page = client.get("/id/certification/cpc", headers=HTML)
    assert page.status_code == 200 and b"Certified Professional Coder" in page.data and b"issuedBy" in page.data
    turtle = client.get("/id/certification/cpc", headers={"Accept": "text/turtle"})
    assert turtle.mimetype == "text/turtle" and len(Graph().parse(data=turtle.data, format="turtle")) > 3
    jsonld = client.get("/id/certification/cpc", headers={"Accept": "application/ld+json"})
    assert jsonld.mimetype == "application/ld+json"
    assert client.get("/id/certification/does-not-exist", headers=HTML).status_code == 404


def test_region_and_role_pages_chart_wages(client):
    california = client.get("/id/region/us/ca", headers=HTML)
    assert b"<svg" in california.data and b"Stockton, CA MSA" in california.data
    role = client.get("/id/role/medical-records-specialist", headers=HTML)
    assert role.status_code == 200 and b"Medical Records Specialist" in role.data


def test_claim_page(client):
    claim = client.get("/api/provenance", query_string={"s": CPC}).get_json()["claims"][0]
    page = client.get("/claims/" + claim["claim"].rsplit("/", 1)[1], headers=HTML)
    assert page.status_code == 200 and b'<mark id="highlight">' in page.data
    assert client.get("/claims/0000000000000000", headers=HTML).status_code == 404


def test_downloads_and_void(client):
    trig = client.get("/download/kg.trig")
    assert trig.status_code == 200 and trig.mimetype == "application/trig"
    turtle = client.get("/download/kg.ttl")
    assert len(Graph().parse(data=turtle.data, format="turtle")) > 10000
    assert client.get("/download/kg.jsonld").mimetype == "application/ld+json"
    assert client.get("/download/passwd").status_code == 404
    void = Graph().parse(data=client.get("/void").data, format="turtle")
    assert any(str(p).endswith("sparqlEndpoint") for p in void.predicates())


def test_health_openapi_and_errors_without_traces(client):
    assert client.get("/healthz").get_json()["status"] == "ok"
    spec = client.get("/openapi.json").get_json()
    assert {"/api/search", "/api/provenance"} <= set(spec["paths"])
    missing = client.get("/no/such/page")
    assert missing.status_code == 404 and set(missing.get_json()) == {"error", "detail"}
    assert b"Traceback" not in client.get("/sparql?query=SELECT").data


def test_body_size_limit(client, app):
    big = "#" + "x" * (app.config["MAX_CONTENT_LENGTH"] + 10)
    assert client.post("/sparql", data=big, content_type="application/sparql-query").status_code == 413
