"""The field system: a customer's dynamic fields, their ETag, and their audit history.

Writes go through the database's write API (steward_api.patch_fields, in
sql/definitions/08_fields.sql), which checks every value against the pack's
catalog and the person's rights, writes the event, and, by its triggers, the
audit history and the hot projection. This module reads, and calls it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Mapping

import sqlalchemy as sa

from services.service_layer.coerce import as_int, as_moment, as_uuid, jsonable
from services.service_layer.change_sets import ChangeSet, change_set
from services.service_layer.context import Context
from services.adapters.database import Json
from services.errors import NotFound, PreconditionFailed, ValidationError
from services.pack import FieldDef


@dataclass(frozen=True)
class FieldSet:
    customer_id: uuid.UUID
    values: dict[str, Any]
    etag: str
    version: int


@dataclass(frozen=True)
class FieldChange:
    key: str
    old: Any
    new: Any
    changed_by: uuid.UUID | None
    changed_by_login: str
    changed_by_name: str | None
    changed_at: datetime
    source: str
    correlation_id: str | None
    id: int = 0                        # pass as `before` for the next page of the history


_READ_FIELDS = sa.text("""
    SELECT a.fields_version, p.sample_status,
           (SELECT jsonb_object_agg(fv.field_key, fv.value) FROM field_values fv WHERE fv.customer_id = a.id) AS values
      FROM accounts a
      LEFT JOIN cm_customer_hot_proj p ON p.customer_id = a.id
     WHERE a.id = :id
""")

def make_etag(version: int) -> str:
    return f'"{version}"'


def parse_etag(etag: Any) -> int | None:
    """The version an ETag stands for; None for anything that is not one of ours."""
    if isinstance(etag, int) and not isinstance(etag, bool):
        return etag
    if not isinstance(etag, str):
        return None
    text = etag.strip().removeprefix("W/").strip('"')
    return int(text) if text.isdigit() else None


class FieldService:
    def __init__(self, ctx: Context):
        self._ctx = ctx

    def catalog(self) -> list[FieldDef]:
        """The field catalog in display order."""
        return list(self._ctx.catalog.fields.values())

    def get(self, customer_id: Any) -> FieldSet:
        """All of a customer's fields, the derived sample status included, and their ETag. One query."""
        cid = as_uuid(customer_id, "customer_id")
        with self._ctx.read() as conn:
            fieldset = self._read_in(conn, cid)
        if fieldset is None:
            raise NotFound(f"Customer {cid} does not exist or is not visible to you.")
        return fieldset

    def patch(self, customer_id: Any, changes: Mapping[str, Any], *, if_match: Any = None) -> FieldSet:
        """Write some fields; `None` as a value removes the field (JSON merge patch).

        With `if_match`, refuses with PreconditionFailed unless it is the
        current ETag. The database validates every key and value before writing
        anything. Commits; appends `customer.fields.changed` (nothing when no
        value changes). Cost: one round trip.
        """
        cid = as_uuid(customer_id, "customer_id")
        if not isinstance(changes, Mapping) or not changes:
            raise ValidationError("Nothing to change: give at least one field.", errors={"changes": "must not be empty"})
        expected = None
        if if_match is not None:
            expected = parse_etag(if_match)
            if expected is None:
                raise PreconditionFailed(f"'{if_match}' is not an ETag of these fields; reload and try again.")
        values = {str(key): jsonable(value) for key, value in changes.items()}
        answer = self._ctx.call("patch_fields", customer=cid, changes=Json(values), if_match=expected)
        return self._fieldset(cid, answer["version"], answer["values"], answer["sample_status"])

    def restore(self, customer_id: Any, at: Any, keys: Any = None) -> ChangeSet:
        """Set the customer's fields (or only `keys`) back to their values at the moment `at`,
        from the audit history, as one change set that undo takes back. Commits."""
        keys = [keys] if isinstance(keys, str) else keys
        if keys is not None and (not isinstance(keys, (list, tuple)) or not all(k in self._ctx.catalog.fields for k in keys)):
            raise ValidationError("Name fields of the catalog to restore.", errors={"keys": "unknown field"})
        return change_set(self._ctx.call("restore_fields", customer=as_uuid(customer_id, "customer_id"),
                                         at=as_moment(at, "at"), keys=list(keys) if keys is not None else None))

    def history(self, customer_id: Any, key: str | None = None, *, limit: int = 500,
                before: Any = None) -> list[FieldChange]:
        """The audit trail, newest first: who changed what, when, from which source; `before`
        (the `id` of the last entry of a page) gives the next page."""
        cid = as_uuid(customer_id, "customer_id")
        limit = as_int(limit, "limit", minimum=1)
        before = as_int(before, "before", minimum=1) if before is not None else None
        if key is not None and key not in self._ctx.catalog.fields:
            raise ValidationError(f"There is no field '{key}'.", errors={"key": "unknown field"})
        with self._ctx.read() as conn:
            if conn.execute(sa.text("SELECT 1 FROM accounts WHERE id = :id"), {"id": cid}).first() is None:
                raise NotFound(f"Customer {cid} does not exist or is not visible to you.")
            rows = conn.execute(sa.text(
                "SELECT h.field_key, h.old_value, h.new_value, h.changed_by, h.changed_by_login, "
                "       u.display_name, h.changed_at, h.source, h.correlation_id, h.id "
                "FROM field_history h LEFT JOIN users u ON u.id = h.changed_by "
                # A survivor's history reads its merged customers' too (51_duplicates.sql keeps it where it was written).
                "WHERE h.customer_id = ANY (ARRAY(SELECT CAST(:id AS uuid) UNION ALL "
                "                                 SELECT m.id FROM accounts m WHERE m.merged_into = :id)) "
                "  AND (CAST(:key AS text) IS NULL OR h.field_key = :key) "
                "  AND (CAST(:before AS bigint) IS NULL OR h.id < :before) "
                "ORDER BY h.changed_at DESC, h.id DESC LIMIT :limit"),
                {"id": cid, "key": key, "limit": limit, "before": before})
            return [FieldChange(*r) for r in rows]

    # ---------------------------------------------------------------- helpers

    def _read_in(self, conn, cid: uuid.UUID) -> FieldSet | None:
        row = conn.execute(_READ_FIELDS, {"id": cid}).first()
        if row is None:
            return None
        return self._fieldset(cid, row.fields_version, row.values or {}, row.sample_status)

    @staticmethod
    def _fieldset(cid: uuid.UUID, version: int, values: dict[str, Any], sample_status: str | None) -> FieldSet:
        values = dict(values)
        if sample_status is not None:
            values["sample_status"] = sample_status
        return FieldSet(cid, values, make_etag(version), version)
