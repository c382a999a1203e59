"""Reference data the screens need (catalog, kinds, products, pickers), read once in a worker at start."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from typing import Any

from services.pack import ActivityKind, FieldDef, Kit, Product, load_pack


@dataclass(frozen=True)
class Reference:
    actor: Any
    fields: tuple[FieldDef, ...]
    kinds: tuple[ActivityKind, ...]
    products: tuple[Product, ...]
    kits: tuple[Kit, ...]
    default_kit: Kit
    regions: dict[str, str]
    owners: tuple[tuple[uuid.UUID, str, str], ...]
    contact_roles: dict[str, str]

    def field(self, key: str) -> FieldDef:
        return next(f for f in self.fields if f.key == key)

    def kind(self, kind: str) -> ActivityKind:
        return next(k for k in self.kinds if k.kind == kind)

    def product_name(self, sku: str) -> str:
        return next((p.name for p in self.products if p.sku == sku), sku)


def load(svc: Any) -> Reference:
    """Blocking (one query for the owners); call it from a worker."""
    pack = load_pack()
    field_order = {f.key: f.schema for f in pack.fields}
    kind_order = {k.kind: k.fields_schema for k in pack.activity_kinds}
    return Reference(
        actor=svc.actor,
        fields=tuple(replace(f, schema=in_pack_order(f.schema, field_order.get(f.key)))
                     for f in svc.fields.catalog()),
        kinds=tuple(replace(k, fields_schema=in_pack_order(k.fields_schema, kind_order.get(k.kind)))
                    for k in svc.activities.kinds()),
        products=tuple(svc.samples.products()),
        kits=tuple(svc.samples.kits()),
        default_kit=svc.samples.default_kit(),
        regions=dict(svc.customers.regions()),
        owners=tuple(svc.customers.owners()),
        contact_roles=dict(pack.contact_roles),
    )


def in_pack_order(schema: Any, written: Any) -> Any:
    """The schema with its properties in the order the pack's author wrote them.

    The database keeps schemas as jsonb, which orders object keys by length; a
    form showing "Season end" above "Season start" reads wrong. Properties the
    pack file does not know keep their place after the known ones.
    """
    if not isinstance(schema, dict):
        return schema
    written = written if isinstance(written, dict) else {}
    result = dict(schema)
    if isinstance(schema.get("properties"), dict):
        order = list(written.get("properties", {}))
        props = schema["properties"]
        keys = sorted(props, key=lambda k: (order.index(k) if k in order else len(order), k))
        result["properties"] = {k: in_pack_order(props[k], written.get("properties", {}).get(k)) for k in keys}
    if isinstance(schema.get("oneOf"), list):
        branches = written.get("oneOf") or []
        result["oneOf"] = [in_pack_order(b, branches[n] if n < len(branches) else None)
                           for n, b in enumerate(schema["oneOf"])]
    if isinstance(schema.get("items"), dict):
        result["items"] = in_pack_order(schema["items"], written.get("items"))
    return result
