"""POST /events: stored in the inbox once per event id; a malformed envelope is refused with the
reason and nothing is stored; what refers to nothing becomes a dead letter in the daemon."""

from __future__ import annotations

import json
import uuid

import pytest
import sqlalchemy as sa

from services.adapters.database import database_url, make_engine
from services.service_layer.events import DaemonOptions, drain_all
from tests.events.conftest import envelope
from tests.http.conftest import login


@pytest.fixture(scope="module")
def daemon_engine(world):
    engine = make_engine(database_url(world.url, "steward_daemon"), pool_size=2)
    yield engine
    engine.dispose()


def _counts(sql_count) -> tuple[int, int]:
    return sql_count("event_inbox"), sql_count("event_dead_letters")


def test_an_event_is_stored_once_however_often_it_is_posted(http, world, sql_count):
    event = envelope("lead.converted", {"customer": {"externalRef": "LEAD-H1", "name": "Kantine H1",
                                                     "region": "NORTH", "city": "Kiel"}})
    first = http.post("/events", headers=world.auth("leads_module"), json=event)
    assert first.status_code == 202, first.text
    assert first.json() == {"status": "accepted", "eventId": event["id"], "type": "lead.converted"}
    for _ in range(2):
        again = http.post("/events", headers=world.auth("leads_module"), json=event)
        assert again.status_code == 200
        assert again.json()["status"] == "already received"
    assert sql_count("event_inbox", "event_id = :id AND state = 'pending'", id=event["id"]) == 1
    assert sql_count("event_inbox", "event_id = :id AND origin = :o", id=event["id"],
                     o=f"http:{login('leads_module')}") == 1


@pytest.mark.parametrize("body", [
    b"not json",
    b"[1, 2]",
    json.dumps({"type": "lead.converted", "version": "1.0", "data": {}}).encode(),                # no id
    json.dumps({"type": "no.such.event", "version": "1.0", "id": str(uuid.uuid4()), "data": {}}).encode(),
    json.dumps({"type": "email.bounce", "version": "2.0", "id": str(uuid.uuid4()),
                "data": {"email": "a@b.example", "bounceType": "HARD"}}).encode(),
    json.dumps({"type": "email.bounce", "version": "1.0", "id": str(uuid.uuid4()),
                "data": {"email": "a\u0000@b.example", "bounceType": "HARD"}}).encode(),
    json.dumps({"type": "email.bounce", "version": "1.0", "id": str(uuid.uuid4()),
                "data": {"bounceType": "SOMETIMES"}}).encode(),
])
def test_a_malformed_envelope_is_422_with_the_reason_and_nothing_is_stored(http, world, sql_count, body):
    before = _counts(sql_count)
    response = http.post("/events", headers={**world.auth("leads_module"), "Content-Type": "application/json"},
                         content=body)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert response.headers["content-type"] == "application/problem+json"
    assert problem["status"] == 422 and problem["detail"]
    assert _counts(sql_count) == before


def test_a_body_over_the_limit_is_413(http, world, server, sql_count):
    before = _counts(sql_count)
    big = b'{"x": "' + b"a" * (server.options.max_body_bytes + 10) + b'"}'
    response = http.post("/events", headers={**world.auth("leads_module"), "Content-Type": "application/json"},
                         content=big)
    assert response.status_code == 413
    assert response.json()["title"] == "Request too large"
    assert _counts(sql_count) == before


def test_accepted_events_are_processed_and_what_refers_to_nothing_is_a_dead_letter(http, world, daemon_engine,
                                                                                  owner_engine, sql_count):
    unknown = envelope("email.bounce", {"customerId": str(uuid.uuid4()), "bounceType": "HARD"})
    bounce = envelope("email.bounce", {"customerId": world.customers["rep1"][0], "bounceType": "HARD"})
    for event in (unknown, bounce):
        assert http.post("/events", headers=world.auth("leads_module"), json=event).status_code == 202
    drain_all(daemon_engine, options=DaemonOptions(batch_size=100, rebuild_at=None))
    assert sql_count("event_dead_letters", "event_id = :id AND reason LIKE 'refers to nothing%'",
                     id=unknown["id"]) == 1
    with owner_engine.connect() as conn:
        status = conn.execute(sa.text("SELECT contactability_status FROM accounts WHERE id = :c"),
                              {"c": world.customers["rep1"][0]}).scalar()
    assert status == "HARD_BOUNCE"
    # The converted lead of the first test: its customer and sample exist now.
    assert sql_count("accounts", "external_ref = 'LEAD-H1'") == 1
    # A repeat of a processed event is still "already received".
    assert http.post("/events", headers=world.auth("leads_module"), json=bounce).status_code == 200
