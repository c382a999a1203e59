"""`leads`: an inbound `lead.converted` becomes one sample request with the default kit.

Once, however often the event arrives: sample_request.source_event_id is the
event id (UNIQUE), and a lead that names its identity converts only once even
if its module sends the conversion again under a new event id.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from services.service_layer.context import Context
from services.service_layer.customers import CustomerService
from services.service_layer.duplicates import survivor_of
from services.adapters.database import UnitOfWork
from services.service_layer.events.consumers.base import InboundConsumer
from services.service_layer.events.envelopes import Inbound, Rejected, as_uuid, text_field
from services.service_layer.samples import SampleService

_BY_REF = sa.text("SELECT id FROM accounts WHERE external_ref = :ref")
_TAKE_TURNS = sa.text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")
_ALREADY = sa.text(
    "SELECT 1 FROM sample_request s WHERE s.source_event_id = :event "
    "    OR (CAST(:ref AS text) IS NOT NULL AND s.source_event_id IS NOT NULL AND s.customer_id = :customer "
    "        AND EXISTS (SELECT 1 FROM accounts a WHERE a.id = :customer AND a.external_ref = :ref)) LIMIT 1"
)


@dataclass(frozen=True)
class Lead:
    customer_id: uuid.UUID | None
    ref: str | None
    name: str | None = None
    region: str | None = None
    city: str | None = None


class SamplesFromLeads(InboundConsumer):
    name = "leads"
    type = "lead.converted"

    def parse(self, data: dict[str, Any]) -> Lead:
        customer = data.get("customer")
        if data.get("customerId") is not None:
            return Lead(as_uuid(data["customerId"], "customerId"), text_field(data, "leadId"))
        if not isinstance(customer, dict):
            raise Rejected("the conversion names neither a customerId nor a customer object")
        ref = text_field(customer, "externalRef", "leadId") or text_field(data, "leadId")
        if ref is None:
            raise Rejected("the customer has no externalRef or leadId to recognise it by")
        name, region = text_field(customer, "name"), text_field(customer, "region")
        if name is None or region is None:
            raise Rejected("a new customer needs a name and a region")
        return Lead(None, ref, name, region.upper(), text_field(customer, "city"))

    def apply(self, uow: UnitOfWork, ctx: Context, event: Inbound, lead: Lead) -> str:
        # Conversions of one lead (or for one customer) take turns across daemons, so a
        # second one sees the first's sample; the lock ends with the transaction.
        uow.execute(_TAKE_TURNS, {"key": f"lead:{lead.ref or lead.customer_id}"})
        # A merged customer's id (or reference) still resolves: to the customer it was merged into.
        customer_id = survivor_of(uow, lead.customer_id or self._customer(uow, ctx, lead))
        if uow.execute(_ALREADY, {"event": event.id, "ref": lead.ref, "customer": customer_id}).first():
            return f"customer {customer_id} already has the sample of this conversion"
        sample = SampleService(ctx).request(customer_id, source_event_id=event.id)
        return f"sample {sample.id} requested for customer {customer_id}"

    def _customer(self, uow: UnitOfWork, ctx: Context, lead: Lead) -> uuid.UUID:
        existing = uow.execute(_BY_REF, {"ref": lead.ref}).scalar()
        if existing is not None:
            return existing
        return CustomerService(ctx).create(lead.name, lead.region, lead.city, external_ref=lead.ref).id
