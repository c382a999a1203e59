"""Who is acting: the person behind this database login, and what their role allows."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from services.errors import Forbidden, Unauthenticated

# The HTTP server's login (sql/migrations/0030): nobody of its own; a request's API token names the person.
HTTP_LOGIN = "steward_http"

SALES_REP, TEAM_LEAD, CHAIN_MANAGER, ADMIN = "SALES_REP", "TEAM_LEAD", "CHAIN_MANAGER", "ADMIN"
# A module service account (lead acquisition, ...): posts inbound events, nothing else.
MODULE = "MODULE"
ROLES = (SALES_REP, TEAM_LEAD, CHAIN_MANAGER, ADMIN, MODULE)
# Contract and price fields (restricted in the field catalog) may be written by these.
RESTRICTED_WRITERS = (CHAIN_MANAGER, ADMIN)


@dataclass(frozen=True)
class Actor:
    type: str                  # "user" for a person, "system" for the schema owner or the daemon
    id: str
    login: str
    role: str
    display_name: str
    region: str | None = None
    user_id: uuid.UUID | None = None
    scope: str = "write"          # an API token's scope; a login's own session may write

    @property
    def envelope(self) -> dict[str, str]:
        return {"type": self.type, "id": self.id}

    @property
    def may_write_restricted(self) -> bool:
        return self.role in RESTRICTED_WRITERS


# The person an API token stands for, checked by the database (sql/definitions/30_tokens.sql);
# answers only in the HTTP server's session.
TOKEN_PERSON = sa.text(
    "SELECT user_id, login, display_name, role, region, scope, group_role FROM public.steward_token_person(:token)")


def resolve_actor(conn: Connection, token: str | None = None) -> Actor:
    """The person this connection logs in as; the owner or a superuser acts as the system.
    For the HTTP server's login, the person whose API token `token` is (Unauthenticated if none)."""
    if token is not None:
        row = conn.execute(TOKEN_PERSON, {"token": token}).first()
        if row is None:
            raise Unauthenticated("The API token is unknown, expired or revoked.")
        return Actor("user", str(row.user_id), row.login, row.role, row.display_name, row.region, row.user_id,
                     row.scope)
    row = conn.execute(sa.text(
        "SELECT u.id, u.login, u.display_name, u.role, u.region, u.active "
        "FROM users u WHERE u.login = session_user"
    )).first()
    if row is not None:
        if not row.active:
            raise Forbidden(f"The Steward user '{row.login}' is disabled.")
        return Actor("user", str(row.id), row.login, row.role, row.display_name, row.region, row.id)
    login, privileged, daemon = conn.execute(sa.text(
        "SELECT session_user, rolsuper OR rolbypassrls OR pg_has_role(session_user, "
        "(SELECT datdba FROM pg_database WHERE datname = current_database()), 'MEMBER'), "
        "coalesce((SELECT pg_has_role(session_user, d.oid, 'MEMBER') FROM pg_roles d WHERE d.rolname = 'steward_daemon'), false) "
        "FROM pg_roles WHERE rolname = session_user"
    )).one()
    if login == HTTP_LOGIN:
        raise Unauthenticated("The HTTP server's login acts only for a person's API token, and none was given.")
    if privileged:
        return Actor("system", login, login, ADMIN, login)
    if daemon:
        # The headless daemon (services/service_layer/events): its events carry this actor.
        return Actor("service", "steward-daemon", login, ADMIN, "Steward daemon")
    raise Forbidden(
        f"The database login '{login}' is not a Steward user. An admin adds people with `steward users add`."
    )
