"""What every request passes: a size limit, a rate limit per token, and a structured access log."""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from typing import Any

from services.errors import PayloadTooLarge, StewardError, TooManyRequests

access_log = logging.getLogger("steward.http.access")


class RateLimiter:
    """A token bucket per API token (in this worker process): `rate` requests a second on
    average, `burst` at once. rate 0 switches it off."""

    def __init__(self, rate: float, burst: int):
        self.rate = float(rate)
        self.burst = max(1, int(burst))
        self._buckets: dict[bytes, list[float]] = {}
        self._lock = threading.Lock()

    def take(self, key: bytes) -> None:
        if self.rate <= 0:
            return
        now = time.monotonic()
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                if len(self._buckets) > 100_000:
                    self._buckets.clear()
                bucket = self._buckets[key] = [float(self.burst), now]
            tokens = min(self.burst, bucket[0] + (now - bucket[1]) * self.rate)
            bucket[1] = now
            if tokens < 1:
                bucket[0] = tokens
                wait = (1 - tokens) / self.rate
                raise TooManyRequests(f"More than {self.rate:g} requests a second with this token; "
                                      f"try again in {wait:.1f} s.", retry_after=max(1, round(wait + 0.5)))
            bucket[0] = tokens - 1


class _TooLarge(Exception):
    pass


def problem_response_parts(error: StewardError) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    body = json.dumps(error.to_problem(), ensure_ascii=False).encode()
    return error.status, [(b"content-type", b"application/problem+json"),
                          (b"content-length", str(len(body)).encode())], body


class Guard:
    """ASGI middleware: refuses bodies over `max_body` bytes (413), gives each request an id
    (X-Request-Id, taken from the client when it sends a sane one), and logs one JSON line per
    request: method, path, status, duration, bytes, person (never the token)."""

    def __init__(self, app: Any, *, max_body: int):
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = time.perf_counter()
        headers = dict(scope.get("headers") or ())
        given = headers.get(b"x-request-id", b"").decode("latin-1")
        request_id = given if 0 < len(given) <= 100 and given.isprintable() else str(uuid.uuid4())
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        outcome = {"status": 500, "bytes": 0, "started": False}

        async def send_logged(message):
            if message["type"] == "http.response.start":
                outcome["status"] = message["status"]
                outcome["started"] = True
                message = {**message, "headers": [*message.get("headers", ()),
                                                  (b"x-request-id", request_id.encode("latin-1"))]}
            elif message["type"] == "http.response.body":
                outcome["bytes"] += len(message.get("body", b""))
            await send(message)

        try:
            declared = int(headers.get(b"content-length", b"0") or 0)
        except ValueError:
            declared = 0
        try:
            if declared > self.max_body:
                raise _TooLarge
            received = 0

            async def receive_limited():
                nonlocal received
                message = await receive()
                if message["type"] == "http.request":
                    received += len(message.get("body", b""))
                    if received > self.max_body:
                        raise _TooLarge
                return message

            await self.app(scope, receive_limited, send_logged)
        except _TooLarge:
            if not outcome["started"]:
                status, hdrs, body = problem_response_parts(PayloadTooLarge(
                    f"The request body is larger than {self.max_body:,} bytes."))
                await send_logged({"type": "http.response.start", "status": status, "headers": hdrs})
                await send_logged({"type": "http.response.body", "body": body})
        finally:
            if access_log.isEnabledFor(logging.INFO):
                access_log.info(json.dumps({
                    "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                    "request_id": request_id,
                    "client": (scope.get("client") or ("", 0))[0],
                    "method": scope.get("method"),
                    "path": scope.get("path"),
                    "status": outcome["status"],
                    "ms": round((time.perf_counter() - started) * 1000, 2),
                    "bytes": outcome["bytes"],
                    "person": state.get("person"),
                }, ensure_ascii=False))
