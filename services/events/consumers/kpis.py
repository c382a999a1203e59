"""`kpis`: keep the cockpit's daily aggregates (services.kpis.aggregates owns the rules)."""

from __future__ import annotations

import importlib
from types import ModuleType

from sqlalchemy.engine import Connection

from services.events.consumers.base import OutboxConsumer
from services.outbox import OutboxEvent

MODULE = "services.kpis.aggregates"


def _aggregates() -> ModuleType | None:
    try:
        return importlib.import_module(MODULE)
    except ModuleNotFoundError as exc:
        if exc.name in ("services.kpis", MODULE):
            return None
        raise


class KpiAggregates(OutboxConsumer):
    name = "kpis"

    def __init__(self) -> None:
        self._module = _aggregates()

    def inactive_reason(self) -> str | None:
        return None if self._module is not None else f"the KPI aggregates module ({MODULE}) is not installed"

    def apply(self, conn: Connection, events: list[OutboxEvent]) -> int:
        # Idempotent and in our transaction, so aggregates and checkpoint move together.
        self._module.apply_events(conn, events)  # type: ignore[union-attr]
        return 0
