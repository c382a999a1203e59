"""Who the daemon is, and how its consumers run the service layer inside their own transaction."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from services.service_layer.access import ADMIN, Actor
from services.service_layer.context import Context, load_catalog
from services.adapters.database import UnitOfWork, translated_errors
from services.errors import Forbidden

DAEMON_LOGIN = "steward_daemon"
DAEMON_ACTOR = Actor("service", "steward-daemon", DAEMON_LOGIN, ADMIN, "Steward daemon")

_MAY_ACT = sa.text(
    "SELECT session_user AS login, "
    "       r.rolsuper OR r.rolbypassrls "
    "       OR pg_has_role(session_user, (SELECT datdba FROM pg_database WHERE datname = current_database()), 'MEMBER') "
    "       OR coalesce((SELECT pg_has_role(session_user, d.oid, 'MEMBER') FROM pg_roles d "
    "                     WHERE d.rolname = 'steward_daemon'), false) AS may "
    "  FROM pg_roles r WHERE r.rolname = session_user"
)


def daemon_context(engine: Engine) -> Context:
    """The daemon's context; refuses a person's login (their rights are not the daemon's)."""
    with translated_errors(), engine.connect() as conn:
        login, may = conn.execute(_MAY_ACT).one()
        if not may:
            raise Forbidden(
                f"The daemon logs in as '{DAEMON_LOGIN}' (or the database owner), not as '{login}'. "
                f"Run it with --user {DAEMON_LOGIN}.")
        catalog = load_catalog(conn)
    return Context(engine, DAEMON_ACTOR, catalog, source="daemon")


class JoinedContext(Context):
    """A context whose reads and writes are the caller's transaction.

    The inbound consumers run the service layer's own code paths (validation,
    customer lock, history and projection triggers, emitted events) inside one
    savepoint per inbound event; the caller appends the queued events.
    """

    def __init__(self, base: Context, uow: UnitOfWork):
        super().__init__(base.engine, base.actor, base.catalog, source=base.source)
        self._uow = uow

    @contextlib.contextmanager
    def read(self, *, settings: Any = None) -> Iterator[Connection]:
        # The caller's transaction, as it is (planner settings only ever make a read faster).
        with translated_errors():
            yield self._uow.conn

    # Within the caller's transaction, never a replica: it reads what it has written.
    read_replica = read

    @contextlib.contextmanager
    def write(self, *, correlation_id: str | None = None) -> Iterator[UnitOfWork]:
        with translated_errors():
            yield self._uow
