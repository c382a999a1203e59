"""Where a person's customers are, told to the planner: the scope branches of a grid page.

Row-level security decides what a person sees; the "scope branches" below only tell the
planner where those rows are. RLS hands it `owner_id = $1 OR (shared AND chain_id IN
(...))` with values it cannot see at planning time, so for a sales rep who sees 1 % of a
million customers it walks the whole name index and filters. Restating the scope as a
UNION ALL of branches, each an index walk in sort order (the rep's own customers by
(owner_id, name); a chain's locations by (chain_id, name)), lets every branch stop after
one page. The branches never widen anything: RLS still applies to each of them.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from services.service_layer.access import CHAIN_MANAGER, SALES_REP, TEAM_LEAD
from services.service_layer.context import Context
from services.service_layer.customers.rows import Shape

_UUIDS = postgresql.ARRAY(postgresql.UUID(as_uuid=True))


def scoped(ctx: Context, sh: Shape, conditions: list[Any], *, order, limit) -> sa.Subquery:
    """The matching projection rows as a subquery, split into the person's scope branches."""
    table = sh.table
    p = table.c

    def branch(*scope: Any, columns=None) -> sa.Select:
        stmt = sa.select(*(columns or sh.columns)).where(*scope, *conditions)
        return stmt.order_by(*order_by(table, order)).limit(limit) if order else stmt

    role = ctx.actor.role
    me = sa.select(sa.func.steward_rep_id()).scalar_subquery()
    if role == SALES_REP:
        def siblings(*bound: Any, columns=None) -> sa.Select:
            chains = sa.cast(sa.select(sa.func.steward_rep_chains()).scalar_subquery(), _UUIDS)
            return branch(p.chain_id == sa.any_(chains), p.shared, sa.not_(p.is_chain),
                          p.owner_id.is_distinct_from(me), *bound, columns=columns)

        if not order:
            return sa.union_all(branch(p.owner_id == me), siblings()).subquery("scoped")
        return _rep_page(sh, lambda columns: branch(p.owner_id == me, columns=columns), siblings, order, limit)
    if role == CHAIN_MANAGER:
        return _per_chain(sa.func.steward_managed_chains(), lambda chain: branch(p.chain_id == chain)).subquery("scoped")
    if role == TEAM_LEAD:
        return branch(p.region == sa.select(sa.func.steward_lead_region()).scalar_subquery()).subquery("scoped")
    return branch().subquery("scoped")


def _rep_page(sh: Shape, own_branch, siblings, order, limit: int) -> sa.Subquery:
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
    keys = [sh.table.c[name] for name, _ in order if name != "customer_id"] + [sh.table.c.customer_id]
    own = own_branch(keys).cte("own").prefix_with("MATERIALIZED")
    full = sa.select(sa.func.count()).select_from(own).scalar_subquery() >= limit
    last = [sa.select(own.c[name]).order_by(*order_by(own, order, reverse=True)).limit(1).scalar_subquery()
            for name, _ in order]
    sort_keys = sa.tuple_(*(sh.table.c[name] for name, _ in order))
    bound = sort_keys >= sa.tuple_(*last) if order[0][1] else sort_keys <= sa.tuple_(*last)
    candidates = sa.union_all(sa.select(*own.c), siblings(bound, columns=keys).where(full),
                              siblings(columns=keys).where(sa.not_(full))).subquery("candidates")
    page_keys = (sa.select(candidates.c.customer_id).order_by(*order_by(candidates, order)).limit(limit)
                 .subquery("page_keys"))
    return rows_of(sh, page_keys)


def rows_of(sh: Shape, page_keys: sa.Subquery) -> sa.Subquery:
    """The projection rows of a page's keys, read by primary key (under row-level security)."""
    return (sa.select(*sh.columns)
            .select_from(sh.table.join(page_keys, page_keys.c.customer_id == sh.table.c.customer_id))
            .subquery("scoped"))


def _per_chain(chains_fn, branch_for) -> sa.Select:
    """One branch per chain id the function returns, joined laterally (each an index walk)."""
    chains = sa.func.unnest(sa.select(chains_fn).scalar_subquery()).table_valued("chain_id").render_derived("chains")
    inner = branch_for(chains.c.chain_id).lateral("in_chain")
    return sa.select(*inner.c).select_from(chains.join(inner, sa.true()))


def order_by(source, order, *, reverse: bool = False):
    return [source.c[name].desc() if descending != reverse else source.c[name] for name, descending in order]
