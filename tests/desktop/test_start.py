"""The first start as a person makes it: the README's first command, `steward`, on a fresh embedded
data folder. Something is on screen within half a second and stays until the main window is there
(the program writes which windows are visible, and when, to STEWARD_UI_TIMELINE); the first start
creates the database and loads demo data behind it; `kill` ends it cleanly, the server with it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from services.adapters import embedded

ROOT = Path(__file__).resolve().parents[2]
STEWARD = Path(sys.executable).with_name("steward")      # .venv/bin/steward: what `pip install` made
FIRST_WINDOW_S = 0.5


def read_timeline(path: Path) -> list[tuple[float, str, str, set[str]]]:
    """(time, what, which window, the visible windows after it) per line."""
    events = []
    for line in path.read_text(encoding="utf-8").splitlines():
        stamp, _, rest = line.partition(" ")
        head, _, visible = rest.partition(" | ")
        what, _, which = head.partition(" ")
        events.append((float(stamp), what, which, set(visible.split())))
    return events


@pytest.mark.slow
@pytest.mark.timeout(180)
def test_steward_shows_its_start_window_at_once_and_until_the_main_window_is_there(tmp_path):
    timeline = tmp_path / "timeline.txt"
    data = tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith("STEWARD_")}
    env.update(STEWARD_DATA_DIR=str(data), STEWARD_UI_TIMELINE=str(timeline), QT_QPA_PLATFORM="offscreen",
               XDG_CONFIG_HOME=str(tmp_path / "config"), PYTHONPATH=os.pathsep.join(
                   p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p))
    began = time.time()
    process = subprocess.Popen([str(STEWARD)], env=env, cwd=tmp_path, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 150
        while time.monotonic() < deadline and process.poll() is None:
            if timeline.exists() and any(what == "shown" and which == "mainWindow"
                                         for _t, what, which, _v in read_timeline(timeline)):
                break
            time.sleep(0.1)
        time.sleep(0.5)
        assert process.poll() is None, process.communicate()
        assert "mainWindow" in timeline.read_text(encoding="utf-8"), timeline.read_text(encoding="utf-8")
        process.send_signal(signal.SIGTERM)              # as `kill` or the session's end would
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "Traceback" not in out + err

    events = read_timeline(timeline)
    shown_at = {which: t for t, what, which, _v in reversed(events) if what == "shown"}
    assert shown_at["startWindow"] - began < FIRST_WINDOW_S, f"nothing on screen for {shown_at['startWindow'] - began:.2f} s"
    main_at = shown_at["mainWindow"]
    # From the start window's first appearance until the main window's, something is on screen at every
    # change of what is visible, and it is the start window; no other window pops up meanwhile.
    for t, what, which, visible in events:
        if what in ("shown", "hidden") and shown_at["startWindow"] <= t < main_at:
            assert "startWindow" in visible, f"{t - began:.2f} s: {what} {which}, visible: {visible}"
            assert visible == {"startWindow"}, f"{t - began:.2f} s: unexpected {visible}"
    hidden = [t for t, what, which, _v in events if what == "hidden" and which == "startWindow"]
    assert hidden and hidden[0] >= main_at                # it goes only once the main window is up
    notes = [which for _t, what, which, _v in events if what == "note"]
    blocks = [which for _t, what, which, _v in events if what == "block" and _t < main_at + 2]
    print(f"\nfirst window after {shown_at['startWindow'] - began:.2f} s, main window after {main_at - began:.1f} s; "
          f"{'; '.join(notes)}; UI thread blocks until 2 s after: {', '.join(blocks) or 'none'}")

    # The person's last Steward process has gone: the embedded server goes with it (desktop or watcher).
    stopped = time.monotonic() + 20
    while embedded.state(data).running and time.monotonic() < stopped:
        time.sleep(0.2)
    assert not embedded.state(data).running
