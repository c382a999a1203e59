"""Doing something at most once per interval, however often it is asked for."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer


class Throttle(QObject):
    """Runs `action` at once when asked, then at most once per `interval_ms`: every ask
    that arrives meanwhile is folded into one run when the interval is over.

    Change notifications come in bursts (a save, its events, another person's batch);
    the first is answered at once, the rest once, a little later, so the screen is
    never more than one interval behind and the database is not asked for each.
    """

    def __init__(self, action: Callable[[], None], interval_ms: int, parent: QObject | None = None):
        super().__init__(parent)
        self._action = action
        self._asked_meanwhile = False
        self._timer = QTimer(self, singleShot=True, interval=interval_ms)
        self._timer.timeout.connect(self._interval_over)

    @property
    def waiting(self) -> bool:
        """An ask is waiting for the interval to end."""
        return self._asked_meanwhile

    def request(self) -> None:
        if self._timer.isActive():
            self._asked_meanwhile = True
            return
        self._action()
        self._timer.start()

    def _interval_over(self) -> None:
        if self._asked_meanwhile:
            self._asked_meanwhile = False
            self.request()
