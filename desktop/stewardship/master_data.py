"""Master data of one customer: name, city, region, coverage, chain, external reference, saved with
the customer's ETag. When someone else saved the customer meanwhile, nothing is overwritten: the
conflict dialog shows their values beside yours and you choose, per value."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from desktop.conflict import MINE, ConflictDialog
from desktop.i18n import Texts, translate
from desktop.reference import Reference
from desktop.stewardship import scope
from desktop.stewardship.form import StewardForm
from desktop.stewardship.new_customer import COVERAGE
from desktop.stewardship.pickers import ChainPicker
from desktop.widgets import compact_combo
from desktop.workers import Runner
from services.errors import PreconditionFailed
from services.service_layer.customers import Customer

if TYPE_CHECKING:
    from services.service_layer.facade import Steward

LABELS = Texts(
    "stewardship.master_data",
    {
        "name": QT_TRANSLATE_NOOP("stewardship.master_data", "Name"),
        "city": QT_TRANSLATE_NOOP("stewardship.master_data", "City"),
        "region": QT_TRANSLATE_NOOP("stewardship.master_data", "Region"),
        "coverage_policy": QT_TRANSLATE_NOOP("stewardship.master_data", "Coverage"),
        "parent_account_id": QT_TRANSLATE_NOOP("stewardship.master_data", "Chain"),
        "external_ref": QT_TRANSLATE_NOOP("stewardship.master_data", "External reference"),
    },
)


class MasterDataDialog(StewardForm):
    saved = Signal(object)               # Customer
    conflict_opened = Signal(object)     # ConflictDialog
    aliases = {"parent_account_id": "chain", "coverage_policy": "coverage"}

    def __init__(self, runner: Runner, svc: Steward, reference: Reference, customer: Customer,
                 parent: QWidget | None = None):
        super().__init__(
            translate("stewardship.master_data", "Master data — {name}").format(name=customer.name),
            translate("stewardship.master_data", "Save"),
            translate("stewardship.master_data", "Saving…"),
            parent,
        )
        self.setObjectName("masterDataDialog")
        self._runner, self._svc, self._reference = runner, svc, reference
        self.base = customer
        self.conflict: ConflictDialog | None = None
        actor = reference.actor

        self.name = QLineEdit()
        self.name.setMaxLength(200)
        self.city = QLineEdit()
        self.city.setMaxLength(200)
        self.region = compact_combo(12)
        for code, label in reference.regions.items():
            self.region.addItem(label, code)
        self.region.setEnabled(scope.may_move_region(actor))
        self.coverage = compact_combo(12)
        for code, label in COVERAGE.items():
            self.coverage.addItem(label, code)
        self.coverage.setEnabled(scope.may_set_chain(actor))
        self.chain = ChainPicker(runner, svc)
        self.chain.setEnabled(scope.may_set_chain(actor) and not customer.is_chain)
        self.external_ref = QLineEdit()
        self.external_ref.setMaxLength(200)

        self.add_row("name", translate("stewardship.master_data", "Name *"), self.name)
        self.add_row("city", translate("stewardship.master_data", "City"), self.city)
        self.add_row(
            "region",
            translate("stewardship.master_data", "Region"),
            self.region,
            (
                ""
                if self.region.isEnabled()
                else translate("stewardship.master_data", "Only admins move a customer to another region.")
            ),
        )
        self.add_row(
            "coverage",
            translate("stewardship.master_data", "Coverage"),
            self.coverage,
            (
                translate("stewardship.master_data", "A chain's coverage applies to all its locations.")
                if customer.is_chain
                else ""
            ),
        )
        self.add_row(
            "chain",
            translate("stewardship.master_data", "Chain"),
            self.chain,
            translate("stewardship.master_data", "This customer is a chain.") if customer.is_chain else "",
        )
        self.add_row("external_ref", translate("stewardship.master_data", "External reference"), self.external_ref)
        self.show_customer(customer)
        self.resize(600, self.sizeHint().height())

    def show_customer(self, customer: Customer, keep: dict[str, Any] | None = None) -> None:
        """Fill the inputs from `customer`, with `keep` (values by key) typed over them."""
        self.base = customer
        values = {**self.stored(customer), **(keep or {})}
        self.name.setText(values["name"] or "")
        self.city.setText(values["city"] or "")
        self.region.setCurrentIndex(max(0, self.region.findData(values["region"])))
        self.coverage.setCurrentIndex(max(0, self.coverage.findData(values["coverage_policy"])))
        chain_name = customer.chain_name if values["parent_account_id"] == customer.parent_account_id else None
        self.chain.set_chain(values["parent_account_id"], chain_name)
        self.external_ref.setText(values["external_ref"] or "")

    @staticmethod
    def stored(customer: Customer) -> dict[str, Any]:
        return {"name": customer.name, "city": customer.city, "region": customer.region,
                "coverage_policy": customer.coverage_policy, "parent_account_id": customer.parent_account_id,
                "external_ref": customer.external_ref}

    def typed(self) -> dict[str, Any]:
        return {"name": self.name.text().strip(), "city": self.city.text().strip() or None,
                "region": self.region.currentData(), "coverage_policy": self.coverage.currentData(),
                "parent_account_id": self.chain.chain_id(), "external_ref": self.external_ref.text().strip() or None}

    def changes(self) -> dict[str, Any]:
        stored = self.stored(self.base)
        return {key: value for key, value in self.typed().items() if value != stored[key]}

    def problems(self) -> dict[str, str]:
        return (
            {"name": translate("stewardship.master_data", "A customer needs a name.")}
            if not self.name.text().strip()
            else {}
        )

    def save(self) -> None:
        changes = self.changes()
        if not changes:
            self.accept()
            return
        cid, etag = self.base.id, self.base.etag
        sent = {k: (str(v) if k == "parent_account_id" and v is not None else v) for k, v in changes.items()}
        self.run(
            self._runner,
            lambda: self._svc.customers.update(cid, if_match=etag, **sent),
            label=translate("stewardship.master_data", "Saving master data…"),
            done=self.saved.emit,
            refused=self._refused,
        )

    # ------------------------------------------------------------ conflicts

    def _refused(self, error: BaseException) -> bool:
        if not isinstance(error, PreconditionFailed):
            return False
        self.banner.say(
            translate("stewardship.master_data", "Someone else changed this customer meanwhile; comparing…"), "warning"
        )
        cid = self.base.id
        self._runner.read(
            lambda: self._svc.customers.get(cid),
            done=self._compare,
            owner=self,
            failed=lambda e: self.show_problems({}, translate("stewardship.master_data", "Not saved. {e}").format(e=e)),
            label=translate("stewardship.master_data", "Reloading the customer…"),
        )
        return True

    def _compare(self, current: Customer) -> None:
        mine = self.changes()
        original, theirs = self.stored(self.base), self.stored(current)
        if all(theirs[k] == original[k] for k in mine):
            # They changed other values only: take theirs, keep yours, save again.
            self.show_customer(current, mine)
            self.banner.say(
                translate("stewardship.master_data", "Merged with changes someone else saved meanwhile; saving…"),
                "info",
            )
            self.save()
            return
        texts = {name: {k: self.text(k, v, current) for k, v in values.items()}
                 for name, values in (("original", original), ("mine", mine), ("theirs", theirs))}
        self.conflict = ConflictDialog(LABELS, texts["original"], texts["mine"], texts["theirs"], self)
        self.conflict.setWindowTitle(
            translate("stewardship.master_data", "{name} was changed meanwhile").format(name=current.name)
        )
        self.conflict.accepted.connect(lambda: self._resolved(current, mine))
        self.conflict.rejected.connect(
            lambda: self.banner.say(
                translate(
                    "stewardship.master_data",
                    "Not saved: someone else changed this customer. Your values are kept; save again to compare.",
                ),
                "warning",
            )
        )
        self.banner.say(translate("stewardship.master_data", "Not saved yet: choose which values to keep."), "warning")
        self.conflict.open()
        self.conflict_opened.emit(self.conflict)

    def _resolved(self, current: Customer, mine: dict[str, Any]) -> None:
        dialog, self.conflict = self.conflict, None
        kept = {k: v for k, v in mine.items() if dialog is not None and dialog.choice(k) == MINE}
        self.show_customer(current, kept)
        if self.changes():
            self.save()
        else:
            self.banner.say(
                translate("stewardship.master_data", "Kept the saved values; nothing left to save."), "success"
            )

    def text(self, key: str, value: Any, current: Customer) -> str | None:
        """A value as the person reads it: labels, not codes or ids."""
        if value is None:
            return None
        if key == "region":
            return self._reference.regions.get(value, value)
        if key == "coverage_policy":
            return COVERAGE.get(value, value)
        if key == "parent_account_id":
            if value == current.parent_account_id and current.chain_name:
                return current.chain_name
            if value == self.base.parent_account_id and self.base.chain_name:
                return self.base.chain_name
            return self.chain.combo.itemText(max(0, self.chain.combo.findData(str(value))))
        return str(value)
