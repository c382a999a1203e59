"""The logistics consumer against a local HTTP endpoint: retries, dead letters, redrive."""

from __future__ import annotations

from dataclasses import replace

from services.service_layer.events import drain_all
from services.service_layer.events.dead_letters import redrive


def test_shipment_requests_are_posted_with_their_id_after_the_first_tries_fail(
        daemon_engine, customers, outbox_events, options, logistics, query):
    endpoint = logistics(fail_first=2)
    ids = customers(4)
    outbox_events(ids, type_="shipment.requested")
    outbox_events(ids, type_="sample.requested")
    stats = drain_all(daemon_engine, options=replace(options, logistics_url=endpoint.url, logistics_attempts=3))

    shipped = {str(r) for r in query("SELECT array_agg(id) FROM event_outbox WHERE type = 'shipment.requested'")}
    assert endpoint.accepted_keys == shipped
    assert all(endpoint.tries[k] == 3 for k in shipped)
    for key, body in endpoint.accepted:
        assert body["id"] == key and body["type"] == "shipment.requested"
        assert body["source"] == "crm.customer-management" and "customerId" in body["data"]
    assert stats.passed["logistics"] == 8 and stats.dead_letters == 0
    assert query("SELECT events_handled FROM consumer_checkpoints WHERE consumer = 'logistics'") == 4


def test_an_endpoint_that_stays_down_fills_dead_letters_without_holding_back_the_others(
        daemon_engine, customers, outbox_events, options, logistics, query, owner_engine):
    endpoint = logistics()
    endpoint.down = True
    ids = customers(3)
    outbox_events(ids, type_="shipment.requested")
    with_url = replace(options, logistics_url=endpoint.url, logistics_attempts=2)
    stats = drain_all(daemon_engine, options=with_url)

    assert stats.dead_letters == 3 and endpoint.accepted == []
    assert query("SELECT count(*) FROM event_dead_letters WHERE consumer = 'logistics' AND state = 'dead' "
                 "AND attempts = 2 AND reason LIKE '%HTTP 503%'") == 3
    for consumer in ("projection_check", "kpis", "logistics"):
        assert query("SELECT events_seen FROM consumer_checkpoints WHERE consumer = :c", c=consumer) == 3

    endpoint.down = False
    with owner_engine.begin() as conn:
        assert redrive(conn, consumer="logistics").outbound == 3
    drain_all(daemon_engine, options=with_url)
    assert len(endpoint.accepted_keys) == 3
    assert query("SELECT count(*) FROM event_dead_letters WHERE state = 'delivered'") == 3

    # A second failure of a redriven letter keeps one letter, with the attempts added up.
    endpoint.down = True
    with owner_engine.begin() as conn:
        conn.exec_driver_sql("UPDATE event_dead_letters SET state = 'retry' "
                             "WHERE id = (SELECT min(id) FROM event_dead_letters)")
    drain_all(daemon_engine, options=with_url)
    assert query("SELECT count(*) FROM event_dead_letters") == 3
    assert query("SELECT attempts FROM event_dead_letters WHERE state = 'dead'") == 4


def test_without_a_url_logistics_waits_and_delivers_once_configured(
        daemon_engine, customers, outbox_events, options, logistics, query):
    ids = customers(2)
    outbox_events(ids, type_="shipment.requested")
    drain_all(daemon_engine, options=options)
    assert query("SELECT count(*) FROM consumer_checkpoints WHERE consumer = 'logistics'") == 0

    endpoint = logistics()
    drain_all(daemon_engine, options=replace(options, logistics_url=endpoint.url))
    assert len(endpoint.accepted_keys) == 2
