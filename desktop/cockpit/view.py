"""The cockpit: KPI charts over the focus lists, for the filters on top.

Every number is read in a worker (svc.kpis); the charts load when the cockpit is
first shown, then again when the filters change, when change notifications
arrive (at most every REFRESH_MIN_INTERVAL_MS), and every POLL_INTERVAL_MS while
notifications cannot arrive or the daily aggregates lag behind the events.
A click on a bar or point asks for the customers behind it and hands their grid
filter to the main window; a double click in a focus list opens the customer.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from desktop.cockpit.filters import CockpitFilters, CockpitQuery
from desktop.cockpit.focus import FocusPanel
from desktop.cockpit.panel import ChartPanel
from desktop.cockpit.pipeline import commitment_chart, roi_chart
from desktop.cockpit.slas import SlaChart
from desktop.cockpit.success import SuccessChart
from desktop import display
from desktop.errors import one_line, show_error
from desktop.i18n import translate
from desktop.live import RECONNECTING
from desktop.reference import Reference
from desktop.throttle import Throttle
from desktop.widgets import Spinner
from desktop.workers import Runner
from services.errors import DatabaseUnavailable
from services.service_layer.access import SALES_REP
from services.service_layer.kpis import Drill

if TYPE_CHECKING:
    from services.service_layer.facade import Steward

REFRESH_MIN_INTERVAL_MS = 3000
POLL_INTERVAL_MS = 30_000


class CockpitView(QWidget):
    show_customers = Signal(dict, str)   # a grid filter (svc.customers.list arguments), and words for it
    open_customer = Signal(object)       # the services.service_layer.customers.CustomerRow to open

    def __init__(self, runner: Runner, svc: Steward, reference: Reference, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("cockpit")
        self._runner, self._svc, self._actor = runner, svc, reference.actor
        self.filters = CockpitFilters(runner, svc, reference.actor, reference.regions)
        self.freshness = QLabel("")
        self.freshness.setObjectName("statusFreshness")
        self.spinner = Spinner()
        self.refresh_button = QPushButton(translate("cockpit.view", "Refresh"))
        self.refresh_button.setToolTip(translate("cockpit.view", "Read the numbers again (F5)"))
        self.refresh_button.clicked.connect(self.refresh)
        for widget in (self.spinner, self.freshness, self.refresh_button):
            self.filters.tail.addWidget(widget)

        self.success = SuccessChart(runner)
        if reference.actor.role == SALES_REP:
            self.success.own_title = translate("cockpit.view", "Your customers")
        self.roi = roi_chart(runner)
        self.commitments = commitment_chart(runner)
        self.slas = SlaChart(runner)
        self.focus = FocusPanel(runner, svc, reference.regions)
        charts = QWidget()
        rows = QVBoxLayout(charts)
        rows.setContentsMargins(8, 4, 8, 4)
        rows.setSpacing(8)
        # Success and SLAs share the upper row 3 : 2, the pipeline's two charts the lower one 1 : 1.
        upper, lower = ((self.success, 3), (self.slas, 2)), ((self.roi, 1), (self.commitments, 1))
        for height, least, stretches in ((3, 270, upper), (2, 210, lower)):
            line = QHBoxLayout()
            line.setSpacing(8)
            for chart, stretch in stretches:
                chart.setMinimumHeight(least)      # below this the axis labels are cut off
                line.addWidget(chart, stretch)
            rows.addLayout(line, height)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(charts)
        self.splitter.addWidget(self.focus)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setSizes([660, 220])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.filters)
        layout.addWidget(self.splitter, 1)

        self.query: CockpitQuery | None = None
        self._generation = 0
        self._pending: set[ChartPanel] = set()
        self._as_of: datetime | None = None
        self._round_as_of: list[datetime] = []
        self._round_failed = False
        # Stale: the live refresh lost the database, or the last read could not reach it.
        self._live_lost = self._read_lost = self._behind = False
        self._stale = True                      # nothing read yet, or changes arrived while hidden
        self._people_asked = False
        self._refreshes = Throttle(self._refresh_if_shown, REFRESH_MIN_INTERVAL_MS, self)
        self._poll = QTimer(self, interval=POLL_INTERVAL_MS)
        self._poll.timeout.connect(self._poll_due)

        self.filters.changed.connect(self._filters_changed)
        for chart in self.charts:
            chart.drilled.connect(self.drill)
        self.focus.open_requested.connect(self.open)
        self.focus.failed.connect(self._focus_failed)

    @property
    def charts(self) -> tuple[ChartPanel, ...]:
        return self.success, self.roi, self.commitments, self.slas

    @property
    def stale(self) -> bool:
        return self._live_lost or self._read_lost

    @property
    def loading(self) -> bool:
        return bool(self._pending) or self.focus.loading

    # ------------------------------------------------------------- reading

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._poll.start()
        if not self._people_asked:
            self._people_asked = True
            self._runner.read(
                self._svc.users.list,
                owner=self,
                failed=lambda _e: None,
                label=translate("cockpit.view", "Loading people…"),
                done=lambda people: self.filters.set_people(people, self._actor),
            )
        if self._stale:
            self.reload()

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        self._poll.stop()

    def reload(self, query: CockpitQuery | None = None) -> None:
        """Read every chart and the first page of every focus list for `query` (default: the filters')."""
        self.query = query if isinstance(query, CockpitQuery) else self.filters.query()
        self._stale = False
        self._read_charts()
        self.focus.set_scope(self.query.scope())

    def _filters_changed(self, query: CockpitQuery) -> None:
        if self.isVisible():
            self.reload(query)
        else:
            self._stale = True    # read when shown: a hidden cockpit costs the database nothing

    def refresh(self) -> None:
        """Read the same numbers again, keeping the focus lists' places."""
        if self.query is None:
            self.reload()
            return
        self._stale = False
        self._read_charts()
        self.focus.refresh()

    def _read_charts(self) -> None:
        self._generation += 1
        q, kpis, generation = self.query, self._svc.kpis, self._generation
        scope = q.scope()
        self._pending = set(self.charts)
        self._round_as_of, self._round_failed = [], False
        for chart in self.charts:
            chart.set_busy(True)
        self.spinner.set_running(True)
        jobs = (
            (
                (self.success,),
                translate("cockpit.view", "the sample success rate"),
                # Every owner (a team's are a few dozen at most: ranked, not drawn as lines); chains: the busiest.
                partial(
                    kpis.sample_success,
                    q.first,
                    q.last,
                    grain=q.grain,
                    by=q.by,
                    **scope,
                    **({"top": None} if q.by == "owner" else {}),
                ),
            ),
            (
                (self.roi, self.commitments),
                translate("cockpit.view", "the ROI pipeline"),
                partial(kpis.roi_pipeline, q.first, q.last, **scope),
            ),
            (
                (self.slas,),
                translate("cockpit.view", "the SLA adherence"),
                partial(kpis.sla_adherence, q.first, q.last, **scope),
            ),
        )
        for charts, words, call in jobs:
            self._runner.read(call, owner=self, label=translate("cockpit.view", "Reading {words}…").format(words=words),
                              done=partial(self._arrived, generation, charts),
                              failed=partial(self._failed, generation, charts))
        self._runner.read(kpis.status, owner=self, label=translate("cockpit.view", "Reading how current the KPIs are…"),
                          done=partial(self._status, generation), failed=lambda _e: None)

    def _arrived(self, generation: int, charts: tuple[ChartPanel, ...], result: Any) -> None:
        if generation != self._generation:
            return
        for chart in charts:
            chart.show_result(result)
        self._round_as_of.append(result.as_of.astimezone())
        self._settled(charts, failed=False)

    def _failed(self, generation: int, charts: tuple[ChartPanel, ...], error: BaseException) -> None:
        if generation != self._generation:
            return
        for chart in charts:
            chart.show_failure(one_line(error))
        self._read_lost = self._read_lost or isinstance(error, DatabaseUnavailable)
        self._settled(charts, failed=True)

    def _settled(self, charts: tuple[ChartPanel, ...], *, failed: bool) -> None:
        self._pending.difference_update(charts)
        self._round_failed = self._round_failed or failed
        if not self._pending:
            self.spinner.set_running(False)
            if not self._round_failed:
                self._as_of, self._read_lost = min(self._round_as_of), False
            self._show_freshness()

    def _status(self, generation: int, status: Any) -> None:
        # Events the daemon has not counted yet: the charts are behind; poll until it catches up.
        if generation == self._generation:
            self._behind = status.present and status.pending_since is not None

    def _focus_failed(self, error: BaseException) -> None:
        if isinstance(error, DatabaseUnavailable):
            self._read_lost = True
            self._show_freshness()
        else:
            show_error(self, error, doing=translate("cockpit.view", "Loading a focus list"))

    # ------------------------------------------------------- staying fresh

    def changes_arrived(self, _changes: Any = None) -> None:
        """Someone changed something (live.LiveRefresh.changed): read again, at most once per interval."""
        if not self.isVisible():
            self._stale = True
            return
        self._refreshes.request()

    def _refresh_if_shown(self) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def set_live_state(self, state: str) -> None:
        self._live_lost = state == RECONNECTING
        self._show_freshness()

    def _poll_due(self) -> None:
        if self.isVisible() and (self.stale or self._behind) and not self.loading:
            self.refresh()

    def _show_freshness(self) -> None:
        as_of = display.clock(self._as_of) if self._as_of else "—"
        stale = self.stale
        self.freshness.setText(
            translate("cockpit.view", "as of {as_of}").format(as_of=as_of)
            + (translate("cockpit.view", " — reconnecting") if stale else "")
        )
        self.freshness.setToolTip(
            translate("cockpit.view", "The numbers include everything that happened before this time.")
        )
        self.freshness.setObjectName("statusStale" if stale else "statusFreshness")
        self.freshness.style().unpolish(self.freshness)
        self.freshness.style().polish(self.freshness)

    # ------------------------------------------------- drill-down, opening

    def drill(self, drill: Drill, words: str) -> None:
        """The customers behind a clicked number, in the grid."""
        kpis = self._svc.kpis
        self._runner.read(
            lambda: kpis.grid_filter(drill),
            owner=self,
            label=translate("cockpit.view", "Finding the customers…"),
            done=lambda filters: self.show_customers.emit(filters, words),
            failed=lambda error: show_error(self, error, doing=translate("cockpit.view", "Finding the customers")),
        )

    def open(self, customer_id: uuid.UUID) -> None:
        """Open a focus list's customer in the main window's detail."""
        customers = self._svc.customers
        self._runner.read(
            lambda: customers.list(customer_ids=[customer_id], limit=1).items,
            owner=self,
            label=translate("cockpit.view", "Opening the customer…"),
            done=self._found,
            failed=lambda error: show_error(self, error, doing=translate("cockpit.view", "Opening the customer")),
        )

    def _found(self, rows: tuple) -> None:
        if rows:
            self.open_customer.emit(rows[0])
