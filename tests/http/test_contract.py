"""The served OpenAPI document holds every operation, parameter and property name of the
source's contracts (000_95b65441143d9370-excerpt.md, section B), as the source writes them."""

from __future__ import annotations

import pytest

# (method, path) → query/path/header parameters, request properties, response properties
SOURCE = {
    ("post", "/samples"): ((), ("customerId", "kitId", "items", "sku", "quantity", "deliveryDate", "deliveryAddress",
                                "contactEmail", "notes"), ("id", "status", "createdAt")),
    ("patch", "/samples/{id}/status"): (("id",), ("newStatus", "eventAt"), ()),
    ("post", "/activities"): ((), ("customerId", "kind", "occurredAt", "note", "sampleId", "rating", "outcome",
                                   "sensoricNotes", "nextStep", "roiScenarioId", "savingsPerMonth", "commitmentLevel"),
                              ()),
    ("get", "/customers/{id}/activities"): (("id", "kind", "from", "to", "q", "limit", "cursor"), (), ()),
    ("get", "/customers/{id}/fields"): (("id",), (), ()),
    ("patch", "/customers/{id}/fields"): (("id", "If-Match"), ("sample_status", "roi_potential",
                                                               "current_supplier_contracts"), ()),
    ("get", "/customers"): (("sample_status", "roi_bucket", "season_from", "season_to", "renewal_before",
                             "exclusivity", "decision_maker_count_min", "q", "limit", "cursor"), (), ("nextCursor",)),
}
# The issue's own operations beyond the source's.
OURS = [("get", "/samples/{id}"), ("get", "/customers/{id}/samples"), ("get", "/cockpit/summary"),
        ("post", "/events/replay"), ("post", "/events"), ("get", "/health")]


def _names(node, document, seen=None) -> set[str]:
    """Every property name reachable from a schema (refs, allOf/oneOf/anyOf, items)."""
    seen = seen if seen is not None else set()
    names: set[str] = set()
    if isinstance(node, dict):
        ref = node.get("$ref")
        if ref:
            if ref in seen:
                return names
            seen.add(ref)
            target = document
            for part in ref.removeprefix("#/").split("/"):
                target = target[part]
            return _names(target, document, seen)
        names |= set(node.get("properties", {}))
        for value in node.values():
            names |= _names(value, document, seen)
    elif isinstance(node, list):
        for value in node:
            names |= _names(value, document, seen)
    return names


@pytest.fixture(scope="module")
def document(http):
    response = http.get("/openapi.json")
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize(("method", "path"), list(SOURCE))
def test_each_operation_of_the_source_with_its_names(document, method, path):
    operation = document["paths"][path][method]
    parameters, request, response = SOURCE[(method, path)]
    assert set(parameters) <= {p["name"] for p in operation.get("parameters", [])}
    if request:
        schema = operation["requestBody"]["content"]["application/json"]["schema"]
        assert set(request) <= _names(schema, document)
    if response:
        ok = next(r for code, r in operation["responses"].items() if code.startswith("2"))
        assert set(response) <= _names(ok["content"]["application/json"]["schema"], document)
    assert operation.get("security") == [{"bearerAuth": []}]
    # Errors are problem details.
    assert "application/problem+json" in operation["responses"]["422"]["content"]


def test_the_issue_operations_and_the_security_scheme(document):
    for method, path in OURS:
        assert method in document["paths"][path]
    assert document["openapi"].startswith("3.1")
    assert document["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "bearerFormat": "stw_… (personal API token)",
        "description": "A personal API token (`steward tokens create`)."}
    # The activity kinds are the pack's, each its own schema in the oneOf.
    assert set(document["components"]["schemas"]["ActivityKind"]["enum"]) == {
        "PRODUCTTEST_FEEDBACK", "ROI_CONSULTATION", "MENU_INTEGRATION", "DECISION_MAKER_ALIGNMENT"}
    assert len(document["components"]["schemas"]["ActivityIn"]["oneOf"]) == 4
    # The list's filters are the catalog's, with their types and choices.
    params = {p["name"]: p["schema"] for p in document["paths"]["/customers"]["get"]["parameters"]}
    assert params["roi_bucket"]["anyOf"][0]["items"]["enum"] == ["LOW", "MID", "HIGH"]
    assert params["renewal_before"]["anyOf"][0] == {"type": "string", "format": "date"}
    assert params["exclusivity"]["anyOf"][0] == {"type": "boolean"}


def test_the_list_parameters_are_the_catalog_filters(server, document):
    params = {p["name"] for p in document["paths"]["/customers"]["get"]["parameters"]}
    assert set(server.catalog.filters) <= params
