"""What the customer list's pickers offer a person: the regions and owners of the customers they read.

A team lead offered all five regions picks "Mitte" and gets an empty grid; a rep offered
every owner of every region the same. Row-level security decides what a person reads;
these ask it, along the scope branches of customers/scope.py (index walks over the
person's customers), except where the role says it outright (an admin reads every
region, a team lead theirs).
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from services.adapters.tables import users
from services.service_layer.access import ADMIN, TEAM_LEAD
from services.service_layer.context import Context
from services.service_layer.customers.rows import shape
from services.service_layer.customers.scope import scoped


def regions(ctx: Context) -> dict[str, str]:
    """Code → name of the regions the person reads customers in, in the pack's order."""
    everything = dict(ctx.catalog.regions)
    role, region = ctx.actor.role, ctx.actor.region
    if role == ADMIN:
        return everything
    if role == TEAM_LEAD and region:
        return {region: everything.get(region, region)}
    sh = shape(ctx.catalog)
    with ctx.read() as conn:
        mine = scoped(ctx, sh, [], order=None, limit=None)
        found = set(conn.execute(sa.select(mine.c.region).distinct()).scalars())
    return {code: name for code, name in everything.items() if code in found}


def owners(ctx: Context) -> list[tuple[uuid.UUID, str, str]]:
    """(id, login, name) of the active people owning customers the person reads, by name."""
    sh = shape(ctx.catalog)
    p = sh.table.c
    with ctx.read() as conn:
        if ctx.actor.role == ADMIN:
            # Everything is readable: one index probe per person (hot_owner_name_idx).
            owning = sa.exists().where(p.owner_id == users.c.id)
        else:
            mine = scoped(ctx, sh, [], order=None, limit=None)
            owning = users.c.id.in_(sa.select(mine.c.owner_id).where(mine.c.owner_id.isnot(None)).distinct())
        rows = conn.execute(sa.select(users.c.id, users.c.login, users.c.display_name)
                            .where(users.c.active, owning)
                            .order_by(users.c.display_name, users.c.login))
        return [(r.id, r.login, r.display_name) for r in rows]
