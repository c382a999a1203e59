"""The change-set history (Edit → History…, Ctrl+H): your bulk changes (an admin: everyone's),
newest first, each with an Undo button; below, what the selected one changed, value by value,
a page at a time."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget)

from desktop.errors import show_error
from desktop.i18n import translate
from desktop.reference import Reference
from desktop.stewardship import words
from desktop.stewardship.undo import UndoController
from desktop.tables import ReadOnlyTable
from desktop.workers import Runner
from services import formats
from services.service_layer.change_sets import ChangeSet, ChangeSetItem

if TYPE_CHECKING:
    from services.service_layer.facade import Steward

SETS = 200
ITEMS_PAGE = 100
UNDO_COLUMN = 6


class ChangeSetWindow(QWidget):
    def __init__(self, runner: Runner, svc: Steward, reference: Reference, undo: UndoController,
                 parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("changeSetWindow")
        self.setWindowTitle(translate("stewardship.history_window", "Change sets — Steward"))
        self._runner, self._svc, self._undo = runner, svc, undo
        self.words = words.ValueWords(reference)
        self.change_sets: list[ChangeSet] = []
        self.items: list[ChangeSetItem] = []
        self.shown: uuid.UUID | None = None

        title = QLabel(
            translate(
                "stewardship.history_window", "Bulk changes: edits, pastes, reassignments, restores and their undos"
            )
        )
        title.setObjectName("sectionTitle")
        self.refresh_button = QPushButton(translate("stewardship.history_window", "Refresh"))
        self.refresh_button.clicked.connect(self.reload)
        top = QHBoxLayout()
        top.addWidget(title, 1)
        top.addWidget(self.refresh_button)

        self.sets = ReadOnlyTable(
            [
                translate("stewardship.history_window", "When"),
                translate("stewardship.history_window", "What"),
                translate("stewardship.history_window", "Kind"),
                translate("stewardship.history_window", "By"),
                translate("stewardship.history_window", "Changed"),
                translate("stewardship.history_window", "State"),
                "",
            ],
            stretch=(1,),
        )
        self.sets.setObjectName("changeSets")
        self.sets.itemSelectionChanged.connect(self._selected)
        self.empty = QLabel(
            translate(
                "stewardship.history_window",
                "No bulk changes yet. Bulk edits, pastes into the grid, reassignments and restores "
                "from history show here, and can be undone.",
            )
        )
        self.empty.setObjectName("hint")
        self.empty.setWordWrap(True)
        self.empty.hide()

        self.items_title = QLabel(
            translate("stewardship.history_window", "Select a change set to see what it changed.")
        )
        self.items_title.setObjectName("sectionTitle")
        self.values = ReadOnlyTable(
            [
                translate("stewardship.history_window", "Customer"),
                translate("stewardship.history_window", "Value"),
                translate("stewardship.history_window", "Before"),
                translate("stewardship.history_window", "After"),
            ],
            stretch=(0, 2, 3),
        )
        self.values.setObjectName("changeSetItems")
        self.more_button = QPushButton(translate("stewardship.history_window", "Load more"))
        self.more_button.clicked.connect(self.load_more)
        self.more_button.hide()
        self.count = QLabel()
        self.count.setObjectName("hint")
        more = QHBoxLayout()
        more.addWidget(self.count, 1)
        more.addWidget(self.more_button)

        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addLayout(top)
        upper_layout.addWidget(self.sets, 1)
        upper_layout.addWidget(self.empty)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.items_title)
        lower_layout.addWidget(self.values, 1)
        lower_layout.addLayout(more)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(upper)
        split.addWidget(lower)
        split.setSizes([330, 330])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addWidget(split)
        self.resize(1080, 700)
        undo.undone.connect(lambda _result: self.reload())

    # ------------------------------------------------------------ change sets

    def reload(self) -> None:
        self._runner.read(
            lambda: self._svc.change_sets.list(limit=SETS),
            done=self._listed,
            owner=self,
            failed=lambda e: show_error(
                self, e, doing=translate("stewardship.history_window", "Loading the change sets")
            ),
            label=translate("stewardship.history_window", "Loading change sets…"),
        )

    def _listed(self, change_sets: list[ChangeSet]) -> None:
        chosen = self.shown
        self.change_sets = change_sets
        f = formats.current()
        self.sets.set_rows([[f.moment(c.created_at), c.description, words.kind(c), c.created_by_name or "—",
                             words.summary(c), words.state(c), ""] for c in change_sets], data=change_sets)
        for row, change_set in enumerate(change_sets):
            button = QPushButton(translate("stewardship.history_window", "Undo…"))
            button.setObjectName("undoChangeSet")
            button.setEnabled(change_set.undoable)
            button.setToolTip(
                translate("stewardship.history_window", "Set these values back, as a new change set")
                if change_set.undoable
                else (
                    translate("stewardship.history_window", "Already undone")
                    if change_set.undone_by
                    else translate("stewardship.history_window", "Nothing to undo")
                )
            )
            button.clicked.connect(lambda _=False, c=change_set: self._undo.ask(c, self))
            self.sets.setCellWidget(row, UNDO_COLUMN, button)
        self.empty.setVisible(not change_sets)
        row = next((n for n, c in enumerate(change_sets) if c.id == chosen), 0 if change_sets else -1)
        if row >= 0:
            self.sets.selectRow(row)
            if chosen is not None and change_sets[row].id == chosen:
                self._show(change_sets[row], force=True)

    def undo_button(self, row: int) -> QPushButton:
        return self.sets.cellWidget(row, UNDO_COLUMN)

    # ---------------------------------------------------------------- values

    def _selected(self) -> None:
        change_set = self.sets.row_data()
        if change_set is not None:
            self._show(change_set)

    def _show(self, change_set: ChangeSet, *, force: bool = False) -> None:
        if change_set.id == self.shown and not force:
            return
        self.shown, self.items = change_set.id, []
        self.values.set_rows([])
        self.items_title.setText(
            translate("stewardship.history_window", "{description} — what it changed").format(
                description=change_set.description
            )
        )
        self.load_more()

    def load_more(self) -> None:
        cid, offset = self.shown, len(self.items)
        if cid is None:
            return
        self.more_button.setEnabled(False)
        self._runner.read(
            lambda: (cid, self._svc.change_sets.items(cid, limit=ITEMS_PAGE, offset=offset)),
            done=self._items,
            owner=self,
            label=translate("stewardship.history_window", "Loading the values…"),
            failed=lambda e: show_error(self, e, doing=translate("stewardship.history_window", "Loading the values")),
        )

    def _items(self, result: tuple[uuid.UUID, list[ChangeSetItem]]) -> None:
        cid, page = result
        if cid != self.shown:
            return
        self.items.extend(page)
        self.values.set_rows([list(self.words.item(i)) for i in self.items], data=self.items)
        change_set = next((c for c in self.change_sets if c.id == cid), None)
        total = change_set.changed if change_set else len(self.items)
        f = formats.current()
        self.count.setText(
            translate("stewardship.history_window", "{number} of {total} values shown").format(
                number=f.number(len(self.items)), total=f.number(total)
            )
        )
        more = len(page) == ITEMS_PAGE and len(self.items) < total
        self.more_button.setVisible(more)
        self.more_button.setEnabled(more)
