"""What changed since a point, as the logged-in person may see it (row-level security
filters the outbox), for clients that refresh what is on screen."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import sqlalchemy as sa

from services.service_layer.context import Context
from services.adapters.notifications import Listener


@dataclass(frozen=True)
class Changes:
    position: int                      # pass back as `since` next time
    customer_ids: frozenset[uuid.UUID]
    types: frozenset[str]


class ChangeFeed:
    def __init__(self, ctx: Context, url):
        self._ctx = ctx
        self._url = url

    def latest_position(self) -> int:
        with self._ctx.read() as conn:
            return int(conn.execute(sa.text("SELECT coalesce(max(position), 0) FROM event_outbox")).scalar_one())

    def since(self, position: int, *, limit: int = 5000) -> Changes:
        """Customers touched by events after `position` that this person may read.

        Positions are not commit order, so a late commit below `position` may be
        missed here; clients treat this as a hint and re-read what they show.
        """
        with self._ctx.read() as conn:
            rows = conn.execute(sa.text(
                "SELECT position, customer_id, type FROM event_outbox WHERE position > :p "
                "ORDER BY position LIMIT :limit"), {"p": position, "limit": limit}).all()
        if not rows:
            return Changes(position, frozenset(), frozenset())
        return Changes(rows[-1].position, frozenset(r.customer_id for r in rows if r.customer_id),
                       frozenset(r.type for r in rows))

    def listener(self) -> Listener:
        """A blocking LISTEN connection as this person (use from a worker thread)."""
        return Listener(self._url)
