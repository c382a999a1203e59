"""The data a run measures: demo customers of the asked size (loaded or reused) and the people to act as."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine

import services
from services.entrypoints import demo
from services.service_layer.access import ADMIN, CHAIN_MANAGER, SALES_REP, TEAM_LEAD
from services.entrypoints.bench.timing import Row
from services.config import Settings
from services.errors import Conflict

# The roles a list is measured as, in the table's order; "admin" is the schema owner
# (row-level security does not apply to it), the others log in as demo people.
ROLES = ("admin", "sales rep", "team lead", "chain manager")


@dataclass(frozen=True)
class People:
    """Logins of demo people, by bench role; a role the data lacks is missing."""

    logins: dict[str, str]

    def session(self, settings: Settings, role: str) -> services.Steward:
        return services.connect(settings.database_url, self.logins.get(role), settings=settings, source="bench",
                                pool_size=2)


def ensure(owner: Engine, customers: int, *, seed: int, progress=None) -> Row:
    """Demo data of `customers` customers: reused when the database holds exactly that many,
    loaded when it holds none. Returns the demo row (the load time, or a note that it was reused)."""
    with owner.connect() as conn:
        held = conn.execute(sa.text("SELECT count(*) FROM accounts")).scalar_one()
    if held == customers:
        return Row("demo", f"steward demo --customers {customers:,}", seconds=None, unit="s",
                   note="reused: the database already held this many customers (load time not measured)")
    if held:
        raise Conflict(f"The database holds {held:,} customers, not {customers:,}. Run with --customers {held} "
                       f"to reuse them, or point the bench at an empty database.")
    summary = demo.load(owner, customers, seed, progress=progress)
    return Row("demo", f"steward demo --customers {customers:,}", seconds=summary.seconds, unit="s",
               extra={"phases": summary.phases})


def people(owner: Engine) -> People:
    """The busiest sales rep (most customers, so the most chains), a team lead, the demo chain
    manager, and an admin person when the data has one."""
    with owner.connect() as conn:
        rep = conn.execute(sa.text(
            "SELECT u.login FROM users u JOIN accounts a ON a.owner_id = u.id "
            "WHERE u.role = :r AND u.active GROUP BY u.login ORDER BY count(*) DESC, u.login LIMIT 1"),
            {"r": SALES_REP}).scalar()
        first = {role: conn.execute(sa.text(
            "SELECT u.login FROM users u WHERE u.role = :r AND u.active "
            "AND (u.role <> :cm OR EXISTS (SELECT 1 FROM user_chains c WHERE c.user_id = u.id)) "
            "ORDER BY u.login LIMIT 1"), {"r": role, "cm": CHAIN_MANAGER}).scalar()
            for role in (TEAM_LEAD, CHAIN_MANAGER, ADMIN)}
    found = {"sales rep": rep, "team lead": first[TEAM_LEAD], "chain manager": first[CHAIN_MANAGER],
             "admin person": first[ADMIN]}
    return People({role: login for role, login in found.items() if login})


def sample_customers(owner: Engine, n: int, *, seed: int, owner_login: str | None = None) -> list:
    """`n` random customer ids (of one owner, if given); the same seed picks the same ones."""
    with owner.connect() as conn:
        conn.execute(sa.text("SELECT setseed(:s)"), {"s": (seed % 1000) / 1000})
        return conn.execute(sa.text(
            "SELECT id FROM accounts WHERE CAST(:login AS text) IS NULL "
            "OR owner_id = (SELECT id FROM users WHERE login = :login) ORDER BY random() LIMIT :n"),
            {"n": n, "login": owner_login}).scalars().all()
