"""Inbound events: the inbox, ingest of a file, the leads and contactability consumers, dead letters."""

from __future__ import annotations

import json
import secrets
import uuid

import psycopg
import pytest
from typer.testing import CliRunner

import services
from tests.logins import drop_logins
from services.entrypoints.cli import app
from services.service_layer.events import drain_all
from services.service_layer.events.dead_letters import redrive
from tests.events.conftest import envelope

DAEMON_ACTOR = {"type": "service", "id": "steward-daemon"}


def lead(ref: str, *, event_id: str | None = None, region: str = "NORTH") -> dict:
    return envelope("lead.converted", {"customer": {"externalRef": ref, "name": f"Kantine {ref}", "region": region,
                                                    "city": "Kiel"}}, event_id=event_id)


def test_a_converted_lead_becomes_one_sample_however_often_it_arrives(daemon_engine, inbox_events, options, query):
    first = lead("LEAD-1")
    # The same event twice (the inbox keeps one copy), and the same conversion again under a new event id.
    inbox_events([first, first, lead("LEAD-1")])
    drain_all(daemon_engine, options=options)
    inbox_events([first])
    drain_all(daemon_engine, options=options)

    customer = query("SELECT id FROM accounts WHERE external_ref = 'LEAD-1'")
    assert query("SELECT count(*) FROM accounts WHERE external_ref = 'LEAD-1'") == 1
    assert query("SELECT count(*) FROM sample_request WHERE customer_id = :c", c=customer) == 1
    assert query("SELECT source_event_id::text FROM sample_request WHERE customer_id = :c", c=customer) == first["id"]
    assert query("SELECT count(*) FROM sample_item i JOIN sample_request s ON s.id = i.sample_id "
                 "WHERE s.customer_id = :c", c=customer) == 5  # the default kit
    assert query("SELECT count(*) FROM event_outbox WHERE type = 'sample.requested'") == 1
    assert query("SELECT actor FROM event_outbox WHERE type = 'sample.requested'") == DAEMON_ACTOR
    assert query("SELECT count(*) FROM event_inbox WHERE state = 'done'") == 2
    assert query("SELECT sample_status FROM cm_customer_hot_proj WHERE customer_id = :c", c=customer) == "REQUESTED"
    # The daemon's own events were consumed in the same drain.
    assert query("SELECT events_seen FROM consumer_checkpoints WHERE consumer = 'projection_check'") == 2


def test_a_lead_for_an_existing_customer_by_id(daemon_engine, customers, inbox_events, options, query):
    (c,) = customers(1)
    inbox_events([envelope("lead.converted", {"customerId": str(c)})])
    drain_all(daemon_engine, options=options)
    assert query("SELECT count(*) FROM sample_request WHERE customer_id = :c", c=c) == 1


def test_a_hard_bounce_asks_for_another_channel(svc, daemon_engine, inbox_events, options, query):
    c = svc.customers.create(name="Hotel Alster", region="NORTH", city="Hamburg")
    svc.customers.add_contact(c.id, "Eva Koch", ["HEAD_CHEF"], email="eva@alster.example")
    other = svc.customers.create(name="Mensa Süd", region="SOUTH")
    bounce = envelope("email.bounce", {"email": "EVA@alster.example", "bounceType": "HARD"})
    inbox_events([bounce, bounce, envelope("email.bounce", {"customerId": str(other.id), "bounceType": "SOFT"})])
    drain_all(daemon_engine, options=options)

    after = svc.customers.get(c.id)
    assert (after.contactability_status, after.alternate_channel_required) == ("HARD_BOUNCE", True)
    assert svc.customers.get(other.id).contactability_status == "SOFT_BOUNCE"
    changed = "SELECT count(*) FROM event_outbox WHERE type = 'customer.contactability.changed' AND customer_id = :c"
    assert query(changed, c=c.id) == 1
    assert query("SELECT actor FROM event_outbox WHERE type = 'customer.contactability.changed' "
                 "AND customer_id = :c", c=c.id) == DAEMON_ACTOR
    # A later soft bounce does not weaken a hard one.
    inbox_events([envelope("email.bounce", {"customerId": str(c.id), "bounceType": "SOFT"})])
    drain_all(daemon_engine, options=options)
    assert svc.customers.get(c.id).contactability_status == "HARD_BOUNCE"
    assert query(changed, c=c.id) == 1


BAD = [
    ([1, 2], "must be a JSON object"),
    ({"type": "order.placed", "version": "1.0", "id": str(uuid.uuid4()), "data": {}}, "unknown event type 'order.placed'"),
    ({**envelope("email.bounce", {"email": "a@b.example", "bounceType": "HARD"}), "version": "2.0"}, "version '2.0'"),
    ({**envelope("email.bounce", {"email": "a@b.example", "bounceType": "HARD"}), "id": "nope"}, "id 'nope' is not a UUID"),
    (envelope("email.bounce", {"email": "a@b.example"}), "bounceType must be HARD or SOFT"),
    (envelope("email.bounce", {"email": "nobody@nowhere.example", "bounceType": "HARD"}), "refers to nothing"),
    (envelope("lead.converted", {"customerId": str(uuid.uuid4())}), "refers to nothing"),
    (envelope("lead.converted", {"customer": {"externalRef": "X", "name": "Y", "region": "MOON"}}), "region"),
    (envelope("lead.converted", {"customer": {"name": "Y", "region": "NORTH"}}), "no externalRef or leadId"),
]


