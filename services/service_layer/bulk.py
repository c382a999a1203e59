"""Bulk edit: set or clear fields on a selection of customers, or on everything a filter
finds, as one change set that undo takes back (services/service_layer/change_sets.py).

`preview` says first what would happen: how many customers, which values change from
what to what, what is refused and why (restricted fields, customers out of the
person's scope, invalid values). `apply` writes in batches, each one round trip, with
progress and a way to cancel: what ran stays, as a partial change set.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any


from services.errors import ValidationError
from services.rules.validation import value_errors
from services.service_layer.change_sets import ChangeSet, change_set
from services.service_layer.coerce import as_uuid, jsonable
from services.service_layer.context import Context
from services.service_layer.customers import grid
from services.service_layer.customers.filters import Filters
from services.adapters.database import Json

BATCH = 500                  # customers per call: a fraction of a second each, so progress moves and cancel answers
MOST = 1_000_000             # customers one bulk change may touch
EXAMPLES = 5                 # value changes shown per field in a preview

Progress = Callable[[int, int], None]     # (customers done, customers in all)


@dataclass(frozen=True)
class ValueChange:
    old: Any
    new: Any
    customers: int


@dataclass(frozen=True)
class FieldPreview:
    key: str
    label: str
    new: Any                                   # the value to set (None: clear)
    refused: str | None                        # why no customer gets it (a restricted field), or None
    changes: tuple[ValueChange, ...]           # the most frequent old → new, with how many customers each
    changing: int                              # customers whose value would change
    unchanged: int                             # customers that have this value already


@dataclass(frozen=True)
class BulkPreview:
    customers: int                             # in the selection
    writable: int                              # of those, ones the person may change
    out_of_scope: int                          # readable, but not the person's to change
    fields: tuple[FieldPreview, ...]
    errors: dict[str, str]                     # invalid values: nothing would be written

    @property
    def values_changing(self) -> int:
        return sum(f.changing for f in self.fields if not f.refused)


class BulkService:
    def __init__(self, ctx: Context):
        self._ctx = ctx

    def preview(self, changes: Mapping[str, Any], *, customer_ids: Any = None,
                filters: Mapping[str, Any] | None = None) -> BulkPreview:
        """What `apply` would do, without writing anything. Reads: the selection, who may be
        changed, the current values (grouped)."""
        values = self._changes(changes)
        ids = self._selection(customer_ids, filters)
        errors: dict[str, str] = {}
        catalog = self._ctx.catalog.fields
        for key, value in values.items():
            if value is not None:
                errors.update(value_errors(catalog[key].schema, catalog[key].checks, value, prefix=key))
        answer = self._ctx.call("bulk_preview", customers=ids, keys=list(values))
        writable = answer["writable"]
        by_key: dict[str, Counter] = {key: Counter() for key in values}
        for row in answer["values"]:
            by_key[row["key"]][_key(row["value"])] += row["n"]
        may_restricted = self._ctx.actor.may_write_restricted
        fields = []
        for key, new in values.items():
            counts = by_key[key]
            absent = writable - sum(counts.values())
            if absent:
                counts[_key(None)] += absent
            unchanged = counts.pop(_key(new), 0)
            changes = tuple(ValueChange(_value(old), new, n) for old, n in counts.most_common(EXAMPLES))
            changing = sum(counts.values())
            refused = None if may_restricted or not catalog[key].restricted else \
                "restricted field: only chain managers and admins change it"
            fields.append(FieldPreview(key, catalog[key].label, new, refused, changes, changing, unchanged))
        return BulkPreview(len(ids), writable, len(ids) - writable, tuple(fields), errors)

    def apply(self, changes: Mapping[str, Any], *, customer_ids: Any = None, filters: Mapping[str, Any] | None = None,
              description: str | None = None, progress: Progress | None = None,
              cancelled: Callable[[], bool] | None = None) -> ChangeSet:
        """Write the changes into one change set, BATCH customers per call. `cancelled()`
        is asked between batches: what ran stays, and the change set is partial (undo
        takes it back). Invalid values refuse the first batch: nothing is written.
        Restricted fields and customers out of scope are skipped, each counted as refused."""
        values = self._changes(changes)
        ids = self._selection(customer_ids, filters)
        selection = {"filters": jsonable(dict(filters or {}))} if filters is not None else {"customers": len(ids)}
        text = description or f"Set {', '.join(self._ctx.catalog.fields[k].label for k in values)} on {len(ids):,} customers"
        opened = self._ctx.call("begin_change_set", kind="bulk_edit", description=text[:500], selection=Json(selection))
        cs = uuid.UUID(opened["id"])
        done, stopped = 0, False
        try:
            for start in range(0, len(ids), BATCH):
                if cancelled is not None and cancelled():
                    stopped = True
                    break
                batch = ids[start:start + BATCH]
                self._ctx.call("bulk_patch_fields", change_set=cs, customers=batch, changes=Json(values))
                done += len(batch)
                if progress:
                    progress(done, len(ids))
        finally:
            finished = self._ctx.call("finish_change_set", change_set=cs, cancelled=stopped or done < len(ids))
        return change_set(finished)

    def paste(self, cells: Any, *, description: str | None = None) -> ChangeSet:
        """Write a block of values, (customer_id, field key, value) each (None clears), as one
        change set: a paste into the grid. Every value is checked first (here with the
        field's schema, and again by the database); one invalid value refuses all, each
        named "<customer id>.<key>". Restricted fields and customers out of scope are
        skipped and counted as refused. Commits; one round trip."""
        writes, errors = [], {}
        catalog = self._ctx.catalog.fields
        for n, cell in enumerate(cells if isinstance(cells, (list, tuple)) else ()):
            if not (isinstance(cell, (list, tuple)) and len(cell) == 3):
                raise ValidationError("Each cell is (customer id, field, value).", errors={f"cells.{n}": "not a cell"})
            customer, key, value = as_uuid(cell[0], f"cells.{n}.customer_id"), cell[1], jsonable(cell[2])
            if key not in catalog or catalog[key].derived:
                errors[f"{customer}.{key}"] = "is no field that can be written"
            elif value is not None:
                errors.update({f"{customer}.{path}": message for path, message in
                               value_errors(catalog[key].schema, catalog[key].checks, value, prefix=key).items()})
            writes.append({"customer_id": str(customer), "key": key, "value": value})
        if not writes:
            raise ValidationError("Nothing to paste.", errors={"cells": "must not be empty"})
        if errors:
            raise ValidationError("Some values are not valid; nothing was saved.", errors=errors)
        with self._ctx.write() as uow:   # one transaction: the whole block or nothing
            opened = uow.call("begin_change_set", kind="paste",
                              description=(description or f"Paste {len(writes):,} values")[:500],
                              selection=Json({"customers": len({w["customer_id"] for w in writes})}))
            cs = uuid.UUID(opened["id"])
            uow.call("write_fields", change_set=cs, writes=Json(writes))
            return change_set(uow.call("finish_change_set", change_set=cs))

    # ---------------------------------------------------------------- helpers

    def _changes(self, changes: Mapping[str, Any]) -> dict[str, Any]:
        if not isinstance(changes, Mapping) or not changes:
            raise ValidationError("Choose at least one field to set or clear.", errors={"changes": "must not be empty"})
        catalog = self._ctx.catalog.fields
        unknown = {str(k): "unknown field" for k in changes if k not in catalog}
        derived = {k: "is derived and cannot be written" for k in changes if k in catalog and catalog[k].derived}
        if unknown or derived:
            raise ValidationError("Some fields cannot be set in bulk.", errors={**unknown, **derived})
        return {str(k): jsonable(v) for k, v in changes.items()}

    def _selection(self, customer_ids: Any, filters: Mapping[str, Any] | None) -> list[uuid.UUID]:
        if (customer_ids is None) == (filters is None):
            raise ValidationError("Give either the selected customers or a filter.",
                                  errors={"customer_ids": "either these or filters"})
        if customer_ids is not None:
            if isinstance(customer_ids, (str, bytes)) or not hasattr(customer_ids, "__iter__"):
                raise ValidationError("customer_ids must be a list of ids.", errors={"customer_ids": "must be a list"})
            ids = sorted({as_uuid(c, "customer_ids") for c in customer_ids})
            if len(ids) > MOST:
                raise ValidationError(f"At most {MOST:,} customers at once.", errors={"customer_ids": "too many"})
            return ids
        if not isinstance(filters, Mapping):
            raise ValidationError("The filter must be a mapping of the list's filters.", errors={"filters": "must be an object"})
        return sorted(grid.ids(self._ctx, Filters.build(self._ctx.catalog, **filters), most=MOST))


def _key(value: Any) -> str:
    """A hashable stand-in for a JSON value."""
    return json.dumps(value, sort_keys=True)


def _value(key: str) -> Any:
    return json.loads(key)
