"""Undo a change set (Edit → Undo, Ctrl+Z: your newest one; the history window: any of yours).

The person is asked first, with what the change set did in words ("Undo 'Set ROI potential on
1.204 customers'?"). The undo is a new change set; values someone changed since stay, and the
result names them and who changed them. The grid then re-reads the customers it touched.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.errors import show_error
from desktop.i18n import translate
from desktop.reference import Reference
from desktop.stewardship import confirm, words
from desktop.workers import Runner
from services import formats
from services.service_layer.change_sets import ChangeSet

if TYPE_CHECKING:
    from services.service_layer.facade import Steward

MOST_ITEMS = 10_000          # past this many values, the whole grid is re-read instead of the customers named
MOST_LISTED = 12


@dataclass(frozen=True)
class Undone:
    change_set: ChangeSet                         # the new one (kind undo)
    customers: frozenset[uuid.UUID] | None        # those it changed (None: too many to name)
    names: dict[uuid.UUID, str]                   # of the customers whose values were refused


def undo_in_worker(svc: Steward, change_set_id: uuid.UUID) -> Undone:
    undone = svc.change_sets.undo(change_set_id)
    items = svc.change_sets.items(undone.id, limit=MOST_ITEMS)
    customers = frozenset(i.customer_id for i in items) if len(items) < MOST_ITEMS else None
    refused = sorted({r.customer_id for r in undone.refused_values})[:MOST_LISTED]
    names = {r.id: r.name for r in svc.customers.list(customer_ids=refused, limit=len(refused)).items} \
        if refused else {}
    return Undone(undone, customers, names)


class UndoController(QObject):
    undone = Signal(object)              # Undone
    customers_changed = Signal(object)   # frozenset of customer ids, or None for "re-read everything"
    said = Signal(str)

    def __init__(self, runner: Runner, svc: Steward, reference: Reference, parent: QWidget):
        super().__init__(parent)
        self._runner, self._svc, self._parent = runner, svc, parent
        self.words = words.ValueWords(reference)
        self.confirmation: QMessageBox | None = None
        self.result: QMessageBox | None = None
        self.busy = False

    def undo_last(self) -> None:
        """Ctrl+Z: your newest change set that can be undone, after asking."""
        self._runner.read(self._svc.change_sets.last_undoable, done=self._last_found, owner=self._parent,
                          label=translate("stewardship.undo", "Finding what to undo…"))

    def _last_found(self, change_set: ChangeSet | None) -> None:
        if change_set is None:
            self.said.emit(
                translate("stewardship.undo", "Nothing to undo: you have no change set that can still be undone.")
            )
            confirm.tell(
                self._parent,
                translate("stewardship.undo", "Nothing to undo"),
                translate("stewardship.undo", "You have no bulk change that can still be undone."),
            )
            return
        self.ask(change_set)

    def ask(self, change_set: ChangeSet, parent: QWidget | None = None) -> QMessageBox:
        f = formats.current()
        who = f" by {change_set.created_by_name}" if change_set.created_by_name else ""
        detail = translate(
            "stewardship.undo",
            "{kind}{who}, {created_at}: {summary}. Undo sets them back to what they were before, as a new change set (which can be undone too). Values someone changed since stay as they are.",
        ).format(
            kind=words.kind(change_set),
            who=who,
            created_at=f.moment(change_set.created_at),
            summary=words.summary(change_set),
        )
        self.confirmation = confirm.ask(
            parent or self._parent,
            translate("stewardship.undo", "Undo"),
            translate("stewardship.undo", "Undo “{description}”?").format(description=change_set.description),
            detail,
            translate("stewardship.undo", "Undo"),
            lambda: self.undo(change_set),
        )
        return self.confirmation

    def undo(self, change_set: ChangeSet) -> None:
        if self.busy:
            return
        self.busy = True
        self.said.emit(
            translate("stewardship.undo", "Undoing “{description}”…").format(description=change_set.description)
        )
        cid = change_set.id
        self._runner.write(lambda: undo_in_worker(self._svc, cid), done=self._done, failed=self._failed,
                           owner=self._parent, label=translate("stewardship.undo", "Undoing…"))

    def _done(self, result: Undone) -> None:
        self.busy = False
        cs = result.change_set
        f = formats.current()
        text = (
            translate("stewardship.undo", "Undone: {changed} value set back.")
            if cs.changed == 1
            else translate("stewardship.undo", "Undone: {changed} values set back.")
        ).format(changed=f.number(cs.changed))
        if cs.refused_values:
            lines = [self.words.refusal(r, result.names) for r in cs.refused_values[:MOST_LISTED]]
            if len(cs.refused_values) > MOST_LISTED:
                lines.append(
                    translate("stewardship.undo", "… and {number} more.").format(
                        number=f.number(len(cs.refused_values) - MOST_LISTED)
                    )
                )
            self.result = confirm.tell(
                self._parent,
                translate("stewardship.undo", "Undone, with exceptions"),
                translate("stewardship.undo", "{text} {number} were left as they are:").format(
                    text=text, number=f.number(len(cs.refused_values))
                ),
                "\n".join(f"• {line}" for line in lines),
                warning=True,
            )
            text += translate("stewardship.undo", " {number} left as they are (changed since).").format(
                number=f.number(len(cs.refused_values))
            )
        self.said.emit(text + translate("stewardship.undo", " Ctrl+Z redoes it."))
        self.customers_changed.emit(result.customers)
        self.undone.emit(result)

    def _failed(self, error: BaseException) -> None:
        self.busy = False
        show_error(self._parent, error, doing=translate("stewardship.undo", "The undo"))
