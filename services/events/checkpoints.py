"""Where each consumer stands in the outbox, and the next batch it may safely read.

A checkpoint is the (txid, position) key of the last event a consumer passed.
Reading in that order, below the snapshot's xmin (event_outbox_horizon() in
sql/migrations/0004), cannot skip an event that commits late
(sql/queries/read_outbox_batch.sql, docs/DAEMON.md).
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from services import paths
from services.outbox import OutboxEvent

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

    @classmethod
    def from_row(cls, row) -> "RenderedEvent":
        event = super().from_row(row)
        # Set once, while the event is being made (dataclasses.replace would make it twice).
        object.__setattr__(event, "envelope_json", row.envelope_json)
        return event

    @property
    def envelope(self) -> dict:
        return json.loads(self.envelope_json)


def read_batch(conn: Connection, after: Checkpoint, limit: int, *, types: Collection[str] | None = None,
               with_data: bool = True, rendered: bool = False) -> list[OutboxEvent]:
    rows = conn.execute(sa.text(paths.query("read_outbox_batch")), {
        "after_txid": str(after.txid), "after_position": after.position, "limit": limit,
        "types": sorted(types) if types is not None else None, "with_data": with_data, "rendered": rendered,
    }).all()  # one fetch, not a round of row-by-row fetching
    if rendered:
        return [RenderedEvent.from_row(r) for r in rows]
    return [OutboxEvent.from_row(r) for r in rows]


def advance(conn: Connection, consumer: str, last: OutboxEvent, *, seen: int, handled: int, repairs: int = 0) -> None:
    conn.execute(_ADVANCE, {"c": consumer, "txid": str(last.txid), "position": last.position, "time": last.time,
                            "seen": seen, "handled": handled, "repairs": repairs})


def count_inbound(conn: Connection, consumer: str, *, seen: int, handled: int, last_position: int, last_time) -> None:
    """Inbound consumers work on per-row states; their row keeps the counters for `events status`."""
    conn.execute(_COUNT, {"c": consumer, "seen": seen, "handled": handled, "position": last_position,
                          "time": last_time})
