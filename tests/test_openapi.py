"""The JSON API against its own OpenAPI document: no request schemathesis generates gets a 5xx,
and every response matches the schema."""
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings


@pytest.fixture(scope="module")
def api_schema(app):
    return schemathesis.openapi.from_wsgi("/openapi.json", app)


def operations(schema):
    return [result.ok() for result in schema.get_all_operations()]


def test_the_document_describes_the_api(api_schema):
    paths = {operation.path for operation in operations(api_schema)}
    assert paths == {"/api/search", "/api/provenance", "/healthz"}


@pytest.mark.parametrize("path", ["/api/search", "/api/provenance", "/healthz"])
def test_no_generated_request_gets_a_server_error(api_schema, path):
    operation = next(op for op in operations(api_schema) if op.path == path)

    @given(case=operation.as_strategy())
    @settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(case):
        response = case.call(headers={"Accept-Encoding": "identity"})  # the WSGI transport does not gunzip
        assert response.status_code < 500, (case.query, response.status_code, response.text[:300])
        case.validate_response(response)

    check()
