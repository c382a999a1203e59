"""Dead letters: events a consumer gave up on, kept with the reason until a person redrives them."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from services.adapters.database import dumps
from services.service_layer.outbox import OutboxEvent


_OUTBOUND = sa.text(
    "INSERT INTO event_dead_letters (consumer, direction, event_id, event_type, outbox_position, outbox_txid, envelope, "
    "                                reason, attempts) "
    "VALUES (:consumer, 'outbound', :event_id, :type, :position, CAST(:txid AS xid8), CAST(:envelope AS jsonb), "
    "        :reason, :attempts) "
    "ON CONFLICT (consumer, event_id) WHERE direction = 'outbound' DO UPDATE "
    "   SET state = 'dead', reason = EXCLUDED.reason, attempts = event_dead_letters.attempts + EXCLUDED.attempts, "
    "       failed_at = now(), resolved_at = NULL"
)
_INBOUND = sa.text(
    "INSERT INTO event_dead_letters (consumer, direction, event_id, event_type, inbox_position, envelope, raw, "
    "                                origin, reason) "
    "VALUES (:consumer, 'inbound', :event_id, :type, :inbox_position, CAST(:envelope AS jsonb), :raw, :origin, :reason)"
)
_RETRIES = sa.text(
    "SELECT id, outbox_position, outbox_txid::text AS txid, envelope FROM event_dead_letters "
    " WHERE consumer = :consumer AND state = 'retry' ORDER BY id LIMIT :limit"
)


@dataclass(frozen=True)
class DeadLetter:
    id: int
    consumer: str
    direction: str
    event_id: uuid.UUID | None
    event_type: str | None
    origin: str | None
    reason: str
    attempts: int
    state: str
    failed_at: datetime


@dataclass(frozen=True)
class RedriveReport:
    outbound: int        # back to their consumer, which delivers them again
    inbound: int         # back into the inbox
    not_redrivable: int  # lines that were not JSON: fix them and ingest them again
    already_received: tuple[int, ...] = ()  # letters whose event id is in the inbox again: left for a person


def record_outbound(conn: Connection, consumer: str, event: OutboxEvent, reason: str, attempts: int) -> None:
    conn.execute(_OUTBOUND, {"consumer": consumer, "event_id": event.id, "type": event.type, "position": event.position,
                             "txid": str(event.txid),
                             "envelope": dumps({**event.envelope, "customerId": _str(event.customer_id)}),
                             "reason": reason[:2000], "attempts": attempts})


def record_inbound(conn: Connection, consumer: str, reason: str, *, envelope: Any = None, raw: str | None = None,
                   inbox_position: int | None = None, origin: str | None = None) -> None:
    event_id = type_ = None
    if isinstance(envelope, dict):
        event_id, type_ = _uuid_or_none(envelope.get("id")), _text_or_none(envelope.get("type"))
    conn.execute(_INBOUND, {"consumer": consumer, "event_id": event_id, "type": type_, "inbox_position": inbox_position,
                            "envelope": dumps(envelope) if envelope is not None else None,
                            "raw": raw if envelope is None else None, "origin": origin, "reason": reason[:2000]})


def retries(conn: Connection, consumer: str, limit: int) -> list[tuple[int, OutboxEvent]]:
    """Redriven outbound letters of a consumer, as the events to deliver again."""
    rows = conn.execute(_RETRIES, {"consumer": consumer, "limit": limit})
    return [(r.id, _event(r.outbox_position, int(r.txid or 0), r.envelope)) for r in rows]


def mark_delivered(conn: Connection, letter_ids: Iterable[int]) -> None:
    conn.execute(sa.text("UPDATE event_dead_letters SET state = 'delivered', resolved_at = now() WHERE id = ANY (:ids)"),
                 {"ids": list(letter_ids)})


def mark_dead_again(conn: Connection, letter_id: int, reason: str, attempts: int) -> None:
    conn.execute(sa.text(
        "UPDATE event_dead_letters SET state = 'dead', reason = :reason, attempts = attempts + :attempts, "
        "failed_at = now() WHERE id = :id"), {"id": letter_id, "reason": reason[:2000], "attempts": attempts})


def waiting(conn: Connection) -> dict[str, int]:
    """Dead letters waiting for a person, per consumer."""
    rows = conn.execute(sa.text("SELECT consumer, count(*) FROM event_dead_letters WHERE state = 'dead' GROUP BY consumer"))
    return dict(rows.all())


def listing(conn: Connection, *, include_closed: bool = False, limit: int = 200) -> list[DeadLetter]:
    rows = conn.execute(sa.text(
        "SELECT id, consumer, direction, event_id, event_type, origin, reason, attempts, state, failed_at "
        "  FROM event_dead_letters WHERE :all OR state IN ('dead', 'retry') ORDER BY id DESC LIMIT :limit"),
        {"all": include_closed, "limit": limit})
    return [DeadLetter(**r._mapping) for r in rows]


# An inbound letter's event id as the inbox keys on it (its inbox row's, or its envelope's when
# the row is gone), and whether another live row holds that id (migration 0020).
_CHOOSE = sa.text(
    "SELECT d.id, d.direction, d.inbox_position IS NOT NULL AS in_inbox, d.envelope IS NOT NULL AS has_envelope, "
    "       k.event_id, EXISTS (SELECT 1 FROM event_inbox l WHERE l.event_id = k.event_id "
    "                              AND l.state IN ('pending', 'done') "
    "                              AND l.position IS DISTINCT FROM d.inbox_position) AS received "
    "  FROM event_dead_letters d, LATERAL (SELECT CASE WHEN d.direction = 'outbound' THEN NULL "
    "                                                  WHEN d.inbox_position IS NOT NULL THEN "
    "                                                       (SELECT i.event_id FROM event_inbox i "
    "                                                         WHERE i.position = d.inbox_position) "
    "                                                  ELSE inbox_event_id(d.envelope) END AS event_id) k "
    " WHERE d.state = 'dead' "
    "   AND (CAST(:consumer AS text) IS NULL OR d.consumer = :consumer) "
    "   AND (CAST(:ids AS bigint[]) IS NULL OR d.id = ANY (CAST(:ids AS bigint[]))) "
    " ORDER BY d.id FOR UPDATE OF d")
_TO_CONSUMER = sa.text("UPDATE event_dead_letters SET state = 'retry', redriven_at = now() WHERE id = ANY (:ids)")
_REOPEN_INBOX = sa.text(
    "UPDATE event_inbox i SET state = 'pending', handled_by = NULL, handled_at = NULL "
    "  FROM event_dead_letters d WHERE d.inbox_position = i.position AND d.id = ANY (:ids)")
_QUEUE_AGAIN = sa.text(
    "INSERT INTO event_inbox (envelope, origin) "
    "SELECT envelope, coalesce(origin, 'redrive') FROM event_dead_letters WHERE id = ANY (:ids) ORDER BY id")
_REDRIVEN = sa.text(
    "UPDATE event_dead_letters SET state = 'redriven', redriven_at = now(), resolved_at = now() WHERE id = ANY (:ids)")


def redrive(conn: Connection, *, consumer: str | None = None, ids: list[int] | None = None) -> RedriveReport:
    """Outbound letters go back to their consumer; inbound ones back into the inbox (their old
    row when it is still there, else a new one). One transaction.

    The inbox keeps one live row per event id: an inbound letter whose event was received
    again meanwhile (a corrected resend), or a second letter of the same event, stays dead
    and is reported, so that a person discards it rather than have the event run twice."""
    chosen = conn.execute(_CHOOSE, {"consumer": consumer, "ids": ids}).all()
    outbound = [r.id for r in chosen if r.direction == "outbound"]
    reopen, queue, already, taken = [], [], [], set()
    for r in chosen:
        if r.direction != "inbound" or not (r.in_inbox or r.has_envelope):
            continue
        if r.event_id is not None and (r.received or r.event_id in taken):
            already.append(r.id)
            continue
        taken.add(r.event_id)
        (reopen if r.in_inbox else queue).append(r.id)
    conn.execute(_TO_CONSUMER, {"ids": outbound})
    conn.execute(_REOPEN_INBOX, {"ids": reopen})
    conn.execute(_QUEUE_AGAIN, {"ids": queue})
    conn.execute(_REDRIVEN, {"ids": reopen + queue})
    not_json = sum(r.direction == "inbound" and not r.has_envelope for r in chosen)
    return RedriveReport(len(outbound), len(reopen) + len(queue), not_json, tuple(already))


def discard(conn: Connection, ids: list[int]) -> int:
    """A person gives up on these letters (e.g. a line that is not JSON); they are kept, closed."""
    return conn.execute(sa.text(
        "UPDATE event_dead_letters SET state = 'discarded', resolved_at = now() "
        " WHERE id = ANY (:ids) AND state = 'dead'"), {"ids": ids}).rowcount


def _event(position: int | None, txid: int, envelope: dict[str, Any]) -> OutboxEvent:
    return OutboxEvent(
        position=position or 0, id=uuid.UUID(envelope["id"]), txid=txid, type=envelope["type"],
        version=envelope.get("version", "1.0"), time=datetime.fromisoformat(envelope["time"]),
        source=envelope.get("source", ""), correlation_id=envelope.get("correlationId"),
        actor=envelope.get("actor") or {}, customer_id=_uuid_or_none(envelope.get("customerId")),
        data=envelope.get("data") or {},
    )


def _uuid_or_none(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value is not None else None
    except ValueError:
        return None


def _text_or_none(value: Any) -> str | None:
    return value[:200] if isinstance(value, str) else None


def _str(value: Any) -> str | None:
    return None if value is None else str(value)
