"""Paste a block from a spreadsheet into the grid (Ctrl+V), fill a value down the selection (Ctrl+D).

The block (tab-separated rows, as Excel and LibreOffice copy them) lands at the current cell,
across the visible columns in their on-screen order and down the rows in the grid's order.
Every cell is checked first — that its column can be edited by this person, that its text is a
value of the column's type, that the field's whole value then fits its schema — and one bad
cell writes nothing: the problems are listed by row and column. A good block is written as one
change set (svc.bulk.paste), which Undo (Ctrl+Z) takes back.
"""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.errors import describe
from desktop.grid import cells
from desktop.grid.editing import CellEditing
from desktop.i18n import translate
from desktop.workers import Runner
from services import formats
from services.service_layer.change_sets import ChangeSet

if TYPE_CHECKING:
    from services.service_layer.facade import Steward

MOST_LISTED = 15


@dataclass(frozen=True)
class Cell:
    row: int          # in the model
    column: int       # the model's column
    text: str


def parse_block(text: str) -> list[list[str]]:
    """Rows of cells from tab-separated text (quoted cells may hold tabs and line breaks)."""
    rows = [list(r) for r in csv.reader(io.StringIO(text.replace("\r\n", "\n")), delimiter="\t")]
    while rows and all(not c.strip() for c in rows[-1]):
        rows.pop()
    return rows


