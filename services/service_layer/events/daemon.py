"""`steward daemon`: drain the outbox and the inbox, run scheduled jobs, and keep going.

It wakes on LISTEN/NOTIFY and polls as a fallback (notifications are lost while
a connection is down). When the database goes away it reconnects with growing
pauses, never crash-looping; checkpoints live in the database, so nothing is
lost. SIGTERM or SIGINT: the batch in hand finishes and commits, then it exits 0.
"""

from __future__ import annotations

import os
import random
import signal
import socket
import threading
import time
from collections.abc import Callable

import sqlalchemy as sa

from sqlalchemy.engine import URL, Engine
from tenacity import Retrying, RetryCallState, retry_if_exception

from services.service_layer.events.drain import Drainer, DrainStats
from services.service_layer.events.failures import is_connection_problem
from services.service_layer.events.identity import daemon_context
from services.service_layer.events.logs import LOG, facts
from services.service_layer.events.options import DaemonOptions
from services.service_layer.events.schedule import Scheduler
from services.adapters.notifications import Listener

# Connects (or reconnects) to the database: the engine and the URL to LISTEN on.
Connector = Callable[[], tuple[Engine, URL]]

# How long `--once` keeps trying to reach the database, without any batch going through, before it gives up.
ONCE_PATIENCE = 120.0
MAX_PAUSE = 30.0
# How often a running daemon says it is alive (daemon_heartbeats; `steward health` reads it).
BEAT_EVERY = 10.0

_BEAT = sa.text(
    "INSERT INTO daemon_heartbeats (daemon, mode, passed) VALUES (:daemon, :mode, :passed) "
    "ON CONFLICT (daemon) DO UPDATE SET beat_at = now(), passed = EXCLUDED.passed, mode = EXCLUDED.mode, "
    "       started_at = CASE WHEN daemon_heartbeats.stopped_at IS NULL THEN daemon_heartbeats.started_at ELSE now() END, "
    "       stopped_at = NULL")
_STOPPED = sa.text("UPDATE daemon_heartbeats SET stopped_at = now(), beat_at = now(), passed = :passed "
                   "WHERE daemon = :daemon")


