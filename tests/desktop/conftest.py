"""The desktop under test: a person's session whose every service call must run off the UI thread,
a main window on it, and a check that no test leaves a background job running (as napari does)."""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from typing import Any

import pytest

import services
from desktop import reference as reference_data
from desktop import style, workers
from desktop.main_window import MainWindow
from desktop.reference import Reference
from tests.conftest import SESSION
from tests.logins import ensure_person

LOGIN = f"t_desk_{SESSION}"


class UiThreadCall(AssertionError):
    pass


def guarded(fn: Any, name: str, violations: list[str]) -> Any:
    """`fn`, refusing to run on the UI thread (and remembering that it was asked to)."""
    def call(*args, **kwargs):
        if threading.current_thread() is threading.main_thread():
            violations.append(name)
            raise UiThreadCall(f"{name} was called on the UI thread")
        return fn(*args, **kwargs)
    return call


class GuardedService:
    """A service whose methods refuse to run on the UI thread."""

    def __init__(self, target: Any, name: str, violations: list[str]):
        self._target, self._name, self._violations = target, name, violations

    def __getattr__(self, attr: str) -> Any:
        value = getattr(self._target, attr)
        return guarded(value, f"svc.{self._name}.{attr}", self._violations) if callable(value) else value


class GuardedSteward:
    """The facade with every service wrapped; plain attributes (actor, url) pass through."""

    def __init__(self, target: services.Steward):
        self._target = target
        self.violations: list[str] = []

    def __getattr__(self, attr: str) -> Any:
        value = getattr(self._target, attr)
        if callable(value):
            return guarded(value, f"svc.{attr}", self.violations)
        if hasattr(value, "__dict__") and type(value).__module__.startswith("services.") and attr != "actor":
            return GuardedService(value, attr, self.violations)
        return value


@dataclass
class Desk:
    raw: services.Steward          # for the test's own setup and checks
    svc: GuardedSteward            # what the desktop gets
    reference: Reference
    url: str


@pytest.fixture(autouse=True)
def no_dangling_jobs(qapp):
    """Fail a test that leaves a job running in one of the desktop's thread pools."""
    yield
    busy = [pool for pool in workers.pools() if pool.activeThreadCount()]
    if busy:
        running = [label for pool in busy for label in getattr(pool.parent(), "labels", lambda: ["live refresh"])()]
        for pool in busy:
            pool.waitForDone(10000)
        pytest.fail(f"the test left background jobs running: {running}")


@pytest.fixture(scope="session", autouse=True)
def desktop_style(qapp):
    style.apply(qapp)


@pytest.fixture
def desk(svc, clean_db, owner_engine):
    """An admin's session as the desktop has it (service calls only off the UI thread)."""
    ensure_person(owner_engine, LOGIN, role="ADMIN", display_name="Dana Desk")
    raw = services.connect(url=clean_db, user=LOGIN, source="desktop")
    guarded = GuardedSteward(raw)
    yield Desk(raw, guarded, reference_data.load(raw), clean_db)
    raw.close()
    assert guarded.violations == [], f"service calls on the UI thread: {guarded.violations}"


@pytest.fixture
def make_window(qtbot, desk):
    windows: list[MainWindow] = []

    def make(size: tuple[int, int] | None = None, **kwargs) -> MainWindow:
        kwargs.setdefault("live", False)
        kwargs.setdefault("page_size", 20)
        window = MainWindow(desk.svc, desk.reference, **kwargs)
        window.confirm_close = False
        qtbot.addWidget(window)
        if size:
            window.resize(*size)
        window.show()
        windows.append(window)
        qtbot.waitUntil(lambda: window.model.rowCount() > 0 or (window.model.exhausted and not window.model.loading))
        return window

    yield make
    for window in windows:
        window.shut_down()


@pytest.fixture
def window(make_window):
    return make_window()


def idle(qtbot, window: MainWindow, timeout: int = 10000) -> None:
    """Wait until the window has no background work left."""
    qtbot.waitUntil(lambda: window.runner.active == 0 and not window.model.loading, timeout=timeout)
