"""`contactability`: an inbound `email.bounce`; a hard bounce means "use another channel"."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from services.service_layer.context import Context
from services.adapters.database import UnitOfWork
from services.service_layer.events.consumers.base import InboundConsumer
from services.service_layer.events.envelopes import Inbound, Rejected, as_uuid, text_field

HARD, SOFT = "HARD", "SOFT"

_STATUS = sa.text("SELECT contactability_status, alternate_channel_required FROM accounts WHERE id = :id")
_BY_EMAIL = sa.text(
    "SELECT DISTINCT r.account_id FROM contacts c JOIN contact_roles r ON r.contact_id = c.id "
    " WHERE lower(c.email) = lower(:email) ORDER BY r.account_id"
)


@dataclass(frozen=True)
class Bounce:
    customer_id: uuid.UUID | None
    email: str | None
    kind: str


class ContactabilityFromBounces(InboundConsumer):
    name = "contactability"
    type = "email.bounce"

    def parse(self, data: dict[str, Any]) -> Bounce:
        kind = text_field(data, "bounceType")
        if kind is None or kind.upper() not in (HARD, SOFT):
            raise Rejected("bounceType must be HARD or SOFT")
        customer = data.get("customerId")
        email = text_field(data, "email", "emailAddress")
        if customer is None and email is None:
            raise Rejected("the bounce names neither a customerId nor an email address")
        if email is not None and "@" not in email:
            raise Rejected(f"{email[:60]!r} is not an e-mail address")
        return Bounce(as_uuid(customer, "customerId") if customer is not None else None, email, kind.upper())

    def apply(self, uow: UnitOfWork, ctx: Context, event: Inbound, bounce: Bounce) -> str:
        if bounce.customer_id is not None:
            targets = [bounce.customer_id]
        else:
            targets = list(uow.execute(_BY_EMAIL, {"email": bounce.email}).scalars())
            if not targets:
                raise Rejected(f"refers to nothing: no customer has a contact with e-mail {bounce.email}")
        # A hard bounce outranks a soft one; neither overrides "do not contact". The write
        # API decides that under each customer's lock (only_from).
        status, only_from = (("HARD_BOUNCE", ["OK", "SOFT_BOUNCE", "HARD_BOUNCE"]) if bounce.kind == HARD
                             else ("SOFT_BOUNCE", ["OK"]))
        reason = f"{bounce.kind.lower()} e-mail bounce (event {event.id})"
        changed = 0
        for cid in targets:
            before = uow.execute(_STATUS, {"id": cid}).first() or ()
            after = uow.call("set_contactability", customer=cid, status=status, reason=reason, only_from=only_from)
            changed += (after["contactability_status"], after["alternate_channel_required"]) != tuple(before)
        return f"{bounce.kind.lower()} bounce: {changed} of {len(targets)} customer(s) changed"
