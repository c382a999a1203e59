"""The inbox: inbound envelopes received, claimed row by row, processed or dead-lettered.

receive() is the one way an envelope comes in through Steward itself (`steward events
ingest`, later POST /events): queued, skipped as already received, or dead-lettered
with its reason, whatever it holds. Each pending row is claimed with FOR UPDATE SKIP
LOCKED, so any number of daemons share the work and none waits; its new state commits
with the effect. Each event runs in its own savepoint: a bad one becomes a dead
letter, the rest of the batch commits.
"""

from __future__ import annotations

import json
import reprlib
import time
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from services.service_layer.context import Context
from services.adapters.database import UnitOfWork, api_refusal, dumps
from services.errors import NotFound, StewardError, ValidationError
from services.service_layer.events import checkpoints, dead_letters
from services.service_layer.events.consumers.base import InboundConsumer
from services.service_layer.events.envelopes import Inbound, Rejected, check, event_id_of, read
from services.service_layer.events.failures import is_connection_problem, is_systematic, is_transient
from services.service_layer.events.identity import JoinedContext
from services.rules.inputs import shown

TRIAGE = "inbox"  # the dead letters' consumer for envelopes no consumer accepts
ACCEPTED, DUPLICATE, DEAD = "accepted", "duplicate", "dead"  # what receive() made of an envelope
RAW_KEPT = 100_000  # characters of a line that is no storable JSON kept in its dead letter

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
# Nothing when the id is already pending or done: the unique index of migration 0020 decides,
# in one probe, also between two receivers of the same id at the same moment.
_QUEUE = sa.text("INSERT INTO event_inbox (envelope, origin) VALUES (CAST(:envelope AS jsonb), :origin) "
                 "ON CONFLICT (event_id) WHERE state IN ('pending', 'done') DO NOTHING RETURNING position")
_QUEUE_API = sa.text("SELECT steward_api.receive_event(p_envelope => CAST(:envelope AS jsonb), p_origin => :origin)")
_RECEIVED = sa.text("SELECT 1 FROM event_inbox WHERE event_id = :id AND state IN ('pending', 'done')")
_DEAD_BEFORE = sa.text("SELECT 1 FROM event_inbox WHERE event_id = :id AND state = 'dead' LIMIT 1")
# An event whose earlier copy became a dead letter is queued again: sending it anew is how a
# sender retries once the cause is fixed. The result says so, so that a person re-ingesting a
# file sees which lines had failed before.
AGAIN = "queued again: an earlier copy of this event is a dead letter"
_KEEP_DEAD = sa.text("INSERT INTO event_inbox (envelope, origin, state, handled_by, handled_at) "
                     "VALUES (CAST(:envelope AS jsonb), :origin, 'dead', :consumer, now()) RETURNING position")


@dataclass(frozen=True)
class Received:
    """What receive() made of one envelope."""
    outcome: str                  # ACCEPTED (queued for the daemon), DUPLICATE (already received), DEAD
    reason: str | None = None     # why it went to the dead letters (or was queued again)
    event_id: str | None = None
    type: str | None = None


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


