"""Where each consumer stands in the outbox, and the next batch it may safely read.

A checkpoint is the (txid, position) key of the last event a consumer passed.
Reading in that order, below the snapshot's xmin (event_outbox_horizon() in
sql/migrations/0004), cannot skip an event that commits late
(sql/queries/read_outbox_batch.sql, docs/DAEMON.md).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from services import paths
from services.service_layer.outbox import OutboxEvent

_COLUMNS = "consumer, last_txid::text AS txid, last_position AS position"
_ENSURE = sa.text("INSERT INTO consumer_checkpoints (consumer, stream) VALUES (:c, :stream) ON CONFLICT DO NOTHING")
_PEEK = sa.text(f"SELECT {_COLUMNS} FROM consumer_checkpoints WHERE consumer = :c")
_LOCK = sa.text(f"SELECT {_COLUMNS} FROM consumer_checkpoints WHERE consumer = :c FOR UPDATE")
_CLAIM = sa.text(f"SELECT {_COLUMNS} FROM consumer_checkpoints WHERE consumer = :c FOR UPDATE SKIP LOCKED")
# ORDER BY + LIMIT makes it walk the (txid, position) index from the checkpoint;
# a bare EXISTS would scan the passed events first.
_HAS_WORK = sa.text(
    "SELECT (SELECT e.position FROM event_outbox e "
    "         WHERE (e.txid, e.position) > (c.last_txid, c.last_position) "
    "           AND e.txid < (SELECT event_outbox_horizon()) "
    "         ORDER BY e.txid, e.position LIMIT 1) IS NOT NULL "
    "FROM consumer_checkpoints c WHERE c.consumer = :c"
)
_ADVANCE = sa.text(
    "UPDATE consumer_checkpoints SET last_txid = CAST(:txid AS xid8), last_position = :position, "
    "       last_event_time = :time, events_seen = events_seen + :seen, "
    "       events_handled = events_handled + :handled, repairs = repairs + :repairs, updated_at = now() "
    " WHERE consumer = :c"
)
_COUNT = sa.text(
    "UPDATE consumer_checkpoints SET events_seen = events_seen + :seen, events_handled = events_handled + :handled, "
    "       last_position = greatest(last_position, :position), last_event_time = :time, updated_at = now() "
    " WHERE consumer = :c"
)


@dataclass(frozen=True)
class Checkpoint:
    consumer: str
    txid: int
    position: int

    @classmethod
    def from_row(cls, row) -> "Checkpoint":
        return cls(row.consumer, int(row.txid), int(row.position))


def ensure(conn: Connection, consumer: str, stream: str = "outbox") -> None:
    """Give a consumer its row; a new outbox consumer starts at the oldest event kept."""
    conn.execute(_ENSURE, {"c": consumer, "stream": stream})


def peek(conn: Connection, consumer: str) -> Checkpoint | None:
    row = conn.execute(_PEEK, {"c": consumer}).first()
    return Checkpoint.from_row(row) if row else None


def lock(conn: Connection, consumer: str) -> Checkpoint | None:
    """Wait for the consumer's row and hold it to the end of the transaction."""
    row = conn.execute(_LOCK, {"c": consumer}).first()
    return Checkpoint.from_row(row) if row else None


def claim(conn: Connection, consumer: str) -> Checkpoint | None:
    """Hold the row, or None when another daemon is processing this consumer right now."""
    row = conn.execute(_CLAIM, {"c": consumer}).first()
    return Checkpoint.from_row(row) if row else None


def has_work(conn: Connection, consumer: str) -> bool:
    """Whether a batch is waiting; takes no lock and no transaction id, so idle polling is free."""
    return bool(conn.execute(_HAS_WORK, {"c": consumer}).scalar())


@dataclass(frozen=True)
class RenderedEvent(OutboxEvent):
    """An outbox event with its envelope already rendered as JSON by PostgreSQL."""

    envelope_json: str = ""

    @property
    def envelope(self) -> dict:
        return json.loads(self.envelope_json)


@dataclass(frozen=True)
class Place:
    """Where an event stands in commit order; a checkpoint moves onto one."""

    txid: int
    position: int
    time: datetime


@dataclass(frozen=True)
class Scan:
    """One batch as a consumer reads it: how far the read got (`seen` events, the last at
    `last`), and of the events it acts on (`acted`), the ones it takes in full, or only the
    customers they name."""

    seen: int = 0
    acted: int = 0
    first: Place | None = None
    last: Place | None = None
    events: list[OutboxEvent] = field(default_factory=list)
    ordinals: list[int] = field(default_factory=list)  # each event's number in the batch, from 1
    customers: list[uuid.UUID] = field(default_factory=list)

    def through(self, done: int) -> "Scan":
        """What the checkpoint may pass when only the first `done` of `events` were dealt
        with: the batch up to the done-th (events it does not act on before it included)."""
        if done >= len(self.events):
            return self
        if done == 0:
            return Scan()
        last = self.events[done - 1]
        return Scan(self.ordinals[done - 1], done, self.first, Place(last.txid, last.position, last.time),
                    self.events[:done], self.ordinals[:done])


def read_batch(conn: Connection, after: Checkpoint, limit: int, *, types: Collection[str] | None = None,
               in_full: Collection[str] | None = None, with_data: bool = True, rendered: bool = False,
               customers: bool = False) -> Scan:
    """The next `limit` events after the checkpoint, as far as the consumer needs them: the ones
    of its `types` (None: all) that are `in_full` (None: all of those) as events, with
    `customers` the ids its events name (sql/queries/read_outbox_batch.sql)."""
    rows = conn.execute(sa.text(paths.query("read_outbox_batch")), {
        "after_txid": str(after.txid), "after_position": after.position, "limit": limit,
        "types": _array(types), "full_types": _array(in_full), "with_data": with_data, "rendered": rendered,
        "customers": customers,
    }).all()  # one fetch, not a round of row-by-row fetching
    if not rows:
        return Scan()
    first, last = rows[0], rows[-1]
    full = [r for r in rows if r.in_full]
    return Scan(last.seen, last.acted_count, Place(int(first.txid), first.position, first.time),
                Place(int(last.txid), last.position, last.time),
                [_event(r, rendered) for r in full], [r.ordinal for r in full], last.customers or [])


def _array(values: Collection[str] | None) -> list[str] | None:
    return sorted(values) if values is not None else None


def _event(r, rendered: bool) -> OutboxEvent:
    fields = (r.position, r.id, int(r.txid), r.type, r.version, r.time, r.source, r.correlation_id, r.actor,
              r.customer_id, r.data)
    return RenderedEvent(*fields, envelope_json=r.envelope_json) if rendered else OutboxEvent(*fields)


def advance(conn: Connection, consumer: str, last: Place | OutboxEvent, *, seen: int, handled: int, repairs: int = 0) -> None:
    conn.execute(_ADVANCE, {"c": consumer, "txid": str(last.txid), "position": last.position, "time": last.time,
                            "seen": seen, "handled": handled, "repairs": repairs})


def count_inbound(conn: Connection, consumer: str, *, seen: int, handled: int, last_position: int, last_time) -> None:
    """Inbound consumers work on per-row states; their row keeps the counters for `events status`."""
    conn.execute(_COUNT, {"c": consumer, "seen": seen, "handled": handled, "position": last_position,
                          "time": last_time})
