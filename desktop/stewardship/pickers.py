"""Pickers the stewardship dialogs share: a chain found by name, an owner among the region's people."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QWidget

from desktop.i18n import translate
from desktop.widgets import compact_combo
from desktop.workers import Runner

if TYPE_CHECKING:
    from services.service_layer.facade import Steward

SEARCH_DELAY_MS = 300
FOUND = 100


def find_chains(svc: Steward, text: str) -> list[tuple[uuid.UUID, str]]:
    """Worker side: chains whose name (or a location's) matches the words typed."""
    rows = svc.customers.list(**({"q": text} if text.strip() else {}), limit=FOUND).items
    chains: dict[uuid.UUID, str] = {}
    for row in rows:
        if row.is_chain:
            chains[row.id] = row.name
        elif row.chain_id is not None and row.chain_name:
            chains[row.chain_id] = row.chain_name
    return sorted(chains.items(), key=lambda c: c[1].casefold())


class ChainPicker(QWidget):
    """A chain (or none): type part of its name, choose among the chains found."""

    changed = Signal()

    def __init__(self, runner: Runner, svc: Steward, parent: QWidget | None = None, *,
                 none_text: str | None = None):
        super().__init__(parent)
        self._runner, self._svc = runner, svc
        self.search = QLineEdit(placeholderText=translate("stewardship.pickers", "Find a chain by name…"))
        self.search.setClearButtonEnabled(True)
        self.combo = compact_combo(16)
        self.combo.addItem(none_text or translate("stewardship.pickers", "No chain (a single location)"), None)
        self.combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.find)
        self.search.textEdited.connect(lambda _t: self._timer.start())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search, 2)
        layout.addWidget(self.combo, 3)

    def find(self) -> None:
        text = self.search.text()
        self._runner.read(lambda: find_chains(self._svc, text), done=self._found, owner=self,
                          failed=lambda _e: None, label=translate("stewardship.pickers", "Finding chains…"))

    def _found(self, chains: list[tuple[uuid.UUID, str]]) -> None:
        chosen, chosen_name = self.chain_id(), self.combo.currentText()
        self.combo.blockSignals(True)
        while self.combo.count() > 1:
            self.combo.removeItem(1)
        for chain_id, name in chains:
            self.combo.addItem(name, str(chain_id))
        if chosen is not None and self.combo.findData(str(chosen)) < 0:
            self.combo.addItem(chosen_name, str(chosen))
        self.combo.setCurrentIndex(max(0, self.combo.findData(str(chosen)) if chosen else 0))
        if chosen is None and chains and self.search.text().strip():
            self.combo.setCurrentIndex(1)      # typed a name: its first chain is the likely one
        self.combo.blockSignals(False)
        self.changed.emit()

    def chain_id(self) -> uuid.UUID | None:
        data = self.combo.currentData()
        return uuid.UUID(data) if data else None

    def set_chain(self, chain_id: Any, name: str | None) -> None:
        if chain_id is None:
            self.combo.setCurrentIndex(0)
            return
        if self.combo.findData(str(chain_id)) < 0:
            self.combo.addItem(name or str(chain_id), str(chain_id))
        self.combo.setCurrentIndex(self.combo.findData(str(chain_id)))


class OwnerPicker(QWidget):
    """One of the people who may own the customer (filled by the dialog from scope.owners_for)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, unassigned: bool = True):
        super().__init__(parent)
        self.combo = compact_combo(16)
        self._unassigned = unassigned
        self.combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)

    def set_people(self, people: list[tuple[uuid.UUID, str]], *, keep: Any = None) -> None:
        wanted = keep if keep is not None else self.owner_id()
        self.combo.blockSignals(True)
        self.combo.clear()
        if self._unassigned:
            self.combo.addItem(translate("stewardship.pickers", "Nobody yet (unassigned)"), None)
        for person_id, name in people:
            self.combo.addItem(name, str(person_id))
        index = self.combo.findData(str(wanted)) if wanted is not None else -1
        self.combo.setCurrentIndex(index if index >= 0 else (1 if self._unassigned and len(people) == 1 else 0))
        self.combo.blockSignals(False)
        self.changed.emit()

    def owner_id(self) -> uuid.UUID | None:
        data = self.combo.currentData()
        return uuid.UUID(data) if data else None

    def owner_name(self) -> str:
        return self.combo.currentText()
