"""Test databases: a fresh PostgreSQL database per test session, emptied before each test.

The server is STEWARD_TEST_DATABASE_URL when set (CI sets it to this machine's
PostgreSQL); otherwise an embedded pgserver in a temporary folder.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from psycopg import sql

import services
from services.adapters import schema
from services.adapters.database import database_url, make_engine
from tests.logins import ensure_person

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Reference data synced from resources/; everything else is emptied between tests.
KEEP = {"regions", "field_catalog", "activity_kinds", "products", "sample_kits", "sample_kit_items",
        "sample_statuses", "sample_transitions", "contact_role_types", "business_holidays", "steward_schema_state",
        "pack_info", "hot_columns",
        "_yoyo_migration", "_yoyo_log", "_yoyo_version", "yoyo_lock"}


def _server_url(tmp_root: Path) -> str:
    url = os.environ.get("STEWARD_TEST_DATABASE_URL")
    if url:
        return url
    from services.adapters import embedded

    return embedded.server_uri(tmp_root)


@pytest.fixture(scope="session")
def database(tmp_path_factory) -> str:
    """URL of this session's own database, migrated, as the owner (a superuser)."""
    server = _server_url(tmp_path_factory.mktemp("pg"))
    name = f"steward_test_{os.getpid()}_{secrets.token_hex(3)}"
    admin = database_url(server).set(drivername="postgresql")
    admin_dsn = admin.render_as_string(hide_password=False)
    url = admin.set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        # The server's roles are shared by every database on it: test sessions that start at
        # once (pytest -n, other checkouts) create them one after the other.
        conn.execute("SELECT pg_advisory_lock(hashtext('steward test set-up'))")
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        engine = make_engine(database_url(url), pool_size=1)
        schema.upgrade(database_url(url))
        schema.sync_reference_data(engine)
        engine.dispose()
    yield url
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        # With the database gone, nothing holds the session's logins any more.
        for (login,) in conn.execute("SELECT rolname FROM pg_roles WHERE rolname LIKE %s", [f"t\\_%\\_{SESSION}"]):
            conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(login)))


@pytest.fixture(scope="session")
def owner_engine(database):
    engine = make_engine(database_url(database), pool_size=2)
    yield engine
    engine.dispose()


@pytest.fixture
def clean_db(owner_engine, database):
    """Empty every data table (reference data stays)."""
    with owner_engine.begin() as conn:
        tables = conn.execute(sa.text(
            "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = 'public'")).scalars().all()
        data_tables = [t for t in tables if t.strip('"') not in KEEP]
        if data_tables:
            conn.execute(sa.text(f"TRUNCATE {', '.join(data_tables)} RESTART IDENTITY CASCADE"))
    return database


# Person logins of this test session; roles are the server's, and other sessions run beside this one.
SESSION = secrets.token_hex(3)
ADMIN_LOGIN = f"t_admin_{SESSION}"


@pytest.fixture
def svc(clean_db, owner_engine):
    """The service layer as an admin person: their own login, so row-level security and the
    write API's rules apply as they do for people. Tests about the owner use `owner_svc`."""
    ensure_person(owner_engine, ADMIN_LOGIN, role="ADMIN", display_name="Ada Admin")
    steward = services.connect(url=clean_db, user=ADMIN_LOGIN)
    yield steward
    steward.close()


@pytest.fixture
def owner_svc(clean_db):
    """The service layer as the schema owner (acts as the system, bypasses row-level security)."""
    steward = services.connect(url=clean_db)
    yield steward
    steward.close()


@pytest.fixture
def sql_count(owner_engine):
    """Count rows of a table as the owner: `sql_count('event_outbox')`."""
    def count(table: str, where: str = "true", **params) -> int:
        with owner_engine.connect() as conn:
            return conn.execute(sa.text(f"SELECT count(*) FROM {table} WHERE {where}"), params).scalar_one()
    return count
