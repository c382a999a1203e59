"""Which of a page's customers the person may change, and why not where not.

The database decides (`steward_api.writable_customers`, the rule every write API function
checks with `lock_writable`), once per page for all its customers; the reason is told in
words from what the row already says (its owner, chain and region), so a person sees
before editing why a row is read-only, instead of a refusal after saving.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from services.service_layer.access import CHAIN_MANAGER, SALES_REP, TEAM_LEAD

_WRITABLE = sa.text("SELECT steward_api.writable_customers(:ids)").bindparams(
    sa.bindparam("ids", type_=postgresql.ARRAY(postgresql.UUID(as_uuid=True))))


def writable_ids(conn: Any, ids: Iterable[uuid.UUID]) -> frozenset[uuid.UUID]:
    """The ids among `ids` the connection's person may change: one call for a whole page."""
    wanted = sorted(set(ids))
    if not wanted:
        return frozenset()
    return frozenset(conn.execute(_WRITABLE, {"ids": wanted}).scalar_one() or ())


def reason(role: str, *, owner_name: str | None, chain_name: str | None, is_chain: bool, region: str,
           regions: Mapping[str, str]) -> str:
    """Why a person of `role` may not change this customer, in a sentence that names who may."""
    where = regions.get(region, region)
    lead = f"the team lead of {where}"
    if is_chain:
        return f"The chain {chain_name or ''}: only {lead}, its chain managers and admins change it.".replace("  ", " ")
    whose = f"{owner_name}'s" if owner_name else "An unassigned"
    if chain_name:
        return (f"{whose} location in chain {chain_name}: only its owner, {lead} and the chain's managers "
                "change it.")
    if role == SALES_REP:
        return f"{whose} customer: only its owner, {lead} and admins change it."
    if role in (TEAM_LEAD, CHAIN_MANAGER):
        return f"{whose} customer in {where}: only its owner, {lead} and admins change it."
    return f"{whose} customer: you may read it, not change it."
