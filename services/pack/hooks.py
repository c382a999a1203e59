"""What logging an activity of a B2B-Food kind does besides storing it.

The activity engine (services/activities.py) names no kind; it calls these
hooks, which need the database and so live apart from the pure rules.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from services.database import UnitOfWork
from services.errors import NotFound, ValidationError
from services.rules.workflow import feedback_status

if TYPE_CHECKING:
    from services.roi import RoiService
    from services.samples import SampleService


class ActivityHooks:
    def __init__(self, samples: "SampleService", roi: "RoiService"):
        self._samples = samples
        self._roi = roi

    def prepare(self, uow: UnitOfWork, cid: uuid.UUID, kind: str, data: dict[str, Any]) -> dict[str, Any]:
        """Check what the activity refers to; may complete `data` (returns it)."""
        if "sample_id" in data:
            owner = uow.execute("SELECT customer_id FROM sample_request WHERE id = :id", {"id": data["sample_id"]}).scalar()
            if owner is None:
                raise NotFound(f"Sample {data['sample_id']} does not exist or is not visible to you.",
                               errors={"sample_id": "unknown sample"})
            if owner != cid:
                raise ValidationError("The sample belongs to another customer.", errors={"sample_id": "another customer's sample"})
        if "roi_scenario_id" in data:
            owner = uow.execute("SELECT customer_id FROM roi_scenarios WHERE id = :id", {"id": data["roi_scenario_id"]}).scalar()
            if owner is None:
                raise NotFound(f"ROI scenario {data['roi_scenario_id']} does not exist or is not visible to you.",
                               errors={"roi_scenario_id": "unknown ROI scenario"})
            if owner != cid:
                raise ValidationError("The ROI scenario belongs to another customer.",
                                      errors={"roi_scenario_id": "another customer's scenario"})
        elif kind == "ROI_CONSULTATION":
            # A consultation without a scenario records the one it discussed.
            scenario = self._roi.insert(
                uow, cid, name="Consultation scenario", savings_per_month=_money(data.get("savings_per_month")),
                assumptions_version=data.get("assumptions_version", "v1"), assumptions={})
            data = {**data, "roi_scenario_id": str(scenario.id)}
        return data

    def after(self, uow: UnitOfWork, cid: uuid.UUID, activity_id: uuid.UUID, kind: str, outcome: str,
              occurred_at: datetime, data: dict[str, Any]) -> None:
        if kind == "PRODUCTTEST_FEEDBACK":
            # The feedback is the sample's last step: DELIVERED → FEEDBACK_<outcome>.
            self._samples.transition(uow, uuid.UUID(data["sample_id"]), feedback_status(outcome), occurred_at,
                                     activity_id=activity_id)
        elif kind == "ROI_CONSULTATION":
            uow.emit("roi.consultation.updated", {
                "customerId": str(cid), "activityId": str(activity_id), "roiScenarioId": data.get("roi_scenario_id"),
                "assumptionsVersion": data.get("assumptions_version"), "savingsPerMonth": data.get("savings_per_month"),
                "commitmentLevel": data.get("commitment_level"), "outcome": outcome,
                "occurredAt": occurred_at.isoformat(),
            }, customer_id=cid)


def _money(value: Any):
    from services.coerce import as_money
    return as_money(value, "savings_per_month") if value is not None else None
