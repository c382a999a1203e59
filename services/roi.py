"""ROI scenarios: the savings a kitchen can expect, the basis of ROI consultations."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from services.coerce import as_money, as_text, as_uuid, jsonable
from services.context import Context
from services.database import UnitOfWork, dumps
from services.errors import NotFound, ValidationError
from services.guards import lock_customer


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
        cid = as_uuid(customer_id, "customer_id")
        values = self._values(name, savings_per_month, assumptions_version, assumptions)
        with self._ctx.write() as uow:
            lock_customer(uow.conn, cid, "add ROI scenarios to it")
            return self.insert(uow, cid, **values)

    def insert(self, uow: UnitOfWork, cid: uuid.UUID, *, name: str, savings_per_month: Decimal | None,
               assumptions_version: str, assumptions: dict[str, Any]) -> RoiScenario:
        """Inside a caller's unit of work, with the customer already locked."""
        row = uow.execute(
            "INSERT INTO roi_scenarios (customer_id, name, assumptions_version, assumptions, savings_per_month, created_by) "
            "VALUES (:c, :n, :v, CAST(:a AS jsonb), :s, :by) "
            "RETURNING id, customer_id, name, assumptions_version, assumptions, savings_per_month, created_at, updated_at",
            {"c": cid, "n": name, "v": assumptions_version, "a": dumps(assumptions), "s": savings_per_month,
             "by": self._ctx.actor.user_id}).one()
        scenario = RoiScenario(**row._mapping)
        uow.emit("roi.scenario.created", {
            "roiScenarioId": str(scenario.id), "customerId": str(cid), "name": name,
            "assumptionsVersion": assumptions_version,
            "savingsPerMonth": float(savings_per_month) if savings_per_month is not None else None,
        }, customer_id=cid)
        return scenario

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

    @staticmethod
    def _values(name: Any, savings: Any, version: Any, assumptions: Any) -> dict[str, Any]:
        if assumptions is not None and not isinstance(assumptions, dict):
            raise ValidationError("Assumptions must be a mapping of names to values.",
                                  errors={"assumptions": "must be an object"})
        return {
            "name": as_text(name, "name"),
            "savings_per_month": as_money(savings, "savings_per_month") if savings is not None else None,
            "assumptions_version": as_text(version, "assumptions_version", max_length=40),
            "assumptions": jsonable(assumptions or {}),
        }


# Callers that think of scenarios as their own service.
RoiService.create = RoiService.create_scenario  # type: ignore[attr-defined]
