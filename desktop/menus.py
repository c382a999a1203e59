"""The main window's menus: every action has a keyboard shortcut, listed under Help."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox

from desktop.backup import SHARED
from desktop.i18n import translate

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

SHORTCUTS = QT_TRANSLATE_NOOP(
    "menus",
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

    file_menu = w.menuBar().addMenu(translate("menus", "&File"))
    action(file_menu, translate("menus", "&Import customers…"), w.import_customers, "Ctrl+I", "importCustomers")
    file_menu.addSeparator()
    action(
        file_menu, translate("menus", "Export view to &CSV…"), lambda: w.export_dialog(".csv"), "Ctrl+E", "exportCsv"
    )
    action(
        file_menu,
        translate("menus", "Export view to &Excel…"),
        lambda: w.export_dialog(".xlsx"),
        "Ctrl+Shift+E",
        "exportXlsx",
    )
    file_menu.addSeparator()
    backup = action(file_menu, translate("menus", "&Back up now…"), w.backup_now, None, "backupNow")
    if not w.svc.backups.available:
        backup.setEnabled(False)
        backup.setToolTip(translate("backup", SHARED))
        backup.setStatusTip(translate("backup", SHARED))
    file_menu.addSeparator()
    action(file_menu, translate("menus", "&Quit"), w.close, QKeySequence.StandardKey.Quit)
    view_menu = w.menuBar().addMenu(translate("menus", "&View"))
    action(view_menu, translate("menus", "&Find customers"), w.filters.focus_search, "Ctrl+F", "find")
    action(view_menu, translate("menus", "&Grid"), w.show_grid, "Ctrl+1")
    action(view_menu, translate("menus", "&Detail"), w.focus_detail, "Ctrl+2")
    action(view_menu, translate("menus", "C&ockpit"), w.show_cockpit, "Ctrl+3", "cockpit")
    action(view_menu, translate("menus", "&Refresh"), w.refresh, "F5", "refresh")
    action(view_menu, translate("menus", "&Clear filters"), w.filters.clear, "Ctrl+Shift+L")
    view_menu.addSeparator()
    columns = view_menu.addMenu(translate("menus", "C&olumns"))
    columns.aboutToShow.connect(lambda: _fill_columns(w, columns))
    action(view_menu, translate("menus", "&Language && formats…"), w.formats_dialog, name="formats")
    customer_menu = w.menuBar().addMenu(translate("menus", "&Customer"))
    save = action(
        customer_menu, translate("menus", "&Save fields"), w.detail.fields.save, QKeySequence.StandardKey.Save, "save"
    )
    action(customer_menu, translate("menus", "&Discard changes"), w.detail.fields.discard)
    customer_menu.addSeparator()
    action(customer_menu, translate("menus", "&Request sample…"), w.request_sample, "Ctrl+Shift+S")
    action(customer_menu, translate("menus", "&Log activity…"), w.log_activity, "Ctrl+Shift+A")
    help_menu = w.menuBar().addMenu(translate("menus", "&Help"))
    action(
        help_menu,
        translate("menus", "&Keyboard shortcuts"),
        lambda: QMessageBox.information(w, translate("menus", "Keyboard shortcuts"), translate("menus", SHORTCUTS)),
        "F1",
    )
    return save


def _fill_columns(w: "MainWindow", menu: QMenu) -> None:
    menu.clear()
    for act in w.table.column_menu().actions():
        act.setParent(menu)
        menu.addAction(act)
