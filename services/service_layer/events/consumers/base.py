"""What a consumer is: of the outbox (database effect, or delivery elsewhere) or of the inbox."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Connection

from services.service_layer.context import Context
from services.adapters.database import UnitOfWork, dumps
from services.service_layer.events.checkpoints import Scan
from services.service_layer.events.envelopes import Inbound
from services.service_layer.outbox import OutboxEvent


@dataclass(frozen=True)
class Delivery:
    """How far an external consumer got: `done` events from the start of its list were
    delivered or given up on; the given-up ones are in `failures` (event, reason, attempts)."""

    done: int
    failures: list[tuple[OutboxEvent, str, int]] = field(default_factory=list)


def payload(event: OutboxEvent) -> bytes:
    """The envelope as JSON, as rendered by PostgreSQL when the consumer asked for it."""
    rendered = getattr(event, "envelope_json", None)  # redriven letters come as plain events
    return (rendered or dumps(event.envelope)).encode()


class TransportDown(Exception):
    """The other system cannot be reached at all: nothing is recorded, the consumer waits and tries again."""


class OutboxConsumer:
    """What a consumer reads of each batch (sql/queries/read_outbox_batch.sql): only what it
    needs leaves the server; the checkpoint passes the rest."""

    name = ""
    types: frozenset[str] | None = None     # the events it acts on; None: every event
    in_full: frozenset[str] | None = None   # of those, the ones it gets as events; None: all of them
    customers = False  # gets the distinct customers its events name (checkpoints.Scan.customers)
    with_data = True
    rendered = False   # gets each envelope as JSON text (checkpoints.RenderedEvent)
    # External consumers deliver outside any transaction (see runner.py) and are at-least-once.
    external = False

    def inactive_reason(self) -> str | None:
        return None

    def apply(self, conn: Connection, events: list[OutboxEvent]) -> int:
        """The database effect of these events (also redriven ones), in the caller's
        transaction; returns projection rows repaired."""
        raise NotImplementedError

    def apply_batch(self, conn: Connection, batch: Scan) -> int:
        """The database effect of a batch read as this consumer asked (see the class)."""
        return self.apply(conn, batch.events)

    def deliver(self, events: list[OutboxEvent], *, deadline: float, stop: Callable[[], bool]) -> Delivery:
        raise NotImplementedError

    def close(self) -> None:
        pass


class InboundConsumer:
    name = ""
    type = ""

    def parse(self, data: dict[str, Any]) -> Any:
        """The event's data as a request; raises envelopes.Rejected with the reason."""
        raise NotImplementedError

    def apply(self, uow: UnitOfWork, ctx: Context, event: Inbound, request: Any) -> str:
        """The effect through the service layer in `uow`; returns what happened, for the log."""
        raise NotImplementedError
