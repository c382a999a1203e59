"""Inbound envelopes from NATS JetStream: other modules publish to `steward.inbound.<type>`.

With STEWARD_NATS_URL set, the daemon pulls from a durable JetStream consumer on
`steward.inbound.>` (stream STEWARD_INBOUND, made if missing) and takes each message in
through inbox.receive(), the same door as `steward events ingest` and POST /events: a good
envelope is queued, one whose event id was already received is skipped, anything else
becomes a dead letter with its reason and the subject as its origin. A batch of messages
is acknowledged only after its transaction committed, so a crash in between redelivers
them, and the inbox's one row per event id makes the repeat harmless: at least once from
NATS, exactly once into the inbox. The insert wakes the daemon (the inbox's notification),
which processes the events as any others.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from dataclasses import dataclass

from sqlalchemy.engine import Engine

from services.service_layer.events import inbox
from services.service_layer.events.consumers import inbound_consumers
from services.service_layer.events.options import DaemonOptions

LOG = logging.getLogger("steward.daemon")
DURABLE = "steward-inbox"
BATCH = 200
CONNECT_TIMEOUT = 3.0


@dataclass
class Pulled:
    messages: int = 0
    accepted: int = 0
    duplicates: int = 0
    dead: int = 0


class NatsInbound:
    """The puller; `pull_once()` takes what is waiting now, `start()` keeps pulling in a thread."""

    def __init__(self, engine: Engine, options: DaemonOptions):
        self._engine = engine
        self._url = options.nats_url
        self._subject = options.nats_inbound_subject
        self._stream = options.nats_inbound_stream
        self._consumers = inbound_consumers(options)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.total = Pulled()

    @property
    def active(self) -> bool:
        return bool(self._url)

    def pull_once(self, *, wait: float = 0.5) -> Pulled:
        """Everything waiting on the subject now (for `steward daemon --once` and tests)."""
        return asyncio.run(self._run(until_empty=True, wait=wait))

    def start(self) -> None:
        if self._thread is None and self.active:
            self._thread = threading.Thread(target=self._loop, name="steward-nats-inbound", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def _loop(self) -> None:
        pause = 0.5
        while not self._stop.is_set():
            try:
                asyncio.run(self._run(until_empty=False, wait=1.0))
                pause = 0.5
            except Exception as exc:  # noqa: BLE001 - NATS or the database down: wait, try again
                LOG.warning(f"inbound from NATS paused: {type(exc).__name__}: {exc}; trying again in {pause:.0f} s")
                self._stop.wait(pause)
                pause = min(30.0, pause * 2)

    async def _run(self, *, until_empty: bool, wait: float) -> Pulled:
        import nats
        import nats.errors
        import nats.js.errors

        pulled = Pulled()
        nc = await asyncio.wait_for(nats.connect(self._url, connect_timeout=CONNECT_TIMEOUT, allow_reconnect=False,
                                                 max_reconnect_attempts=1), CONNECT_TIMEOUT + 1)
        try:
            js = nc.jetstream()
            try:
                await js.find_stream_name_by_subject(f"{self._subject}.>")
            except nats.js.errors.NotFoundError:
                await js.add_stream(name=self._stream, subjects=[f"{self._subject}.>"])
            subscription = await js.pull_subscribe(f"{self._subject}.>", durable=DURABLE)
            while not self._stop.is_set():
                try:
                    messages = await subscription.fetch(BATCH, timeout=wait)
                except (nats.errors.TimeoutError, asyncio.TimeoutError):
                    if until_empty:
                        break
                    continue
                self._receive(messages, pulled)
                for message in messages:
                    await message.ack()
        finally:
            await nc.close()
        return pulled

    def _receive(self, messages, pulled: Pulled) -> None:
        """One transaction for the batch; each message its own savepoint (inbox.receive)."""
        batch = Pulled()
        with self._engine.begin() as conn:
            for message in messages:
                received = inbox.receive(conn, message.data, f"nats:{message.subject}", consumers=self._consumers)
                batch.messages += 1
                if received.outcome == inbox.ACCEPTED:
                    batch.accepted += 1
                elif received.outcome == inbox.DUPLICATE:
                    batch.duplicates += 1
                else:
                    batch.dead += 1
        for total in (pulled, self.total):
            for name in ("messages", "accepted", "duplicates", "dead"):
                setattr(total, name, getattr(total, name) + getattr(batch, name))
        LOG.info(f"inbound from NATS: {batch.messages} message(s), {batch.accepted} accepted, "
                 f"{batch.duplicates} already received, {batch.dead} dead-lettered")
