"""How the daemon is tuned: environment variables, overridden by `steward daemon` options."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import time, timedelta

from services.config import OperationsConfig
from services.errors import ValidationError

DEFAULT_BATCH = 5000


def _env(name: str) -> str | None:
    return os.environ.get(name) or None


def _number(name: str, default: float) -> float:
    value = _env(name)
    if value is None:
        return default
    try:
        return float(value)
    except ValueError:
        raise ValidationError(f"{name} must be a number, not {value!r}.", errors={name: "must be a number"}) from None


def parse_time_of_day(value: str | None, name: str = "rebuild_at") -> time | None:
    """'03:00' → 03:00; 'off' (or empty) → no nightly job."""
    if value is None or value.strip().lower() in ("", "off", "never", "none"):
        return None
    try:
        return time.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError(f"{name} must be a time of day like 03:00, or 'off'.",
                              errors={name: "must be HH:MM or off"}) from None


@dataclass(frozen=True)
class DaemonOptions:
    batch_size: int = DEFAULT_BATCH
    poll_seconds: float = 5.0
    # Only these consumers run (None: every built-in one); for benchmarks and tests.
    only: frozenset[str] | None = None
    logistics_url: str | None = None
    logistics_attempts: int = 5
    logistics_backoff: float = 0.5     # first wait between attempts; doubles up to 30 s
    logistics_timeout: float = 10.0
    logistics_parallel: int = 8        # requests in flight at once
    nats_url: str | None = None
    nats_subject: str = "steward.events"
    nats_stream: str = "STEWARD_EVENTS"
    # Inbound envelopes from other modules (services/service_layer/events/nats_inbound.py).
    nats_inbound_subject: str = "steward.inbound"
    nats_inbound_stream: str = "STEWARD_INBOUND"
    # An external consumer commits what it delivered after this long, so a slow
    # endpoint delays only its own checkpoint, briefly.
    external_batch_seconds: float = 10.0
    rebuild_at: time | None = time(3, 0)
    rebuild_batches: int = 256
    cleanup_every: timedelta = timedelta(hours=1)
    outbox_retention: timedelta = timedelta(days=7)
    cleanup_batch: int = 10_000

    @classmethod
    def from_env(cls) -> "DaemonOptions":
        return cls(
            batch_size=int(_number("STEWARD_DAEMON_BATCH", DEFAULT_BATCH)),
            poll_seconds=_number("STEWARD_DAEMON_POLL", 5.0),
            logistics_url=_env("STEWARD_LOGISTICS_URL"),
            logistics_attempts=int(_number("STEWARD_LOGISTICS_ATTEMPTS", 5)),
            logistics_backoff=_number("STEWARD_LOGISTICS_BACKOFF", 0.5),
            logistics_timeout=_number("STEWARD_LOGISTICS_TIMEOUT", 10.0),
            nats_url=_env("STEWARD_NATS_URL"),
            nats_subject=_env("STEWARD_NATS_SUBJECT") or "steward.events",
            nats_stream=_env("STEWARD_NATS_STREAM") or "STEWARD_EVENTS",
            nats_inbound_subject=_env("STEWARD_NATS_INBOUND_SUBJECT") or "steward.inbound",
            nats_inbound_stream=_env("STEWARD_NATS_INBOUND_STREAM") or "STEWARD_INBOUND",
            rebuild_at=parse_time_of_day(os.environ.get("STEWARD_REBUILD_AT", "03:00"), "STEWARD_REBUILD_AT"),
            cleanup_every=timedelta(minutes=_number("STEWARD_CLEANUP_EVERY_MINUTES", 60)),
            # The retention policy `outbox` ([retention] outbox_days of the configuration file).
            outbox_retention=timedelta(days=_number("STEWARD_OUTBOX_RETENTION_DAYS",
                                                    OperationsConfig.load().retention["outbox_days"])),
        )

    def override(self, **changes) -> "DaemonOptions":
        changed = replace(self, **{k: v for k, v in changes.items() if v is not None})
        changed.check()
        return changed

    def check(self) -> None:
        if self.batch_size < 1 or self.logistics_attempts < 1 or self.poll_seconds <= 0:
            raise ValidationError("Batch size, poll interval and delivery attempts must be positive.")
        if self.only is not None:
            from services.service_layer.events.consumers import CONSUMER_NAMES

            unknown = sorted(self.only - set(CONSUMER_NAMES))
            if unknown:
                raise ValidationError(f"Unknown consumer(s): {', '.join(unknown)}.",
                                      errors={"consumer": f"must be one of {', '.join(CONSUMER_NAMES)}"})
