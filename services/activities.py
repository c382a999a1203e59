"""The activity engine: typed activities driven by the domain pack's type dictionary."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from services import paging, slas
from services.coerce import as_moment, as_text, as_uuid, jsonable, many_of
from services.context import Context
from services.errors import NotFound, ValidationError
from services.guards import lock_customer
from services.pack import ActivityKind, b2b_food
from services.pack.hooks import ActivityHooks
from services.paging import Page
from services.database import dumps
from services.rules import calendar
from services.rules.sla import badge
from services.rules.validation import schema_errors
from services.tables import activities as activities_table
from services.tables import slas as slas_table
from services.tables import users

CLOCK_SKEW = timedelta(minutes=5)


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


class ActivityService:
    def __init__(self, ctx: Context, hooks: ActivityHooks):
        self._ctx = ctx
        self._hooks = hooks

    def kinds(self) -> list[ActivityKind]:
        """The type dictionary: each kind with its fields, outcomes and SLA."""
        return list(self._ctx.catalog.kinds.values())

    def create(self, customer_id: Any, kind: str, *, outcome: str | None = None, occurred_at: Any = None,
               note: str | None = None, **fields: Any) -> Activity:
        """Log an activity of `kind` with its own `fields` (validated against the kind's schema).

        Opens or meets SLAs by the pack's rules; a product-test feedback moves
        its sample to FEEDBACK_<outcome>. Commits; appends `activity.created`
        (and, by kind, e.g. `roi.consultation.updated`).
        """
        cid = as_uuid(customer_id, "customer_id")
        definition = self._ctx.catalog.kinds.get(kind) if isinstance(kind, str) else None
        if definition is None:
            raise ValidationError(f"There is no activity kind '{kind}'.",
                                  errors={"kind": f"must be one of {', '.join(self._ctx.catalog.kinds)}"})
        errors: dict[str, str] = {}
        if outcome not in definition.outcomes:
            errors["outcome"] = f"must be one of {', '.join(definition.outcomes)}"
        # `...` (as in `roi_scenario_id=...`) and None mean "not given".
        data = jsonable({k: v for k, v in fields.items() if v is not None and v is not Ellipsis})
        errors.update(schema_errors(definition.fields_schema, data, prefix=""))
        errors.update(b2b_food.activity_errors(kind, data))
        note = as_text(note, "note", required=False, max_length=10000)
        moment = as_moment(occurred_at, "occurred_at") if occurred_at is not None else None
        if errors:
            raise ValidationError(f"This {definition.label} is not valid; nothing was saved.", errors=errors)

        with self._ctx.write() as uow:
            lock_customer(uow.conn, cid, "log activities for it")
            now = uow.execute("SELECT now()").scalar_one()
            moment = moment or now
            if moment > now + CLOCK_SKEW:
                raise ValidationError("The activity lies in the future.", errors={"occurred_at": "in the future"})
            data = self._hooks.prepare(uow, cid, kind, data)
            activity_id = uow.execute(
                "INSERT INTO activities (customer_id, kind, occurred_at, outcome, note, data, sample_id, roi_scenario_id, created_by) "
                "VALUES (:c, :k, :at, :o, :n, CAST(:d AS jsonb), :s, :r, :by) RETURNING id",
                {"c": cid, "k": kind, "at": moment, "o": outcome, "n": note, "d": dumps(data),
                 "s": data.get("sample_id"), "r": data.get("roi_scenario_id"), "by": self._ctx.actor.user_id},
            ).scalar_one()
            self._hooks.after(uow, cid, activity_id, kind, outcome, moment, data)
            hot = uow.execute("SELECT renewal_date, season_end FROM cm_customer_hot_proj WHERE customer_id = :id",
                              {"id": cid}).mappings().first() or {}
            effects = b2b_food.on_activity(definition, outcome=outcome, occurred_at=moment, data=data,
                                           open_slas=slas.open_for_customer(uow, cid), customer_hot=hot)
            slas.apply(uow, cid, effects, at=moment, activity_id=activity_id)
            uow.emit("activity.created", {
                "activityId": str(activity_id), "customerId": str(cid), "kind": kind,
                "occurredAt": moment.isoformat(), "outcome": outcome,
            }, customer_id=cid)
            return self._page(uow.conn, [activities_table.c.id == activity_id], 1)[0]

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
        today = calendar.today()
        return [
            Activity(r.id, r.customer_id, r.kind, r.occurred_at, r.outcome, r.note, r.data, r.sample_id,
                     r.roi_scenario_id, r.created_by_name, r.created_at, r.due_date, r.status,
                     badge(r.due_date, status=r.status, today=today) if r.status else None)
            for r in conn.execute(stmt)
        ]


def _bound(value: Any, field: str, *, end: bool = False) -> datetime:
    """A time bound; a date means the whole day (so `to=date` includes that day)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        day = value + timedelta(days=1) if end else value
        return datetime.combine(day, datetime.min.time(), tzinfo=calendar.BUSINESS_TZ)
    return as_moment(value, field)

