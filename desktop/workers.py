"""Every service call runs here, off the UI thread; results come back by signal.

Call sites are one line, in the manner of anki's QueryOp:

    runner.read(lambda: svc.customers.list(q="kant"), done=self._show, owner=self)

Reads share a small pool; writes go through a pool of one thread, so two saves
of the same customer reach the database in the order they were made. The
callbacks run in the UI thread. A job whose `owner` widget is gone by the time
it finishes is dropped (its relay died with the owner), so a late answer never
touches a closed dialog.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

READ_THREADS = 3


class Cancelled(Exception):
    """Raised inside a job that noticed `job.cancelled`; not an error for the person."""


class _Relay(QObject):
    """Lives in the UI thread. The worker emits through it; Qt queues the emission,
    so the slots below (and the callbacks they call) run in the UI thread."""

    returned = Signal(object)
    errored = Signal(object)
    progressed = Signal(int, int)
    finished = Signal()

    def __init__(self, owner: QObject | None, done, failed, progress, settled):
        super().__init__(owner)
        self._done, self._failed, self._progress, self._settled = done, failed, progress, settled
        self.returned.connect(self._on_returned)
        self.errored.connect(self._on_errored)
        self.progressed.connect(self._on_progressed)
        self.finished.connect(self._on_finished)

    @Slot(object)
    def _on_returned(self, value: Any) -> None:
        if self._done is not None:
            self._done(value)

    @Slot(object)
    def _on_errored(self, error: BaseException) -> None:
        if not isinstance(error, Cancelled):
            self._failed(error)

    @Slot(int, int)
    def _on_progressed(self, done: int, total: int) -> None:
        if self._progress is not None:
            self._progress(done, total)

    @Slot()
    def _on_finished(self) -> None:
        self._settled(self)


class Job(QRunnable):
    """One call in a worker thread. `cancel()` asks it to stop; a job that reports
    progress is handed itself and checks `cancelled` between steps."""

    def __init__(self, fn: Callable[..., Any], relay: _Relay, label: str, *, wants_job: bool):
        super().__init__()
        self.setAutoDelete(False)  # the Runner keeps it until it settles
        self._fn = fn
        self._relay = relay
        self._wants_job = wants_job
        self._cancel = threading.Event()
        self.label = label

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    def report(self, done: int, total: int) -> None:
        """Progress from inside the job (thread-safe); raises Cancelled once cancelled."""
        self._emit(self._relay.progressed, int(done), int(total))
        if self.cancelled:
            raise Cancelled()

    def run(self) -> None:
        try:
            result = self._fn(self) if self._wants_job else self._fn()
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the UI thread
            if not isinstance(exc, Cancelled):
                log.debug("job %r failed", self.label, exc_info=True)
            self._emit(self._relay.errored, exc)
        else:
            self._emit(self._relay.returned, result)
        finally:
            self._emit(self._relay.finished)

    @staticmethod
    def _emit(signal, *args) -> None:
        try:
            signal.emit(*args)
        except RuntimeError:
            pass  # the relay was deleted with its owner: nobody is waiting for this answer


class Runner(QObject):
    """The two pools and the busy state the status bar shows."""

    busy_changed = Signal(bool, str)    # busy?, what the oldest running job is doing
    failed = Signal(object)             # errors no caller handled

    def __init__(self, parent: QObject | None = None, *, read_threads: int = READ_THREADS):
        super().__init__(parent)
        self.reads = QThreadPool(self)
        self.reads.setMaxThreadCount(read_threads)
        self.writes = QThreadPool(self)
        self.writes.setMaxThreadCount(1)
        self._jobs: dict[_Relay, Job] = {}

    def read(self, fn: Callable[..., Any], *, done: Callable[[Any], None] | None = None,
             failed: Callable[[BaseException], None] | None = None, owner: QObject | None = None,
             label: str = "Loading…", progress: Callable[[int, int], None] | None = None) -> Job:
        return self._start(self.reads, fn, done, failed, owner, label, progress)

    def write(self, fn: Callable[..., Any], *, done: Callable[[Any], None] | None = None,
              failed: Callable[[BaseException], None] | None = None, owner: QObject | None = None,
              label: str = "Saving…", progress: Callable[[int, int], None] | None = None) -> Job:
        return self._start(self.writes, fn, done, failed, owner, label, progress)

    @property
    def active(self) -> int:
        return len(self._jobs)

    def wait(self, msecs: int = 30000) -> bool:
        """Block until both pools are idle (for shutdown and tests)."""
        return self.writes.waitForDone(msecs) and self.reads.waitForDone(msecs)

    def cancel_all(self) -> None:
        for job in list(self._jobs.values()):
            job.cancel()

    def _start(self, pool: QThreadPool, fn, done, failed, owner, label, progress) -> Job:
        relay = _Relay(owner, done, failed or self.failed.emit, progress, self._settled)
        relay.destroyed.connect(self._forget_dead_relays)
        job = Job(fn, relay, label, wants_job=progress is not None)
        was_idle = not self._jobs
        self._jobs[relay] = job
        pool.start(job)
        if was_idle:
            self.busy_changed.emit(True, label)
        return job

    def _settled(self, relay: _Relay) -> None:
        self._jobs.pop(relay, None)
        relay.deleteLater()
        self._announce()

    @Slot()
    def _forget_dead_relays(self) -> None:
        # The owner was closed while its job ran: the job still finishes in its
        # thread, but the UI no longer waits for it.
        alive = {}
        for relay, job in self._jobs.items():
            try:
                relay.objectName()
            except RuntimeError:
                job.cancel()
                continue
            alive[relay] = job
        self._jobs = alive
        self._announce()

    def _announce(self) -> None:
        if self._jobs:
            self.busy_changed.emit(True, next(iter(self._jobs.values())).label)
        else:
            self.busy_changed.emit(False, "")
