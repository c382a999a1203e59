"""SLAs: obligations with a due date, opened and met by the domain pack's rules."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Iterable

import sqlalchemy as sa

from services.database import UnitOfWork
from services.pack.b2b_food import Close, Effect, Meet, Open, OpenSla
from services.rules import sla as sla_rules


@dataclass(frozen=True)
class Sla:
    id: uuid.UUID
    customer_id: uuid.UUID
    kind: str
    rule: str
    sample_id: uuid.UUID | None
    opened_by_activity_id: uuid.UUID | None
    met_by_activity_id: uuid.UUID | None
    opened_at: datetime
    due_date: date
    status: str
    closed_at: datetime | None
    badge: str | None

    @property
    def met_on_time(self) -> bool | None:
        if self.status != "MET" or self.closed_at is None:
            return None
        from services.rules.calendar import local_date
        return local_date(self.closed_at) <= self.due_date


def open_for_customer(uow: UnitOfWork, customer_id: uuid.UUID) -> list[OpenSla]:
    rows = uow.execute(
        "SELECT id, kind, rule, sample_id, opened_at, due_date FROM slas "
        "WHERE customer_id = :id AND status = 'OPEN' ORDER BY due_date, id", {"id": customer_id})
    return [OpenSla(*r) for r in rows]


def apply(uow: UnitOfWork, customer_id: uuid.UUID, effects: Iterable[Effect], *, at: datetime,
          activity_id: uuid.UUID | None = None) -> None:
    """Write the effects the pack's rules decided on."""
    for effect in effects:
        if isinstance(effect, Open):
            uow.execute(
                "INSERT INTO slas (customer_id, kind, rule, sample_id, opened_by_activity_id, opened_at, due_date) "
                "VALUES (:c, :k, :r, :s, :a, :at, :due)",
                {"c": customer_id, "k": effect.kind, "r": effect.rule, "s": effect.sample_id, "a": activity_id,
                 "at": at, "due": effect.due_date})
        elif isinstance(effect, (Meet, Close)):
            uow.execute(
                "UPDATE slas SET status = :status, closed_at = :at, met_by_activity_id = :a "
                "WHERE id = :id AND status = 'OPEN'",
                {"status": "MET" if isinstance(effect, Meet) else "CLOSED", "at": at,
                 "a": activity_id if isinstance(effect, Meet) else None, "id": effect.sla_id})


def from_row(row: Any, today: date) -> Sla:
    return Sla(**row._mapping, badge=sla_rules.badge(row.due_date, status=row.status, today=today))


SELECT = sa.text(
    "SELECT id, customer_id, kind, rule, sample_id, opened_by_activity_id, met_by_activity_id, opened_at, "
    "due_date, status, closed_at FROM slas WHERE customer_id = :id ORDER BY (status = 'OPEN') DESC, due_date, id")
