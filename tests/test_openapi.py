"""/openapi.json: a valid OpenAPI 3 document (openapi-spec-validator) that describes every public route of
the app, and that the app keeps: no request schemathesis generates from it gets a 5xx, and every response
matches what it says (status, media type, JSON schema)."""
import re

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate
from schemathesis.specs.openapi.checks import positive_data_acceptance

from service.openapi import SPEC, UNDESCRIBED


@pytest.fixture(scope="module")
def api_schema(app):
    return schemathesis.openapi.from_wsgi("/openapi.json", app)


def operations(schema):
    return [result.ok() for result in schema.get_all_operations()]


def test_the_document_is_valid_openapi(client):
    document = client.get("/openapi.json").get_json()
    validate(document)          # raises OpenAPIValidationError with the path of the fault
    assert document == SPEC


def test_a_broken_document_would_be_caught():
    broken = {**SPEC, "paths": {"/x": {"get": {"responses": {"200": {"content": {"text/html": {"schema": {
        "type": "no-such-type"}}}}}}}}}
    with pytest.raises(Exception, match="no-such-type|description"):
        validate(broken)


def openapi_path(rule: str) -> str:
    """A Flask rule as an OpenAPI path: /documents/<path:name> -> /documents/{name}."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def test_every_public_route_is_described(app):
    described = set(SPEC["paths"])
    routes = {}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/<any("):       # the browse lists: one path per kind in the document
            for kind in re.findall(r"'([^']+)'|\"([^\"]+)\"", rule.rule):
                routes["/" + (kind[0] or kind[1])] = rule
            continue
        routes[openapi_path(rule.rule)] = rule
    missing = {path for path in routes if path not in described and rule_of(path) not in UNDESCRIBED}
    assert not missing, f"routes the OpenAPI document does not describe: {sorted(missing)}"
    assert not described - set(routes), "described paths the app does not serve"
    for path, rule in routes.items():
        if path in described:
            served = {m.lower() for m in rule.methods} - {"head", "options"}
            assert set(SPEC["paths"][path]) == served, (path, served)
    # the exceptions are real routes, each with its reason
    assert {rule_of(p) for p in routes} >= set(UNDESCRIBED)


def rule_of(path: str) -> str:
    import re

    if path == "/static/{filename}":
        return "/static/<path:filename>"
    return re.sub(r"^(/vendor/[^/]+/)\{name\}$", r"\1<string:name>", path)


def test_every_operation_has_a_summary_and_its_errors():
    for path, methods in SPEC["paths"].items():
        for method, operation in methods.items():
            assert operation["summary"] and operation["tags"], (path, method)
            assert "200" in operation["responses"], (path, method)


FAST_EXAMPLES = 40
# Searching and SPARQL do real work per request: fewer examples there; pages render the graph.
EXAMPLES = {"/api/search": 60, "/": 25, "/sparql": 30, "/download/{name}": 6, "/docs": 3, "/openapi.json": 3,
            "/void": 15, "/browse": 5}


# schemathesis leaves out the path its schema is loaded from: /openapi.json is checked above
@pytest.mark.parametrize("path, method", [(path, method) for path, methods in SPEC["paths"].items()
                                          for method in methods if path != "/openapi.json"])
def test_no_generated_request_gets_a_server_error(api_schema, path, method):
    operation = next(op for op in operations(api_schema) if op.path == path and op.method.lower() == method)

    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES.get(path, FAST_EXAMPLES), deadline=None, suppress_health_check=list(HealthCheck),
              database=None)
    def check(case):
        response = case.call(headers={"Accept-Encoding": "identity"})  # the WSGI transport does not gunzip
        assert response.status_code < 500, (case.path_parameters, case.query, response.status_code,
                                            response.text[:300])
        case.validate_response(response, excluded_checks=excluded)

    # A string the schema allows is rarely a SPARQL query, or the path of an entity of the graph:
    # the 400 for it is right (a 5xx is still caught above)
    excluded = [positive_data_acceptance] if path in ("/sparql", "/compare") else []
    check()
