"""Starting the desktop: check for a display, show the start window, connect and import in workers,
load demo data on a first start, open the window.

The start window (desktop/splash.py) is on screen from the first half second until the main
window shows, saying what happens and offering Cancel. Everything slow runs off the UI
thread: connecting (on a first start of the embedded database also creating it and bringing
its schema up to date), reading the reference data, importing the main window's modules
(pyqtgraph, pandas), loading demo data. This module imports little itself, so that
`steward` reaches the start window quickly.
"""

from __future__ import annotations

import importlib
import logging
import signal
import sys
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop import splash, style, timeline
from desktop.errors import describe
from desktop.i18n import translate
from desktop.splash import StartWindow, display_problem
from desktop.workers import Cancelled, Job, Runner
from services.config import Settings

if TYPE_CHECKING:
    from desktop.main_window import MainWindow
    from desktop.reference import Reference
    from services.service_layer.facade import Steward

__all__ = ["Launcher", "Started", "display_problem", "main", "start"]

log = logging.getLogger(__name__)

# Imported in a worker while the database starts: what the main window needs that takes a while.
HEAVY_MODULES = ("desktop.main_window", "desktop.demo_data", "desktop.cockpit")
# Between the steps of opening the main window: time for the event loop to paint and take input.
STEP_PAUSE_MS = 15


@dataclass
class Started:
    svc: Steward
    reference: Reference
    needs_demo: bool


def start(settings: Settings, job: Job | None = None) -> Started:
    """Worker side of the start: connect (starting, on a first start creating, the embedded server
    and bringing its schema up to date) and read the reference data; phases go to `job`."""
    import services
    from desktop import reference

    def phase(text: str) -> None:
        if job is not None:
            job.report(0, 0, text)

    phase(translate("app", "Connecting to the database…"))
    svc = services.connect(settings.database_url, settings.user, settings=settings, source="desktop",
                           progress=phase)
    try:
        phase(translate("app", "Reading the catalog and your customers…"))
        ref = reference.load(svc)
        needs_demo = settings.embedded and not svc.customers.list(limit=1).items
        if job is not None and job.cancelled:
            raise Cancelled()
    except BaseException:
        svc.close()
        raise
    return Started(svc, ref, needs_demo)


def prepare() -> None:
    """Worker side: import the main window's modules while the database starts."""
    for name in HEAVY_MODULES:
        importlib.import_module(name)


