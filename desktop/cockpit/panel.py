"""A chart panel: title, what it shows, a busy state, an error in words, exports; and bars one can click.

Every bar and point carries the `Drill` of the number it shows; a click hands
it to the view, which asks a worker for the customers behind it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtWidgets import (QFileDialog, QFrame, QHBoxLayout, QLabel, QStackedLayout, QToolButton, QVBoxLayout,
                               QWidget)

from desktop.errors import show_error
from desktop.i18n import translate
from desktop.widgets import Spinner
from desktop.workers import Runner
from services.service_layer.kpis import Drill

BACKGROUND, FOREGROUND, GRID_ALPHA = "w", "#333333", 0.18


def plain_plot(plot: pg.PlotItem) -> pg.PlotItem:
    """A chart to read, not to explore: no panning, zooming, context menu or auto-range button."""
    plot.setMouseEnabled(x=False, y=False)
    plot.setMenuEnabled(False)
    plot.hideButtons()
    for side in ("left", "bottom"):
        axis = plot.getAxis(side)
        axis.setTextPen(FOREGROUND)
        axis.setPen(pg.mkPen("#9a9a9a"))
    return plot


class Bars(pg.BarGraphItem):
    """Bars whose every bar has a tooltip and a drill; a click on one calls `clicked(index)`."""

    def __init__(self, *, x0: Sequence[float], y0: Sequence[float], width: Sequence[float],
                 height: Sequence[float], drills: Sequence[Drill | None], tips: Sequence[str],
                 clicked: Callable[[int], None], brushes: Sequence[Any], horizontal: bool = False):
        super().__init__(x0=list(x0), y0=list(y0), width=list(width), height=list(height),
                         brushes=[pg.mkBrush(b) for b in brushes], pen=pg.mkPen(None))
        self.values = list(width) if horizontal else list(height)
        self.drills, self.tips, self._clicked = list(drills), list(tips), clicked
        self.rects = [QRectF(x, y, w, h).normalized() for x, y, w, h in zip(x0, y0, width, height, strict=True)]
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def index_at(self, pos) -> int | None:
        return next((n for n, rect in enumerate(self.rects) if rect.contains(pos)), None)

    def click(self, index: int) -> None:
        """What a click on bar `index` does (the tests call it as a click would)."""
        if self.drills[index] is not None and self.values[index]:
            self._clicked(index)

    def mouseClickEvent(self, ev) -> None:
        index = self.index_at(ev.pos())
        if ev.button() == Qt.MouseButton.LeftButton and index is not None:
            ev.accept()
            self.click(index)

    def hoverEvent(self, ev) -> None:
        index = None if ev.isExit() else self.index_at(ev.pos())
        self.setToolTip(self.tips[index] if index is not None else "")


class ChartPanel(QFrame):
    drilled = Signal(object, str)       # the Drill of what was clicked, and words for it

    def __init__(self, runner: Runner, title: str, file_stem: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("chartPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._runner, self.file_stem = runner, file_stem
        self.result: Any = None
        self.title = QLabel(title)
        self.title.setObjectName("chartTitle")
        self.note = QLabel()
        self.note.setObjectName("hint")
        self.spinner = Spinner()
        self.png_button = _tool_button(
            translate("cockpit.panel", "PNG…"),
            translate("cockpit.panel", "Save the chart “{title}” as an image").format(title=title),
            self.export_png_dialog,
        )
        self.csv_button = _tool_button(
            translate("cockpit.panel", "CSV…"),
            translate("cockpit.panel", "Save the numbers of “{title}” as CSV").format(title=title),
            self.export_csv_dialog,
        )
        header = QHBoxLayout()
        header.setContentsMargins(10, 6, 6, 0)
        header.addWidget(self.title)
        header.addSpacing(8)
        header.addWidget(self.note, 1)
        header.addWidget(self.spinner)
        header.addWidget(self.png_button)
        header.addWidget(self.csv_button)

        self.body = QWidget()             # what the PNG shows: the chart and its legend
        self.body.setObjectName("chartBody")
        self.message = QLabel()
        self.message.setObjectName("placeholder")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 4)
        layout.setSpacing(2)
        layout.addLayout(header)
        # In the panel's layout before the pages go in: a page added to a stack of no widget yet
        # has no parent, and showing it would flash it on screen as a window of its own.
        self._stack = QStackedLayout()
        layout.addLayout(self._stack, 1)
        self._stack.addWidget(self.body)
        self._stack.addWidget(self.message)
        self._set_exportable(False)

    # -------------------------------------------------------------- states

    def set_busy(self, busy: bool) -> None:
        self.spinner.set_running(busy)
        if busy and self.result is None:
            self.say(translate("cockpit.panel", "Loading…"))          # not empty axes with made-up ticks

    def show_result(self, result: Any, *args: Any) -> None:
        self.result = result
        self.set_busy(False)
        empty = self.plot(result, *args)
        if empty:
            self.say(empty)
        else:
            self._stack.setCurrentWidget(self.body)
        self._set_exportable(True)

    def plot(self, result: Any, *args: Any) -> str | None:
        """Draw the result; returns what to say instead when there is nothing to draw."""
        raise NotImplementedError

    def frame(self):
        """The numbers behind the chart (pandas); called in a worker."""
        return self.result.to_frame()

    def say(self, text: str) -> None:
        self.message.setText(text)
        self._stack.setCurrentWidget(self.message)

    def show_failure(self, text: str) -> None:
        self.set_busy(False)
        self.say(translate("cockpit.panel", "The numbers could not be read.\n{text}").format(text=text))

    def drill(self, drill: Drill, words: str) -> None:
        self.drilled.emit(drill, words)

    def _set_exportable(self, on: bool) -> None:
        for button in (self.png_button, self.csv_button):
            button.setEnabled(on and self.result is not None)

    # -------------------------------------------------------------- export

    def export_png(self, path: Path | str) -> Path:
        """The chart as shown, legend included (drawing happens in the UI thread, as Qt wants)."""
        path = Path(path)
        if not self.body.grab().save(str(path)):
            raise OSError(translate("cockpit.panel", "Could not write {path}").format(path=path))
        return path

    def export_csv(self, path: Path | str, done: Callable[[Path], None] | None = None) -> None:
        """The chart's numbers as CSV (UTF-8 with a byte order mark, as the grid's export), in a worker."""
        path, frame_of = Path(path), self.frame
        self._runner.read(
            lambda: _write_csv(frame_of(), path),
            owner=self,
            label=translate("cockpit.panel", "Writing {name}…").format(name=path.name),
            done=done,
            failed=lambda error: show_error(self, error, doing=translate("cockpit.panel", "Writing the CSV file")),
        )

    def export_png_dialog(self) -> None:
        path = self._ask(".png", translate("cockpit.panel", "PNG image (*.png)"))
        if path is not None:
            try:
                self.export_png(path)
            except OSError as error:
                show_error(self, error, doing=translate("cockpit.panel", "Saving the image"))

    def export_csv_dialog(self) -> None:
        path = self._ask(".csv", translate("cockpit.panel", "CSV (*.csv)"))
        if path is not None:
            self.export_csv(path)

    def _ask(self, suffix: str, kind: str) -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(
            self,
            translate("cockpit.panel", "Save “{text}”").format(text=self.title.text()),
            str(Path.home() / f"{self.file_stem}{suffix}"),
            kind,
        )
        if not chosen:
            return None
        return Path(chosen) if Path(chosen).suffix else Path(chosen + suffix)


def _write_csv(frame, path: Path) -> Path:
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    return path


def _tool_button(text: str, tip: str, slot) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setToolTip(tip)
    button.setAutoRaise(True)
    button.clicked.connect(slot)
    return button


def graphics(parent: QWidget) -> pg.GraphicsLayoutWidget:
    """A white drawing area filling `parent`."""
    view = pg.GraphicsLayoutWidget()
    view.setBackground(BACKGROUND)
    view.ci.setContentsMargins(4, 4, 8, 4)
    layout = QVBoxLayout(parent)
    layout.setContentsMargins(4, 0, 4, 0)
    layout.addWidget(view)
    return view
