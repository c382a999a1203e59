"""One batch of one outbox consumer.

A consumer with a database effect holds its checkpoint row (FOR UPDATE SKIP
LOCKED) for the batch: effect and checkpoint commit together, exactly once, and
another daemon skips the consumer meanwhile.

An external consumer must not sit in a transaction while it waits for another
system: its transaction id would hold the snapshot xmin down, and every other
consumer would stop seeing new events until it ended. So it takes a session
advisory lock instead (no transaction id), reads and delivers outside any
transaction, and then moves its checkpoint in a short one — at-least-once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from services.service_layer.events import checkpoints, dead_letters
from services.service_layer.events.consumers.base import OutboxConsumer
from services.service_layer.events.failures import is_connection_problem, is_transient
from services.service_layer.outbox import OutboxEvent

_LOCK_CLASS = 7_405_001  # advisory lock namespace: the external consumers' batches
_TRY_LOCK = sa.text("SELECT pg_try_advisory_lock(:cls, hashtext(:name))")
_UNLOCK = sa.text("SELECT pg_advisory_unlock(:cls, hashtext(:name))")
_HAS_RETRIES = sa.text("SELECT EXISTS (SELECT 1 FROM event_dead_letters WHERE consumer = :c AND state = 'retry')")


@dataclass(frozen=True)
class Batch:
    consumer: str
    seen: int                  # events the checkpoint passed
    handled: int               # of them, the ones the consumer acted on
    first: int | None = None   # positions, for the log
    last: int | None = None
    repairs: int = 0
    dead: int = 0              # given up on: now dead letters
    retried: int = 0           # redriven letters delivered again
    seconds: float = 0.0
    note: str = ""


def run(engine: Engine, consumer: OutboxConsumer, limit: int, *, stop: Callable[[], bool],
        deadline_seconds: float) -> Batch | None:
    """None when there was nothing to do or another daemon holds the consumer."""
    if consumer.external:
        return _external(engine, consumer, limit, stop, deadline_seconds)
    return _in_transaction(engine, consumer, limit)


def relevant(consumer: OutboxConsumer, events: list[OutboxEvent]) -> list[OutboxEvent]:
    return events if consumer.types is None else [e for e in events if e.type in consumer.types]


def _next(conn, consumer: OutboxConsumer, at: checkpoints.Checkpoint, limit: int) -> checkpoints.Scan:
    return checkpoints.read_batch(conn, at, limit, types=consumer.types, in_full=consumer.in_full,
                                  with_data=consumer.with_data, rendered=consumer.rendered,
                                  customers=consumer.customers)


def _waiting(engine: Engine, consumer: OutboxConsumer) -> tuple[bool, bool]:
    with engine.connect() as conn:
        return checkpoints.has_work(conn, consumer.name), bool(conn.execute(_HAS_RETRIES, {"c": consumer.name}).scalar())


def _in_transaction(engine: Engine, consumer: OutboxConsumer, limit: int) -> Batch | None:
    has_events, has_retries = _waiting(engine, consumer)
    retried = _apply_retries(engine, consumer, limit) if has_retries else 0
    only_retries = Batch(consumer.name, 0, 0, retried=retried) if retried else None
    if not has_events:
        return only_retries
    started = time.perf_counter()
    with engine.begin() as conn:
        at = checkpoints.claim(conn, consumer.name)
        if at is None:
            return only_retries
        batch = _next(conn, consumer, at, limit)
        if batch.last is None:
            return only_retries
        repairs = consumer.apply_batch(conn, batch) if batch.acted else 0
        checkpoints.advance(conn, consumer.name, batch.last, seen=batch.seen, handled=batch.acted, repairs=repairs)
    return _done(consumer, batch, batch.acted, started, repairs=repairs, retried=retried)


def _apply_retries(engine: Engine, consumer: OutboxConsumer, limit: int) -> int:
    """Redriven letters, each in its own savepoint: one that fails again is dead again, with the new reason."""
    delivered = 0
    with engine.begin() as conn:
        if checkpoints.claim(conn, consumer.name) is None:
            return 0
        for letter_id, event in dead_letters.retries(conn, consumer.name, limit):
            try:
                with conn.begin_nested():
                    consumer.apply(conn, relevant(consumer, [event]))
                    dead_letters.mark_delivered(conn, [letter_id])
                delivered += 1
            except Exception as exc:  # noqa: BLE001 - sorted: only the event's own failures stay here
                if is_connection_problem(exc) or is_transient(exc):
                    raise
                dead_letters.mark_dead_again(conn, letter_id, f"{type(exc).__name__}: {exc}", 1)
    return delivered


def give_up_on_next(engine: Engine, consumer: OutboxConsumer, reason: str) -> Batch | None:
    """Dead-letter the single next event of a consumer whose effect keeps failing on it."""
    with engine.begin() as conn:
        at = checkpoints.claim(conn, consumer.name)
        if at is None:
            return None
        events = checkpoints.read_batch(conn, at, 1).events
        if not events:
            return None
        dead_letters.record_outbound(conn, consumer.name, events[0], reason, 1)
        checkpoints.advance(conn, consumer.name, events[0], seen=1, handled=0)
    return Batch(consumer.name, 1, 0, events[0].position, events[0].position, dead=1)


def _external(engine: Engine, consumer: OutboxConsumer, limit: int, stop: Callable[[], bool],
              deadline_seconds: float) -> Batch | None:
    has_events, has_retries = _waiting(engine, consumer)
    if not (has_events or has_retries):
        return None
    lock = {"cls": _LOCK_CLASS, "name": consumer.name}
    with engine.connect() as session:
        session = session.execution_options(isolation_level="AUTOCOMMIT")
        if not session.execute(_TRY_LOCK, lock).scalar():
            return None
        try:
            return _deliver(engine, session, consumer, limit, stop, time.monotonic() + deadline_seconds)
        finally:
            _unlock(session, lock)


def _deliver(engine: Engine, session, consumer: OutboxConsumer, limit: int, stop: Callable[[], bool],
             deadline: float) -> Batch | None:
    started = time.perf_counter()
    at = checkpoints.peek(session, consumer.name)
    letters = dead_letters.retries(session, consumer.name, limit)
    batch = _next(session, consumer, at, limit) if at else checkpoints.Scan()
    if batch.last is None and not letters:
        return None
    retry = consumer.deliver([e for _, e in letters], deadline=deadline, stop=stop) if letters else None
    delivery = consumer.deliver(batch.events, deadline=deadline, stop=stop) if batch.events else None
    # The checkpoint passes every event before the first one to act on not yet delivered.
    passed = batch.through(delivery.done) if delivery is not None else batch
    with engine.begin() as conn:
        if checkpoints.lock(conn, consumer.name) != at:
            return Batch(consumer.name, 0, 0, note="checkpoint was moved by a replay meanwhile; delivered again later")
        if retry is not None:
            failed = {e.id: (reason, attempts) for e, reason, attempts in retry.failures}
            for letter_id, event in letters[:retry.done]:
                if event.id in failed:
                    dead_letters.mark_dead_again(conn, letter_id, *failed[event.id])
            dead_letters.mark_delivered(conn, [i for i, e in letters[:retry.done] if e.id not in failed])
        failures = delivery.failures if delivery is not None else []
        for event, reason, attempts in failures:
            dead_letters.record_outbound(conn, consumer.name, event, reason, attempts)
        handled = delivery.done if delivery is not None else 0
        if passed.last is not None:
            checkpoints.advance(conn, consumer.name, passed.last, seen=passed.seen, handled=handled)
    retried = (retry.done - len(retry.failures)) if retry is not None else 0
    return _done(consumer, passed, handled, started, dead=len(failures), retried=retried)


def _done(consumer: OutboxConsumer, passed: checkpoints.Scan, handled: int, started: float, **counts) -> Batch:
    return Batch(consumer.name, passed.seen, handled, passed.first.position if passed.first else None,
                 passed.last.position if passed.last else None, seconds=time.perf_counter() - started, **counts)


def _unlock(session, lock: dict) -> None:
    try:
        session.execute(_UNLOCK, lock)
    except Exception as exc:  # noqa: BLE001 - a lost session has released its locks already
        if not is_connection_problem(exc):
            raise
