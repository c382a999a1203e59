"""A person's rights over their data (GDPR): erasure and access, for admins.

`erase` replaces one contact's personal values (name, e-mail, phone; the earlier ones
the outbox carries; the raw ones of the legacy rows they came from) in every text and
JSON column of every table, every row searched, and empties the contact; by e-mail, every
contact with that address and the address itself wherever it appears. It reports where
it changed what, and searches again afterwards ("remaining": empty when nothing is left).
`export` gives the contact, their roles and every row that holds one of their values as
JSON. Both are recorded in privacy_requests (who, when, counts). The database does the
work (sql/definitions/41_privacy.sql): nobody's login may change the audit tables.
"""

from __future__ import annotations

from typing import Any

from services.service_layer.coerce import as_uuid, maybe_text
from services.errors import ValidationError
from services.service_layer.context import Context


class PrivacyService:
    def __init__(self, ctx: Context):
        self._ctx = ctx

    def erase(self, *, contact: Any = None, email: str | None = None) -> dict[str, Any]:
        if (contact is None) == (email is None):
            raise ValidationError("Name either the contact or the e-mail address.",
                                  errors={"contact": "give a contact id or an e-mail, not both"})
        return self._ctx.call("privacy_erase", contact=as_uuid(contact, "contact") if contact is not None else None,
                              email=maybe_text(email, "email"))

    def export(self, contact: Any) -> dict[str, Any]:
        return self._ctx.call("privacy_export", contact=as_uuid(contact, "contact"))
