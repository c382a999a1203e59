"""The audit trail of a customer's fields: who changed what, when, from which source — a page at a
time ("Load older"), values never cut off (wrapped, the whole text in the tooltip), and "Restore to
this point" for one field or the whole customer, as a change set that undo takes back."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import QHeaderView, QPushButton, QWidget

from desktop.detail.records import RecordsTab
from desktop.editors.problems import property_titles
from desktop.errors import show_error
from desktop.i18n import translate
from desktop.reference import Reference
from desktop.stewardship import confirm, words
from desktop.stewardship.words import value_text
from desktop.workers import Runner
from services import formats
from services.service_layer.change_sets import ChangeSet
from services.service_layer.fields import FieldChange

if TYPE_CHECKING:
    from services.service_layer.facade import Steward

PAGE = 50
SOURCES = {
    "desktop": QT_TRANSLATE_NOOP("detail.history", "desktop"),
    "cli": QT_TRANSLATE_NOOP("detail.history", "command line"),
    "api": QT_TRANSLATE_NOOP("detail.history", "HTTP API"),
    "import": QT_TRANSLATE_NOOP("detail.history", "import"),
    "daemon": QT_TRANSLATE_NOOP("detail.history", "daemon"),
    "inbound": QT_TRANSLATE_NOOP("detail.history", "inbound event"),
}


class HistoryTab(RecordsTab):
    headers = (
        QT_TRANSLATE_NOOP("detail.records", "When, who"),
        QT_TRANSLATE_NOOP("detail.records", "Field"),
        QT_TRANSLATE_NOOP("detail.records", "Change"),
    )
    stretch = (2,)
    empty_text = QT_TRANSLATE_NOOP("detail.records", "No changes recorded yet.")
    what = QT_TRANSLATE_NOOP("detail.records", "history")

    def __init__(self, runner: Runner, svc: Steward, reference: Reference, parent: QWidget | None = None):
        super().__init__(runner, svc, parent)
        self._labels = {f.key: f.label for f in reference.fields}
        self._titles = {f.key: property_titles(f.schema) for f in reference.fields}
        self._schemas = {f.key: f.schema for f in reference.fields}
        self._restorable = {f.key for f in reference.fields if not f.derived and
                            (not f.restricted or getattr(reference.actor, "may_write_restricted", False))}
        self.entries: list[FieldChange] = []
        self.complete = False
        self.confirmation = None
        self._generation = 0
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(1, 120)
        self.table.setStyleSheet("QTableView::item { padding: 3px 2px; }")   # wrapped rows need air between them
        self.restore_field_button = self.add_button(
            translate("detail.history", "Restore this field to here…"),
            lambda: self.restore(True),
            "restoreField",
            needs_selection=True,
        )
        self.restore_all_button = self.add_button(
            translate("detail.history", "Restore all fields to here…"),
            lambda: self.restore(False),
            "restoreAll",
            needs_selection=True,
        )
        self.older_button = QPushButton(translate("detail.history", "Load older"))
        self.older_button.setObjectName("loadOlder")
        self.older_button.clicked.connect(self.load_older)
        self.older_button.hide()
        self.layout().addWidget(self.older_button)

    # ---------------------------------------------------------------- pages

    def load(self, customer_id: uuid.UUID) -> None:
        self.customer_id, self.entries, self.complete = customer_id, [], False
        self._generation += 1
        self._fetch(None)

    def load_older(self) -> None:
        if self.entries and not self.complete:
            self._fetch(self.entries[-1].id)

    def _fetch(self, before: int | None) -> None:
        cid, generation = self.customer_id, self._generation
        self.older_button.setEnabled(False)
        self._runner.read(
            lambda: self._svc.fields.history(cid, limit=PAGE, before=before),
            done=lambda page: self._page(generation, page),
            owner=self,
            label=translate("detail.history", "Loading history…"),
            failed=lambda e: show_error(self, e, doing=translate("detail.history", "Loading the history")),
        )

    def _page(self, generation: int, page: list[FieldChange]) -> None:
        if generation != self._generation:
            return
        self.entries.extend(page)
        self.complete = len(page) < PAGE
        self.table.set_rows([self.cells(c) for c in self.entries], data=list(self.entries))
        for row in range(self.table.rowCount()):
            for column in range(self.table.columnCount()):
                item = self.table.item(row, column)
                item.setToolTip(item.text())
        self.empty.setVisible(not self.entries)
        self.older_button.setVisible(not self.complete)
        self.older_button.setEnabled(not self.complete)

    def cells(self, c: FieldChange) -> list[str]:
        titles, schema = self._titles.get(c.key, {}), self._schemas.get(c.key)
        change = f"{value_text(c.old, titles, schema)}  →  {value_text(c.new, titles, schema)}"
        who = f"{c.changed_by_name or c.changed_by_login} · {translate('detail.history', SOURCES.get(c.source, c.source))}"
        return [f"{formats.current().moment(c.changed_at)}\n{who}", self._labels.get(c.key, c.key), change]

    # -------------------------------------------------------------- restore

    def restore(self, this_field: bool) -> Any:
        entry, cid = self.selected(), self.customer_id
        if entry is None or cid is None:
            return None
        when = formats.current().moment(entry.changed_at)
        label = self._labels.get(entry.key, entry.key)
        if this_field and entry.key not in self._restorable:
            confirm.tell(
                self,
                translate("detail.history", "Cannot restore"),
                translate(
                    "detail.history",
                    "{label} cannot be restored by you: it is set by the workflow or is a contract and price field.",
                ).format(label=label),
            )
            return None
        keys = [entry.key] if this_field else None
        question = (
            translate("detail.history", "Restore {label} to its value at {when}?").format(label=label, when=when)
            if this_field
            else translate("detail.history", "Restore all fields to their values at {when}?").format(when=when)
        )
        detail = translate(
            "detail.history",
            "Values changed after this point go back to what they were then (this change included), as one "
            "change set: undo (Ctrl+Z) takes it back.",
        )
        self.confirmation = confirm.ask(
            self,
            translate("detail.history", "Restore from history"),
            question,
            detail,
            translate("detail.history", "Restore"),
            lambda: self._restore(cid, entry.changed_at, keys),
        )
        return self.confirmation

    def _restore(self, cid: uuid.UUID, at: Any, keys: list[str] | None) -> None:
        self._runner.write(
            lambda: self._svc.fields.restore(cid, at, keys),
            done=self._restored,
            owner=self,
            failed=lambda e: show_error(self, e, doing=translate("detail.history", "Restoring")),
            label=translate("detail.history", "Restoring…"),
        )

    def _restored(self, change_set: ChangeSet) -> None:
        if self.customer_id is None:
            return
        refused = translate("detail.history", " {n} refused.").format(n=formats.current().number(change_set.refused)) \
            if change_set.refused else ""
        confirm.tell(
            self,
            translate("detail.history", "Restored"),
            translate("detail.history", "{description}: {summary} set back.{refused}").format(
                description=change_set.description, summary=words.summary(change_set), refused=refused
            ),
            translate("detail.history", "Undo (Ctrl+Z) takes it back."),
        )
        self.load(self.customer_id)
        self.changed.emit(self.customer_id)
