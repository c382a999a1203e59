"""Errors shown to a person: the title and detail of the problem, never a traceback."""

from __future__ import annotations

import logging

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.i18n import Texts, translate
from services.errors import StewardError

log = logging.getLogger(__name__)
# The typed errors' titles (services/errors.py) in the person's language; their details stay the
# service layer's words, which the CLI and the HTTP API share.
TITLES = Texts("errors", {title: title for title in (
    QT_TRANSLATE_NOOP("errors", "Something went wrong"),
    QT_TRANSLATE_NOOP("errors", "Invalid input"),
    QT_TRANSLATE_NOOP("errors", "Not found"),
    QT_TRANSLATE_NOOP("errors", "Changed by someone else"),
    QT_TRANSLATE_NOOP("errors", "Status change not allowed"),
    QT_TRANSLATE_NOOP("errors", "Not signed in"),
    QT_TRANSLATE_NOOP("errors", "Too many requests"),
    QT_TRANSLATE_NOOP("errors", "Request too large"),
    QT_TRANSLATE_NOOP("errors", "Not allowed"),
    QT_TRANSLATE_NOOP("errors", "Conflict"),
    QT_TRANSLATE_NOOP("errors", "Database needs an upgrade"),
    QT_TRANSLATE_NOOP("errors", "The upgrade failed"),
    QT_TRANSLATE_NOOP("errors", "Database not reachable"),
    QT_TRANSLATE_NOOP("errors", "The database is not empty"),
    QT_TRANSLATE_NOOP("errors", "No suitable PostgreSQL client"),
    QT_TRANSLATE_NOOP("errors", "The backup or restore failed"),
)})


def describe(error: BaseException) -> tuple[str, str, dict[str, str]]:
    """(title, detail, per-field messages) of an error, in words for a person."""
    if isinstance(error, StewardError):
        return TITLES.get(error.title, error.title), error.detail, dict(error.errors)
    log.error("unexpected error in the desktop", exc_info=(type(error), error, error.__traceback__))
    first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
    return (
        translate("errors", "Unexpected problem"),
        translate("errors", "{first_line} ({name}). Details are in the log.").format(
            first_line=first_line, name=type(error).__name__
        ),
        {},
    )


def one_line(error: BaseException) -> str:
    title, detail, _ = describe(error)
    return f"{title}: {detail}"


def show_error(parent: QWidget | None, error: BaseException, *, doing: str | None = None) -> QMessageBox:
    """A non-blocking message box (tests and the live refresh keep running behind it)."""
    title, detail, errors = describe(error)
    box = QMessageBox(QMessageBox.Icon.Warning, title, f"<b>{_escape(title)}</b>", QMessageBox.StandardButton.Ok,
                      parent)
    box.setObjectName("errorBox")
    text = (
        detail
        if doing is None
        else translate("errors", "{doing} did not work. {detail}").format(doing=doing, detail=detail)
    )
    if errors:
        text += "\n\n" + "\n".join(f"• {key}: {message}" for key, message in errors.items())
    box.setInformativeText(text)
    box.setWindowModality(box.windowModality().WindowModal if parent else box.windowModality().ApplicationModal)
    box.open()
    return box


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
