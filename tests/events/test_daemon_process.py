"""`steward daemon` as a process: killed, doubled, cut off from the database, stopped."""

from __future__ import annotations

import random
import signal
import time

import pytest
import sqlalchemy as sa

from tests.events.conftest import envelope, output

CONSUMERS = ("projection_check", "kpis", "logistics")
# Events some consumer has not passed yet (a consumer without a checkpoint has passed none), and inbox rows.
REMAINING = """
    SELECT (SELECT count(*) FROM event_outbox e
             WHERE EXISTS (SELECT 1 FROM unnest(ARRAY['projection_check', 'kpis', 'logistics']) AS n (consumer)
                             LEFT JOIN consumer_checkpoints c USING (consumer)
                            WHERE c.consumer IS NULL OR (e.txid, e.position) > (c.last_txid, c.last_position)))
         + (SELECT count(*) FROM event_inbox WHERE state = 'pending')
"""


@pytest.fixture
def workload(customers, outbox_events, inbox_events, owner_engine):
    """Thousands of outbox events, 20 drifted projection rows, 40 converted leads (some sent twice)."""
    ids = customers(100)
    outbox_events(ids, per_customer=25)
    outbox_events(ids, type_="shipment.requested")
    with owner_engine.begin() as conn:
        conn.execute(sa.text("UPDATE cm_customer_hot_proj SET city = 'Nowhere' WHERE customer_id = ANY (:ids)"),
                     {"ids": ids[:20]})
    leads = [envelope("lead.converted", {"customer": {"externalRef": f"L{i}", "name": f"Lead {i}", "region": "EAST"}})
             for i in range(40)]
    inbox_events(leads + leads[:10])
    return {"drifted": 20, "leads": 40}


def _assert_every_effect_happened_once(query, endpoint, workload):
    total = query("SELECT count(*) FROM event_outbox")
    assert total == 2600 + 2 * workload["leads"]  # plus the daemon's customer.created and sample.requested
    for consumer in CONSUMERS:
        assert query("SELECT events_seen FROM consumer_checkpoints WHERE consumer = :c", c=consumer) == total
    assert query("SELECT repairs FROM consumer_checkpoints WHERE consumer = 'projection_check'") == workload["drifted"]
    assert query("SELECT count(*) FROM cm_customer_hot_proj WHERE city = 'Nowhere'") == 0
    assert query("SELECT count(*) FROM sample_request") == workload["leads"]
    assert query("SELECT count(*) FROM event_outbox WHERE type = 'sample.requested'") == workload["leads"]
    assert query("SELECT count(*) FROM accounts WHERE external_ref IS NOT NULL") == workload["leads"]
    assert query("SELECT count(*) FROM event_inbox WHERE state <> 'done'") == 0
    letters = query("SELECT coalesce(string_agg(consumer || ': ' || reason, '; '), '') FROM event_dead_letters")
    assert letters == "", letters
    shipped = {str(i) for i in query("SELECT array_agg(id) FROM event_outbox WHERE type = 'shipment.requested'")}
    assert endpoint.accepted_keys == shipped  # at least once each


def test_sigkill_at_random_points_and_restarts_lose_nothing_and_repeat_no_effect(
        workload, daemon_process, logistics, query):
    endpoint = logistics()
    chance = random.Random(4)
    kills_mid_work = 0
    for _ in range(30):
        if query(REMAINING) == 0:
            break
        process = daemon_process("--batch-size", "15", "--poll", "0.2", STEWARD_LOGISTICS_URL=endpoint.url)
        time.sleep(chance.uniform(0.8, 2.5))
        process.kill()
        process.wait()
        kills_mid_work += query(REMAINING) > 0
    assert kills_mid_work >= 2
    finish = daemon_process("--once", STEWARD_LOGISTICS_URL=endpoint.url)
    assert finish.wait(timeout=120) == 0
    _assert_every_effect_happened_once(query, endpoint, workload)


def test_two_daemons_at_once_do_each_effect_once(workload, daemon_process, logistics, query):
    endpoint = logistics()
    both = [daemon_process("--once", "--batch-size", "25", STEWARD_LOGISTICS_URL=endpoint.url) for _ in range(2)]
    codes = [p.wait(timeout=120) for p in both]
    outputs = [output(p) for p in both]
    assert codes == [0, 0], outputs
    assert query(REMAINING) == 0
    _assert_every_effect_happened_once(query, endpoint, workload)
    # Nothing crashed, so nothing was posted twice: the two never held one consumer at once.
    assert all(n == 1 for n in endpoint.tries.values())
    assert sum("Drained" in out for out, _ in outputs) == 2


def test_the_daemon_recovers_when_its_connections_are_terminated_and_stops_cleanly(
        workload, daemon_process, logistics, query, owner_engine, clean_db):
    endpoint = logistics()
    # Small batches, so that the work outlasts several cuts.
    process = daemon_process("--batch-size", "10", "--poll", "0.2", STEWARD_LOGISTICS_URL=endpoint.url)
    terminate = sa.text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        "WHERE usename = 'steward_daemon' AND datname = current_database()")
    terminated, last = 0, query(REMAINING)
    for _ in range(600):
        remaining = query(REMAINING)
        if remaining == 0:
            break
        if terminated < 4 and remaining < last:  # some progress since the last cut: cut again, mid-batch
            with owner_engine.connect() as conn:
                terminated += conn.execute(terminate).scalar() > 0
            last = remaining
        time.sleep(0.1)
    assert terminated >= 3 and query(REMAINING) == 0, output(process)[1][-3000:]
    assert process.poll() is None  # it never crashed

    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0
    _, log = output(process)
    assert "database unreachable" in log and "reconnecting" in log
    assert "daemon stopped" in log and "every checkpoint is saved" in log
    _assert_every_effect_happened_once(query, endpoint, workload)
