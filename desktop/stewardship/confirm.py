"""A question before a change a person may not want: non-blocking (the window and its workers keep
running behind it), with a button that names the action."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget


def ask(parent: QWidget | None, title: str, question: str, detail: str, action: str,
        on_yes: Callable[[], None]) -> QMessageBox:
    """Show the question; `on_yes` runs when the person presses `action`. Returns the box
    (its `yes_button` for tests and screenshots)."""
    box = QMessageBox(QMessageBox.Icon.Question, title, question, QMessageBox.StandardButton.Cancel, parent)
    box.setObjectName("confirmBox")
    yes = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(yes)
    if detail:
        box.setInformativeText(detail)
    box.yes_button = yes   # type: ignore[attr-defined]
    box.buttonClicked.connect(lambda button: on_yes() if button is yes else None)
    box.open()
    return box


def tell(parent: QWidget | None, title: str, text: str, detail: str = "", *, warning: bool = False) -> QMessageBox:
    """A result worth a look (a partial bulk edit, refused values), non-blocking."""
    icon = QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Information
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("resultBox")
    if detail:
        box.setInformativeText(detail)
    box.open()
    return box
