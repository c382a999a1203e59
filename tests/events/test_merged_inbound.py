"""An inbound event that names a merged customer (by id or by its external reference) reaches
the customer it was merged into."""

from __future__ import annotations

from services.service_layer.events import drain_all
from tests.events.conftest import envelope


def test_a_lead_for_a_merged_customer_reaches_its_survivor(svc, daemon_engine, inbox_events, options, query):
    survivor = svc.customers.create(name="Kantine Nord", region="NORTH", city="Kiel")
    merged = svc.customers.create(name="Kantine Nord GmbH", region="NORTH", city="Kiel", external_ref="LEAD-77")
    svc.duplicates.merge(survivor.id, [merged.id])
    inbox_events([envelope("lead.converted", {"customerId": str(merged.id)}),
                  envelope("lead.converted", {"customer": {"externalRef": "LEAD-77", "name": "Kantine Nord",
                                                           "region": "NORTH"}})])
    drain_all(daemon_engine, options=options)
    assert query("SELECT count(*) FROM sample_request WHERE customer_id = :c", c=survivor.id) == 2
    assert query("SELECT count(*) FROM sample_request WHERE customer_id = :c", c=merged.id) == 0
    assert query("SELECT count(*) FROM accounts") == 2, "no new customer for the merged one's reference"
