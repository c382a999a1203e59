"""Which grid cells can be edited, and how a cell's text becomes a field value.

A hot column fed by a part of a field's value (pack.toml: `path`) is edited in place: the
cell's text is read in the column's type (numbers and dates as the person's locale writes
them, a choice by its label or its code, yes/no), put into the field's current value at
that path, and the whole value is checked against the field's schema before anything is
written. Columns computed from a value (a `function`), derived fields, restricted fields
the person may not write and customers out of their scope refuse, each with a reason.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from babel.dates import parse_date
from babel.numbers import NumberFormatError, parse_decimal

from desktop import display
from desktop.editors.problems import by_field, property_titles
from desktop.i18n import translate
from desktop.stewardship.scope import row_writable
from services import formats
from services.pack import FieldDef, HotColumn
from services.rules.validation import value_errors

TRUE_WORDS = {"yes", "y", "true", "1", "x", "ja", "j", "wahr", "✓"}
FALSE_WORDS = {"no", "n", "false", "0", "nein", "falsch"}
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]")


@dataclass(frozen=True)
class CellTarget:
    """An editable column: the part `path` of the field `field`."""

    column: str
    field: FieldDef
    path: tuple[str, ...]
    schema: dict[str, Any]                 # the part's schema
    kind: str                              # choice, boolean, integer, number, date, text
    choices: dict[str, str]                # code → label, for a choice

    @property
    def label(self) -> str:
        return self.schema.get("title") or display.label(self.path[-1])


def targets(fields: Iterable[FieldDef]) -> dict[str, CellTarget]:
    """The editable hot columns by column name (derived fields and computed columns are not)."""
    found = {}
    for definition in fields:
        if definition.derived:
            continue
        for column in definition.columns:
            if column.path is None:
                continue
            path = tuple(column.path.split("."))
            schema = _part(definition.schema, path)
            if schema is None:
                continue
            found[column.name] = CellTarget(column.name, definition, path, schema, _kind(schema, column),
                                            {c: display.human(c) for c in schema.get("enum", ())})
    return found


def _part(schema: Mapping[str, Any], path: tuple[str, ...]) -> dict[str, Any] | None:
    for key in path:
        props = schema.get("properties")
        if not isinstance(props, Mapping) or key not in props:
            return None
        schema = props[key]
    return dict(schema)


def _kind(schema: Mapping[str, Any], column: HotColumn) -> str:
    if "enum" in schema:
        return "choice"
    kind = schema.get("type")
    if kind == "boolean":
        return "boolean"
    if kind == "integer":
        return "integer"
    if kind == "number":
        return "number"
    if kind == "string" and schema.get("format") == "date":
        return "date"
    return "text"


# ------------------------------------------------------------------ refusals

def refusal(column_key: str, title: str, row: Any, targets_: Mapping[str, CellTarget], fields: Mapping[str, FieldDef],
            may_write_restricted: bool) -> str | None:
    """Why this cell cannot be edited by this person, or None when it can."""
    target = targets_.get(column_key)
    if target is None:
        owner = next((f for f in fields.values() if any(c.name == column_key for c in f.columns)), None)
        if owner is not None and owner.derived:
            return translate("grid.cells", "“{title}” is set by the sample workflow and is not edited here.").format(
                title=title
            )
        if owner is not None:
            return translate(
                "grid.cells", "“{title}” is computed from {label}: change that in the customer's Fields tab."
            ).format(title=title, label=owner.label)
        return translate("grid.cells", "“{title}” is master data: use Customer → Edit master data… (Ctrl+M).").format(
            title=title
        )
    if target.field.restricted and not may_write_restricted:
        return translate(
            "grid.cells", "“{title}” is a contract and price field: chain managers and admins change it."
        ).format(title=title)
    if not row_writable(row):
        why = getattr(row, "read_only_reason", None) or translate("grid.cells", "it is outside your scope")
        return translate("grid.cells", "{name} is not yours to change. {why}").format(name=row.name, why=why)
    return None


# ---------------------------------------------------------------- text ↔ value

def edit_text(target: CellTarget, value: Any) -> str:
    """A part's value as the person edits it (the locale's numbers and dates, labels for codes)."""
    if value is None:
        return ""
    f = formats.current()
    if target.kind == "choice":
        return target.choices.get(value, str(value))
    if target.kind == "boolean":
        return display.yes_no(bool(value))
    if target.kind in ("integer", "number"):
        number = Decimal(str(value))
        return f.number(number, 0 if number == number.to_integral_value() else 2)
    if target.kind == "date":
        return f.day(value if isinstance(value, date) else date.fromisoformat(str(value)))
    return str(value)


def parse(target: CellTarget, text: str) -> tuple[Any, str | None]:
    """(the part's value, None) from a typed or pasted text, or (None, why it is not one). Empty clears."""
    text = (text or "").strip()
    if not text or text in ("—", "-"):
        return None, None
    if target.kind == "choice":
        folded = text.casefold()
        for code, label in target.choices.items():
            if folded in (code.casefold(), label.casefold()):
                return code, None
        return None, translate("grid.cells", "is not one of {items}").format(items=', '.join(target.choices.values()))
    if target.kind == "boolean":
        if text.casefold() in TRUE_WORDS:
            return True, None
        if text.casefold() in FALSE_WORDS:
            return False, None
        return None, translate("grid.cells", "is not yes or no")
    if target.kind in ("integer", "number"):
        number = _number(text)
        if number is None:
            return None, translate("grid.cells", "is not a number (e.g. {number})").format(
                number=formats.current().number(Decimal('1234.5'), 2)
            )
        if target.kind == "integer":
            if number != number.to_integral_value():
                return None, translate("grid.cells", "must be a whole number")
            return int(number), None
        return (int(number) if number == number.to_integral_value() else float(number)), None
    if target.kind == "date":
        day = _date(text)
        if day is None:
            return None, translate("grid.cells", "is not a date (e.g. {day})").format(
                day=formats.current().day(date(2026, 12, 31))
            )
        return day.isoformat(), None
    return text, None


def _number(text: str) -> Decimal | None:
    plain = _SPACES.sub("", text).replace("€", "").replace("%", "")
    try:
        return parse_decimal(plain, locale=formats.current().locale, strict=True)
    except (NumberFormatError, ValueError):
        pass
    try:
        number = Decimal(plain)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return parse_date(text, locale=formats.current().locale)
    except (ValueError, IndexError):
        pass
    for pattern in ("%d %b %Y", "%b %d, %Y", "%d.%m.%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


# --------------------------------------------------------------- whole values

def compose(current: Any, parts: Mapping[tuple[str, ...], Any]) -> Any:
    """The field's value with these parts set (None removes a part); None once nothing is left."""
    value = copy.deepcopy(current) if isinstance(current, dict) else {}
    for path, part in parts.items():
        holder = value
        for key in path[:-1]:
            inner = holder.get(key)
            if not isinstance(inner, dict):
                inner = holder[key] = {}
            holder = inner
        if part is None:
            holder.pop(path[-1], None)
        else:
            holder[path[-1]] = part
    return value or None


def problem(field: FieldDef, value: Any) -> str | None:
    """What is wrong with a whole field value, in words, or None."""
    return problems(field, value)[0]


def problems(field: FieldDef, value: Any) -> tuple[str | None, set[tuple[str, ...]]]:
    """(what is wrong with a whole field value in words, or None; the parts it concerns)."""
    if value is None:
        return None, set()
    errors = value_errors(field.schema, field.checks, value, prefix=field.key)
    if not errors:
        return None, set()
    words = by_field(errors, property_titles(field.schema)).get(field.key) or "; ".join(errors.values())
    return words, {tuple(path.split(".")[1:]) for path in errors}
