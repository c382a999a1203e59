"""`kpis`: keep the cockpit's daily aggregates (services.service_layer.kpis.aggregates owns the rules)."""

from __future__ import annotations

import importlib
from types import ModuleType

from sqlalchemy.engine import Connection

from services.service_layer.events.checkpoints import Scan
from services.service_layer.events.consumers.base import OutboxConsumer
from services.service_layer.outbox import OutboxEvent

MODULE = "services.service_layer.kpis.aggregates"


def _aggregates() -> ModuleType | None:
    try:
        return importlib.import_module(MODULE)
    except ModuleNotFoundError as exc:
        if exc.name in ("services.service_layer.kpis", MODULE):
            return None
        raise


class KpiAggregates(OutboxConsumer):
    """Acts on the events the aggregates' rules name as relevant (the others change nothing
    they count), reading of most of them only the customer."""

    name = "kpis"
    customers = True

    def __init__(self) -> None:
        self._module = _aggregates()
        if self._module is not None:
            self.types = frozenset(self._module.RELEVANT_TYPES)
            self.in_full = frozenset(self._module.IN_FULL_TYPES)

    def inactive_reason(self) -> str | None:
        return None if self._module is not None else f"the KPI aggregates module ({MODULE}) is not installed"

    def apply(self, conn: Connection, events: list[OutboxEvent]) -> int:
        # Idempotent and in our transaction, so aggregates and checkpoint move together.
        self._module.apply_events(conn, events)  # type: ignore[union-attr]
        return 0

    def apply_batch(self, conn: Connection, batch: Scan) -> int:
        assert batch.last is not None
        self._module.apply_touched(conn, batch.customers, batch.events,  # type: ignore[union-attr]
                                   through=(batch.last.txid, batch.last.position))
        return 0
