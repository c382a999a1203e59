"""A fast yes/no check of field values, generated from the pack's JSON schemas.

steward_internal.schema_errors (sql/definitions/02_validation.sql) interprets a schema
and says what is wrong, in words, at about 40 µs a value: right for a person's patch,
too slow for a bulk write of a hundred thousand legacy rows with five fields each. From
the same schemas this module makes one SQL expression per field that only says whether
a value is valid (a few µs), as `steward_internal.field_value_valid(key, value)`; a bulk
write asks it first and asks schema_errors only about the values it refuses, for the
words. Both read the same subset of JSON Schema (the header of 02_validation.sql), and
tests/ops/test_field_checks.py holds them equal on valid and invalid values.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator, Mapping
from typing import Any

from services.pack import Pack

_JSON_TYPES = {"string": "string", "number": "number", "boolean": "boolean", "object": "object", "array": "array",
               "null": "null"}


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _jsonb(value: Any) -> str:
    return _literal(json.dumps(value, ensure_ascii=False)) + "::jsonb"


def _number(value: Any) -> str:
    return f"{value}::numeric" if isinstance(value, (int, float)) and not isinstance(value, bool) else "NULL::numeric"


class _Compiler:
    def __init__(self) -> None:
        self._aliases: Iterator[int] = itertools.count(1)

    def valid(self, schema: Mapping[str, Any], v: str) -> str:
        """A boolean SQL expression: `v` (a jsonb expression) is valid under `schema`."""
        parts: list[str] = []
        for keyword, combine in (("oneOf", "= 1"), ("anyOf", ">= 1")):
            if keyword in schema:
                branches = " + ".join(f"(CASE WHEN {self.valid(b, v)} THEN 1 ELSE 0 END)" for b in schema[keyword])
                parts.append(f"(({branches}) {combine})")
        if "type" in schema:
            types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            parts.append("(" + " OR ".join(self._type(t, v) for t in types) + ")")
        if "enum" in schema:
            parts.append(f"({v} = ANY (ARRAY[{', '.join(_jsonb(e) for e in schema['enum'])}]))")
        if "const" in schema:
            parts.append(f"({v} = {_jsonb(schema['const'])})")
        for kind, checks in (("object", self._object(schema, v)), ("array", self._array(schema, v)),
                             ("string", self._string(schema, v)), ("number", self._numeric(schema, v))):
            if checks:
                parts.append(f"(jsonb_typeof({v}) <> '{kind}' OR ({' AND '.join(checks)}))")
        return "(" + " AND ".join(parts) + ")" if parts else "true"

    @staticmethod
    def _type(t: str, v: str) -> str:
        if t == "integer":
            return (f"(jsonb_typeof({v}) = 'number' AND ({v} #>> '{{}}')::numeric = trunc(({v} #>> '{{}}')::numeric))")
        if t in _JSON_TYPES:
            return f"jsonb_typeof({v}) = '{_JSON_TYPES[t]}'"
        return "false"

    def _object(self, schema: Mapping[str, Any], v: str) -> list[str]:
        checks = []
        if schema.get("required"):
            checks.append(f"{v} ?& ARRAY[{', '.join(_literal(r) for r in schema['required'])}]::text[]")
        properties = schema.get("properties") or {}
        for name, sub in properties.items():
            inner = self.valid(sub, f"({v} -> {_literal(name)})")
            if inner != "true":
                checks.append(f"(NOT {v} ? {_literal(name)} OR {inner})")
        if schema.get("additionalProperties") is False:
            known = ", ".join(_literal(p) for p in properties) or "NULL"
            checks.append(f"NOT EXISTS (SELECT 1 FROM jsonb_object_keys({v}) k WHERE k NOT IN ({known}))")
        return checks

    def _array(self, schema: Mapping[str, Any], v: str) -> list[str]:
        checks = []
        if "minItems" in schema:
            checks.append(f"jsonb_array_length({v}) >= {int(schema['minItems'])}")
        if "maxItems" in schema:
            checks.append(f"jsonb_array_length({v}) <= {int(schema['maxItems'])}")
        if schema.get("uniqueItems") is True:
            checks.append(f"(SELECT count(DISTINCT e) = count(*) FROM jsonb_array_elements({v}) e)")
        if "items" in schema:
            alias = f"e{next(self._aliases)}"
            inner = self.valid(schema["items"], alias)
            if inner != "true":
                checks.append(f"NOT EXISTS (SELECT 1 FROM jsonb_array_elements({v}) {alias} WHERE NOT {inner})")
        return checks

    @staticmethod
    def _string(schema: Mapping[str, Any], v: str) -> list[str]:
        text = f"({v} #>> '{{}}')"
        checks = []
        if "minLength" in schema:
            checks.append(f"length({text}) >= {int(schema['minLength'])}")
        if "maxLength" in schema:
            checks.append(f"length({text}) <= {int(schema['maxLength'])}")
        fmt = schema.get("format")
        if fmt == "date":
            checks.append(f"steward_internal.is_iso_date({text})")
        elif fmt == "uuid":
            checks.append(f"{text} ~* '^[0-9a-f]{{8}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{12}}$'")
        elif fmt == "email":
            checks.append(f"{text} ~ '^[^@\\s]+@[^@\\s]+$'")
        return checks

    @staticmethod
    def _numeric(schema: Mapping[str, Any], v: str) -> list[str]:
        number = f"({v} #>> '{{}}')::numeric"
        ops = {"minimum": ">=", "maximum": "<=", "exclusiveMinimum": ">", "exclusiveMaximum": "<"}
        return [f"{number} {op} {_number(schema[key])}" for key, op in ops.items() if key in schema]


def _checks(checks: Any, v: str) -> str:
    """The pack's checks across the parts of a value (02_validation.sql check_errors)."""
    parts = []
    for check in checks or ():
        later, earlier = _literal(check["field"]), _literal(check["not_before"])
        parts.append(f"NOT (jsonb_typeof({v}) = 'object' AND jsonb_typeof({v} -> {later}) = 'string' "
                     f"AND jsonb_typeof({v} -> {earlier}) = 'string' AND ({v} ->> {later}) < ({v} ->> {earlier}))")
    return " AND ".join(parts)


