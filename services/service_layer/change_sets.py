"""Change sets: every bulk change as one unit that can be looked at and taken back.

A bulk edit, a reassignment of several customers, a paste into the grid, a restore
from history (and, later, an import or a merge) writes into one change set with the
before-image of every value it changed (sql/definitions/15_change_sets.sql). `undo`
restores them as a new change set, refusing per value what someone changed since.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from services.errors import NotFound
from services.service_layer.coerce import as_int, as_uuid
from services.service_layer.context import Context
from services.service_layer.records import record


@dataclass(frozen=True)
class Refusal:
    """A value a change (or its undo) left alone, and why."""

    customer_id: uuid.UUID
    key: str
    reason: str
    changed_by: str | None = None
    changed_at: datetime | None = None


@dataclass(frozen=True)
class ChangeSet:
    id: uuid.UUID
    kind: str
    description: str
    selection: dict[str, Any]
    created_by: uuid.UUID | None
    created_by_name: str | None
    created_at: datetime
    state: str                        # open, done, partial (cancelled half-way)
    finished_at: datetime | None
    undoes: uuid.UUID | None
    undone_by: uuid.UUID | None
    changed: int                      # values changed
    refused: int                      # values refused
    customers: int = 0                # customers it changed
    refused_values: tuple[Refusal, ...] = ()

    @property
    def undoable(self) -> bool:
        return self.state != "open" and self.undone_by is None and self.changed > 0


@dataclass(frozen=True)
class ChangeSetItem:
    customer_id: uuid.UUID
    customer_name: str | None
    target: str                       # field, master, owner
    key: str
    before: Any
    after: Any
    before_name: str | None = None    # the person, where the value is one (an owner)
    after_name: str | None = None


_SELECT = """
    SELECT c.id, c.kind, c.description, c.selection, c.created_by, u.display_name AS created_by_name, c.created_at,
           c.state, c.finished_at, c.undoes, c.undone_by, c.changed, c.refused,
           (SELECT count(DISTINCT i.customer_id) FROM change_set_items i WHERE i.change_set_id = c.id) AS customers
      FROM change_sets c
      LEFT JOIN users u ON u.id = c.created_by
"""


def change_set(answer: dict[str, Any]) -> ChangeSet:
    """A ChangeSet from the write API's answer (with its refusals, when it lists them)."""
    refused = tuple(record(Refusal, r) for r in answer.get("refused_values") or ())
    return record(ChangeSet, answer, refused_values=refused)


class ChangeSetService:
    def __init__(self, ctx: Context):
        self._ctx = ctx

    def list(self, *, limit: int = 50) -> list[ChangeSet]:
        """Your change sets (an admin: everyone's), newest first. One query."""
        limit = as_int(limit, "limit", minimum=1, maximum=1000)
        with self._ctx.read() as conn:
            rows = conn.execute(sa.text(_SELECT + " ORDER BY c.created_at DESC, c.id LIMIT :limit"), {"limit": limit})
            return [ChangeSet(**r._mapping) for r in rows]

    def get(self, change_set_id: Any) -> ChangeSet:
        cid = as_uuid(change_set_id, "change_set_id")
        with self._ctx.read() as conn:
            row = conn.execute(sa.text(_SELECT + " WHERE c.id = :id"), {"id": cid}).first()
        if row is None:
            raise NotFound(f"Change set {cid} does not exist or is not yours.")
        return ChangeSet(**row._mapping)

    def items(self, change_set_id: Any, *, limit: int = 500, offset: int = 0) -> list[ChangeSetItem]:
        """What a change set changed, value by value, in the order it changed them."""
        cid = as_uuid(change_set_id, "change_set_id")
        limit = as_int(limit, "limit", minimum=1, maximum=10000)
        offset = as_int(offset, "offset", minimum=0)
        with self._ctx.read() as conn:
            rows = conn.execute(sa.text(
                "SELECT i.customer_id, a.name AS customer_name, i.target, i.key, i.before, i.after, "
                "       b.display_name AS before_name, n.display_name AS after_name "
                "FROM change_set_items i LEFT JOIN accounts a ON a.id = i.customer_id "
                # Owners by name, whether or not they own anything now.
                "LEFT JOIN users b ON i.target = 'owner' AND b.id::text = i.before #>> '{}' "
                "LEFT JOIN users n ON i.target = 'owner' AND n.id::text = i.after #>> '{}' "
                "WHERE i.change_set_id = :id ORDER BY i.position LIMIT :limit OFFSET :offset"),
                {"id": cid, "limit": limit, "offset": offset})
            return [ChangeSetItem(**r._mapping) for r in rows]

    def undo(self, change_set_id: Any) -> ChangeSet:
        """Restore what the change set changed, as a new change set (undoing an undo redoes).
        Values someone changed since, or that you may not write, stay; `refused_values`
        names them, with who changed them and when. Commits; one round trip."""
        return change_set(self._ctx.call("undo_change_set", change_set=as_uuid(change_set_id, "change_set_id")))

    def last_undoable(self) -> ChangeSet | None:
        """Your newest change set that can still be undone (the desktop's Ctrl+Z)."""
        with self._ctx.read() as conn:
            row = conn.execute(sa.text(
                _SELECT + " WHERE c.created_by = steward_current_user_id() AND c.state <> 'open' "
                          "AND c.undone_by IS NULL AND c.changed > 0 ORDER BY c.created_at DESC LIMIT 1")).first()
        return ChangeSet(**row._mapping) if row else None
