"""The activity engine: typed activities driven by the domain pack's type dictionary."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from services.service_layer import paging, slas
from services.service_layer.coerce import as_moment, as_text, as_uuid, jsonable, many_of, maybe_text
from services.service_layer.context import Context
from services.adapters.database import Json
from services.errors import NotFound, ValidationError
from services.pack import ActivityKind
from services.service_layer.paging import Page
from services.service_layer.records import record
from services.rules import calendar
from services.rules.sla import badge
from services.adapters.tables import activities as activities_table
from services.adapters.tables import slas as slas_table
from services.adapters.tables import users



@dataclass(frozen=True)
class Activity:
    id: uuid.UUID
    customer_id: uuid.UUID
    kind: str
    occurred_at: datetime
    outcome: str
    note: str | None
    data: dict[str, Any]
    sample_id: uuid.UUID | None
    roi_scenario_id: uuid.UUID | None
    created_by_name: str | None
    created_at: datetime
    sla_due: date | None = None
    sla_status: str | None = None
    sla_badge: str | None = None

    def __getattr__(self, name: str) -> Any:
        # The kind's own fields read like attributes: activity.commitment_level.
        data = object.__getattribute__(self, "data")
        if name in data:
            return data[name]
        raise AttributeError(name)


@dataclass(frozen=True)
class _Written:
    """An activity as the write API returns it, before its SLA badge."""

    id: uuid.UUID
    customer_id: uuid.UUID
    kind: str
    occurred_at: datetime
    outcome: str
    note: str | None
    data: dict[str, Any]
    sample_id: uuid.UUID | None
    roi_scenario_id: uuid.UUID | None
    created_by_name: str | None
    created_at: datetime
    sla_due: date | None = None
    sla_status: str | None = None


class ActivityService:
    def __init__(self, ctx: Context):
        self._ctx = ctx

    def kinds(self) -> list[ActivityKind]:
        """The type dictionary: each kind with its fields, outcomes and SLA."""
        return list(self._ctx.catalog.kinds.values())

    def create(self, customer_id: Any, kind: str, *, outcome: str | None = None, occurred_at: Any = None,
               note: str | None = None, **fields: Any) -> Activity:
        """Log an activity of `kind` with its own `fields` (validated by the database against
        the kind's schema). Opens or meets SLAs by the pack's rules; a product-test feedback
        moves its sample to FEEDBACK_<outcome>. Commits; appends `activity.created` (and, by
        kind, e.g. `roi.consultation.updated`). One round trip (sql/definitions/12_activities.sql)."""
        # `...` (as in `roi_scenario_id=...`) and None mean "not given".
        data = jsonable({k: v for k, v in fields.items() if v is not None and v is not Ellipsis})
        answer = self._ctx.call(
            "create_activity", customer=as_uuid(customer_id, "customer_id"), kind=maybe_text(kind, "kind"),
            outcome=maybe_text(outcome, "outcome"), data=Json(data),
            occurred_at=as_moment(occurred_at, "occurred_at") if occurred_at is not None else None,
            note=maybe_text(note, "note"))
        return self._activity(record(_Written, answer))

    def get(self, activity_id: Any) -> Activity:
        aid = as_uuid(activity_id, "activity_id")
        with self._ctx.read() as conn:
            found = self._page(conn, [activities_table.c.id == aid], 1)
        if not found:
            raise NotFound(f"Activity {aid} does not exist or is not visible to you.")
        return found[0]

    def list(self, customer_id: Any, kind: Any = None, from_: Any = None, to: Any = None, q: str | None = None,
             limit: int = 50, cursor: str | None = None) -> Page[Activity]:
        """A customer's activities, newest first, in keyset pages; filters by kind, time and text."""
        cid = as_uuid(customer_id, "customer_id")
        limit = paging.check_limit(limit, maximum=500)
        a = activities_table.c
        clauses: list[Any] = [a.customer_id == cid]
        described: dict[str, Any] = {"customer": str(cid)}
        if kind is not None:
            kinds = many_of(kind, "kind", self._ctx.catalog.kinds)
            clauses.append(a.kind.in_(kinds))
            described["kind"] = sorted(kinds)
        if from_ is not None:
            start = _bound(from_, "from_")
            clauses.append(a.occurred_at >= start)
            described["from"] = start.isoformat()
        if to is not None:
            end = _bound(to, "to", end=True)
            clauses.append(a.occurred_at < end)
            described["to"] = end.isoformat()
        if q is not None:
            text = as_text(q, "q", required=False, max_length=200)
            if text:
                pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
                clauses.append(sa.or_(a.note.ilike(pattern), sa.cast(a.data, sa.Text).ilike(pattern), a.outcome.ilike(pattern)))
                described["q"] = text
        fingerprint = paging.fingerprint(described)
        if cursor is not None:
            position = paging.decode(cursor, fingerprint)
            try:
                last = (datetime.fromisoformat(position["at"]), uuid.UUID(position["id"]))
            except (KeyError, TypeError, ValueError):
                raise ValidationError("The page cursor is malformed.", errors={"cursor": "not a cursor of this list"}) from None
            clauses.append(sa.tuple_(a.occurred_at, a.id) < last)
        with self._ctx.read() as conn:
            if conn.execute(sa.text("SELECT 1 FROM accounts WHERE id = :id"), {"id": cid}).first() is None:
                raise NotFound(f"Customer {cid} does not exist or is not visible to you.")
            rows = self._page(conn, clauses, limit + 1)
        next_cursor = None
        if len(rows) > limit:
            rows = rows[:limit]
            next_cursor = paging.encode(fingerprint, {"at": rows[-1].occurred_at.isoformat(), "id": str(rows[-1].id)})
        return Page(tuple(rows), next_cursor)

    def slas(self, customer_id: Any) -> list[slas.Sla]:
        """A customer's SLAs, open ones first by due date."""
        cid = as_uuid(customer_id, "customer_id")
        today = calendar.today()
        with self._ctx.read() as conn:
            return [slas.from_row(r, today) for r in conn.execute(slas.SELECT, {"id": cid})]

    def _page(self, conn, clauses: list[Any], limit: int) -> list[Activity]:
        a = activities_table.c
        opened = slas_table.alias("opened")
        stmt = (
            sa.select(a.id, a.customer_id, a.kind, a.occurred_at, a.outcome, a.note, a.data, a.sample_id,
                      a.roi_scenario_id, users.c.display_name.label("created_by_name"), a.created_at,
                      opened.c.due_date, opened.c.status)
            .select_from(activities_table
                         .outerjoin(users, users.c.id == a.created_by)
                         .outerjoin(opened, opened.c.opened_by_activity_id == a.id))
            .where(*clauses)
            .order_by(a.occurred_at.desc(), a.id.desc())
            .limit(limit)
        )
        return [self._activity(_Written(r.id, r.customer_id, r.kind, r.occurred_at, r.outcome, r.note, r.data,
                                        r.sample_id, r.roi_scenario_id, r.created_by_name, r.created_at, r.due_date,
                                        r.status))
                for r in conn.execute(stmt)]

    @staticmethod
    def _activity(w: _Written) -> Activity:
        return Activity(w.id, w.customer_id, w.kind, w.occurred_at, w.outcome, w.note, w.data, w.sample_id,
                        w.roi_scenario_id, w.created_by_name, w.created_at, w.sla_due, w.sla_status,
                        badge(w.sla_due, status=w.sla_status, today=calendar.today()) if w.sla_status else None)


def _bound(value: Any, field: str, *, end: bool = False) -> datetime:
    """A time bound; a date means the whole day (so `to=date` includes that day)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        day = value + timedelta(days=1) if end else value
        return datetime.combine(day, datetime.min.time(), tzinfo=calendar.BUSINESS_TZ)
    return as_moment(value, field)

