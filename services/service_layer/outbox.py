"""Events of the outbox as consumers get them, in the envelope of docs/EVENTS.md.

The write API appends them (steward_internal.emit in sql/definitions/03_outbox.sql),
in the same transaction as the write they tell of.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from services.adapters.notifications import CHANNEL

__all__ = ["CHANNEL", "OutboxEvent"]


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
        """The published form (docs/EVENTS.md)."""
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
