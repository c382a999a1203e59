"""Frozen dataclasses from the JSON the write API returns.

The write API answers each call with the written thing as a JSON object (one
round trip: the statement that writes also reads back). JSON knows no ids,
dates or amounts, so each value is turned into the type its dataclass field
declares; a field the JSON does not carry keeps its default.
"""

from __future__ import annotations

import dataclasses
import types
import typing
import uuid
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def record(cls: type[T], data: dict[str, Any], **overrides: Any) -> T:
    hints = _hints(cls)
    values = {f.name: _convert(hints[f.name], data[f.name])
              for f in dataclasses.fields(cls) if f.init and f.name in data}
    return cls(**{**values, **overrides})


def _convert(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        hint = next(h for h in typing.get_args(hint) if h is not type(None))
        origin = typing.get_origin(hint)
    if origin is tuple:
        args = typing.get_args(hint)
        return tuple(_convert(args[0], v) for v in value) if args else tuple(value)
    if hint is uuid.UUID:
        return uuid.UUID(value)
    if hint is datetime:
        return datetime.fromisoformat(value)
    if hint is date:
        return date.fromisoformat(value)
    if hint is Decimal:
        return Decimal(str(value))
    if dataclasses.is_dataclass(hint) and isinstance(value, dict):
        return record(hint, value)
    return value
