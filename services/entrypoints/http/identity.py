"""Who a request acts as: the person of its API token, checked by the database in every transaction.

The server logs in as its own login (steward_http), which holds no privilege of its own.
Each transaction a request's service call opens begins with one statement that asks the
database for the token's person (public.steward_token_person) and, in the same row, sets
the token for the transaction (`steward.token`) and takes the person's group role (SET
LOCAL ROLE); both end with the transaction, so a pooled connection carries nothing into
the next request. From then on row-level security and the write API see that person and
no one else (steward_internal.person, sql/definitions/01_identity.sql). A token revoked
or expired a moment ago finds no row: the request is refused with 401.

Every request gets its own ServedContext (and facade), holding its own token; nothing of
one request's identity is shared with another.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from services.adapters.database import UnitOfWork, translated_errors
from services.errors import Forbidden, Unauthenticated
from services.service_layer.access import Actor, resolve_actor
from services.service_layer.context import Catalog, Context, local_settings
from services.service_layer.tokens import TOKEN_FORMAT

# The first statement of every transaction of a request: no row, no person.
_ENTER = sa.text(
    "SELECT p.user_id, p.role, set_config('steward.token', :token, true) AS token, "
    "       set_config('role', p.group_role, true) AS group_role "
    "  FROM public.steward_token_person(:token) p")


@dataclass(frozen=True)
class Identity:
    """A request's person: the token it presented and the person the database found for it."""

    token: str
    actor: Actor


class ServedContext(Context):
    """The service layer's Context for one request: the server's engine, the request's token.

    Each transaction (read, write, call) starts by setting the token and the person's group
    role, transaction-locally; a write API call is a transaction of its own (not autocommitted
    as for a person's own login, where one statement needs no transaction)."""

    def __init__(self, engine: Engine, identity: Identity, catalog: Catalog, *, source: str = "http"):
        super().__init__(engine, identity.actor, catalog, source=source)
        self._token = identity.token

    def _enter(self, conn: Connection) -> None:
        row = conn.execute(_ENTER, {"token": self._token}).first()
        if row is None:
            raise Unauthenticated("The API token is unknown, expired or revoked.")
        if row.user_id != self.actor.user_id or row.role != self.actor.role:
            raise Unauthenticated("The token's person has changed meanwhile; send the request again.")

    @contextlib.contextmanager
    def read(self, *, settings: Mapping[str, str] | None = None) -> Iterator[Connection]:
        with translated_errors(), self.engine.connect() as conn:
            self._enter(conn)
            if settings:
                conn.exec_driver_sql(local_settings(settings))
            yield conn
            # COMMIT, not the ROLLBACK of closing: psycopg keeps its prepared statements.
            if conn.in_transaction():
                conn.commit()

    # The HTTP server reads its one database (each transaction must enter the token first).
    read_replica = read

    @contextlib.contextmanager
    def write(self, *, correlation_id: str | None = None) -> Iterator[UnitOfWork]:
        try:
            with translated_errors(), self.engine.begin() as conn:
                self._enter(conn)
                yield UnitOfWork(conn, correlation_id or str(uuid.uuid4()), self.source)
        except Forbidden as exc:
            raise self.refusal(exc) from exc

    def call(self, function: str, /, **params: Any) -> Any:
        try:
            with translated_errors(), self.engine.begin() as conn:
                self._enter(conn)
                return UnitOfWork(conn, str(uuid.uuid4()), self.source).call(function, **params)
        except Forbidden as exc:
            raise self.refusal(exc) from exc


class Authenticator:
    """Bearer token → Identity. The person behind a token is remembered for a few seconds to
    save a round trip per request; the database checks the token again in every transaction
    all the same (ServedContext), so a revoked token is refused at once."""

    def __init__(self, engine: Engine, *, ttl: float = 5.0, size: int = 10_000):
        self._engine = engine
        self._ttl = ttl
        self._size = size
        self._known: dict[bytes, tuple[float, Identity]] = {}
        self._lock = threading.Lock()

    def identify(self, authorization: str | None) -> Identity:
        token = bearer_token(authorization)
        key = hashlib.sha256(token.encode()).digest()
        now = time.monotonic()
        hit = self._known.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]
        with translated_errors(), self._engine.connect() as conn:
            actor = resolve_actor(conn, token)
            conn.commit()   # the token's last use is noted
        identity = Identity(token, actor)
        with self._lock:
            if len(self._known) >= self._size:
                self._known.clear()
            self._known[key] = (now + self._ttl, identity)
        return identity

    def forget(self, identity: Identity) -> None:
        with self._lock:
            self._known.pop(hashlib.sha256(identity.token.encode()).digest(), None)


def bearer_token(authorization: str | None) -> str:
    """The token of an `Authorization: Bearer stw_…` header, or Unauthenticated."""
    if not authorization:
        raise Unauthenticated("Send a personal API token: `Authorization: Bearer stw_…` (see `steward tokens create`).")
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not TOKEN_FORMAT.fullmatch(token):
        raise Unauthenticated("The Authorization header must be `Bearer stw_…`, a personal API token.")
    return token
