"""The customer grid's query: filters on the hot projection, keyset pages, access scopes.

A page is one index walk on cm_customer_hot_proj. Row-level security decides
what a person sees; the "scope branches" below only tell the planner where
those rows are. RLS hands it `owner_id = $1 OR (shared AND chain_id IN (...))`
with values it cannot see at planning time, so for a sales rep who sees 1 % of a
million customers it walks the whole name index and filters. Restating the scope
as a UNION ALL of branches, each an index walk in sort order (the rep's own
customers by (owner_id, name); a chain's locations by (chain_id, name)), lets
every branch stop after one page. The branches never widen anything: RLS still
applies to each of them.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from services.service_layer import grid_words, paging
from services.service_layer.access import ADMIN, CHAIN_MANAGER, SALES_REP, TEAM_LEAD
from services.service_layer.coerce import as_bool, as_date, as_int, as_uuid, many_of, one_of
from services.service_layer.context import Context
from services.errors import ValidationError
from services.service_layer.paging import Page
from services.rules import calendar, sla
from services.rules.workflow import STATUSES
from services.adapters.tables import hot_proj, users

ROI_BUCKETS = ("LOW", "MID", "HIGH")


@dataclass(frozen=True)
class CustomerRow:
    """One line of the customer grid: account columns and the hot fields."""

    id: uuid.UUID
    name: str
    city: str | None
    region: str
    owner_id: uuid.UUID | None
    owner_name: str | None
    chain_id: uuid.UUID | None
    chain_name: str | None
    is_chain: bool
    sample_status: str | None
    sample_last_event_at: datetime | None
    roi_bucket: str | None
    roi_value: Decimal | None
    decision_maker_count: int | None
    has_exec_alignment: bool | None
    season_start: date | None
    season_end: date | None
    renewal_date: date | None
    exclusivity: bool | None
    sla_due: date | None
    sla_badge: str | None


# Sort keys of the grid; each has an index (column, customer_id) for keyset paging.
SORTABLE = {
    "name": hot_proj.c.name,
    "city": hot_proj.c.city,
    "roi_value": hot_proj.c.roi_value,
    "renewal_date": hot_proj.c.renewal_date,
    "season_start": hot_proj.c.season_start,
    "sample_last_event_at": hot_proj.c.sample_last_event_at,
    "decision_maker_count": hot_proj.c.decision_maker_count,
}
NOT_NULL_SORTS = {"name"}

# What a grid row needs (not the search vector), in the order _row unpacks it: by
# position, as a SQLAlchemy Row's attributes cost a microsecond each (1 ms a page).
_COLUMNS = [hot_proj.c[name] for name in (
    "customer_id", "name", "city", "region", "owner_id", "chain_id", "chain_name", "is_chain", "sample_status",
    "sample_last_event_at", "roi_bucket", "roi_value", "decision_maker_count", "has_exec_alignment",
    "season_start", "season_end", "renewal_date", "exclusivity", "sla_due")]

_WORD = re.compile(r"\w+", re.UNICODE)

# A sales rep's page, planned once per statement text and connection:
# * The planner multiplies the branch's `owner_id = me` with the RLS policy's
#   `owner_id = $1 OR ...` as if independent, expects a few dozen rows instead of
#   thousands, and picks a bitmap scan plus sort over all of the rep's rows
#   (100 ms at a million customers) over the ordered index walk that stops
#   after one page (0.3 ms). The rep's indexes carry the search words, so a
#   full-text filter needs no bitmap (GIN) either.
# * Its shape (index walks per scope branch) does not depend on the filter values,
#   and planning it under row-level security costs 3 ms, more than running it.
# One round trip for both settings.
_REP_PLANNING = sa.text("SELECT set_config('enable_bitmapscan', 'off', true), "
                        "set_config('plan_cache_mode', 'force_generic_plan', true)")
_UUIDS = postgresql.ARRAY(postgresql.UUID(as_uuid=True))


def page(ctx: Context, filters: "Filters", *, sort: str, limit: int, cursor: str | None) -> Page[CustomerRow]:
    """Fetches one extra row to know whether a next page exists (COUNT costs far more)."""
    limit = paging.check_limit(limit)
    key, descending = parse_sort(sort)
    fingerprint = paging.fingerprint({"filters": filters.describe, "sort": sort})
    position = paging.decode(cursor, fingerprint) if cursor is not None else None
    column = SORTABLE[key]
    id_col = hot_proj.c.customer_id

    # Customers without a value for the sort key come last, in id order: a
    # second phase, so each phase is one ordered index range.
    rows: list[Any] = []
    with ctx.read() as conn:
        if ctx.actor.role == SALES_REP:
            conn.execute(_REP_PLANNING)
        phase = (position or {}).get("phase", "values")
        if phase == "values":
            conditions = list(filters.clauses)
            if key not in NOT_NULL_SORTS:
                conditions.append(column.isnot(None))
            after = None
            if position is not None:
                after = (_sort_value(key, position.get("v")), as_uuid(position.get("id"), "cursor"))
            order = [(column.name, descending), ("customer_id", descending)]
            words = _words_to_walk(ctx, conn, filters, key)
            if words:
                keys = grid_words.page_keys(words, conditions, after=after, descending=descending, limit=limit + 1)
                rows = _fetch(conn, _rows_of(keys), order, limit + 1)
            elif words is not None:
                rows = []   # no customer the person reads has a word starting with the search word
            else:
                if after is not None:
                    bound = sa.tuple_(column, id_col)
                    conditions.append(bound < after if descending else bound > after)
                rows = _fetch(conn, _scoped(ctx, conditions, order=order, limit=limit + 1), order, limit + 1)
            if len(rows) <= limit and key not in NOT_NULL_SORTS:
                position, phase = None, "nulls"
        if phase == "nulls" and len(rows) <= limit:
            conditions = [*filters.clauses, column.is_(None)]
            if position is not None:
                last_id = as_uuid(position.get("id"), "cursor")
                conditions.append(id_col < last_id if descending else id_col > last_id)
            order, rest = [("customer_id", descending)], limit + 1 - len(rows)
            rows += _fetch(conn, _scoped(ctx, conditions, order=order, limit=rest), order, rest)
        # psycopg forgets its prepared statements on ROLLBACK (what closing a
        # connection does); ending the read with COMMIT keeps them, so the next
        # page skips parsing and, as a sales rep, planning.
        conn.commit()

    today = calendar.today()
    items = tuple(_row(r, today) for r in rows[:limit])
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        value = getattr(last, key)
        position = {"phase": "values" if value is not None else "nulls", "v": _jsonable_key(value),
                    "id": str(last.customer_id)}
        next_cursor = paging.encode(fingerprint, position)
    return Page(items, next_cursor)


def count(ctx: Context, filters: "Filters") -> int:
    with ctx.read() as conn:
        scoped = _scoped(ctx, list(filters.clauses), order=None, limit=None)
        return int(conn.execute(sa.select(sa.func.count()).select_from(scoped)).scalar_one())


def _words_to_walk(ctx: Context, conn, filters: "Filters", key: str) -> tuple[str, ...] | None:
    """The words to walk for a full-text page (services/service_layer/grid_words.py), or None for the scope branches.

    A sales rep's and a chain manager's branches already walk few rows (the rep's
    own customers, the manager's chains), checking the search on index entries.
    """
    if filters.search is None or key != "name" or ctx.actor.role not in (ADMIN, TEAM_LEAD):
        return None
    return grid_words.words_to_walk(conn, filters.search)


def _fetch(conn, rows: sa.Subquery, order: list[tuple[str, bool]], limit: int) -> list[Any]:
    stmt = (
        sa.select(rows, users.c.display_name.label("owner_name"))
        .select_from(rows.outerjoin(users, users.c.id == rows.c.owner_id))
        .order_by(*_order(rows, order))
        .limit(limit)
    )
    return list(conn.execute(stmt))


def _scoped(ctx: Context, conditions: list[Any], *, order, limit) -> sa.Subquery:
    """The matching projection rows as a subquery, split into the person's scope branches."""
    p = hot_proj.c

    def branch(*scope: Any, columns=_COLUMNS) -> sa.Select:
        stmt = sa.select(*columns).where(*scope, *conditions)
        return stmt.order_by(*_order(hot_proj, order)).limit(limit) if order else stmt

    role = ctx.actor.role
    me = sa.select(sa.func.steward_rep_id()).scalar_subquery()
    if role == SALES_REP:
        def siblings(*bound: Any, columns=_COLUMNS) -> sa.Select:
            chains = sa.cast(sa.select(sa.func.steward_rep_chains()).scalar_subquery(), _UUIDS)
            return branch(p.chain_id == sa.any_(chains), p.shared, sa.not_(p.is_chain),
                          p.owner_id.is_distinct_from(me), *bound, columns=columns)

        if not order:
            return sa.union_all(branch(p.owner_id == me), siblings()).subquery("scoped")
        return _rep_page(lambda columns: branch(p.owner_id == me, columns=columns), siblings, order, limit)
    if role == CHAIN_MANAGER:
        return _per_chain(sa.func.steward_managed_chains(), lambda chain: branch(p.chain_id == chain)).subquery("scoped")
    if role == TEAM_LEAD:
        return branch(p.region == sa.select(sa.func.steward_lead_region()).scalar_subquery()).subquery("scoped")
    return branch().subquery("scoped")


def _rep_page(own_branch, siblings, order, limit: int) -> sa.Subquery:
    """A sales rep's page: their own customers, then the shared siblings that can still make it.

    A rep with locations in a thousand chains would otherwise read every chain's
    siblings (15,000 rows at a million customers, 30–300 ms). When the rep's own
    customers already fill the page, a sibling sorting after the last of them
    cannot make it, so the siblings are read only up to that row: one index scan
    over the rep's chains (`chain_id = ANY`, a descent per chain) that finds a
    handful. One statement, so both parts see one snapshot; the gates on `full`
    are constant for the statement, and PostgreSQL runs only the branch that applies.

    The branches pick only the page's keys, from indexes that carry the filter
    columns (sql/migrations/0008), so a filter that matches few of the rep's
    customers is checked on index entries instead of thousands of heap rows;
    the page's rows are read by primary key at the end.
    """
    keys = [hot_proj.c[name] for name, _ in order if name != "customer_id"] + [hot_proj.c.customer_id]
    own = own_branch(keys).cte("own").prefix_with("MATERIALIZED")
    full = sa.select(sa.func.count()).select_from(own).scalar_subquery() >= limit
    last = [sa.select(own.c[name]).order_by(*_order(own, order, reverse=True)).limit(1).scalar_subquery()
            for name, _ in order]
    sort_keys = sa.tuple_(*(hot_proj.c[name] for name, _ in order))
    bound = sort_keys >= sa.tuple_(*last) if order[0][1] else sort_keys <= sa.tuple_(*last)
    candidates = sa.union_all(sa.select(*own.c), siblings(bound, columns=keys).where(full),
                              siblings(columns=keys).where(sa.not_(full))).subquery("candidates")
    page_keys = (sa.select(candidates.c.customer_id).order_by(*_order(candidates, order)).limit(limit)
                 .subquery("page_keys"))
    return _rows_of(page_keys)


def _rows_of(page_keys: sa.Subquery) -> sa.Subquery:
    """The projection rows of a page's keys, read by primary key (under row-level security)."""
    return (sa.select(*_COLUMNS)
            .select_from(hot_proj.join(page_keys, page_keys.c.customer_id == hot_proj.c.customer_id))
            .subquery("scoped"))


def _per_chain(chains_fn, branch_for) -> sa.Select:
    """One branch per chain id the function returns, joined laterally (each an index walk)."""
    chains = sa.func.unnest(sa.select(chains_fn).scalar_subquery()).table_valued("chain_id").render_derived("chains")
    inner = branch_for(chains.c.chain_id).lateral("in_chain")
    return sa.select(*inner.c).select_from(chains.join(inner, sa.true()))


def _order(source, order, *, reverse: bool = False):
    return [source.c[name].desc() if descending != reverse else source.c[name] for name, descending in order]


def parse_sort(sort: Any) -> tuple[str, bool]:
    if not isinstance(sort, str):
        raise ValidationError("The sort order must be a column name.", errors={"sort": "must be text"})
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    one_of(key, "sort", SORTABLE)
    return key, descending


def _sort_value(key: str, raw: Any) -> Any:
    try:
        if key in ("renewal_date", "season_start"):
            return date.fromisoformat(raw)
        if key == "sample_last_event_at":
            return datetime.fromisoformat(raw)
        if key == "roi_value":
            return Decimal(raw)
        if key == "decision_maker_count":
            return int(raw)
        if not isinstance(raw, str):
            raise ValueError
        return raw
    except (TypeError, ValueError, ArithmeticError):
        raise ValidationError("The page cursor is malformed.", errors={"cursor": "not a cursor of this list"}) from None


def _row(r: Any, today: date) -> CustomerRow:
    """A grid line from a row of _fetch: _COLUMNS, then the owner's name."""
    (customer_id, name, city, region, owner_id, chain_id, chain_name, is_chain, sample_status, sample_last_event_at,
     roi_bucket, roi_value, decision_maker_count, has_exec_alignment, season_start, season_end, renewal_date,
     exclusivity, sla_due, owner_name) = r
    return CustomerRow(
        id=customer_id, name=name, city=city, region=region, owner_id=owner_id, owner_name=owner_name,
        chain_id=chain_id, chain_name=chain_name, is_chain=is_chain, sample_status=sample_status,
        sample_last_event_at=sample_last_event_at, roi_bucket=roi_bucket, roi_value=roi_value,
        decision_maker_count=decision_maker_count, has_exec_alignment=has_exec_alignment,
        season_start=season_start, season_end=season_end, renewal_date=renewal_date, exclusivity=exclusivity,
        sla_due=sla_due, sla_badge=sla.badge(sla_due, today=today),
    )


def _jsonable_key(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def looks_like_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
        return True
    except ValueError:
        return False


@dataclass(frozen=True)
class Filters:
    """The grid's filters as SQL clauses on the projection, and a canonical description for cursors."""

    clauses: tuple[Any, ...]
    describe: dict[str, Any]
    search: str | None = None    # the words of `q`, for the word walk (services/service_layer/grid_words.py)

    @classmethod
    def build(cls, ctx: Context, *, sample_status: Any = None, roi_bucket: Any = None, season_from: Any = None,
              season_to: Any = None, renewal_before: Any = None, exclusivity: Any = None,
              decision_maker_count_min: Any = None, q: str | None = None, region: Any = None,
              owner: Any = None, chain_id: Any = None, customer_ids: Any = None) -> "Filters":
        p = hot_proj.c
        clauses: list[Any] = []
        described: dict[str, Any] = {}
        search = None
        if sample_status is not None:
            statuses = many_of(sample_status, "sample_status", STATUSES)
            clauses.append(p.sample_status.in_(statuses))
            described["sample_status"] = sorted(statuses)
        if roi_bucket is not None:
            buckets = many_of(roi_bucket, "roi_bucket", ROI_BUCKETS)
            clauses.append(p.roi_bucket.in_(buckets))
            described["roi_bucket"] = sorted(buckets)
        # A season window matches when it overlaps [season_from, season_to].
        if season_from is not None:
            d = as_date(season_from, "season_from")
            clauses.append(p.season_end >= d)
            described["season_from"] = d.isoformat()
        if season_to is not None:
            d = as_date(season_to, "season_to")
            clauses.append(p.season_start <= d)
            described["season_to"] = d.isoformat()
        if renewal_before is not None:
            d = as_date(renewal_before, "renewal_before")
            clauses.append(p.renewal_date < d)
            described["renewal_before"] = d.isoformat()
        if exclusivity is not None:
            clauses.append(p.exclusivity.is_(as_bool(exclusivity, "exclusivity")))
            described["exclusivity"] = exclusivity
        if decision_maker_count_min is not None:
            n = as_int(decision_maker_count_min, "decision_maker_count_min", minimum=0)
            clauses.append(p.decision_maker_count >= n)
            described["decision_maker_count_min"] = n
        if q is not None:
            if not isinstance(q, str):
                raise ValidationError("The search text must be text.", errors={"q": "must be text"})
            words = _WORD.findall(q.lower())[:8]
            if words:
                # Word-prefix search over name and city ("kant ham" finds "Kantine Nord, Hamburg").
                query = " & ".join(f"{w}:*" for w in words)
                # Parsed once per statement (a generic plan would otherwise parse it per row).
                tsquery = sa.select(sa.func.to_tsquery(sa.literal_column("'simple'"), query)).scalar_subquery()
                clauses.append(p.search.bool_op("@@")(tsquery))
                described["q"] = query
                search = " ".join(words)
        if region is not None:
            regions = many_of(region, "region", ctx.catalog.regions)
            clauses.append(p.region.in_(regions))
            described["region"] = sorted(regions)
        if owner is not None:
            if isinstance(owner, uuid.UUID) or (isinstance(owner, str) and looks_like_uuid(owner)):
                clauses.append(p.owner_id == as_uuid(owner, "owner"))
            elif isinstance(owner, str) and owner:
                clauses.append(p.owner_id == sa.select(users.c.id).where(users.c.login == owner).scalar_subquery())
            else:
                raise ValidationError("The owner must be a user id or login.", errors={"owner": "must be a user id or login"})
            described["owner"] = str(owner)
        if chain_id is not None:
            cid = as_uuid(chain_id, "chain_id")
            clauses.append(p.chain_id == cid)
            described["chain_id"] = str(cid)
        if customer_ids is not None:
            # The customers behind a cockpit chart's point (svc.kpis.grid_filter).
            if isinstance(customer_ids, (str, bytes)) or not hasattr(customer_ids, "__iter__"):
                raise ValidationError("customer_ids must be a list of ids.", errors={"customer_ids": "must be a list"})
            ids = sorted({as_uuid(v, "customer_ids") for v in customer_ids})
            clauses.append(p.customer_id == sa.any_(sa.literal(ids, type_=postgresql.ARRAY(postgresql.UUID(as_uuid=True)))))
            described["customer_ids"] = paging.fingerprint({"ids": [str(i) for i in ids]})
        return cls(tuple(clauses), described, search)


