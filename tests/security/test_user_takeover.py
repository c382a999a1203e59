"""`steward users add` (svc.users.add, SQL steward_api.add_user) creates logins; it never takes
over one it did not create.

steward_api.add_user runs as the schema owner, who holds CREATEROLE: a role that exists
already (a DBA's login with CREATEDB, the daemon, the inbox writer, a database owner,
the group roles, a person of another Steward database on the server) must be refused
with a clear error, its password hash and attributes as they were. Disabling a person
must not change the login of another database's person either.

Roles shared by every Steward database on the server (steward_*) are never handed to
a committing call: on code that would take them over, that would hand every rep of
every session on this server admin rights. Those calls run in a transaction that is
always rolled back, and reaching COMMIT counts as accepted.
"""

from __future__ import annotations

import secrets

import psycopg
import pytest
from psycopg import sql
from sqlalchemy import event

import services
from tests.security.checksums import STEWARD_ROLES
from tests.security.conftest import drop_database, drop_roles

LOCAL_ROLES = {
    # kind -> how a DBA made it ({r}: the role)
    "login_with_createdb": ["CREATE ROLE {r} LOGIN PASSWORD 'secret' CREATEDB"],
    "nologin_role": ["CREATE ROLE {r} NOLOGIN PASSWORD 'secret'"],
    "login_with_createrole": ["CREATE ROLE {r} LOGIN CREATEROLE PASSWORD 'secret'"],
    "owner_of_a_database": ["CREATE ROLE {r} LOGIN PASSWORD 'secret'", "CREATE DATABASE {r} OWNER {r}"],
}
PATHS = ("service", "sql")


class WouldCommit(Exception):
    """The service call got as far as COMMIT: it accepted the login."""


def role_state(su: psycopg.Connection, name: str, *, members: bool = True) -> dict:
    """What steward_api.add_user could change about a role (pg_authid: readable by the superuser)."""
    row = su.execute(
        "SELECT rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin, rolreplication, rolbypassrls, "
        "rolconnlimit, rolvaliduntil, rolpassword FROM pg_authid WHERE rolname = %s", [name]).fetchone()
    assert row is not None, f"no role {name}"
    keys = ("super", "inherit", "createrole", "createdb", "login", "replication", "bypassrls", "connlimit",
            "validuntil", "password")
    state = dict(zip(keys, row))
    state["member_of"] = sorted(su.execute(
        "SELECT m.roleid::regrole::text, m.admin_option FROM pg_auth_members m "
        "WHERE m.member = %s::regrole", [name]).fetchall())
    if members:  # the group roles gain members whenever any session on the server adds a person
        state["members"] = sorted(su.execute(
            "SELECT m.member::regrole::text, m.admin_option FROM pg_auth_members m "
            "WHERE m.roleid = %s::regrole", [name]).fetchall())
    state["settings"] = sorted(r[0] for r in su.execute(
        "SELECT setconfig::text FROM pg_db_role_setting WHERE setrole = %s::regrole", [name]))
    return state


def restore_role(su: psycopg.Connection, name: str, state: dict) -> None:
    """Undo what a takeover did to a role of this test (memberships, login, password)."""
    now = role_state(su, name)
    ident = sql.Identifier(name)
    for group, _ in set(now["member_of"]) - set(state["member_of"]):
        su.execute(sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(group), ident))
    su.execute(sql.SQL("ALTER ROLE {} " + ("LOGIN" if state["login"] else "NOLOGIN")).format(ident))
    if now["password"] != state["password"]:
        # PostgreSQL stores an already hashed password as it is.
        password = sql.Literal(state["password"]) if state["password"] else sql.SQL("NULL")
        su.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(ident, password))


@pytest.fixture(scope="module")
def admin(world):
    """The service layer as the admin person of this database."""
    with world.service("admin") as svc:
        yield svc


@pytest.fixture
def users_row(world):
    def find(login: str):
        return world.su.execute("SELECT role, active FROM public.users WHERE login = %s", [login]).fetchone()
    return find


def add_as_admin(world, admin, login: str, path: str, *, commit: bool) -> tuple[bool, Exception | None]:
    """(accepted, error) of adding `login` as an ADMIN with a password, as the admin person."""
    if path == "service":
        def guard(conn):
            raise WouldCommit()
        if not commit:
            event.listen(admin.engine, "commit", guard)
        try:
            admin.users.add(login, role="ADMIN", display_name="taken over", password="pwned")
            return True, None
        except WouldCommit:
            return True, None                  # rolled back: the pool resets the connection
        except Exception as exc:  # noqa: BLE001 - an untyped error is a refusal too, reported as such
            return False, exc
        finally:
            if not commit:
                event.remove(admin.engine, "commit", guard)
    with world.connect("admin") as conn:
        try:
            conn.execute("SELECT steward_api.add_user(%s, 'taken over', 'ADMIN', NULL, '{}', 'pwned')", [login])
        except psycopg.Error as exc:
            conn.rollback()
            return False, exc
        if commit:
            conn.commit()
        else:
            conn.rollback()
        return True, None


