"""A customer's contacts: add one, edit one (its name, e-mail, phone, do-not-contact, and the roles it
holds here), link a contact of another customer; and the customer's contactability with its reason."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QTimer, Qt, Signal
from PySide6.QtWidgets import QCheckBox, QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit, QWidget

from desktop.i18n import translate
from desktop.reference import Reference
from desktop.stewardship.form import StewardForm
from desktop.widgets import MultiChoice, compact_combo
from desktop.workers import Runner
from services.service_layer.customers import Contact, Customer

if TYPE_CHECKING:
    from services.service_layer.facade import Steward

CONTACTABILITY = {
    "OK": QT_TRANSLATE_NOOP("stewardship.contact_dialogs", "Reachable"),
    "SOFT_BOUNCE": QT_TRANSLATE_NOOP("stewardship.contact_dialogs", "Soft bounce (try again later)"),
    "HARD_BOUNCE": QT_TRANSLATE_NOOP("stewardship.contact_dialogs", "Hard bounce (address invalid)"),
    "DO_NOT_CONTACT": QT_TRANSLATE_NOOP("stewardship.contact_dialogs", "Do not contact"),
}


def save_contact(svc: Steward, customer_id: uuid.UUID, contact: Contact | None, values: dict[str, Any],
                 roles: list[str]) -> Contact:
    """Worker side: create the contact, or change it and its roles at this customer."""
    if contact is None:
        made = svc.customers.add_contact(customer_id, values["full_name"], roles, email=values["email"],
                                         phone=values["phone"])
        if values["do_not_contact"]:
            made = svc.customers.update_contact(made.id, do_not_contact=True)
        return made
    changes = {k: v for k, v in values.items() if getattr(contact, k) != v}
    if changes:
        svc.customers.update_contact(contact.id, **changes)
    added = [r for r in roles if r not in contact.roles]
    if added:
        svc.customers.link_contact(contact.id, customer_id, added)
    for role in contact.roles:
        if role not in roles:
            svc.customers.unlink_contact(contact.id, customer_id, role)
    return next(c for c in svc.customers.contacts(customer_id) if c.id == contact.id)


class ContactDialog(StewardForm):
    saved = Signal(object)     # Contact

    def __init__(self, runner: Runner, svc: Steward, reference: Reference, customer_id: uuid.UUID,
                 contact: Contact | None = None, parent: QWidget | None = None):
        super().__init__(
            (
                translate("stewardship.contact_dialogs", "Edit contact")
                if contact
                else translate("stewardship.contact_dialogs", "Add contact")
            ),
            (
                translate("stewardship.contact_dialogs", "Save")
                if contact
                else translate("stewardship.contact_dialogs", "Add contact")
            ),
            translate("stewardship.contact_dialogs", "Saving…"),
            parent,
        )
        self.setObjectName("contactDialog")
        self._runner, self._svc, self.customer_id, self.contact = runner, svc, customer_id, contact
        self.full_name = QLineEdit(contact.full_name if contact else "")
        self.full_name.setPlaceholderText(translate("stewardship.contact_dialogs", "e.g. Jürgen Weißenböck"))
        self.email = QLineEdit((contact.email or "") if contact else "")
        self.email.setPlaceholderText(translate("stewardship.contact_dialogs", "name@example.de"))
        self.phone = QLineEdit((contact.phone or "") if contact else "")
        self.phone.setPlaceholderText("+49 40 1234567")
        self.roles = MultiChoice(none_text=translate("stewardship.contact_dialogs", "— choose at least one —"))
        self.roles.set_codes(list(reference.contact_roles), dict(reference.contact_roles))
        self.roles.set_values(list(contact.roles) if contact else [])
        self.do_not_contact = QCheckBox(
            translate("stewardship.contact_dialogs", "Do not contact this person (any channel)")
        )
        self.do_not_contact.setChecked(bool(contact and contact.do_not_contact))
        self.add_row("full_name", translate("stewardship.contact_dialogs", "Name *"), self.full_name)
        self.add_row("roles", translate("stewardship.contact_dialogs", "Roles here *"), self.roles)
        self.add_row("email", translate("stewardship.contact_dialogs", "E-mail"), self.email)
        self.add_row("phone", translate("stewardship.contact_dialogs", "Phone"), self.phone)
        self.add_row("do_not_contact", "", self.do_not_contact)
        self.resize(520, self.sizeHint().height())

    def values(self) -> dict[str, Any]:
        return {"full_name": self.full_name.text().strip(), "email": self.email.text().strip() or None,
                "phone": self.phone.text().strip() or None, "do_not_contact": self.do_not_contact.isChecked()}

    def problems(self) -> dict[str, str]:
        problems = {}
        if not self.full_name.text().strip():
            problems["full_name"] = translate("stewardship.contact_dialogs", "Give the contact's name.")
        if not self.roles.values():
            problems["roles"] = translate("stewardship.contact_dialogs", "Choose the role(s) this person holds here.")
        return problems

    def save(self) -> None:
        values, roles, cid, contact = self.values(), self.roles.values(), self.customer_id, self.contact
        self.run(self._runner, lambda: save_contact(self._svc, cid, contact, values, roles),
                 label=translate("stewardship.contact_dialogs", "Saving the contact…"), done=self.saved.emit)


class LinkContactDialog(StewardForm):
    """An existing contact of another customer takes a role here too (one person, one record)."""

    saved = Signal(object)     # Contact

    def __init__(self, runner: Runner, svc: Steward, reference: Reference, customer_id: uuid.UUID,
                 parent: QWidget | None = None):
        super().__init__(
            translate("stewardship.contact_dialogs", "Link an existing contact"),
            translate("stewardship.contact_dialogs", "Link contact"),
            translate("stewardship.contact_dialogs", "Linking…"),
            parent,
        )
        self.setObjectName("linkContactDialog")
        self._runner, self._svc, self.customer_id = runner, svc, customer_id
        self.search = QLineEdit(
            placeholderText=translate("stewardship.contact_dialogs", "Find the customer the contact works for…")
        )
        self.found = QListWidget()
        self.found.setMinimumHeight(160)
        self.roles = MultiChoice(none_text=translate("stewardship.contact_dialogs", "— choose at least one —"))
        self.roles.set_codes(list(reference.contact_roles), dict(reference.contact_roles))
        self._role_labels = dict(reference.contact_roles)
        self.add_row("search", translate("stewardship.contact_dialogs", "Customer"), self.search)
        self.add_row("contact", translate("stewardship.contact_dialogs", "Contact"), self.found)
        self.add_row("roles", translate("stewardship.contact_dialogs", "Roles here *"), self.roles)
        self._timer = QTimer(self, singleShot=True, interval=300)
        self._timer.timeout.connect(self.find)
        self.search.textEdited.connect(lambda _t: self._timer.start())
        self.resize(560, self.sizeHint().height())

    def find(self) -> None:
        text, here = self.search.text().strip(), self.customer_id
        if not text:
            return

        def contacts() -> list[tuple[str, Contact]]:
            found = []
            for row in self._svc.customers.list(q=text, limit=10).items:
                if row.id != here:
                    found.extend((row.name, c) for c in self._svc.customers.contacts(row.id))
            return found

        self._runner.read(
            contacts,
            done=self._found,
            owner=self,
            label=translate("stewardship.contact_dialogs", "Finding contacts…"),
            failed=lambda e: self.show_problems(
                {}, translate("stewardship.contact_dialogs", "Could not search: {e}").format(e=e)
            ),
        )

    def _found(self, found: list[tuple[str, Contact]]) -> None:
        self.found.clear()
        for customer_name, contact in found:
            roles = ", ".join(self._role_labels.get(r, r) for r in contact.roles)
            item = QListWidgetItem(
                translate("stewardship.contact_dialogs", "{full_name} — {roles} at {customer_name}").format(
                    full_name=contact.full_name, roles=roles, customer_name=customer_name
                )
            )
            item.setData(Qt.ItemDataRole.UserRole, str(contact.id))
            self.found.addItem(item)
        if found:
            self.found.setCurrentRow(0)

    def contact_id(self) -> uuid.UUID | None:
        item = self.found.currentItem()
        return uuid.UUID(item.data(Qt.ItemDataRole.UserRole)) if item else None

    def problems(self) -> dict[str, str]:
        problems = {}
        if self.contact_id() is None:
            problems["contact"] = translate("stewardship.contact_dialogs", "Find and choose the contact.")
        if not self.roles.values():
            problems["roles"] = translate("stewardship.contact_dialogs", "Choose the role(s) this person holds here.")
        return problems

    def save(self) -> None:
        contact, cid, roles = self.contact_id(), self.customer_id, self.roles.values()
        self.run(self._runner, lambda: self._svc.customers.link_contact(contact, cid, roles),
                 label=translate("stewardship.contact_dialogs", "Linking the contact…"), done=self.saved.emit)


class ContactabilityDialog(StewardForm):
    saved = Signal(object)     # Customer

    def __init__(self, runner: Runner, svc: Steward, customer: Customer, parent: QWidget | None = None):
        super().__init__(
            translate("stewardship.contact_dialogs", "Contactability — {name}").format(name=customer.name),
            translate("stewardship.contact_dialogs", "Save"),
            translate("stewardship.contact_dialogs", "Saving…"),
            parent,
        )
        self.setObjectName("contactabilityDialog")
        self._runner, self._svc, self.customer = runner, svc, customer
        self.status = compact_combo(14)
        for code, label in CONTACTABILITY.items():
            label = translate("stewardship.contact_dialogs", label)
            self.status.addItem(label, code)
        self.status.setCurrentIndex(max(0, self.status.findData(customer.contactability_status)))
        self.alternate = QCheckBox(translate("stewardship.contact_dialogs", "Use another channel than the usual one"))
        self.alternate.setChecked(customer.alternate_channel_required)
        self.reason = QPlainTextEdit(customer.contactability_reason or "")
        self.reason.setPlaceholderText(
            translate("stewardship.contact_dialogs", "Why, e.g. “Mailbox full since March; reach the chef by phone.”")
        )
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 14)
        self.add_row("status", translate("stewardship.contact_dialogs", "Status"), self.status)
        self.add_row("alternate_channel_required", "", self.alternate)
        self.add_row("reason", translate("stewardship.contact_dialogs", "Reason"), self.reason)
        self.resize(520, self.sizeHint().height())

    def problems(self) -> dict[str, str]:
        if self.status.currentData() != "OK" and not self.reason.toPlainText().strip():
            return {
                "reason": translate("stewardship.contact_dialogs", "Say why the customer cannot be reached as usual.")
            }
        return {}

    def save(self) -> None:
        cid, status = self.customer.id, self.status.currentData()
        alternate, reason = self.alternate.isChecked(), self.reason.toPlainText().strip() or None
        self.run(self._runner, lambda: self._svc.customers.set_contactability(
            cid, status, alternate_channel_required=alternate, reason=reason),
            label=translate("stewardship.contact_dialogs", "Saving contactability…"), done=self.saved.emit)
