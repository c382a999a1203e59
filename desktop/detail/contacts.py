"""A customer's contacts and the roles they hold there (labels from the pack's contact roles), how the
customer can be reached, and the buttons to add, edit, link and unlink contacts."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from desktop.detail.records import RecordsTab
from desktop.errors import show_error
from desktop.i18n import translate
from desktop.reference import Reference
from desktop.stewardship import confirm
from desktop.stewardship.contact_dialogs import (CONTACTABILITY, ContactabilityDialog, ContactDialog,
                                                 LinkContactDialog)
from desktop.workers import Runner
from services.service_layer.customers import Contact, Customer

if TYPE_CHECKING:
    from services.service_layer.facade import Steward


class ContactsTab(RecordsTab):
    headers = (
        QT_TRANSLATE_NOOP("detail.records", "Name"),
        QT_TRANSLATE_NOOP("detail.records", "Roles"),
        QT_TRANSLATE_NOOP("detail.records", "E-mail"),
        QT_TRANSLATE_NOOP("detail.records", "Phone"),
        QT_TRANSLATE_NOOP("detail.records", "Contact?"),
    )
    stretch = (0, 1, 2)
    empty_text = QT_TRANSLATE_NOOP("detail.records", "No contacts recorded for this customer.")
    what = QT_TRANSLATE_NOOP("detail.records", "contacts")

    def __init__(self, runner: Runner, svc: Steward, reference: Reference, parent: QWidget | None = None):
        super().__init__(runner, svc, parent)
        self._reference = reference
        self._roles = dict(reference.contact_roles)
        self.customer: Customer | None = None
        self.dialog: QWidget | None = None
        self.reach = QLabel()
        self.reach.setObjectName("contactability")
        self.reach.setWordWrap(True)
        self.reach_button = QPushButton(translate("detail.contacts", "Contactability…"))
        self.reach_button.setObjectName("setContactability")
        self.reach_button.clicked.connect(self.open_contactability)
        reach_row = QHBoxLayout()
        reach_row.addWidget(self.reach, 1)
        reach_row.addWidget(self.reach_button)
        self.layout().insertLayout(0, reach_row)
        self.add_button(translate("detail.contacts", "Add contact…"), self.open_add, "addContact")
        self.add_button(translate("detail.contacts", "Link existing…"), self.open_link, "linkContact")
        self.edit_button = self.add_button(
            translate("detail.contacts", "Edit…"), self.open_edit, "editContact", needs_selection=True
        )
        self.unlink_button = self.add_button(
            translate("detail.contacts", "Remove from this customer"),
            self.unlink,
            "unlinkContact",
            needs_selection=True,
        )
        self.table.doubleClicked.connect(lambda _i: self.open_edit())

    def load(self, customer_id: uuid.UUID) -> None:
        super().load(customer_id)
        self._runner.read(lambda: self._svc.customers.get(customer_id), done=self._show_customer, owner=self,
                          failed=lambda _e: None, label=translate("detail.contacts", "Loading the customer…"))

    def fetch(self, customer_id: uuid.UUID) -> list[Contact]:
        return self._svc.customers.contacts(customer_id)

    def cells(self, c: Contact) -> list[str]:
        return [
            c.full_name,
            ", ".join(self._roles.get(r, r) for r in c.roles),
            c.email or "",
            c.phone or "",
            translate("detail.contacts", "Do not contact") if c.do_not_contact else translate("detail.contacts", "Yes"),
        ]

    def _show_customer(self, customer: Customer) -> None:
        if customer.id != self.customer_id:
            return
        self.customer = customer
        text = translate("detail.contacts", "Contactability: {contactability_status}").format(
            contactability_status=translate(
                "stewardship.contact_dialogs",
                CONTACTABILITY.get(customer.contactability_status, customer.contactability_status),
            )
        )
        if customer.alternate_channel_required:
            text += translate("detail.contacts", " — use another channel")
        if customer.contactability_reason:
            text += f" ({customer.contactability_reason})"
        self.reach.setText(text)

    # ---------------------------------------------------------------- writes

    def _open(self, dialog) -> None:
        dialog.saved.connect(lambda _result: self._written())
        self.dialog = dialog
        dialog.open()

    def _written(self) -> None:
        if self.customer_id is not None:
            self.changed.emit(self.customer_id)     # the pane re-reads this tab and the header

    def open_add(self) -> None:
        if self.customer_id is not None:
            self._open(ContactDialog(self._runner, self._svc, self._reference, self.customer_id, parent=self))

    def open_edit(self) -> None:
        contact = self.selected()
        if self.customer_id is not None and contact is not None:
            self._open(ContactDialog(self._runner, self._svc, self._reference, self.customer_id, contact, self))

    def open_link(self) -> None:
        if self.customer_id is not None:
            self._open(LinkContactDialog(self._runner, self._svc, self._reference, self.customer_id, self))

    def open_contactability(self) -> None:
        if self.customer is not None and self.customer.id == self.customer_id:
            self._open(ContactabilityDialog(self._runner, self._svc, self.customer, self))

    def unlink(self) -> None:
        contact, cid = self.selected(), self.customer_id
        if contact is None or cid is None:
            return
        name = self.customer.name if self.customer else translate("detail.contacts", "this customer")

        def go() -> None:
            self._runner.write(
                lambda: self._svc.customers.unlink_contact(contact.id, cid),
                owner=self,
                done=lambda _r: self._written(),
                label=translate("detail.contacts", "Removing the contact…"),
                failed=lambda e: show_error(self, e, doing=translate("detail.contacts", "Removing the contact")),
            )

        self.dialog = confirm.ask(
            self,
            translate("detail.contacts", "Remove contact"),
            translate("detail.contacts", "Remove {full_name} from {name}?").format(
                full_name=contact.full_name, name=name
            ),
            translate("detail.contacts", "The person keeps their roles at other customers."),
            translate("detail.contacts", "Remove"),
            go,
        )
