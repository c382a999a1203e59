"""Sample requests and their status workflow (domain pack "B2B-Food")."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from services import slas
from services.coerce import as_date, as_int, as_moment, as_text, as_uuid
from services.context import Context
from services.database import UnitOfWork
from services.errors import NotFound, ValidationError
from services.guards import lock_customer
from services.pack import b2b_food
from services.rules import workflow

# Clocks of desktops and servers differ a little; an event time further ahead is a typo.
CLOCK_SKEW = timedelta(minutes=5)


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

    def request(self, customer_id: Any, items: Iterable[Any] | None = None, *, delivery_date: Any = None,
                kit_id: str | None = None, delivery_address: str | None = None, contact_email: str | None = None,
                notes: str | None = None, source_event_id: Any = None) -> Sample:
        """Request a sample: the given items, else the kit's, else the default kit
        ("Cook&Fresh® Basis 5er"). Commits; appends `sample.requested`."""
        cid = as_uuid(customer_id, "customer_id")
        kit, lines = self._items(items, kit_id)
        values = {
            "delivery_date": as_date(delivery_date, "delivery_date") if delivery_date is not None else None,
            "delivery_address": as_text(delivery_address, "delivery_address", required=False, max_length=500),
            "contact_email": as_text(contact_email, "contact_email", required=False, max_length=320),
            "notes": as_text(notes, "notes", required=False, max_length=4000),
        }
        if values["contact_email"] and "@" not in values["contact_email"]:
            raise ValidationError("The contact e-mail is not valid.", errors={"contact_email": "must contain @"})
        source_event = as_uuid(source_event_id, "source_event_id") if source_event_id is not None else None

        with self._ctx.write() as uow:
            lock_customer(uow.conn, cid, "request samples for it")
            sid = uow.execute(
                "INSERT INTO sample_request (customer_id, kit_id, delivery_date, delivery_address, contact_email, "
                "notes, source_event_id, created_by) VALUES (:c, :kit, :delivery_date, :delivery_address, "
                ":contact_email, :notes, :source_event, :by) RETURNING id",
                {"c": cid, "kit": kit, **values, "source_event": source_event, "by": self._ctx.actor.user_id},
            ).scalar_one()
            uow.execute("INSERT INTO sample_item (sample_id, sku, quantity) VALUES (:s, :sku, :q)",
                        [{"s": sid, "sku": sku, "q": qty} for sku, qty in lines])
            sample = self._load(uow.conn, "s.id = :id", {"id": sid})[0]
            uow.emit("sample.requested", {
                "sampleId": str(sid), "customerId": str(cid), "kitId": kit,
                "items": [{"sku": i.sku, "quantity": i.quantity} for i in sample.items],
                "deliveryDate": _iso(sample.delivery_date),
            }, customer_id=cid)
        return sample

    def set_status(self, sample_id: Any, new_status: str, event_at: Any = None) -> Sample:
        """Move a sample along its workflow. `event_at` (default: now) may not lie before
        the previous transition. PACKED also appends `shipment.requested` for logistics.
        Commits; appends `sample.status.changed`."""
        sid = as_uuid(sample_id, "sample_id")
        if not isinstance(new_status, str) or new_status not in workflow.STATUSES:
            raise ValidationError(f"'{new_status}' is not a sample status.",
                                  errors={"status": f"must be one of {', '.join(workflow.STATUSES)}"})
        moment = as_moment(event_at, "event_at") if event_at is not None else None
        with self._ctx.write() as uow:
            self.transition(uow, sid, new_status, moment)
            return self._load(uow.conn, "s.id = :id", {"id": sid})[0]

    def transition(self, uow: UnitOfWork, sid: uuid.UUID, new_status: str, moment: datetime | None,
                   *, activity_id: uuid.UUID | None = None) -> None:
        """The workflow step inside a caller's unit of work (also used by product-test feedback)."""
        customer = uow.execute("SELECT customer_id FROM sample_request WHERE id = :id", {"id": sid}).scalar()
        if customer is None:
            raise NotFound(f"Sample {sid} does not exist or is not visible to you.")
        lock_customer(uow.conn, customer, "change its samples")
        current = uow.execute("SELECT status, last_event_at, now() AS now FROM sample_request WHERE id = :id FOR UPDATE",
                              {"id": sid}).one()
        workflow.check_transition(current.status, new_status)
        # Without a time given, "now" — but never before a step stamped slightly ahead (clock skew).
        moment = moment or max(current.now, current.last_event_at)
        if moment < current.last_event_at:
            raise ValidationError(
                f"The event time {moment:%Y-%m-%d %H:%M} lies before the sample's previous transition "
                f"({current.last_event_at:%Y-%m-%d %H:%M}).", errors={"event_at": "before the previous transition"})
        if moment > current.now + CLOCK_SKEW:
            raise ValidationError("The event time lies in the future.", errors={"event_at": "in the future"})
        uow.execute("UPDATE sample_request SET status = :s, last_event_at = :at, updated_at = now() WHERE id = :id",
                    {"s": new_status, "at": moment, "id": sid})
        effects = b2b_food.on_sample_status(self._ctx.catalog.kinds.values(), sample_id=sid, new_status=new_status,
                                            event_at=moment, open_slas=slas.open_for_customer(uow, customer))
        slas.apply(uow, customer, effects, at=moment, activity_id=activity_id)
        uow.emit("sample.status.changed", {
            "sampleId": str(sid), "customerId": str(customer), "oldStatus": current.status,
            "newStatus": new_status, "eventAt": moment.isoformat(),
        }, customer_id=customer)
        if new_status == workflow.PACKED:
            sample = self._load(uow.conn, "s.id = :id", {"id": sid})[0]
            uow.emit("shipment.requested", {
                "sampleId": str(sid), "customerId": str(customer),
                "items": [{"sku": i.sku, "quantity": i.quantity} for i in sample.items],
                "deliveryDate": _iso(sample.delivery_date), "deliveryAddress": sample.delivery_address,
                "contactEmail": sample.contact_email,
            }, customer_id=customer)

    # ---------------------------------------------------------------- helpers

    def _items(self, items: Iterable[Any] | None, kit_id: str | None) -> tuple[str | None, list[tuple[str, int]]]:
        catalog = self._ctx.catalog
        if kit_id is not None and kit_id not in catalog.kits:
            raise ValidationError(f"There is no sample kit '{kit_id}'.", errors={"kit_id": "unknown kit"})
        if items is None or (isinstance(items, (list, tuple)) and not items):
            kit = catalog.kits[kit_id] if kit_id else catalog.default_kit
            return kit.id, list(kit.items)
        if isinstance(items, (str, bytes)) or not isinstance(items, Iterable):
            raise ValidationError("Items must be a list of SKU and quantity.", errors={"items": "must be a list"})
        lines: dict[str, int] = {}
        errors: dict[str, str] = {}
        for n, item in enumerate(items):
            sku, quantity = _sku_quantity(item)
            if not isinstance(sku, str) or sku not in catalog.products:
                errors[f"items.{n}.sku"] = f"unknown SKU {sku!r}"
                continue
            try:
                quantity = as_int(quantity, f"items.{n}.quantity", minimum=1, maximum=1000)
            except ValidationError as exc:
                errors.update(exc.errors)
                continue
            lines[sku] = lines.get(sku, 0) + quantity
        if errors:
            raise ValidationError("Some sample items are not valid; nothing was requested.", errors=errors)
        return kit_id, list(lines.items())

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


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None

