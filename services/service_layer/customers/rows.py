"""One line of the customer grid: the account columns, and the pack's hot columns by name."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa

from services.adapters.tables import hot_projection
from services.service_layer.context import Catalog


@dataclass(frozen=True)
class CustomerRow:
    """The account columns the grid always shows, and the hot columns the pack declares
    (`row.hot["roi_bucket"]`, or as an attribute: `row.roi_bucket`). `writable`: whether the
    person reading it may change it (the database's rule); if not, `read_only_reason` says why."""

    id: uuid.UUID
    name: str
    city: str | None
    region: str
    owner_id: uuid.UUID | None
    owner_name: str | None
    chain_id: uuid.UUID | None
    chain_name: str | None
    is_chain: bool
    sla_due: date | None
    sla_badge: str | None
    hot: Mapping[str, Any] = field(default_factory=dict)
    writable: bool = True
    read_only_reason: str | None = None

    def __getattr__(self, name: str) -> Any:
        hot = object.__getattribute__(self, "hot")
        if name in hot:
            return hot[name]
        raise AttributeError(name)


# The projection's columns a grid line needs, before the hot ones (not the search vector).
CORE = ("customer_id", "name", "city", "region", "owner_id", "chain_id", "chain_name", "is_chain", "sla_due")


class Shape:
    """The grid's table and columns for one catalog (its hot columns are the pack's)."""

    def __init__(self, catalog: Catalog):
        self.hot = tuple(c.name for c in catalog.hot_columns)
        self.table = hot_projection(tuple((c.name, c.type) for c in catalog.hot_columns))
        self.columns: list[sa.Column] = [self.table.c[name] for name in (*CORE, *self.hot)]

    def row(self, r: Any, owner_name: str | None, sla_badge: str | None, writable: bool = True,
            read_only_reason: str | None = None) -> CustomerRow:
        """A grid line from a row of `columns` (by position: a SQLAlchemy Row's attributes
        cost a microsecond each, a millisecond a page)."""
        values = tuple(r)
        customer_id, name, city, region, owner_id, chain_id, chain_name, is_chain, sla_due = values[:len(CORE)]
        return CustomerRow(customer_id, name, city, region, owner_id, owner_name, chain_id, chain_name, is_chain,
                           sla_due, sla_badge, dict(zip(self.hot, values[len(CORE):len(CORE) + len(self.hot)])),
                           writable, read_only_reason)


_shapes: dict[int, Shape] = {}


def shape(catalog: Catalog) -> Shape:
    """The shape of a catalog (one per catalog object)."""
    found = _shapes.get(id(catalog))
    if found is None or found.hot != tuple(c.name for c in catalog.hot_columns):
        found = _shapes[id(catalog)] = Shape(catalog)
    return found
