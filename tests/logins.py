"""Dropping the logins a test made. Roles are the server's, so each test removes its own;
a person's login holds CONNECT on the test database, which DROP OWNED BY takes away first."""

from __future__ import annotations

from collections.abc import Iterable

import psycopg
import sqlalchemy as sa
from psycopg import sql


def drop_logins(database_url: str, logins: Iterable[str]) -> None:
    """Drop these roles, connected as the owner to the database that granted them rights."""
    dsn = sa.engine.make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as conn:
        for login in logins:
            if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [login]).fetchone():
                conn.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(login)))
                conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(login)))


def ensure_person(owner_engine, login: str, *, role: str, region: str | None = None,
                  display_name: str | None = None) -> str:
    """A Steward person with this login in the test database, whatever an earlier test left:
    each test empties the users table, while the login itself lives on in the server. The
    owner (a superuser here) adopts a login that exists already."""
    from services.service_layer import people

    with owner_engine.begin() as conn:
        known = conn.execute(sa.text("SELECT 1 FROM users WHERE login = :l"), {"l": login}).first()
        if not known:
            people.add_in(conn, login, role=role, region=region, display_name=display_name,
                          adopt=people.login_exists(conn, login))
    return login
