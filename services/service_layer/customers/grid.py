"""The customer grid's pages: filters on the hot projection, keyset pages, access scopes.

A page is one index walk on cm_customer_hot_proj: customers/filters.py says what a
filter and a sort key mean, customers/scope.py where a person's customers are, and
customers/words.py walks the search words for a full-text page.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from services.adapters.tables import users
from services.service_layer import paging
from services.service_layer.access import ADMIN, SALES_REP, TEAM_LEAD
from services.service_layer.coerce import as_uuid
from services.service_layer.context import Context
from services.service_layer.customers import words as grid_words
from services.service_layer.customers import writable
from services.service_layer.customers.filters import NOT_NULL_SORTS, Filters, parse_sort, sort_value
from services.service_layer.customers.rows import CustomerRow, Shape, shape
from services.service_layer.customers.scope import order_by, rows_of, scoped
from services.service_layer.paging import Page
from services.rules import calendar, sla

_UUIDS = postgresql.ARRAY(postgresql.UUID(as_uuid=True))

# A sales rep's page, planned once per statement text and connection:
# * The planner multiplies the branch's `owner_id = me` with the RLS policy's
#   `owner_id = $1 OR ...` as if independent, expects a few dozen rows instead of
#   thousands, and picks a bitmap scan plus sort over all of the rep's rows
#   (100 ms at a million customers) over the ordered index walk that stops
#   after one page (0.3 ms). The rep's indexes carry the search words, so a
#   full-text filter needs no bitmap (GIN) either.
# * Its shape (index walks per scope branch) does not depend on the filter values,
#   and planning it under row-level security costs 3 ms, more than running it.
# Sessions of their own have these settings from the login (Context._planned): the page is then
# one round trip, where setting them for its transaction takes three (BEGIN with them, COMMIT).
_REP_PLANNING = {"enable_bitmapscan": "off", "plan_cache_mode": "force_generic_plan"}


def page(ctx: Context, filters: Filters, *, sort: str, limit: int, cursor: str | None) -> Page[CustomerRow]:
    """Fetches one extra row to know whether a next page exists (COUNT costs far more)."""
    limit = paging.check_limit(limit)
    key, descending = parse_sort(ctx.catalog, sort)
    fingerprint = paging.fingerprint({"filters": filters.describe, "sort": sort})
    position = paging.decode(cursor, fingerprint) if cursor is not None else None
    sh = shape(ctx.catalog)
    column = sh.table.c[key]
    id_col = sh.table.c.customer_id

    # Customers without a value for the sort key come last, in id order: a
    # second phase, so each phase is one ordered index range.
    rows: list[Any] = []
    may_change: set = set()      # of the rows read, those the person may change (steward_api.writable_customers)
    # Named customers are rows re-read after a change (a save, a notification): from the primary.
    named = "customer_ids" in filters.describe
    planning = _REP_PLANNING if ctx.actor.role == SALES_REP else None
    with (ctx.read if named else ctx.read_replica)(settings=planning) as conn:
        phase = (position or {}).get("phase", "values")
        if phase == "values":
            conditions = list(filters.clauses)
            if key not in NOT_NULL_SORTS:
                conditions.append(column.isnot(None))
            after = None
            if position is not None:
                after = (sort_value(ctx.catalog, key, position.get("v")), as_uuid(position.get("id"), "cursor"))
            order = [(column.name, descending), ("customer_id", descending)]
            words = _words_to_walk(ctx, conn, filters, key)
            if words:
                keys = grid_words.page_keys(sh.table, words, conditions, after=after, descending=descending,
                                            limit=limit + 1)
                rows = _fetch(conn, rows_of(sh, keys), order, limit + 1, may_change)
            elif words is not None:
                rows = []   # no customer the person reads has a word starting with the search word
            else:
                if after is not None:
                    bound = sa.tuple_(column, id_col)
                    conditions.append(bound < after if descending else bound > after)
                rows = _fetch(conn, scoped(ctx, sh, conditions, order=order, limit=limit + 1), order, limit + 1,
                              may_change)
            if len(rows) <= limit and key not in NOT_NULL_SORTS:
                position, phase = None, "nulls"
        if phase == "nulls" and len(rows) <= limit:
            conditions = [*filters.clauses, column.is_(None)]
            if position is not None:
                last_id = as_uuid(position.get("id"), "cursor")
                conditions.append(id_col < last_id if descending else id_col > last_id)
            order, rest = [("customer_id", descending)], limit + 1 - len(rows)
            rows += _fetch(conn, scoped(ctx, sh, conditions, order=order, limit=rest), order, rest, may_change)

    today = calendar.today()
    items = tuple(_row(ctx, sh, r, today, r[0] in may_change) for r in rows[:limit])
    next_cursor = None
    if len(rows) > limit:
        last = items[-1]
        value = last.id if key == "customer_id" else (getattr(last, key))
        position = {"phase": "values" if value is not None else "nulls", "v": _jsonable_key(value),
                    "id": str(last.id)}
        next_cursor = paging.encode(fingerprint, position)
    return Page(items, next_cursor)


def ids(ctx: Context, filters: Filters, *, most: int) -> list[Any]:
    """The ids of the customers that match, up to `most` (for a bulk change over a filter)."""
    sh = shape(ctx.catalog)
    with ctx.read() as conn:
        matching = scoped(ctx, sh, list(filters.clauses), order=None, limit=None)
        return list(conn.execute(sa.select(matching.c.customer_id).limit(most)).scalars())


def count(ctx: Context, filters: Filters) -> int:
    sh = shape(ctx.catalog)
    with ctx.read_replica() as conn:
        matching = scoped(ctx, sh, list(filters.clauses), order=None, limit=None)
        return int(conn.execute(sa.select(sa.func.count()).select_from(matching)).scalar_one())


def _words_to_walk(ctx: Context, conn, filters: Filters, key: str) -> tuple[str, ...] | None:
    """The words to walk for a full-text page (customers/words.py), or None for the scope branches.

    A sales rep's and a chain manager's branches already walk few rows (the rep's
    own customers, the manager's chains), checking the search on index entries.
    """
    if filters.search is None or key != "name" or ctx.actor.role not in (ADMIN, TEAM_LEAD):
        return None
    return grid_words.words_to_walk(conn, filters.search)


def _fetch(conn, rows: sa.Subquery, order: list[tuple[str, bool]], limit: int, may_change: set) -> list[Any]:
    """The page's rows (the shape's columns, then the owner's name); the ids of those the person
    may change go into `may_change`, asked of the database in the same statement (one round trip)."""
    page = (
        sa.select(rows, users.c.display_name.label("owner_name"))
        .select_from(rows.outerjoin(users, users.c.id == rows.c.owner_id))
        .order_by(*order_by(rows, order))
        .limit(limit)
    ).cte("page")
    writable_ids = sa.select(sa.func.steward_api.writable_customers(sa.func.array_agg(page.c.customer_id))
                             ).scalar_subquery()
    stmt = sa.select(page, page.c.customer_id == sa.any_(sa.cast(writable_ids, _UUIDS))).order_by(*order_by(page, order))
    fetched = []
    for r in conn.execute(stmt):
        if r[-1]:
            may_change.add(r[0])
        fetched.append(r[:-1])
    return fetched


def _row(ctx: Context, sh: Shape, r: Any, today: date, may_change: bool) -> CustomerRow:
    """A grid line from a row of _fetch: the shape's columns, then the owner's name; whether the
    person may change it, and if not why."""
    sla_due = r[len(sh.columns) - len(sh.hot) - 1]
    why = None
    if not may_change:
        # customer_id, name, city, region, owner_id, chain_id, chain_name, is_chain (rows.CORE)
        why = writable.reason(ctx.actor.role, owner_name=r[-1], chain_name=r[6], is_chain=r[7], region=r[3],
                              regions=ctx.catalog.regions)
    return sh.row(r, r[-1], sla.badge(sla_due, today=today), may_change, why)


def _jsonable_key(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value
