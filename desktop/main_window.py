"""The main window: filters on the left, the customer grid, the selected customer on the right."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (QFileDialog, QMainWindow, QMessageBox, QProgressDialog, QSplitter,
                               QTabWidget, QVBoxLayout, QWidget)

from desktop import backup, display, export, menus, stewardship
from desktop.detail.pane import DetailPane
from desktop.errors import one_line, show_error
from desktop.grid import columns as grid_columns
from desktop.grid.empty_hint import EmptyHint
from desktop.grid.filters import FilterPanel, describe_held
from desktop.grid.model import CustomerModel
from desktop.grid.saved_views import SavedViewsBar
from desktop.grid.view import CustomerTable
from desktop.i18n import translate
from desktop.live import LIVE, RECONNECTING, LiveRefresh
from desktop.reference import Reference
from desktop.status import StatusLine
from desktop.throttle import Throttle
from desktop.widgets import LazyPage
from desktop.workers import Runner
from services.service_layer.customers import CustomerRow
from services import formats
from services.errors import DatabaseUnavailable
from services.service_layer.views import SavedView

if TYPE_CHECKING:
    from desktop.cockpit import CockpitView
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
        self.setWindowTitle(
            translate("main_window", "Steward — Customers · {display_name} ({title})").format(
                display_name=actor.display_name, title=display.human(actor.role)
            )
        )

        about = {f.key: f.description or f.label for f in reference.fields}
        columns = grid_columns.build(reference.hot_columns, reference.sort_keys, reference.regions, about)
        self.model = CustomerModel(self.runner, svc, columns, self, page_size=page_size)
        self.table = CustomerTable(self.model)
        self.filters = FilterPanel(reference.filters)
        self.filters.set_choices(reference.regions, list(reference.owners))
        self.views = SavedViewsBar(self.runner, svc, self.view_definition)
        self.detail = DetailPane(self.runner, svc, reference)
        self.status = StatusLine(self.runner, self.statusBar(), actor)
        if svc.reads_from_replica:    # the replica's lag beside "data as of", asked every 10 s
            self._replica_timer = QTimer(self, interval=10_000, timeout=self._ask_replica_lag)
            self._replica_timer.start()
            self._ask_replica_lag()

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
        # A wider window widens the grid; the panes keep their width whatever they show.
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        # The cockpit's charts are built when it is first shown: the window opens without them.
        self.cockpit_page = LazyPage(self._build_cockpit)
        self.pages = QTabWidget()
        self.pages.setObjectName("pages")
        self.pages.setDocumentMode(True)
        self.pages.addTab(self.splitter, translate("main_window", "Customers"))
        self.pages.addTab(self.cockpit_page, translate("main_window", "Cockpit"))
        self.pages.setTabToolTip(1, translate("main_window", "KPI charts and focus lists (Ctrl+3)"))
        self.setCentralWidget(self.pages)
        self.resize(1680, 960)
        self.splitter.setSizes([225, 935, 500])
        self.splitter.setChildrenCollapsible(False)
        self._tab_order()

        # Changed rows are re-read at once, then at most once per interval; None: anything may have changed.
        self._changed_customers: set[uuid.UUID] | None = set()
        self._row_updates = Throttle(self._update_changed_rows, REFRESH_MIN_INTERVAL_MS, self)
        self._select_first_when_loaded = True    # the first rows: the first customer opens
        self._unreachable = False                  # the last call that failed could not reach the database
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
        self.runner.succeeded.connect(self._reached_database)
        self.empty_hint = EmptyHint(self.table)
        self.empty_hint.clear_requested.connect(self.clear_filters)

        self.live = LiveRefresh(svc, self, **({"poll_interval": poll_interval} if poll_interval else {}))
        self.live.changed.connect(self._changes_arrived)
        self.live.state_changed.connect(self._live_state)
        if live:
            self.live.start()
        self.views.reload()
        self.model.set_query({}, "name")
        if svc.backups.available:
            backup.remind(self.runner, svc, say=self.status.say, owner=self)

    @property
    def cockpit(self) -> CockpitView:
        """The cockpit (built now if it has not been shown yet)."""
        return self.cockpit_page.content()  # type: ignore[return-value]

    def _build_cockpit(self) -> CockpitView:
        from desktop.cockpit import CockpitView   # pyqtgraph: imported while the window started

        view = CockpitView(self.runner, self.svc, self.reference)
        view.show_customers.connect(self.show_customers)
        view.open_customer.connect(self._open_from_cockpit)
        self.live.changed.connect(view.changes_arrived)
        self.live.state_changed.connect(view.set_live_state)
        if self.live.state:
            view.set_live_state(self.live.state)
        return view

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
        self.filters.set_held(None)
        self.apply_filters(filters)

    def clear_filters(self) -> None:
        """Everyone again: no search, no filter, nothing held from a chart."""
        self._held_filters = {}
        self.filters.set_held(None)
        self.filters.clear()

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
        self.filters.set_held(describe_held(self._held_filters, about) if self._held_filters else None)
        self.show_grid()
        self.apply_filters(panel)
        if about:
            self.status.say(
                translate("main_window", "Showing {about}. Clear filters (Ctrl+Shift+L) shows everyone again.").format(
                    about=about
                )
            )

    def show_grid(self) -> None:
        self.pages.setCurrentWidget(self.splitter)
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def show_cockpit(self) -> None:
        self.pages.setCurrentWidget(self.cockpit_page)
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
        if self.pages.currentWidget() is self.cockpit_page:
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
            # No row selected (another filter or sort, the row left): the pane follows once rows are here.
            if not self.model.loading:
                self._follow_the_grid()
            return
        if not self.detail.show_customer(row):
            name = self.detail.title.text()
            self.status.say(
                translate(
                    "main_window", "Unsaved changes to {name}: save (Ctrl+S) or discard them to open another customer."
                ).format(name=name),
                warning=True,
            )

    def open_customer(self, row: CustomerRow) -> None:
        """Enter or a double click: open the customer and go to its fields."""
        if self.detail.show_customer(row):
            self.focus_detail()
        else:
            self._current_changed(row)

    def _open_from_cockpit(self, row: CustomerRow) -> None:
        """A focus list's customer: selected in the grid, which shows just them if the filters hide them."""
        self.pages.setCurrentWidget(self.splitter)
        n = self.model.row_of(row.id)
        if n is not None:
            self.table.selectRow(n)
            self.open_customer(row)
        elif self.detail.dirty:
            self._current_changed(row)
        else:
            self._select_first_when_loaded = True
            self.show_customers(
                {"customer_ids": [row.id]},
                translate("main_window", "{name}, opened from the cockpit").format(name=row.name),
            )

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
        self._show_empty_hint()
        if self._select_first_when_loaded and self.model.rowCount() and not self.table.currentIndex().isValid():
            self._select_first_when_loaded = False
            self.table.select_first()
        self._follow_the_grid()

    def _follow_the_grid(self) -> None:
        """The pane shows the selected row's customer, or none: after a filter, a sort, a chart's
        click or a refresh, a customer still in the grid is selected again, one that left is closed
        (unless it has unsaved edits, which stay until saved or discarded)."""
        shown = self.detail.customer_id
        if shown is None:
            return
        current = self.table.current_customer()
        if current is not None and current.id == shown:
            return
        n = self.model.row_of(shown)
        if n is not None:
            self.table.selectRow(n)
        elif self.detail.dirty:
            self.status.say(
                translate(
                    "main_window",
                    "{text} is not in the grid any more; its unsaved changes are kept until you save (Ctrl+S) or discard them.",
                ).format(text=self.detail.title.text()),
                warning=True,
            )
        elif current is not None:
            self.detail.show_customer(current)
        else:
            self.detail.clear()

    def _show_empty_hint(self) -> None:
        empty = self.model.rowCount() == 0 and self.model.exhausted and not self.model.loading
        if not empty:
            self.empty_hint.hide()
            return
        query = self.filters.search.text().strip()
        conditions = self.filters.describe() + ([self.filters.held_text] if self.filters.held_text else [])
        self.empty_hint.show_reason(query, conditions)

    def _show_counts(self) -> None:
        self.status.show_grid(self.model.rowCount(), self.model.total, self.model.exhausted, self.model.as_of)

    def _ask_replica_lag(self) -> None:
        self.runner.read(self.svc.replica_lag, done=self.status.show_replica_lag,
                         failed=lambda _error: self.status.show_replica_lag(None), owner=self,
                         label="Asking the replica…")

    def _live_state(self, state: str) -> None:
        # "— reconnecting" while the live refresh really is; it tries again with a short backoff.
        self.status.set_stale(state == RECONNECTING)
        if state == LIVE:
            self._show_counts()

    def _reached_database(self) -> None:
        """A call came back: whatever said the database could not be reached is over."""
        if self._unreachable:
            self._unreachable = False
            self.status.clear_warning()
            self.live.retry_now()

    def _grid_failed(self, error: BaseException) -> None:
        if isinstance(error, DatabaseUnavailable):
            self._unreachable = True
            self.status.say(one_line(error), warning=True)
        else:
            show_error(self, error, doing=translate("main_window", "Loading the customers"))

    def formats_dialog(self) -> None:
        """View → Language & formats…: chosen for the next start; lists and charts follow at once."""
        from desktop import preferences

        dialog = preferences.FormatsDialog(self, overridden=bool(os.environ.get("STEWARD_LOCALE")
                                                                 or os.environ.get("STEWARD_TIMEZONE")))
        dialog.accepted.connect(self._formats_changed)
        dialog.open()
        self.formats_box = dialog

    def _formats_changed(self) -> None:
        self.model.refresh()
        self._show_counts()
        if self.cockpit_page.is_built:
            self.cockpit.refresh()

    # --------------------------------------------------------------- import

    def import_customers(self):
        """File ▸ Import customers…: the wizard (file → mapping → preview → run → report); what it
        imported shows in the grid once it is done, and Ctrl+Z takes it back."""
        from desktop.imports.wizard import ImportWizard

        self.import_wizard = ImportWizard(self.runner, self.svc, self.reference, self)
        self.import_wizard.imported.connect(lambda run: (self.refresh(), self.status.say(
            translate("main_window", "Imported: {created} created, {updated} updated.").format(
                created=formats.current().number(run.created), updated=formats.current().number(run.updated)))))
        self.import_wizard.show()
        return self.import_wizard

    # --------------------------------------------------------------- export

    def export_dialog(self, suffix: str = ".csv") -> None:
        start = str(Path.home() / f"customers{suffix}")
        path, _ = QFileDialog.getSaveFileName(self, translate("main_window", "Export the view"), start,
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
                self,
                translate("main_window", "Unsaved changes"),
                translate("main_window", "Save your changes to {text} before closing?").format(
                    text=self.detail.title.text()
                ),
                QMessageBox.StandardButton.Save
                | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Save,
            )
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
