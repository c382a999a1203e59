"""Starting the desktop: check for a display, connect in a worker, load demo data on a first start, open the window."""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

import services
from desktop import demo_data, reference, style
from desktop.errors import describe
from desktop.main_window import MainWindow
from desktop.workers import Runner
from services.config import Settings

if TYPE_CHECKING:
    from services.service_layer.facade import Steward

log = logging.getLogger(__name__)

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
        return "QT_QPA_PLATFORM is xcb but DISPLAY is not set."
    if qpa.startswith("wayland") and not env.get("WAYLAND_DISPLAY"):
        return "QT_QPA_PLATFORM is wayland but WAYLAND_DISPLAY is not set."
    if not qpa and not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        return ("neither DISPLAY nor WAYLAND_DISPLAY is set. Start Steward inside a desktop session, "
                "or set QT_QPA_PLATFORM=offscreen to run it without a screen.")
    return None


@dataclass
class Started:
    svc: Steward
    reference: reference.Reference
    needs_demo: bool


def start(settings: Settings) -> Started:
    """Worker side of the start: connect (starting the embedded server if needed) and read the reference data."""
    svc = services.connect(settings.database_url, settings.user, settings=settings, source="desktop")
    try:
        ref = reference.load(svc)
        needs_demo = settings.embedded and not svc.customers.list(limit=1).items
    except BaseException:
        svc.close()
        raise
    return Started(svc, ref, needs_demo)


class Launcher:
    """Runs the start in the background behind a progress dialog, then opens the window."""

    def __init__(self, app: QApplication, settings: Settings):
        self.app, self.settings = app, settings
        self.runner = Runner(app)
        self.window: MainWindow | None = None
        self.started: Started | None = None
        self.progress = QProgressDialog("Connecting to the database…", "", 0, 0)
        self.progress.setWindowTitle("Steward")
        self.progress.setCancelButton(None)
        self.progress.setMinimumDuration(300)
        self.progress.setWindowModality(Qt.WindowModality.ApplicationModal)

    def begin(self) -> None:
        self.runner.read(lambda: start(self.settings), done=self._connected, failed=self._failed,
                         label="Connecting…")

    def _connected(self, started: Started) -> None:
        self.started = started
        if started.needs_demo:
            self.progress.setLabelText("First start: loading demo customers…")
            self.runner.write(lambda job: demo_data.load(self.settings, job), progress=self._progressed,
                              done=lambda _: self._open(), failed=self._demo_failed, label="Loading demo data…")
        else:
            self._open()

    def _progressed(self, done: int, total: int, text: str) -> None:
        self.progress.setLabelText(f"First start: {text[0].lower() + text[1:] if text else 'loading demo data…'}")
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)

    def _demo_failed(self, error: BaseException) -> None:
        title, detail, _ = describe(error)
        QMessageBox.warning(None, title, f"The demo data could not be loaded: {detail}\nSteward opens without it.")
        self._open()

    def _open(self) -> None:
        self.progress.close()
        assert self.started is not None
        self.window = MainWindow(self.started.svc, self.started.reference, runner=self.runner)
        _fit_to_screen(self.window)
        _restore_layout(self.window)
        self.window.show()

    def _failed(self, error: BaseException) -> None:
        self.progress.close()
        title, detail, _ = describe(error)
        QMessageBox.critical(None, f"Steward cannot start — {title}", detail)
        self.app.exit(1)


def main(settings: Settings | None = None) -> int:
    problem = display_problem()
    if problem:
        print(f"No display available: {problem}", file=sys.stderr)
        return 1
    settings = settings or Settings.from_env()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Steward")
    app.setOrganizationName("Steward")
    style.apply(app)
    launcher = Launcher(app, settings)
    launcher.begin()
    code = app.exec()
    if launcher.window is not None:
        _save_layout(launcher.window)
        launcher.window.shut_down()
    launcher.runner.wait()
    if launcher.started is not None:
        launcher.started.svc.close()
    return code


def _restore_layout(window: MainWindow) -> None:
    stored = QSettings()
    if stored.value("window/geometry"):
        window.restoreGeometry(stored.value("window/geometry"))
    if stored.value("window/splitter"):
        window.splitter.restoreState(stored.value("window/splitter"))
    if stored.value("grid/header"):
        window.table.horizontalHeader().restoreState(stored.value("grid/header"))


def _save_layout(window: MainWindow) -> None:
    stored = QSettings()
    stored.setValue("window/geometry", window.saveGeometry())
    stored.setValue("window/splitter", window.splitter.saveState())
    stored.setValue("grid/header", window.table.horizontalHeader().saveState())


def _fit_to_screen(window: MainWindow) -> None:
    screen = window.screen().availableGeometry() if window.screen() else None
    if screen is not None and (window.width() > screen.width() or window.height() > screen.height()):
        window.resize(min(window.width(), int(screen.width() * 0.95)),
                      min(window.height(), int(screen.height() * 0.92)))
