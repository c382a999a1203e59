"""Engines, units of work, and the translation of database errors into typed ones."""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import psycopg
import sqlalchemy as sa
from psycopg import errors as pg
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, Connection, Engine, make_url

from services.errors import DatabaseUnavailable, Forbidden, StewardError, ValidationError


def database_url(url: str, user: str | None = None) -> URL:
    """A SQLAlchemy URL for psycopg 3; `user` replaces the URL's login (libpq finds the password)."""
    parsed = make_url(url)
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if user:
        parsed = parsed.set(username=user, password=None)
    return parsed


def _json_default(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def dumps(value: Any) -> str:
    return json.dumps(value, default=_json_default, ensure_ascii=False, separators=(",", ":"))


def make_engine(url: URL, *, pool_size: int = 4, application_name: str = "steward") -> Engine:
    return sa.create_engine(
        url,
        pool_size=pool_size,
        max_overflow=4,
        pool_pre_ping=True,
        pool_recycle=1800,
        json_serializer=dumps,
        connect_args={"application_name": application_name, "connect_timeout": 10},
    )


@contextlib.contextmanager
def translated_errors() -> Iterator[None]:
    """Turn the database's refusals into the errors a person can read."""
    try:
        yield
    except StewardError:
        raise
    except sa_exc.DBAPIError as exc:
        orig = exc.orig
        if isinstance(orig, pg.InsufficientPrivilege):
            raise Forbidden(_first_line(orig)) from exc
        if isinstance(orig, (pg.CheckViolation, pg.ForeignKeyViolation, pg.NotNullViolation,
                             pg.InvalidTextRepresentation, pg.DatetimeFieldOverflow,
                             pg.NumericValueOutOfRange, pg.InvalidDatetimeFormat, pg.StringDataRightTruncation)):
            raise ValidationError(f"The database refused the value: {_first_line(orig)}") from exc
        if is_login_refused(orig):
            raise Forbidden(f"The database refused the login: {_first_line(orig).split('FATAL:')[-1].strip()}") from exc
        if exc.connection_invalidated or is_connection_error(orig):
            raise DatabaseUnavailable(f"The database cannot be reached: {_first_line(orig)}") from exc
        raise


_LOGIN_REFUSALS = ("is not permitted to log in", "password authentication failed", "no password supplied",
                   "pg_hba.conf rejects", "role \"")


def is_login_refused(error: BaseException | None) -> bool:
    """The server is there but will not let this login in (disabled, wrong password, unknown role)."""
    if not isinstance(error, psycopg.OperationalError):
        return False
    text = str(error)
    return error.sqlstate in ("28000", "28P01") or any(
        marker in text and (marker != 'role "' or "does not exist" in text) for marker in _LOGIN_REFUSALS)


def is_connection_error(error: BaseException | None) -> bool:
    """A lost or refused connection, as opposed to a statement the server refused."""
    if not isinstance(error, psycopg.OperationalError):
        return False
    state = error.sqlstate
    return state is None or state.startswith("08") or state in ("57P01", "57P02", "57P03")


def _first_line(error: BaseException | None) -> str:
    text = str(error or "").strip()
    return text.splitlines()[0] if text else type(error).__name__


@dataclass
class UnitOfWork:
    """One transaction: the connection, who acts, and the events to append before commit."""

    conn: Connection
    correlation_id: str
    events: list[dict[str, Any]] = field(default_factory=list)

    def execute(self, statement: Any, params: Any = None) -> sa.CursorResult:
        if isinstance(statement, str):
            statement = sa.text(statement)
        return self.conn.execute(statement, params) if params is not None else self.conn.execute(statement)

    def emit(self, type_: str, data: dict[str, Any], *, customer_id: uuid.UUID | None = None) -> str:
        """Queue an event for the outbox; it is written in this transaction."""
        event_id = str(uuid.uuid4())
        self.events.append({"id": event_id, "type": type_, "customer_id": customer_id, "data": data})
        return event_id