def assert_clear(error: Exception | None, login: str, path: str) -> None:
    """The service refuses with a typed error naming the login (SQL: any error will do)."""
    if path == "service":
        assert isinstance(error, services.StewardError), f"refused, but not with a typed error: {error!r}"
        assert login in str(error), f"the refusal does not name the login: {error}"


@pytest.fixture
def local_role(world):
    """A role made by a DBA for this test; dropped afterwards (with its database)."""
    made: list[str] = []

    def make(kind: str) -> str:
        name = f"sec_dba_{kind[:12]}_{secrets.token_hex(3)}"
        for statement in LOCAL_ROLES[kind]:
            world.su.execute(statement.format(r=sql.Identifier(name).as_string(world.su)))
        made.append(name)
        return name
    yield make
    for name in made:
        drop_database(world.url, name)
        world.su.execute("DELETE FROM public.users WHERE login = %s", [name])
        drop_roles(world.url, [name], [world.db])


@pytest.mark.parametrize("path", PATHS)
def test_add_user_creates_a_new_login(world, admin, users_row, path):
    """The control: a new login is created, in the right group, with a users row. (Without
    it, a renamed or re-signed function would make every refusal below pass.)"""
    login = f"sec_new_{path}_{world.suffix}"
    world.logins[f"new_{path}"] = login      # dropped with the world
    accepted, error = add_as_admin(world, admin, login, path, commit=True)
    assert accepted, f"adding a new login failed: {error}"
    state = role_state(world.su, login)
    assert state["login"] and not (state["super"] or state["createrole"] or state["createdb"] or state["bypassrls"])
    assert ("steward_admin", False) in state["member_of"]
    assert users_row(login) == ("ADMIN", True)


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("kind", list(LOCAL_ROLES))
def test_add_user_refuses_an_existing_role(world, admin, users_row, local_role, kind, path):
    name = local_role(kind)
    before = role_state(world.su, name)
    accepted, error = add_as_admin(world, admin, name, path, commit=True)
    after = role_state(world.su, name)
    assert not accepted, f"steward users add took over the existing role {name} ({kind}) via {path}"
    assert after == before, f"the refused call still changed {name}"
    assert users_row(name) is None
    assert_clear(error, name, path)


@pytest.mark.parametrize("path", PATHS)
def test_add_user_refuses_a_person_of_another_database(world, world_b, admin, users_row, path):
    victim = world_b.logins["victim"]
    before = role_state(world.su, victim)
    accepted, error = add_as_admin(world, admin, victim, path, commit=True)
    after = role_state(world.su, victim)
    if accepted:   # put it back for the other path
        restore_role(world.su, victim, before)
        world.su.execute("DELETE FROM public.users WHERE login = %s", [victim])
    assert not accepted, f"A's admin took over {victim}, a person of database B, via {path}"
    assert after == before
    assert users_row(victim) is None
    assert_clear(error, victim, path)
    with services.connect(url=world_b.url, user=victim, pool_size=1) as svc_b:
        assert svc_b.actor.role == "SALES_REP"


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("target", [*STEWARD_ROLES, "superuser"])
def test_add_user_refuses_the_shared_roles(world, admin, users_row, target, path):
    """Never committed, see the module's docstring."""
    name = world.su.execute("SELECT current_user").fetchone()[0] if target == "superuser" else target
    before = role_state(world.su, name, members=False)
    accepted, error = add_as_admin(world, admin, name, path, commit=False)
    after = role_state(world.su, name, members=False)
    assert not accepted, f"steward users add accepted the existing role {name} via {path} (rolled back)"
    assert after == before
    assert users_row(name) is None
    assert_clear(error, name, path)


def test_disabling_leaves_people_of_other_databases_alone(world, world_b, admin):
    """A's admin tries to add B's person, then disables the login in A, through the service
    and in SQL: B's person still logs in to B, unchanged, as what they are there."""
    victim = world_b.logins["victim2"]
    before = role_state(world.su, victim)
    try:
        admin.users.add(victim, role="SALES_REP", region="NORTH")
    except services.StewardError:
        pass
    try:
        admin.users.disable(victim)
    except services.StewardError:
        pass
    with world.connect("admin") as conn:
        try:
            conn.execute("SELECT steward_api.disable_user(%s)", [victim])
            conn.commit()
        except psycopg.Error:
            conn.rollback()
    after = role_state(world.su, victim)
    if after != before:
        restore_role(world.su, victim, before)
    world.su.execute("DELETE FROM public.users WHERE login = %s", [victim])
    assert after == before, f"disabling in A changed B's person {victim}"
    with services.connect(url=world_b.url, user=victim, pool_size=1) as svc_b:
        assert svc_b.actor.role == "SALES_REP" and svc_b.customers.count() == 1


def test_a_refused_sql_call_leaves_no_half_made_login(world):
    """steward_api.add_user refusing a bad role name must not have created the login first."""
    login = f"sec_half_{world.suffix}"
    with world.connect("admin") as conn:
        with pytest.raises(psycopg.Error):
            conn.execute("SELECT steward_api.add_user(%s, 'x', 'NO_SUCH_ROLE', NULL)", [login])
    assert world.su.execute("SELECT count(*) FROM pg_roles WHERE rolname = %s", [login]).fetchone()[0] == 0
