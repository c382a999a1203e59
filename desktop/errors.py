"""Errors shown to a person: the title and detail of the problem, never a traceback."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMessageBox, QWidget

from services.errors import StewardError
from desktop.i18n import translate

log = logging.getLogger(__name__)


def describe(error: BaseException) -> tuple[str, str, dict[str, str]]:
    """(title, detail, per-field messages) of an error, in words for a person."""
    if isinstance(error, StewardError):
        return error.title, error.detail, dict(error.errors)
    log.error("unexpected error in the desktop", exc_info=(type(error), error, error.__traceback__))
    first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
    return translate("errors", "Unexpected problem"), translate("errors", "{first_line} ({name}). Details are in the log.").format(first_line=first_line, name=type(error).__name__), {}


def one_line(error: BaseException) -> str:
    title, detail, _ = describe(error)
    return f"{title}: {detail}"


def show_error(parent: QWidget | None, error: BaseException, *, doing: str | None = None) -> QMessageBox:
    """A non-blocking message box (tests and the live refresh keep running behind it)."""
    title, detail, errors = describe(error)
    box = QMessageBox(QMessageBox.Icon.Warning, title, f"<b>{_escape(title)}</b>", QMessageBox.StandardButton.Ok,
                      parent)
    box.setObjectName("errorBox")
    text = detail if doing is None else translate("errors", "{doing} did not work. {detail}").format(doing=doing, detail=detail)
    if errors:
        text += "\n\n" + "\n".join(f"• {key}: {message}" for key, message in errors.items())
    box.setInformativeText(text)
    box.setWindowModality(box.windowModality().WindowModal if parent else box.windowModality().ApplicationModal)
    box.open()
    return box


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
