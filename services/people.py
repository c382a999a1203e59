"""People: one database login per person, mapped to a Steward user with a role.

`steward_add_user` and friends (sql/migrations/0003) run as the schema owner,
so an admin manages people without holding CREATEROLE.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from services.access import ADMIN, CHAIN_MANAGER, ROLES, SALES_REP, TEAM_LEAD
from services.coerce import as_text, as_uuid, one_of
from services.context import Context
from services.errors import Conflict, Forbidden, NotFound, ValidationError


@dataclass(frozen=True)
class Person:
    id: uuid.UUID
    login: str
    display_name: str
    role: str
    region: str | None
    active: bool
    chains: tuple[uuid.UUID, ...]
    created_at: datetime


# The embedded server's demo people, one or more of every role.
DEMO_PEOPLE = (
    ("admin", "Anna Admin", ADMIN, None),
    ("lena", "Lena Lehmann", TEAM_LEAD, "NORTH"),
    ("paul", "Paul Peters", TEAM_LEAD, "SOUTH"),
    ("jonas", "Jonas Jansen", SALES_REP, "NORTH"),
    ("mia", "Mia Meyer", SALES_REP, "NORTH"),
    ("sophie", "Sophie Schulz", SALES_REP, "SOUTH"),
    ("felix", "Felix Fischer", CHAIN_MANAGER, None),
)

_SELECT = sa.text(
    "SELECT u.id, u.login, u.display_name, u.role, u.region, u.active, "
    "       coalesce(array_agg(uc.chain_id) FILTER (WHERE uc.chain_id IS NOT NULL), '{}') AS chains, u.created_at "
    "FROM users u LEFT JOIN user_chains uc ON uc.user_id = u.id "
    "WHERE CAST(:login AS text) IS NULL OR u.login = :login "
    "GROUP BY u.id ORDER BY u.role, u.login")


def add(conn: Any, login: str, *, role: str, display_name: str | None = None, region: str | None = None,
        chains: Iterable[Any] = (), password: str | None = None) -> uuid.UUID:
    """Create the login (or reuse it) and the user; inside the caller's transaction."""
    login = as_text(login, "login", max_length=63)
    one_of(role, "role", ROLES)
    chain_ids = [as_uuid(c, "chain") for c in chains]
    if role in (SALES_REP, TEAM_LEAD) and not region:
        raise ValidationError(f"A {role.lower().replace('_', ' ')} needs a region.", errors={"region": "required"})
    if role == CHAIN_MANAGER and not chain_ids:
        raise ValidationError("A chain manager needs at least one chain.", errors={"chain": "required"})
    if region is not None:
        known = conn.execute(sa.text("SELECT 1 FROM regions WHERE code = :r"), {"r": region}).first()
        if not known:
            raise ValidationError(f"There is no region '{region}'.", errors={"region": "unknown region"})
    for chain in chain_ids:
        row = conn.execute(sa.text("SELECT is_chain FROM accounts WHERE id = :id"), {"id": chain}).first()
        if row is None or not row.is_chain:
            raise ValidationError(f"{chain} is not a chain.", errors={"chain": "not a chain"})
    if conn.execute(sa.text("SELECT 1 FROM users WHERE login = :l"), {"l": login}).first():
        raise Conflict(f"There is already a user '{login}'.", errors={"login": "exists"})
    return conn.execute(sa.text(
        "SELECT steward_add_user(:login, :name, :role, :region, CAST(:chains AS uuid[]), :password)"),
        {"login": login, "name": display_name or login, "role": role, "region": region,
         "chains": chain_ids, "password": password}).scalar_one()


def ensure_demo_people(engine: Engine) -> None:
    """Create the embedded server's demo people of every role, once (as the owner)."""
    with engine.begin() as conn:
        if conn.execute(sa.text("SELECT EXISTS (SELECT 1 FROM users)")).scalar():
            return
        for login, name, role, region in DEMO_PEOPLE:
            # The demo chain manager gets chains when demo data is loaded.
            conn.execute(sa.text("SELECT steward_add_user(:l, :n, :r, :g)"),
                         {"l": login, "n": name, "r": role, "g": region})


class PeopleService:
    """User management (admins only)."""

    def __init__(self, ctx: Context):
        self._ctx = ctx

    def add(self, login: str, *, role: str, display_name: str | None = None, region: str | None = None,
            chains: Iterable[Any] = (), password: str | None = None) -> Person:
        """Create a person's database login and Steward user. Commits; appends `user.added`."""
        self._require_admin()
        with self._ctx.write() as uow:
            user_id = add(uow.conn, login, role=role, display_name=display_name, region=region, chains=chains,
                          password=password)
            uow.emit("user.added", {"userId": str(user_id), "login": login, "role": role, "region": region})
            return self._get(uow.conn, login)

    def list(self) -> list[Person]:
        with self._ctx.read() as conn:
            return [Person(**r._mapping) for r in conn.execute(_SELECT, {"login": None})]

    def get(self, login: str) -> Person:
        with self._ctx.read() as conn:
            return self._get(conn, login)

    def set_chains(self, login: str, chains: Iterable[Any]) -> Person:
        self._require_admin()
        chain_ids = [as_uuid(c, "chain") for c in chains]
        with self._ctx.write() as uow:
            self._get(uow.conn, login)
            uow.execute("SELECT steward_set_user_chains(:l, CAST(:c AS uuid[]))", {"l": login, "c": chain_ids})
            return self._get(uow.conn, login)

    def disable(self, login: str) -> Person:
        """The person can no longer log in or see anything. Commits; appends `user.disabled`."""
        self._require_admin()
        with self._ctx.write() as uow:
            person = self._get(uow.conn, login)
            if person.login == self._ctx.actor.login:
                raise ValidationError("You cannot disable yourself.", errors={"login": "is you"})
            uow.execute("SELECT steward_disable_user(:l)", {"l": login})
            uow.emit("user.disabled", {"userId": str(person.id), "login": login})
            return self._get(uow.conn, login)

    def _get(self, conn, login: str) -> Person:
        row = conn.execute(_SELECT, {"login": login}).first()
        if row is None:
            raise NotFound(f"There is no user '{login}'.")
        return Person(**row._mapping)

    def _require_admin(self) -> None:
        if self._ctx.actor.role != ADMIN:
            raise Forbidden("Only admins manage people.")
