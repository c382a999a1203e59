"""File ▸ Back up now…, and the reminder when the last backup is old (the embedded database).

A person on the embedded database owns its server: the desktop backs it up itself, with
`svc.backups` (services/service_layer/backups.py, pg_dump as the server's owner) in a worker
behind a progress dialog. On a shared database backups are the admin's (`steward db
backup`), so the action is off there and says why.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QFileDialog, QProgressDialog, QWidget

from desktop.errors import show_error
from desktop.i18n import translate
from desktop.workers import Runner

SHARED = QT_TRANSLATE_NOOP("backup", "Backups of a shared database are the admin's: steward db backup")


def ask_and_back_up(parent: QWidget, runner: Runner, svc: Any, *, say: Callable[..., None]) -> QProgressDialog | None:
    """Ask where, then back up there in a worker."""
    start = str(svc.backups.default_file())
    Path(start).parent.mkdir(parents=True, exist_ok=True)
    path, _ = QFileDialog.getSaveFileName(
        parent, translate("backup", "Back up the database"), start, translate("backup", "Steward backup (*.dump)")
    )
    if not path:
        return None
    return back_up(parent, runner, svc, Path(path), say=say)


def back_up(parent: QWidget, runner: Runner, svc: Any, path: Path, *, say: Callable[..., None]) -> QProgressDialog:
    dialog = QProgressDialog(translate("backup", "Backing up to {name}…").format(name=path.name), None, 0, 0, parent)
    dialog.setObjectName("backupProgress")
    dialog.setWindowTitle(translate("backup", "Back up"))
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)

    def progressed(done: int, total: int, text: str) -> None:
        dialog.setMaximum(max(total, 1))
        dialog.setValue(done)
        dialog.setLabelText(translate("backup", "Backing up to {name}… {text}").format(name=path.name, text=text))

    def finished(report: Any) -> None:
        dialog.close()
        say(
            translate("backup", "Backed up to {file} ({value:,.1f} MB).").format(
                file=report.file, value=report.bytes / 1e6
            )
        )

    def failed(error: BaseException) -> None:
        dialog.close()
        show_error(parent, error, doing=translate("backup", "The backup"))

    runner.write(
        lambda job: svc.backups.backup_now(path, progress=lambda d, t, what: job.report(d, t, what)),
        done=finished,
        failed=failed,
        progress=progressed,
        owner=parent,
        label=translate("backup", "Backing up to {name}…").format(name=path.name),
    )
    return dialog


def remind(runner: Runner, svc: Any, *, say: Callable[..., None], owner: QWidget) -> None:
    """On the embedded database: a line when the last backup is older than the configured days."""
    def shown(text: str | None) -> None:
        if text:
            say(text, warning=True)

    runner.read(svc.backups.reminder, done=shown, failed=lambda _e: None, owner=owner)
