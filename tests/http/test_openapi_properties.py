"""Property-based tests of the served OpenAPI document (schemathesis): for requests generated from
the document, valid and invalid, the server never fails (no 5xx) and every answer matches the
document (status code, content type, headers, body schema). Few examples per operation, to stay fast."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance, response_headers_conformance,
                                               response_schema_conformance, status_code_conformance)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]
OPERATIONS = [("POST", "/samples"), ("GET", "/samples/{id}"), ("PATCH", "/samples/{id}/status"),
              ("GET", "/customers/{id}/samples"), ("POST", "/activities"), ("GET", "/activities/{id}"),
              ("GET", "/customers/{id}/activities"), ("GET", "/customers/{id}/fields"),
              ("PATCH", "/customers/{id}/fields"), ("GET", "/customers"), ("GET", "/cockpit/summary"),
              ("POST", "/events"), ("POST", "/events/replay"), ("GET", "/health")]


@pytest.fixture(scope="module")
def api_schema(app):
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def test_the_list_covers_every_operation(api_schema):
    served = {(r.ok().method.upper(), r.ok().path) for r in api_schema.get_all_operations()}
    assert served == set(OPERATIONS)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_no_server_error_and_every_answer_matches_the_document(api_schema, world, method, path, mode):
    if path == "/health" and mode == GenerationMode.NEGATIVE:
        pytest.skip("/health has no input to make invalid")
    operation = api_schema[path][method]
    headers = world.auth("leads_module" if path == "/events" else "admin")

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=8, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()
