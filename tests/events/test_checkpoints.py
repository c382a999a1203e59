"""Checkpoints: in (txid, position) order below the snapshot's xmin, nothing committed late is skipped."""

from __future__ import annotations

from dataclasses import replace
from datetime import time, timedelta

import pytest
import sqlalchemy as sa

from services.errors import NotFound, ValidationError
from services.service_layer.events import drain_all, schedule
from services.service_layer.events.replay import parse_point, replay

INSERT = sa.text("INSERT INTO event_outbox (id, type, actor, customer_id, data) "
                 "VALUES (gen_random_uuid(), 'shipment.requested', '{\"type\": \"system\", \"id\": \"test\"}', :c, '{}') "
                 "RETURNING position, id::text")


def test_an_event_that_commits_late_is_consumed_once_and_nothing_is_skipped(
        daemon_engine, owner_engine, customers, options, logistics, query):
    endpoint = logistics()
    options = replace(options, logistics_url=endpoint.url)
    a, b, c = customers(3)
    # A unit of work takes its transaction id with its first write and appends to the
    # outbox just before it commits: its event gets a higher position than one of a
    # transaction that began later and is still open.
    with owner_engine.connect() as early, owner_engine.connect() as held:
        early_tx = early.begin()
        early.execute(sa.text("SELECT pg_current_xact_id()"))
        held_tx = held.begin()
        held_position, held_id = held.execute(INSERT, {"c": a}).one()
        early_position, early_id = early.execute(INSERT, {"c": b}).one()
        early_tx.commit()
        with owner_engine.begin() as later:
            later_position, later_id = later.execute(INSERT, {"c": c}).one()
        assert held_position < early_position < later_position

        drain_all(daemon_engine, options=options)
        # The early transaction's event was consumed although a lower position is still
        # open; the later one waits, because its transaction began after the open one.
        assert endpoint.accepted_keys == {early_id}
        assert query("SELECT last_position FROM consumer_checkpoints WHERE consumer = 'logistics'") == early_position
        held_tx.commit()

    drain_all(daemon_engine, options=options)
    assert sorted(k for k, _ in endpoint.accepted) == sorted([early_id, held_id, later_id])  # each once
    for consumer in ("projection_check", "kpis", "logistics"):
        assert query("SELECT events_seen FROM consumer_checkpoints WHERE consumer = :c", c=consumer) == 3


def test_the_checkpoint_stays_behind_an_open_transaction_and_status_names_it(
        daemon_engine, owner_engine, customers, options, query):
    (a,) = customers(1)
    with owner_engine.connect() as held:
        held_tx = held.begin()
        held.execute(INSERT, {"c": a})
        with owner_engine.begin() as later:
            later.execute(INSERT, {"c": a})
        stats = drain_all(daemon_engine, options=options)
        assert stats.events == 0
        assert query("SELECT events_seen FROM consumer_checkpoints WHERE consumer = 'projection_check'") == 0
        held_tx.rollback()
    assert drain_all(daemon_engine, options=options).events == 1


def _one_by_one(owner_engine, customer, n):
    """n events in n transactions (each its own txid and time)."""
    made = []
    for _ in range(n):
        with owner_engine.begin() as conn:
            made.append(conn.execute(INSERT, {"c": customer}).one())
    return made


def test_replay_from_a_position_delivers_again_every_event_from_there(
        daemon_engine, owner_engine, customers, options, logistics, query):
    endpoint = logistics()
    options = replace(options, logistics_url=endpoint.url)
    (a,) = customers(1)
    made = _one_by_one(owner_engine, a, 6)
    drain_all(daemon_engine, options=options)
    assert len(endpoint.accepted) == 6

    with daemon_engine.begin() as conn:
        result = replay(conn, "logistics", made[3][0])
    assert result.events == 3 and result.checkpoint[1] == made[3][0] - 1
    drain_all(daemon_engine, options=options)
    again = sorted(k for k, _ in endpoint.accepted[6:])
    assert again == sorted(event_id for _, event_id in made[3:])
    # The database consumers were not touched by the logistics replay.
    assert query("SELECT events_seen FROM consumer_checkpoints WHERE consumer = 'projection_check'") == 6


def test_replay_from_a_time_and_refusals(daemon_engine, owner_engine, customers, options, logistics, query):
    endpoint = logistics()
    options = replace(options, logistics_url=endpoint.url)
    (a,) = customers(1)
    made = _one_by_one(owner_engine, a, 4)
    drain_all(daemon_engine, options=options)
    third_time = query("SELECT time FROM event_outbox WHERE position = :p", p=made[2][0])
    with daemon_engine.begin() as conn:
        assert replay(conn, "projection_check", parse_point(third_time.isoformat())).events == 2
    drain_all(daemon_engine, options=options)
    assert query("SELECT events_seen FROM consumer_checkpoints WHERE consumer = 'projection_check'") == 6
    assert len(endpoint.accepted) == 4

    with daemon_engine.begin() as conn:
        with pytest.raises(ValidationError):
            replay(conn, "nobody", 1)
        with pytest.raises(NotFound):
            replay(conn, "projection_check", made[-1][0] + 1000)
    with pytest.raises(ValidationError):
        parse_point("yesterday")


def test_clean_up_removes_only_events_every_consumer_passed(daemon_engine, owner_engine, customers, options, query):
    (a,) = customers(1)
    _one_by_one(owner_engine, a, 3)
    drain_all(daemon_engine, options=options)
    # A consumer that was once active and is now switched off keeps its place, and the events it has not passed.
    with owner_engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO consumer_checkpoints (consumer, last_txid, last_position) "
                             "SELECT 'logistics', txid, position FROM event_outbox ORDER BY txid, position LIMIT 1"))
    aged = replace(options, outbox_retention=timedelta(0))
    schedule.clean_up(daemon_engine, aged)
    assert query("SELECT count(*) FROM event_outbox") == 2
    schedule.clean_up(daemon_engine, replace(options, outbox_retention=timedelta(days=1)))
    assert query("SELECT count(*) FROM event_outbox") == 2
    with owner_engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM consumer_checkpoints WHERE consumer = 'logistics'"))
    schedule.clean_up(daemon_engine, aged)
    assert query("SELECT count(*) FROM event_outbox") == 0


def test_the_nightly_rebuild_runs_once_per_night_and_reports_the_drift(daemon_engine, owner_engine, customers,
                                                                      options, query):
    customers(5)
    corrupt = sa.text("UPDATE cm_customer_hot_proj SET city = 'Nowhere'")
    with owner_engine.begin() as conn:
        conn.execute(corrupt)
    scheduler = schedule.Scheduler(daemon_engine, replace(options, rebuild_at=time(3, 0), rebuild_batches=4))
    scheduler.run_due(stop=lambda: False)  # first sight of the job: scheduled from now on
    assert query("SELECT count(*) FROM cm_customer_hot_proj WHERE city = 'Nowhere'") == 5

    with owner_engine.begin() as conn:
        conn.execute(sa.text("UPDATE daemon_jobs SET last_started_at = now() - interval '2 days'"))
    scheduler.run_due(stop=lambda: False)
    assert query("SELECT count(*) FROM cm_customer_hot_proj WHERE city = 'Nowhere'") == 0
    assert "5 row(s) had drifted" in query("SELECT last_report FROM daemon_jobs WHERE job = 'rebuild'")

    with owner_engine.begin() as conn:
        conn.execute(corrupt)
    scheduler.run_due(stop=lambda: False)  # already done tonight
    assert query("SELECT count(*) FROM cm_customer_hot_proj WHERE city = 'Nowhere'") == 5
