"""The customer grid's table: fixed row heights, badges, sorting on indexed columns, a column chooser.

Its columns fit what they show: once the first rows are here, the name, city, owner, SLA and
the other text columns get the width of their widest text (up to a limit; a longer name is cut
in the middle, whole in the tooltip, so "Albrecht Backshops Ham…Flughafen" and "…Altona" differ),
and, unless the person has arranged the columns before, the columns past what fits the grid's
width are hidden at first (the column chooser shows them): no horizontal scrolling for the
columns a person reads most.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTableView

from desktop.grid.model import ROW_ROLE, CustomerModel
from desktop.i18n import translate
from desktop.tables import BadgeDelegate
from services.service_layer.customers import CustomerRow


class CustomerTable(QTableView):
    open_requested = Signal(object)      # CustomerRow: Enter or double click
    current_changed = Signal(object)     # CustomerRow or None
    columns_changed = Signal()

    def __init__(self, model: CustomerModel, parent=None):
        super().__init__(parent)
        self.setObjectName("customerGrid")
        self.setModel(model)
        # Only badge columns get the Python delegate; the rest paint in C++ (a screen of cells per scroll).
        self._badges = BadgeDelegate(self)
        for n, column in enumerate(model.columns):
            if column.badge is not None:
                self.setItemDelegateForColumn(n, self._badges)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)   # bulk edit, reassign, fill down
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setShowGrid(False)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)

        rows = self.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)   # no resize-to-contents, ever
        rows.setDefaultSectionSize(self.fontMetrics().height() + 12)
        rows.hide()

        header = self.horizontalHeader()
        header.setSectionsMovable(True)
        header.setSectionsClickable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setSortIndicatorShown(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._column_menu)
        header.sectionClicked.connect(self._header_clicked)
        header.sectionMoved.connect(lambda *_: self.columns_changed.emit())
        # Each column's own width (a hidden one reads 0 from Qt, the last one is stretched).
        self._widths: dict[int, int] = {}
        for n, column in enumerate(model.columns):
            # Wide enough for the title and the sort indicator beside it: titles come from the pack.
            self._widths[n] = max(column.width, header.fontMetrics().horizontalAdvance(column.title) + 30)
            self.setColumnWidth(n, self._widths[n])
            self.setColumnHidden(n, not column.visible)
        self._show_sort()

        self.verticalScrollBar().valueChanged.connect(self._prefetch)
        self.doubleClicked.connect(lambda index: self._open(index.row()))
        self.selectionModel().currentRowChanged.connect(self._current_row_changed)
        model.refreshed.connect(self._keep_current)
        model.modelReset.connect(self._show_sort)
        model.rows_loaded.connect(self._first_rows)
        self._current_id = None
        self.arranged = False      # the person's own (or a saved) arrangement: not fitted to the width any more
        self._fitted = False

    def customer_model(self) -> CustomerModel:
        return self.model()  # type: ignore[return-value]

    # ------------------------------------------------------------- columns

    def visible_columns(self) -> list[str]:
        """Keys of the shown columns, in the order the person arranged them."""
        header = self.horizontalHeader()
        model = self.customer_model()
        order = sorted(range(len(model.columns)), key=header.visualIndex)
        return [model.columns[n].key for n in order if not header.isSectionHidden(n)]

    def fit_columns(self, *, to_width: bool = True) -> None:
        """Widths from the rows loaded (see the module's docstring); with `to_width`, show the columns
        that fit the grid, the essential ones first, then the others in their order."""
        model = self.customer_model()
        header = self.horizontalHeader()
        cells, titles = self.fontMetrics(), header.fontMetrics()
        rows = range(min(model.rowCount(), 500))
        for n, column in enumerate(model.columns):
            if not column.fit:
                continue
            widest = max((cells.horizontalAdvance(model.data(model.index(r, n)) or "") for r in rows), default=0)
            if column.badge is not None:
                widest += 30                           # the pill's padding and the gap after it
            least = max(column.width if not rows else 60, titles.horizontalAdvance(column.title) + 30)
            self._widths[n] = max(least, min(widest + 18, column.fit))
            self.setColumnWidth(n, self._widths[n])
        if not to_width or self.arranged:
            return
        # The vertical scroll bar may come with more rows: leave it its room from the start.
        room = (self.viewport().width() or self.width()) - 4
        if not self.verticalScrollBar().isVisible():
            room -= self.verticalScrollBar().sizeHint().width()
        sorted_by = model.sort_key.lstrip("-")
        first = {n for n, c in enumerate(model.columns) if c.essential or (c.sort and c.sort == sorted_by)}
        used = 0
        for n in sorted(range(len(model.columns)), key=lambda n: n not in first):
            column = model.columns[n]
            show = column.visible and (n in first or used + self._widths[n] <= room)
            self.setColumnHidden(n, not show)
            if show:
                self.setColumnWidth(n, self._widths[n])
                used += self._widths[n]
        self.columns_changed.emit()

    def _first_rows(self, count: int) -> None:
        if not self._fitted and count:
            self._fitted = True
            self.fit_columns()

    def set_visible_columns(self, keys: list[str]) -> None:
        self.arranged = True
        model = self.customer_model()
        known = [k for k in keys if any(c.key == k for c in model.columns)]
        if not known:
            return
        header = self.horizontalHeader()
        for n, column in enumerate(model.columns):
            header.setSectionHidden(n, column.key not in known)
        for visual, key in enumerate(known):
            header.moveSection(header.visualIndex(model.column_of(key)), visual)
        self.columns_changed.emit()

    def _column_menu(self, pos: QPoint) -> None:
        self.column_menu().popup(self.horizontalHeader().mapToGlobal(pos))

    def column_menu(self) -> QMenu:
        menu = QMenu(translate("grid.view", "Columns"), self)
        model = self.customer_model()
        for n, column in enumerate(model.columns):
            action = QAction(column.title, menu, checkable=True)
            action.setChecked(not self.isColumnHidden(n))
            action.setEnabled(column.key != "name")   # a grid without names helps nobody
            action.toggled.connect(lambda on, n=n: self._toggle_column(n, on))
            menu.addAction(action)
        return menu

    def _toggle_column(self, n: int, visible: bool) -> None:
        self.arranged = True
        self.setColumnHidden(n, not visible)
        self.columns_changed.emit()

    # ------------------------------------------------------------- sorting

    def _header_clicked(self, section: int) -> None:
        model = self.customer_model()
        key = model.columns[section].sort
        if key is not None:
            descending = model.sort_key == key   # a second click on the sorted column reverses it
            model.sort(section, Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder)
        self._show_sort()

    def _show_sort(self) -> None:
        model = self.customer_model()
        key = model.sort_key.lstrip("-")
        section = next((n for n, c in enumerate(model.columns) if c.sort == key), -1)
        order = Qt.SortOrder.DescendingOrder if model.sort_key.startswith("-") else Qt.SortOrder.AscendingOrder
        self.horizontalHeader().setSortIndicator(section, order)

    def _prefetch(self, _value: int) -> None:
        # Ask for the next page while half a page is still left to scroll, so it is
        # usually there before the person reaches the end (Qt asks only at the very end).
        model = self.customer_model()
        last_visible = self.rowAt(self.viewport().height() - 1)
        if last_visible >= 0 and last_visible >= model.rowCount() - model.page_size // 2 and model.canFetchMore():
            model.fetchMore()

    # -------------------------------------------------- selection and keys

    def current_customer(self) -> CustomerRow | None:
        index = self.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self._open(self.currentIndex().row())
            return
        super().keyPressEvent(event)

    def _open(self, row: int) -> None:
        if 0 <= row < self.customer_model().rowCount():
            self.open_requested.emit(self.customer_model().row_at(row))

    def _current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = current.data(ROW_ROLE) if current.isValid() else None
        self._current_id = row.id if row else None
        self.current_changed.emit(row)

    def _keep_current(self) -> None:
        # After a live refresh the current customer may have moved; follow it.
        if self._current_id is None:
            return
        row = self.customer_model().row_of(self._current_id)
        if row is not None and self.currentIndex().row() != row:
            self.selectRow(row)

    def select_first(self) -> None:
        if self.customer_model().rowCount() and not self.currentIndex().isValid():
            self.setCurrentIndex(self.customer_model().index(0, 0))
