"""Engines, units of work, and the translation of database errors into typed ones."""

from __future__ import annotations

import contextlib
import functools
import json
import select
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

import psycopg
import sqlalchemy as sa
from psycopg import errors as pg
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import URL, Connection, Engine, make_url

from services.errors import (Conflict, DatabaseUnavailable, Forbidden, IllegalTransition, NotFound,
                             PreconditionFailed, StewardError, ValidationError)


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


def make_engine(url: URL, *, pool_size: int = 4, application_name: str = "steward",
                settings: dict[str, str] | None = None) -> Engine:
    """`settings` hold for every session of the engine, sent with the login (no round trip)."""
    connect_args: dict[str, Any] = {"application_name": application_name, "connect_timeout": 10}
    if settings:
        connect_args["options"] = " ".join(f"-c {name}={value}" for name, value in settings.items())
    engine = sa.create_engine(
        url,
        pool_size=pool_size,
        max_overflow=4,
        pool_recycle=1800,
        json_serializer=dumps,
        connect_args=connect_args,
    )
    sa.event.listen(engine, "checkin", _went_idle)
    sa.event.listen(engine, "checkout", partial(_check_alive, engine.dialect))
    return engine


# A pooled connection is checked before it is handed out without a round trip (pool_pre_ping
# costs one per call, 20 ms over a real network): a server that ended the session (a restart,
# pg_terminate_backend) has said so or closed the socket, which is then readable. A connection
# idle for longer than this is pinged all the same (a firewall may have dropped it silently).
IDLE_PING_SECONDS = 30.0


def _went_idle(dbapi_connection: Any, record: Any) -> None:
    record.info["idle_since"] = time.monotonic()


def _check_alive(dialect: Any, dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    since = record.info.pop("idle_since", None)
    if since is None:
        return                                        # just opened
    try:
        pgconn = dbapi_connection.pgconn
        if pgconn.status != psycopg.pq.ConnStatus.OK or select.select([pgconn.socket], [], [], 0)[0]:
            raise sa_exc.DisconnectionError("the server ended the session")
        if time.monotonic() - since > IDLE_PING_SECONDS:
            dialect.do_ping(dbapi_connection)
    except sa_exc.DisconnectionError:
        raise
    except Exception as exc:                          # a closed socket, a failed ping
        raise sa_exc.DisconnectionError(str(exc)) from exc


@contextlib.contextmanager
def translated_errors() -> Iterator[None]:
    """Turn the database's refusals into the errors a person can read."""
    try:
        yield
    except StewardError:
        raise
    except sa_exc.DBAPIError as exc:
        orig = exc.orig
        refusal = api_refusal(orig)
        if refusal is not None:
            raise refusal from exc
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


def api_refusal(error: BaseException | None) -> StewardError | None:
    """The typed error for a refusal of the write API (sql/definitions/00_schemas.sql,
    SQLSTATE SWnnn; its DETAIL a JSON object), or None for any other error."""
    state = getattr(error, "sqlstate", None) or ""
    if not state.startswith("SW"):
        return None
    message = error.diag.message_primary or "Refused by the database."
    try:
        detail = json.loads(error.diag.message_detail or "{}")
    except ValueError:
        detail = {}
    errors = detail.get("errors") or {}
    if state == "SW422":
        return ValidationError(message, errors=errors)
    if state == "SW404":
        return NotFound(message, errors=errors)
    if state == "SW409":
        return IllegalTransition(message, current=detail.get("current"), allowed=detail.get("allowed") or [])
    if state == "SW412":
        return PreconditionFailed(message, current_etag=detail.get("current_etag"))
    if state == "SW410":
        return Conflict(message, errors=errors)
    refused = Forbidden(message, errors=errors)
    if "customer_id" in detail:
        # Which of "not visible" and "not yours" it is, the caller asks the read policies.
        refused.refused_customer = (detail["customer_id"], detail.get("doing", "change it"))
    return refused


_LOGIN_REFUSALS = ("is not permitted to log in", "password authentication failed", "no password supplied",
                   "pg_hba.conf rejects", "role \"", "permission denied for database")


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


class Json:
    """A value passed to the write API as jsonb."""

    __slots__ = ("value",)

    def __init__(self, value: Any):
        self.value = value


@dataclass
class UnitOfWork:
    """One transaction: the connection and the correlation id of what it does."""

    conn: Connection
    correlation_id: str
    source: str = "service"

    def execute(self, statement: Any, params: Any = None) -> sa.CursorResult:
        if isinstance(statement, str):
            statement = sa.text(statement)
        return self.conn.execute(statement, params) if params is not None else self.conn.execute(statement)

    def call(self, function: str, /, **params: Any) -> Any:
        """`steward_api.<function>(p_<name> => ...)`: one round trip; returns its result.
        Values wrapped in Json go as jsonb; the caller's context (correlation id,
        source) goes with every call, for the audit history and the events."""
        context = {"correlation_id": self.correlation_id, "source": self.source}
        values = {name: (v.value if isinstance(v, Json) else v) for name, v in params.items()}
        values["context"] = context
        statement = _call_statement(function, tuple((name, isinstance(v, Json)) for name, v in params.items()))
        return self.conn.execute(statement, values).scalar()


@functools.lru_cache(maxsize=128)
def _call_statement(function: str, params: tuple[tuple[str, bool], ...]) -> sa.TextClause:
    if not function.isidentifier():
        raise ValueError(function)
    arguments = [f"p_{name} => :{name}" for name, _ in params] + ["p_context => :context"]
    binds = [sa.bindparam(name, type_=JSONB(none_as_null=True)) for name, is_json in params if is_json]
    binds.append(sa.bindparam("context", type_=JSONB))
    return sa.text(f"SELECT steward_api.{function}({', '.join(arguments)})").bindparams(*binds)
