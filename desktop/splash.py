"""The start window: on screen within half a second of `steward`, until the main window shows.

This module imports Qt and nothing else of Steward, so the `steward` command can show the
window before it imports anything heavy (its own commands, the service layer, pyqtgraph).
The start then goes on behind it: heavy imports in a thread while the window keeps
answering (`in_background`), connecting, a first start's database and demo data in
workers (desktop/app.py). The window says what is happening and has a Cancel button that
ends the program cleanly.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QEventLoop, Qt, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from desktop.i18n import translate

T = TypeVar("T")

# Platforms that draw without a window system (no DISPLAY needed).
_HEADLESS_PLATFORMS = {"offscreen", "minimal", "vnc", "eglfs", "linuxfb", "vkkhrdisplay"}


def display_problem(environ: dict[str, str] | None = None, platform: str | None = None) -> str | None:
    """Why Qt could not open a window here, or None when it can. Checked before QApplication
    exists, because Qt aborts the whole process when it finds no display."""
    env = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    qpa = env.get("QT_QPA_PLATFORM", "").split(":")[0].strip()
    if qpa in _HEADLESS_PLATFORMS:
        return None
    if not platform.startswith("linux"):
        return None
    if qpa == "xcb" and not env.get("DISPLAY"):
        return translate("splash", "QT_QPA_PLATFORM is xcb but DISPLAY is not set.")
    if qpa.startswith("wayland") and not env.get("WAYLAND_DISPLAY"):
        return translate("splash", "QT_QPA_PLATFORM is wayland but WAYLAND_DISPLAY is not set.")
    if not qpa and not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        return translate(
            "splash",
            "neither DISPLAY nor WAYLAND_DISPLAY is set. Start Steward inside a desktop session, "
            "or set QT_QPA_PLATFORM=offscreen to run it without a screen.",
        )
    return None


class StartWindow(QWidget):
    """"Steward is starting": what it is doing now, a bar, and Cancel."""

    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("startWindow")
        self.setWindowTitle(translate("splash", "Steward — starting"))
        self.was_cancelled = False
        title = QLabel(translate("splash", "Steward"))
        title.setObjectName("startTitle")
        title.setStyleSheet("font-size: 18pt; font-weight: 600;")
        self.phase = QLabel(translate("splash", "Starting…"))
        self.phase.setObjectName("startPhase")
        self.phase.setWordWrap(True)
        self.phase.setMinimumHeight(self.phase.fontMetrics().lineSpacing() * 2)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)          # busy until a phase knows how far it is
        self.bar.setTextVisible(False)
        self.cancel_button = QPushButton(translate("splash", "Cancel"))
        self.cancel_button.setObjectName("startCancel")
        self.cancel_button.setToolTip(translate("splash", "Stop starting and close Steward"))
        self.cancel_button.clicked.connect(self.cancel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 18, 22, 16)
        layout.setSpacing(8)
        layout.addWidget(title)
        layout.addWidget(self.phase)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button, alignment=Qt.AlignmentFlag.AlignRight)
        self.setFixedSize(460, 190)

    def set_phase(self, text: str, done: int = 0, total: int = 0) -> None:
        """Say what happens now; with a total, how far it is."""
        if self.was_cancelled:
            return
        self.phase.setText(text)
        self.bar.setRange(0, max(total, 0))
        if total:
            self.bar.setValue(min(done, total))

    def cancel(self) -> None:
        if self.was_cancelled:
            return
        self.was_cancelled = True
        self.phase.setText(translate("splash", "Cancelling…"))
        self.cancel_button.setEnabled(False)
        self.cancelled.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        # Closing the window while starting means "stop"; closing it once the main window is up does not.
        if not self.property("done"):
            self.cancel()
        super().closeEvent(event)

    def finish(self) -> None:
        """The main window is on screen (or the start failed): go away without cancelling."""
        self.setProperty("done", True)
        self.close()


_window: StartWindow | None = None


def early(app_name: str = "Steward") -> StartWindow | None:
    """Create the application and show the start window at once (None when there is no display:
    the caller then says so in one line). Called again, returns the same window."""
    global _window
    if _window is not None:
        return _window
    if display_problem():
        return None
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(app_name)
    app.setOrganizationName(app_name)
    from desktop import i18n, style, timeline   # Qt only, all three
    i18n.install(app=app)       # before any window is built: a widget's texts are read when it is made
    timeline.install(app)
    style.apply(app)
    _window = StartWindow()
    screen = QGuiApplication.primaryScreen()
    if screen is not None:
        frame = _window.frameGeometry()
        frame.moveCenter(screen.availableGeometry().center())
        _window.move(frame.topLeft())
    _window.show()
    if QGuiApplication.platformName() not in _HEADLESS_PLATFORMS:
        _window.raise_()
    app.processEvents()
    return _window


def current() -> StartWindow | None:
    """The start window shown by `early`, while it is there."""
    return _window


def forget() -> None:
    """The start is over (the window was closed)."""
    global _window
    _window = None


def cancelled() -> bool:
    return _window is not None and _window.was_cancelled


def in_background(work: Callable[[], T]) -> T:
    """Run `work` (imports, mostly) in a thread while the start window keeps answering; its result,
    or its exception raised here. Without an application it simply runs `work`."""
    app = QApplication.instance()
    if app is None:
        return work()
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as error:  # noqa: BLE001 - handed back to the caller below
            outcome["error"] = error

    thread = threading.Thread(target=run, name="steward-start", daemon=True)
    thread.start()
    while thread.is_alive():
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        thread.join(0.015)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
