"""Which of a page's customers the person may change, and why not where not.

The database decides (`steward_api.writable_customers`, the rule every write API function
checks with `lock_writable`), once per page for all its customers, in the page's own statement
(customers/grid.py `_fetch`); the reason is told in
words from what the row already says (its owner, chain and region), so a person sees
before editing why a row is read-only, instead of a refusal after saving.
"""

from __future__ import annotations

from collections.abc import Mapping

from services.service_layer.access import CHAIN_MANAGER, SALES_REP, TEAM_LEAD


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
