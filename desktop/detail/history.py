"""The audit trail of a customer's fields: who changed what, when, from which source."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from desktop import display
from desktop.detail.records import RecordsTab
from desktop.editors.problems import property_titles
from desktop.reference import Reference
from desktop.workers import Runner
from services.service_layer.fields import FieldChange

if TYPE_CHECKING:
    from services.service_layer.facade import Steward


class HistoryTab(RecordsTab):
    headers = ("When", "Field", "Change", "Who")
    stretch = (2, 3)
    empty_text = "No changes recorded yet."
    what = "history"

    def __init__(self, runner: Runner, svc: Steward, reference: Reference, parent: QWidget | None = None):
        super().__init__(runner, svc, parent)
        self._labels = {f.key: f.label for f in reference.fields}
        self._titles = {f.key: property_titles(f.schema) for f in reference.fields}

    def fetch(self, customer_id: uuid.UUID) -> list[FieldChange]:
        return self._svc.fields.history(customer_id)

    def cells(self, c: FieldChange) -> list[str]:
        titles = self._titles.get(c.key, {})
        change = f"{display.value_text(c.old, titles)}  →  {display.value_text(c.new, titles)}"
        return [display.moment(c.changed_at), self._labels.get(c.key, c.key), change,
                f"{c.changed_by_name or c.changed_by_login} · {c.source}"]
