"""A dialog that saves through a worker and stays open until the save succeeded,
so a refused request or activity loses nothing the person typed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from desktop.errors import show_error
from desktop.i18n import translate
from desktop.widgets import Banner
from desktop.workers import Runner


class FormDialog(QDialog):
    submitted = Signal()

    def __init__(self, action: str, busy_text: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._action, self._busy_text = action, busy_text
        self.banner = Banner()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.submit_button = self.buttons.addButton(action, QDialogButtonBox.ButtonRole.ActionRole)
        self.submit_button.setDefault(True)
        self.submit_button.clicked.connect(self._submit_clicked)
        self.buttons.rejected.connect(self.reject)

    def problems(self) -> dict[str, str]:
        """What keeps the form from being sent (checked in the client, before any service call)."""
        return {}

    def _submit_clicked(self) -> None:
        problems = self.problems()
        if problems:
            self.banner.say(translate("detail.form_dialog", "Not saved yet: ") + "; ".join(problems.values()), "error")
            return
        self.submitted.emit()

    def set_busy(self, busy: bool) -> None:
        self.submit_button.setEnabled(not busy)
        self.submit_button.setText(self._busy_text if busy else self._action)

    def save_with(self, runner: Runner, fn: Callable[[], Any], *, owner: QWidget, label: str, doing: str,
                  done: Callable[[Any], None]) -> None:
        """Run the write; close on success, stay open with the error shown on failure."""
        self.set_busy(True)

        def saved(result: Any) -> None:
            self.accept()
            done(result)

        def refused(error: BaseException) -> None:
            self.set_busy(False)
            self.banner.say(
                translate("detail.form_dialog", "Not saved. {getattr}").format(getattr=getattr(error, 'detail', error)),
                "error",
            )
            show_error(self, error, doing=doing)

        runner.write(fn, done=saved, failed=refused, owner=owner, label=label)
