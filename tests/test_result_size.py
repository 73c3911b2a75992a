"""Results are capped in bytes as well as rows (MBC_SPARQL_MAX_RESULT_MB): a few rows holding huge
strings (attacks bigrows.py and bigstring.py) are cut at the last whole row within the cap and say so,
and a row too large to be read again is a 400 "query exceeds the memory limit", never a 500."""
import pytest

from service import Config, create_app, state
from service.sparql_executor import LineCappedWriter, graph_from_ntriples, solutions_from_tsv

MB = 2**20


def doubled(k: int) -> str:
    """BINDs that make ?a{k}, a string of 2^k characters, from K doublings (no deep nesting)."""
    return 'BIND("a" AS ?a0) ' + " ".join(f"BIND(CONCAT(?a{i},?a{i}) AS ?a{i + 1})" for i in range(k))


def big_rows(k: int, rows: int) -> str:
    """As attacks/bigrows.py: `rows` solutions, each holding the same 2^k-character string."""
    values = " ".join(str(i) for i in range(rows))
    return f"SELECT ?r ?a{k} {{ {{ SELECT ?a{k} {{ {doubled(k)} }} }} VALUES ?r {{ {values} }} }}"


def big_string(k: int) -> str:
    """As attacks/bigstring.py: one solution whose value is a 2^k-character string."""
    return f"SELECT ?a{k} {{ {doubled(k)} }}"


def big_triples(k: int, rows: int) -> str:
    values = " ".join(str(i) for i in range(rows))
    return (f"CONSTRUCT {{ ?s <http://example.org/p> ?a{k} }} WHERE {{ {{ SELECT ?a{k} {{ {doubled(k)} }} }} "
            f"VALUES ?r {{ {values} }} BIND(IRI(CONCAT('http://example.org/', STR(?r))) AS ?s) }}")


@pytest.fixture(scope="module")
def capped_app(graph_data_dir):
    app = create_app(Config(data_dir=graph_data_dir, sparql_timeout=20, sparql_workers=1, sparql_max_result_mb=1,
                            sparql_cache_mb=0, load_search=False))
    yield app
    state.query_pool(app).close()


@pytest.mark.parametrize("accept", ["text/tab-separated-values", "application/sparql-results+json",
                                    "application/sparql-results+xml", "text/csv"])
def test_rows_of_huge_strings_are_cut_at_the_byte_cap_and_say_so(capped_app, accept):
    response = capped_app.test_client().post("/sparql", data={"query": big_rows(15, 100)}, headers={"Accept": accept})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.headers["X-SPARQL-Truncated"] == "true"
    assert response.headers["X-SPARQL-Limit-Bytes"] == str(MB)
    assert len(response.data) <= MB
    count = int(response.headers["X-SPARQL-Results"])
    assert 10 <= count < 32           # 32 kB rows: as many as fit in a MB, whole
    assert response.data.count(b"a" * 2**15) == count


def test_one_value_over_the_cap_leaves_an_empty_truncated_result(capped_app):
    response = capped_app.test_client().post("/sparql", data={"query": big_string(21)},
                                             headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200
    assert response.headers["X-SPARQL-Truncated"] == "true" and response.headers["X-SPARQL-Results"] == "0"
    assert response.get_json()["results"]["bindings"] == [] and len(response.data) < 1000


def test_graphs_are_cut_at_the_byte_cap_too(capped_app):
    for accept in ("application/n-triples", "text/turtle", "application/ld+json"):
        response = capped_app.test_client().post("/sparql", data={"query": big_triples(15, 100)},
                                                 headers={"Accept": accept})
        assert response.status_code == 200, (accept, response.get_data(as_text=True)[:300])
        assert response.headers["X-SPARQL-Truncated"] == "true" and len(response.data) <= MB
        assert 10 <= int(response.headers["X-SPARQL-Results"]) < 32


def test_small_results_are_untouched(capped_app):
    response = capped_app.test_client().post("/sparql", data={"query": big_rows(10, 20)},
                                             headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200 and "X-SPARQL-Truncated" not in response.headers
    assert response.headers["X-SPARQL-Results"] == "20"


def test_a_row_too_large_to_read_again_is_400_not_500(graph_data_dir):
    """pyoxigraph's result parsers refuse a line over 16 MB with MemoryError ("Reached the buffer maximal
    size"): with the cap set above that, the answer is the memory-limit 400, not a crashed request."""
    app = create_app(Config(data_dir=graph_data_dir, sparql_timeout=30, sparql_workers=1, sparql_max_result_mb=64,
                            sparql_cache_mb=0, load_search=False))
    try:
        response = app.test_client().post("/sparql", data={"query": big_string(25)},
                                          headers={"Accept": "application/sparql-results+json"})
        assert response.status_code == 400, response.get_data(as_text=True)[:300]
        assert response.get_json()["error"] == "query exceeds the memory limit"
    finally:
        state.query_pool(app).close()


# ---------------------------------------------------------------- the writers and converters themselves

def test_the_line_writer_keeps_at_most_the_byte_cap():
    writer = LineCappedWriter(1000, max_bytes=100)
    with pytest.raises(Exception):
        for _ in range(10):
            writer.write(b"x" * 30 + b"\n")
    assert len(writer.buffer) <= 101
    data, truncated = writer.capped()
    assert data == (b"x" * 30 + b"\n") * 3 and truncated
    huge = LineCappedWriter(1000, max_bytes=100)
    with pytest.raises(Exception):
        huge.write(b"y" * 10_000_000)          # one block far over the cap: not kept whole
    assert len(huge.buffer) <= 101 and huge.capped() == (b"", True)


def test_conversions_keep_within_the_cap_whatever_they_escape():
    tsv = b"?a\n" + b"".join(b'"' + b"<&" * 500 + b'"\n' for _ in range(200))   # XML writes each as 4-5 bytes
    for form in ("json", "xml", "csv"):
        body, count, cut = solutions_from_tsv(tsv, form, 100_000)
        assert len(body) <= 100_000 and cut and 0 < count < 200, form
    assert solutions_from_tsv(tsv, "xml", None)[1:] == (200, False)
    ntriples = b"".join(b'<http://a/%d> <http://b> "%s" .\n' % (i, b"<" * 1000) for i in range(200))
    for form in ("turtle", "jsonld", "rdfxml"):
        body, count, cut = graph_from_ntriples(ntriples, form, 100_000)
        assert len(body) <= 100_000 and cut and 0 < count < 200, form
