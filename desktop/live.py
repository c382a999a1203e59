"""Live refresh: wait for change notifications in a worker, and say what changed.

LISTEN/NOTIFY is only a wake-up call (notifications are lost while a connection
is down), so on every wake-up and after every reconnect the client asks the
change feed what happened since its last position, and the window re-reads
what is on screen. When the connection drops, the state turns "reconnecting"
and the loop polls every `poll_interval` seconds until the database answers.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRunnable, Signal

from desktop.workers import make_pool
from services.errors import DatabaseUnavailable

if TYPE_CHECKING:
    from services.service_layer.facade import Steward

log = logging.getLogger(__name__)

POLL_INTERVAL = 30.0
LIVE, RECONNECTING = "live", "reconnecting"


class LiveRefresh(QObject):
    changed = Signal(object)        # services.service_layer.changes.Changes, or None: "anything may have changed"
    state_changed = Signal(str)     # LIVE or RECONNECTING

    def __init__(self, svc: Steward, parent: QObject | None = None, *, poll_interval: float = POLL_INTERVAL,
                 wait_timeout: float = 0.5):
        super().__init__(parent)
        self._svc = svc
        self.poll_interval = poll_interval
        self.wait_timeout = wait_timeout
        self.state = ""
        self._stop = threading.Event()
        self._pool = make_pool(self, 1)
        self.state_changed.connect(self._remember)

    @property
    def running(self) -> bool:
        return self._pool.activeThreadCount() > 0

    def start(self) -> None:
        if not self.running:
            self._stop.clear()
            self._pool.start(_Loop(self))

    def stop(self, msecs: int = 5000) -> None:
        self._stop.set()
        self._pool.waitForDone(msecs)

    def _remember(self, state: str) -> None:
        self.state = state

    # ------------------------------------------------------ the worker side

    def run(self) -> None:
        listener = None
        position: int | None = None
        connected = stale = False
        last_poll = time.monotonic()
        try:
            while not self._stop.is_set():
                try:
                    if listener is None:
                        listener = self._svc.changes.listener()
                        listener.connect()
                    if position is None:
                        position = self._svc.changes.latest_position()
                    if not connected:
                        if stale:
                            # Notifications sent while we were away are lost: catch up, re-read everything.
                            position = self._svc.changes.since(position).position
                            self.changed.emit(None)
                        connected, stale = True, False
                        self.state_changed.emit(LIVE)
                    woke = listener.wait(self.wait_timeout)
                    if woke or time.monotonic() - last_poll >= self.poll_interval:
                        last_poll = time.monotonic()
                        changes = self._svc.changes.since(position)
                        if changes.position != position:
                            position = changes.position
                            self.changed.emit(changes)
                except Exception as exc:  # noqa: BLE001 - the loop must outlive any one failure
                    if isinstance(exc, DatabaseUnavailable):
                        log.info("live refresh lost the database: %s", exc)
                    else:
                        log.warning("live refresh failed; retrying", exc_info=True)
                    if listener is not None:
                        listener.close()
                        listener = None
                    if not stale:
                        connected, stale = False, True
                        self.state_changed.emit(RECONNECTING)
                    self._stop.wait(self.poll_interval)
        finally:
            if listener is not None:
                listener.close()


class _Loop(QRunnable):
    def __init__(self, live: LiveRefresh):
        super().__init__()
        self._live = live

    def run(self) -> None:
        self._live.run()
