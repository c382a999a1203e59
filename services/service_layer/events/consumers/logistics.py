"""`logistics`: POST each `shipment.requested` envelope to the logistics service.

At-least-once: the event id travels as the `Idempotency-Key` header, so the
receiver can drop a repeat after a crash between its answer and our checkpoint.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx
from tenacity import RetryError, Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from services.service_layer.events.consumers.base import Delivery, OutboxConsumer, payload
from services.service_layer.events.options import DaemonOptions
from services.service_layer.outbox import OutboxEvent

# Answers that may change when asked again; any other 4xx refuses this very event.
_RETRYABLE_STATUS = {408, 425, 429}


class _TryAgain(Exception):
    pass


class _Refused(Exception):
    pass


class LogisticsDelivery(OutboxConsumer):
    name = "logistics"
    types = frozenset({"shipment.requested"})
    external = True
    with_data = False
    rendered = True

    def __init__(self, options: DaemonOptions):
        self._url = options.logistics_url
        self._attempts = options.logistics_attempts
        self._backoff = options.logistics_backoff
        self._parallel = options.logistics_parallel
        self._client = httpx.Client(timeout=options.logistics_timeout,
                                    limits=httpx.Limits(max_connections=self._parallel)) if self._url else None
        self._pool = ThreadPoolExecutor(max_workers=self._parallel, thread_name_prefix="logistics")

    def inactive_reason(self) -> str | None:
        return None if self._url else "STEWARD_LOGISTICS_URL is not set; shipment requests wait for it"

    def deliver(self, events: list[OutboxEvent], *, deadline: float, stop: Callable[[], bool]) -> Delivery:
        """A few requests at a time (the receiver is idempotent by key, order is not promised);
        the deadline is checked between rounds, so a slow endpoint ends the batch early."""
        failures: list[tuple[OutboxEvent, str, int]] = []
        done = 0
        while done < len(events):
            if done and (time.monotonic() > deadline or stop()):
                break
            chunk = events[done:done + self._parallel]
            for event, problem in zip(chunk, self._pool.map(self._post, chunk)):
                if problem is not None:
                    failures.append((event, *problem))
            done += len(chunk)
        return Delivery(done, failures)

    def _post(self, event: OutboxEvent) -> tuple[str, int] | None:
        """None when delivered; else (last error, attempts made)."""
        retrying = Retrying(stop=stop_after_attempt(self._attempts),
                            wait=wait_exponential(multiplier=self._backoff, max=30),
                            retry=retry_if_exception_type(_TryAgain))
        try:
            retrying(self._post_once, event)
            return None
        except RetryError as exc:
            return f"gave up after {self._attempts} attempts: {exc.last_attempt.exception()}", self._attempts
        except _Refused as exc:
            return f"refused by the logistics service: {exc}", retrying.statistics.get("attempt_number", 1)

    def _post_once(self, event: OutboxEvent) -> None:
        assert self._client is not None and self._url is not None
        try:
            response = self._client.post(self._url, content=payload(event),
                                         headers={"Content-Type": "application/json", "Idempotency-Key": str(event.id)})
        except httpx.HTTPError as exc:
            raise _TryAgain(f"{type(exc).__name__}: {exc}") from None
        if response.is_success:
            return
        answer = f"HTTP {response.status_code} {response.text[:200].strip()}".strip()
        if 400 <= response.status_code < 500 and response.status_code not in _RETRYABLE_STATUS:
            raise _Refused(answer)
        raise _TryAgain(answer)

    def close(self) -> None:
        self._pool.shutdown()
        if self._client is not None:
            self._client.close()
