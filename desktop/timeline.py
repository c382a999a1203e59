"""A record of what a person sees, for tests and measurements: STEWARD_UI_TIMELINE=path.

When the variable names a file, every time a top-level window is shown or hidden a line
is appended to it:

    1733512345.123456 shown startWindow | startWindow
    1733512351.420000 shown mainWindow | startWindow mainWindow
    1733512351.431000 hidden startWindow | mainWindow

(the wall-clock time, what happened to which window, then every visible top-level
window), and a line for every stretch the UI thread did not answer for more than
BLOCK_MS (`block 180 ms`), measured by a timer that should fire every TICK_MS.
Other code can add its own measurements with `note(text)`. Without the variable,
nothing is installed and nothing is written.
"""

from __future__ import annotations

import os
import time

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

ENV = "STEWARD_UI_TIMELINE"
TICK_MS = 20
BLOCK_MS = 100

_recorder: "_Recorder | None" = None


class _Recorder(QObject):
    def __init__(self, app: QApplication, path: str):
        super().__init__(app)
        self._app, self._path = app, path
        self._clock = QElapsedTimer()
        self._clock.start()
        self._last = 0
        self._timer = QTimer(self, interval=TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._timer.start()
        app.installEventFilter(self)

    def write(self, text: str) -> None:
        with open(self._path, "a", encoding="utf-8") as out:
            out.write(f"{time.time():.6f} {text}\n")

    def visible(self) -> str:
        return " ".join(sorted(w.objectName() or type(w).__name__ for w in self._app.topLevelWidgets()
                               if w.isVisible() and w.isWindow() and not _is_popup(w)))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.Show, QEvent.Type.Hide) and isinstance(watched, QWidget) and watched.isWindow() \
                and not _is_popup(watched):
            what = "shown" if kind == QEvent.Type.Show else "hidden"
            self.write(f"{what} {watched.objectName() or type(watched).__name__} | {self.visible()}")
        return False

    def _tick(self) -> None:
        now = self._clock.elapsed()
        gap = now - self._last - TICK_MS
        if self._last and gap > BLOCK_MS:
            self.write(f"block {gap} ms")
        self._last = now


def _is_popup(widget: QWidget) -> bool:
    return widget.windowType() in (widget.windowType().ToolTip, widget.windowType().Popup)


def install(app: QApplication) -> None:
    """Start recording when STEWARD_UI_TIMELINE names a file (once per process)."""
    global _recorder
    path = os.environ.get(ENV)
    if path and _recorder is None:
        _recorder = _Recorder(app, path)
        _recorder.write(f"start | {_recorder.visible()}")


def note(text: str) -> None:
    """Add a measurement to the timeline, if one is recorded."""
    if _recorder is not None:
        _recorder.write(f"note {text}")
