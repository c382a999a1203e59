"""New customer (Ctrl+N): a single location, a chain, or a location of a chain, in the person's
region, with an owner of that region (a rep's new customer is their own)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLineEdit, QRadioButton, QWidget

from desktop.i18n import Texts, translate
from desktop.reference import Reference
from desktop.stewardship import scope
from desktop.stewardship.form import StewardForm
from desktop.stewardship.pickers import ChainPicker, OwnerPicker
from desktop.widgets import compact_combo
from desktop.workers import Runner

if TYPE_CHECKING:
    from services.service_layer.facade import Steward

SINGLE, CHAIN, LOCATION = "single", "chain", "location"
COVERAGE = Texts(
    "stewardship.new_customer",
    {
        "OWNER_ONLY": QT_TRANSLATE_NOOP("stewardship.new_customer", "Owner only"),
        "CHAIN_SHARED": QT_TRANSLATE_NOOP("stewardship.new_customer", "Shared across the chain"),
    },
)


class NewCustomerDialog(StewardForm):
    created = Signal(object)     # Customer
    aliases = {"parent_account_id": "chain", "coverage_policy": "coverage", "is_chain": "kind"}

    def __init__(self, runner: Runner, svc: Steward, reference: Reference, parent: QWidget | None = None):
        super().__init__(
            translate("stewardship.new_customer", "New customer"),
            translate("stewardship.new_customer", "Create customer"),
            translate("stewardship.new_customer", "Creating…"),
            parent,
        )
        self.setObjectName("newCustomerDialog")
        self._runner, self._svc, self._reference = runner, svc, reference
        actor = reference.actor
        self._people: list[Any] = []

        self.name = QLineEdit(
            placeholderText=translate("stewardship.new_customer", "e.g. Betriebsrestaurant Hafencity")
        )
        self.name.setMaxLength(200)
        self.city = QLineEdit(placeholderText=translate("stewardship.new_customer", "e.g. Hamburg"))
        self.city.setMaxLength(200)
        self.region = compact_combo(12)
        regions = scope.regions_for(actor, reference.regions)
        if len(regions) > 1:
            self.region.addItem(translate("stewardship.new_customer", "— choose a region —"), None)
        for code, label in regions.items():
            self.region.addItem(label, code)
        if actor.region and self.region.findData(actor.region) >= 0:
            self.region.setCurrentIndex(self.region.findData(actor.region))
        self.region.setEnabled(len(regions) > 1)

        self.kind_group = QButtonGroup(self)
        kinds = QWidget()
        row = QHBoxLayout(kinds)
        row.setContentsMargins(0, 0, 0, 0)
        for key, text in (
            (SINGLE, translate("stewardship.new_customer", "Single location")),
            (CHAIN, translate("stewardship.new_customer", "Chain")),
            (LOCATION, translate("stewardship.new_customer", "Location of a chain")),
        ):
            button = QRadioButton(text)
            button.setObjectName(f"kind_{key}")
            button.setProperty("kind", key)
            self.kind_group.addButton(button)
            row.addWidget(button)
        row.addStretch(1)
        single, chain, location = self.kind_group.buttons()
        single.setChecked(True)
        chain.setEnabled(scope.may_create_chains(actor))
        location.setEnabled(scope.may_set_chain(actor))
        self.kind_group.buttonToggled.connect(lambda *_: self._kind_changed())

        self.chain = ChainPicker(runner, svc, none_text=translate("stewardship.new_customer", "— choose a chain —"))
        self.owner = OwnerPicker(unassigned=actor.role != scope.SALES_REP)
        self.coverage = compact_combo(12)
        self.coverage.addItem(translate("stewardship.new_customer", "As the chain has it"), None)
        for code, label in COVERAGE.items():
            self.coverage.addItem(label, code)
        self.coverage.setEnabled(scope.may_set_chain(actor))

        self.add_row("name", translate("stewardship.new_customer", "Name *"), self.name)
        self.add_row("city", translate("stewardship.new_customer", "City"), self.city)
        self.add_row("region", translate("stewardship.new_customer", "Region *"), self.region)
        self.add_row("kind", translate("stewardship.new_customer", "Kind"), kinds)
        self.add_row("chain", translate("stewardship.new_customer", "Chain"), self.chain)
        owner_hint = (
            translate("stewardship.new_customer", "Your new customers are your own.")
            if actor.role == scope.SALES_REP
            else translate("stewardship.new_customer", "The sales people of the region.")
        )
        self.add_row("owner", translate("stewardship.new_customer", "Owner"), self.owner, owner_hint)
        self.add_row("coverage", translate("stewardship.new_customer", "Coverage"), self.coverage)
        self.external_ref = QLineEdit(
            placeholderText=translate("stewardship.new_customer", "optional, e.g. the ERP customer number")
        )
        self.add_row("external_ref", translate("stewardship.new_customer", "External reference"), self.external_ref)
        self.region.currentIndexChanged.connect(lambda _i: self._fill_owners())
        self.resize(640, self.sizeHint().height())
        self._kind_changed()
        self._fill_owners()
        runner.read(svc.users.list, done=self._people_loaded, owner=self, failed=lambda _e: None,
                    label=translate("stewardship.new_customer", "Loading people…"))
        if scope.may_set_chain(actor):
            self.chain.find()

    # ---------------------------------------------------------------- inputs

    def kind(self) -> str:
        checked = self.kind_group.checkedButton()
        return checked.property("kind") if checked else SINGLE

    def set_kind(self, kind: str) -> None:
        self.findChild(QRadioButton, f"kind_{kind}").setChecked(True)

    def _kind_changed(self) -> None:
        self.chain.setEnabled(self.kind() == LOCATION)

    def _people_loaded(self, people: list[Any]) -> None:
        self._people = people
        self._fill_owners()

    def _fill_owners(self) -> None:
        self.owner.set_people(scope.owners_for(self._reference.actor, self._people, self.region.currentData()))

    def values(self) -> dict[str, Any]:
        """Keyword arguments for svc.customers.create."""
        kind = self.kind()
        owner = self.owner.owner_id()
        return {
            "name": self.name.text().strip(),
            "region": self.region.currentData(),
            "city": self.city.text().strip() or None,
            "owner": str(owner) if owner else None,
            "is_chain": kind == CHAIN,
            "parent_account_id": self.chain.chain_id() if kind == LOCATION else None,
            "coverage_policy": self.coverage.currentData(),
            "external_ref": self.external_ref.text().strip() or None,
        }

    def problems(self) -> dict[str, str]:
        problems = {}
        if not self.name.text().strip():
            problems["name"] = translate("stewardship.new_customer", "Give the customer a name.")
        if self.region.currentData() is None:
            problems["region"] = translate("stewardship.new_customer", "Choose a region.")
        if self.kind() == LOCATION and self.chain.chain_id() is None:
            problems["chain"] = translate("stewardship.new_customer", "Choose the chain this location belongs to.")
        return problems

    def save(self) -> None:
        values = self.values()
        self.run(
            self._runner,
            lambda: self._svc.customers.create(**values),
            label=translate("stewardship.new_customer", "Creating the customer…"),
            done=self.created.emit,
        )
