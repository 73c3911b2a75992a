"""A real server on a loopback port, used by real clients."""
import threading
import time

import pytest
import requests
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

pytestmark = pytest.mark.server
CPC = "https://w3id.org/mbc-kg/id/certification/cpc"


@pytest.fixture(scope="module")
def server(live_server_url):
    return live_server_url


def test_sparqlwrapper_select_ask_and_construct(server):
    client = SPARQLWrapper(server + "/sparql")
    client.setQuery("PREFIX mbc: <https://w3id.org/mbc-kg/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
                    "SELECT ?label WHERE { ?c a mbc:Certification ; mbc:acronym 'CCS' ; rdfs:label ?label }")
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]
    assert {row["label"]["value"] for row in rows} == {"Certified Coding Specialist"}
    client.setQuery("ASK { ?s ?p ?o }")
    assert client.query().convert()["boolean"] is True
    client.setQuery(f"CONSTRUCT {{ <{CPC}> ?p ?o }} WHERE {{ <{CPC}> ?p ?o }}")
    client.setReturnFormat(TURTLE)
    graph = Graph().parse(data=client.query().convert(), format="turtle")
    assert (URIRef(CPC), None, None) in graph


def test_sparqlwrapper_post(server):
    client = SPARQLWrapper(server + "/sparql")
    client.setMethod("POST")
    client.setQuery("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    client.setReturnFormat(JSON)
    assert int(client.query().convert()["results"]["bindings"][0]["n"]["value"]) > 40000


def test_rdflib_sparqlstore(server):
    graph = Graph(store=SPARQLStore(server + "/sparql", returnFormat="json"))
    rows = list(graph.query("PREFIX mbc: <https://w3id.org/mbc-kg/ontology#> "
                            "SELECT ?org WHERE { <%s> mbc:issuedBy ?org }" % CPC))
    assert [str(row.org) for row in rows] == ["https://w3id.org/mbc-kg/id/organization/aapc"]
    assert len(list(graph.triples((URIRef(CPC), None, None)))) > 3


def test_a_runaway_query_is_stopped_while_others_are_served(server):
    outcome = {}

    def runaway():
        started = time.monotonic()
        response = requests.get(server + "/sparql", params={
            "query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"}, timeout=60)
        outcome["status"], outcome["seconds"] = response.status_code, time.monotonic() - started
        outcome["body"] = response.json()

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.5)
    quick = []
    for _ in range(5):
        started = time.monotonic()
        response = requests.get(server + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=10)
        quick.append((response.status_code, time.monotonic() - started))
    search = requests.get(server + "/api/search", params={"q": "CCS"}, timeout=10)
    thread.join()
    assert outcome["status"] == 503 and outcome["body"]["error"] == "query timeout"
    assert 2.5 < outcome["seconds"] < 8
    assert all(status == 200 and seconds < 1.5 for status, seconds in quick), quick
    assert search.status_code == 200
    assert requests.get(server + "/sparql", params={"query": "ASK {}"}, timeout=10).status_code == 200


def test_gzip_over_http(server):
    response = requests.get(server + "/download/kg.ttl", headers={"Accept-Encoding": "gzip"}, timeout=30)
    assert response.headers.get("Content-Encoding") == "gzip" and len(response.content) > 100000
