"""The project's own SPARQL 1.1 Protocol conformance cases, run against a real server.

Written for this project from the text of the W3C Recommendation "SPARQL 1.1 Protocol"
(https://www.w3.org/TR/sparql11-protocol/, 21 March 2013), not copied from the W3C test suite: each
case names the section it checks. They cover what the W3C suite covers (query by GET, by URL-encoded
POST and by direct POST; the dataset given by the protocol, also over one the query gives; content
negotiation of every query form; the failure statuses), over three small graphs of our own
(tests/fixtures/protocol). The endpoint is read-only, so each update operation of section 2.2 must be
refused with a 4xx and leave the data unchanged. When ../shared is beside the project, the W3C suite
itself runs too (test_w3c_protocol.py).
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from urllib.parse import urlencode
from xml.etree import ElementTree

import pytest
import requests
from rdflib import Graph, Literal, URIRef

from paths import TESTS
from serving import data_dir_with_graphs, live_server

pytestmark = pytest.mark.server

DATA = TESTS / "fixtures" / "protocol"
EX = "http://example.org/protocol/"
A, B, C = (f"{EX}graph/{name}" for name in ("alpha", "beta", "gamma"))
NAMES = f"PREFIX ex: <{EX}> SELECT ?name WHERE {{ ?thing ex:name ?name }}"
GRAPH_NAMES = f"PREFIX ex: <{EX}> SELECT ?g ?name WHERE {{ GRAPH ?g {{ ?thing ex:name ?name }} }}"
ALL_NAMES = {"Coders' Guild", "Coding Badge", "Zoë's Clinic"}
RESULTS_NS = "{http://www.w3.org/2005/sparql-results#}"
SOLUTION_MEDIA = {"application/sparql-results+xml", "application/sparql-results+json", "text/csv",
                  "text/tab-separated-values"}
BOOLEAN_MEDIA = {"application/sparql-results+xml", "application/sparql-results+json"}
RDF_MEDIA = {"application/rdf+xml", "text/turtle", "application/n-triples", "application/ld+json"}
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"


@dataclass
class Case:
    section: str                       # where the Recommendation says what is checked
    method: str = "GET"
    params: list = field(default_factory=list)    # query-string parameters, in order (repeats allowed)
    body: bytes | None = None
    headers: dict = field(default_factory=dict)
    status: int | tuple = 200          # an exact status, or a (low, high) range
    media: set | None = None           # the response's media type must be one of these
    names: set | None = None           # SELECT ?name: exactly these names
    rows: set | None = None            # SELECT ?g ?name: exactly these (graph, name) pairs
    boolean: bool | None = None
    triples: set | None = None         # CONSTRUCT / DESCRIBE: at least these triples
    unchanged: bool = False            # an update attempt: the data must be the same afterwards


def form(*pairs) -> bytes:
    return urlencode(pairs).encode()


CASES = {
    # 2.1.1 query via GET: the query string in the `query` parameter, percent-encoded.
    "query via GET": Case("2.1.1", params=[("query", NAMES)], headers={"Accept": "application/sparql-results+json"},
                          media={"application/sparql-results+json"}, names=ALL_NAMES),
    # 2.1.2 query via URL-encoded POST: the parameters in the body, Content-Type x-www-form-urlencoded.
    "query via URL-encoded POST": Case("2.1.2", "POST", body=form(("query", NAMES)),
                                       headers={"Content-Type": FORM}, media=SOLUTION_MEDIA, names=ALL_NAMES),
    # 2.1.3 query via POST directly: the query unencoded as the body, Content-Type application/sparql-query;
    # a non-ASCII character arrives as UTF-8.
    "query via POST directly": Case("2.1.3", "POST", body=f'{NAMES[:-1]} FILTER(?name != "Zoë\'s Clinic") }}'.encode(),
                                    headers={"Content-Type": DIRECT}, media=SOLUTION_MEDIA,
                                    names=ALL_NAMES - {"Zoë's Clinic"}),
    "direct POST with an explicit UTF-8 charset": Case("2.1.3", "POST", body=NAMES.encode(),
                                                       headers={"Content-Type": DIRECT + "; charset=UTF-8"},
                                                       names=ALL_NAMES),
    # 2.1.4 the RDF dataset given by the protocol: default-graph-uri graphs merged into the default graph,
    # named-graph-uri graphs as the named graphs; on GET, form POST and (in the query string) direct POST.
    "GET with one default-graph-uri": Case("2.1.4", params=[("query", NAMES), ("default-graph-uri", A)],
                                           names={"Coders' Guild"}),
    "form POST with two default-graph-uri (their merge)": Case(
        "2.1.4", "POST", body=form(("query", NAMES), ("default-graph-uri", A), ("default-graph-uri", B)),
        headers={"Content-Type": FORM}, names={"Coders' Guild", "Coding Badge"}),
    "direct POST with default-graph-uri in the query string": Case(
        "2.1.4", "POST", params=[("default-graph-uri", C)], body=NAMES.encode(), headers={"Content-Type": DIRECT},
        names={"Zoë's Clinic"}),
    "GET with named-graph-uri": Case("2.1.4", params=[("query", GRAPH_NAMES), ("named-graph-uri", B),
                                                      ("named-graph-uri", C)],
                                     rows={(B, "Coding Badge"), (C, "Zoë's Clinic")}),
    "form POST with named-graph-uri": Case("2.1.4", "POST", body=form(("query", GRAPH_NAMES), ("named-graph-uri", A)),
                                           headers={"Content-Type": FORM}, rows={(A, "Coders' Guild")}),
    # named graphs only: the dataset's default graph is empty (as FROM NAMED without FROM, SPARQL 1.1 Query 13.2)
    "named-graph-uri alone leaves the default graph empty": Case(
        "2.1.4", params=[("query", NAMES), ("named-graph-uri", A)], names=set()),
    "both default-graph-uri and named-graph-uri": Case(
        "2.1.4", params=[("query", f"PREFIX ex: <{EX}> SELECT ?g ?name WHERE {{ {{ ?x ex:name ?name }} UNION "
                                   f"{{ GRAPH ?g {{ ?y ex:name ?name }} }} }}"),
                         ("default-graph-uri", A), ("named-graph-uri", C)],
        rows={(None, "Coders' Guild"), (C, "Zoë's Clinic")}),
    "the protocol's dataset wins over the query's FROM": Case(
        "2.1.4", params=[("query", f"PREFIX ex: <{EX}> SELECT ?name FROM <{C}> WHERE {{ ?x ex:name ?name }}"),
                         ("default-graph-uri", B)], names={"Coding Badge"}),
    "the query's FROM when the protocol gives no dataset": Case(
        "2.1.4", params=[("query", f"PREFIX ex: <{EX}> SELECT ?name FROM <{B}> WHERE {{ ?x ex:name ?name }}")],
        names={"Coding Badge"}),
    # 2.1.5 / 2.1.6 accepted response formats, by content negotiation, with a success status.
    "SELECT as SPARQL XML": Case("2.1.5", params=[("query", NAMES)],
                                 headers={"Accept": "application/sparql-results+xml"},
                                 media={"application/sparql-results+xml"}, names=ALL_NAMES),
    "SELECT as CSV": Case("2.1.5", params=[("query", NAMES)], headers={"Accept": "text/csv"}, media={"text/csv"},
                          names=ALL_NAMES),
    "SELECT as TSV": Case("2.1.5", params=[("query", NAMES)], headers={"Accept": "text/tab-separated-values"},
                          media={"text/tab-separated-values"}, names=ALL_NAMES),
    "SELECT with no Accept": Case("2.1.5", params=[("query", NAMES)], media=SOLUTION_MEDIA, names=ALL_NAMES),
    "ASK as JSON": Case("2.1.5", params=[("query", f"ASK {{ <{EX}guild> <{EX}awards> <{EX}badge> }}")],
                        headers={"Accept": "application/sparql-results+json"},
                        media={"application/sparql-results+json"}, boolean=True),
    "ASK as XML, false": Case("2.1.5", params=[("query", f"ASK {{ <{EX}badge> <{EX}awards> ?x }}")],
                              headers={"Accept": "application/sparql-results+xml"},
                              media={"application/sparql-results+xml"}, boolean=False),
    "ASK with a wildcard Accept": Case("2.1.5", params=[("query", f"ASK {{ <{EX}guild> ?p ?o }}")],
                                       headers={"Accept": "*/*"}, media=BOOLEAN_MEDIA, boolean=True),
    "CONSTRUCT as Turtle": Case(
        "2.1.5", "POST", body=form(("query", f"CONSTRUCT {{ ?b <{EX}awardedBy> ?g }} WHERE {{ ?g <{EX}awards> ?b }}")),
        headers={"Content-Type": FORM, "Accept": "text/turtle"}, media={"text/turtle"},
        triples={(URIRef(EX + "badge"), URIRef(EX + "awardedBy"), URIRef(EX + "guild"))}),
    "CONSTRUCT as N-Triples": Case(
        "2.1.5", params=[("query", f"CONSTRUCT WHERE {{ ?s <{EX}hours> ?h }}")],
        headers={"Accept": "application/n-triples"}, media={"application/n-triples"},
        triples={(URIRef(EX + "badge"), URIRef(EX + "hours"), Literal(40))}),
    "CONSTRUCT with no Accept": Case("2.1.5", params=[("query", f"CONSTRUCT WHERE {{ ?s <{EX}hours> ?h }}")],
                                     media=RDF_MEDIA, triples={(URIRef(EX + "badge"), URIRef(EX + "hours"), Literal(40))}),
    "DESCRIBE as RDF/XML": Case("2.1.5", "POST", body=f"DESCRIBE <{EX}badge>".encode(),
                                headers={"Content-Type": DIRECT, "Accept": "application/rdf+xml"},
                                media={"application/rdf+xml"},
                                triples={(URIRef(EX + "badge"), URIRef(EX + "name"), Literal("Coding Badge"))}),
    "DESCRIBE with a wildcard Accept": Case("2.1.5", params=[("query", f"DESCRIBE <{EX}guild>")],
                                            headers={"Accept": "*/*"}, media=RDF_MEDIA,
                                            triples={(URIRef(EX + "guild"), URIRef(EX + "awards"), URIRef(EX + "badge"))}),
    # Relative IRIs in a query resolve against the service's base (2.1.3 / SPARQL Query 4.1.1): absolute.
    "a relative IRI resolves to an absolute one": Case("2.1.1", params=[("query", "SELECT ?name WHERE { "
                                                                        "BIND(STR(<relative>) AS ?name) }")],
                                                       names=None, status=200),
    # 2.1.7 failure responses: 400 for a query that is not well formed or a request the protocol does not
    # allow; 4xx for a method, media type or encoding the operation does not take.
    "a syntax error is 400": Case("2.1.7", params=[("query", "SELECT ?x WHERE { ?x ?p }")], status=400),
    "two query parameters are 400": Case("2.1.7", params=[("query", NAMES), ("query", NAMES)], status=400),
    "two queries in a form POST are 400": Case("2.1.7", "POST", body=form(("query", NAMES), ("query", NAMES)),
                                               headers={"Content-Type": FORM}, status=400),
    "a method other than GET or POST is 4xx": Case("2.1", "PUT", params=[("query", NAMES)], status=(400, 499)),
    "a POST of another media type is 4xx": Case("2.1.3", "POST", body=NAMES.encode(),
                                                headers={"Content-Type": "text/plain"}, status=(400, 499)),
    "a url-encoded body without its media type is 4xx": Case("2.1.2", "POST", body=form(("query", NAMES)),
                                                             headers={"Content-Type": ""}, status=(400, 499)),
    "a query body without its media type is 4xx": Case("2.1.3", "POST", body=NAMES.encode(),
                                                       headers={"Content-Type": ""}, status=(400, 499)),
    "a direct POST in UTF-16 is 4xx": Case("2.1.3", "POST", body=NAMES.encode("utf-16"),
                                           headers={"Content-Type": DIRECT + "; charset=UTF-16"}, status=(400, 499)),
    "a direct POST that is not UTF-8 is 4xx": Case("2.1.3", "POST", body=NAMES.encode("utf-16"),
                                                   headers={"Content-Type": DIRECT}, status=(400, 499)),
    "an Accept no result format meets is 406": Case("2.1.5", params=[("query", NAMES)],
                                                    headers={"Accept": "image/png"}, status=406),
    # 2.2 update operations: this endpoint is read-only, so each is refused (4xx) and changes nothing.
    "update via URL-encoded POST": Case("2.2.1", "POST", body=form(("update", f"INSERT DATA {{ <{EX}x> <{EX}y> 1 }}")),
                                        headers={"Content-Type": FORM}, status=(400, 499), unchanged=True),
    "update via POST directly": Case("2.2.2", "POST", body=f"INSERT DATA {{ <{EX}x> <{EX}y> 1 }}".encode(),
                                     headers={"Content-Type": "application/sparql-update"}, status=(400, 499),
                                     unchanged=True),
    "update via GET": Case("2.2", params=[("update", f"CLEAR GRAPH <{A}>")], status=(400, 499), unchanged=True),
    "update with using-graph-uri": Case("2.2.3", "POST", body=form(("update", f"DELETE WHERE {{ ?s ?p ?o }}"),
                                                                   ("using-graph-uri", A)),
                                        headers={"Content-Type": FORM}, status=(400, 499), unchanged=True),
    "update with using-named-graph-uri": Case("2.2.3", "POST", params=[("using-named-graph-uri", B)],
                                              body=f"DROP GRAPH <{B}>".encode(),
                                              headers={"Content-Type": "application/sparql-update"},
                                              status=(400, 499), unchanged=True),
    "two update parameters": Case("2.2.1", "POST", body=form(("update", f"DROP GRAPH <{A}>"),
                                                             ("update", f"DROP GRAPH <{B}>")),
                                  headers={"Content-Type": FORM}, status=(400, 499), unchanged=True),
    "an update sent as a query": Case("2.1.7", params=[("query", f"DROP GRAPH <{C}>")], status=(400, 499),
                                      unchanged=True),
}


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    graphs = {f"{EX}graph/{path.stem}": path for path in sorted(DATA.glob("*.nt"))}
    data = data_dir_with_graphs(tmp_path_factory.mktemp("protocol-data"), graphs, merge_default=True)
    with live_server(data, env={"MBC_LOAD_SEARCH": "false"}) as base:
        yield base


def send(base: str, case: Case) -> requests.Response:
    url = base + "/sparql" + ("?" + urlencode(case.params) if case.params else "")
    request = requests.Request(case.method, url, headers=case.headers, data=case.body).prepare()
    if case.headers.get("Content-Type") == "":
        request.headers.pop("Content-Type", None)    # no media type at all, not an empty one
    with requests.Session() as session:
        return session.send(request, timeout=30)


def solutions(response: requests.Response) -> list[dict]:
    """Each solution as {variable: value} from any of the four result formats."""
    media = response.headers["Content-Type"].split(";")[0].strip()
    if media == "application/sparql-results+json":
        return [{name: value["value"] for name, value in row.items()}
                for row in response.json()["results"]["bindings"]]
    if media == "application/sparql-results+xml":
        root = ElementTree.fromstring(response.content)
        return [{b.get("name"): "".join(b.itertext()) for b in result.iter(RESULTS_NS + "binding")}
                for result in root.iter(RESULTS_NS + "result")]
    if media == "text/csv":
        return [{k: v for k, v in row.items() if v != ""} for row in csv.DictReader(io.StringIO(response.text))]
    if media == "text/tab-separated-values":
        lines = response.text.splitlines()
        header = [name.lstrip("?") for name in lines[0].split("\t")]
        return [{name: _tsv_term(value) for name, value in zip(header, line.split("\t")) if value}
                for line in lines[1:]]
    raise AssertionError(f"not a result format: {media}")


def _tsv_term(term: str) -> str:
    if term.startswith("<") and term.endswith(">"):
        return term[1:-1]
    if term.startswith('"'):
        return json.loads(term[:term.rindex('"') + 1])
    return term


def boolean(response: requests.Response) -> bool:
    if "json" in response.headers["Content-Type"]:
        return response.json()["boolean"]
    return ElementTree.fromstring(response.content).find(RESULTS_NS + "boolean").text == "true"


def graph(response: requests.Response) -> Graph:
    media = response.headers["Content-Type"].split(";")[0].strip()
    formats = {"text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml",
               "application/ld+json": "json-ld"}
    return Graph().parse(data=response.content, format=formats[media])


def fingerprint(base: str) -> str:
    return requests.get(base + "/sparql", params={"query": COUNT_ALL}, timeout=30,
                        headers={"Accept": "text/csv"}).text


def test_the_cases_cover_each_part_of_the_recommendation():
    sections = {case.section for case in CASES.values()}
    assert {"2.1.1", "2.1.2", "2.1.3", "2.1.4", "2.1.5", "2.1.7", "2.2.1", "2.2.2", "2.2.3"} <= sections
    assert sum(1 for case in CASES.values() if case.unchanged) >= 6


@pytest.mark.parametrize("name", list(CASES))
def test_protocol_case(endpoint, name):
    case = CASES[name]
    before = fingerprint(endpoint) if case.unchanged else None
    response = send(endpoint, case)
    low, high = case.status if isinstance(case.status, tuple) else (case.status, case.status)
    assert low <= response.status_code <= high, (case.section, response.status_code, response.text[:300])
    if case.unchanged:
        assert fingerprint(endpoint) == before, "an update changed the data"
    if response.status_code >= 400:
        return
    media = response.headers["Content-Type"].split(";")[0].strip()
    if case.media is not None:
        assert media in case.media, (case.section, media)
    if case.names is not None:
        assert {row["name"] for row in solutions(response) if "name" in row} == case.names
        assert len(solutions(response)) == len(case.names)
    if case.rows is not None:
        assert {(row.get("g"), row["name"]) for row in solutions(response)} == case.rows
    if case.boolean is not None:
        assert boolean(response) is case.boolean
    if case.triples is not None:
        assert case.triples <= set(graph(response)), graph(response).serialize(format="nt")
    if name == "a relative IRI resolves to an absolute one":
        (value,) = [row["name"] for row in solutions(response)]
        assert value.startswith(endpoint) and value.endswith("/relative"), value
