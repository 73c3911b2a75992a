"""The W3C SPARQL 1.1 Protocol test suite, read from its manifest and run against a real server.

The suite lies beside the project in ../shared (or $MBC_SHARED_DIR); without it these tests skip and
the project's own cases (test_sparql_protocol.py, written from the Recommendation) still run.

Query cases run as written (the dataset cases against graphs loaded from the suite's data
files). Update cases are run too, but this endpoint is read-only: each update request must be
refused with a 4xx and the data must be unchanged afterwards.
"""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
import requests
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS
from paths import shared_path
from serving import data_dir_with_graphs, live_server

pytestmark = pytest.mark.server

SUITE = shared_path("w3c-sparql11-protocol")      # skips this module, with the reason, when absent
MANIFEST = SUITE / "manifest.ttl"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
FORMAT_MEDIA = {
    "boolean": {"application/sparql-results+xml", "application/sparql-results+json"},
    "tabular": {"application/sparql-results+xml", "application/sparql-results+json", "text/csv",
                "text/tab-separated-values"},
    "RDF": {"application/rdf+xml", "text/turtle", "application/n-triples", "application/xhtml+xml"},
}


def _manifest() -> Graph:
    graph = Graph()
    graph.parse(MANIFEST, format="turtle", publicID=MANIFEST.as_uri())
    return graph


def _cases(graph: Graph) -> list[URIRef]:
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    return list(Collection(graph, graph.value(manifest, MF.entries)))


def _request_spec(graph: Graph, node) -> dict:
    headers = {}
    header_list = graph.value(node, HT.headers)
    if header_list is not None:
        for header in Collection(graph, header_list):
            headers[str(graph.value(header, HT.fieldName))] = str(graph.value(header, HT.fieldValue))
    body = None
    body_node = graph.value(node, HT.body)
    if body_node is not None:
        encoding = str(graph.value(body_node, CNT.characterEncoding) or "UTF-8")
        body = str(graph.value(body_node, CNT.chars)).encode(encoding)
    response = graph.value(node, HT.resp)
    return {
        "method": str(graph.value(node, HT.methodName)),
        "path": str(graph.value(node, HT.absolutePath)),
        "headers": headers,
        "body": body,
        "statuses": {str(s).rsplit("#", 1)[1] for s in graph.objects(response, MF.expectedStatus)},
        "format": str(graph.value(response, MF.expectedFormat) or "") or None,
        "boolean": graph.value(response, MF.expectedBoolean),
    }


def _suite():
    graph = _manifest()
    cases = []
    for case in _cases(graph):
        name = str(case).rsplit("#", 1)[1]
        action = graph.value(case, MF.action)
        requests_ = [_request_spec(graph, r) for r in Collection(graph, graph.value(action, HT.requests))]
        cases.append(pytest.param(name, requests_, id=name))
    return cases


def _graph_files(graph: Graph) -> dict[str, Path]:
    """Every ut:graphData of the suite: graph name (its label) -> data file."""
    files = {}
    for data in graph.objects(None, UT.graphData):
        files[str(graph.value(data, RDFS.label))] = Path(urlsplit(str(graph.value(data, UT.graph))).path)
    return files


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    data = data_dir_with_graphs(tmp_path_factory.mktemp("w3c-data"), _graph_files(_manifest()))
    with live_server(data, env={"MBC_LOAD_SEARCH": "false"}) as base:
        yield base


def _send(base: str, spec: dict) -> requests.Response:
    return requests.request(spec["method"], base + spec["path"], headers=spec["headers"], data=spec["body"], timeout=30)


def _status_class(status: int) -> str:
    return f"StatusCode{status // 100}xx"


def _boolean(response: requests.Response) -> bool:
    if "json" in response.headers["Content-Type"]:
        return json.loads(response.text)["boolean"]
    root = ElementTree.fromstring(response.content)
    return root.find("{http://www.w3.org/2005/sparql-results#}boolean").text == "true"


def _fingerprint(base: str) -> str:
    response = requests.get(base + "/sparql", params={
        "query": "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"}, timeout=30)
    return response.text


def _is_update(name: str) -> bool:
    return "update" in name


def test_the_suite_is_all_there():
    names = [case.values[0] for case in _suite()]
    assert sum(1 for n in names if not _is_update(n)) == 20
    assert sum(1 for n in names if _is_update(n)) == 14


@pytest.mark.parametrize("name, steps", _suite())
def test_protocol_case(endpoint, name, steps):
    if _is_update(name):
        before = _fingerprint(endpoint)
        response = _send(endpoint, steps[0])
        assert 400 <= response.status_code < 500, (name, response.status_code, response.text[:300])
        assert _fingerprint(endpoint) == before, f"{name} changed the data"
        return
    for spec in steps:
        response = _send(endpoint, spec)
        assert _status_class(response.status_code) in spec["statuses"], (name, response.status_code, response.text[:300])
        if spec["format"]:
            media = response.headers["Content-Type"].split(";")[0].strip()
            assert media in FORMAT_MEDIA[spec["format"]], (name, media)
        if spec["boolean"] is not None:
            assert _boolean(response) == spec["boolean"].toPython(), name
