"""A customer's contacts and the roles they hold there."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from desktop.detail.records import RecordsTab
from desktop.reference import Reference
from desktop.workers import Runner
from services.service_layer.customers import Contact

if TYPE_CHECKING:
    from services.service_layer.facade import Steward


class ContactsTab(RecordsTab):
    headers = ("Name", "Roles", "E-mail", "Phone")
    stretch = (0, 1, 2)
    empty_text = "No contacts recorded for this customer."
    what = "contacts"

    def __init__(self, runner: Runner, svc: Steward, reference: Reference, parent: QWidget | None = None):
        super().__init__(runner, svc, parent)
        self._roles = dict(reference.contact_roles)

    def fetch(self, customer_id: uuid.UUID) -> list[Contact]:
        return self._svc.customers.contacts(customer_id)

    def cells(self, c: Contact) -> list[str]:
        return [c.full_name, ", ".join(self._roles.get(r, r) for r in c.roles), c.email or "", c.phone or ""]
