"""The main window's menus: every action has a keyboard shortcut, listed under Help."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox

from desktop.backup import SHARED

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

SHORTCUTS = (
    "Ctrl+F\tfind customers (Enter goes to the grid)\n"
    "↑ ↓ PgUp PgDn\tmove in the grid\n"
    "Enter\topen the customer's fields (on a field's cell: edit it)\n"
    "Ctrl+S\tsave the changed fields\n"
    "Esc\trevert the field you are editing\n"
    "Ctrl+1 / Ctrl+2 / Ctrl+3\tgrid / detail / cockpit (KPI charts and focus lists)\n"
    "Ctrl+Shift+S / Ctrl+Shift+A\trequest a sample / log an activity\n"
    "F5\trefresh\n"
    "Ctrl+E\texport the view to CSV (Ctrl+Shift+E: Excel)\n"
    "Ctrl+N / Ctrl+M\tnew customer / edit the customer's master data\n"
    "F2, Enter, double click\tedit a field cell in the grid (Enter saves, Esc cancels)\n"
    "Ctrl+D / Ctrl+V\tfill down the selected rows / paste cells from a spreadsheet\n"
    "Ctrl+B\tbulk edit the selection or the whole filter\n"
    "Ctrl+Z / Ctrl+H\tundo your last bulk change / the change-set history")


def build(w: "MainWindow") -> QAction:
    """Fill the menu bar; returns the Save action (Ctrl+S)."""
    def action(menu: QMenu, text: str, slot, shortcut=None, name: str | None = None) -> QAction:
        act = QAction(text, w)
        if shortcut:
            act.setShortcut(QKeySequence(shortcut))
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        if name:
            act.setObjectName(name)
        act.triggered.connect(slot)
        menu.addAction(act)
        return act

    file_menu = w.menuBar().addMenu("&File")
    action(file_menu, "&Import customers…", w.import_customers, "Ctrl+I", "importCustomers")
    file_menu.addSeparator()
    action(file_menu, "Export view to &CSV…", lambda: w.export_dialog(".csv"), "Ctrl+E", "exportCsv")
    action(file_menu, "Export view to &Excel…", lambda: w.export_dialog(".xlsx"), "Ctrl+Shift+E", "exportXlsx")
    file_menu.addSeparator()
    backup = action(file_menu, "&Back up now…", w.backup_now, None, "backupNow")
    if not w.svc.backups.available:
        backup.setEnabled(False)
        backup.setToolTip(SHARED)
        backup.setStatusTip(SHARED)
    file_menu.addSeparator()
    action(file_menu, "&Quit", w.close, QKeySequence.StandardKey.Quit)
    view_menu = w.menuBar().addMenu("&View")
    action(view_menu, "&Find customers", w.filters.focus_search, "Ctrl+F", "find")
    action(view_menu, "&Grid", w.show_grid, "Ctrl+1")
    action(view_menu, "&Detail", w.focus_detail, "Ctrl+2")
    action(view_menu, "C&ockpit", w.show_cockpit, "Ctrl+3", "cockpit")
    action(view_menu, "&Refresh", w.refresh, "F5", "refresh")
    action(view_menu, "&Clear filters", w.filters.clear, "Ctrl+Shift+L")
    view_menu.addSeparator()
    columns = view_menu.addMenu("C&olumns")
    columns.aboutToShow.connect(lambda: _fill_columns(w, columns))
    action(view_menu, "&Language && formats…", w.formats_dialog, name="formats")
    customer_menu = w.menuBar().addMenu("&Customer")
    save = action(customer_menu, "&Save fields", w.detail.fields.save, QKeySequence.StandardKey.Save, "save")
    action(customer_menu, "&Discard changes", w.detail.fields.discard)
    customer_menu.addSeparator()
    action(customer_menu, "&Request sample…", w.request_sample, "Ctrl+Shift+S")
    action(customer_menu, "&Log activity…", w.log_activity, "Ctrl+Shift+A")
    help_menu = w.menuBar().addMenu("&Help")
    action(help_menu, "&Keyboard shortcuts", lambda: QMessageBox.information(w, "Keyboard shortcuts", SHORTCUTS), "F1")
    return save


def _fill_columns(w: "MainWindow", menu: QMenu) -> None:
    menu.clear()
    for act in w.table.column_menu().actions():
        act.setParent(menu)
        menu.addAction(act)
