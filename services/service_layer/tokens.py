"""Personal API tokens for the HTTP server (`steward serve`).

A token is made by the database (steward_api.create_token, sql/definitions/30_tokens.sql),
which keeps only its sha256 and returns the token once. The HTTP server logs in as its own
login and acts, per transaction, for the person whose token a request carries; the
database checks the token in every statement (steward_internal.person). Admins make and
revoke tokens for anyone, everyone else for themselves, and never over HTTP.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import sqlalchemy as sa

from services.errors import NotFound, ValidationError
from services.service_layer.coerce import as_text, as_uuid, maybe_text
from services.service_layer.context import Context
from services.service_layer.records import record

SCOPES = ("read", "write")
# `stw_` and 64 hex digits (sql/definitions/30_tokens.sql).
TOKEN_FORMAT = re.compile(r"stw_[0-9a-f]{64}")
_DURATION = re.compile(r"(\d{1,5})\s*([dhmw])")
_UNITS = {"m": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}


@dataclass(frozen=True)
class NewToken:
    """What create() answers: the token itself, shown once."""

    id: uuid.UUID
    token: str
    prefix: str
    login: str
    scope: str
    created_at: datetime
    label: str | None = None
    expires_at: datetime | None = None


@dataclass(frozen=True)
class Token:
    id: uuid.UUID
    login: str
    prefix: str
    scope: str
    label: str | None
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= datetime.now(timezone.utc):
            return "expired"
        return "active"


_LIST = sa.text(
    "SELECT t.id, u.login, t.prefix, t.scope, t.label, t.created_at, t.expires_at, t.revoked_at, t.last_used_at "
    "  FROM api_tokens t JOIN users u ON u.id = t.user_id "
    " WHERE (CAST(:login AS text) IS NULL OR u.login = :login) "
    "   AND (:all OR (t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now()))) "
    " ORDER BY u.login, t.created_at DESC")


def expiry(value: Any, *, now: datetime | None = None) -> datetime | None:
    """When a token expires: None (never), a datetime, a timedelta, or text like `90d`, `12h`, `2w`."""
    if value is None:
        return None
    now = now or datetime.now(timezone.utc)
    if isinstance(value, datetime):
        return value if value.tzinfo else value.astimezone()
    if isinstance(value, timedelta):
        return now + value
    if isinstance(value, str):
        text = value.strip().lower()
        if text in ("", "never"):
            return None
        match = _DURATION.fullmatch(text)
        if match:
            return now + int(match.group(1)) * _UNITS[match.group(2)]
        try:
            moment = datetime.fromisoformat(text.replace("z", "+00:00"))
        except ValueError:
            pass
        else:
            return moment if moment.tzinfo else moment.astimezone()
    raise ValidationError(f"'{value}' is no expiry: give a duration like 90d, 12h, 2w, or an ISO time.",
                          errors={"expires": "a duration like 90d, or an ISO 8601 time"})


class TokenService:
    def __init__(self, ctx: Context):
        self._ctx = ctx

    def create(self, login: str, *, scope: str = "read", expires: Any = None, label: str | None = None) -> NewToken:
        """Make a token for `login` (admins: anyone; others: themselves). The answer holds the
        token; nothing keeps it, so show it once. Commits; appends `api_token.created`."""
        if scope not in SCOPES:
            raise ValidationError(f"'{scope}' is no token scope.", errors={"scope": "read or write"})
        answer = self._ctx.call("create_token", login=as_text(login, "login", max_length=63), scope=scope,
                                expires_at=expiry(expires), label=maybe_text(label, "label"))
        return record(NewToken, answer)

    def list(self, login: str | None = None, *, include_inactive: bool = False) -> list[Token]:
        """Your tokens (an admin: everyone's, or `login`'s), without the tokens themselves."""
        with self._ctx.read() as conn:
            rows = conn.execute(_LIST, {"login": maybe_text(login, "login"), "all": bool(include_inactive)})
            return [Token(**r._mapping) for r in rows]

    def revoke(self, token: Any) -> Token:
        """Revoke a token by its id or its prefix (`stw_1a2b3c4d`); at once for every request after.
        Commits; appends `api_token.revoked`."""
        token_id = self._find(token)
        self._ctx.call("revoke_token", token=token_id)
        return next(t for t in self.list(include_inactive=True) if t.id == token_id)

    def _find(self, token: Any) -> uuid.UUID:
        if isinstance(token, uuid.UUID) or (isinstance(token, str) and not token.startswith("stw_")):
            return as_uuid(token, "token")
        prefix = as_text(token, "token", max_length=100)[:12]
        matches = [t.id for t in self.list(include_inactive=True) if t.prefix == prefix]
        if len(matches) != 1:
            raise NotFound(f"There is no single API token of yours starting with {prefix}.")
        return matches[0]