class Daemon:
    def __init__(self, connect: Connector, options: DaemonOptions, *, once: bool = False):
        self._connect = connect
        self.options = options
        self.once = once
        self._stopping = threading.Event()
        self._engine: Engine | None = None
        self._drainer: Drainer | None = None
        self._scheduler: Scheduler | None = None
        self._listener: Listener | None = None
        self._nats_inbound = None
        self.last: DrainStats | None = None
        self._failures = 0
        self._work_at_failure = 0
        self._progress_at = time.monotonic()
        self._down_since: float | None = None   # when the database went away, until it is back
        self.name = f"{socket.gethostname()}:{os.getpid()}"
        self._beat_at = 0.0
        self._beat_broken = False

    @property
    def passed(self) -> int:
        """Events that went through every outbox consumer since start, outages included."""
        return min(self._drainer.passed.values(), default=0) if self._drainer else 0

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    def request_stop(self, *_args) -> None:
        if not self.stopping:
            LOG.info("stop requested: finishing the batch in hand, then saving checkpoints and exiting")
        self._stopping.set()

    def run(self) -> int:
        """Until stopped (or, with `once`, until nothing is pending). Returns the exit code."""
        previous = self._install_signals()
        LOG.info("daemon starting" + (" to drain what is pending, then exit" if self.once else ""),
                 extra=facts(once=self.once, batch=self.options.batch_size, poll=self.options.poll_seconds))
        code = 0
        try:
            while not self.stopping:
                self._retrying()(self._cycle)
                if self.once:
                    waiting = self.last.waiting if self.last else ()
                    if waiting:
                        LOG.error(f"not everything was drained: {', '.join(waiting)} could not finish (see above); "
                                  f"their events wait for the next run")
                        code = 1
                    break
        except Exception as exc:
            if not is_connection_problem(exc):
                raise
            if not self.stopping:
                LOG.error(f"gave up: the database stayed unreachable for {ONCE_PATIENCE:.0f} s ({_first_line(exc)})")
                code = 1
        finally:
            self._beat(stopped=True)
            self._close()
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        LOG.info(f"daemon stopped after passing {self.passed:,} events; every checkpoint is saved",
                 extra=facts(events=self.passed, exit_code=code))
        return code

    # ------------------------------------------------------------------ cycle

    def _cycle(self) -> None:
        if self._drainer is None:
            self._start()
        assert self._drainer is not None and self._scheduler is not None
        if self.once and self._nats_inbound is not None:
            try:
                self._nats_inbound.pull_once()
            except Exception as exc:  # noqa: BLE001 - NATS down: the database's inbox is drained all the same
                LOG.warning(f"inbound from NATS not read: {type(exc).__name__}: {exc}")
        stats = self._drainer.drain(stop=lambda: self.stopping)
        self.last = stats
        if self._down_since is not None:
            LOG.info(f"reconnected: the database is back after {time.monotonic() - self._down_since:.1f} s; "
                     f"going on from the saved checkpoints", extra=facts(failures=self._failures))
            self._down_since = None
        self._beat()
        if self.once or self.stopping:
            return
        self._scheduler.run_due(stop=lambda: self.stopping)
        self._wait()

    def _start(self) -> None:
        engine, url = self._connect()
        try:
            drainer = Drainer(daemon_context(engine), self.options)
            drainer.prepare()
            if not self.once:
                self._listener = Listener(url)
                self._listener.connect()
        except BaseException:
            engine.dispose()
            raise
        self._engine, self._drainer = engine, drainer
        self._scheduler = Scheduler(engine, self.options)
        if self.options.nats_url and self._nats_inbound is None:
            from services.service_layer.events.nats_inbound import NatsInbound

            self._nats_inbound = NatsInbound(engine, self.options)
            if not self.once:
                self._nats_inbound.start()
        LOG.info(f"connected to {url.host or 'the embedded server'}/{url.database} as {url.username}; "
                 f"consumers: {', '.join(c.name for c in drainer.outbox + drainer.inbound) or 'none'}",
                 extra=facts(database=url.database, login=url.username))

    def _wait(self) -> None:
        """Until a notification, the poll interval, or a stop request (checked every second)."""
        assert self._listener is not None
        deadline = time.monotonic() + self.options.poll_seconds
        while not self.stopping:
            left = deadline - time.monotonic()
            if left <= 0 or self._listener.wait(min(1.0, left)):
                return

    def _beat(self, *, stopped: bool = False) -> None:
        """Say this daemon is alive (at most every BEAT_EVERY seconds), or that it stopped.
        A heartbeat that cannot be written is no reason to stop draining."""
        if self._engine is None or self._beat_broken or (
                not stopped and not self.once and time.monotonic() - self._beat_at < BEAT_EVERY):
            return
        try:
            with self._engine.begin() as conn:
                conn.execute(_BEAT, {"daemon": self.name, "mode": "once" if self.once else "run",
                                     "passed": self.passed})
                if stopped:
                    conn.execute(_STOPPED, {"daemon": self.name, "passed": self.passed})
            self._beat_at = time.monotonic()
        except Exception as exc:  # noqa: BLE001 - see the docstring
            if is_connection_problem(exc):
                if stopped:
                    return
                raise
            self._beat_broken = True
            LOG.warning(f"cannot write the heartbeat ({_first_line(exc)}); `steward health` will not see this daemon")

    # --------------------------------------------------------------- recovery

    def _retrying(self) -> Retrying:
        return Retrying(
            retry=retry_if_exception(is_connection_problem),
            wait=self._pause,
            stop=self._give_up,
            sleep=self._stopping.wait,
            before_sleep=self._outage,
            reraise=True,
        )

    def _pause(self, state: RetryCallState) -> float:
        """Exponential, counted from the last batch that went through: a daemon that gets work
        done between failures keeps reconnecting quickly."""
        self._note_progress()
        self._failures += 1
        return min(MAX_PAUSE, 0.5 * 2 ** (self._failures - 1)) + random.uniform(0, 0.5)

    def _give_up(self, state: RetryCallState) -> bool:
        if self.stopping:
            return True
        self._note_progress()
        return self.once and time.monotonic() - self._progress_at > ONCE_PATIENCE

    def _note_progress(self) -> None:
        work = self._drainer.work_done if self._drainer else 0
        if work != self._work_at_failure:
            self._work_at_failure, self._failures = work, 0
            self._progress_at = time.monotonic()

    def _outage(self, state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        if self._down_since is None:
            self._down_since = time.monotonic()
        pause = state.next_action.sleep if state.next_action else 0
        LOG.warning(f"database unreachable ({_first_line(exc)}); what was not committed will be done again; "
                    f"reconnecting in {pause:.1f} s", extra=facts(failures=self._failures))
        if self._listener is not None:
            self._listener.close()

    def _install_signals(self) -> dict:
        """SIGTERM and SIGINT ask for a stop; returns the handlers they had."""
        if threading.current_thread() is not threading.main_thread():
            return {}
        return {signum: signal.signal(signum, self.request_stop) for signum in (signal.SIGTERM, signal.SIGINT)}

    def _close(self) -> None:
        if self._nats_inbound is not None:
            self._nats_inbound.stop()
        if self._listener is not None:
            self._listener.close()
        if self._drainer is not None:
            self._drainer.close()
        if self._engine is not None:
            self._engine.dispose()


def _first_line(exc: BaseException | None) -> str:
    text = str(getattr(exc, "orig", None) or exc or "").strip()
    return text.splitlines()[0] if text else type(exc).__name__
