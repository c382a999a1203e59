"""Small widgets the screens share: a date with an empty state, a multiple choice, a spinner, a banner."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QEvent, QObject, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import (QComboBox, QDateEdit, QFrame, QHBoxLayout, QLabel,
                               QMenu, QSizePolicy, QStackedWidget, QToolButton, QVBoxLayout, QWidget)

from desktop import display
from desktop.i18n import translate

# QDateEdit has no empty state: its minimum date stands for "no date" and shows a dash.
_EMPTY = QDate(1900, 1, 1)


class OptionalDateEdit(QDateEdit):
    """A date that may be empty ("—"). Delete or Backspace empties it; typing or
    the arrow keys on an empty one start from today."""

    value_changed = Signal(object)   # date or None

    def __init__(self, parent: QWidget | None = None, *, placeholder: str = "—"):
        super().__init__(parent)
        self.setLocale(display.qt_locale())
        self.setDisplayFormat(display.date_edit_format())
        self.setMinimumDate(_EMPTY)
        self.setMaximumDate(QDate(2999, 12, 31))
        self.setSpecialValueText(placeholder)
        self.setCalendarPopup(True)
        self.setDate(_EMPTY)
        self.calendarWidget().installEventFilter(self)
        self.dateChanged.connect(lambda _d: self.value_changed.emit(self.value()))

    def value(self) -> date | None:
        d = self.date()
        return None if d == _EMPTY else date(d.year(), d.month(), d.day())

    def set_value(self, value: date | str | None) -> None:
        if isinstance(value, str):
            value = date.fromisoformat(value)
        self.setDate(QDate(value.year, value.month, value.day) if value else _EMPTY)

    def iso(self) -> str | None:
        value = self.value()
        return value.isoformat() if value else None

    def clear_value(self) -> None:
        self.setDate(_EMPTY)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and (self.value() is None or
                                                                 self.lineEdit().hasSelectedText()):
            self.clear_value()
            return
        if self.value() is None and (key in (Qt.Key.Key_Up, Qt.Key.Key_Down) or event.text().isdigit()):
            self.setDate(QDate.currentDate())
            if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
                return
            self.lineEdit().selectAll()
        super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # An empty date would open the calendar in January 1900.
        if event.type() == QEvent.Type.Show and self.value() is None:
            today = QDate.currentDate()
            self.calendarWidget().setCurrentPage(today.year(), today.month())
        return super().eventFilter(watched, event)


class _StickyMenu(QMenu):
    """A menu of check boxes that stays open while the person ticks several."""

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        action = self.activeAction()
        if action is not None and action.isCheckable() and action.isEnabled():
            action.trigger()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        action = self.activeAction()
        if (event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter) and action is not None
                and action.isCheckable()):
            action.trigger()
            return
        super().keyPressEvent(event)


class MultiChoice(QToolButton):
    """Choose any number of codes; none chosen means "any"."""

    changed = Signal()

    def __init__(self, codes: tuple[str, ...] | list[str] = (), parent: QWidget | None = None, *,
                 none_text: str | None = None):
        super().__init__(parent)
        self._none_text = none_text or translate("widgets", "Any")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMenu(_StickyMenu(self))
        self.set_codes(codes)

    def set_codes(self, codes, labels: dict[str, str] | None = None) -> None:
        menu = self.menu()
        menu.clear()
        for code in codes:
            text = (labels or {}).get(code) or display.human(code)
            action = QAction(text.replace("&", "&&"), menu, checkable=True)   # "F&B manager" is no shortcut
            action.setData(code)
            action.toggled.connect(self._toggled)
            menu.addAction(action)
        self._show()

    def values(self) -> list[str]:
        return [a.data() for a in self.menu().actions() if a.isChecked()]

    def set_values(self, codes: list[str] | str | None) -> None:
        wanted = {codes} if isinstance(codes, str) else set(codes or ())
        for action in self.menu().actions():
            action.blockSignals(True)
            action.setChecked(action.data() in wanted)
            action.blockSignals(False)
        self._show()

    def _toggled(self) -> None:
        self._show()
        self.changed.emit()

    def _show(self) -> None:
        chosen = [a.text() for a in self.menu().actions() if a.isChecked()]
        self.setText(", ".join(chosen) if chosen else self._none_text)
        self.setToolTip(self.text().replace("&&", "&"))


class Spinner(QWidget):
    """A small turning arc for the status bar while work runs in the background."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFixedSize(16, 16)
        self._angle = 0
        self._timer = QTimer(self, interval=80)
        self._timer.timeout.connect(self._turn)
        self.hide()

    def set_running(self, running: bool) -> None:
        self.setVisible(running)
        if running:
            self._timer.start()
        else:
            self._timer.stop()

    def _turn(self) -> None:
        self._angle = (self._angle + 30) % 360
        self.update()

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(self.palette().highlight().color(), 2.2)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.drawArc(QRectF(2, 2, 12, 12), -self._angle * 16, 270 * 16)


