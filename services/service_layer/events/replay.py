"""`steward events replay`: let a consumer read again from a position or a time.

Consumers read in (txid, position) order, so "from here" is defined on that
order: the checkpoint moves to just before the first event, in reading order,
among those at or after the given position (or time). Every event at or after
the point is read again; one before it that committed later may be too, which
is harmless, since consumers are idempotent by event id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from services.errors import NotFound, ValidationError
from services.service_layer.events import checkpoints
from services.service_layer.events.consumers import CONSUMER_NAMES, INBOUND_CONSUMERS, inbound_consumers
from services.service_layer.events.options import DaemonOptions

_FIRST_FROM_POSITION = sa.text(
    "SELECT e.txid::text AS txid, e.position FROM event_outbox e WHERE e.position >= :p "
    "ORDER BY e.txid, e.position LIMIT 1")
_FIRST_FROM_TIME = sa.text(
    "SELECT e.txid::text AS txid, e.position FROM event_outbox e WHERE e.time >= :t "
    "ORDER BY e.txid, e.position LIMIT 1")
_MOVE = sa.text(
    "UPDATE consumer_checkpoints SET last_txid = CAST(:txid AS xid8), last_position = :position, updated_at = now() "
    " WHERE consumer = :c")
_AHEAD = sa.text("SELECT count(*) FROM event_outbox WHERE (txid, position) > (CAST(:txid AS xid8), :position)")
_REOPEN = sa.text(
    "UPDATE event_inbox SET state = 'pending', handled_by = NULL, handled_at = NULL "
    " WHERE type = :type AND state = 'done' AND (CAST(:p AS bigint) IS NULL OR position >= :p) "
    "   AND (CAST(:t AS timestamptz) IS NULL OR received_at >= :t)")


@dataclass(frozen=True)
class Replay:
    consumer: str
    previous: tuple[int, int] | None   # (txid, position) before
    checkpoint: tuple[int, int] | None  # after (outbox consumers)
    events: int                         # events the consumer will now read (again)


def parse_point(text: str) -> int | datetime:
    """A position (a whole number) or an ISO 8601 time (local time when no offset is given)."""
    value = text.strip()
    if value.isdigit():
        return int(value)
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValidationError(f"'{text}' is neither a position nor an ISO time like 2026-03-01T08:00.",
                              errors={"from": "a position or an ISO 8601 time"}) from None
    return moment if moment.tzinfo else moment.astimezone()


def replay(conn: Connection, consumer: str, point: int | datetime) -> Replay:
    """Move the consumer's checkpoint back (or forward) to `point`; commits with the caller."""
    if consumer not in CONSUMER_NAMES and checkpoints.peek(conn, consumer) is None:
        raise ValidationError(f"There is no consumer '{consumer}'.",
                              errors={"consumer": f"one of {', '.join(CONSUMER_NAMES)}"})
    position, moment = (point, None) if isinstance(point, int) else (None, point)
    if consumer in INBOUND_CONSUMERS:
        type_ = next(c.type for c in inbound_consumers(DaemonOptions()) if c.name == consumer)
        reopened = conn.execute(_REOPEN, {"type": type_, "p": position, "t": moment}).rowcount
        return Replay(consumer, None, None, reopened)
    first = conn.execute(_FIRST_FROM_POSITION if position is not None else _FIRST_FROM_TIME,
                         {"p": position, "t": moment}).first()
    if first is None:
        raise NotFound(f"No event at or after {point} is in the outbox; nothing to replay.")
    checkpoints.ensure(conn, consumer)
    before = checkpoints.lock(conn, consumer)  # waits for a batch in hand to commit
    target = (int(first.txid), first.position - 1)
    conn.execute(_MOVE, {"c": consumer, "txid": str(target[0]), "position": target[1]})
    ahead = conn.execute(_AHEAD, {"txid": str(target[0]), "position": target[1]}).scalar_one()
    return Replay(consumer, (before.txid, before.position) if before else None, target, ahead)
