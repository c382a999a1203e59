"""The HTTP server's side of the database: its engine, the catalog, and a facade per request."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine

from services.adapters import schema
from services.adapters.database import database_url, make_engine, translated_errors
from services.errors import DatabaseUnavailable, Forbidden, SchemaOutdated, StewardError
from services.entrypoints.http.identity import Authenticator, Identity, ServedContext
from services.service_layer.access import HTTP_LOGIN
from services.service_layer.context import Catalog, load_catalog
from services.service_layer.facade import Steward

# Reference data (the pack, the product catalog) is what every person reads; the server
# reads it at start under the group every person belongs to, without any person's token.
_AS_ANY_PERSON = sa.text("SELECT set_config('role', 'steward_person', true)")


@dataclass(frozen=True)
class ServerOptions:
    pool_size: int = 16
    identity_ttl: float = 5.0         # seconds a token's person is remembered between requests
    rate_per_second: float = 50.0     # per token; 0: no limit
    burst: int = 100
    max_body_bytes: int = 1 << 20     # 1 MiB, as an inbound envelope may be


def server_url(url: str | URL) -> URL:
    """The server's URL: the given server, logged in as steward_http (a password in the URL
    is kept only when the URL names steward_http; otherwise libpq finds it: PGPASSWORD, ~/.pgpass)."""
    parsed = database_url(url) if isinstance(url, str) else url
    if parsed.username == HTTP_LOGIN:
        return parsed
    return parsed.set(username=HTTP_LOGIN, password=None)


class Server:
    """One per worker process: the engine of the server's login and the pack's catalog."""

    def __init__(self, url: URL, options: ServerOptions | None = None):
        self.options = options or ServerOptions()
        self.url = url
        self.engine: Engine = make_engine(url, pool_size=self.options.pool_size, application_name="steward-http")
        try:
            with translated_errors():
                with self.engine.connect() as conn:
                    login = conn.execute(sa.text("SELECT session_user")).scalar()
                if login != HTTP_LOGIN:
                    # The database trusts a token only in steward_http's session; any other login
                    # would act as itself for every request, whatever the token.
                    raise Forbidden(f"The HTTP server must log in as {HTTP_LOGIN}, not {login}.")
                schema.ensure_current(self.engine, url, may_upgrade=False)
                self.catalog = self._load_catalog()
        except BaseException:
            self.engine.dispose()
            raise
        self.auth = Authenticator(self.engine, ttl=self.options.identity_ttl)

    def _load_catalog(self) -> Catalog:
        with self.engine.connect() as conn:
            conn.execute(_AS_ANY_PERSON)
            catalog = load_catalog(conn)
            conn.rollback()
        return catalog

    def steward(self, identity: Identity) -> Steward:
        """The service facade acting as the request's person (a new one per request)."""
        ctx = ServedContext(self.engine, identity, self.catalog)
        return Steward(self.engine, self.url, identity.actor, ctx)

    def health(self) -> dict[str, object]:
        """Whether the database answers and its schema is this program's."""
        try:
            with translated_errors():
                pending = schema.pending_migrations(self.engine)
                current = not pending and schema.definitions_current(self.engine)
        except (DatabaseUnavailable, StewardError) as exc:
            return {"status": "unavailable", "database": "unreachable", "schema": "unknown", "detail": str(exc)}
        except sa.exc.SQLAlchemyError as exc:
            return {"status": "unavailable", "database": "unreachable", "schema": "unknown",
                    "detail": str(exc).splitlines()[0]}
        if not current:
            detail = str(SchemaOutdated(f"pending migrations: {', '.join(pending)}" if pending
                                        else "the definitions differ from this program's"))
            return {"status": "unavailable", "database": "reachable", "schema": "outdated", "detail": detail}
        return {"status": "ok", "database": "reachable", "schema": "current"}

    def close(self) -> None:
        self.engine.dispose()