class Banner(QFrame):
    """A one-line notice above a form: what state it is in and what to do next."""

    LEVELS = ("info", "warning", "error", "success")

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("banner")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.label, 1)
        self._serial = 0          # which message is shown, so a timer clears only its own
        self.hide()

    def say(self, text: str, level: str = "info", *, clear_after_ms: int | None = None) -> None:
        """Show `text`; with `clear_after_ms`, it goes by itself after that long (unless replaced)."""
        self.setProperty("level", level)
        self.style().unpolish(self)
        self.style().polish(self)
        self.label.setText(text)
        self.show()
        self._serial += 1
        if clear_after_ms is not None:
            serial = self._serial
            QTimer.singleShot(clear_after_ms, self, lambda: self.clear() if self._serial == serial else None)

    def text(self) -> str:
        return "" if self.isHidden() else self.label.text()

    def clear(self) -> None:
        self._serial += 1
        self.label.clear()
        self.hide()


def compact_combo(min_chars: int = 6) -> QComboBox:
    """A combo box that may be narrower than its longest entry (the popup still shows it whole),
    so a long choice does not push its form wider than the pane."""
    combo = QComboBox()
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(min_chars)
    return combo


def show_page(stack: QStackedWidget, index: int) -> None:
    """Show one page of a stack, sized to that page: a stacked widget is otherwise as tall as its tallest page."""
    for n in range(stack.count()):
        policy = QSizePolicy.Policy.Preferred if n == index else QSizePolicy.Policy.Ignored
        stack.widget(n).setSizePolicy(policy, policy)
    stack.setCurrentIndex(index)
    stack.adjustSize()


FORM_LABEL_WIDTH = 140


def form_label(text: str) -> QLabel:
    """A right-aligned label of one width, so the labels of nested and stacked forms line up."""
    label = QLabel(text)
    label.setMinimumWidth(FORM_LABEL_WIDTH)
    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return label


def button_row(*buttons: QWidget) -> QHBoxLayout:
    """Buttons at the right edge, in the order given."""
    row = QHBoxLayout()
    row.addStretch(1)
    for button in buttons:
        row.addWidget(button)
    return row


def column(*widgets: QWidget, margins: tuple[int, int, int, int] = (0, 0, 0, 0), spacing: int = 2) -> QWidget:
    """Widgets stacked top to bottom in a widget of their own."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(*margins)
    layout.setSpacing(spacing)
    for widget in widgets:
        layout.addWidget(widget)
    return box


class LazyPage(QWidget):
    """A page (a tab) whose content is built the first time it is shown or asked for, so a window
    with a costly page it may never need (the cockpit's charts) opens without building it."""

    built = Signal(object)        # the content, once

    def __init__(self, build, parent: QWidget | None = None):
        super().__init__(parent)
        self._build, self._content = build, None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    @property
    def is_built(self) -> bool:
        return self._content is not None

    def content(self) -> QWidget:
        if self._content is None:
            self._content = self._build()
            self.layout().addWidget(self._content)
            self.built.emit(self._content)
        return self._content

    def showEvent(self, event) -> None:
        self.content()
        super().showEvent(event)


class ElidedLabel(QLabel):
    """One line of text that fits the room it is given instead of widening its pane: cut in the
    middle ("Albrecht Backshops Ham…ughafen" keeps what tells branches apart), whole in the tooltip."""

    def __init__(self, text: str = "", parent: QWidget | None = None, *,
                 mode: Qt.TextElideMode = Qt.TextElideMode.ElideMiddle):
        super().__init__(parent)
        self._full, self._mode = "", mode
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        self._full = text or ""
        self._fit()

    def text(self) -> str:
        return self._full

    def minimumSizeHint(self):  # noqa: N802 - Qt's name
        hint = super().minimumSizeHint()
        hint.setWidth(self.fontMetrics().horizontalAdvance("…") * 4)
        return hint

    def sizeHint(self):  # noqa: N802 - Qt's name
        hint = super().sizeHint()
        hint.setWidth(min(hint.width(), 200))
        return hint

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit()

    def _fit(self) -> None:
        shown = self.fontMetrics().elidedText(self._full, self._mode, max(self.width(), 1))
        QLabel.setText(self, shown)
        self.setToolTip(self._full if shown != self._full else "")

