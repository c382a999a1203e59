"""ROI scenarios: the savings a kitchen can expect, the basis of ROI consultations."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from services.service_layer.coerce import as_money, as_uuid, jsonable, maybe_text
from services.service_layer.context import Context
from services.adapters.database import Json
from services.errors import NotFound, ValidationError
from services.service_layer.records import record


@dataclass(frozen=True)
class RoiScenario:
    id: uuid.UUID
    customer_id: uuid.UUID
    name: str
    assumptions_version: str
    assumptions: dict[str, Any]
    savings_per_month: Decimal | None
    created_at: datetime
    updated_at: datetime


_SELECT = ("SELECT id, customer_id, name, assumptions_version, assumptions, savings_per_month, created_at, updated_at "
           "FROM roi_scenarios")


class RoiService:
    def __init__(self, ctx: Context):
        self._ctx = ctx

    def create_scenario(self, customer_id: Any, name: str = "ROI scenario", *, savings_per_month: Any = None,
                        assumptions_version: str = "v1", assumptions: dict[str, Any] | None = None) -> RoiScenario:
        """Commits; appends `roi.scenario.created`."""
        answer = self._ctx.call(
            "create_roi_scenario", customer=as_uuid(customer_id, "customer_id"), name=maybe_text(name, "name"),
            savings_per_month=as_money(savings_per_month, "savings_per_month") if savings_per_month is not None else None,
            assumptions_version=maybe_text(assumptions_version, "assumptions_version"),
            assumptions=Json(jsonable(assumptions or {})))
        return record(RoiScenario, answer)

    def update_scenario(self, scenario_id: Any, **changes: Any) -> RoiScenario:
        """Change name, savings_per_month, assumptions_version or assumptions.
        Commits; appends `roi.scenario.updated` when something changed."""
        if not changes:
            raise ValidationError("Nothing to change: give at least one value.", errors={"changes": "must not be empty"})
        if changes.get("savings_per_month") is not None:
            changes["savings_per_month"] = as_money(changes["savings_per_month"], "savings_per_month")
        answer = self._ctx.call("update_roi_scenario", scenario=as_uuid(scenario_id, "roi_scenario_id"),
                                changes=Json(jsonable(changes)))
        return record(RoiScenario, answer)

    def get(self, scenario_id: Any) -> RoiScenario:
        sid = as_uuid(scenario_id, "roi_scenario_id")
        with self._ctx.read() as conn:
            row = conn.execute(sa.text(_SELECT + " WHERE id = :id"), {"id": sid}).first()
        if row is None:
            raise NotFound(f"ROI scenario {sid} does not exist or is not visible to you.")
        return RoiScenario(**row._mapping)

    def list(self, customer_id: Any) -> list[RoiScenario]:
        cid = as_uuid(customer_id, "customer_id")
        with self._ctx.read() as conn:
            rows = conn.execute(sa.text(_SELECT + " WHERE customer_id = :id ORDER BY created_at DESC, id"), {"id": cid})
            return [RoiScenario(**r._mapping) for r in rows]
