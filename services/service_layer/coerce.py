"""Turning caller input into typed values, with a readable error for each field."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation
from typing import Any

from services.errors import ValidationError


def _fail(field: str, message: str, detail: str | None = None) -> ValidationError:
    return ValidationError(detail or f"'{field}' {message}.", errors={field: message})


def as_uuid(value: Any, field: str) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    if isinstance(value, str):
        try:
            return uuid.UUID(value)
        except ValueError:
            pass
    raise _fail(field, "must be an id (UUID)")


def as_date(value: Any, field: str) -> date:
    if isinstance(value, datetime):
        raise _fail(field, "must be a date without a time")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise _fail(field, "must be a date (YYYY-MM-DD)")


def as_moment(value: Any, field: str) -> datetime:
    """An aware datetime; a naive one is taken as UTC."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise _fail(field, "must be a date and time (ISO 8601)") from None
    if not isinstance(value, datetime):
        raise _fail(field, "must be a date and time")
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def as_text(value: Any, field: str, *, max_length: int = 200, required: bool = True) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        raise _fail(field, "must not be empty" if isinstance(value, str) else "must be text")
    value = value.strip()
    if len(value) > max_length:
        raise _fail(field, f"must be at most {max_length} characters")
    return value or None


def maybe_text(value: Any, field: str) -> str | None:
    """Text as given, or None: for values the write API trims and checks itself."""
    if value is None or isinstance(value, str):
        return value
    raise _fail(field, "must be text")


def as_int(value: Any, field: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(field, "must be a whole number")
    if minimum is not None and value < minimum:
        raise _fail(field, f"must be at least {minimum}")
    if maximum is not None and value > maximum:
        raise _fail(field, f"must be at most {maximum}")
    return value


def as_money(value: Any, field: str) -> Decimal:
    if isinstance(value, bool):
        raise _fail(field, "must be an amount")
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise _fail(field, "must be an amount") from None
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e10"):
        raise _fail(field, "must be an amount from 0 to 9,999,999,999")
    return amount.quantize(Decimal("0.01"))


def as_bool(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise _fail(field, "must be true or false")
    return value


def one_of(value: Any, field: str, choices: Iterable[str]) -> str:
    choices = tuple(choices)
    if value not in choices:
        raise _fail(field, f"must be one of {', '.join(choices)}")
    return value


def many_of(value: Any, field: str, choices: Iterable[str]) -> list[str]:
    """One value or several of `choices` (for filters that accept a list)."""
    values = [value] if isinstance(value, str) else list(value) if isinstance(value, (list, tuple, set, frozenset)) else None
    if not values:
        raise _fail(field, "must be a value or a list of values")
    return [one_of(v, field, choices) for v in values]


def jsonable(value: Any) -> Any:
    """Python values as the JSON a schema validates: ids and dates as strings, amounts as numbers."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        # JSON Schema takes 3.0 for an integer; store what it means, 3, so SQL casts to integer hold.
        return int(value)
    return value
