"""Input no service should ever see, whatever it expects: one check for every entry point.

PostgreSQL stores no NUL character in text or jsonb and no lone surrogate (it is not
UTF-8); JSON has no NaN or infinity; a structure nested thousands deep makes Python's
own recursion give up. Left alone, each surfaces deep down as an untyped exception
(DataError, UnicodeEncodeError, RecursionError). Here each becomes a ValidationError
that names where the problem sits, before anything runs.

The walk is iterative and stops at MAX_DEPTH, so even a value nested 100,000 deep
(or one that contains itself) is refused, not recursed into.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from services.errors import ValidationError

MAX_DEPTH = 32          # levels of nested dicts and lists; no field, activity or event needs a tenth of it
MAX_LIMIT = 2**63 - 1   # what the database takes for LIMIT; services cap page sizes far lower themselves
_LABEL = 100            # characters of a key shown in an error's path


def check(value: Any, name: str = "") -> None:
    """Raise ValidationError naming the dotted path of the first problem in `value`.

    `name` starts the path (a parameter's name); without one the path starts at the
    value's own keys (the field keys of a change set). Nesting too deep is named on
    the outermost key that holds it: the path down to level 33 helps nobody.
    """
    found = first_problem(value, name)
    if found is not None:
        path, message = found
        raise ValidationError(f"'{path}' {message}.", errors={path: message})


def check_arguments(arguments: Mapping[str, Any], *, flat: frozenset[str] | set[str] = frozenset()) -> None:
    """A call's arguments by parameter name; those in `flat` (mappings whose keys are field
    keys, **kwargs) by their inner keys, as the services name those fields themselves."""
    for name, value in arguments.items():
        if name == "limit":
            check_limit(value)
        check(value, "" if name in flat and isinstance(value, Mapping) else name)


def check_limit(value: Any, name: str = "limit") -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError(f"'{name}' must be a whole number of at least 1.",
                              errors={name: "must be a whole number of at least 1"})
    if value > MAX_LIMIT:
        raise ValidationError(f"'{name}' must be at most {MAX_LIMIT:,}.", errors={name: f"must be at most {MAX_LIMIT:,}"})


def first_problem(value: Any, name: str = "") -> tuple[str, str] | None:
    """(path, message) of the first problem, depth first in the value's own order; None if clean."""
    flaw = _flaw(value)
    if flaw is not None:
        return name or "value", flaw
    if not _is_container(type(value)):
        return None
    # Each frame: the container's entries still to look at, its path, its depth, and the name
    # nesting is reported on. An entry's path is only spelled out when it is needed.
    stack: list[tuple[Iterator[tuple[Any, Any]], str, int, str]] = [(_entries(value), name, 1, name)]
    while stack:
        entries, path, depth, outer = stack[-1]
        for where, child in entries:
            flaw = _flaw(child)
            if flaw is not None:
                return _path(path, where), flaw
            if _is_container(type(child)):
                here = _path(path, where)
                if depth >= MAX_DEPTH:
                    return outer or here, f"is nested deeper than {MAX_DEPTH} levels"
                stack.append((_entries(child), here, depth + 1, outer or here))
                break  # into the child first; this frame's iterator resumes after it
        else:
            stack.pop()
    return None


def shown(value: str | bytes, limit: int | None = None) -> str:
    """Text PostgreSQL can store and a person can read: invalid UTF-8 bytes as \\xff, lone
    surrogates as \\ud800, NUL as \\x00 (for dead letters' raw lines, error paths, output)."""
    if isinstance(value, (bytes, bytearray)):
        head = value[:limit * 4] if limit else value  # enough bytes for `limit` characters
        text = bytes(head).decode("utf-8", "backslashreplace")
    else:
        text = value[:limit] if limit else value
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    text = text.replace("\x00", "\\x00")
    return text[:limit] if limit else text


@functools.cache
def _is_container(cls: type) -> bool:
    return issubclass(cls, (Mapping, list, tuple, set, frozenset))


@functools.cache
def _may_be_flawed(cls: type) -> bool:
    return issubclass(cls, (str, bytes, bytearray, float, Decimal))


def _flaw(value: Any) -> str | None:
    if not _may_be_flawed(type(value)):
        return None  # most values: ids, numbers, dates, None
    if isinstance(value, str):
        if "\x00" in value:
            return "contains a NUL character"
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            return f"is not valid text (a lone surrogate {shown(value[exc.start])} at character {exc.start + 1})"
    elif isinstance(value, (bytes, bytearray)):
        if b"\x00" in value:
            return "contains a NUL byte"
        try:
            bytes(value).decode("utf-8")
        except UnicodeDecodeError as exc:
            return f"is not valid UTF-8 (byte 0x{value[exc.start]:02x} at position {exc.start + 1})"
    elif isinstance(value, float) and not math.isfinite(value):
        return "must be a finite number, not NaN or infinity"
    elif isinstance(value, Decimal) and not value.is_finite():
        return "must be a finite number, not NaN or infinity"
    return None


def _entries(container: Any) -> Iterator[tuple[Any, Any]]:
    """(where, item) of each item: a position, a key (checked itself as well as its value),
    or _NOWHERE in a set, which has no order and so no position to name."""
    if isinstance(container, Mapping):
        for key, item in container.items():
            yield _Key(key), key
            yield _Key(key), item
    elif isinstance(container, (set, frozenset)):
        for item in container:
            yield _NOWHERE, item
    else:
        yield from enumerate(container)


class _Key:
    __slots__ = ("key",)

    def __init__(self, key: Any):
        self.key = key


_NOWHERE = object()


def _path(path: str, where: Any) -> str:
    if where is _NOWHERE:
        return path or "value"
    if isinstance(where, _Key):
        key = where.key
        label = shown(key if isinstance(key, (str, bytes)) else str(key), _LABEL)
    else:
        label = str(where)
    return f"{path}.{label}" if path else label
