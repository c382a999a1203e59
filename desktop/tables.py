"""Tables of records: badges painted as coloured pills, and a small read-only table for a customer's records."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import (QAbstractItemView, QHeaderView, QStyle, QStyledItemDelegate, QStyleOptionViewItem,
                               QTableView, QTableWidget, QTableWidgetItem, QWidget)

from desktop import display

# The code whose colours a cell wears as a badge (see display.BADGE_COLOURS).
BADGE_ROLE = Qt.ItemDataRole.UserRole + 1


class BadgeDelegate(QStyledItemDelegate):
    """Paints a cell whose column has a badge as a coloured pill."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        # A screen of badges is painted on every scroll: build fonts and metrics once, not per cell.
        self._fonts: dict[str, tuple[QFont, QFontMetrics, QFontMetrics]] = {}

    def _font(self, base: QFont) -> tuple[QFont, QFontMetrics, QFontMetrics]:
        key = base.key()
        if key not in self._fonts:
            small = QFont(base)
            small.setPointSizeF(base.pointSizeF() * 0.92)
            self._fonts[key] = (small, QFontMetrics(small), QFontMetrics(base))
        return self._fonts[key]

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex):
        hint = super().sizeHint(option, index)
        if index.data(BADGE_ROLE) is not None:
            hint.setWidth(hint.width() + 24)   # the pill's padding and the gap after it
        return hint

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        code = index.data(BADGE_ROLE)
        colours = display.badge_colours(code)
        if colours is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        # "Overdue · 2026-03-01": the badge word in the pill, what follows the dot as plain text beside it.
        text, _, trailing = opt.text.partition(" · ")
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        background, foreground = colours
        font, metrics, base_metrics = self._font(opt.font)
        padding = 8
        width = min(metrics.horizontalAdvance(text) + 2 * padding + 2, opt.rect.width() - 6)
        height = min(metrics.height() + 4, opt.rect.height() - 4)
        pill = QRect(opt.rect.left() + 4, opt.rect.center().y() - height // 2, width, height)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(background)
        painter.drawRoundedRect(QRectF(pill), height / 2, height / 2)
        painter.setPen(foreground)
        painter.setFont(font)
        inner = pill.adjusted(padding, 0, -padding + 2, 0)
        painter.drawText(inner, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                         metrics.elidedText(text, Qt.TextElideMode.ElideRight, inner.width()))
        if trailing:
            rest = QRect(pill.right() + 6, opt.rect.top(), opt.rect.right() - pill.right() - 6, opt.rect.height())
            painter.setFont(opt.font)
            foreground = index.data(Qt.ItemDataRole.ForegroundRole)
            painter.setPen(foreground if foreground is not None else
                           opt.palette.color(opt.palette.ColorGroup.Normal, opt.palette.ColorRole.Text))
            painter.drawText(rest, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                             base_metrics.elidedText(trailing, Qt.TextElideMode.ElideRight, rest.width()))
        painter.restore()


def set_up_record_view(view: QTableView) -> None:
    """How every list of records looks and behaves: read-only rows selected whole, badges drawn,
    one fixed row height, Tab leaves the table."""
    view.setItemDelegate(BadgeDelegate(view))
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.setTabKeyNavigation(False)
    view.verticalHeader().hide()
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)


class ReadOnlyTable(QTableWidget):
    """A small list of records (samples, activities, contacts): rows of text, badges where asked."""

    def __init__(self, headers: list[str], parent: QWidget | None = None, *, badge_columns: tuple[int, ...] = (),
                 stretch: tuple[int, ...] = ()):
        super().__init__(0, len(headers), parent)
        self._badge_columns = badge_columns
        self.setHorizontalHeaderLabels(headers)
        set_up_record_view(self)
        # Short columns (dates, statuses) fit their contents, the text columns share the room left, so the
        # table fits its pane without a horizontal scroll bar. These tables hold one customer's records
        # (tens, not millions), so measuring their contents is cheap.
        for column in range(len(headers)):
            mode = QHeaderView.ResizeMode.Stretch if column in stretch else QHeaderView.ResizeMode.ResizeToContents
            self.horizontalHeader().setSectionResizeMode(column, mode)
        self.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.horizontalHeader().setHighlightSections(False)

    def set_rows(self, rows: list[list[str]], data: list | None = None, badges: list[list] | None = None) -> None:
        """Rows of cell texts; `data` per row (read back with row_data); `badges` per row: a code per badge column."""
        self.setRowCount(0)
        self.setRowCount(len(rows))
        for r, cells in enumerate(rows):
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if text and len(text) > 24:
                    item.setToolTip(text)
                if data is not None and c == 0:
                    item.setData(Qt.ItemDataRole.UserRole, data[r])
                if badges is not None and c in self._badge_columns:
                    item.setData(BADGE_ROLE, badges[r][self._badge_columns.index(c)])
                self.setItem(r, c, item)

    def row_data(self, row: int | None = None):
        row = self.currentRow() if row is None else row
        item = self.item(row, 0) if row is not None and row >= 0 else None
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None
