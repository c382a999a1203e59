"""Inbound envelopes (docs/EVENTS.md): what a valid one looks like, and why one is not."""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from services.rules.inputs import MAX_DEPTH, first_problem

SUPPORTED_MAJOR = 1
MAX_BYTES = 1_048_576  # one envelope, as UTF-8; real ones are well under a kilobyte

# The forms of a UUID that Python and PostgreSQL read alike: 8-4-4-4-12 hex digits, each
# hyphen optional, optionally in braces. The inbox keys on exactly these (inbox_event_id()
# in sql/migrations/0020.inbox-event-id.sql holds the same pattern), so an id the daemon
# accepts is always one the inbox can tell a second copy of.
EVENT_ID = re.compile(r"\{[0-9a-fA-F]{8}(-?[0-9a-fA-F]{4}){3}-?[0-9a-fA-F]{12}\}"
                      r"|[0-9a-fA-F]{8}(-?[0-9a-fA-F]{4}){3}-?[0-9a-fA-F]{12}")


class Rejected(Exception):
    """An inbound event that cannot be processed; the reason goes to the dead letters."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Inbound:
    id: uuid.UUID
    type: str
    version: str
    time: datetime | None
    source: str | None
    correlation_id: str | None
    data: dict[str, Any]


def read(value: bytes | str | Any) -> Any:
    """One envelope as JSON (bytes or text, e.g. a line of a file or a request body) or as an
    already parsed value: the parsed value, if the database can store it as jsonb. Raises
    Rejected with the reason for anything else, whatever the bytes; never another error."""
    if isinstance(value, (bytes, bytearray)):
        if len(value) > MAX_BYTES:
            raise Rejected(f"longer than {MAX_BYTES:,} bytes, more than any event needs")
        try:
            value = bytes(value).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise Rejected(f"not valid UTF-8 (byte 0x{value[exc.start]:02x} at position {exc.start + 1})") from None
    if isinstance(value, str):
        if len(value) > MAX_BYTES:  # characters: at least as many bytes
            raise Rejected(f"longer than {MAX_BYTES:,} bytes, more than any event needs")
        try:
            value = json.loads(value)
        except RecursionError:
            raise Rejected(f"the event is nested deeper than {MAX_DEPTH} levels") from None
        except ValueError as exc:
            raise Rejected(f"not valid JSON ({exc})") from None
    # What jsonb cannot hold (NUL, lone surrogates, NaN) or what is nested beyond reason.
    found = first_problem(value)
    if found is not None:
        path, message = found
        raise Rejected(f"{path} {message}")
    return value


def event_id_of(envelope: Any) -> uuid.UUID | None:
    """The envelope's id as the inbox keys on it (see EVENT_ID), or None."""
    value = envelope.get("id") if isinstance(envelope, dict) else None
    return uuid.UUID(value) if isinstance(value, str) and EVENT_ID.fullmatch(value) else None


def check(envelope: Any, known_types: list[str]) -> Inbound:
    """The envelope's own fields; the data is the type's to check."""
    if not isinstance(envelope, dict):
        raise Rejected(f"an event must be a JSON object, not {_json_kind(envelope)}")
    type_ = envelope.get("type")
    if not isinstance(type_, str) or not type_:
        raise Rejected("the event has no type")
    if type_ not in known_types:
        raise Rejected(f"unknown event type '{type_[:100]}' (accepted: {', '.join(known_types)})")
    version = envelope.get("version")
    if isinstance(version, (int, float)) and not isinstance(version, bool):
        version = str(version)
    if not isinstance(version, str) or version.split(".")[0] != str(SUPPORTED_MAJOR):
        raise Rejected(f"version {version!r} of '{type_}' is not supported (version {SUPPORTED_MAJOR}.x is)")
    event_id = event_id_of(envelope)
    if event_id is None:
        raw_id = envelope.get("id")
        raise Rejected("id is missing" if raw_id is None else f"id {str(raw_id)[:60]!r} is not a UUID")
    data = envelope.get("data")
    if not isinstance(data, dict):
        raise Rejected("the event has no data object")
    return Inbound(event_id, type_, version, _time(envelope.get("time")), _text(envelope.get("source")),
                   _text(envelope.get("correlationId")), data)


def as_uuid(value: Any, name: str) -> uuid.UUID:
    if value is None:
        raise Rejected(f"{name} is missing")
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Rejected(f"{name} {str(value)[:60]!r} is not a UUID") from None


def text_field(data: dict[str, Any], *names: str) -> str | None:
    for name in names:
        value = data.get(name)
        if value is not None:
            if not isinstance(value, (str, int)) or isinstance(value, bool) or not str(value).strip():
                raise Rejected(f"{name} must be non-empty text")
            return str(value).strip()
    return None


def _time(value: Any) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise Rejected(f"time {str(value)[:60]!r} is not an ISO 8601 time") from None


def _text(value: Any) -> str | None:
    return str(value)[:200] if value is not None else None


def _json_kind(value: Any) -> str:
    return {list: "a list", str: "a string", bool: "true/false", type(None): "null"}.get(type(value), "a number")
