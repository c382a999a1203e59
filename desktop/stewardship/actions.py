"""The stewardship actions of the main window: menus, shortcuts, the grid's context menu, and who
re-reads what after a change. The main window calls `install(self)` once; everything else is here."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from desktop.errors import show_error
from desktop.grid.editing import CellEditing
from desktop.grid.paste import GridPaste
from desktop.duplicates.view import DuplicatesWindow
from desktop.i18n import translate
from desktop.stewardship import scope
from desktop.stewardship.bulk_apply import BulkRun
from desktop.stewardship.bulk_edit import BulkEditDialog, BulkRequest
from desktop.stewardship.history_window import ChangeSetWindow
from desktop.stewardship.master_data import MasterDataDialog
from desktop.stewardship.new_customer import NewCustomerDialog
from desktop.stewardship.reassign import ReassignDialog
from desktop.stewardship.reveal import reveal
from desktop.stewardship.undo import UndoController
from desktop.stewardship import words
from services.service_layer.customers import Customer

if TYPE_CHECKING:
    from desktop.main_window import MainWindow



class Stewardship(QObject):
    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.w = window
        runner, svc, reference = window.runner, window.svc, window.reference
        self.undo = UndoController(runner, svc, reference, window)
        self.editing = CellEditing(window.table, runner, svc, reference)
        self.paste = GridPaste(self.editing, runner, svc)
        self.dialog: QWidget | None = None
        self.history: ChangeSetWindow | None = None
        self.duplicates: DuplicatesWindow | None = None
        self.bulk_run: BulkRun | None = None
        for source in (self.undo, self.editing, self.paste):
            source.said.connect(lambda text: self.w.status.say(text))
            source.customers_changed.connect(self.changed)
        self._build_menus()
        table = window.table
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._context_menu)

    # ---------------------------------------------------------------- menus

    def _action(self, text: str, slot, shortcut: Any = None, name: str = "", widget: QWidget | None = None) -> QAction:
        act = QAction(text, self.w)
        if shortcut:
            act.setShortcut(QKeySequence(shortcut))
        if widget is not None:      # keys of the grid only: the search box keeps its own Ctrl+V
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            widget.addAction(act)
        else:
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        if name:
            act.setObjectName(name)
        act.triggered.connect(lambda _=False: slot())
        return act

    def _build_menus(self) -> None:
        bar, table = self.w.menuBar(), self.w.table
        menus = {m.title(): m for m in (a.menu() for a in bar.actions()) if m is not None}
        customer, view = menus.get(translate("menus", "&Customer")), menus.get(translate("menus", "&View"))
        self.new_action = self._action(
            translate("stewardship.actions", "&New customer…"), self.new_customer, "Ctrl+N", "newCustomer"
        )
        self.master_action = self._action(
            translate("stewardship.actions", "Edit &master data…"), self.edit_master_data, "Ctrl+M", "masterData"
        )
        self.reassign_action = self._action(
            translate("stewardship.actions", "Rea&ssign…"), self.reassign, "Ctrl+Shift+R", "reassign"
        )
        self.reassign_action.setEnabled(scope.may_reassign(self.w.reference.actor))
        if customer is not None:
            first = customer.actions()[0] if customer.actions() else None
            self.duplicates_action = self._action(translate("stewardship.actions", "Find &duplicates…"), self.show_duplicates, None, "findDuplicates")
            customer.insertActions(first, [self.new_action, self.master_action, self.reassign_action,
                                           self.duplicates_action])
            customer.insertSeparator(first)
        edit = QMenu(translate("stewardship.actions", "&Edit"), self.w)
        if view is not None:
            bar.insertMenu(view.menuAction(), edit)
        else:
            bar.addMenu(edit)
        self.undo_action = self._action(
            translate("stewardship.actions", "&Undo last bulk change"),
            self.undo.undo_last,
            QKeySequence.StandardKey.Undo,
            "undo",
        )
        self.edit_cell_action = self._action(
            translate("stewardship.actions", "&Edit cell"), self.edit_cell, "F2", "editCell", widget=table
        )
        self.fill_action = self._action(
            translate("stewardship.actions", "&Fill down"), self.paste.fill_down, "Ctrl+D", "fillDown", widget=table
        )
        self.paste_action = self._action(
            translate("stewardship.actions", "&Paste cells"),
            self.paste.paste,
            QKeySequence.StandardKey.Paste,
            "pasteCells",
            widget=table,
        )
        self.bulk_action = self._action(
            translate("stewardship.actions", "&Bulk edit…"), self.bulk_edit, "Ctrl+B", "bulkEdit"
        )
        self.history_action = self._action(
            translate("stewardship.actions", "Change-set &history…"), self.show_history, "Ctrl+H", "history"
        )
        for item in (self.undo_action, None, self.edit_cell_action, self.fill_action, self.paste_action, None,
                     self.bulk_action, None, self.history_action):
            edit.addSeparator() if item is None else edit.addAction(item)
        edit.aboutToShow.connect(self._name_undo)
        self.edit_menu = edit

    def _name_undo(self) -> None:
        """The Edit menu says what Undo would undo."""
        self.w.runner.read(
            self.w.svc.change_sets.last_undoable,
            owner=self.w,
            failed=lambda _e: None,
            done=lambda cs: self.undo_action.setText(
                translate("stewardship.actions", "&Undo “{description}”").format(description=cs.description)
                if cs
                else translate("stewardship.actions", "&Undo (nothing to undo)")
            ),
            label=translate("stewardship.actions", "Finding what to undo…"),
        )

    def _context_menu(self, pos: QPoint) -> None:
        index = self.w.table.indexAt(pos)
        if not index.isValid():
            return
        menu = QMenu(self.w.table)
        menu.addAction(self.edit_cell_action)
        menu.addAction(self.fill_action)
        menu.addAction(self.paste_action)
        menu.addSeparator()
        n = len(self.selected())
        self.bulk_action.setText(
            translate("stewardship.actions", "&Bulk edit {n} customers…").format(n=n)
            if n > 1
            else translate("stewardship.actions", "&Bulk edit…")
        )
        menu.addAction(self.bulk_action)
        menu.addAction(self.reassign_action)
        menu.addAction(self.master_action)
        menu.aboutToHide.connect(lambda: self.bulk_action.setText(translate("stewardship.actions", "&Bulk edit…")))
        menu.popup(self.w.table.viewport().mapToGlobal(pos))
        self.context_menu = menu

    # ------------------------------------------------------------- selection

    def selected(self) -> list[tuple[uuid.UUID, str]]:
        """(id, name) of the customers selected in the grid, in the grid's order."""
        model = self.w.model
        rows = sorted({i.row() for i in self.w.table.selectionModel().selectedRows()})
        return [(model.row_at(r).id, model.row_at(r).name) for r in rows if r < model.rowCount()]

    def changed(self, customer_ids: Any) -> None:
        """A write here changed these customers (None: perhaps any): their rows and the open one."""
        self.w.rows_changed(customer_ids)
        self.w.detail.refresh(customer_ids)

    def _open(self, dialog: QWidget) -> QWidget:
        self.dialog = dialog
        dialog.open()
        return dialog

    # --------------------------------------------------------------- actions

    def new_customer(self) -> NewCustomerDialog:
        dialog = NewCustomerDialog(self.w.runner, self.w.svc, self.w.reference, self.w)
        dialog.created.connect(self._created)
        return self._open(dialog)

    def _created(self, customer: Customer) -> None:
        self.w.status.say(translate("stewardship.actions", "Created {name}.").format(name=customer.name))
        reveal(
            self.w, customer.id, translate("stewardship.actions", "the new customer {name}").format(name=customer.name)
        )

    def edit_master_data(self) -> None:
        row = self.w.table.current_customer()
        if row is None:
            self.w.status.say(translate("stewardship.actions", "Select a customer first."), warning=True)
            return
        cid = row.id
        self.w.runner.read(
            lambda: self.w.svc.customers.get(cid),
            done=self._master_loaded,
            owner=self.w,
            failed=lambda e: show_error(self.w, e, doing=translate("stewardship.actions", "Loading the customer")),
            label=translate("stewardship.actions", "Loading the customer…"),
        )

    def _master_loaded(self, customer: Customer) -> None:
        dialog = MasterDataDialog(self.w.runner, self.w.svc, self.w.reference, customer, self.w)
        dialog.saved.connect(
            lambda c: (
                self.w.status.say(
                    translate("stewardship.actions", "Saved the master data of {name}.").format(name=c.name)
                ),
                self.changed(frozenset({c.id})),
            )
        )
        self._open(dialog)

    def reassign(self) -> None:
        chosen = self.selected()
        if not chosen:
            self.w.status.say(translate("stewardship.actions", "Select the customers to reassign first."), warning=True)
            return
        dialog = ReassignDialog(self.w.runner, self.w.svc, self.w.reference, chosen, self.w)
        ids = frozenset(cid for cid, _ in chosen)
        dialog.reassigned.connect(
            lambda cs: (
                self.w.status.say(
                    translate("stewardship.actions", "{description}: {summary} changed. Ctrl+Z undoes it.").format(
                        description=cs.description, summary=words.summary(cs)
                    )
                ),
                self.changed(ids),
            )
        )
        self._open(dialog)

    def bulk_edit(self) -> BulkEditDialog:
        chosen = [cid for cid, _ in self.selected()]
        dialog = BulkEditDialog(self.w.runner, self.w.svc, self.w.reference, chosen, dict(self.w.model.filters),
                                self.w.model.total, self.w)
        dialog.apply_requested.connect(self.run_bulk)
        return self._open(dialog)

    def run_bulk(self, request: BulkRequest) -> BulkRun:
        self.bulk_run = BulkRun(self.w.runner, self.w.svc, request, self.w)
        self.bulk_run.said.connect(lambda text: self.w.status.say(text))
        self.bulk_run.customers_changed.connect(self.changed)
        return self.bulk_run

    def edit_cell(self) -> None:
        index = self.w.table.currentIndex()
        if index.isValid():
            self.editing.start(index)

    def show_history(self) -> ChangeSetWindow:
        if self.history is None:
            self.history = ChangeSetWindow(self.w.runner, self.w.svc, self.w.reference, self.undo, self.w)
        self.history.reload()
        self.history.show()
        self.history.raise_()
        self.history.activateWindow()
        return self.history

    def show_duplicates(self) -> DuplicatesWindow:
        if self.duplicates is None:
            self.duplicates = DuplicatesWindow(self.w.runner, self.w.svc, self.w.reference, self.w)
            self.duplicates.destroyed.connect(lambda: setattr(self, "duplicates", None))
        self.duplicates.show()
        self.duplicates.raise_()
        self.duplicates.activateWindow()
        return self.duplicates


def install(window: MainWindow) -> Stewardship:
    return Stewardship(window)
