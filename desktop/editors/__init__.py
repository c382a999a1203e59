"""Editors generated from JSON schemas: the right widget for each type of value.

Used by the field editor (the field catalog) and the activity form (a kind's own
fields). An editor holds a JSON value; `None` means "empty". Validation is not
done here but against the schema, by the caller, with services.rules.validation.
"""

from __future__ import annotations

from typing import Any

from desktop.editors.base import Choices, Editor
from desktop.editors.compound import EnumListEditor, LinesEditor, ObjectEditor, ObjectListEditor, OneOfEditor
from desktop.editors.scalars import BoolEditor, ChoiceEditor, DateEditor, EnumEditor, NumberEditor, TextEditor

__all__ = ["Editor", "Choices", "make_editor"]


def make_editor(schema: dict[str, Any], *, key: str = "", choices: Choices | None = None,
                labels: dict[str, str] | None = None) -> Editor:
    """The editor for a value of this schema; `choices` offer ids by property name."""
    kind = schema.get("type")
    if "oneOf" in schema:
        return OneOfEditor(schema, choices, labels)
    if "enum" in schema:
        return EnumEditor(list(schema["enum"]), labels)
    if kind == "object":
        return ObjectEditor(schema, choices, labels)
    if kind == "array":
        items = schema.get("items", {})
        if "enum" in items:
            return EnumListEditor(list(items["enum"]), labels)
        if items.get("type") == "object":
            return ObjectListEditor(items, labels)
        return LinesEditor()
    if kind == "boolean":
        return BoolEditor()
    if kind in ("integer", "number"):
        return NumberEditor(schema, integer=kind == "integer")
    if kind == "string" and schema.get("format") == "date":
        return DateEditor()
    if kind == "string" and schema.get("format") == "uuid":
        return ChoiceEditor((choices or {}).get(key, []))
    return TextEditor(schema)
