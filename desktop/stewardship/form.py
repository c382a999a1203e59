"""A stewardship dialog: labelled inputs, each with its own message line, saved through a worker.

A refused save keeps the dialog open with everything typed: the typed error's per-field
messages stand under their inputs, the rest in the banner at the top. Nothing is written
while the client already knows an input is wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QLocale, QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from desktop.errors import describe
from desktop.i18n import Texts, translate
from desktop.widgets import Banner, column
from desktop.workers import Runner
from services import formats


# The service's short per-field reasons, as sentences under an input.
PHRASES = Texts(
    "stewardship.form",
    {
        "exists": QT_TRANSLATE_NOOP("stewardship.form", "Another customer has this already."),
        "unknown user": QT_TRANSLATE_NOOP("stewardship.form", "There is no such person."),
        "outside your region": QT_TRANSLATE_NOOP("stewardship.form", "This person works outside your region."),
        "not your region": QT_TRANSLATE_NOOP("stewardship.form", "Not your region."),
        "unknown chain": QT_TRANSLATE_NOOP("stewardship.form", "There is no such chain you may use."),
        "is not a chain": QT_TRANSLATE_NOOP("stewardship.form", "This customer is not a chain."),
        "admins only": QT_TRANSLATE_NOOP("stewardship.form", "Only admins change this."),
        "disabled": QT_TRANSLATE_NOOP("stewardship.form", "This person's login is disabled."),
    },
)


def person_locale() -> QLocale:
    """Qt's locale for the program's one locale (services.formats): spin boxes group and mark decimals
    as the rest of the screen does. Child widgets take it from their dialog."""
    return QLocale(str(formats.current().locale))


class StewardForm(QDialog):
    # Keys of the service's errors that belong to an input of another name.
    aliases: dict[str, str] = {}

    def __init__(self, title: str, action: str, busy_text: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setLocale(person_locale())
        self.setWindowTitle(title)
        self._action, self._busy_text = action, busy_text
        self.banner = Banner()
        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setHorizontalSpacing(14)
        self.form.setVerticalSpacing(8)
        self.errors: dict[str, QLabel] = {}
        self.widgets: dict[str, QWidget] = {}
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.submit_button = self.buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
        self.submit_button.setObjectName("primary")
        self.submit_button.setDefault(True)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(self.form)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.busy = False

    def add_row(self, key: str, label: str, widget: QWidget, hint: str = "") -> QWidget:
        error = QLabel()
        error.setObjectName("fieldError")
        error.setWordWrap(True)
        error.hide()
        self.errors[key] = error
        self.widgets[key] = widget
        parts = [widget, error]
        if hint:
            note = QLabel(hint)
            note.setObjectName("hint")
            note.setWordWrap(True)
            parts.append(note)
        self.form.addRow(label, column(*parts))
        return widget

    # -------------------------------------------------------------- checking

    def problems(self) -> dict[str, str]:
        """What the client knows is wrong before asking the database, by input key."""
        return {}

    def show_problems(self, problems: dict[str, str], summary: str = "") -> None:
        shown = {}
        for key, message in problems.items():
            key = self.aliases.get(key, key)
            if key in self.errors:
                shown.setdefault(key, []).append(PHRASES.get(message, message))
            else:
                shown.setdefault("", []).append(f"{key}: {message}")
        for key, label in self.errors.items():
            label.setText("; ".join(shown.get(key, [])))
            label.setVisible(key in shown)
        first = next((key for key in self.errors if key in shown), None)
        if first is not None:
            self.widgets[first].setFocus()      # on to the first input to correct
        rest = shown.get("", [])
        if summary or rest:
            self.banner.say(" ".join([summary, *rest]).strip(), "error")
        else:
            self.banner.clear()

    def error_text(self, key: str) -> str:
        label = self.errors[key]
        return "" if label.isHidden() else label.text()

    # ---------------------------------------------------------------- saving

    def submit(self) -> None:
        """Check, then save (subclasses implement `save`)."""
        if self.busy:
            return
        problems = self.problems()
        if problems:
            self.show_problems(
                problems, translate("stewardship.form", "Not saved yet: please correct the marked inputs.")
            )
            return
        self.show_problems({})
        self.save()

    def save(self) -> None:
        raise NotImplementedError

    def run(self, runner: Runner, fn: Callable[[], Any], *, label: str, done: Callable[[Any], None],
            refused: Callable[[BaseException], bool] | None = None) -> None:
        """Write in the worker; close and call `done` on success, stay open with the messages on failure.
        `refused` may handle an error itself (returning True)."""
        self.set_busy(True)

        def saved(result: Any) -> None:
            self.set_busy(False)
            self.accept()
            done(result)

        def failed(error: BaseException) -> None:
            self.set_busy(False)
            if refused is not None and refused(error):
                return
            _title, detail, errors = describe(error)
            self.show_problems(errors, translate("stewardship.form", "Not saved. {detail}").format(detail=detail))

        runner.write(fn, done=saved, failed=failed, owner=self, label=label)

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.submit_button.setEnabled(not busy)
        self.submit_button.setText(self._busy_text if busy else self._action)
