"""Repeated SPARQL queries are answered from memory, per generation."""
import time

from service import Config, create_app, state

QUERY = "PREFIX mbc: <https://w3id.org/mbc-kg/ontology#> SELECT ?c WHERE { ?c a mbc:Certification } # cache test"


def test_a_repeated_query_is_a_cache_hit_and_skips_the_workers(client, monkeypatch):
    first = client.get("/sparql", query_string={"query": QUERY})
    assert first.status_code == 200 and first.headers["X-SPARQL-Cache"] == "miss"

    def must_not_run(*args, **kwargs):
        raise AssertionError("a cached answer went to a query worker")

    monkeypatch.setattr(state.query_pool(client.application), "run", must_not_run)
    second = client.get("/sparql", query_string={"query": QUERY})
    assert second.headers["X-SPARQL-Cache"] == "hit" and second.data == first.data
    assert second.headers["X-SPARQL-Results"] == first.headers["X-SPARQL-Results"]


def test_format_and_dataset_are_part_of_the_key(client):
    client.get("/sparql", query_string={"query": QUERY})
    as_csv = client.get("/sparql", query_string={"query": QUERY, "format": "csv"})
    assert as_csv.headers["X-SPARQL-Cache"] == "miss" and as_csv.mimetype == "text/csv"
    with_dataset = client.get("/sparql", query_string={
        "query": QUERY, "default-graph-uri": "https://w3id.org/mbc-kg/id/graph/ontology"})
    assert with_dataset.headers["X-SPARQL-Cache"] == "miss"


def test_a_new_generation_empties_the_cache(tmp_path):
    from ingest.pipeline import run_ingest

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Coding in Ohio\nThe Certified Professional Coder (CPC) is offered by AAPC.\n")
    data = tmp_path / "data"
    run_ingest(corpus, data, progress=False)
    app = create_app(Config(data_dir=data, sparql_workers=1, load_search=False, check_interval=0))
    try:
        client = app.test_client()
        count = "PREFIX mbc: <https://w3id.org/mbc-kg/ontology#> SELECT (COUNT(?c) AS ?n) WHERE { ?c a mbc:Certification }"
        before = client.get("/sparql", query_string={"query": count})
        assert client.get("/sparql", query_string={"query": count}).headers["X-SPARQL-Cache"] == "hit"
        (corpus / "b.txt").write_text("Coding in Utah\nThe Certified Coding Specialist (CCS) is offered by AHIMA.\n")
        run_ingest(corpus, data, progress=False)
        time.sleep(0.05)
        after = client.get("/sparql", query_string={"query": count})
        assert after.headers["X-SPARQL-Cache"] == "miss"
        assert after.get_json()["results"]["bindings"][0]["n"]["value"] != \
            before.get_json()["results"]["bindings"][0]["n"]["value"]
        assert len(state.result_cache(app)) == 1
    finally:
        state.query_pool(app).close()


def test_the_base_iri_is_part_of_the_key(client):
    """IRI("x") resolves against the endpoint's address: /sparql/ and /sparql answer differently."""
    query = "SELECT (IRI('x') AS ?i) WHERE {} # base test"
    plain = client.get("/sparql", query_string={"query": query}, headers={"Accept": "text/csv"})
    slash = client.get("/sparql/", query_string={"query": query}, headers={"Accept": "text/csv"})
    assert slash.headers["X-SPARQL-Cache"] == "miss"
    assert plain.data != slash.data


def test_the_byte_bound_counts_the_query_text_too():
    """Many distinct huge queries with tiny answers cannot grow the cache past its bound: the key (the
    query text) is counted with the answer."""
    from service.result_cache import ResultCache, key_bytes
    from service.sparql_executor import QueryResult

    cache = ResultCache(2**20)
    for number in range(100):
        query = f"ASK {{}} # {number} " + "x" * 100_000
        key = ("generation", "http://127.0.0.1:5000/sparql", query, "json", "turtle", (), (), False)
        cache.put(key, QueryResult("application/sparql-results+json", b'{"boolean":true}', False, 1, "boolean", 0.0))
    held = sum(key_bytes(key) + len(result.body) for key, result in cache.items())
    assert 0 < len(cache) < 100
    assert held <= cache.bytes <= 2**20


def test_an_entry_whose_key_alone_is_too_big_is_not_kept():
    from service.result_cache import ResultCache
    from service.sparql_executor import QueryResult

    cache = ResultCache(8 * 100_000)      # an entry may hold an eighth: 100,000 bytes
    cache.put(("g", "x" * 200_000), QueryResult("text/csv", b"n\n", False, 0, "solutions", 0.0))
    assert len(cache) == 0 and cache.bytes == 0


def test_the_one_lru_cache_lets_the_least_recently_used_go_first():
    """common.lru.LRUCache, which this cache, the question vectors and the graph answers share."""
    from common.lru import LRUCache

    cache = LRUCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1            # "a" is now the most recently used
    cache.put("c", 3)
    assert cache.get("b") is None and cache.get("a") == 1 and cache.get("c") == 3 and len(cache) == 2
