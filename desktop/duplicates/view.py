"""The duplicates view (Customer → Find duplicates…): a scan of the customers the person reads, in
the read worker behind a progress dialog that cancels; candidate pairs by score, filtered by region
and owner as they are chosen (no new scan), each dismissed or merged from here."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QProgressDialog, QPushButton, QSpinBox, QVBoxLayout,
                               QWidget)

from desktop.duplicates.merge_dialog import MergeDialog
from desktop.errors import show_error
from desktop.i18n import Texts, translate
from desktop.reference import Reference
from desktop.tables import ReadOnlyTable
from desktop.workers import Cancelled, Job, Runner
from services import formats
from services.rules import duplicates as rules
from services.service_layer.duplicates import DuplicatePair, DuplicateScan, ScannedCustomer

if TYPE_CHECKING:
    from services.service_layer.facade import Steward

# Why a pair is offered: the scan's rules (services.rules.duplicates) in words.
REASONS = Texts(
    "duplicates.view",
    {
        "name_city": QT_TRANSLATE_NOOP("duplicates.view", "same name and city"),
        "email": QT_TRANSLATE_NOOP("duplicates.view", "same e-mail"),
        "phone": QT_TRANSLATE_NOOP("duplicates.view", "same phone"),
        "external_ref": QT_TRANSLATE_NOOP("duplicates.view", "same external reference"),
        "fuzzy_name": QT_TRANSLATE_NOOP("duplicates.view", "similar name"),
        "contacts_differ": QT_TRANSLATE_NOOP("duplicates.view", "but different contacts"),
    },
)


class DuplicatesWindow(QWidget):
    def __init__(self, runner: Runner, svc: Steward, reference: Reference, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("duplicatesWindow")
        self.setWindowTitle(translate("duplicates.view", "Duplicates — Steward"))
        self._runner, self._svc, self._reference = runner, svc, reference
        self.result: DuplicateScan | None = None
        self.shown: list[DuplicatePair] = []
        self.customers: dict = {}
        self.progress: QProgressDialog | None = None
        self.job: Job | None = None
        self.merge_dialog: MergeDialog | None = None
        self.merging: DuplicatePair | None = None

        self.threshold = QSpinBox()
        self.threshold.setRange(50, 100)
        self.threshold.setValue(int(rules.DEFAULT_THRESHOLD))
        self.threshold.setSuffix(" %")
        self.threshold.setToolTip(translate("duplicates.view", "How alike two names must be for the similar-name rule"))
        self.scan_button = QPushButton(translate("duplicates.view", "Scan"))
        self.scan_button.setObjectName("scanDuplicates")
        self.scan_button.clicked.connect(self.scan)
        self.region = QComboBox()
        self.region.setObjectName("duplicatesRegion")
        self.region.addItem(translate("duplicates.view", "All regions"), None)
        for code, name in reference.regions.items():
            self.region.addItem(name, code)
        self.owner = QComboBox()
        self.owner.setObjectName("duplicatesOwner")
        self.owner.addItem(translate("duplicates.view", "All owners"), None)
        runner.read(svc.customers.owners, done=self._owners, owner=self, failed=lambda _e: None,
                    label=translate("duplicates.view", "Loading the owners…"))
        self.region.currentIndexChanged.connect(self._show)
        self.owner.currentIndexChanged.connect(self._show)
        top = QHBoxLayout()
        for label, widget in ((translate("duplicates.view", "Name similarity"), self.threshold), (None, self.scan_button),
                              (translate("duplicates.view", "Region"), self.region),
                              (translate("duplicates.view", "Owner"), self.owner)):
            if label:
                top.addWidget(QLabel(label))
            top.addWidget(widget)
        top.addStretch(1)

        self.pairs = ReadOnlyTable([translate("duplicates.view", "Score"), translate("duplicates.view", "Why"),
                                    translate("duplicates.view", "Customer"), translate("duplicates.view", "City"),
                                    translate("duplicates.view", "Owner"),
                                    translate("duplicates.view", "Probably the same as"),
                                    translate("duplicates.view", "City"), translate("duplicates.view", "Owner")],
                                   stretch=(2, 5))
        self.pairs.setObjectName("duplicatePairs")
        self.pairs.itemSelectionChanged.connect(self._selected)
        self.pairs.doubleClicked.connect(lambda _index: self.merge())
        self.summary = QLabel(translate("duplicates.view", "Scan to find customers that are probably the same."))
        self.summary.setObjectName("hint")
        self.summary.setWordWrap(True)
        self.dismiss_button = QPushButton(translate("duplicates.view", "Not a duplicate"))
        self.dismiss_button.setObjectName("dismissDuplicate")
        self.dismiss_button.setToolTip(translate("duplicates.view", "Remember that these two are different: no scan offers them again"))
        self.dismiss_button.clicked.connect(self.dismiss)
        self.merge_button = QPushButton(translate("duplicates.view", "Merge…"))
        self.merge_button.setObjectName("mergeDuplicate")
        self.merge_button.clicked.connect(self.merge)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.dismiss_button)
        bottom.addWidget(self.merge_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addLayout(top)
        layout.addWidget(self.pairs, 1)
        layout.addLayout(bottom)
        self.resize(1180, 640)
        self._selected()

    def _owners(self, owners: list) -> None:
        """The owners of customers this person reads, as they are now (people join after the start)."""
        for pid, _login, name in owners:
            self.owner.addItem(name, pid)

    # ------------------------------------------------------------------ scan

    def scan(self) -> None:
        threshold = self.threshold.value()
        self.progress = QProgressDialog(translate("duplicates.view", "Reading customers…"),
                                        translate("duplicates.view", "Cancel"), 0, 0, self)
        self.progress.setObjectName("duplicatesProgress")
        self.progress.setWindowTitle(translate("duplicates.view", "Duplicates"))
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(0)
        self.progress.canceled.connect(self._cancel)
        self.progress.show()
        self.scan_button.setEnabled(False)

        def work(job: Job) -> DuplicateScan:
            return self._svc.duplicates.scan(threshold=threshold, progress=lambda done, total: job.report(done, total))

        self.job = self._runner.read(work, progress=self._progressed, done=self._scanned, failed=self._failed,
                                     owner=self, label=translate("duplicates.view", "Scanning for duplicates…"))

    def _cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
        self.scan_button.setEnabled(True)

    def _progressed(self, done: int, total: int, _text: str) -> None:
        progress = self.progress      # a modal dialog's setValue runs the event loop, which may close it
        if progress is not None:
            f = formats.current()
            progress.setLabelText((translate("duplicates.view", "{done} of {total} customer read") if total == 1 else
                                   translate("duplicates.view", "{done} of {total} customers read"))
                                  .format(done=f.number(done), total=f.number(total)))
            progress.setMaximum(max(total, 1))
            progress.setValue(done)

    def _scanned(self, result: DuplicateScan) -> None:
        self._close_progress()
        self.result = result
        self.customers = {c.id: c for g in result.groups for c in g.customers}
        self._show()

    def _failed(self, error: BaseException) -> None:
        self._close_progress()
        if not isinstance(error, Cancelled):
            show_error(self, error, doing=translate("duplicates.view", "The duplicate scan"))

    def _close_progress(self) -> None:
        self.scan_button.setEnabled(True)
        if self.progress is not None:
            self.progress.canceled.disconnect(self._cancel)
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    # ------------------------------------------------------------------ list

    def _matches(self, c: ScannedCustomer) -> bool:
        region, owner = self.region.currentData(), self.owner.currentData()
        return (region is None or c.region == region) and (owner is None or c.owner_id == owner)

    def _show(self) -> None:
        if self.result is None:
            return
        f = formats.current()
        pairs = sorted(self.result.pairs, key=lambda p: (-p.score, self.customers[p.a].name))
        self.shown = [p for p in pairs if self._matches(self.customers[p.a]) or self._matches(self.customers[p.b])]
        rows = []
        for p in self.shown:
            a, b = self.customers[p.a], self.customers[p.b]
            strongest = sorted(p.reasons, key=lambda r: -p.reasons[r] if r in rules.WEIGHTS else 1)
            why = ", ".join(REASONS.get(r, r) for r in strongest)
            rows.append([f.percent(p.score), why, a.name, a.city or "", a.owner_name or "—",
                         b.name, b.city or "", b.owner_name or "—"])
        self.pairs.set_rows(rows, data=self.shown)
        self.summary.setText(self._summary())
        if self.shown:
            self.pairs.selectRow(0)
        self._selected()

    def _summary(self) -> str:
        """"2 of 5 pairs shown, in 4 groups among 1,200 customers." """
        f = formats.current()
        pairs, groups, scanned = len(self.result.pairs), len(self.result.groups), self.result.scanned
        shown = (translate("duplicates.view", "{shown} of {n} pair shown") if pairs == 1 else
                 translate("duplicates.view", "{shown} of {n} pairs shown"))
        within = (translate("duplicates.view", "in {n} group") if groups == 1 else
                  translate("duplicates.view", "in {n} groups"))
        among = (translate("duplicates.view", "among {n} customer") if scanned == 1 else
                 translate("duplicates.view", "among {n} customers"))
        return translate("duplicates.view", "{shown}, {within} {among}.").format(
            shown=shown.format(shown=f.number(len(self.shown)), n=f.number(pairs)),
            within=within.format(n=f.number(groups)), among=among.format(n=f.number(scanned)))

    def _selected(self) -> None:
        chosen = self.pairs.row_data() is not None
        self.dismiss_button.setEnabled(chosen)
        self.merge_button.setEnabled(chosen)

    # --------------------------------------------------------------- actions

    def dismiss(self) -> None:
        pair = self.pairs.row_data()
        if pair is None:
            return
        self._runner.write(lambda: self._svc.duplicates.dismiss(pair.a, pair.b), owner=self,
                           done=lambda _none: self._drop(pair), label=translate("duplicates.view", "Dismissing the pair…"),
                           failed=lambda e: show_error(self, e, doing=translate("duplicates.view", "Dismissing the pair")))

    def merge(self) -> MergeDialog | None:
        pair = self.pairs.row_data()
        if pair is None:
            return None
        self.merging = pair
        self.merge_dialog = MergeDialog(self._runner, self._svc, self._reference, [pair.a, pair.b], self)
        self.merge_dialog.merged.connect(self._merged)
        self.merge_dialog.show()
        return self.merge_dialog

    def _merged(self, _result) -> None:
        if self.merging is not None:
            self._drop(self.merging)
            self.merging = None

    def _drop(self, pair: DuplicatePair) -> None:
        """A pair dismissed or merged leaves the list (with every other pair of a merged customer)."""
        if self.result is None:
            return
        merged = self.merge_dialog.others if self.merge_dialog and self.merge_dialog.completed else set()
        groups = (replace(g, pairs=tuple(p for p in g.pairs if p is not pair and not {p.a, p.b} & merged))
                  for g in self.result.groups)
        self.result = replace(self.result, groups=tuple(g for g in groups if g.pairs))
        self._show()
