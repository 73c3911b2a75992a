"""Generated malformed and hostile queries: the endpoint answers each with a client error, a result
or a 503 (time limit, busy), never another server error, and never contacts anything."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FRAGMENTS = [
    "SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "{", "}", "(", ")", "[", "]", ".", ";", ",", "*", "?s", "?p",
    "?o", "$x", "<http://x/a>", "<>", "<http://127.0.0.1:1/>", "mbc:issuedBy", "PREFIX mbc: <https://w3id.org/mbc-kg/ontology#>",
    "BASE <http://127.0.0.1:9/>", "SERVICE", "SILENT", "OPTIONAL", "UNION", "MINUS", "FILTER", "BIND", "AS", "VALUES",
    "GRAPH", "FROM", "FROM NAMED", "LIMIT 1", "OFFSET 99999999999999999999", "ORDER BY", "GROUP BY", "HAVING",
    "COUNT(*)", "REGEX(?o, '(a+)+$')", "STRLEN(?o)", "CONCAT(", "IRI(", "BNODE()", "UUID()", "NOW()", "RAND()",
    "\"\"\"", "'", "\"x\"@en", "\"1\"^^<http://www.w3.org/2001/XMLSchema#integer>", "1e999999", "-0", "0x1F",
    "#", "#\r", "\r", "\n", "\u0000", "\ud7ff", "\U0001F600", "\\u0053ERVICE", "a", "^", "|", "/", "+", "?",
    "!", "&&", "||", "=", "!=", "<", ">", "INSERT DATA", "DELETE", "LOAD <http://127.0.0.1:1/x>", "CLEAR ALL",
    "<<", ">>", "TRIPLE(?s, ?p, ?o)", "LATERAL", "EXISTS", "NOT EXISTS", "IN", "NOT IN", "COALESCE(", "IF(",
]
query_text = st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=40).map(" ".join)
noise = st.text(min_size=0, max_size=200)
hostile = st.one_of(query_text, noise, st.tuples(query_text, noise).map("".join))


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(query=hostile, method=st.sampled_from(["get", "form", "direct"]))
def test_no_generated_query_gets_a_server_error(client, query, method):
    if method == "get":
        response = client.get("/sparql", query_string={"query": query})
    elif method == "form":
        response = client.post("/sparql", data={"query": query})
    else:
        response = client.post("/sparql", data=query.encode("utf-8", "surrogatepass"),
                               content_type="application/sparql-query")
    assert response.status_code < 500 or response.status_code == 503, (query, response.status_code,
                                                                         response.get_data()[:300])


@pytest.mark.parametrize("body, content_type", [
    (b"\xff\xfe\x00q", "application/sparql-query"),
    (b"query=%FF%FE", "application/x-www-form-urlencoded"),
    (b"ASK {}", "application/sparql-query; charset=latin-1"),
    (b"x" * 2_000_000, "application/sparql-query"),
    (b"query=" + b"%7B" * 50_000, "application/x-www-form-urlencoded"),
])
def test_malformed_bodies_are_client_errors(client, body, content_type):
    response = client.post("/sparql", data=body, content_type=content_type)
    assert 400 <= response.status_code < 500, response.status_code
