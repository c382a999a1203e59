"""Draining: rounds in which every outbox consumer catches up and every inbound one gets a batch,
until nothing is left.

One consumer's trouble never holds up the others: an unreachable system makes
only its consumer wait (with growing pauses); an effect that keeps failing on
an event is narrowed down to that event, which goes to the dead letters.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine

from services.service_layer.context import Context
from services.service_layer.events import checkpoints, inbox, runner
from services.service_layer.events.consumers import OutboxConsumer, TransportDown, inbound_consumers, outbox_consumers
from services.service_layer.events.failures import is_connection_problem, is_systematic, is_transient
from services.service_layer.events.identity import daemon_context
from services.service_layer.events.logs import LOG, facts
from services.service_layer.events.options import DaemonOptions

# Events dead-lettered in a row after which a failing consumer is paused instead:
# when every event fails, the consumer is broken, not the events.
GIVE_UP_IN_A_ROW = 5

# What each consumer does to the events it acts on, for the log.
_ACTS = {"projection_check": "checked against the truth", "kpis": "applied to the KPI aggregates",
         "logistics": "posted to logistics", "bus": "published to NATS"}


@dataclass(frozen=True)
class DrainStats:
    """What one drain did. `events` is how many outbox events every active consumer passed."""

    events: int
    seconds: float
    passed: dict[str, int]
    inbound: int
    dead_letters: int
    repairs: int
    waiting: tuple[str, ...] = ()   # consumers that could not finish (their system is unreachable)

    @property
    def events_per_second(self) -> float:
        return self.events / self.seconds if self.seconds > 0 else 0.0


@dataclass
class _Health:
    failures: int = 0
    resume_at: float = 0.0
    singles: int = 0   # events still to take one at a time while narrowing down a failure
    given_up: int = 0  # events dead-lettered in a row: past GIVE_UP_IN_A_ROW the fault is not the events'
    again: bool = False  # narrowing down has just begun: the next batch is due at once


@dataclass
class _Totals:
    passed: dict[str, int] = field(default_factory=dict)
    inbound: int = 0
    dead: int = 0
    repairs: int = 0


class Drainer:
    def __init__(self, ctx: Context, options: DaemonOptions):
        self.ctx = ctx
        self.options = options
        built = outbox_consumers(options)
        self.inactive = {c.name: c.inactive_reason() for c in built if c.inactive_reason()}
        for c in built:
            if c.name in self.inactive:
                c.close()
        self.outbox = [c for c in built if c.name not in self.inactive]
        self.all_inbound = inbound_consumers(options)
        self.inbound = [c for c in self.all_inbound if options.only is None or c.name in options.only]
        self._health: dict[str, _Health] = {}
        self.work_done = 0  # grows with every batch that went through (the daemon's measure of progress)
        # Events each outbox consumer has passed since start, counted as each batch commits, so
        # that a drain cut short by a lost connection still counts what it got through.
        self.passed: dict[str, int] = {c.name: 0 for c in self.outbox}
        self._progress = threading.Lock()
        self._threads = ThreadPoolExecutor(max_workers=max(1, len(self.outbox)), thread_name_prefix="consumer")
        for name in [c.name for c in self.outbox] + [c.name for c in self.all_inbound] + [inbox.TRIAGE]:
            self._health[name] = _Health()

    def prepare(self) -> None:
        with self.ctx.engine.begin() as conn:
            for c in self.outbox:
                checkpoints.ensure(conn, c.name)
            for c in self.inbound:
                checkpoints.ensure(conn, c.name, "inbox")
        for name, reason in self.inactive.items():
            LOG.info(f"{name}: inactive, {reason}", extra=facts(consumer=name, state="inactive"))

    def drain(self, stop: Callable[[], bool] = lambda: False) -> DrainStats:
        started, totals = time.perf_counter(), _Totals()
        while not stop() and self.round(stop, totals):
            pass
        seconds = time.perf_counter() - started
        passed = {c.name: totals.passed.get(c.name, 0) for c in self.outbox}
        waiting = tuple(n for n, h in self._health.items() if h.failures)
        return DrainStats(min(passed.values(), default=0), seconds, passed, totals.inbound, totals.dead,
                          totals.repairs, waiting)

    def round(self, stop: Callable[[], bool], totals: _Totals | None = None) -> int:
        """One batch per inbound consumer, and every outbox consumer until it has caught up;
        returns how much was done (0: all idle)."""
        totals = totals or _Totals()
        # The outbox consumers are independent (own checkpoint, own connections), so each takes
        # its batches in its own thread, one after the other, while the inbox is worked off here:
        # none waits for a slower one's batch, and the database work runs without the GIL.
        failed = threading.Event()
        futures = [] if stop() else [
            self._threads.submit(self._catch_up, c, lambda: stop() or failed.is_set(), failed) for c in self.outbox]
        try:
            work = self._inbound_round(totals) if self.inbound else 0
        except BaseException:
            failed.set()
            raise
        finally:
            wait(futures)
        for future in futures:
            for batch in future.result():  # re-raises a lost connection, after every thread has finished
                work += batch.seen + batch.retried
                totals.passed[batch.consumer] = totals.passed.get(batch.consumer, 0) + batch.seen
                totals.dead += batch.dead
                totals.repairs += batch.repairs
        return work

    def _inbound_round(self, totals: _Totals) -> int:
        work, limit = 0, self.options.batch_size
        batch = self._guarded(inbox.TRIAGE, lambda: inbox.triage(self.ctx.engine, self.all_inbound, limit))
        work += self._inbound_done(batch, totals)
        for consumer in self.inbound:
            batch = self._guarded(consumer.name, lambda c=consumer: inbox.process(self.ctx, c, limit))
            work += self._inbound_done(batch, totals)
        return work

    def _catch_up(self, consumer: OutboxConsumer, stop: Callable[[], bool],
                  failed: threading.Event) -> list[runner.Batch]:
        """Batches until the consumer has nothing left, must wait, or another thread failed."""
        done: list[runner.Batch] = []
        health = self._health[consumer.name]
        try:
            while not stop():
                batch = self._outbox_batch(consumer, stop)
                if batch is None:
                    if health.again:  # a batch failed: on with its events one at a time
                        health.again = False
                        continue
                    break
                done.append(batch)
                if not (batch.seen or batch.retried):
                    break
        except BaseException:
            failed.set()
            raise
        return done

    def _outbox_batch(self, consumer: OutboxConsumer, stop: Callable[[], bool]) -> runner.Batch | None:
        health = self._health[consumer.name]
        size = 1 if health.singles else self.options.batch_size
        batch = self._guarded(consumer.name, lambda: runner.run(
            self.ctx.engine, consumer, size, stop=stop, deadline_seconds=self.options.external_batch_seconds),
            narrow=(consumer, size))
        if batch is not None:
            health.singles = max(0, health.singles - batch.seen)
            with self._progress:
                self.work_done += batch.seen + batch.retried
                self.passed[consumer.name] = self.passed.get(consumer.name, 0) + batch.seen
            self._log_batch(batch)
        return batch

    def close(self) -> None:
        self._threads.shutdown()
        for c in self.outbox:
            c.close()

    # ------------------------------------------------------------------ helpers

    def _guarded(self, name: str, work: Callable, narrow: tuple | None = None):
        health = self._health[name]
        if time.monotonic() < health.resume_at:
            return None
        try:
            result = work()
        except Exception as exc:  # noqa: BLE001 - sorted below; the daemon itself must go on
            if is_connection_problem(exc):
                raise
            if is_transient(exc):
                LOG.info(f"{name}: a concurrent transaction got in the way; trying again",
                         extra=facts(consumer=name, error=str(exc).splitlines()[0]))
                return None
            if narrow is not None and not isinstance(exc, TransportDown) and not is_systematic(exc) \
                    and health.given_up < GIVE_UP_IN_A_ROW:
                return self._narrow(name, health, exc, *narrow)
            health.failures += 1
            pause = min(2.0 ** health.failures, 300.0)
            health.resume_at = time.monotonic() + pause
            level = LOG.warning if isinstance(exc, TransportDown) else LOG.error
            level(f"{name}: {exc}; its events wait, next try in {pause:.0f} s",
                  extra=facts(consumer=name, failures=health.failures), exc_info=not isinstance(exc, TransportDown))
            return None
        health.failures, health.resume_at = 0, 0.0
        if narrow is not None and result is not None and not result.dead:
            health.given_up = 0
        return result

    def _narrow(self, name: str, health: _Health, exc: Exception, consumer, size: int):
        if size > 1:
            health.singles, health.again = size, True
            LOG.warning(f"{name}: a batch of {size} events failed ({exc}); taking them one at a time to find the cause",
                        extra=facts(consumer=name))
            return None
        batch = runner.give_up_on_next(self.ctx.engine, consumer, f"{type(exc).__name__}: {exc}")
        health.given_up += 1
        LOG.error(f"{name}: the event at position {batch.first if batch else '?'} failed ({exc}); "
                  f"it went to the dead letters, the consumer goes on", extra=facts(consumer=name))
        return batch

    def _inbound_done(self, batch, totals: _Totals) -> int:
        if batch is None:
            return 0
        totals.inbound += batch.seen
        totals.dead += batch.dead
        with self._progress:
            self.work_done += batch.seen
        level = LOG.warning if batch.dead else LOG.info
        if batch.consumer == inbox.TRIAGE:
            level(f"inbox: {batch.dead} inbound event(s) of no known type went to the dead letters",
                  extra=facts(consumer=inbox.TRIAGE, events=batch.seen, dead_letters=batch.dead))
        else:
            shown = "; ".join(batch.notes[:3]) + ("; …" if len(batch.notes) > 3 else "")
            level(f"{batch.consumer}: {batch.seen} inbound event(s), {batch.handled} processed, "
                  f"{batch.dead} to the dead letters, in {batch.seconds:.2f} s" + (f" ({shown})" if shown else ""),
                  extra=facts(consumer=batch.consumer, events=batch.seen, processed=batch.handled,
                              dead_letters=batch.dead, seconds=batch.seconds))
        return batch.seen

    def _log_batch(self, b: runner.Batch) -> None:
        parts = [f"{b.consumer}: passed {b.seen:,} events"]
        if b.first is not None:
            parts.append(f"(positions {b.first:,}–{b.last:,})" if b.first != b.last else f"(position {b.first:,})")
        parts.append(f"in {b.seconds:.2f} s; {b.handled:,} {_ACTS.get(b.consumer, 'handled')}")
        if b.consumer == "projection_check":
            parts.append(f"{b.repairs} projection row(s) differed from the truth and were repaired")
        if b.dead:
            parts.append(f"{b.dead} to the dead letters")
        if b.retried:
            parts.append(f"{b.retried} redriven dead letter(s) delivered")
        if b.note:
            parts.append(b.note)
        level = LOG.warning if (b.repairs or b.dead) else LOG.info
        level("; ".join([" ".join(parts[:3])] + parts[3:]),
              extra=facts(consumer=b.consumer, events=b.seen, handled=b.handled, first=b.first, last=b.last,
                          repairs=b.repairs, dead_letters=b.dead, seconds=b.seconds))


def drain_all(engine: Engine, *, options: DaemonOptions | None = None, batch_size: int | None = None,
              consumers: set[str] | None = None) -> DrainStats:
    """Drain everything pending with the built-in consumers, as one daemon would (for `steward bench`).

    `engine` logs in as steward_daemon or the database owner. External
    consumers run when configured (options or STEWARD_LOGISTICS_URL, STEWARD_NATS_URL).
    """
    options = (options or DaemonOptions.from_env()).override(
        batch_size=batch_size, only=frozenset(consumers) if consumers is not None else None)
    drainer = Drainer(daemon_context(engine), options)
    try:
        drainer.prepare()
        return drainer.drain()
    finally:
        drainer.close()
