"""Screenshots of the desktop with demo data, for the README: docs/screenshots/*.png.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/make_screenshots.py \
        --server postgresql://postgres@127.0.0.1:5432/postgres

Creates a database of its own on that server (without --server: an embedded
server in a temporary folder), loads demo customers, drives the real window
offscreen as a team lead, saves the PNGs and drops the database again.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402  (a script: the path above must come first)
from psycopg import sql  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

import services  # noqa: E402
from desktop import reference, style  # noqa: E402
from desktop.main_window import MainWindow  # noqa: E402
from services.entrypoints import demo  # noqa: E402
from services.config import Settings  # noqa: E402
from services.adapters.database import database_url, make_engine  # noqa: E402
from services.service_layer.facade import owner_url  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def pump(app: QApplication, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def settle(app: QApplication, window: MainWindow, at_least: float = 0.3) -> None:
    pump(app, at_least)
    deadline = time.monotonic() + 30
    while (window.runner.active or window.model.loading) and time.monotonic() < deadline:
        pump(app, 0.05)
    pump(app, 0.2)


def save(widget, name: str) -> Path:
    path = OUT / name
    widget.grab().save(str(path))
    print(f"saved {path.relative_to(ROOT)}")
    return path


def make_database(server: str | None, tmp: Path) -> tuple[str, callable]:
    """A fresh database URL (as its owner) and how to drop it."""
    if server is None:
        url = owner_url(Settings(data_dir=tmp)).render_as_string(hide_password=False)
        return url.replace("postgresql+psycopg", "postgresql"), lambda: None
    name = f"steward_screenshots_{os.getpid()}_{secrets.token_hex(2)}"
    admin = database_url(server).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    return database_url(server).set(database=name, drivername="postgresql").render_as_string(hide_password=False), drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default=os.environ.get("STEWARD_TEST_DATABASE_URL"),
                        help="a PostgreSQL server URL (default: an embedded server in a temporary folder)")
    parser.add_argument("--customers", type=int, default=20_000,
                        help="demo customers (the cockpit needs some thousands for readable rates)")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        url, drop = make_database(args.server, Path(tmp))
        try:
            shoot(url, args.customers)
        finally:
            drop()


def shoot(url: str, customers: int) -> None:
    owner = services.connect(url=url)                          # migrates the new database
    engine = make_engine(database_url(url), pool_size=1, application_name="steward-screenshots")
    demo.load(engine, customers, seed=7)
    engine.dispose()
    lead = next(p for p in owner.users.list() if p.role == "TEAM_LEAD" and p.region == "NORTH")
    svc = services.connect(url=url, user=lead.login, source="desktop")
    app = QApplication.instance() or QApplication([])
    style.apply(app)
    window = MainWindow(svc, reference.load(svc), live=False)
    window.confirm_close = False
    window.show()
    settle(app, window, 1.0)
    try:
        main_window(app, window)
        field_editor(app, window)
        conflict_dialog(app, window, owner)
        sample_workflow(app, window)
        activities(app, window)
        cockpit(app, window)
    finally:
        window.close()
        window.shut_down()
        svc.close()
        owner.close()


def main_window(app: QApplication, window: MainWindow) -> None:
    filters = window.filters
    filters.widget("roi_bucket").set_values(["HIGH"])
    filters.widget("renewal_before").set_value(date.today() + timedelta(days=540))
    window.model.sort_key = "renewal_date"
    filters.apply_now()
    settle(app, window)
    window.table.selectRow(2)
    settle(app, window)
    save(window, "main-window.png")


def field_editor(app: QApplication, window: MainWindow) -> None:
    fields = window.detail.fields
    fields.rows["covers_per_day"].editor.widget.setValue(260)
    fields.rows["kitchen_notes"].editor.widget.setPlainText("Wants gluten-free options for the Christmas menu.")
    season = fields.rows["seasonal_menu_cycle"].editor
    season.parts["season_start"].widget.set_value(date.today() + timedelta(days=60))
    season.parts["season_end"].widget.set_value(None)
    fields.save()                      # refused in the client: the season needs an end
    settle(app, window)
    save(window.detail, "field-editor.png")
    season.parts["season_end"].widget.set_value(date.today() + timedelta(days=150))
    fields.save()
    settle(app, window)


def conflict_dialog(app: QApplication, window: MainWindow, someone_else) -> None:
    fields = window.detail.fields
    fields.rows["kitchen_notes"].editor.widget.setPlainText("Tasting on Tuesday; chef prefers the 5er kit.")
    fields.rows["preferred_channel"].editor.widget.setCurrentIndex(2)
    someone_else.fields.patch(window.detail.customer_id, {"kitchen_notes": "Closed on Mondays.",
                                                          "preferred_channel": "PHONE"})
    fields.save()
    settle(app, window)
    dialog = fields.conflict
    if dialog is not None:
        pump(app, 0.3)
        save(dialog, "conflict-dialog.png")
        dialog.save_button.click()
        settle(app, window)


def sample_workflow(app: QApplication, window: MainWindow) -> None:
    samples = window.detail.samples
    window.detail.tabs.setCurrentWidget(samples)
    settle(app, window)
    samples.open_request()
    pump(app, 0.3)
    save(samples.dialog, "sample-request.png")
    samples.dialog.request_button.click()
    settle(app, window)
    for status in ("PACKED", "SHIPPED"):
        samples.move(status)
        settle(app, window)
    save(window.detail, "sample-workflow.png")


def activities(app: QApplication, window: MainWindow) -> None:
    tab = window.detail.activities
    window.detail.tabs.setCurrentWidget(tab)
    settle(app, window)
    tab.open_form("ROI_CONSULTATION")
    settle(app, window)
    dialog = tab.dialog
    form = dialog.current()
    form.outcome.setCurrentIndex(form.outcome.findData("QUALIFIED"))
    commitment = form.fields.parts["commitment_level"].widget
    commitment.setCurrentIndex(commitment.findData("HIGH"))
    form.fields.parts["savings_per_month"].widget.setValue(1250)
    dialog.note.setPlainText("Walked through the savings sheet with the head chef.")
    pump(app, 0.3)
    save(dialog, "activity-form.png")
    dialog.save_button.click()
    settle(app, window)
    save(window.detail, "activities.png")


def cockpit(app: QApplication, window: MainWindow) -> None:
    view = window.cockpit
    window.show_cockpit()
    view.filters.preset.setCurrentIndex(view.filters.preset.findText("This year"))   # by month: n in the tens
    view.filters.apply_now()
    settle(app, window, 1.0)
    deadline = time.monotonic() + 30
    while view.loading and time.monotonic() < deadline:
        pump(app, 0.05)
    view.success.legend.setCurrentRow(0)       # the busiest line's 95 % band
    view.focus.setCurrentWidget(view.focus.tables["no_feedback"])
    settle(app, window, 0.5)
    save(window, "cockpit.png")
    view.focus.setCurrentWidget(view.focus.tables["overdue"])
    view.splitter.setSizes([200, 700])         # the lists, a screenful of rows
    settle(app, window, 0.5)
    save(view.focus, "cockpit-focus.png")


if __name__ == "__main__":
    main()
