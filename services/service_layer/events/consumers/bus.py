"""`bus`: publish every outbox event to NATS JetStream, for other modules to subscribe at scale.

The event id is the `Nats-Msg-Id`, so JetStream drops a repeat within the
stream's duplicate window (a redelivery after a crash or a replay).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

from services.service_layer.events.consumers.base import Delivery, OutboxConsumer, TransportDown, payload
from services.service_layer.events.options import DaemonOptions
from services.service_layer.outbox import OutboxEvent

ACK_TIMEOUT = 10.0
CONNECT_TIMEOUT = 3.0
WINDOW = 2000   # publications waiting for their acknowledgement at most


async def _quiet(_error: Exception) -> None:
    pass


class _Acks:
    """JetStream's answers to one batch of publications, all sent to one inbox: per message a
    future, a reply subject and a JSON decode cost more than the publishing itself."""

    def __init__(self) -> None:
        self.sent = self.received = 0
        self.refused = False
        self._arrived = asyncio.Event()

    async def take(self, msg) -> None:
        self.received += 1
        try:
            answer = json.loads(msg.data) if msg.data else {}
        except ValueError:
            answer = {}
        # {"stream": …, "seq": …} is stored (or a repeat dropped); {"error": …}, or a bare
        # status such as "no responders" (no stream takes the subject), is not.
        if not isinstance(answer, dict) or "error" in answer or "seq" not in answer:
            self.refused = True
        self._arrived.set()

    async def room(self) -> None:
        while self.sent - self.received >= WINDOW:
            await self._arrived.wait()
            self._arrived.clear()

    async def all_in(self) -> None:
        while self.received < self.sent:
            await self._arrived.wait()
            self._arrived.clear()


class NatsBus(OutboxConsumer):
    name = "bus"
    external = True
    with_data = False
    rendered = True

    def __init__(self, options: DaemonOptions):
        self._url = options.nats_url
        self._prefix = options.nats_subject
        self._stream = options.nats_stream
        self._loop: asyncio.AbstractEventLoop | None = None
        self._nc = None
        self._js = None

    def inactive_reason(self) -> str | None:
        return None if self._url else "STEWARD_NATS_URL is not set"

    def subject(self, event: OutboxEvent) -> str:
        return f"{self._prefix}.{event.type}"

    def deliver(self, events: list[OutboxEvent], *, deadline: float, stop: Callable[[], bool]) -> Delivery:
        import nats.errors

        if self._loop is None:
            self._loop = asyncio.new_event_loop()
        try:
            return self._loop.run_until_complete(asyncio.wait_for(self._publish(events), ACK_TIMEOUT))
        except TransportDown:
            self._forget()
            raise
        except (asyncio.TimeoutError, OSError, nats.errors.Error) as exc:
            self._forget()
            raise TransportDown(f"NATS at {self._url} did not acknowledge: {type(exc).__name__} {exc}".strip()) from None

    async def _publish(self, events: list[OutboxEvent]) -> Delivery:
        """All at once, each acknowledgement to one inbox, counted as it comes (at most WINDOW
        waiting); only when JetStream refuses some does it publish them again one by one, to
        know which (the repeats of the accepted ones it drops by their id)."""
        import nats.errors

        await self._jetstream()
        acks = _Acks()
        inbox = self._nc.new_inbox()
        subscription = await self._nc.subscribe(inbox, cb=acks.take)
        too_large: list[tuple[OutboxEvent, str, int]] = []
        try:
            for event in events:
                await acks.room()
                try:
                    await self._nc.publish(self.subject(event), payload(event), reply=inbox,
                                           headers={"Nats-Msg-Id": str(event.id)})
                except nats.errors.MaxPayloadError as exc:
                    too_large.append((event, f"too large for NATS: {exc}", 1))
                    continue
                acks.sent += 1
            await acks.all_in()
        finally:
            await subscription.unsubscribe()
        if acks.refused:
            return await self._publish_one_by_one(events)
        return Delivery(len(events), too_large)

    async def _publish_one_by_one(self, events: list[OutboxEvent]) -> Delivery:
        import nats.errors
        import nats.js.errors

        js = await self._jetstream()
        failures: list[tuple[OutboxEvent, str, int]] = []
        pending = []
        for event in events:
            try:
                future = await js.publish_async(self.subject(event), payload(event),
                                                headers={"Nats-Msg-Id": str(event.id)})
            except nats.errors.MaxPayloadError as exc:
                failures.append((event, f"too large for NATS: {exc}", 1))
                continue
            pending.append((event, future))
        results = await asyncio.gather(*(f for _, f in pending), return_exceptions=True)
        for (event, _), result in zip(pending, results):
            if isinstance(result, nats.js.errors.NoStreamResponseError):
                raise TransportDown(f"no JetStream stream takes subject {self.subject(event)}")
            if isinstance(result, nats.js.errors.APIError):
                failures.append((event, f"refused by JetStream: {result}", 1))
            elif isinstance(result, BaseException):
                raise result
        return Delivery(len(events), failures)

    async def _jetstream(self):
        import nats
        import nats.js.errors

        if self._nc is None or self._nc.is_closed:
            # One try; our caller waits and tries again, and logs it (hence the quiet error_cb).
            self._nc = await asyncio.wait_for(nats.connect(
                self._url, connect_timeout=CONNECT_TIMEOUT, allow_reconnect=False, max_reconnect_attempts=1,
                reconnect_time_wait=0.1, error_cb=_quiet), CONNECT_TIMEOUT + 1)
            self._js = self._nc.jetstream()
            try:
                await self._js.find_stream_name_by_subject(f"{self._prefix}.>")
            except nats.js.errors.NotFoundError:
                await self._js.add_stream(name=self._stream, subjects=[f"{self._prefix}.>"])
        return self._js

    def _forget(self) -> None:
        if self._nc is not None and self._loop is not None:
            try:
                self._loop.run_until_complete(asyncio.wait_for(self._nc.close(), 2))
            except Exception:  # noqa: BLE001 - a broken connection may fail to close; it is dropped either way
                pass
        self._nc = self._js = None

    def close(self) -> None:
        self._forget()
        if self._loop is not None:
            self._loop.close()
            self._loop = None
