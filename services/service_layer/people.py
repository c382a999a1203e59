"""People: one database login per person, mapped to a Steward user with a role.

steward_api.add_user and friends (sql/definitions/06_people.sql) run as the
schema owner, so an admin manages people without holding CREATEROLE, and never
touch a login they did not create.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from services.service_layer.access import ADMIN, CHAIN_MANAGER, SALES_REP, TEAM_LEAD
from services.service_layer.coerce import as_bool, as_text, as_uuid, maybe_text
from services.service_layer.context import Context
from services.errors import NotFound


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


_ADD = sa.text("SELECT steward_api.add_user(p_login => :login, p_display_name => :name, p_role => :role, "
               "p_region => :region, p_chains => CAST(:chains AS uuid[]), p_adopt_existing_login => :adopt)")


def add_in(conn: Any, login: str, *, role: str, region: str | None = None, display_name: str | None = None,
           chains: Iterable[uuid.UUID] = (), adopt: bool = False) -> uuid.UUID:
    """Add a person inside the caller's transaction (the owner's: demo data, the embedded server)."""
    return conn.execute(_ADD, {"login": login, "name": display_name, "role": role, "region": region,
                               "chains": list(chains), "adopt": adopt}).scalar_one()


def login_exists(conn: Any, login: str) -> bool:
    return conn.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :l"), {"l": login}).first() is not None


def ensure_demo_people(engine: Engine) -> None:
    """Create the embedded server's demo people of every role, once (as the owner)."""
    with engine.begin() as conn:
        if conn.execute(sa.text("SELECT EXISTS (SELECT 1 FROM users)")).scalar():
            return
        for login, name, role, region in DEMO_PEOPLE:
            if role == CHAIN_MANAGER:
                continue  # added with the chains they manage when demo data is loaded
            # The embedded server's logins are its own, so one left by an earlier database is adopted.
            add_in(conn, login, role=role, region=region, display_name=name, adopt=login_exists(conn, login))


class PeopleService:
    """User management (admins only)."""

    def __init__(self, ctx: Context):
        self._ctx = ctx

    def add(self, login: str, *, role: str, display_name: str | None = None, region: str | None = None,
            chains: Iterable[Any] = (), password: str | None = None, adopt_existing_login: bool = False) -> Person:
        """Create a person's database login and Steward user (admins only). An existing login
        is refused unless a superuser adopts it (`adopt_existing_login`), which changes
        nothing of the login itself. Commits; appends `user.added`."""
        login = as_text(login, "login", max_length=63)
        chain_ids = [as_uuid(c, "chain") for c in chains]
        with self._ctx.write() as uow:
            uow.call("add_user", login=login, display_name=maybe_text(display_name, "display_name"),
                     role=maybe_text(role, "role"), region=maybe_text(region, "region"), chains=chain_ids,
                     password=maybe_text(password, "password"),
                     adopt_existing_login=as_bool(adopt_existing_login, "adopt_existing_login"))
            return self._get(uow.conn, login)

    def list(self) -> list[Person]:
        with self._ctx.read() as conn:
            return [Person(**r._mapping) for r in conn.execute(_SELECT, {"login": None})]

    def get(self, login: str) -> Person:
        with self._ctx.read() as conn:
            return self._get(conn, login)

    def set_chains(self, login: str, chains: Iterable[Any]) -> Person:
        """The chains a chain manager manages (admins only). Commits."""
        chain_ids = [as_uuid(c, "chain") for c in chains]
        with self._ctx.write() as uow:
            uow.call("set_user_chains", login=maybe_text(login, "login"), chains=chain_ids)
            return self._get(uow.conn, login)

    def disable(self, login: str) -> Person:
        """The person can no longer log in to this database or see anything (admins only).
        Commits; appends `user.disabled`."""
        with self._ctx.write() as uow:
            uow.call("disable_user", login=maybe_text(login, "login"))
            return self._get(uow.conn, login)

    def _get(self, conn, login: str) -> Person:
        row = conn.execute(_SELECT, {"login": login}).first()
        if row is None:
            raise NotFound(f"There is no user '{login}'.")
        return Person(**row._mapping)
