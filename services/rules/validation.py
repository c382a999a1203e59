"""Validation of JSON values against the pack's JSON schemas and checks, before anyone saves.

The database checks the same declarations when a value is written
(steward_internal.schema_errors and check_errors in sql/definitions/02_validation.sql);
that check is the one that counts. This one lets a form mark a field while a
person types. Both speak the same messages under the same paths, and
tests/integration/test_validation_agrees.py holds them equal.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

from services.errors import ValidationError

_FORMATS = FormatChecker(("date", "uuid", "email"))
_TYPE_WORDS = {"string": "must be text", "number": "must be a number", "integer": "must be a whole number",
               "boolean": "must be true or false", "object": "must be an object", "array": "must be a list",
               "null": "must be empty"}
_FORMAT_WORDS = {"date": "must be a date (YYYY-MM-DD)", "uuid": "must be an id (UUID)",
                 "email": "must be an e-mail address"}


@lru_cache(maxsize=256)
def _validator(schema_json: str) -> Draft202012Validator:
    return Draft202012Validator(json.loads(schema_json), format_checker=_FORMATS)


def _number(value: Any) -> str:
    return json.dumps(value)


def _message(error) -> str:
    kind, expected = error.validator, error.validator_value
    if kind == "type":
        first = expected[0] if isinstance(expected, list) else expected
        return _TYPE_WORDS.get(first, "has the wrong type")
    if kind == "enum":
        return "must be one of " + ", ".join("null" if v is None else str(v) for v in expected)
    if kind == "const":
        return f"must be {_number(expected)}"
    if kind == "minimum":
        return f"must be at least {_number(expected)}"
    if kind == "maximum":
        return f"must be at most {_number(expected)}"
    if kind == "exclusiveMinimum":
        return f"must be more than {_number(expected)}"
    if kind == "exclusiveMaximum":
        return f"must be less than {_number(expected)}"
    if kind == "minLength":
        return "must not be empty" if expected == 1 else f"must be at least {expected} characters"
    if kind == "maxLength":
        return f"must be at most {expected} characters"
    if kind == "format":
        return _FORMAT_WORDS.get(expected, "is not in the expected form")
    if kind == "minItems":
        return f"must have at least {expected} entries"
    if kind == "maxItems":
        return f"must have at most {expected} entries"
    if kind == "uniqueItems":
        return "lists an entry twice"
    if kind in ("oneOf", "anyOf"):
        return "does not match any of the allowed shapes"
    return error.message


def schema_errors(schema: Mapping[str, Any], value: Any, *, prefix: str) -> dict[str, str]:
    """Per-path messages for everything wrong with `value`; empty when it is valid."""
    validator = _validator(json.dumps(schema, sort_keys=True))
    errors: dict[str, str] = {}
    for error in sorted(validator.iter_errors(value), key=lambda e: [str(p) for p in e.absolute_path]):
        base = [str(p) for p in (prefix, *error.absolute_path) if p != ""]
        # Name each missing or unexpected property itself, so a form can mark that field.
        if error.validator == "required":
            present = error.instance if isinstance(error.instance, dict) else {}
            for name in error.validator_value:
                if name not in present:
                    errors.setdefault(".".join([*base, name]), "is required")
            continue
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = set(error.schema.get("properties", {}))
            for name in error.instance:
                if name not in allowed:
                    errors.setdefault(".".join([*base, str(name)]), "is not a field of this form")
            continue
        errors.setdefault(".".join(base) or "value", _message(error))
    return errors


def check_errors(checks: Iterable[Mapping[str, str]], value: Any, *, prefix: str) -> dict[str, str]:
    """The pack's checks across the parts of one value ({"field": b, "not_before": a})."""
    errors: dict[str, str] = {}
    if not isinstance(value, Mapping):
        return errors
    for check in checks:
        later, earlier = value.get(check["field"]), value.get(check["not_before"])
        if isinstance(later, str) and isinstance(earlier, str) and later < earlier:
            errors[".".join(p for p in (prefix, check["field"]) if p)] = f"must not lie before {check['not_before']}"
    return errors


def value_errors(schema: Mapping[str, Any], checks: Iterable[Mapping[str, str]], value: Any, *,
                 prefix: str) -> dict[str, str]:
    """Everything wrong with a value: its schema first, then (if that holds) the checks."""
    return schema_errors(schema, value, prefix=prefix) or check_errors(checks, value, prefix=prefix)


def check(schema: Mapping[str, Any], value: Any, *, prefix: str, what: str) -> None:
    errors = schema_errors(schema, value, prefix=prefix)
    if errors:
        raise ValidationError(f"{what} is not valid.", errors=errors)
