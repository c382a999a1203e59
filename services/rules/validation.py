"""Validation of JSON values against the JSON schemas of the field catalog and activity kinds."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

from services.errors import ValidationError

_FORMATS = FormatChecker(("date", "uuid", "email"))


@lru_cache(maxsize=256)
def _validator(schema_json: str) -> Draft202012Validator:
    return Draft202012Validator(json.loads(schema_json), format_checker=_FORMATS)


def schema_errors(schema: dict[str, Any], value: Any, *, prefix: str) -> dict[str, str]:
    """Per-path messages for everything wrong with `value`; empty when it is valid."""
    validator = _validator(json.dumps(schema, sort_keys=True))
    errors: dict[str, str] = {}
    for error in sorted(validator.iter_errors(value), key=lambda e: list(e.absolute_path)):
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
        message = "does not match any of the allowed shapes" if error.validator == "oneOf" else error.message
        errors.setdefault(".".join(base) or "value", message)
    return errors


def check(schema: dict[str, Any], value: Any, *, prefix: str, what: str) -> None:
    errors = schema_errors(schema, value, prefix=prefix)
    if errors:
        raise ValidationError(f"{what} is not valid.", errors=errors)
