"""`steward events status`: where every consumer stands, what it lags, what it gave up on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from services.service_layer.events import dead_letters
from services.service_layer.events.consumers import CONSUMER_NAMES, inbound_consumers, outbox_consumers
from services.service_layer.events.options import DaemonOptions

# A transaction with an id open this long is worth naming: it holds every consumer back.
HOLDING_BACK_AFTER_SECONDS = 60

_CHECKPOINTS = sa.text(
    "SELECT consumer, stream, last_txid::text AS txid, last_position AS position, last_event_time, updated_at, "
    "       events_seen, events_handled, repairs FROM consumer_checkpoints ORDER BY consumer")
_OUTBOX_LAG = sa.text(
    "SELECT count(*) AS events, extract(epoch FROM now() - min(time)) AS seconds FROM event_outbox "
    " WHERE (txid, position) > (CAST(:txid AS xid8), :position)")
_INBOX_LAG = sa.text(
    "SELECT count(*) AS events, extract(epoch FROM now() - min(received_at)) AS seconds FROM event_inbox "
    " WHERE state = 'pending' AND type = :type")
_INBOX = sa.text(
    "SELECT count(*) FILTER (WHERE state = 'pending') AS pending, "
    "       extract(epoch FROM now() - min(received_at) FILTER (WHERE state = 'pending')) AS oldest "
    "  FROM event_inbox")
_OLDEST_WRITER = sa.text(
    "SELECT pid, usename, application_name, state, extract(epoch FROM now() - xact_start) AS seconds "
    "  FROM pg_stat_activity WHERE backend_xid IS NOT NULL AND datname = current_database() "
    " ORDER BY age(backend_xid) DESC LIMIT 1")


@dataclass(frozen=True)
class ConsumerStatus:
    name: str
    stream: str                   # 'outbox' or 'inbox'
    state: str                    # 'active', 'inactive: <why>' or 'not started'
    position: int | None          # checkpoint (outbox) or last inbox row handled
    txid: int | None
    last_event_time: datetime | None
    updated_at: datetime | None
    lag_events: int
    lag_seconds: float
    dead_letters: int
    events_seen: int
    events_handled: int
    repairs: int


@dataclass(frozen=True)
class EventsStatus:
    consumers: tuple[ConsumerStatus, ...]
    inbox_pending: int
    inbox_oldest_seconds: float
    dead_letters: int             # waiting for a person, all consumers
    holding_back: str | None      # an old open transaction that holds every consumer back


def read(conn: Connection, options: DaemonOptions | None = None) -> EventsStatus:
    """One consistent look; the activation shown is that of this process's settings."""
    options = options or DaemonOptions.from_env()
    built = outbox_consumers(options)
    inactive = {c.name: c.inactive_reason() for c in built}
    for c in built:
        c.close()
    inbound_types = {c.name: c.type for c in inbound_consumers(options)}
    letters = dead_letters.waiting(conn)
    rows = {r.consumer: r for r in conn.execute(_CHECKPOINTS)}
    names = list(CONSUMER_NAMES) + sorted(set(rows) - set(CONSUMER_NAMES))
    consumers = []
    for name in names:
        row = rows.get(name)
        stream = "inbox" if name in inbound_types else (row.stream if row else "outbox")
        if stream == "inbox":
            lag = conn.execute(_INBOX_LAG, {"type": inbound_types.get(name)}).one()
        else:
            lag = conn.execute(_OUTBOX_LAG, {"txid": row.txid if row else "0", "position": row.position if row else 0}).one()
        reason = inactive.get(name)
        state = f"inactive: {reason}" if reason else ("active" if row else "not started")
        consumers.append(ConsumerStatus(
            name, stream, state, row.position if row else None, int(row.txid) if row else None,
            row.last_event_time if row else None, row.updated_at if row else None,
            int(lag.events), float(lag.seconds or 0), letters.get(name, 0),
            int(row.events_seen) if row else 0, int(row.events_handled) if row else 0, int(row.repairs) if row else 0))
    inbox = conn.execute(_INBOX).one()
    return EventsStatus(tuple(consumers), int(inbox.pending), float(inbox.oldest or 0), sum(letters.values()),
                        _holding_back(conn))


def _holding_back(conn: Connection) -> str | None:
    row = conn.execute(_OLDEST_WRITER).first()
    if row is None or row.seconds is None or row.seconds < HOLDING_BACK_AFTER_SECONDS:
        return None
    who = f"{row.usename or 'another login'}" + (f" ({row.application_name})" if row.application_name else "")
    return (f"a transaction of {who}, pid {row.pid}, has been open for {row.seconds / 60:.0f} min ({row.state}); "
            f"no consumer sees events committed after it began until it ends")
