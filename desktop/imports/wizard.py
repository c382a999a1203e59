"""File ▸ Import customers…: file → mapping → preview → run → report.

Every service call runs in the workers (desktop/workers.py): reading the file and its
suggested mapping, the preview, and the run, which goes behind a progress dialog shown at
once whose Cancel stops it between batches (what ran stays, as a partial change set that
undo takes back). The mapping page shows each column of the file with its heading,
examples and the Steward target it feeds; the preview page each row's action, the values
it changes (old → new) and its errors with column and reason.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QFileDialog, QFormLayout, QHBoxLayout, QHeaderView,
                               QLabel, QLineEdit, QProgressDialog, QPushButton, QStackedWidget, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from desktop.editors.problems import property_titles
from desktop.errors import show_error
from desktop.i18n import Texts, translate
from desktop.reference import Reference
from desktop.stewardship.words import MASTER, value_text
from desktop.workers import Cancelled, Job, Runner
from services import formats
from services.service_layer import imports as rules
from services.service_layer.imports import ImportPreview, ImportRun
from services.service_layer.mapping import Table

if TYPE_CHECKING:
    from services.service_layer.facade import Steward

MODES = Texts(
    "imports.wizard",
    {
        "upsert": QT_TRANSLATE_NOOP("imports.wizard", "Create new customers and update existing ones"),
        "create": QT_TRANSLATE_NOOP("imports.wizard", "Only create new customers"),
        "update": QT_TRANSLATE_NOOP("imports.wizard", "Only update existing customers"),
    },
)
MATCHES = Texts(
    "imports.wizard",
    {
        "external_ref": QT_TRANSLATE_NOOP("imports.wizard", "External reference"),
        "email": QT_TRANSLATE_NOOP("imports.wizard", "Contact e-mail"),
        "phone": QT_TRANSLATE_NOOP("imports.wizard", "Contact phone"),
        "name_city": QT_TRANSLATE_NOOP("imports.wizard", "Name and city"),
    },
)
ACTIONS = Texts(
    "imports.wizard",
    {
        "create": QT_TRANSLATE_NOOP("imports.wizard", "New customer"),
        "update": QT_TRANSLATE_NOOP("imports.wizard", "Update"),
        "unchanged": QT_TRANSLATE_NOOP("imports.wizard", "Unchanged"),
        "error": QT_TRANSLATE_NOOP("imports.wizard", "Error"),
    },
)
# The targets of the master data and the contact (services name them in English; the fields'
# labels come from the pack's catalog in the person's language).
TARGETS = Texts(
    "imports.wizard",
    {
        "customer.name": QT_TRANSLATE_NOOP("imports.wizard", "Customer name"),
        "customer.city": QT_TRANSLATE_NOOP("imports.wizard", "City"),
        "customer.region": QT_TRANSLATE_NOOP("imports.wizard", "Region"),
        "customer.owner": QT_TRANSLATE_NOOP("imports.wizard", "Owner (login)"),
        "customer.external_ref": QT_TRANSLATE_NOOP("imports.wizard", "External reference"),
        "contact.full_name": QT_TRANSLATE_NOOP("imports.wizard", "Contact name"),
        "contact.email": QT_TRANSLATE_NOOP("imports.wizard", "Contact e-mail"),
        "contact.phone": QT_TRANSLATE_NOOP("imports.wizard", "Contact phone"),
    },
)
# What services say of a cell it cannot read, in the person's language (anything else as it comes).
REASONS = (
    (re.compile(r"^'(?P<value>.*)' is not a number$"),
     QT_TRANSLATE_NOOP("imports.wizard", "'{value}' is not a number")),
    (re.compile(r"^'(?P<value>.*)' is not a whole number$"),
     QT_TRANSLATE_NOOP("imports.wizard", "'{value}' is not a whole number")),
    (re.compile(r"^'(?P<value>.*)' is not a date$"), QT_TRANSLATE_NOOP("imports.wizard", "'{value}' is not a date")),
    (re.compile(r"^'(?P<value>.*)' is neither yes nor no$"),
     QT_TRANSLATE_NOOP("imports.wizard", "'{value}' is neither yes nor no")),
    (re.compile(r"^'(?P<value>.*)' is not an e-mail address$"),
     QT_TRANSLATE_NOOP("imports.wizard", "'{value}' is not an e-mail address")),
    (re.compile(r"^'(?P<value>.*)' is not a phone number$"),
     QT_TRANSLATE_NOOP("imports.wizard", "'{value}' is not a phone number")),
    (re.compile(r"^'(?P<value>.*)' is none of the known values$"),
     QT_TRANSLATE_NOOP("imports.wizard", "'{value}' is none of the known values")),
    (re.compile(r"^is empty$"), QT_TRANSLATE_NOOP("imports.wizard", "is empty")),
    (re.compile(r"^must not be empty$"), QT_TRANSLATE_NOOP("imports.wizard", "must not be empty")),
    (re.compile(r"^the key is empty$"), QT_TRANSLATE_NOOP("imports.wizard", "the key is empty")),
)
STEPS = (QT_TRANSLATE_NOOP("imports.wizard", "1. File"), QT_TRANSLATE_NOOP("imports.wizard", "2. Mapping"),
         QT_TRANSLATE_NOOP("imports.wizard", "3. Preview"), QT_TRANSLATE_NOOP("imports.wizard", "4. Report"))
EXAMPLES = 3
SHOWN_ROWS = 2000          # rows the preview table lists (the counts cover all)


class ImportWizard(QDialog):
    previewed = Signal(object)       # the ImportPreview
    imported = Signal(object)        # the ImportRun
    loaded = Signal()                # the file is read and its mapping suggested

    def __init__(self, runner: Runner, svc: "Steward", reference: Reference, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("importWizard")
        self.setWindowTitle(translate("imports.wizard", "Import customers"))
        self.resize(980, 620)
        self._runner, self._svc = runner, svc
        self.table: Table | None = None
        self.preview: ImportPreview | None = None
        self.run: ImportRun | None = None
        self.progress: QProgressDialog | None = None
        self.job: Job | None = None
        self._targets = rules.mapping_targets(svc.catalog)
        self._fields = {f.key: f for f in reference.fields}      # labels in the person's language

        self.pages = QStackedWidget()
        self.pages.addWidget(self._file_page())
        self.pages.addWidget(self._mapping_page())
        self.pages.addWidget(self._preview_page())
        self.pages.addWidget(self._report_page())
        self.back_button = QPushButton(translate("imports.wizard", "Back"))
        self.next_button = QPushButton(translate("imports.wizard", "Next"))
        self.next_button.setObjectName("importNext")
        self.next_button.setDefault(True)
        self.close_button = QPushButton(translate("imports.wizard", "Cancel"))
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
        self.path.setPlaceholderText(translate("imports.wizard",
                                          "A .csv or .xlsx file: one customer per row, headings in the first"))
        browse = QPushButton(translate("imports.wizard", "Browse…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        form.addRow(translate("imports.wizard", "File"), row)
        self.mode = QComboBox()
        for code, text in MODES.items():
            self.mode.addItem(text, code)
        form.addRow(translate("imports.wizard", "What to do"), self.mode)
        self.match = QComboBox()
        for code, text in MATCHES.items():
            self.match.addItem(text, code)
        form.addRow(translate("imports.wizard", "Find existing customers by"), self.match)
        note = QLabel(translate("imports.wizard",
                                "Encoding and separator are detected; German numbers (1.800,50) and dates "
                                "(01.10.2026) are understood. Nothing is written before you have seen the preview, "
                                "and the whole import can be undone (Ctrl+Z)."))
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
        self.mapping_table.setHorizontalHeaderLabels([translate("imports.wizard", "Column of the file"),
                                                      translate("imports.wizard", "Examples"),
                                                      translate("imports.wizard", "Imported as")])
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
        form.addRow(translate("imports.wizard", "Region of rows without one"), self.region)
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
        self.preview_table.setHorizontalHeaderLabels([
            translate("imports.wizard", "Row"), translate("imports.wizard", "Action"),
            translate("imports.wizard", "Customer"), translate("imports.wizard", "Changes (old → new)"),
            translate("imports.wizard", "Errors")])
        self.preview_table.verticalHeader().setVisible(False)
        self.preview_table.setWordWrap(True)
        header = self.preview_table.horizontalHeader()
        for n in (0, 1, 2):
            header.setSectionResizeMode(n, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.preview_table, 1)
        self.skip_errors = QCheckBox(translate("imports.wizard", "Skip the rows with errors and import the others"))
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
        self.step.setText(" · ".join(f"<b>{translate('imports.wizard', step)}</b>" if n == index else
                                     translate("imports.wizard", step) for n, step in enumerate(STEPS)))
        self.back_button.setEnabled(index in (1, 2))
        self.next_button.setText((translate("imports.wizard", "Next"), translate("imports.wizard", "Preview"),
                                  translate("imports.wizard", "Import"), translate("imports.wizard", "Close"))[index])
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
        name, _ = QFileDialog.getOpenFileName(self, translate("imports.wizard", "Import customers"), str(Path.home()),
                                              translate("imports.wizard", "Customer lists (*.csv *.xlsx *.txt)"))
        if name:
            self.path.setText(name)

    # ------------------------------------------------------------------ 1 → 2: read the file

    def load(self, path: str) -> None:
        self.next_button.setEnabled(False)

        def work() -> tuple[Table, dict[str, Any]]:
            table = self._svc.imports.read(path)
            return table, self._svc.imports.suggest_mapping(table)

        self._runner.read(work, done=self._loaded, failed=self._failed(translate("imports.wizard", "Reading the file")),
                          owner=self, label=translate("imports.wizard", "Reading the file…"))

    def _loaded(self, answer: tuple[Table, dict[str, Any]]) -> None:
        self.table, suggested = answer
        chosen = rules.columns_of(suggested)
        f = formats.current()
        rows, columns = len(self.table), len(self.table.columns)
        self.mapping_note.setText(" ".join((
            "{name}: {rows}, {columns}.".format(
                name=self.table.name,
                rows=(translate("imports.wizard", "{n} row") if rows == 1 else
                      translate("imports.wizard", "{n} rows")).format(n=f.number(rows)),
                columns=(translate("imports.wizard", "{n} column") if columns == 1 else
                         translate("imports.wizard", "{n} columns")).format(n=f.number(columns))),
            translate("imports.wizard", "Choose what each column is imported as; the mapping is kept for files "
                                        "with the same columns."))))
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
            combo.addItem(translate("imports.wizard", "(not imported)"), None)
            for t in self._targets:
                combo.addItem(self._target_label(t), t.target)
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
                          done=self._previewed, failed=self._failed(translate("imports.wizard", "The preview")),
                          owner=self, label=translate("imports.wizard", "Checking the file…"))

    def _previewed(self, preview: ImportPreview) -> None:
        self.preview = preview
        f = formats.current()
        errors = preview.errors
        rows, created = len(preview.rows), preview.count("create")
        summary = translate("imports.wizard", "{rows}: {created}, {updated} to update, {unchanged} unchanged, "
                                              "{errors} with errors.").format(
            rows=(translate("imports.wizard", "{n} row") if rows == 1 else
                  translate("imports.wizard", "{n} rows")).format(n=f.number(rows)),
            created=(translate("imports.wizard", "<b>{n}</b> new customer") if created == 1 else
                     translate("imports.wizard", "<b>{n}</b> new customers")).format(n=f.number(created)),
            updated=f"<b>{f.number(preview.count('update'))}</b>", unchanged=f.number(preview.count("unchanged")),
            errors=f"<b>{f.number(preview.count('error'))}</b>")
        if not preview.ok:
            summary += " " + translate("imports.wizard", "An import with errors writes nothing, unless you skip "
                                                         "those rows.")
        if preview.ignored_columns:
            summary += "<br>" + translate("imports.wizard", "Not imported: {columns}.").format(
                columns=", ".join(preview.ignored_columns))
        self.summary.setText(summary)
        shown = [r for r in preview.rows if r.action != "unchanged"][:SHOWN_ROWS]
        self.preview_table.setRowCount(len(shown))
        for n, row in enumerate(shown):
            changes = "; ".join(f"{self._label(c)}: {value_text(c.old)} → {value_text(c.new)}" for c in row.changes)
            if row.contacts:
                contacts = (translate("imports.wizard", "{n} new contact") if row.contacts == 1 else
                            translate("imports.wizard", "{n} new contacts")).format(n=f.number(row.contacts))
                changes = (changes + "; " if changes else "") + contacts
            cells = [f.number(row.row), ACTIONS.get(row.action, row.action), row.name or "",
                     changes if row.action == "update" else "",
                     "; ".join(f"{e.column or e.target}: {_reason(e.reason)}" for e in row.errors)]
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
            return MASTER.get(change.key, change.key)
        field = self._fields.get(change.key)
        return field.label if field else change.key

    def _target_label(self, target: rules.Target) -> str:
        if target.target in TARGETS:
            return TARGETS[target.target]
        _fields, key, *part = target.target.split(".", 2)
        field = self._fields.get(key)
        if field is None:
            return target.label
        if part:
            return f"{field.label} → {property_titles(field.schema).get(part[0], part[0])}"
        return field.label

    # ------------------------------------------------------------------ 3 → 4: run

    def start(self) -> None:
        assert self.preview is not None and self.table is not None
        table, declared, preview = self.table, self.declaration(), self.preview
        skip = self.skip_errors.isChecked()
        self.progress = QProgressDialog(translate("imports.wizard", "Importing {name}…").format(name=table.name),
                                        translate("imports.wizard", "Cancel"), 0, max(len(table), 1), self)
        self.progress.setObjectName("importProgress")
        self.progress.setWindowTitle(translate("imports.wizard", "Import"))
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
                                      failed=self._failed(translate("imports.wizard", "The import")), owner=self,
                                      label=translate("imports.wizard", "Importing…"))

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
        if self.progress is not None:
            self.progress.setLabelText(translate("imports.wizard", "Stopping after the current batch… what ran stays "
                                                                  "and can be undone."))

    def _progressed(self, done: int, total: int, _text: str) -> None:
        if self.progress is None:
            return
        f = formats.current()
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)
        if self.job is not None and not self.job.cancelled:
            text = (translate("imports.wizard", "Importing…\n{done} of {total} row") if total == 1 else
                    translate("imports.wizard", "Importing…\n{done} of {total} rows"))
            self.progress.setLabelText(text.format(done=f.number(done), total=f.number(total)))

    def _done(self, run: ImportRun) -> None:
        if self.progress is not None:
            self.progress.close()
        self.run = run
        f = formats.current()
        head = (translate("imports.wizard", "Import done") if run.finished else
                translate("imports.wizard", "Import stopped"))
        created = (translate("imports.wizard", "{n} customer created") if run.created == 1 else
                   translate("imports.wizard", "{n} customers created")).format(n=f.number(run.created))
        left_out = len(run.row_errors)
        first = translate("imports.wizard",
                          "<b>{head}</b>: {created}, {updated} updated, {unchanged} unchanged").format(
            head=head, created=created, updated=f.number(run.updated), unchanged=f.number(run.unchanged))
        if left_out:
            first += ", " + (translate("imports.wizard", "{n} row left out") if left_out == 1 else
                             translate("imports.wizard", "{n} rows left out")).format(n=f.number(left_out))
        lines = [first + "."]
        if not run.finished:
            lines.append(translate("imports.wizard", "You stopped it: what ran stays, as a partial change set."))
        lines.append(translate("imports.wizard", "Undo (Ctrl+Z) or the change-set history (Ctrl+H) takes the whole "
                                                 "import back; customers someone has changed since stay."))
        for e in run.row_errors[:20]:
            lines.append(translate("imports.wizard", "Row {row}, {column}: {reason}").format(
                row=f.number(e.row or 0), column=e.column or e.target, reason=_reason(e.reason)))
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


def _reason(reason: str) -> str:
    for pattern, text in REASONS:
        found = pattern.match(reason)
        if found:
            return translate("imports.wizard", text).format(**found.groupdict())
    return reason
