"""Running a bulk edit: in the write worker, behind a progress dialog shown at once whose Cancel stops
it between batches. What ran stays, as a partial change set that undo takes back."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from desktop.errors import show_error
from desktop.i18n import translate
from desktop.stewardship import confirm, words
from desktop.stewardship.bulk_edit import BulkRequest
from desktop.workers import Cancelled, Job, Runner
from services import formats
from services.service_layer.change_sets import ChangeSet

if TYPE_CHECKING:
    from services.service_layer.facade import Steward


class BulkRun(QObject):
    finished = Signal(object)            # the ChangeSet
    customers_changed = Signal(object)   # frozenset of customer ids, or None: anything under the filter
    said = Signal(str)

    def __init__(self, runner: Runner, svc: Steward, request: BulkRequest, parent: QWidget):
        super().__init__(parent)
        self._svc, self.request, self._parent = svc, request, parent
        self.result: QMessageBox | None = None
        self.progress = QProgressDialog(
            f"{request.description}…",
            translate("stewardship.bulk_apply", "Cancel"),
            0,
            max(request.customers, 1),
            parent,
        )
        self.progress.setObjectName("bulkProgress")
        self.progress.setWindowTitle(translate("stewardship.bulk_apply", "Bulk edit"))
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(0)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self.progress.canceled.disconnect(self.progress.cancel)   # stay up, saying it stops, until it has
        self.progress.canceled.connect(self.cancel)
        self.progress.setValue(0)
        self.progress.show()
        self.job: Job = runner.write(self._work, progress=self._progressed, done=self._done, failed=self._failed,
                                     owner=parent, label=translate("stewardship.bulk_apply", "Bulk edit…"))

    def _work(self, job: Job) -> ChangeSet:
        def progress(done: int, total: int) -> None:
            try:
                job.report(done, total)
            except Cancelled:
                pass     # asked between batches by `cancelled`: the batch that ran stays

        r = self.request
        return self._svc.bulk.apply(r.changes, **r.selection, description=r.description, progress=progress,
                                    cancelled=lambda: job.cancelled)

    def cancel(self) -> None:
        self.job.cancel()
        self.progress.setLabelText(
            translate("stewardship.bulk_apply", "Stopping after the current batch… what ran stays and can be undone.")
        )
        self.said.emit(translate("stewardship.bulk_apply", "Stopping the bulk edit after the current batch…"))

    def _progressed(self, done: int, total: int, _text: str) -> None:
        f = formats.current()
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)
        if not self.job.cancelled:
            self.progress.setLabelText(
                translate("stewardship.bulk_apply", "{description}…\n{done} of {total} customers").format(
                    description=self.request.description, done=f.number(done), total=f.number(total)
                )
            )

    def _done(self, change_set: ChangeSet) -> None:
        self.progress.close()
        partial = change_set.state == "partial"
        text = translate("stewardship.bulk_apply", "{description}: {summary} changed.").format(
            description=change_set.description, summary=words.summary(change_set)
        )
        if partial:
            title, detail = translate("stewardship.bulk_apply", "Bulk edit stopped"), (
                translate(
                    "stewardship.bulk_apply",
                    "You stopped it: what ran stays, as a partial change set. " "Undo (Ctrl+Z) takes it back.",
                )
            )
        else:
            title, detail = translate("stewardship.bulk_apply", "Bulk edit done"), translate(
                "stewardship.bulk_apply", "Undo (Ctrl+Z) takes it back."
            )
        if change_set.refused:
            detail = (
                translate(
                    "stewardship.bulk_apply",
                    "{refused} values were refused (restricted fields or customers outside your scope). ",
                ).format(refused=formats.current().number(change_set.refused))
                + detail
            )
        self.result = confirm.tell(self._parent, title, text, detail, warning=partial)
        self.said.emit(f"{text} {detail}")
        ids = self.request.selection.get("customer_ids")
        self.customers_changed.emit(frozenset(ids) if ids is not None else None)
        self.finished.emit(change_set)

    def _failed(self, error: BaseException) -> None:
        self.progress.close()
        show_error(self._parent, error, doing=translate("stewardship.bulk_apply", "The bulk edit"))
