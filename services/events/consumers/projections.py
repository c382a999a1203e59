"""`projections`: repair the hot projection from the truth for the customers a batch touches."""

from __future__ import annotations

from sqlalchemy.engine import Connection

from services import projections
from services.events.consumers.base import OutboxConsumer
from services.outbox import OutboxEvent


class ProjectionRepair(OutboxConsumer):
    """The triggers keep the projection true, so repairs should stay at zero; a repair
    is counted and logged as a warning because it means a write path missed them."""

    name = "projections"
    with_data = False

    def apply(self, conn: Connection, events: list[OutboxEvent]) -> int:
        return projections.repair(conn, {e.customer_id for e in events if e.customer_id is not None})