class Launcher:
    """Runs the start in the background behind the start window, then opens the main window."""

    def __init__(self, app: QApplication, settings: Settings, start_window: StartWindow | None = None):
        self.app, self.settings = app, settings
        self.runner = Runner(app)
        self.window: MainWindow | None = None
        self.started: Started | None = None
        self.cancelled = False
        self.build_ms: float | None = None      # how long building the main window held the UI thread
        self._prepared = self._demo_done = False
        self._jobs: list[Job] = []
        self.start_window = start_window or StartWindow()
        self.start_window.cancelled.connect(self.cancel)
        self.start_window.show()

    def begin(self) -> None:
        self.start_window.set_phase(translate("app", "Connecting to the database…"))
        self._jobs.append(
            self.runner.read(
                lambda job: start(self.settings, job),
                progress=self._phase,
                done=self._connected,
                failed=self._failed,
                label=translate("app", "Connecting…"),
            )
        )
        self._jobs.append(self.runner.read(prepare, done=lambda _: self._ready("prepared"), failed=self._failed,
                                           label=translate("app", "Preparing the window…")))

    def _phase(self, done: int, total: int, text: str) -> None:
        if text:
            self.start_window.set_phase(text, done, total)

    def _connected(self, started: Started) -> None:
        if self.cancelled:
            started.svc.close()      # it arrived after Cancel: nobody needs it
            return
        self.started = started
        if started.needs_demo:
            self.start_window.set_phase(translate("app", "First start: loading demo customers…"))
            self._jobs.append(self.runner.write(self._load_demo, progress=self._demo_progressed,
                                                done=lambda _: self._ready("demo"), failed=self._demo_failed,
                                                label=translate("app", "Loading demo data…")))
        else:
            self._ready("demo")

    def _load_demo(self, job: Job):
        from desktop import demo_data
        return demo_data.load(self.settings, job)

    def _demo_progressed(self, done: int, total: int, text: str) -> None:
        words = text[0].lower() + text[1:] if text else translate("app", "loading demo data…")
        self.start_window.set_phase(translate("app", "First start: {words}").format(words=words), done, total)

    def _demo_failed(self, error: BaseException) -> None:
        title, detail, _ = describe(error)
        QMessageBox.warning(
            self.start_window,
            title,
            translate("app", "The demo data could not be loaded: {detail}\nSteward opens without it.").format(
                detail=detail
            ),
        )
        self._ready("demo")

    def _ready(self, what: str) -> None:
        if what == "prepared":
            self._prepared = True
        else:
            self._demo_done = True
        if self._prepared and self._demo_done and not self.cancelled:
            self.start_window.set_phase(translate("app", "Opening the window…"))
            QTimer.singleShot(0, self._open)     # let the start window paint its last phase first

    def _open(self) -> None:
        """Build the main window in three short steps, each its own turn of the event loop (the start
        window keeps answering between them): the widgets without the style sheet, the style sheet,
        the first showing."""
        if self.cancelled or self.window is not None:
            return
        assert self.started is not None
        from desktop.main_window import MainWindow

        began = time.perf_counter()
        style.unstyled(self.app)
        self.window = MainWindow(self.started.svc, self.started.reference, runner=self.runner)
        _fit_to_screen(self.window)
        _restore_layout(self.window)
        self.build_ms = (time.perf_counter() - began) * 1000
        timeline.note(f"built the main window in {self.build_ms:.0f} ms")
        QTimer.singleShot(STEP_PAUSE_MS, self._style)

    def _style(self) -> None:
        began = time.perf_counter()
        style.restyle(self.app)
        timeline.note(f"styled the main window in {(time.perf_counter() - began) * 1000:.0f} ms")
        QTimer.singleShot(STEP_PAUSE_MS, self._show)

    def _show(self) -> None:
        if self.cancelled or self.window is None:
            return
        began = time.perf_counter()
        self.window.show()
        # The main window is up before the start window goes: nothing in between is empty.
        self.start_window.finish()
        splash.forget()
        timeline.note(f"showed the main window in {(time.perf_counter() - began) * 1000:.0f} ms")

    def cancel(self) -> None:
        """Cancel in the start window: stop what can stop, close, exit without an error."""
        if self.cancelled or self.window is not None:
            return
        self.cancelled = True
        for job in self._jobs:
            job.cancel()
        self.start_window.finish()
        splash.forget()
        self.app.exit(0)

    def _failed(self, error: BaseException) -> None:
        if self.cancelled or isinstance(error, Cancelled):
            return
        self.cancelled = True
        self.start_window.finish()
        splash.forget()
        title, detail, _ = describe(error)
        QMessageBox.critical(None, translate("app", "Steward cannot start — {title}").format(title=title), detail)
        self.app.exit(1)


def main(settings: Settings | None = None) -> int:
    problem = display_problem()
    if problem:
        print(f"No display available: {problem}", file=sys.stderr)
        return 1
    settings = settings or Settings.from_env()
    start_window = splash.early()          # the `steward` command showed it already; else now
    app = QApplication.instance()
    if start_window is None or splash.cancelled():
        return 0
    from desktop import preferences
    preferences.apply(settings)
    launcher = Launcher(app, settings, start_window)
    launcher.begin()
    _quit_on_signals(app)
    code = app.exec()
    if launcher.window is not None:
        _save_layout(launcher.window)
        launcher.window.shut_down()
    launcher.runner.wait()
    if launcher.started is not None:
        launcher.started.svc.close()
    return code


def _quit_on_signals(app: QApplication) -> None:
    """Ctrl+C in the terminal, or `kill`, ends Steward as closing it does (the layout is kept,
    the embedded server let go), not with a traceback. Python runs signal handlers between its
    own bytecodes, so a timer gives it a moment to now and then while Qt waits for events."""
    def stop(_signal: int, _frame: object) -> None:
        QTimer.singleShot(0, app.quit)

    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, stop)
    ticker = QTimer(app, interval=250)
    ticker.timeout.connect(lambda: None)
    ticker.start()


def _restore_layout(window: MainWindow) -> None:
    stored = QSettings()
    if stored.value("window/geometry"):
        window.restoreGeometry(stored.value("window/geometry"))
    if stored.value("window/splitter"):
        window.splitter.restoreState(stored.value("window/splitter"))
    if stored.value("grid/header"):
        window.table.horizontalHeader().restoreState(stored.value("grid/header"))
        window.table.arranged = True       # the person's own arrangement, as they left it


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
