"""SLAs: obligations with a due date, opened and met by the domain pack's rules.

The database writes them (sql/definitions/09_slas.sql and the pack's rules.sql);
this module reads them and tells what a due date means today.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

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


def from_row(row: Any, today: date) -> Sla:
    return Sla(**row._mapping, badge=sla_rules.badge(row.due_date, status=row.status, today=today))


SELECT = sa.text(
    "SELECT id, customer_id, kind, rule, sample_id, opened_by_activity_id, met_by_activity_id, opened_at, "
    "due_date, status, closed_at FROM slas WHERE customer_id = :id ORDER BY (status = 'OPEN') DESC, due_date, id")
