"""Keyset pagination: opaque cursors and pages.

A cursor carries the sort key of the last row handed out and a fingerprint of
the query it belongs to, so a page never repeats or skips rows (even while rows
are inserted) and a cursor from another filter is refused instead of misread.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from services.errors import ValidationError

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: tuple[T, ...]
    next_cursor: str | None

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def fingerprint(query: dict[str, Any]) -> str:
    canonical = json.dumps(query, sort_keys=True, default=str)
    return hashlib.blake2s(canonical.encode(), digest_size=6).hexdigest()


def encode(query_fingerprint: str, position: dict[str, Any]) -> str:
    raw = json.dumps({"q": query_fingerprint, **position}, separators=(",", ":"), default=str)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(cursor: str, query_fingerprint: str) -> dict[str, Any]:
    """The position a cursor stands for; a typed error for anything else."""
    if not isinstance(cursor, str) or not cursor or len(cursor) > 2000:
        raise ValidationError("The page cursor is malformed.", errors={"cursor": "not a cursor of this list"})
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(data, dict):
            raise ValueError
    except (ValueError, UnicodeDecodeError):
        raise ValidationError("The page cursor is malformed.", errors={"cursor": "not a cursor of this list"}) from None
    if data.pop("q", None) != query_fingerprint:
        raise ValidationError(
            "The page cursor belongs to another filter or sort order; start again from the first page.",
            errors={"cursor": "belongs to another query"},
        )
    return data


def check_limit(limit: Any, *, maximum: int = 1000) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= maximum:
        raise ValidationError(f"The page size must be a whole number from 1 to {maximum}.",
                              errors={"limit": f"must be 1..{maximum}"})
    return limit
