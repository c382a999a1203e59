"""The desktop grid offscreen, through the desktop's own measurement (`python -m desktop.bench`):
time from the window to its first page, and per fetchMore while scrolling.

It runs in a child process: Qt stays out of the services' process (the CLI and
the daemon never load it), and a Qt teardown at exit cannot take the bench down.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from services.entrypoints.bench.timing import Row, Timing

TIMEOUT_SECONDS = 600


def measure(database_url: str, user: str | None, *, pages: int) -> list[Row]:
    command = [sys.executable, "-m", "desktop.bench", "--database-url", database_url, "--pages", str(pages)]
    if user:
        command += ["--user", user]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=TIMEOUT_SECONDS, check=False)
    try:
        found = json.loads(done.stdout[done.stdout.index("{"):])
    except ValueError:
        # A missing desktop (a server install) or a failure there must not cost the other figures.
        why = next((line for line in reversed(done.stderr.splitlines()) if line.strip()), "no output")
        return [Row("desktop", "grid (not measured)", "admin", note=why.strip())]
    more = found["fetch_more_ms"]
    note = (f"{found['rows_loaded']:,} rows loaded in pages of {found['page_size']}; start to first page "
            f"{found['start_to_first_page_s']:.2f} s (connect {found['connect_s']:.2f} s)")
    if done.returncode != 0:
        # Seen at a million customers: the figures were printed, then Qt's teardown aborted.
        note += f"; the measuring process then exited with {done.returncode}"
    rows = [Row("desktop", "grid: window to first page", "admin", Timing.of([found["window_to_first_page_ms"]]),
                note=note, extra=found)]
    if more.get("n"):
        rows.append(Row("desktop", "grid: fetchMore (next page, scrolling)", "admin",
                        Timing(more["n"], more["median"], more["p95"], more["max"])))
    return rows
