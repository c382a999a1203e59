"""Appending events to the outbox in the envelope of MISSION.md, "Events"."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from services.database import UnitOfWork, dumps

SOURCE = "crm.customer-management"
ENVELOPE_VERSION = "1.0"

_INSERT = sa.text(
    "INSERT INTO event_outbox (id, type, version, source, correlation_id, actor, customer_id, data) "
    "VALUES (:id, :type, :version, :source, :correlation_id, CAST(:actor AS jsonb), :customer_id, CAST(:data AS jsonb))"
)


def append(uow: UnitOfWork, actor: dict[str, Any]) -> None:
    """Write the unit of work's queued events; called just before it commits."""
    if not uow.events:
        return
    actor_json = dumps(actor)
    uow.conn.execute(_INSERT, [
        {"id": e["id"], "type": e["type"], "version": ENVELOPE_VERSION, "source": SOURCE,
         "correlation_id": uow.correlation_id, "actor": actor_json, "customer_id": e["customer_id"],
         "data": dumps(e["data"])}
        for e in uow.events
    ])


def envelope(row: Any) -> dict[str, Any]:
    """The published form of an outbox row."""
    return {
        "type": row.type,
        "version": row.version,
        "id": str(row.id),
        "time": row.time.isoformat(),
        "source": row.source,
        "correlationId": row.correlation_id,
        "actor": row.actor,
        "data": row.data,
    }
