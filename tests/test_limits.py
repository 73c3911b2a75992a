"""Limits that keep one client from taking the service from others, through the Flask test client:
query nesting, memory, per-client share, Host headers and redirects, protocol odds."""
import threading
import time

import pytest

from service import Config, create_app, state
from service.sparql_executor import QueryPool, QueryRefused
from service.sparql_query import nesting_depth

# 300 quads to the fourth: 8.1e9 rows, never counted within a test's time limit (to the third it was, on a fast run)
CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
# builds a hash table far larger than the memory limit before it can answer
MEMORY_HOG = ("SELECT ?a ?d (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f } GROUP BY ?a ?d ORDER BY DESC(?n) LIMIT 1")


def sparql(client, query, **kwargs):
    return client.get("/sparql", query_string={"query": query}, **kwargs)


# ---------------------------------------------------------------- nesting

DEEP = 10_000


@pytest.mark.parametrize("name, query", [
    ("groups", "SELECT * WHERE " + "{" * DEEP + "}" * DEEP),
    ("parentheses", "SELECT * WHERE { FILTER(" + "(" * DEEP + "1" + ")" * DEEP + ") }"),
    ("negations", "SELECT * WHERE { FILTER(" + "!" * DEEP + "true) }"),
    ("blank nodes", "SELECT * WHERE { ?s ?p " + "[ ?p " * DEEP + "?o" + " ]" * DEEP + " }"),
    ("optionals", "SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o " * 3000 + "}" * 3000 + " }"),
    ("sub-selects", "SELECT * WHERE { " + "{ SELECT * WHERE " * 3000 + "{ ?s ?p ?o }" + " }" * 3000 + " }"),
    ("concat", "SELECT * WHERE { BIND(" + "CONCAT(" * 3000 + "'x'" + ")" * 3000 + " AS ?x) }"),
    ("inverse paths", "SELECT * WHERE { ?s " + "^" * DEEP + "<http://x/p> ?o }"),
])
def test_over_deep_queries_are_refused_before_parsing(client, name, query):
    started = time.monotonic()
    response = client.post("/sparql", data={"query": query})
    assert response.status_code == 400, (name, response.status_code)
    assert response.get_json()["error"] == "query nested too deeply"
    assert time.monotonic() - started < 2


def test_nesting_counts_brackets_not_strings():
    assert nesting_depth('SELECT * WHERE { ?s ?p "((((((((((((" }') == 1
    assert nesting_depth("SELECT * WHERE { OPTIONAL { ?s ?p ?o FILTER(BOUND(?o)) } }") == 4
    assert nesting_depth("SELECT * WHERE { ?s ?p ?o FILTER(!!!!!!!!(?o = 1)) }") == 8
    assert nesting_depth("# ----------------------------\nSELECT * WHERE { ?s ?p ?o }") == 1


def test_nesting_is_never_lower_than_the_engines_reading():
    """IRIs and comments are where a lexer and an engine disagree: an opening bracket in them counts."""
    deep = "(" * 100 + "1" + ")" * 100
    assert nesting_depth("SELECT * WHERE { FILTER(1<" + deep + "&&2>1) }") > 100          # an IRI to a lexer
    assert nesting_depth("SELECT * WHERE { # x\rFILTER(" + deep + ")\n}") > 100             # a comment to rdflib
    assert nesting_depth("SELECT * WHERE { FILTER(1<" + "!" * 100 + "x>1) }") >= 100          # negations
    assert nesting_depth("SELECT * WHERE { ?s ?p <http://x/\xa0" + ")" * 50 + "> FILTER(" + deep + ") }") > 100


def test_a_query_past_the_guard_cannot_crash_its_worker(graph_data_dir):
    """With the guard set out of the way, the deepest queries the size limit allows still run: the
    engine has a stack of its own large enough for them (no worker dies, no 500)."""
    app = create_app(Config(data_dir=graph_data_dir, sparql_timeout=20, sparql_workers=1, sparql_max_workers=1,
                            sparql_max_nesting=1_000_000, load_search=False))
    try:
        client = app.test_client()
        for query in ("SELECT * WHERE { BIND(" + "(" * 49_000 + "1" + ")" * 49_000 + " AS ?x) }",
                      "SELECT * WHERE { FILTER(" + "!" * 99_000 + "true) }",
                      "SELECT * WHERE { " + "{" * 49_000 + "}" * 49_000 + " }"):
            response = client.post("/sparql", data={"query": query})
            assert response.status_code == 200, response.get_data(as_text=True)[:300]
        pool = state.query_pool(app)
        assert pool._count == 1 and len(pool._idle) == 1      # the one worker is the one it started with
    finally:
        state.query_pool(app).close()


