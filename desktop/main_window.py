"""The main window: filters on the left, the customer grid, the selected customer on the right."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (QFileDialog, QMainWindow, QMessageBox, QProgressDialog, QSplitter,
                               QTabWidget, QVBoxLayout, QWidget)

from desktop import backup, export, menus, stewardship
from desktop.cockpit import CockpitView
from desktop.detail.pane import DetailPane
from desktop.errors import one_line, show_error
from desktop.grid import columns as grid_columns
from desktop.grid.filters import FilterPanel
from desktop.grid.model import CustomerModel
from desktop.grid.saved_views import SavedViewsBar
from desktop.grid.view import CustomerTable
from desktop.live import LIVE, RECONNECTING, LiveRefresh
from desktop.reference import Reference
from desktop.status import StatusLine
from desktop.throttle import Throttle
from desktop.workers import Runner
from services.service_layer.customers import CustomerRow
from services.errors import DatabaseUnavailable
from services.service_layer.views import SavedView

if TYPE_CHECKING:
    from services.service_layer.facade import Steward

# Re-reading changed rows at most this often, however many changes arrive.
REFRESH_MIN_INTERVAL_MS = 1500


class MainWindow(QMainWindow):
    def __init__(self, svc: Steward, reference: Reference, *, runner: Runner | None = None, live: bool = True,
                 poll_interval: float | None = None, page_size: int | None = None):
        super().__init__()
        self.setObjectName("mainWindow")
        self.svc, self.reference = svc, reference
        self.runner = runner or Runner(self)
        self.confirm_close = True     # ask before closing with unsaved edits
        actor = reference.actor
        self.setWindowTitle(f"Steward — Customers · {actor.display_name} ({actor.role.replace('_', ' ').title()})")

        about = {f.key: f.description or f.label for f in reference.fields}
        columns = grid_columns.build(reference.hot_columns, reference.sort_keys, reference.regions, about)
        self.model = CustomerModel(self.runner, svc, columns, self, page_size=page_size)
        self.table = CustomerTable(self.model)
        self.filters = FilterPanel(reference.filters)
        self.filters.set_choices(reference.regions, list(reference.owners))
        self.views = SavedViewsBar(self.runner, svc, self.view_definition)
        self.detail = DetailPane(self.runner, svc, reference)
        self.status = StatusLine(self.runner, self.statusBar(), actor)

        left = QWidget()
        left.setObjectName("filterPanel")
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(10, 10, 10, 0)
        left_layout.addWidget(self.views)
        left_layout.addWidget(self.filters, 1)
        left.setMinimumWidth(200)     # the pickers shrink; the grid needs the room more
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 2)
        self.cockpit = CockpitView(self.runner, svc, reference)
        self.pages = QTabWidget()
        self.pages.setObjectName("pages")
        self.pages.setDocumentMode(True)
        self.pages.addTab(self.splitter, "Customers")
        self.pages.addTab(self.cockpit, "Cockpit")
        self.pages.setTabToolTip(1, "KPI charts and focus lists (Ctrl+3)")
        self.setCentralWidget(self.pages)
        self.resize(1680, 960)
        self.splitter.setSizes([225, 935, 520])
        self.splitter.setChildrenCollapsible(False)
        self._tab_order()

        # Changed rows are re-read at once, then at most once per interval; None: anything may have changed.
        self._changed_customers: set[uuid.UUID] | None = set()
        self._row_updates = Throttle(self._update_changed_rows, REFRESH_MIN_INTERVAL_MS, self)
        self._select_first_when_loaded = False
        self._held_filters: dict[str, Any] = {}    # a chart's drill-down the filter panel has no picker for
        self.save_action = menus.build(self)
        self.stewardship = stewardship.install(self)     # new customer, bulk edit, grid editing, undo

        self.filters.changed.connect(self._panel_changed)
        self.filters.search.returnPressed.connect(self._search_done)
        self.views.apply_requested.connect(self.apply_view)
        self.table.current_changed.connect(self._current_changed)
        self.table.open_requested.connect(self.open_customer)
        self.model.rows_loaded.connect(self._rows_loaded)
        self.model.total_known.connect(lambda _n: self._show_counts())
        self.model.failed.connect(self._grid_failed)
        self.detail.dirty_changed.connect(self._dirty_changed)
        self.detail.customers_changed.connect(self.rows_changed)
        self.runner.failed.connect(lambda error: show_error(self, error))
        self.cockpit.show_customers.connect(self.show_customers)
        self.cockpit.open_customer.connect(self._open_from_cockpit)

        self.live = LiveRefresh(svc, self, **({"poll_interval": poll_interval} if poll_interval else {}))
        self.live.changed.connect(self._changes_arrived)
        self.live.state_changed.connect(self._live_state)
        self.live.changed.connect(self.cockpit.changes_arrived)
        self.live.state_changed.connect(self.cockpit.set_live_state)
        if live:
            self.live.start()
        self.views.reload()
        self.model.set_query({}, "name")
        if svc.backups.available:
            backup.remind(self.runner, svc, say=self.status.say, owner=self)

    def _tab_order(self) -> None:
        """Views, search, the pickers top to bottom, the grid, then the customer's tabs and fields."""
        f = self.filters
        chain = [self.views.combo, self.views.menu_button, f.search, *f.pickers(), f.clear_button, self.table,
                 self.detail.tabs.tabBar()]
        chain += [row.editor.widget for row in self.detail.fields.rows.values() if not row.read_only][:1]
        for first, second in zip(chain, chain[1:], strict=False):
            self.setTabOrder(first, second)

    # ---------------------------------------------------------------- queries

    def apply_filters(self, filters: dict[str, Any]) -> None:
        chosen = self.views.chosen()
        if chosen is not None and chosen.filters != filters:
            self.views.show_none()    # the filter no longer is the saved view's
        self.model.set_query({**filters, **self._held_filters}, self.model.sort_key)

    def _panel_changed(self, filters: dict[str, Any]) -> None:
        self._held_filters = {}
        self.apply_filters(filters)

    def show_customers(self, filters: dict[str, Any], about: str = "") -> None:
        """Show the grid filtered like this (for other views, e.g. a chart that was clicked). What the
        filter panel has no picker for (the customer ids behind a number, a chain) holds until the
        panel's filters change."""
        shown = {k: str(v) if isinstance(v, uuid.UUID) else v for k, v in filters.items()}
        self.filters.blockSignals(True)
        self.filters.set_filters(shown)
        self.filters.blockSignals(False)
        panel = self.filters.filters()
        self._held_filters = {k: v for k, v in shown.items() if k not in panel}
        self.show_grid()
        self.apply_filters(panel)
        if about:
            self.status.say(f"Showing {about}. Clear filters (Ctrl+Shift+L) shows everyone again.")

    def show_grid(self) -> None:
        self.pages.setCurrentWidget(self.splitter)
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def show_cockpit(self) -> None:
        self.pages.setCurrentWidget(self.cockpit)
        self.cockpit.filters.preset.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def view_definition(self) -> dict[str, Any]:
        return {"filters": self.filters.filters(), "columns": self.table.visible_columns(),
                "sort": self.model.sort_key}

    def apply_view(self, view: SavedView) -> None:
        self.table.set_visible_columns(view.columns)
        self.model.sort_key = view.sort
        self.filters.set_filters(view.filters)

    def refresh(self) -> None:
        """F5: re-read the grid rows and the open customer, or the cockpit's numbers."""
        if self.pages.currentWidget() is self.cockpit:
            self.cockpit.refresh()
            return
        self.model.refresh()
        self.detail.refresh(None)

    def rows_changed(self, customer_ids: Any) -> None:
        """These customers changed (a write here, a notification; None: anything may have): their
        rows are re-read now, or once when the throttle's interval is over."""
        if customer_ids is None:
            self._changed_customers = None
        elif self._changed_customers is not None:
            self._changed_customers.update(customer_ids)
        self._row_updates.request()

    def _update_changed_rows(self) -> None:
        changed, self._changed_customers = self._changed_customers, set()
        if changed is None:
            self.model.refresh()
        elif changed:
            self.model.update_rows(changed)

    def _changes_arrived(self, changes) -> None:
        if changes is None:
            self.detail.refresh(None)
        elif self.detail.customer_id in changes.customer_ids:
            self.detail.refresh(changes.customer_ids)
        self.rows_changed(None if changes is None else changes.customer_ids)

    # --------------------------------------------------------- the selection

    def _current_changed(self, row: CustomerRow | None) -> None:
        if row is None:
            return
        if not self.detail.show_customer(row):
            name = self.detail.title.text()
            self.status.say(f"Unsaved changes to {name}: save (Ctrl+S) or discard them to open another customer.",
                            warning=True)

    def open_customer(self, row: CustomerRow) -> None:
        """Enter or a double click: open the customer and go to its fields."""
        if self.detail.show_customer(row):
            self.focus_detail()
        else:
            self._current_changed(row)

    def _open_from_cockpit(self, row: CustomerRow) -> None:
        self.pages.setCurrentWidget(self.splitter)
        self.open_customer(row)

    def focus_detail(self) -> None:
        self.pages.setCurrentWidget(self.splitter)
        self.detail.tabs.setCurrentWidget(self.detail.fields)
        self.detail.fields.focus_first()

    def _dirty_changed(self, dirty: bool) -> None:
        if not dirty:
            self.status.say("")
            current = self.table.current_customer()
            if current is not None and current.id != self.detail.customer_id:
                self.detail.show_customer(current)

    def _search_done(self) -> None:
        # Enter in the search box: on to the grid, at the first match once it has arrived.
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if self.model.loading:
            self._select_first_when_loaded = True
        else:
            self.table.select_first()

    def request_sample(self) -> None:
        self.detail.tabs.setCurrentWidget(self.detail.samples)
        self.detail.samples.open_request()

    def log_activity(self) -> None:
        self.detail.tabs.setCurrentWidget(self.detail.activities)
        self.detail.activities.open_form()

    # ----------------------------------------------------------- the status

    def _rows_loaded(self, _count: int) -> None:
        self._show_counts()
        wanted = self._select_first_when_loaded or self.detail.customer_id is None
        if wanted and self.model.rowCount() and not self.table.currentIndex().isValid():
            self._select_first_when_loaded = False
            self.table.select_first()

    def _show_counts(self) -> None:
        self.status.show_grid(self.model.rowCount(), self.model.total, self.model.exhausted, self.model.as_of)

    def _live_state(self, state: str) -> None:
        self.status.set_stale(state == RECONNECTING)
        if state == LIVE:
            self._show_counts()

    def _grid_failed(self, error: BaseException) -> None:
        if isinstance(error, DatabaseUnavailable):
            self.status.set_stale(True)
            self.status.say(one_line(error), warning=True)
        else:
            show_error(self, error, doing="Loading the customers")

    # --------------------------------------------------------------- export

    def export_dialog(self, suffix: str = ".csv") -> None:
        start = str(Path.home() / f"customers{suffix}")
        path, _ = QFileDialog.getSaveFileName(self, "Export the view", start,
                                              ";;".join([export.FORMATS[suffix]] + [f for s, f in export.FORMATS.items()
                                                                                      if s != suffix]))
        if path:
            self.export_to(Path(path) if Path(path).suffix else Path(path + suffix))

    def export_to(self, path: Path) -> QProgressDialog:
        """Export the view in a worker, with a progress dialog that can cancel it."""
        columns = [next(c for c in self.model.columns if c.key == key) for key in self.table.visible_columns()]
        self.export_progress = export.start(self, self.runner, self.svc, dict(self.model.filters), self.model.sort_key,
                                            columns, path, say=self.status.say)
        return self.export_progress

    # ---------------------------------------------------------------- backup

    def backup_now(self) -> QProgressDialog | None:
        """File ▸ Back up now… (the embedded database): where to, then pg_dump in a worker."""
        self.backup_progress = backup.ask_and_back_up(self, self.runner, self.svc, say=self.status.say)
        return self.backup_progress

    # ---------------------------------------------------------------- closing

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.detail.dirty and self.confirm_close:
            answer = QMessageBox.question(
                self, "Unsaved changes", f"Save your changes to {self.detail.title.text()} before closing?",
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)
            if answer == QMessageBox.StandardButton.Cancel:
                event.ignore()
                return
            if answer == QMessageBox.StandardButton.Save:
                self.detail.fields.saved.connect(lambda _fs: self.close())
                self.detail.fields.save()
                event.ignore()
                return
            self.detail.fields.discard()
        self.shut_down()
        super().closeEvent(event)

    def shut_down(self) -> None:
        """Stop listening and let running work finish (it is short: one page, one save)."""
        self.live.stop()
        self.runner.close()
