"""Focus lists: the customers that need doing something soon, as keyset pages of the hot projection."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from services.service_layer import paging

from services import paths
from services.errors import ValidationError
from services.service_layer.kpis.reports import Scope
from services.service_layer.paging import Page
from services.rules import sla
from services.rules.calendar import local_date


@dataclass(frozen=True)
class FocusRow:
    customer_id: uuid.UUID
    name: str
    city: str | None
    region: str
    owner_name: str | None
    chain_name: str | None
    date: date                       # SLA due, delivery, contract renewal or season start
    days: int                        # date - today: below zero it lies in the past
    detail: str | None               # SLA badge (OVERDUE, DUE_SOON), feedback due date, "exclusive" or season end


@dataclass(frozen=True)
class FocusList:
    query: str
    window: dict[str, Any]           # the query's parameters that bound the list


def focus_page(conn: Connection, focus: FocusList, scope: Scope, *, today: date, limit: int,
               cursor: str | None) -> Page[FocusRow]:
    """One page, soonest first; fetches one extra row to know whether another page follows."""
    fingerprint = paging.fingerprint({"list": focus.query, "window": focus.window, "scope": scope.params})
    after = after_id = None
    if cursor is not None:
        position = paging.decode(cursor, fingerprint)
        try:
            after = _position_value(position["at"])
            after_id = uuid.UUID(position["id"])
        except (KeyError, TypeError, ValueError):
            raise ValidationError("The page cursor is malformed.", errors={"cursor": "not a cursor of this list"}) from None
    rows = conn.execute(sa.text(paths.query(focus.query)), {
        **scope.params, **focus.window, "after": after, "after_id": after_id, "limit": limit + 1}).all()
    items = tuple(_row(r, today, focus.query == "focus_slas") for r in rows[:limit])
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        next_cursor = paging.encode(fingerprint, {"at": last.date.isoformat(), "id": str(last.customer_id)})
    return Page(items, next_cursor)


def _row(r: Any, today: date, sla_list: bool) -> FocusRow:
    day = local_date(r.date) if isinstance(r.date, datetime) else r.date
    detail = sla.badge(day, today=today) if sla_list else r.detail
    return FocusRow(r.customer_id, r.name, r.city, r.region, r.owner_name, r.chain_name, day, (day - today).days,
                    detail)


def _position_value(raw: str) -> date | datetime:
    # A timestamp for the delivery list, a date for the others.
    return datetime.fromisoformat(raw) if "T" in raw else date.fromisoformat(raw)


def to_frame(page: Page[FocusRow]):
    import pandas as pd

    columns = ["customer_id", "name", "city", "region", "owner_name", "chain_name", "date", "days", "detail"]
    return pd.DataFrame.from_records([[getattr(r, c) for c in columns] for r in page.items], columns=columns)
