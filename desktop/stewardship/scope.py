"""What the person at the desk may do, as far as the screens need to know it before asking the database
(which decides: these only keep choices off the screen that would be refused)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

ADMIN, TEAM_LEAD, SALES_REP, CHAIN_MANAGER = "ADMIN", "TEAM_LEAD", "SALES_REP", "CHAIN_MANAGER"
OWNING_ROLES = (SALES_REP, TEAM_LEAD)


def row_writable(row: Any) -> bool:
    """Whether the person may change this grid row. The grid's rows may carry a `writable` flag;
    without one every row counts as writable (the database refuses the others, naming them)."""
    return bool(getattr(row, "writable", True))


def regions_for(actor: Any, regions: Mapping[str, str]) -> dict[str, str]:
    """The regions the person creates customers in: a rep's and a team lead's own, everyone else's all."""
    if actor.role in (SALES_REP, TEAM_LEAD) and actor.region in regions:
        return {actor.region: regions[actor.region]}
    return dict(regions)


def owners_for(actor: Any, people: Iterable[Any], region: str | None) -> list[tuple[uuid.UUID, str]]:
    """(user id, name) of the people who may own a customer of `region` when this person gives it:
    a rep only themselves; others the active sales people of the region."""
    if actor.role == SALES_REP:
        return [(actor.user_id, actor.display_name)]
    chosen = [(p.id, p.display_name) for p in people
              if p.active and p.role in OWNING_ROLES and p.region == region]
    return sorted(chosen, key=lambda p: p[1].casefold())


def may_reassign(actor: Any) -> bool:
    return actor.role in (TEAM_LEAD, ADMIN)


def may_set_chain(actor: Any) -> bool:
    """Chains and shared coverage: team leads, chain managers and admins."""
    return actor.role != SALES_REP


def may_create_chains(actor: Any) -> bool:
    return actor.role in (TEAM_LEAD, ADMIN)


def may_move_region(actor: Any) -> bool:
    return actor.role == ADMIN
