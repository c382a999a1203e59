"""A bulk edit's preview in words: how many customers, how many of them the person may change, and
per field how many values change (the most frequent old → new) and how many have it already."""

from __future__ import annotations

import html
from typing import Any

from desktop.editors.problems import by_field, property_titles
from services import formats
from services.pack import FieldDef
from desktop.stewardship.words import value_text
from services.service_layer.bulk import BulkPreview


def _value(value: Any, titles: dict[str, str], schema: dict[str, Any]) -> str:
    if value is None:
        return "<i>empty</i>"
    return html.escape(value_text(value, titles, schema))


def headline(preview: BulkPreview) -> str:
    """"1.204 customers, 1.180 writable, 24 out of your scope" (plain text)."""
    f = formats.current()
    return (f"{f.number(preview.customers)} customer{'s' if preview.customers != 1 else ''}, "
            f"{f.number(preview.writable)} writable, {f.number(preview.out_of_scope)} out of your scope")


def as_html(preview: BulkPreview, fields: dict[str, FieldDef]) -> str:
    f = formats.current()
    parts = [f"<p><b>{html.escape(headline(preview))}</b>"]
    if preview.out_of_scope:
        parts.append("<br><span style='color:#7a4b00'>Customers out of your scope are left as they are.</span>")
    parts.append("</p>")
    if preview.errors:
        grouped: dict[str, str] = {}
        for key, definition in fields.items():
            grouped.update(by_field({k: v for k, v in preview.errors.items() if k.split('.')[0] == key},
                                    property_titles(definition.schema)))
        lines = "".join(f"<li>{html.escape(fields[k].label if k in fields else k)}: {html.escape(m)}</li>"
                        for k, m in grouped.items())
        parts.append(f"<p style='color:#8f1d18'><b>Not valid — nothing would be written:</b></p><ul>{lines}</ul>")
    for field in preview.fields:
        schema = fields[field.key].schema if field.key in fields else {}
        titles = property_titles(schema)
        new = _value(field.new, titles, schema)
        if field.refused:
            parts.append(f"<p><b>{html.escape(field.label)}</b> → {new}<br>"
                         f"<span style='color:#8f1d18'>Refused: {html.escape(field.refused)}</span></p>")
            continue
        line = (f"<p><b>{html.escape(field.label)}</b> → {new}: "
                f"<b>{f.number(field.changing)}</b> change, {f.number(field.unchanged)} unchanged")
        examples = "".join(f"<br>&nbsp;&nbsp;&nbsp;{_value(c.old, titles, schema)} → {new} "
                           f"<span style='color:#666'>({f.number(c.customers)})</span>" for c in field.changes)
        parts.append(line + examples + "</p>")
    if not preview.errors and not preview.values_changing:
        parts.append("<p>Nothing would change.</p>")
    return "".join(parts)
