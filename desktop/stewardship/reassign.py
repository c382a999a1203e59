"""Reassign (Customer → Reassign…, also from the grid's context menu): give the selected customers
another owner — team leads within their region, admins anywhere — as one change set."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QWidget

from desktop.i18n import translate
from desktop.reference import Reference
from desktop.stewardship import scope
from desktop.stewardship.form import StewardForm
from desktop.stewardship.pickers import OwnerPicker
from desktop.workers import Runner
from services import formats

if TYPE_CHECKING:
    from services.service_layer.facade import Steward

NAMES_SHOWN = 5


def owners(actor: Any, people: list[Any], regions: dict[str, str]) -> list[tuple[uuid.UUID, str]]:
    """Whom this person may give customers: a team lead the people of their region, an admin the sales
    people of every region (with the region beside the name)."""
    if actor.role == scope.TEAM_LEAD:
        return scope.owners_for(actor, people, actor.region)
    chosen = [(p.id, f"{p.display_name} ({regions.get(p.region, p.region or '—')})") for p in people
              if p.active and p.role in scope.OWNING_ROLES]
    return sorted(chosen, key=lambda p: p[1].casefold())


class ReassignDialog(StewardForm):
    reassigned = Signal(object)      # the ChangeSet

    def __init__(self, runner: Runner, svc: Steward, reference: Reference, customers: list[tuple[uuid.UUID, str]],
                 parent: QWidget | None = None):
        n = len(customers)
        f = formats.current()
        self.count = (translate("stewardship.reassign", "{n} customer") if n == 1 else
                      translate("stewardship.reassign", "{n} customers")).format(n=f.number(n))
        super().__init__(
            translate("stewardship.reassign", "Reassign customers"),
            translate("stewardship.reassign", "Reassign {count}").format(count=self.count),
            translate("stewardship.reassign", "Reassigning…"),
            parent,
        )
        self.setObjectName("reassignDialog")
        self._runner, self._svc, self._reference = runner, svc, reference
        self.ids = [cid for cid, _ in customers]
        names = ", ".join(name for _, name in customers[:NAMES_SHOWN])
        if n > NAMES_SHOWN:
            names += translate("stewardship.reassign", " and {number} more").format(number=f.number(n - NAMES_SHOWN))
        intro = QLabel(f"<b>{self.count}</b>: {names}")
        intro.setWordWrap(True)
        self.owner = OwnerPicker(unassigned=False)
        self.owner.changed.connect(self._owner_changed)
        self.add_row("customers", translate("stewardship.reassign", "Customers"), intro)
        self.add_row(
            "owner",
            translate("stewardship.reassign", "New owner"),
            self.owner,
            (
                translate("stewardship.reassign", "People of your region.")
                if reference.actor.role == scope.TEAM_LEAD
                else ""
            ),
        )
        self.submit_button.setEnabled(False)
        self.resize(560, self.sizeHint().height())
        runner.read(
            svc.users.list,
            done=self._people_loaded,
            owner=self,
            label=translate("stewardship.reassign", "Loading people…"),
            failed=lambda e: self.show_problems(
                {}, translate("stewardship.reassign", "The people could not be loaded: {e}").format(e=e)
            ),
        )

    def _people_loaded(self, people: list[Any]) -> None:
        self.owner.set_people(owners(self._reference.actor, people, self._reference.regions))

    def _owner_changed(self) -> None:
        self.submit_button.setEnabled(self.owner.owner_id() is not None and not self.busy)

    def problems(self) -> dict[str, str]:
        return {} if self.owner.owner_id() else {"owner": translate("stewardship.reassign", "Choose the new owner.")}

    def save(self) -> None:
        ids, owner = list(self.ids), str(self.owner.owner_id())
        self.run(
            self._runner,
            lambda: self._svc.customers.reassign(ids, owner),
            label=translate("stewardship.reassign", "Reassigning…"),
            done=self.reassigned.emit,
        )