def test_bad_inbox_rows_become_dead_letters_with_their_reason_and_the_good_ones_proceed(
        daemon_engine, inbox_events, options, query, owner_engine):
    inbox_events([e for e, _ in BAD] + [lead("GOOD")])
    stats = drain_all(daemon_engine, options=options)
    assert stats.dead_letters == len(BAD)
    with owner_engine.connect() as conn:
        letters = conn.exec_driver_sql(
            "SELECT d.reason, i.envelope FROM event_dead_letters d JOIN event_inbox i ON i.position = d.inbox_position "
            "WHERE d.direction = 'inbound' ORDER BY i.position").all()
    assert len(letters) == len(BAD)
    for (reason, kept), (sent, expected) in zip(letters, BAD):
        assert expected in reason
        assert kept == sent
    assert query("SELECT count(*) FROM event_inbox WHERE state = 'dead'") == len(BAD)
    assert query("SELECT count(*) FROM sample_request") == 1


def test_ingest_reports_every_line_and_the_daemon_finds_what_refers_to_nothing(
        svc, clean_db, daemon_engine, options, query, tmp_path):
    c = svc.customers.create(name="Kantine Nord", region="NORTH")
    good_bounce = envelope("email.bounce", {"customerId": str(c.id), "bounceType": "HARD"})
    dangling = envelope("email.bounce", {"customerId": str(uuid.uuid4()), "bounceType": "HARD"})
    file = tmp_path / "inbound.jsonl"
    file.write_text("\n".join([
        json.dumps(lead("L-7")), "{not json", "", json.dumps(good_bounce),
        json.dumps({"type": "order.placed", "version": "1.0", "id": str(uuid.uuid4()), "data": {}}),
        json.dumps(dangling),
    ]) + "\n", encoding="utf-8")

    result = CliRunner().invoke(app, ["--database-url", clean_db, "events", "ingest", str(file)])
    assert result.exit_code == 0, result.output
    out = result.output
    assert f"line 1: accepted lead.converted" in out
    assert "line 2: dead letter — not valid JSON" in out
    assert "line 3" not in out
    assert f"line 4: accepted email.bounce {good_bounce['id']}" in out
    assert "line 5: dead letter — unknown event type 'order.placed'" in out
    assert "inbound.jsonl: 5 lines — 3 accepted, 2 dead-lettered, 0 already received." in " ".join(out.split())
    assert query("SELECT raw FROM event_dead_letters WHERE origin = 'inbound.jsonl:2'") == "{not json"

    drain_all(daemon_engine, options=options)
    assert svc.customers.get(c.id).contactability_status == "HARD_BOUNCE"
    assert query("SELECT count(*) FROM accounts WHERE external_ref = 'L-7'") == 1
    assert "refers to nothing" in query("SELECT reason FROM event_dead_letters WHERE origin = 'inbound.jsonl:6'")
    assert query("SELECT count(*) FROM event_dead_letters WHERE state = 'dead'") == 3


def test_redrive_puts_inbound_dead_letters_back_into_the_inbox(svc, daemon_engine, inbox_events, options, query,
                                                               owner_engine):
    c = svc.customers.create(name="Kantine West", region="WEST")
    inbox_events([envelope("email.bounce", {"email": "chef@west.example", "bounceType": "HARD"})])
    drain_all(daemon_engine, options=options)
    assert query("SELECT count(*) FROM event_dead_letters WHERE state = 'dead'") == 1

    svc.customers.add_contact(c.id, "Chef West", ["HEAD_CHEF"], email="chef@west.example")
    with owner_engine.begin() as conn:
        report = redrive(conn)
    assert (report.inbound, report.outbound, report.not_redrivable) == (1, 0, 0)
    drain_all(daemon_engine, options=options)
    assert svc.customers.get(c.id).contactability_status == "HARD_BOUNCE"
    assert query("SELECT state FROM event_dead_letters") == "redriven"
    assert query("SELECT count(*) FROM event_inbox WHERE state = 'done'") == 1


def test_people_do_not_read_the_inbox_or_the_dead_letters(svc, clean_db, inbox_events, owner_engine):
    rep_login, admin_login = f"events_rep_{secrets.token_hex(3)}", f"events_admin_{secrets.token_hex(3)}"
    svc.users.add(rep_login, role="SALES_REP", region="NORTH")
    svc.users.add(admin_login, role="ADMIN")
    inbox_events([lead("SECRET")])
    rep = services.connect(url=clean_db, user=rep_login)
    admin = services.connect(url=clean_db, user=admin_login)
    try:
        for table in ("event_inbox", "event_dead_letters", "consumer_checkpoints"):
            with rep.engine.connect() as conn, pytest.raises(Exception) as refused:
                conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar()
            assert isinstance(refused.value.orig, psycopg.errors.InsufficientPrivilege)
        with admin.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM event_inbox").scalar() == 1
    finally:
        rep.close()
        admin.close()
        drop_logins(clean_db, [rep_login, admin_login])  # logins are the server's, not this database's
