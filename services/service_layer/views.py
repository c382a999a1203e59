"""Saved views of the customer grid: a named filter, the visible columns and the sort.

A view is private to the person who saved it unless shared; everyone reads
their own and the shared ones, only the owner changes or deletes one (row-level
security in sql/migrations/0006 says the same, so a hand-written query cannot
read someone's private view either).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from services.service_layer.coerce import as_bool, as_text, as_uuid
from services.service_layer.records import record
from services.service_layer.context import Context
# The grid's own checks, so that a saved view can always be applied.
from services.service_layer.customers.filters import Filters as CustomerFilters
from services.service_layer.customers.filters import filter_names, sort_keys
from services.adapters.database import Json
from services.errors import ValidationError

MAX_COLUMNS = 64


@dataclass(frozen=True)
class SavedView:
    id: uuid.UUID
    name: str
    shared: bool
    definition: dict[str, Any]
    owner_id: uuid.UUID | None
    owner_name: str | None
    mine: bool
    created_at: datetime
    updated_at: datetime

    @property
    def filters(self) -> dict[str, Any]:
        return dict(self.definition.get("filters") or {})

    @property
    def columns(self) -> list[str]:
        return list(self.definition.get("columns") or [])

    @property
    def sort(self) -> str:
        return self.definition.get("sort") or "name"


_SELECT = """
    SELECT v.id, v.name, v.shared, v.definition, v.owner_id, u.display_name AS owner_name,
           v.owner_id IS NOT DISTINCT FROM CAST(:me AS uuid) AS mine, v.created_at, v.updated_at
      FROM saved_views v
      LEFT JOIN users u ON u.id = v.owner_id
"""


class ViewService:
    def __init__(self, ctx: Context):
        self._ctx = ctx

    def list(self) -> list[SavedView]:
        """Your views and the shared ones, yours first, by name. One query."""
        with self._ctx.read() as conn:
            # Stated here as well as in the policies: the schema owner bypasses row-level security.
            rows = conn.execute(sa.text(
                _SELECT + " WHERE v.shared OR v.owner_id IS NOT DISTINCT FROM CAST(:me AS uuid) "
                          "ORDER BY mine DESC, lower(v.name), v.id"), {"me": self._me})
            return [SavedView(**r._mapping) for r in rows]

    def save(self, name: str, definition: Mapping[str, Any], shared: bool = False) -> SavedView:
        """Save a view under `name`; saving again under your own view's name replaces it.
        Commits; no event (a view is a person's preference, not business data)."""
        name = as_text(name, "name", max_length=100)
        shared = as_bool(shared, "shared")
        checked = self._definition(definition)
        answer = self._ctx.call("save_view", name=name, definition=Json(checked), shared=shared)
        return record(SavedView, answer)

    def delete(self, view_id: Any) -> None:
        """Delete one of your views. Commits."""
        self._ctx.call("delete_view", view=as_uuid(view_id, "view_id"))

    # ---------------------------------------------------------------- helpers

    @property
    def _me(self) -> uuid.UUID | None:
        return self._ctx.actor.user_id

    def _definition(self, definition: Any) -> dict[str, Any]:
        if not isinstance(definition, Mapping):
            raise ValidationError("A view is a mapping of filters, columns and sort.",
                                  errors={"definition": "must be an object"})
        unknown = sorted(set(definition) - {"filters", "columns", "sort"})
        if unknown:
            raise ValidationError(f"A view has no part {', '.join(map(repr, unknown))}.",
                                  errors={f"definition.{k}": "unknown part" for k in unknown})
        filters = definition.get("filters") or {}
        if not isinstance(filters, Mapping):
            raise ValidationError("The view's filters must be a mapping.", errors={"filters": "must be an object"})
        # Every filter of the grid but a list of given customers (a chart's drill-down).
        unknown = sorted(set(filters) - (set(filter_names(self._ctx.catalog)) - {"customer_ids"}))
        if unknown:
            raise ValidationError(f"The grid has no filter {', '.join(map(repr, unknown))}.",
                                  errors={f"filters.{k}": "unknown filter" for k in unknown})
        filters = {k: v for k, v in filters.items() if v is not None}
        CustomerFilters.build(self._ctx.catalog, **filters)
        sort = definition.get("sort") or "name"
        sorts = sort_keys(self._ctx.catalog)
        if not isinstance(sort, str) or sort.lstrip("-") not in sorts:
            raise ValidationError(f"The grid cannot be sorted by {sort!r}.",
                                  errors={"sort": f"must be one of {', '.join(sorts)} (with - for descending)"})
        columns = definition.get("columns") or []
        if (not isinstance(columns, (list, tuple)) or len(columns) > MAX_COLUMNS
                or not all(isinstance(c, str) and 0 < len(c) <= 64 for c in columns)):
            raise ValidationError("The view's columns must be a list of column names.",
                                  errors={"columns": f"must be up to {MAX_COLUMNS} names"})
        return {"filters": filters, "columns": list(columns), "sort": sort}
