"""The field system: a customer's dynamic fields, their ETag, and their audit history.

The audit history and the hot projection are written by triggers (see
sql/migrations/0002), so they hold for every write path; this module validates,
checks the ETag, and appends the event.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Mapping

import sqlalchemy as sa

from services.coerce import as_uuid, jsonable
from services.context import Context
from services.database import dumps
from services.errors import Forbidden, NotFound, PreconditionFailed, ValidationError
from services.guards import lock_customer
from services.pack import FieldDef, b2b_food
from services.rules.validation import schema_errors


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


_READ_FIELDS = sa.text("""
    SELECT a.fields_version, p.sample_status,
           (SELECT jsonb_object_agg(fv.field_key, fv.value) FROM field_values fv WHERE fv.customer_id = a.id) AS values
      FROM accounts a
      LEFT JOIN cm_customer_hot_proj p ON p.customer_id = a.id
     WHERE a.id = :id
""")

# The new version and the answer in one round trip: the field values are read in
# this statement's snapshot, which holds the transaction's own writes before it.
_BUMP_AND_READ = sa.text("""
    WITH bumped AS (
        UPDATE accounts SET fields_version = fields_version + 1, updated_at = now()
         WHERE id = :id
        RETURNING id, fields_version
    )
    SELECT b.fields_version, p.sample_status,
           (SELECT jsonb_object_agg(fv.field_key, fv.value) FROM field_values fv WHERE fv.customer_id = b.id) AS values
      FROM bumped b
      LEFT JOIN cm_customer_hot_proj p ON p.customer_id = b.id
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
        current ETag. Validates every key and value before writing anything.
        Commits; appends `customer.fields.changed` (nothing when no value changes).
        Cost: five statements by primary key (lock, read, write, version and answer, outbox).
        """
        cid = as_uuid(customer_id, "customer_id")
        values = self._validate(changes)
        expected = None
        if if_match is not None:
            expected = parse_etag(if_match)
            if expected is None:
                raise PreconditionFailed(f"'{if_match}' is not an ETag of these fields; reload and try again.")

        with self._ctx.write() as uow:
            row = lock_customer(uow.conn, cid, "change its fields")
            if expected is not None and row.fields_version != expected:
                raise PreconditionFailed(
                    "Someone else changed this customer's fields since you loaded them.",
                    current_etag=make_etag(row.fields_version))
            old = dict(uow.execute(
                "SELECT field_key, value FROM field_values WHERE customer_id = :id AND field_key = ANY(:keys)",
                {"id": cid, "keys": list(values)}).all())
            changed = {k: v for k, v in values.items() if old.get(k) != v}
            if not changed:
                return self._read_in(uow.conn, cid)
            upserts = {k: v for k, v in changed.items() if v is not None}
            removals = [k for k, v in changed.items() if v is None]
            actor_id = self._ctx.actor.user_id
            if upserts:
                uow.execute(
                    "INSERT INTO field_values (customer_id, field_key, value, updated_by) "
                    "SELECT :id, e.key, e.value, :by FROM jsonb_each(CAST(:values AS jsonb)) AS e "
                    "ON CONFLICT (customer_id, field_key) DO UPDATE "
                    "SET value = EXCLUDED.value, updated_by = EXCLUDED.updated_by, updated_at = now()",
                    {"id": cid, "values": dumps(upserts), "by": actor_id})
            if removals:
                uow.execute("DELETE FROM field_values WHERE customer_id = :id AND field_key = ANY(:keys)",
                            {"id": cid, "keys": removals})
            now = uow.conn.execute(_BUMP_AND_READ, {"id": cid}).one()
            uow.emit("customer.fields.changed", {
                "customerId": str(cid),
                "version": now.fields_version,
                "changes": {k: {"old": old.get(k), "new": v} for k, v in changed.items()},
            }, customer_id=cid)
            return self._fieldset(cid, now.fields_version, now.values or {}, now.sample_status)

    def history(self, customer_id: Any, key: str | None = None, *, limit: int = 500) -> list[FieldChange]:
        """The audit trail, newest first: who changed what, when, from which source."""
        cid = as_uuid(customer_id, "customer_id")
        if key is not None and key not in self._ctx.catalog.fields:
            raise ValidationError(f"There is no field '{key}'.", errors={"key": "unknown field"})
        with self._ctx.read() as conn:
            if conn.execute(sa.text("SELECT 1 FROM accounts WHERE id = :id"), {"id": cid}).first() is None:
                raise NotFound(f"Customer {cid} does not exist or is not visible to you.")
            rows = conn.execute(sa.text(
                "SELECT h.field_key, h.old_value, h.new_value, h.changed_by, h.changed_by_login, "
                "       u.display_name, h.changed_at, h.source, h.correlation_id "
                "FROM field_history h LEFT JOIN users u ON u.id = h.changed_by "
                "WHERE h.customer_id = :id AND (CAST(:key AS text) IS NULL OR h.field_key = :key) "
                "ORDER BY h.changed_at DESC, h.id DESC LIMIT :limit"), {"id": cid, "key": key, "limit": limit})
            return [FieldChange(*r) for r in rows]

    # ---------------------------------------------------------------- helpers

    def _validate(self, changes: Mapping[str, Any]) -> dict[str, Any]:
        if not isinstance(changes, Mapping) or not changes:
            raise ValidationError("Nothing to change: give at least one field.", errors={"changes": "must not be empty"})
        catalog = self._ctx.catalog.fields
        errors: dict[str, str] = {}
        values: dict[str, Any] = {}
        forbidden: list[str] = []
        for key, raw in changes.items():
            definition = catalog.get(key)
            if definition is None:
                errors[str(key)] = "unknown field"
                continue
            if definition.derived:
                errors[key] = "is derived and cannot be written (it follows the sample workflow)"
                continue
            if definition.restricted and not self._ctx.actor.may_write_restricted:
                forbidden.append(key)
                continue
            value = jsonable(raw)
            if value is not None:
                problems = schema_errors(definition.schema, value, prefix=key) or b2b_food.field_errors(key, value)
                if problems:
                    errors.update(problems)
                    continue
            values[key] = value
        if forbidden:
            names = ", ".join(f"'{k}' ({catalog[k].label})" for k in forbidden)
            raise Forbidden(
                f"Only chain managers and admins may change contract and price fields: {names}.",
                errors={k: "restricted field" for k in forbidden})
        if errors:
            raise ValidationError("Some fields are not valid; nothing was saved.", errors=errors)
        return values

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
