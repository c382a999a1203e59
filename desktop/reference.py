"""Reference data the screens need (catalog, kinds, products, pickers, the grid's columns and filters),
read once in a worker at start, all of it from the service layer.

The pack's texts (field, column and filter labels, the titles in the schemas, activity kinds,
SLA rules, regions, contact roles, the codes' words) arrive here in the desktop's language
(desktop.i18n), from the pack's own translations: every screen after this reads them as given.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from desktop import display, i18n
from services.pack import ActivityKind, FieldDef, Filter, HotColumn, Kit, Product
from services.pack.words import Words

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
    words = Pack(catalog.words, i18n.language())
    display.use_words(catalog.words, i18n.language())
    return Reference(
        actor=svc.actor,
        fields=tuple(words.field(f) for f in svc.fields.catalog()),
        kinds=tuple(words.kind(k) for k in svc.activities.kinds()),
        products=tuple(svc.samples.products()),
        kits=tuple(svc.samples.kits()),
        default_kit=svc.samples.default_kit(),
        regions={code: words.say(name) for code, name in dict(svc.customers.regions()).items()},
        owners=tuple(svc.customers.owners()),
        contact_roles={code: words.say(name) for code, name in catalog.contact_roles.items()},
        hot_columns=tuple(words.column(c) for c in catalog.hot_columns),
        filters=tuple(words.filter(f) for f in catalog.filters.values()),
        sort_keys=tuple(svc.customers.sort_keys()),
    )


@dataclass(frozen=True)
class Pack:
    """The pack's definitions with their texts in one language."""

    words: Words
    language: str

    def say(self, english: str) -> str:
        return self.words.text(english, self.language)

    def schema(self, schema: Any) -> Any:
        if isinstance(schema, dict):
            return {k: (self.say(v) if k in ("title", "description") and isinstance(v, str) else self.schema(v))
                    for k, v in schema.items()}
        if isinstance(schema, list):
            return [self.schema(v) for v in schema]
        return schema

    def filter(self, f: Filter) -> Filter:
        return replace(f, label=self.say(f.label), group=self.say(f.group) if f.group else f.group)

    def column(self, c: HotColumn) -> HotColumn:
        return replace(c, label=self.say(c.label), filters=tuple(self.filter(f) for f in c.filters))

    def field(self, f: FieldDef) -> FieldDef:
        return replace(f, label=self.say(f.label), description=self.say(f.description), schema=self.schema(f.schema),
                       columns=tuple(self.column(c) for c in f.columns))

    def kind(self, k: ActivityKind) -> ActivityKind:
        sla = dict(k.sla, label=self.say(k.sla["label"])) if k.sla and k.sla.get("label") else k.sla
        return replace(k, label=self.say(k.label), fields_schema=self.schema(k.fields_schema), sla=sla)
