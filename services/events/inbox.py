"""The inbox: inbound envelopes, claimed row by row, processed or dead-lettered.

Each pending row is claimed with FOR UPDATE SKIP LOCKED, so any number of
daemons share the work and none waits; its new state commits with the effect.
Each event runs in its own savepoint: a bad one becomes a dead letter, the
rest of the batch commits.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from services.context import Context
from services.database import UnitOfWork, api_refusal, dumps
from services.errors import NotFound, StewardError
from services.events import checkpoints, dead_letters
from services.events.consumers.base import InboundConsumer
from services.events.envelopes import Inbound, Rejected, check
from services.events.failures import is_connection_problem, is_transient
from services.events.identity import JoinedContext

TRIAGE = "inbox"  # the dead letters' consumer for envelopes no consumer accepts

_CLAIM = sa.text(
    "SELECT position, envelope, origin, received_at FROM event_inbox "
    " WHERE state = 'pending' AND type = :type ORDER BY position LIMIT :limit FOR UPDATE SKIP LOCKED"
)
_CLAIM_UNKNOWN = sa.text(
    "SELECT position, envelope, origin, received_at FROM event_inbox "
    " WHERE state = 'pending' AND (type IS NULL OR type <> ALL (:known)) "
    " ORDER BY position LIMIT :limit FOR UPDATE SKIP LOCKED"
)
_SETTLE = sa.text(
    "UPDATE event_inbox SET state = :state, handled_by = :consumer, handled_at = now() WHERE position = ANY (:positions)"
)
_ADD = sa.text("INSERT INTO event_inbox (envelope, origin, state, handled_by, handled_at) "
               "VALUES (CAST(:envelope AS jsonb), :origin, :state, :handled_by, "
               "        CASE WHEN :state = 'pending' THEN NULL ELSE now() END) RETURNING position")


@dataclass(frozen=True)
class InboundBatch:
    consumer: str
    seen: int
    handled: int
    dead: int
    seconds: float
    notes: tuple[str, ...] = ()


def known_types(consumers: list[InboundConsumer]) -> list[str]:
    return sorted(c.type for c in consumers)


def validate(envelope: Any, consumers: list[InboundConsumer]) -> tuple[InboundConsumer, Inbound, Any]:
    """The consumer, the envelope and its parsed data; raises Rejected with the reason."""
    event = check(envelope, known_types(consumers))
    consumer = next(c for c in consumers if c.type == event.type)
    return consumer, event, consumer.parse(event.data)


def add(conn, envelope: Any, origin: str, *, dead_reason: str | None = None, consumer: str = TRIAGE) -> int:
    """Queue an envelope (ingest); one already known to be bad is kept as handled, with its dead letter."""
    state = "dead" if dead_reason else "pending"
    position = conn.execute(_ADD, {"envelope": dumps(envelope), "origin": origin, "state": state,
                                   "handled_by": consumer if dead_reason else None}).scalar_one()
    if dead_reason:
        dead_letters.record_inbound(conn, consumer, dead_reason, envelope=envelope, inbox_position=position, origin=origin)
    return position


def process(ctx: Context, consumer: InboundConsumer, limit: int) -> InboundBatch | None:
    """One batch of the consumer's pending inbox rows, in one transaction."""
    started = time.perf_counter()
    with ctx.engine.begin() as conn:
        rows = conn.execute(_CLAIM, {"type": consumer.type, "limit": limit}).all()
        if not rows:
            return None
        done, dead, notes = [], [], []
        for row in rows:
            try:
                _, event, request = validate(row.envelope, [consumer])
                with conn.begin_nested():
                    notes.append(_apply(ctx, conn, consumer, event, request))
                done.append(row.position)
            except Exception as exc:  # noqa: BLE001 - sorted below: bad events become dead letters
                reason = _reason(exc)
                dead_letters.record_inbound(conn, consumer.name, reason, envelope=row.envelope,
                                            inbox_position=row.position, origin=row.origin)
                dead.append(row.position)
                notes.append(f"dead letter: {reason}")
        _settle(conn, consumer.name, done, dead)
        checkpoints.ensure(conn, consumer.name, "inbox")
        checkpoints.count_inbound(conn, consumer.name, seen=len(rows), handled=len(done),
                                  last_position=rows[-1].position, last_time=rows[-1].received_at)
    return InboundBatch(consumer.name, len(rows), len(done), len(dead), time.perf_counter() - started, tuple(notes))


def triage(engine, consumers: list[InboundConsumer], limit: int) -> InboundBatch | None:
    """Pending envelopes of a type no consumer takes (or no type at all) go to the dead letters."""
    started = time.perf_counter()
    with engine.begin() as conn:
        rows = conn.execute(_CLAIM_UNKNOWN, {"known": known_types(consumers), "limit": limit}).all()
        if not rows:
            return None
        for row in rows:
            try:
                validate(row.envelope, consumers)
                reason = "no consumer takes this event"
            except Rejected as exc:
                reason = exc.reason
            dead_letters.record_inbound(conn, TRIAGE, reason, envelope=row.envelope, inbox_position=row.position,
                                        origin=row.origin)
        _settle(conn, TRIAGE, [], [r.position for r in rows])
    return InboundBatch(TRIAGE, len(rows), 0, len(rows), time.perf_counter() - started)


def _apply(ctx: Context, conn, consumer: InboundConsumer, event: Inbound, request: Any) -> str:
    uow = UnitOfWork(conn, event.correlation_id or str(event.id), "daemon")
    return consumer.apply(uow, JoinedContext(ctx, uow), event, request)


def _reason(exc: Exception) -> str:
    if is_connection_problem(exc) or is_transient(exc):
        raise exc  # not the event's fault: the whole batch is tried again
    if isinstance(exc, sa_exc.DBAPIError):
        exc = api_refusal(exc.orig) or exc   # the write API's refusal, typed
    if isinstance(exc, Rejected):
        return exc.reason
    if isinstance(exc, NotFound):
        return f"refers to nothing: {exc}"
    if isinstance(exc, StewardError):
        return f"{exc.title}: {exc}"
    if isinstance(exc, sa_exc.DBAPIError):
        return f"the database refused it: {str(exc.orig).strip().splitlines()[0]}"
    # A bug must not stop the inbox either; the letter keeps the event until it is fixed and redriven.
    return f"unexpected error: {type(exc).__name__}: {exc}"


def _settle(conn, consumer: str, done: list[int], dead: list[int]) -> None:
    for state, positions in (("done", done), ("dead", dead)):
        if positions:
            conn.execute(_SETTLE, {"state": state, "consumer": consumer, "positions": positions})
