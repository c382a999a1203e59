"""`steward events`: what an admin sees and does."""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import replace

from services.service_layer.events import drain_all
from tests.events.conftest import STEWARD


def steward(url: str, *args: str):
    """The real command: its exit code and its output (stdout and stderr, whitespace folded)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("STEWARD_")}
    done = subprocess.run([STEWARD, "--database-url", url, *args], env=env, capture_output=True, text=True,
                          timeout=120)
    return done.returncode, " ".join((done.stdout + done.stderr).split())


def test_status_shows_every_consumer_its_checkpoint_lag_and_dead_letters(
        clean_db, daemon_engine, customers, outbox_events, options, logistics):
    endpoint = logistics()
    endpoint.down = True
    outbox_events(customers(3), type_="shipment.requested")
    drain_all(daemon_engine, options=replace(options, logistics_url=endpoint.url, logistics_attempts=1))
    outbox_events(customers(1))  # not consumed yet

    code, out = steward(clean_db, "events", "status")
    assert code == 0
    for name in ("projection_check", "kpis", "logistics", "contactability", "leads", "bus"):
        assert name in out
    assert "projection_check active · checkpoint position" in out
    assert "lag 1 events" in out
    assert "logistics" in out and "dead letters 3" in out
    assert "bus inactive: STEWARD_NATS_URL is not set" in out
    assert "Dead letters waiting for a person: 3" in out

    code, raw = steward(clean_db, "events", "status", "--json")
    report = json.loads(raw)  # folding whitespace keeps JSON valid
    by_name = {c["name"]: c for c in report["consumers"]}
    assert by_name["projection_check"]["lag_events"] == 1 and by_name["projection_check"]["events_seen"] == 3
    assert by_name["logistics"]["dead_letters"] == 3 and report["dead_letters"] == 3
    assert by_name["bus"]["state"].startswith("inactive")

    code, out = steward(clean_db, "events", "dead-letters")
    assert code == 0 and out.count("logistics (outbound) shipment.requested") == 3 and "HTTP 503" in out


def test_replay_redrive_and_discard_commands(clean_db, daemon_engine, customers, outbox_events, options,
                                             inbox_events, query, tmp_path):
    outbox_events(customers(2), per_customer=2)
    drain_all(daemon_engine, options=options)
    first = query("SELECT min(position) FROM event_outbox")

    code, out = steward(clean_db, "events", "replay", "--consumer", "projection_check", "--from", str(first))
    assert code == 0 and f"to just before position {first}" in out and "4 event(s) will be consumed again" in out
    assert drain_all(daemon_engine, options=options).passed["projection_check"] == 4

    code, out = steward(clean_db, "events", "replay", "--consumer", "nobody", "--from", "1")
    assert code == 2 and "There is no consumer 'nobody'" in out
    code, out = steward(clean_db, "events", "replay", "--consumer", "kpis", "--from", "last tuesday")
    assert code == 2 and "neither a position nor an ISO time" in out

    inbox_events([{"type": "email.bounce", "version": "1.0", "id": "not-a-uuid", "data": {}}])
    drain_all(daemon_engine, options=options)
    broken = tmp_path / "broken.jsonl"
    broken.write_text("{oops\n", encoding="utf-8")
    code, out = steward(clean_db, "events", "ingest", str(broken))
    assert code == 0 and "line 1: dead letter — not valid JSON" in out

    code, out = steward(clean_db, "events", "redrive")
    assert code == 0 and "1 inbound event(s) back into the inbox" in out
    assert "1 line(s) were not JSON and cannot be redriven" in out
    assert query("SELECT count(*) FROM event_inbox WHERE state = 'pending'") == 1

    letter = query("SELECT id FROM event_dead_letters WHERE raw IS NOT NULL")
    code, out = steward(clean_db, "events", "discard", "--id", str(letter))
    assert code == 0 and "Discarded 1 of 1" in out
    assert query("SELECT count(*) FROM event_dead_letters WHERE state = 'dead'") == 0
