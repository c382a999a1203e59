"""Every service call runs here, off the UI thread; results come back by signal.

Call sites are one line, in the manner of anki's QueryOp:

    runner.read(lambda: svc.customers.list(q="kant"), done=self._show, owner=self)

Reads share a small pool; writes go through a pool of one thread, so two saves
of the same customer reach the database in the order they were made. The
callbacks run in the UI thread. An answer whose `owner` widget has been closed
meanwhile is dropped, so a late result never touches a dead dialog.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

READ_THREADS = 3

_pools: "weakref.WeakSet[QThreadPool]" = weakref.WeakSet()


def make_pool(parent: QObject, threads: int) -> QThreadPool:
    """A thread pool the tests can see (a test must not leave a job running)."""
    pool = QThreadPool(parent)
    pool.setMaxThreadCount(threads)
    _pools.add(pool)
    return pool


def pools() -> list[QThreadPool]:
    """The desktop's live thread pools."""
    return [p for p in list(_pools) if shiboken6.isValid(p)]


class Cancelled(Exception):
    """Raised inside a job that noticed it was cancelled; not an error for the person."""


class Job:
    """A handle on one background call: cancel it, or (inside it) report progress."""

    def __init__(self, label: str, relay: "_Relay"):
        self.label = label
        self._relay = relay
        self._cancel = threading.Event()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    def report(self, done: int, total: int, text: str = "") -> None:
        """Progress from inside the job (any thread); raises Cancelled once cancelled."""
        self._relay.progressed.emit(int(done), int(total), text)
        if self.cancelled:
            raise Cancelled()


class _Relay(QObject):
    """Lives in the UI thread. The worker emits through it; Qt queues the emission,
    so the slots below, and the callbacks they call, run in the UI thread."""

    returned = Signal(object)
    errored = Signal(object)
    progressed = Signal(int, int, str)
    finished = Signal()

    def __init__(self, runner: "Runner", owner, done, failed, progress):
        super().__init__(runner)
        self._runner, self._owner = runner, owner
        self._done, self._failed, self._progress = done, failed, progress
        self.returned.connect(self._on_returned)
        self.errored.connect(self._on_errored)
        self.progressed.connect(self._on_progressed)
        self.finished.connect(self._on_finished)

    def _owner_alive(self) -> bool:
        return not self._runner.closed and (self._owner is None or shiboken6.isValid(self._owner))

    @Slot(object)
    def _on_returned(self, value: Any) -> None:
        if self._runner.closed:
            return
        self._runner.succeeded.emit()
        if self._done is not None and self._owner_alive():
            self._done(value)

    @Slot(object)
    def _on_errored(self, error: BaseException) -> None:
        if isinstance(error, Cancelled) or not self._owner_alive():
            return
        (self._failed or self._runner.failed.emit)(error)

    @Slot(int, int, str)
    def _on_progressed(self, done: int, total: int, text: str) -> None:
        if self._progress is not None and self._owner_alive():
            self._progress(done, total, text)

    @Slot()
    def _on_finished(self) -> None:
        self._runner._settled(self)


class _Task(QRunnable):
    def __init__(self, fn: Callable[..., Any], job: Job, relay: _Relay, *, wants_job: bool):
        super().__init__()
        self._fn, self._job, self._relay, self._wants_job = fn, job, relay, wants_job

    def run(self) -> None:
        try:
            result = self._fn(self._job) if self._wants_job else self._fn()
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the UI thread
            if not isinstance(exc, Cancelled):
                log.debug("job %r failed", self._job.label, exc_info=True)
            self._emit(self._relay.errored, exc)
        else:
            self._emit(self._relay.returned, result)
        finally:
            # The last emission: the relay is deleted once the UI thread has handled it.
            self._emit(self._relay.finished)

    @staticmethod
    def _emit(signal, *args) -> None:
        try:
            signal.emit(*args)
        except RuntimeError:
            pass   # the runner is gone (its window closed): nobody waits for this answer


class Runner(QObject):
    """The two pools and the busy state the status bar shows."""

    busy_changed = Signal(bool, str)    # busy?, what the oldest running job is doing
    failed = Signal(object)             # errors no caller handled
    succeeded = Signal()                # a job returned (a call reached the database, if it made one)

    def __init__(self, parent: QObject | None = None, *, read_threads: int = READ_THREADS):
        super().__init__(parent)
        self.reads = make_pool(self, read_threads)
        self.writes = make_pool(self, 1)
        self._jobs: dict[_Relay, Job] = {}
        self._closed = False

    def read(self, fn: Callable[..., Any], *, done: Callable[[Any], None] | None = None,
             failed: Callable[[BaseException], None] | None = None, owner: QObject | None = None,
             label: str = "Loading…", progress: Callable[[int, int, str], None] | None = None) -> Job:
        """Run `fn()` in the read pool (or `fn(job)` when `progress` is given)."""
        return self._start(self.reads, fn, done, failed, owner, label, progress)

    def write(self, fn: Callable[..., Any], *, done: Callable[[Any], None] | None = None,
              failed: Callable[[BaseException], None] | None = None, owner: QObject | None = None,
              label: str = "Saving…", progress: Callable[[int, int, str], None] | None = None) -> Job:
        """Run `fn()` in the single write thread, after every write started before it."""
        return self._start(self.writes, fn, done, failed, owner, label, progress)

    @property
    def active(self) -> int:
        return len(self._jobs)

    def labels(self) -> list[str]:
        return [job.label for job in self._jobs.values()]

    def wait(self, msecs: int = 30000) -> bool:
        """Block until both pools are idle (for shutdown and tests)."""
        return self.writes.waitForDone(msecs) and self.reads.waitForDone(msecs)

    def cancel_all(self) -> None:
        for job in self._jobs.values():
            job.cancel()

    def close(self, msecs: int = 30000) -> None:
        """Take no more work, ask running jobs to stop, wait for them. Answers still
        queued for the UI thread are dropped: the window they were for is closing."""
        self._closed = True
        self.cancel_all()
        self.wait(msecs)

    @property
    def closed(self) -> bool:
        return self._closed

    def _start(self, pool: QThreadPool, fn, done, failed, owner, label, progress) -> Job:
        relay = _Relay(self, owner, done, failed, progress)
        job = Job(label, relay)
        if self._closed:
            job.cancel()
            relay.deleteLater()
            return job
        was_idle = not self._jobs
        self._jobs[relay] = job
        pool.start(_Task(fn, job, relay, wants_job=progress is not None))
        if was_idle:
            self.busy_changed.emit(True, label)
        return job

    def _settled(self, relay: _Relay) -> None:
        self._jobs.pop(relay, None)
        relay.deleteLater()
        if self._jobs:
            self.busy_changed.emit(True, next(iter(self._jobs.values())).label)
        else:
            self.busy_changed.emit(False, "")