def test_an_ordinary_deep_query_still_runs(client):
    query = ("PREFIX mbc: <https://w3id.org/mbc-kg/ontology#> SELECT ?c WHERE { { { ?c a mbc:Certification "
             "OPTIONAL { ?c mbc:issuedBy ?o FILTER((((BOUND(?o))))) } } } } LIMIT 1")
    assert sparql(client, query).status_code == 200


# ---------------------------------------------------------------- memory

@pytest.fixture(scope="module")
def small_memory_app(graph_data_dir):
    app = create_app(Config(data_dir=graph_data_dir, sparql_timeout=20, sparql_workers=1, sparql_memory_mb=200,
                            load_search=False))
    yield app
    state.query_pool(app).close()


def test_a_query_over_the_memory_limit_is_stopped_with_a_clear_error(small_memory_app):
    client = small_memory_app.test_client()
    started = time.monotonic()
    response = sparql(client, MEMORY_HOG)
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] == "query exceeds the memory limit" and "200 MB" in body["detail"]
    assert time.monotonic() - started < 20
    # the pool replaces the worker in the background: meanwhile 503 with Retry-After, then answered
    assert _answered_once_replaced(client).get_json()["boolean"] is True


def _answered_once_replaced(client, query="ASK { ?s ?p ?o }"):
    for _ in range(30):
        response = sparql(client, query)
        if response.status_code != 503:
            return response
        assert response.get_json()["error"] == "server busy" and int(response.headers["Retry-After"]) >= 1
        time.sleep(int(response.headers["Retry-After"]))
    raise AssertionError("the worker was not replaced within 30 s")


def test_a_dead_worker_is_replaced_in_the_background_and_no_request_waits_for_it(tiny_store, monkeypatch):
    """A request after a worker death is never held while a new worker starts (about a second): it is
    refused at once with Retry-After (503 busy), and answered once the replacement is ready."""
    from service import sparql_executor

    pool = QueryPool(size=1, max_size=2, timeout=2, per_client=5)
    try:
        with pytest.raises(Exception):
            pool.run(job(tiny_store, CROSS_PRODUCT), client="a")          # its worker is killed at 2 s
        waits = []
        real_wait = sparql_executor._Worker.wait_ready

        def timed_wait(worker, seconds):
            started = time.monotonic()
            try:
                return real_wait(worker, seconds)
            finally:
                waits.append((threading.current_thread().name, time.monotonic() - started))

        monkeypatch.setattr(sparql_executor._Worker, "wait_ready", timed_wait)
        started = time.monotonic()
        with pytest.raises(QueryRefused) as refused:
            pool.run(job(tiny_store, "ASK {}"), client="b")
        assert refused.value.kind == "busy" and refused.value.retry_after == 1
        assert time.monotonic() - started < 0.3
        deadline = time.monotonic() + 30
        while not pool._idle and time.monotonic() < deadline:
            time.sleep(0.1)
        assert b"true" in pool.run(job(tiny_store, "ASK { ?s ?p ?o }"), client="b").body
        assert pool._count == 1
        assert all(name == "sparql-worker-start" for name, seconds in waits if seconds > 0.05), waits
    finally:
        pool.close()


# ---------------------------------------------------------------- fair share

@pytest.fixture()
def tiny_store(tmp_path):
    import pyoxigraph as ox

    path = tmp_path / "store"
    store = ox.Store(str(path))
    store.bulk_extend(ox.Quad(ox.NamedNode(f"http://x/{i}"), ox.NamedNode("http://x/p"), ox.Literal(str(i)))
                      for i in range(300))
    store.flush()
    del store
    return str(path)


def job(store: str, query: str) -> dict:
    return {"query": query, "store": store, "limit": 100, "solution_format": "json", "graph_format": "turtle",
            "base_iri": None, "default_graphs": None, "named_graphs": None}


def test_one_client_gets_its_share_and_the_rest_is_refused_at_once(tiny_store):
    import threading

    pool = QueryPool(size=2, max_size=3, timeout=4, per_client=2)
    try:
        runaway = job(tiny_store, CROSS_PRODUCT)
        threads = [threading.Thread(target=lambda: pytest.raises(Exception, pool.run, runaway, "10.0.0.1"))
                   for _ in range(2)]
        for thread in threads:
            thread.start()
        time.sleep(0.5)
        started = time.monotonic()
        with pytest.raises(QueryRefused) as refused:
            pool.run(runaway, client="10.0.0.1")
        assert refused.value.kind == "client-share" and 1 <= refused.value.retry_after <= 4
        assert time.monotonic() - started < 0.5                       # at once, not after waiting
        answer = pool.run(job(tiny_store, "ASK { ?s ?p ?o }"), client="10.0.0.2")   # another client runs
        assert b"true" in answer.body
        for thread in threads:
            thread.join()
    finally:
        pool.close()


