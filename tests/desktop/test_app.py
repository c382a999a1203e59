"""Starting the desktop: no display means one line and an exit code; the start runs in the background."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop.app import Launcher, display_problem
from services.config import Settings
from tests.desktop import seed
from tests.desktop.conftest import LOGIN

DESKTOP = Path(__file__).resolve().parents[2] / "desktop"


@pytest.mark.parametrize("env, problem", [
    ({}, True),
    ({"DISPLAY": ":0"}, False),
    ({"WAYLAND_DISPLAY": "wayland-0"}, False),
    ({"QT_QPA_PLATFORM": "offscreen"}, False),
    ({"QT_QPA_PLATFORM": "xcb"}, True),
    ({"QT_QPA_PLATFORM": "xcb", "DISPLAY": ":1"}, False),
])
def test_the_display_is_checked_before_qt_starts(env, problem):
    assert (display_problem(env, "linux") is not None) == problem
    assert display_problem(env, "win32") is None


def test_without_a_display_steward_desktop_says_so_in_one_line(database):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from services.entrypoints.cli import main; sys.argv[0] = 'steward'; main()",
         "desktop", "--database-url", database, "--user", "nobody"],
        env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("No display available: ")
    assert "Traceback" not in done.stderr + done.stdout


def test_the_launcher_connects_in_the_background_and_opens_the_window(qtbot, qapp, desk):
    seed.customers(desk.raw, 3)
    launcher = Launcher(qapp, Settings(database_url=desk.url, user=LOGIN))
    launcher.begin()
    qtbot.waitUntil(lambda: launcher.window is not None and launcher.window.model.rowCount() == 3, timeout=20000)
    window = launcher.window
    window.confirm_close = False
    assert "Dana Desk" in window.windowTitle()
    window.close()
    launcher.runner.wait()
    launcher.started.svc.close()


def test_the_launcher_shows_a_failed_start_as_a_message(qtbot, qapp, database, monkeypatch):
    shown = []
    monkeypatch.setattr("desktop.app.QMessageBox.critical", lambda parent, title, text: shown.append((title, text)))
    monkeypatch.setattr(qapp, "exit", lambda code: shown.append(code))
    launcher = Launcher(qapp, Settings(database_url=database, user="no_such_person_here"))
    launcher.begin()
    qtbot.waitUntil(lambda: len(shown) == 2, timeout=20000)
    launcher.runner.wait()   # the failed start's worker is done before the database goes
    (title, text), code = shown
    assert title.startswith("Steward cannot start") and "Traceback" not in text and code == 1


def test_the_desktop_never_imports_the_database_drivers():
    offenders = []
    for path in DESKTOP.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in ("sqlalchemy", "psycopg")]
    assert offenders == []


def test_a_first_start_loads_demo_data_behind_a_progress_dialog(qtbot, qapp, desk, monkeypatch):
    from desktop import app as desktop_app

    real_start = desktop_app.start

    def as_on_an_empty_embedded_server(settings, job=None):
        started = real_start(settings, job)
        started.needs_demo = True
        return started

    monkeypatch.setattr(desktop_app, "start", as_on_an_empty_embedded_server)
    monkeypatch.setattr("desktop.demo_data.FIRST_START_CUSTOMERS", 100)
    launcher = Launcher(qapp, Settings(database_url=desk.url, user=LOGIN))
    labels = []
    launcher.start_window.phase.setText = lambda text: labels.append(text)
    launcher.begin()
    qtbot.waitUntil(lambda: launcher.window is not None and launcher.window.isVisible(), timeout=60000)
    window = launcher.window
    window.confirm_close = False
    qtbot.waitUntil(lambda: window.model.total == 100, timeout=20000)
    assert any(text.startswith("First start: loading") for text in labels)
    assert not launcher.start_window.isVisible()
    window.close()
    launcher.runner.wait()
    launcher.started.svc.close()


def test_cancel_in_the_start_window_ends_the_start_without_a_window_or_an_error(qtbot, qapp, desk, monkeypatch):
    exits, errors = [], []
    monkeypatch.setattr(qapp, "exit", exits.append)
    monkeypatch.setattr("desktop.app.QMessageBox.critical", lambda *args: errors.append(args))
    launcher = Launcher(qapp, Settings(database_url=desk.url, user=LOGIN))
    launcher.begin()
    assert launcher.start_window.isVisible() and launcher.start_window.phase.text().startswith("Connecting")
    qtbot.mouseClick(launcher.start_window.cancel_button, Qt.MouseButton.LeftButton)
    assert exits == [0] and not launcher.start_window.isVisible()
    launcher.runner.wait()
    qtbot.wait(100)                               # answers that arrive after Cancel are dropped
    assert launcher.window is None and launcher.started is None and errors == []