class GridPaste(QObject):
    customers_changed = Signal(object)     # frozenset of customer ids
    said = Signal(str)
    refused = Signal(object)               # the problems listed (row/column texts)

    def __init__(self, editing: CellEditing, runner: Runner, svc: Steward):
        super().__init__(editing)
        self.editing, self.table, self._runner, self._svc = editing, editing.table, runner, svc
        self.box: QMessageBox | None = None
        self.problems: list[str] = []
        self.busy = False

    # ------------------------------------------------------------ the blocks

    def paste(self) -> None:
        self.paste_text(QApplication.clipboard().text())

    def paste_text(self, text: str) -> None:
        anchor = self.table.currentIndex()
        block = parse_block(text)
        if not anchor.isValid() or not block:
            self.said.emit(
                translate(
                    "grid.paste", "Nothing to paste: copy cells in a spreadsheet first, then choose the top left cell."
                )
            )
            return
        model, header = self.table.customer_model(), self.table.horizontalHeader()
        visible = [header.logicalIndex(v) for v in range(header.visualIndex(anchor.column()), header.count())]
        visible = [c for c in visible if not header.isSectionHidden(c)]
        width = max(len(r) for r in block)
        problems = []
        if width > len(visible):
            problems.append(
                translate(
                    "grid.paste",
                    "The block is {width} columns wide; only {n_visible} columns are shown from “{title}” rightwards.",
                ).format(width=width, n_visible=len(visible), title=model.columns[anchor.column()].title)
            )
        if anchor.row() + len(block) > model.rowCount():
            problems.append(
                translate(
                    "grid.paste",
                    "The block has {n_block} rows; only {value} customers are loaded from the current one down.",
                ).format(n_block=len(block), value=model.rowCount() - anchor.row())
            )
        if problems:
            self._refuse(problems)
            return
        targets = [Cell(anchor.row() + i, visible[j], text) for i, line in enumerate(block)
                   for j, text in enumerate(line)]
        f = formats.current()
        titles = ", ".join(model.columns[visible[j]].title for j in range(width))
        self.write(
            targets,
            translate("grid.paste", "Paste {number} cells ({titles}) into {number2} customers").format(
                number=f.number(len(targets)), titles=titles, number2=f.number(len(block))
            ),
        )

    def fill_down(self) -> None:
        """The first selected row's value in the current column, into every other selected row."""
        current = self.table.currentIndex()
        rows = sorted(i.row() for i in self.table.selectionModel().selectedRows())
        if not current.isValid() or len(rows) < 2:
            self.said.emit(
                translate("grid.paste", "Fill down: select two or more rows (Shift+↓), in the column to fill.")
            )
            return
        model = self.table.customer_model()
        column = model.columns[current.column()]
        reason = self.editing.refusal(model.index(rows[0], current.column()))
        target = self.editing.targets.get(column.key)
        if target is None:
            self._refuse(
                [reason or translate("grid.paste", "“{title}” cannot be filled down.").format(title=column.title)]
            )
            return
        text = cells.edit_text(target, model.row_at(rows[0]).hot.get(column.key))
        n = formats.current().number(len(rows) - 1)
        self.write(
            [Cell(r, current.column(), text) for r in rows[1:]],
            translate("grid.paste", "Fill down {title} on {n} customers").format(title=column.title, n=n),
        )

    # --------------------------------------------------------------- writing

    def write(self, targets: list[Cell], description: str) -> None:
        """Check every cell, read the fields the block changes a part of, check the whole values, write."""
        if self.busy or self.editing.editor is not None:
            return
        model = self.table.customer_model()
        problems, parts, where = [], {}, {}
        for cell in targets:
            index = model.index(cell.row, cell.column)
            row, column = model.row_at(cell.row), model.columns[cell.column]
            place = translate("grid.paste", "Row {value} · {name} · {title}").format(
                value=cell.row + 1, name=row.name, title=column.title
            )
            reason = self.editing.refusal(index)
            if reason:
                problems.append(f"{place}: {reason}")
                continue
            target = self.editing.targets[column.key]
            part, problem = cells.parse(target, cell.text)
            if problem:
                problems.append(f"{place}: “{cell.text}” {problem}")
                continue
            key = (row.id, target.field.key)
            parts.setdefault(key, {})[target.path] = part
            where.setdefault(key, []).append((target.path, place))
        if problems:
            self._refuse(problems)
            return
        self.busy = True
        ids = sorted({cid for cid, _ in parts})
        self.said.emit(
            translate("grid.paste", "Checking {number} values…").format(number=formats.current().number(len(targets)))
        )
        self._runner.read(
            lambda: {cid: self._svc.fields.get(cid).values for cid in ids},
            done=lambda current: self._compose(current, parts, where, description),
            failed=self._failed,
            owner=self.table,
            label=translate("grid.paste", "Reading the fields to paste into…"),
        )

    def _compose(self, current: dict[uuid.UUID, dict[str, Any]], parts: dict, where: dict, description: str) -> None:
        writes, problems = [], []
        for (cid, key), changed in parts.items():
            field = self.editing.fields[key]
            value = cells.compose(current[cid].get(key), changed)
            problem, concerned = cells.problems(field, value)
            if problem:
                # The cells whose part is wrong; all of this field's cells when the problem is the whole value's.
                places = [place for path, place in where[(cid, key)]
                          if any(c[:len(path)] == path for c in concerned)] or [p for _, p in where[(cid, key)]]
                problems.append(f"{' / '.join(places)}: {problem}")
            elif value != current[cid].get(key):
                writes.append((cid, key, value))
        if problems:
            self.busy = False
            self._refuse(problems)
            return
        if not writes:
            self.busy = False
            self.said.emit(translate("grid.paste", "Nothing to change: the cells hold these values already."))
            return
        self._runner.write(lambda: self._svc.bulk.paste(writes, description=description),
                           done=lambda cs: self._written(cs, frozenset(cid for cid, _, _ in writes)),
                           failed=self._failed, owner=self.table, label=translate("grid.paste", "Pasting…"))

    def _written(self, change_set: ChangeSet, customers: frozenset[uuid.UUID]) -> None:
        self.busy = False
        f = formats.current()
        text = translate("grid.paste", "{description}: {changed} values changed").format(
            description=change_set.description, changed=f.number(change_set.changed)
        )
        if change_set.refused:
            text += translate("grid.paste", ", {refused} refused (restricted or outside your scope)").format(
                refused=f.number(change_set.refused)
            )
        self.said.emit(text + translate("grid.paste", ". Ctrl+Z undoes it."))
        self.customers_changed.emit(customers)

    def _failed(self, error: BaseException) -> None:
        self.busy = False
        _title, detail, errors = describe(error)
        self._refuse([detail, *(f"{k}: {v}" for k, v in errors.items())])

    def _refuse(self, problems: list[str]) -> None:
        self.problems = problems
        listed = problems[:MOST_LISTED]
        if len(problems) > MOST_LISTED:
            listed.append(translate("grid.paste", "… and {value} more.").format(value=len(problems) - MOST_LISTED))
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            translate("grid.paste", "Nothing was pasted"),
            translate(
                "grid.paste", "<b>Nothing was written:</b> {n_problems} of the cells cannot be taken as they are."
            ).format(n_problems=len(problems)),
            QMessageBox.StandardButton.Ok,
            self.table,
        )
        box.setObjectName("pasteProblems")
        box.setInformativeText("\n".join(f"• {p}" for p in listed))
        box.open()
        self.box = box
        self.said.emit(translate("grid.paste", "Nothing was pasted: {value}").format(value=problems[0]))
        self.refused.emit(problems)
