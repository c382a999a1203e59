"""Saved views: a named filter with its columns and sort, private or shared."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QMenu, QMessageBox, QToolButton, QWidget)

from desktop.errors import show_error
from desktop.i18n import translate
from desktop.widgets import compact_combo
from desktop.workers import Runner
from services.service_layer.views import SavedView

if TYPE_CHECKING:
    from services.service_layer.facade import Steward


class SaveViewDialog(QDialog):
    def __init__(self, name: str = "", shared: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(translate("grid.saved_views", "Save view"))
        self.name = QLineEdit(name, placeholderText=translate("grid.saved_views", "e.g. Renewals North, high ROI"))
        self.name.setMaxLength(100)
        self.shared = QCheckBox(translate("grid.saved_views", "Share with everyone"))
        self.shared.setChecked(shared)
        hint = QLabel(translate("grid.saved_views", "Saves the filters, the visible columns and the sort order.\n"
                      "Saving under the name of one of your views replaces it."))
        hint.setObjectName("hint")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.name.textChanged.connect(
            lambda text: buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(bool(text.strip())))
        buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(bool(name.strip()))
        form = QFormLayout(self)
        form.addRow(translate("grid.saved_views", "Name"), self.name)
        form.addRow("", self.shared)
        form.addRow(hint)
        form.addRow(buttons)
        self.setMinimumWidth(380)


class SavedViewsBar(QWidget):
    apply_requested = Signal(object)    # SavedView

    def __init__(self, runner: Runner, svc: Steward, current_definition: Callable[[], dict[str, Any]],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._runner, self._svc, self._current_definition = runner, svc, current_definition
        self._views: list[SavedView] = []
        self.combo = compact_combo()
        self.combo.setObjectName("savedViews")
        self.combo.setToolTip(translate("grid.saved_views", "Saved views: filters, columns and sort"))
        self.combo.setMinimumContentsLength(14)
        self.combo.activated.connect(self._chosen)
        self.save_action = QAction(translate("grid.saved_views", "Save view…"), self)
        self.save_action.setToolTip(
            translate("grid.saved_views", "Save the current filters, columns and sort as a view")
        )
        self.save_action.triggered.connect(self.save_dialog)
        self.delete_action = QAction(translate("grid.saved_views", "Delete view"), self)
        self.delete_action.triggered.connect(self._confirm_delete)
        menu = QMenu(self)
        menu.addAction(self.save_action)
        menu.addAction(self.delete_action)
        self.menu_button = QToolButton(
            text=translate("grid.saved_views", "Views"), toolTip=translate("grid.saved_views", "Save or delete a view")
        )
        self.menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu_button.setMenu(menu)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.combo, 1)
        layout.addWidget(self.menu_button)
        self._fill(None)

    @property
    def views(self) -> list[SavedView]:
        return list(self._views)

    def reload(self, select_id: Any = None) -> None:
        self._runner.read(self._svc.views.list, done=lambda views: self._loaded(views, select_id), owner=self,
                          label=translate("grid.saved_views", "Loading saved views…"))

    def show_none(self) -> None:
        self.combo.setCurrentIndex(0)
        self._update_buttons()

    def chosen(self) -> SavedView | None:
        index = self.combo.currentIndex() - 1
        return self._views[index] if 0 <= index < len(self._views) else None

    def save(self, name: str, shared: bool) -> None:
        definition = self._current_definition()
        self.save_action.setEnabled(False)
        self._runner.write(
            lambda: self._svc.views.save(name, definition, shared=shared),
            done=lambda view: self.reload(view.id),
            failed=lambda e: self._failed(e, translate("grid.saved_views", "Saving the view")),
            owner=self,
            label=translate("grid.saved_views", "Saving the view…"),
        )

    def save_dialog(self) -> None:
        current = self.chosen()
        dialog = SaveViewDialog(current.name if current and current.mine else "",
                                bool(current and current.mine and current.shared), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.save(dialog.name.text().strip(), dialog.shared.isChecked())

    def delete(self, view: SavedView) -> None:
        self.delete_action.setEnabled(False)
        self._runner.write(
            lambda: self._svc.views.delete(view.id),
            done=lambda _: self.reload(),
            failed=lambda e: self._failed(e, translate("grid.saved_views", "Deleting the view")),
            owner=self,
            label=translate("grid.saved_views", "Deleting the view…"),
        )

    def _confirm_delete(self) -> None:
        view = self.chosen()
        if view is None:
            return
        answer = QMessageBox.question(
            self,
            translate("grid.saved_views", "Delete view"),
            translate("grid.saved_views", "Delete the view “{name}”?").format(name=view.name),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.delete(view)

    def _loaded(self, views: list[SavedView], select_id: Any) -> None:
        self._views = list(views)
        self._fill(select_id)

    def _fill(self, select_id: Any) -> None:
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem(translate("grid.saved_views", "No saved view"), None)
        for view in self._views:
            label = (
                view.name
                if view.mine
                else translate("grid.saved_views", "{name}  (shared by {value})").format(
                    name=view.name, value=view.owner_name or 'someone'
                )
            )
            if view.mine and view.shared:
                label += translate("grid.saved_views", "  (shared)")
            self.combo.addItem(label, str(view.id))
        self.combo.setCurrentIndex(max(0, self.combo.findData(str(select_id)) if select_id else 0))
        self.combo.blockSignals(False)
        self._update_buttons()

    def _chosen(self, _index: int) -> None:
        self._update_buttons()
        view = self.chosen()
        if view is not None:
            self.apply_requested.emit(view)

    def _update_buttons(self) -> None:
        view = self.chosen()
        self.save_action.setEnabled(True)
        self.delete_action.setEnabled(bool(view and view.mine))

    def _failed(self, error: BaseException, doing: str) -> None:
        self._update_buttons()
        show_error(self, error, doing=doing)
