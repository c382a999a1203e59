"""How fast the grid is: time from start to the first page, and per page fetched on scrolling.

    QT_QPA_PLATFORM=offscreen python -m desktop.bench --database-url postgresql://.../steward_demo_1m --user admin

`measure()` is what `steward bench` calls; it runs the real window offscreen
(the same model, workers and service calls a person's scrolling triggers).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

from services.config import Settings

DEFAULT_PAGES = 50


def measure(settings: Settings, pages: int = DEFAULT_PAGES, *, page_size: int | None = None,
            filters: dict[str, Any] | None = None, sort: str = "name", timeout: float = 120.0) -> dict[str, Any]:
    """Start the desktop offscreen on `settings` and time it. Returns seconds and milliseconds:

    - start_to_first_page_s: connect + reference data + window + the first page on screen
    - window_to_first_page_ms: from the window's construction to its first page on screen
    - fetch_more_ms: per `fetchMore` (the next keyset page, asked for in a worker, inserted into the model)
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from desktop import app as desktop_app
    from desktop.grid.model import PAGE_SIZE
    from desktop.main_window import MainWindow

    qt = QApplication.instance() or QApplication([])
    started_at = time.perf_counter()
    started = desktop_app.start(settings)
    connected_at = time.perf_counter()
    window = MainWindow(started.svc, started.reference, live=False, page_size=page_size or PAGE_SIZE)
    window.confirm_close = False
    try:
        if filters or sort != "name":
            window.model.set_query(filters or {}, sort)
        window.show()
        _wait(qt, lambda: window.model.rowCount() > 0 and not window.model.loading, timeout)
        first_page_at = time.perf_counter()
        _wait(qt, lambda: window.model.total is not None, timeout)
        fetches = []
        for _ in range(pages):
            if not window.model.canFetchMore():
                break
            before = window.model.rowCount()
            t = time.perf_counter()
            window.model.fetchMore()
            _wait(qt, lambda n=before: not window.model.loading and window.model.rowCount() > n, timeout)
            fetches.append((time.perf_counter() - t) * 1000)
        return {
            "customers_visible": window.model.total,
            "page_size": window.model.page_size,
            "filters": window.model.filters,
            "sort": window.model.sort_key,
            "connect_s": round(connected_at - started_at, 3),
            "start_to_first_page_s": round(first_page_at - started_at, 3),
            "window_to_first_page_ms": round((first_page_at - connected_at) * 1000, 1),
            "fetch_more_ms": _summary(fetches),
            "rows_loaded": window.model.rowCount(),
        }
    finally:
        window.close()
        window.shut_down()
        started.svc.close()


def _wait(qt, condition: Callable[[], bool], timeout: float) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the desktop did not answer in time")
        qt.processEvents()
        time.sleep(0.0005)


def _summary(samples: list[float]) -> dict[str, float]:
    if not samples:
        return {"n": 0}
    ordered = sorted(samples)
    return {"n": len(samples), "median": round(statistics.median(ordered), 2),
            "p95": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 2),
            "max": round(ordered[-1], 2), "first": round(samples[0], 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--user")
    parser.add_argument("--pages", type=int, default=DEFAULT_PAGES)
    parser.add_argument("--page-size", type=int)
    parser.add_argument("--sort", default="name")
    parser.add_argument("--filters", type=json.loads, default=None, help='JSON, e.g. \'{"region": "NORTH"}\'')
    args = parser.parse_args()
    settings = Settings.from_env().override(database_url=args.database_url, user=args.user)
    print(json.dumps(measure(settings, args.pages, page_size=args.page_size, filters=args.filters, sort=args.sort),
                     indent=2, default=str))


if __name__ == "__main__":
    main()
