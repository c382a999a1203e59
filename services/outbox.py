"""Appending events to the outbox in the envelope of MISSION.md, "Events"."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from services.database import UnitOfWork, dumps

SOURCE = "crm.customer-management"
CHANNEL = "steward_events"  # NOTIFY channel, payload empty (see sql/migrations/0001)
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


@dataclass(frozen=True)
class OutboxEvent:
    """One row of event_outbox, as consumers get it."""

    position: int
    id: uuid.UUID
    txid: int
    type: str
    version: str
    time: datetime
    source: str
    correlation_id: str | None
    actor: dict[str, Any]
    customer_id: uuid.UUID | None
    data: dict[str, Any]

    @classmethod
    def from_row(cls, row: Any) -> "OutboxEvent":
        m = row._mapping
        return cls(m["position"], m["id"], int(m["txid"]), m["type"], m["version"], m["time"], m["source"],
                   m["correlation_id"], m["actor"], m["customer_id"], m["data"])

    @property
    def envelope(self) -> dict[str, Any]:
        """The published form (MISSION.md, "Events")."""
        return {
            "type": self.type,
            "version": self.version,
            "id": str(self.id),
            "time": self.time.isoformat(),
            "source": self.source,
            "correlationId": self.correlation_id,
            "actor": self.actor,
            "data": self.data,
        }
