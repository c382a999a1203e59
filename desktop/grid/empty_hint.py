"""Why the grid is empty, over the empty grid: "No customers match “xyz” and the filters ROI: High", and
a button that clears the filters. A blank table says nothing; this says what to change."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QAbstractScrollArea, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.i18n import translate


def reason(query: str, conditions: list[str]) -> str:
    """The sentence: what was searched and which filters hold."""
    filters = "; ".join(conditions)
    if query and filters:
        return translate("grid.empty_hint", "No customers match “{query}” and the filters {filters}.").format(
            query=query, filters=filters
        )
    if query:
        return translate("grid.empty_hint", "No customers match “{query}”.").format(query=query)
    if filters:
        return translate("grid.empty_hint", "No customers match the filters {filters}.").format(filters=filters)
    return translate("grid.empty_hint", "No customers to show yet.")


class EmptyHint(QWidget):
    """Lies over a table's viewport, centred, while the table has no rows to show."""

    clear_requested = Signal()

    def __init__(self, table: QAbstractScrollArea):
        super().__init__(table.viewport())
        self.setObjectName("emptyHint")
        self._viewport = table.viewport()
        self.label = QLabel()
        self.label.setObjectName("emptyHintText")
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.clear_button = QPushButton(translate("grid.empty_hint", "Clear filters"))
        self.clear_button.setObjectName("emptyHintClear")
        self.clear_button.setToolTip(translate("grid.empty_hint", "Show every customer again (Ctrl+Shift+L)"))
        self.clear_button.clicked.connect(self.clear_requested)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.setSpacing(10)
        layout.addStretch(1)
        layout.addWidget(self.label)
        layout.addWidget(self.clear_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self._viewport.installEventFilter(self)
        self.hide()

    def show_reason(self, query: str, conditions: list[str]) -> None:
        self.label.setText(reason(query, conditions))
        self.clear_button.setVisible(bool(query or conditions))
        self._fit()
        self.show()
        self.raise_()

    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._viewport and event.type() == QEvent.Type.Resize:
            self._fit()
        return False

    def _fit(self) -> None:
        self.setGeometry(self._viewport.rect())
