"""The HTTP API's world: people with tokens, their customers, the app, and a live server on loopback.

Set up once per module (the database emptied first, as clean_db does per test), so the
tests of a module share it; each module's tests only add what they need.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import httpx
import pytest
import sqlalchemy as sa

from services.adapters.database import database_url
from services.entrypoints.http.app import create_app
from services.entrypoints.http.local import LocalServer
from services.entrypoints.http.server import Server, ServerOptions, server_url
from tests.conftest import KEEP, SESSION
from tests.logins import ensure_person

PEOPLE = {  # name: (role, region)
    "admin": ("ADMIN", None),
    "rep1": ("SALES_REP", "NORTH"),
    "rep2": ("SALES_REP", "NORTH"),
    "lead": ("TEAM_LEAD", "SOUTH"),
    "leads_module": ("MODULE", None),
}


def login(name: str) -> str:
    return f"t_h_{name}_{SESSION}"


def make_token(owner_engine, name: str, scope: str = "write", expires: str | None = None) -> str:
    with owner_engine.begin() as conn:
        return conn.execute(sa.text(
            "SELECT steward_api.create_token(p_login => :l, p_scope => :s, "
            "p_expires_at => now() + CAST(:e AS interval)) ->> 'token'"),
            {"l": login(name), "s": scope, "e": expires}).scalar_one()


@dataclass
class World:
    url: str                                   # the database, as the owner
    tokens: dict[str, str]                     # name → write token
    ids: dict[str, uuid.UUID]                  # name → users.id
    customers: dict[str, list[str]] = field(default_factory=dict)   # owner name → customer ids
    read_token: str = ""

    def auth(self, name: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[name]}"}


def empty(owner_engine) -> None:
    with owner_engine.begin() as conn:
        tables = conn.execute(sa.text(
            "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = 'public'")).scalars().all()
        data = [t for t in tables if t.strip('"') not in KEEP]
        conn.execute(sa.text(f"TRUNCATE {', '.join(data)} RESTART IDENTITY CASCADE"))


@pytest.fixture(scope="module")
def world(database, owner_engine) -> World:
    empty(owner_engine)
    ids = {}
    for name, (role, region) in PEOPLE.items():
        ensure_person(owner_engine, login(name), role=role, region=region, display_name=name.title())
    with owner_engine.begin() as conn:
        for name in PEOPLE:
            ids[name] = conn.execute(sa.text("SELECT id FROM users WHERE login = :l"), {"l": login(name)}).scalar_one()
        customers: dict[str, list[str]] = {}
        for owner, region, n in (("rep1", "NORTH", 4), ("rep2", "NORTH", 3), ("lead", "SOUTH", 2)):
            customers[owner] = [str(r) for r in conn.execute(sa.text(
                "SELECT (steward_api.create_customer(p_name => :name || i, p_region => :region, "
                "        p_owner => CAST(:owner AS text)) ->> 'id') "
                "  FROM generate_series(1, :n) i"),
                {"name": f"Kantine {owner} ", "region": region, "owner": str(ids[owner]) if owner != "lead" else None,
                 "n": n}).scalars()]
    tokens = {name: make_token(owner_engine, name) for name in PEOPLE}
    return World(database, tokens, ids, customers, read_token=make_token(owner_engine, "rep1", "read"))


@pytest.fixture(scope="module")
def server(world):
    srv = Server(server_url(database_url(world.url)), ServerOptions(pool_size=3, rate_per_second=0))
    yield srv
    srv.close()


@pytest.fixture(scope="module")
def app(server):
    return create_app(server)


@pytest.fixture(scope="module")
def base_url(app):
    with LocalServer(app) as url:
        yield url


@pytest.fixture(scope="module")
def http(base_url):
    with httpx.Client(base_url=base_url, timeout=30) as client:
        yield client
