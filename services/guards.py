"""The customer lock every write to a customer starts with."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa

from services.errors import Forbidden, NotFound

_LOCK = sa.text("SELECT * FROM accounts WHERE id = :id FOR NO KEY UPDATE")
_VISIBLE = sa.text("SELECT 1 FROM accounts WHERE id = :id")


def lock_customer(conn: Any, cid: uuid.UUID, doing: str = "change it") -> Any:
    """Lock the account row for this transaction and return it.

    Serialises writers of one customer (the triggers rely on it, see
    sql/migrations/0002), and refuses, by name, a customer the person may read
    but not change: row-level security hides it from FOR UPDATE.
    """
    row = conn.execute(_LOCK, {"id": cid}).first()
    if row is None:
        if conn.execute(_VISIBLE, {"id": cid}).first():
            raise Forbidden(f"You may read customer {cid} but not {doing}.")
        raise NotFound(f"Customer {cid} does not exist or is not visible to you.")
    return row