def receive(conn, envelope_or_raw: Any, origin: str, *,
            consumers: list[InboundConsumer] | None = None, refuse: bool = False) -> Received:
    """Take in one envelope: JSON as bytes or text (a line of a file, a request body), or a
    parsed value. A valid one is queued for the daemon, unless its id was already received
    (pending or done in the inbox); anything else goes to the dead letters with the reason,
    whatever bytes it holds. It runs in a savepoint of the caller's transaction, so a
    database error costs this envelope alone, never its neighbours; only a lost connection
    or a fault of the set-up (a missing grant) is raised. Whether the event refers to an
    existing customer is the daemon's to find out.

    With `refuse` (POST /events, where the sender is there to be told): an envelope that
    would become a dead letter raises ValidationError with the same reason instead, and
    nothing is stored; a good one is queued through the write API (steward_api.receive_event,
    which module accounts may call; the caller need not write the inbox itself)."""
    if consumers is None:
        from services.service_layer.events.consumers import inbound_consumers
        from services.service_layer.events.options import DaemonOptions

        consumers = inbound_consumers(DaemonOptions())
    origin = shown(origin, 200)
    if refuse:
        return _receive_or_refuse(conn, envelope_or_raw, origin, consumers)
    try:
        with conn.begin_nested():
            return _receive(conn, envelope_or_raw, origin, consumers)
    except Exception as exc:  # noqa: BLE001
        # read() and validate() let nothing through that the database refuses; should a bug
        # do so all the same, it costs one dead letter, not the envelopes after it.
        if is_connection_problem(exc) or is_systematic(exc):
            raise
        if isinstance(exc, sa_exc.DBAPIError):
            reason = f"the database refused it: {str(exc.orig).strip().splitlines()[0]}"
        else:
            reason = f"unexpected error: {type(exc).__name__}: {exc}"
    with conn.begin_nested():
        dead_letters.record_inbound(conn, TRIAGE, reason, raw=_raw(envelope_or_raw), origin=origin)
    return Received(DEAD, reason)


def _receive(conn, value: Any, origin: str, consumers: list[InboundConsumer]) -> Received:
    try:
        envelope = read(value)
    except Rejected as exc:  # no JSON the database can store: the letter keeps the text
        dead_letters.record_inbound(conn, TRIAGE, exc.reason, raw=_raw(value), origin=origin)
        return Received(DEAD, exc.reason)
    event_id = event_id_of(envelope)
    try:
        _, event, _ = validate(envelope, consumers)
    except Rejected as exc:
        if event_id is not None and conn.execute(_RECEIVED, {"id": event_id}).first() is not None:
            return Received(DUPLICATE, None, str(event_id), _text(envelope.get("type")))
        # Kept in the inbox as handled, with its letter, so that a redrive can queue it again.
        kind = envelope.get("type") if isinstance(envelope, dict) else None
        owner = next((c.name for c in consumers if c.type == kind), TRIAGE)
        position = conn.execute(_KEEP_DEAD, {"envelope": dumps(envelope), "origin": origin,
                                             "consumer": owner}).scalar_one()
        dead_letters.record_inbound(conn, owner, exc.reason, envelope=envelope, inbox_position=position,
                                    origin=origin)
        return Received(DEAD, exc.reason, _text(envelope.get("id") if isinstance(envelope, dict) else None),
                        _text(kind))
    queued = conn.execute(_QUEUE, {"envelope": dumps(envelope), "origin": origin}).scalar()
    if queued is None:
        return Received(DUPLICATE, None, str(event.id), event.type)
    again = conn.execute(_DEAD_BEFORE, {"id": event.id}).first() is not None
    return Received(ACCEPTED, AGAIN if again else None, str(event.id), event.type)


def _receive_or_refuse(conn, value: Any, origin: str, consumers: list[InboundConsumer]) -> Received:
    try:
        envelope = read(value)
        _, event, _ = validate(envelope, consumers)
    except Rejected as exc:
        raise ValidationError(f"The event was not accepted: {exc.reason}.", errors={"envelope": exc.reason}) from None
    position = conn.execute(_QUEUE_API, {"envelope": dumps(envelope), "origin": origin}).scalar()
    return Received(ACCEPTED if position is not None else DUPLICATE, None, str(event.id), event.type)


def _raw(value: Any) -> str:
    """The envelope as text a person can read and the database can store."""
    if not isinstance(value, (bytes, bytearray, str)):
        try:
            value = json.dumps(value, ensure_ascii=True, default=str)  # escapes NUL and lone surrogates
        except (TypeError, ValueError, RecursionError):
            value = reprlib.repr(value)
    return shown(value, RAW_KEPT)


def _text(value: Any) -> str | None:
    return shown(str(value), 100) if value is not None else None


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