def expression(schema: Mapping[str, Any], checks: Any = (), value: str = "p_value") -> str:
    """The check of one field's value, as an SQL boolean expression of `value`."""
    test = _Compiler().valid(schema, value)
    extra = _checks(checks, value)
    return f"({test} AND {extra})" if extra else test


def case(pack: Pack, key: str, value: str) -> str:
    """CASE <key> WHEN field THEN <its check of value> ... END (NULL: no such field; false: derived)."""
    branches = "\n".join(
        f"        WHEN {_literal(f.key)} THEN {'false' if f.derived else expression(f.schema, f.checks, value)}"
        for f in pack.fields)
    return f"CASE {key}\n{branches}\n    END"


def definitions(pack: Pack) -> str:
    inline = case(pack, "f.key", "f.value").replace("'", "''")
    return f"""-- Generated by services/adapters/field_checks.py from the field schemas of the pack {pack.name!r}.
-- Whether a value of a field is valid (NULL: no such field; false for a derived one): the
-- same answer as steward_internal.schema_errors and check_errors being empty.
CREATE OR REPLACE FUNCTION steward_internal.field_value_valid(p_key text, p_value jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT {case(pack, "p_key", "p_value")}
$$;

-- The same check as an expression of f.key and f.value, for a bulk write to put into its
-- own statement (EXECUTE): there, each value costs a few µs; through the function above,
-- which PostgreSQL cannot inline (its subqueries), tens of µs.
CREATE OR REPLACE FUNCTION steward_internal.field_check_sql() RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT '{inline}'::text
$$;"""