def test_every_worker_busy_is_refused_at_once_with_retry_after(tiny_store):
    import threading

    pool = QueryPool(size=1, max_size=1, timeout=3, per_client=5)
    try:
        thread = threading.Thread(target=lambda: pytest.raises(Exception, pool.run, job(tiny_store, CROSS_PRODUCT), "a"))
        thread.start()
        time.sleep(0.5)
        with pytest.raises(QueryRefused) as refused:
            pool.run(job(tiny_store, "ASK {}"), client="b")
        assert refused.value.kind == "busy" and refused.value.retry_after >= 1
        thread.join()
    finally:
        pool.close()


def test_refusals_answer_429_and_503_with_retry_after(client, monkeypatch):
    pool = state.query_pool(client.application)

    def refuse(kind):
        def run(*args, **kwargs):
            raise QueryRefused(kind, "no", 7)
        return run

    monkeypatch.setattr(pool, "run", refuse("client-share"))
    response = sparql(client, "ASK {} # refused as over the client's share")
    assert response.status_code == 429 and response.headers["Retry-After"] == "7"
    monkeypatch.setattr(pool, "run", refuse("busy"))
    response = sparql(client, "ASK {} # refused as busy")
    assert response.status_code == 503 and response.headers["Retry-After"] == "7"


# ---------------------------------------------------------------- Host header, redirects

def test_links_come_from_the_configured_base_url_not_the_host_header(client):
    void = client.get("/void", headers={"Accept": "text/turtle"})
    assert b"http://127.0.0.1:5000/sparql" in void.data
    description = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert b"http://127.0.0.1:5000/sparql" in description.data


@pytest.mark.parametrize("path", ["/void", "/sparql", "/healthz", "/id/certification/cpc"])
def test_an_untrusted_host_header_is_refused(client, path):
    response = client.get(path, headers={"Host": "attacker.example", "Accept": "text/turtle"})
    assert response.status_code == 400


def test_redirects_are_relative(client):
    response = client.get("/id//certification//cpc", headers={"Host": "localhost"})
    assert response.status_code in (301, 308)
    assert response.headers["Location"] == "/id/certification/cpc"


# ---------------------------------------------------------------- protocol odds

def test_head_answers_like_get_without_a_body(client):
    query = {"query": "ASK { ?s ?p ?o }"}
    get = client.get("/sparql", query_string=query)
    head = client.head("/sparql", query_string=query)
    assert head.status_code == get.status_code == 200
    assert head.headers["Content-Type"] == get.headers["Content-Type"] and head.data == b""


def test_an_over_long_query_string_gets_the_apps_own_error(client):
    response = client.get("/sparql", query_string={"query": "ASK {}" + " " * 20_000})
    assert response.status_code == 414 and response.get_json()["error"] == "query string too long"


@pytest.mark.parametrize("parameter", ["s", "p", "o"])
def test_an_empty_provenance_parameter_is_an_error_not_absent(client, parameter):
    response = client.get("/api/provenance", query_string={parameter: ""})
    assert response.status_code == 400 and parameter in response.get_json()["error"]


UNTERMINATED = {
    "escaped quotes": 'ASK {} "' + '\\"' * 50_000,
    "ending in a backslash": 'ASK {} "' + '\\"' * 50_000 + "\\",
    "single quotes": "ASK {} '" + "\\'" * 50_000,
    "long string": 'ASK {} """' + '\\"' * 50_000,
    "quotes": "ASK {} " + '"' * 100_000,
    "IRI openers": "ASK {} " + "<a" * 50_000,
}


@pytest.mark.parametrize("name", list(UNTERMINATED))
def test_the_pre_checks_take_linear_time_on_unterminated_strings(name):
    """The pre-checks run on the request thread holding the GIL: an unterminated string of escaped
    quotes made the lexer restart at every quote (100 kB took minutes, every thread stalled)."""
    from service.sparql_query import longest_operator_run, looks_like_update

    started = time.perf_counter()
    nesting_depth(UNTERMINATED[name])
    looks_like_update(UNTERMINATED[name])
    longest_operator_run(UNTERMINATED[name])
    assert time.perf_counter() - started < 3


def test_an_unterminated_string_hides_no_brackets_from_the_nesting_guard():
    deep = "(" * 300
    assert nesting_depth('SELECT * WHERE { FILTER("x' + deep + "\n) }") >= 300    # to the engine: brackets
    assert nesting_depth('SELECT * WHERE { FILTER("x' + deep + '") }') < 10       # a string
