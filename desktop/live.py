"""Live refresh: wait for change notifications in a worker, and say what changed.

LISTEN/NOTIFY is only a wake-up call (notifications are lost while a connection
is down), so on every wake-up and after every reconnect the client asks the
change feed what happened since its last position, and the window re-reads
what is on screen. When the connection drops, the state turns "reconnecting"
and the loop tries again after a short and growing pause (0.5 s, 1 s, 2 s … at
most 10 s), or at once when `retry_now` says another call has just succeeded;
once it is back the state is "live" again.
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
RETRY_FIRST, RETRY_MOST = 0.5, 10.0     # seconds between tries while the database is away
LIVE, RECONNECTING = "live", "reconnecting"


class LiveRefresh(QObject):
    changed = Signal(object)        # services.service_layer.changes.Changes, or None: "anything may have changed"
    state_changed = Signal(str)     # LIVE or RECONNECTING

    def __init__(self, svc: Steward, parent: QObject | None = None, *, poll_interval: float = POLL_INTERVAL,
                 wait_timeout: float = 0.5, retry_first: float = RETRY_FIRST, retry_most: float = RETRY_MOST):
        super().__init__(parent)
        self._svc = svc
        self.poll_interval = poll_interval
        self.wait_timeout = wait_timeout
        self.retry_first, self.retry_most = retry_first, retry_most
        self.state = ""
        self._stop = threading.Event()
        self._wake = threading.Event()       # stop waiting: stopping, or worth trying again now
        self._pool = make_pool(self, 1)
        self.state_changed.connect(self._remember)

    @property
    def running(self) -> bool:
        return self._pool.activeThreadCount() > 0

    def start(self) -> None:
        if not self.running:
            self._stop.clear()
            self._wake.clear()
            self._pool.start(_Loop(self))

    def stop(self, msecs: int = 5000) -> None:
        self._stop.set()
        self._wake.set()
        self._pool.waitForDone(msecs)

    def retry_now(self) -> None:
        """Another call reached the database: while reconnecting, try at once instead of after the pause."""
        if self.state == RECONNECTING:
            self._wake.set()

    def _remember(self, state: str) -> None:
        self.state = state

    # ------------------------------------------------------ the worker side

    def run(self) -> None:
        listener = None
        position: int | None = None
        connected = stale = False
        last_poll = time.monotonic()
        pause = self.retry_first
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
                        connected, stale, pause = True, False, self.retry_first
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
                    self._wake.wait(pause)
                    self._wake.clear()
                    pause = min(pause * 2, self.retry_most)
        finally:
            if listener is not None:
                listener.close()


class _Loop(QRunnable):
    def __init__(self, live: LiveRefresh):
        super().__init__()
        self._live = live

    def run(self) -> None:
        self._live.run()
