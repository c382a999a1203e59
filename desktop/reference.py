"""Reference data the screens need (catalog, kinds, products, pickers, the grid's columns and filters),
read once in a worker at start, all of it from the service layer."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from services.pack import ActivityKind, FieldDef, Filter, HotColumn, Kit, Product

if TYPE_CHECKING:
    from services.service_layer.facade import Steward


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
    hot_columns: tuple[HotColumn, ...] = ()     # the grid's columns the pack declares
    filters: tuple[Filter, ...] = ()            # and the list's filters on them
    sort_keys: tuple[str, ...] = ("name",)      # what the list sorts by

    def field(self, key: str) -> FieldDef:
        return next(f for f in self.fields if f.key == key)

    def kind(self, kind: str) -> ActivityKind:
        return next(k for k in self.kinds if k.kind == kind)

    def product_name(self, sku: str) -> str:
        return next((p.name for p in self.products if p.sku == sku), sku)


def load(svc: Steward) -> Reference:
    """Blocking (one query for the owners); call it from a worker."""
    catalog = svc.catalog
    return Reference(
        actor=svc.actor,
        fields=tuple(svc.fields.catalog()),
        kinds=tuple(svc.activities.kinds()),
        products=tuple(svc.samples.products()),
        kits=tuple(svc.samples.kits()),
        default_kit=svc.samples.default_kit(),
        regions=dict(svc.customers.regions()),
        owners=tuple(svc.customers.owners()),
        contact_roles=dict(catalog.contact_roles),
        hot_columns=tuple(catalog.hot_columns),
        filters=tuple(catalog.filters.values()),
        sort_keys=tuple(svc.customers.sort_keys()),
    )
