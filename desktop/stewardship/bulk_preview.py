"""A bulk edit's preview in words: how many customers, how many of them the person may change, and
per field how many values change (the most frequent old → new) and how many have it already."""

from __future__ import annotations

import html
from typing import Any

from desktop.editors.problems import by_field, property_titles
from services import formats
from services.pack import FieldDef
from desktop.i18n import translate
from desktop.stewardship.words import value_text
from services.service_layer.bulk import BulkPreview


def _value(value: Any, titles: dict[str, str], schema: dict[str, Any]) -> str:
    if value is None:
        return translate("stewardship.bulk_preview", "<i>empty</i>")
    return html.escape(value_text(value, titles, schema))


def headline(preview: BulkPreview) -> str:
    """"1.204 customers, 1.180 writable, 24 out of your scope" (plain text)."""
    f = formats.current()
    return (
        translate(
            "stewardship.bulk_preview", "{customers} customer, {writable} writable, {out_of_scope} out of your scope"
        )
        if preview.customers == 1
        else translate(
            "stewardship.bulk_preview", "{customers} customers, {writable} writable, {out_of_scope} out of your scope"
        )
    ).format(
        customers=f.number(preview.customers),
        writable=f.number(preview.writable),
        out_of_scope=f.number(preview.out_of_scope),
    )


def as_html(preview: BulkPreview, fields: dict[str, FieldDef]) -> str:
    f = formats.current()
    parts = [f"<p><b>{html.escape(headline(preview))}</b>"]
    if preview.out_of_scope:
        parts.append(
            translate(
                "stewardship.bulk_preview",
                "<br><span style='color:#7a4b00'>Customers out of your scope are left as they are.</span>",
            )
        )
    parts.append("</p>")
    if preview.errors:
        grouped: dict[str, str] = {}
        for key, definition in fields.items():
            grouped.update(by_field({k: v for k, v in preview.errors.items() if k.split('.')[0] == key},
                                    property_titles(definition.schema)))
        lines = "".join(f"<li>{html.escape(fields[k].label if k in fields else k)}: {html.escape(m)}</li>"
                        for k, m in grouped.items())
        parts.append(
            translate(
                "stewardship.bulk_preview",
                "<p style='color:#8f1d18'><b>Not valid — nothing would be written:</b></p><ul>{lines}</ul>",
            ).format(lines=lines)
        )
    for field in preview.fields:
        schema = fields[field.key].schema if field.key in fields else {}
        titles = property_titles(schema)
        new = _value(field.new, titles, schema)
        if field.refused:
            parts.append(
                translate(
                    "stewardship.bulk_preview",
                    "<p><b>{escape}</b> → {new}<br><span style='color:#8f1d18'>Refused: {escape2}</span></p>",
                ).format(escape=html.escape(field.label), new=new, escape2=html.escape(field.refused))
            )
            continue
        line = translate(
            "stewardship.bulk_preview", "<p><b>{escape}</b> → {new}: <b>{changing}</b> change, {unchanged} unchanged"
        ).format(
            escape=html.escape(field.label),
            new=new,
            changing=f.number(field.changing),
            unchanged=f.number(field.unchanged),
        )
        examples = "".join(
            translate(
                "stewardship.bulk_preview",
                "<br>&nbsp;&nbsp;&nbsp;{value} → {new} <span style='color:#666'>({customers})</span>",
            ).format(value=_value(c.old, titles, schema), new=new, customers=f.number(c.customers))
            for c in field.changes
        )
        parts.append(line + examples + "</p>")
    if not preview.errors and not preview.values_changing:
        parts.append(translate("stewardship.bulk_preview", "<p>Nothing would change.</p>"))
    return "".join(parts)
