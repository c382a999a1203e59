"""What a consumer is: of the outbox (database effect, or delivery elsewhere) or of the inbox."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Connection

from services.context import Context
from services.database import UnitOfWork
from services.events.envelopes import Inbound
from services.outbox import OutboxEvent


@dataclass(frozen=True)
class Delivery:
    """How far an external consumer got: `done` events from the start of its list were
    delivered or given up on; the given-up ones are in `failures` (event, reason, attempts)."""

    done: int
    failures: list[tuple[OutboxEvent, str, int]] = field(default_factory=list)


class TransportDown(Exception):
    """The other system cannot be reached at all: nothing is recorded, the consumer waits and tries again."""


class OutboxConsumer:
    name = ""
    types: frozenset[str] | None = None   # None: every event
    with_data = True
    rendered = False   # gets each envelope as JSON text (checkpoints.RenderedEvent)
    # External consumers deliver outside any transaction (see runner.py) and are at-least-once.
    external = False

    def inactive_reason(self) -> str | None:
        return None

    def apply(self, conn: Connection, events: list[OutboxEvent]) -> int:
        """The database effect, in the caller's transaction; returns projection rows repaired."""
        raise NotImplementedError

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
