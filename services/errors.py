"""Typed errors in the shape of RFC 7807 problem details.

Every entry point (service call, CLI, inbound event, import) raises one of these
for bad input, before anything is written, so the caller can show `title` and
`detail` to a person and `errors` next to the fields they concern.
"""

from __future__ import annotations

from typing import Any, Mapping

PROBLEM_BASE = "https://steward.example/problems/"


class StewardError(Exception):
    """Base of every error the service layer raises on purpose."""

    slug = "error"
    title = "Something went wrong"
    status = 500

    def __init__(self, detail: str, *, errors: Mapping[str, str] | None = None, **extra: Any):
        super().__init__(detail)
        self.detail = detail
        self.errors: dict[str, str] = dict(errors or {})
        self.extra = extra

    @property
    def type(self) -> str:
        return PROBLEM_BASE + self.slug

    def to_problem(self) -> dict[str, Any]:
        problem: dict[str, Any] = {
            "type": self.type,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        }
        if self.errors:
            problem["errors"] = dict(self.errors)
        problem.update(self.extra)
        return problem

    def __str__(self) -> str:
        if not self.errors:
            return self.detail
        listed = "; ".join(f"{key}: {message}" for key, message in self.errors.items())
        return f"{self.detail} ({listed})"


class ValidationError(StewardError):
    slug = "validation"
    title = "Invalid input"
    status = 422


class NotFound(StewardError):
    slug = "not-found"
    title = "Not found"
    status = 404


class PreconditionFailed(StewardError):
    """The caller's ETag is stale: someone else changed the data in between."""

    slug = "precondition-failed"
    title = "Changed by someone else"
    status = 412

    def __init__(self, detail: str, *, current_etag: str | None = None, **kwargs: Any):
        super().__init__(detail, current_etag=current_etag, **kwargs)
        self.current_etag = current_etag


class IllegalTransition(StewardError):
    slug = "illegal-transition"
    title = "Status change not allowed"
    status = 409

    def __init__(self, detail: str, *, current: str, allowed: list[str], **kwargs: Any):
        super().__init__(detail, current=current, allowed=list(allowed), **kwargs)
        self.current = current
        self.allowed = list(allowed)


class Unauthenticated(StewardError):
    """No credentials, or ones that name nobody (unknown, expired or revoked API token)."""

    slug = "unauthenticated"
    title = "Not signed in"
    status = 401


class TooManyRequests(StewardError):
    slug = "too-many-requests"
    title = "Too many requests"
    status = 429


class PayloadTooLarge(StewardError):
    slug = "payload-too-large"
    title = "Request too large"
    status = 413


class Forbidden(StewardError):
    slug = "forbidden"
    title = "Not allowed"
    status = 403


class Conflict(StewardError):
    slug = "conflict"
    title = "Conflict"
    status = 409


class SchemaOutdated(StewardError):
    slug = "schema-outdated"
    title = "Database needs an upgrade"
    status = 503


class UpgradeFailed(StewardError):
    slug = "upgrade-failed"
    title = "The upgrade failed"
    status = 500


class DatabaseUnavailable(StewardError):
    slug = "database-unavailable"
    title = "Database not reachable"
    status = 503


__all__ = [
    "StewardError",
    "ValidationError",
    "NotFound",
    "PreconditionFailed",
    "IllegalTransition",
    "Forbidden",
    "Unauthenticated",
    "TooManyRequests",
    "PayloadTooLarge",
    "Conflict",
    "SchemaOutdated",
    "UpgradeFailed",
    "DatabaseUnavailable",
]
