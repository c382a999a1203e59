"""File ▸ Import customers…: file → mapping → preview → run → report.

Every service call runs in the workers (desktop/workers.py): reading the file and its
suggested mapping, the preview, and the run, which goes behind a progress dialog shown at
once whose Cancel stops it between batches (what ran stays, as a partial change set that
undo takes back). The mapping page shows each column of the file with its heading,
examples and the Steward target it feeds; the preview page each row's action, the values
it changes (old → new) and its errors with column and reason.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QFileDialog, QFormLayout, QHBoxLayout, QHeaderView,
                               QLabel, QLineEdit, QProgressDialog, QPushButton, QStackedWidget, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from desktop.errors import show_error
from desktop.workers import Cancelled, Job, Runner
from services import formats
from services.service_layer import imports as rules
from services.service_layer.imports import ImportPreview, ImportRun
from services.service_layer.mapping import Table

if TYPE_CHECKING:
    from services.service_layer.facade import Steward

MODES = {"upsert": "Create new customers and update existing ones", "create": "Only create new customers",
         "update": "Only update existing customers"}
MATCHES = {"external_ref": "External reference", "email": "Contact e-mail", "phone": "Contact phone",
           "name_city": "Name and city"}
ACTIONS = {"create": "New customer", "update": "Update", "unchanged": "Unchanged", "error": "Error"}
NOT_IMPORTED = "(not imported)"
EXAMPLES = 3
SHOWN_ROWS = 2000          # rows the preview table lists (the counts cover all)


class ImportWizard(QDialog):
    previewed = Signal(object)       # the ImportPreview
    imported = Signal(object)        # the ImportRun
    loaded = Signal()                # the file is read and its mapping suggested

    def __init__(self, runner: Runner, svc: "Steward", parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("importWizard")
        self.setWindowTitle("Import customers")
        self.resize(980, 620)
        self._runner, self._svc = runner, svc
        self.table: Table | None = None
        self.preview: ImportPreview | None = None
        self.run: ImportRun | None = None
        self.progress: QProgressDialog | None = None
        self.job: Job | None = None
        self._targets = rules.mapping_targets(svc.catalog)

        self.pages = QStackedWidget()
        self.pages.addWidget(self._file_page())
        self.pages.addWidget(self._mapping_page())
        self.pages.addWidget(self._preview_page())
        self.pages.addWidget(self._report_page())
        self.back_button = QPushButton("Back")
        self.next_button = QPushButton("Next")
        self.next_button.setObjectName("importNext")
        self.next_button.setDefault(True)
        self.close_button = QPushButton("Cancel")
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        self.step = QLabel()
        self.step.setObjectName("importStep")
        layout.addWidget(self.step)
        layout.addWidget(self.pages, 1)
        layout.addLayout(buttons)
        self._show(0)

    # ------------------------------------------------------------------ pages

    def _file_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.path = QLineEdit()
        self.path.setPlaceholderText("A .csv or .xlsx file: one customer per row, headings in the first")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        form.addRow("File", row)
        self.mode = QComboBox()
        for code, text in MODES.items():
            self.mode.addItem(text, code)
        form.addRow("What to do", self.mode)
        self.match = QComboBox()
        for code, text in MATCHES.items():
            self.match.addItem(text, code)
        form.addRow("Find existing customers by", self.match)
        note = QLabel("Encoding and separator are detected; German numbers (1.800,50) and dates (01.10.2026) are "
                      "understood. Nothing is written before you have seen the preview, and the whole import can "
                      "be undone (Ctrl+Z).")
        note.setWordWrap(True)
        form.addRow(note)
        return page

    def _mapping_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.mapping_note = QLabel()
        self.mapping_note.setWordWrap(True)
        layout.addWidget(self.mapping_note)
        self.mapping_table = QTableWidget(0, 3)
        self.mapping_table.setObjectName("importMapping")
        self.mapping_table.setHorizontalHeaderLabels(["Column of the file", "Examples", "Imported as"])
        self.mapping_table.verticalHeader().setVisible(False)
        header = self.mapping_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.mapping_table, 1)
        form = QFormLayout()
        self.region = QComboBox()
        for code, name in self._svc.catalog.regions.items():
            self.region.addItem(name, code)
        mine = self._svc.actor.region
        if mine and self.region.findData(mine) >= 0:
            self.region.setCurrentIndex(self.region.findData(mine))
        form.addRow("Region of rows without one", self.region)
        layout.addLayout(form)
        return page

    def _preview_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.summary = QLabel()
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.preview_table = QTableWidget(0, 5)
        self.preview_table.setObjectName("importPreview")
        self.preview_table.setHorizontalHeaderLabels(["Row", "Action", "Customer", "Changes (old → new)", "Errors"])
        self.preview_table.verticalHeader().setVisible(False)
        self.preview_table.setWordWrap(True)
        header = self.preview_table.horizontalHeader()
        for n in (0, 1, 2):
            header.setSectionResizeMode(n, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.preview_table, 1)
        self.skip_errors = QCheckBox("Skip the rows with errors and import the others")
        self.skip_errors.toggled.connect(self._update_buttons)
        layout.addWidget(self.skip_errors)
        return page

    def _report_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.report = QLabel()
        self.report.setObjectName("importReport")
        self.report.setWordWrap(True)
        self.report.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.report, 1)
        return page

    # ------------------------------------------------------------------ navigation

    def _show(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        self.step.setText(["<b>1. File</b> · 2. Mapping · 3. Preview · 4. Report",
                           "1. File · <b>2. Mapping</b> · 3. Preview · 4. Report",
                           "1. File · 2. Mapping · <b>3. Preview</b> · 4. Report",
                           "1. File · 2. Mapping · 3. Preview · <b>4. Report</b>"][index])
        self.back_button.setEnabled(index in (1, 2))
        self.next_button.setText({0: "Next", 1: "Preview", 2: "Import", 3: "Close"}[index])
        self.close_button.setVisible(index != 3)
        self.next_button.setEnabled(True)
        self._update_buttons()

    def _update_buttons(self) -> None:
        if self.pages.currentIndex() == 2:
            ok = self.preview is not None and (self.preview.ok or self.skip_errors.isChecked())
            writes = self.preview is not None and (self.preview.count("create") or self.preview.count("update"))
            self.next_button.setEnabled(bool(ok and writes))

    def back(self) -> None:
        self._show(max(self.pages.currentIndex() - 1, 0))

    def next(self) -> None:
        index = self.pages.currentIndex()
        if index == 0:
            self.load(self.path.text().strip())
        elif index == 1:
            self.check()
        elif index == 2:
            self.start()
        else:
            self.accept()

    def _browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Import customers", str(Path.home()),
                                              "Customer lists (*.csv *.xlsx *.txt)")
        if name:
            self.path.setText(name)

    # ------------------------------------------------------------------ 1 → 2: read the file

    def load(self, path: str) -> None:
        self.next_button.setEnabled(False)

        def work() -> tuple[Table, dict[str, Any]]:
            table = self._svc.imports.read(path)
            return table, self._svc.imports.suggest_mapping(table)

        self._runner.read(work, done=self._loaded, failed=self._failed("Reading the file"), owner=self,
                          label="Reading the file…")

    def _loaded(self, answer: tuple[Table, dict[str, Any]]) -> None:
        self.table, suggested = answer
        chosen = rules.columns_of(suggested)
        f = formats.current()
        self.mapping_note.setText(
            f"{self.table.name}: {f.number(len(self.table))} rows, {f.number(len(self.table.columns))} columns. "
            "Choose what each column is imported as; the mapping is kept for files with the same columns.")
        self.mapping_table.setRowCount(len(self.table.columns))
        headings = self.table.headings or self.table.columns
        for n, column in enumerate(self.table.columns):
            heading = QTableWidgetItem(headings[n] if n < len(headings) else column)
            heading.setFlags(heading.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.mapping_table.setItem(n, 0, heading)
            examples = []
            for row in self.table.rows:
                value = row.get(column)
                if value and value not in examples:
                    examples.append(value)
                if len(examples) == EXAMPLES:
                    break
            sample = QTableWidgetItem(", ".join(examples))
            sample.setFlags(sample.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.mapping_table.setItem(n, 1, sample)
            combo = QComboBox()
            combo.addItem(NOT_IMPORTED, None)
            for t in self._targets:
                combo.addItem(t.label, t.target)
            target = chosen.get(column)
            if target and combo.findData(target) >= 0:
                combo.setCurrentIndex(combo.findData(target))
            self.mapping_table.setCellWidget(n, 2, combo)
        self.mapping_table.resizeColumnsToContents()
        self._show(1)
        self.loaded.emit()

    def choose(self, column: str, target: str | None) -> None:
        """Set what a column is imported as (by its column name)."""
        assert self.table is not None
        combo = self.mapping_table.cellWidget(self.table.columns.index(column), 2)
        combo.setCurrentIndex(combo.findData(target))

    def declaration(self) -> dict[str, Any]:
        assert self.table is not None
        chosen = {}
        for n, column in enumerate(self.table.columns):
            target = self.mapping_table.cellWidget(n, 2).currentData()
            if target:
                chosen[column] = target
        return rules.declaration_for(chosen, self._svc.catalog, region=self.region.currentData())

    # ------------------------------------------------------------------ 2 → 3: preview

    def check(self) -> None:
        self.next_button.setEnabled(False)
        table, declared = self.table, self.declaration()
        mode, match = self.mode.currentData(), self.match.currentData()
        self._runner.read(lambda: self._svc.imports.preview(table, declared, mode=mode, match=match),
                          done=self._previewed, failed=self._failed("The preview"), owner=self,
                          label="Checking the file…")

    def _previewed(self, preview: ImportPreview) -> None:
        self.preview = preview
        f = formats.current()
        errors = preview.errors
        self.summary.setText(
            f"{f.number(len(preview.rows))} rows: <b>{f.number(preview.count('create'))}</b> new customers, "
            f"<b>{f.number(preview.count('update'))}</b> to update, {f.number(preview.count('unchanged'))} unchanged, "
            f"<b>{f.number(preview.count('error'))}</b> with errors."
            + ("" if preview.ok else " An import with errors writes nothing, unless you skip those rows.")
            + (f"<br>Not imported: {', '.join(preview.ignored_columns)}." if preview.ignored_columns else ""))
        shown = [r for r in preview.rows if r.action != "unchanged"][:SHOWN_ROWS]
        self.preview_table.setRowCount(len(shown))
        for n, row in enumerate(shown):
            changes = "; ".join(f"{self._label(c)}: {_text(c.old)} → {_text(c.new)}" for c in row.changes)
            if row.contacts:
                changes = (changes + "; " if changes else "") + f"{f.number(row.contacts)} new contact(s)"
            cells = [f.number(row.row), ACTIONS.get(row.action, row.action), row.name or "",
                     changes if row.action == "update" else "",
                     "; ".join(f"{e.column or e.target}: {e.reason}" for e in row.errors)]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if row.action == "error":
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.preview_table.setItem(n, c, item)
        self.preview_table.resizeRowsToContents()
        self.skip_errors.setEnabled(bool(errors))
        self._show(2)
        self.previewed.emit(preview)

    def _label(self, change: rules.Change) -> str:
        if change.target == "master":
            return {"name": "Name", "city": "City", "region": "Region", "external_ref": "External reference"}.get(
                change.key, change.key)
        field = self._svc.catalog.fields.get(change.key)
        return field.label if field else change.key

    # ------------------------------------------------------------------ 3 → 4: run

    def start(self) -> None:
        assert self.preview is not None and self.table is not None
        table, declared, preview = self.table, self.declaration(), self.preview
        skip = self.skip_errors.isChecked()
        self.progress = QProgressDialog(f"Importing {table.name}…", "Cancel", 0, max(len(table), 1), self)
        self.progress.setObjectName("importProgress")
        self.progress.setWindowTitle("Import")
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(0)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self.progress.canceled.disconnect(self.progress.cancel)
        self.progress.canceled.connect(self.cancel)
        self.progress.setValue(0)
        self.progress.show()

        def work(job: Job) -> ImportRun:
            def progress(done: int, total: int) -> None:
                try:
                    job.report(done, total)
                except Cancelled:
                    pass     # asked between batches by `cancelled`: the batch that ran stays

            return self._svc.imports.run(table, declared, mode=preview.mode, match=preview.match,
                                         on_error="skip" if skip else "refuse", preview=preview,
                                         progress=progress, cancelled=lambda: job.cancelled)

        self.job = self._runner.write(work, progress=self._progressed, done=self._done,
                                      failed=self._failed("The import"), owner=self, label="Importing…")

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
        if self.progress is not None:
            self.progress.setLabelText("Stopping after the current batch… what ran stays and can be undone.")

    def _progressed(self, done: int, total: int, _text: str) -> None:
        if self.progress is None:
            return
        f = formats.current()
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)
        if self.job is not None and not self.job.cancelled:
            self.progress.setLabelText(f"Importing…\n{f.number(done)} of {f.number(total)} rows")

    def _done(self, run: ImportRun) -> None:
        if self.progress is not None:
            self.progress.close()
        self.run = run
        f = formats.current()
        lines = [f"<b>{'Import stopped' if not run.finished else 'Import done'}</b>: "
                 f"{f.number(run.created)} customers created, {f.number(run.updated)} updated, "
                 f"{f.number(run.unchanged)} unchanged"
                 + (f", {f.number(len(run.row_errors))} rows left out" if run.row_errors else "") + "."]
        if not run.finished:
            lines.append("You stopped it: what ran stays, as a partial change set.")
        lines.append("Undo (Ctrl+Z) or the change-set history (Ctrl+H) takes the whole import back; customers "
                     "someone has changed since stay.")
        for e in run.row_errors[:20]:
            lines.append(f"Row {f.number(e.row or 0)}, {e.column or e.target}: {e.reason}")
        self.report.setText("<br>".join(lines))
        self._show(3)
        self.imported.emit(run)

    def _failed(self, doing: str):
        def failed(error: BaseException) -> None:
            if self.progress is not None:
                self.progress.close()
            self.next_button.setEnabled(True)
            show_error(self, error, doing=doing)
        return failed


def _text(value: Any) -> str:
    if value is None:
        return "(empty)"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_text(v)}" for k, v in value.items())
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return formats.current().number(value)
    return str(value)
