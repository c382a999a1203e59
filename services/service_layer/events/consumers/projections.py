"""`projection_check`: check the hot projection against the truth for the customers a batch touches,
and repair the rows that differ."""

from __future__ import annotations

import uuid
from collections.abc import Collection

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from services import paths

from services.service_layer import projections
from services.service_layer.events.checkpoints import Scan
from services.service_layer.events.consumers.base import OutboxConsumer
from services.service_layer.outbox import OutboxEvent

# Customers per comparison: the statement is planned per customer id it is given.
CHUNK = 2500


class ProjectionRepair(OutboxConsumer):
    """The triggers keep the projection true, so repairs should stay at zero; a repair
    is counted and logged as a warning because it means a write path missed them."""

    name = "projection_check"
    in_full = frozenset()   # only the customers count: the batch read returns their ids
    customers = True
    with_data = False

    def apply(self, conn: Connection, events: list[OutboxEvent]) -> int:
        return self._check(conn, sorted({e.customer_id for e in events if e.customer_id is not None}))

    def apply_batch(self, conn: Connection, batch: Scan) -> int:
        return self._check(conn, batch.customers)

    def _check(self, conn: Connection, customers: Collection[uuid.UUID]) -> int:
        """Compare without locks (sql/queries/find_projection_drift.sql); lock and repair the differing."""
        ids = sorted(customers)
        statement = sa.text(paths.query("find_projection_drift"))
        drifted = [d for start in range(0, len(ids), CHUNK) for d in conn.execute(
            statement, {"lo": ids[start], "hi": ids[min(start + CHUNK, len(ids)) - 1],
                        "ids": ids[start:start + CHUNK]}).scalars()]
        return projections.repair(conn, drifted) if drifted else 0
