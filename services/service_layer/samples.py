"""Sample requests and their status workflow (domain pack "B2B-Food")."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from services.service_layer.coerce import as_date, as_moment, as_uuid, maybe_text
from services.service_layer.context import Context
from services.adapters.database import Json
from services.errors import NotFound, ValidationError
from services.service_layer.records import record
from services.rules import workflow


@dataclass(frozen=True)
class SampleItem:
    sku: str
    quantity: int
    name: str = ""


@dataclass(frozen=True)
class Sample:
    id: uuid.UUID
    customer_id: uuid.UUID
    status: str
    kit_id: str | None
    delivery_date: date | None
    delivery_address: str | None
    contact_email: str | None
    notes: str | None
    items: tuple[SampleItem, ...]
    created_at: datetime
    last_event_at: datetime

    @property
    def allowed_next(self) -> tuple[str, ...]:
        return workflow.allowed_next(self.status)


@dataclass(frozen=True)
class Transition:
    old_status: str | None
    new_status: str
    event_at: datetime
    recorded_at: datetime
    changed_by_name: str | None


class SampleService:
    def __init__(self, ctx: Context):
        self._ctx = ctx

    # ------------------------------------------------------------------ reads

    def get(self, sample_id: Any) -> Sample:
        sid = as_uuid(sample_id, "sample_id")
        with self._ctx.read() as conn:
            samples = self._load(conn, "s.id = :id", {"id": sid})
        if not samples:
            raise NotFound(f"Sample {sid} does not exist or is not visible to you.")
        return samples[0]

    def list(self, customer_id: Any) -> list[Sample]:
        """A customer's samples, newest request first."""
        cid = as_uuid(customer_id, "customer_id")
        with self._ctx.read() as conn:
            if conn.execute(sa.text("SELECT 1 FROM accounts WHERE id = :id"), {"id": cid}).first() is None:
                raise NotFound(f"Customer {cid} does not exist or is not visible to you.")
            return self._load(conn, "s.customer_id = :id", {"id": cid})

    def history(self, sample_id: Any) -> list[Transition]:
        """Every transition of a sample, oldest first."""
        sid = as_uuid(sample_id, "sample_id")
        self.get(sid)
        with self._ctx.read() as conn:
            rows = conn.execute(sa.text(
                "SELECT h.old_status, h.new_status, h.event_at, h.recorded_at, u.display_name "
                "FROM sample_status_history h LEFT JOIN users u ON u.id = h.changed_by "
                "WHERE h.sample_id = :id ORDER BY h.id"), {"id": sid})
            return [Transition(*r) for r in rows]

    def products(self):
        return list(self._ctx.catalog.products.values())

    def kits(self):
        return list(self._ctx.catalog.kits.values())

    def default_kit(self):
        return self._ctx.catalog.default_kit

    # ----------------------------------------------------------------- writes
    # Each is one call of the database's write API (sql/definitions/10_samples.sql),
    # which enforces the workflow and access and appends the events.

    def request(self, customer_id: Any, items: Iterable[Any] | None = None, *, delivery_date: Any = None,
                kit_id: str | None = None, delivery_address: str | None = None, contact_email: str | None = None,
                notes: str | None = None, source_event_id: Any = None) -> Sample:
        """Request a sample: the given items, else the kit's, else the default kit
        ("Cook&Fresh® Basis 5er"). With `source_event_id` (an inbound event), a second
        request for the same event returns the first. Commits; appends `sample.requested`."""
        answer = self._ctx.call(
            "request_sample", customer=as_uuid(customer_id, "customer_id"), items=Json(_items(items)),
            kit_id=maybe_text(kit_id, "kit_id"),
            delivery_date=as_date(delivery_date, "delivery_date") if delivery_date is not None else None,
            delivery_address=maybe_text(delivery_address, "delivery_address"),
            contact_email=maybe_text(contact_email, "contact_email"), notes=maybe_text(notes, "notes"),
            source_event_id=as_uuid(source_event_id, "source_event_id") if source_event_id is not None else None)
        return record(Sample, answer)

    def set_status(self, sample_id: Any, new_status: str, event_at: Any = None) -> Sample:
        """Move a sample along its workflow. `event_at` (default: now) may not lie before
        the previous transition. PACKED also appends `shipment.requested` for logistics.
        Commits; appends `sample.status.changed`."""
        if not isinstance(new_status, str):
            raise ValidationError(f"'{new_status}' is not a sample status.",
                                  errors={"status": f"must be one of {', '.join(workflow.STATUSES)}"})
        answer = self._ctx.call(
            "set_sample_status", sample=as_uuid(sample_id, "sample_id"), status=new_status,
            event_at=as_moment(event_at, "event_at") if event_at is not None else None)
        return record(Sample, answer)

    # ---------------------------------------------------------------- helpers

    def _load(self, conn, where: str, params: dict[str, Any]) -> list[Sample]:
        rows = conn.execute(sa.text(
            "SELECT s.id, s.customer_id, s.status, s.kit_id, s.delivery_date, s.delivery_address, s.contact_email, "
            "       s.notes, s.created_at, s.last_event_at, "
            "       coalesce((SELECT jsonb_agg(jsonb_build_array(i.sku, i.quantity, p.name) ORDER BY i.sku) "
            "                   FROM sample_item i JOIN products p ON p.sku = i.sku WHERE i.sample_id = s.id), '[]') AS items "
            f"FROM sample_request s WHERE {where} ORDER BY s.created_at DESC, s.id DESC"), params)
        return [
            Sample(id=r.id, customer_id=r.customer_id, status=r.status, kit_id=r.kit_id,
                   delivery_date=r.delivery_date, delivery_address=r.delivery_address,
                   contact_email=r.contact_email, notes=r.notes,
                   items=tuple(SampleItem(sku, qty, name) for sku, qty, name in r.items),
                   created_at=r.created_at, last_event_at=r.last_event_at)
            for r in rows
        ]


def _items(items: Iterable[Any] | None) -> list[dict[str, Any]] | None:
    """Items as the write API takes them ([{"sku", "quantity"}]); it checks each against the catalog."""
    if items is None:
        return None
    if isinstance(items, (str, bytes, dict)) or not isinstance(items, Iterable):
        raise ValidationError("Items must be a list of SKU and quantity.", errors={"items": "must be a list"})
    lines = []
    for item in items:
        sku, quantity = _sku_quantity(item)
        lines.append({"sku": sku, "quantity": quantity})
    return lines


def _sku_quantity(item: Any) -> tuple[Any, Any]:
    if isinstance(item, dict):
        return item.get("sku"), item.get("quantity", 1)
    if isinstance(item, SampleItem):
        return item.sku, item.quantity
    if isinstance(item, (list, tuple)) and len(item) == 2:
        return item[0], item[1]
    if isinstance(item, str):
        return item, 1
    return None, None
