"""Change sets in words: their kind, state, values and refusals as a person reads them."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP

from desktop import display
from desktop.editors.problems import property_titles
from desktop.i18n import Texts, translate
from desktop.reference import Reference
from services import formats
from services.service_layer.change_sets import ChangeSet, ChangeSetItem, Refusal

KINDS = Texts(
    "stewardship.words",
    {
        "bulk_edit": QT_TRANSLATE_NOOP("stewardship.words", "Bulk edit"),
        "paste": QT_TRANSLATE_NOOP("stewardship.words", "Paste"),
        "reassign": QT_TRANSLATE_NOOP("stewardship.words", "Reassignment"),
        "restore": QT_TRANSLATE_NOOP("stewardship.words", "Restore from history"),
        "undo": QT_TRANSLATE_NOOP("stewardship.words", "Undo"),
        "import": QT_TRANSLATE_NOOP("stewardship.words", "Import"),
        "merge": QT_TRANSLATE_NOOP("stewardship.words", "Merge"),
    },
)
MASTER = Texts(
    "stewardship.words",
    {
        "name": QT_TRANSLATE_NOOP("stewardship.words", "Name"),
        "city": QT_TRANSLATE_NOOP("stewardship.words", "City"),
        "region": QT_TRANSLATE_NOOP("stewardship.words", "Region"),
        "coverage_policy": QT_TRANSLATE_NOOP("stewardship.words", "Coverage"),
        "parent_account_id": QT_TRANSLATE_NOOP("stewardship.words", "Chain"),
        "external_ref": QT_TRANSLATE_NOOP("stewardship.words", "External reference"),
        "owner_id": QT_TRANSLATE_NOOP("stewardship.words", "Owner"),
    },
)
REASONS = Texts(
    "stewardship.words",
    {
        "changed since": QT_TRANSLATE_NOOP("stewardship.words", "changed since"),
        "restricted field": QT_TRANSLATE_NOOP("stewardship.words", "restricted field (chain managers and admins)"),
        "out of scope": QT_TRANSLATE_NOOP("stewardship.words", "outside your scope"),
    },
)


def ordered(value: Any, schema: dict[str, Any] | None) -> Any:
    """An object's parts in the order its schema lists them (the database keeps JSON keys by length)."""
    if not isinstance(value, dict) or not schema:
        return value
    order = [k for branch in (schema, *schema.get("oneOf", ())) for k in branch.get("properties", {})]
    return {k: value[k] for k in sorted(value, key=lambda k: order.index(k) if k in order else len(order))}


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def value_text(value: Any, titles: dict[str, str] | None = None, schema: dict[str, Any] | None = None) -> str:
    """A field value in one line, as the person's locale writes numbers and dates, codes as words, the
    parts of an object in their schema's order: "Bucket: High, € / month: 2.500"."""
    f = formats.current()
    if value is None:
        return "—"
    if isinstance(value, bool):
        return display.yes_no(value)
    if isinstance(value, (int, float, Decimal)):
        number = Decimal(str(value))
        return f.number(number, 0 if number == number.to_integral_value() else 2)
    if isinstance(value, dict):
        names = titles or {}
        return ", ".join(f"{names.get(k) or display.label(k)}: {value_text(v, titles)}"
                         for k, v in ordered(value, schema).items()) or "—"
    if isinstance(value, list):
        return "; ".join(value_text(v, titles) for v in value) or "—"
    if isinstance(value, str) and _ISO_DAY.match(value):
        try:
            return f.day(date.fromisoformat(value))
        except ValueError:
            return value
    return display.value_text(value)


def kind(change_set: ChangeSet) -> str:
    return KINDS.get(change_set.kind, display.human(change_set.kind.upper()))


def state(change_set: ChangeSet) -> str:
    if change_set.undone_by is not None:
        return translate("stewardship.words", "Undone")
    return {
        "done": translate("stewardship.words", "Done"),
        "partial": translate("stewardship.words", "Partial (stopped)"),
        "open": translate("stewardship.words", "Running"),
    }.get(change_set.state, display.human(change_set.state))


def summary(change_set: ChangeSet) -> str:
    """"27 values of 9 customers" (and what was refused)."""
    f = formats.current()
    text = (translate("stewardship.words", "{n} value") if change_set.changed == 1 else
            translate("stewardship.words", "{n} values")).format(n=f.number(change_set.changed))
    if change_set.customers:
        text += (translate("stewardship.words", " of {n} customer") if change_set.customers == 1 else
                 translate("stewardship.words", " of {n} customers")).format(n=f.number(change_set.customers))
    if change_set.refused:
        text += translate("stewardship.words", ", {refused} refused").format(refused=f.number(change_set.refused))
    return text


class ValueWords:
    """Item keys and values in words, for this pack and these people."""

    def __init__(self, reference: Reference):
        self._labels = {f.key: f.label for f in reference.fields}
        self._titles = {f.key: property_titles(f.schema) for f in reference.fields}
        self._schemas = {f.key: f.schema for f in reference.fields}
        self._people = {str(pid): name for pid, _login, name in reference.owners}
        self._regions = dict(reference.regions)

    def key(self, target: str, key: str) -> str:
        return self._labels.get(key, key) if target == "field" else MASTER.get(key, display.label(key))

    def value(self, target: str, key: str, value: Any) -> str:
        if value is None:
            return "—"
        if target == "owner" or key == "owner_id":
            return self._people.get(str(value), translate("stewardship.words", "someone no longer listed"))
        if key == "region":
            return self._regions.get(value, value)
        return value_text(value, self._titles.get(key), self._schemas.get(key))

    def item(self, item: ChangeSetItem) -> tuple[str, str, str, str]:
        return (item.customer_name or "—", self.key(item.target, item.key),
                item.before_name or self.value(item.target, item.key, item.before),
                item.after_name or self.value(item.target, item.key, item.after))

    def refusal(self, refusal: Refusal, names: dict[Any, str]) -> str:
        who = ""
        if refusal.changed_by:
            who = f" by {refusal.changed_by}"
            if refusal.changed_at:
                who += f" ({formats.current().moment(refusal.changed_at)})"
        name = names.get(refusal.customer_id) or translate("stewardship.words", "a customer you cannot see")
        return f"{name} · {self._labels.get(refusal.key, MASTER.get(refusal.key, refusal.key))}: " \
               f"{REASONS.get(refusal.reason, refusal.reason)}{who}"
