"""The status bar: rows loaded, how fresh the data is, what runs in the background, who is logged in."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLabel, QStatusBar

from desktop import display
from desktop.i18n import translate
from desktop.widgets import Spinner
from desktop.workers import Runner


class StatusLine(QObject):
    def __init__(self, runner: Runner, bar: QStatusBar, actor: Any):
        super().__init__(bar)
        self._bar = bar
        self.grid = QLabel()
        self.grid.setObjectName("statusGrid")
        self.freshness = QLabel()
        self.freshness.setObjectName("statusFreshness")
        self.replica = QLabel()     # with a read replica (STEWARD_READ_DATABASE_URL): how far behind it is
        self.replica.setObjectName("statusReplica")
        self.message = QLabel()
        self.message.setObjectName("statusMessage")
        self.spinner = Spinner()
        self.busy = QLabel()
        self.busy.setObjectName("statusBusy")
        user = QLabel(f"{actor.display_name} · {display.human(actor.role)}")
        user.setObjectName("statusUser")
        bar.addWidget(self.grid)
        bar.addWidget(self.freshness)
        bar.addWidget(self.replica)
        bar.addWidget(self.message, 1)
        bar.addPermanentWidget(self.spinner)
        bar.addPermanentWidget(self.busy)
        bar.addPermanentWidget(user)
        self.stale = False
        self._serial = 0
        self._as_of: datetime | None = None
        runner.busy_changed.connect(self._busy)

    def show_grid(self, loaded: int, total: int | None, exhausted: bool, as_of: datetime | None) -> None:
        if total == 0 or (total is None and exhausted and loaded == 0):
            text = translate("status", "0 customers match")
        elif total is not None:
            text = translate("status", "{loaded} of {total} customers loaded").format(
                loaded=display.count(loaded), total=display.count(total)
            )
        else:
            text = translate("status", "{loaded} customers loaded").format(loaded=display.count(loaded)) + (
                "" if exhausted else translate("status", " (more on scrolling)")
            )
        self.grid.setText(text)
        self._as_of = as_of or self._as_of
        self._show_freshness()

    def set_stale(self, stale: bool) -> None:
        self.stale = stale
        self._show_freshness()

    def say(self, text: str, *, warning: bool = False, clear_after_ms: int | None = None) -> None:
        """A message beside the counts; with `clear_after_ms` it goes by itself (unless replaced)."""
        self.message.setText(text)
        self.message.setStyleSheet("color: #8f1d18;" if warning else "")
        self._serial += 1
        if clear_after_ms is not None:
            serial = self._serial
            QTimer.singleShot(clear_after_ms, self, lambda: self.say("") if self._serial == serial else None)

    def clear_warning(self) -> None:
        """A message in red (the database was not reachable) goes once a call succeeds again."""
        if self.message.styleSheet():
            self.say("")

    def _show_freshness(self) -> None:
        as_of = display.clock(self._as_of) if self._as_of else "—"
        if self.stale:
            self.freshness.setText(translate("status", "·  data as of {as_of} — reconnecting").format(as_of=as_of))
            self.freshness.setObjectName("statusStale")
        else:
            self.freshness.setText(translate("status", "·  data as of {as_of}").format(as_of=as_of))
            self.freshness.setObjectName("statusFreshness")
        self.freshness.style().unpolish(self.freshness)
        self.freshness.style().polish(self.freshness)

    def _busy(self, busy: bool, label: str) -> None:
        self.spinner.set_running(busy)
        self.busy.setText(label if busy else "")

    def show_replica_lag(self, lag: timedelta | None) -> None:
        """The grid and the cockpit read from a replica this far behind the primary (None: no replica)."""
        if lag is None:
            self.replica.setText("")
        elif lag.total_seconds() < 1:
            self.replica.setText("·  from the replica, up to date")
        else:
            self.replica.setText(f"·  from the replica, {display.count(round(lag.total_seconds()))} s behind")
