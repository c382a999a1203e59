"""Screenshots of the desktop with demo data, for the README: docs/screenshots/*.png.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/make_screenshots.py \
        --server postgresql://postgres@127.0.0.1:5432/postgres [--language de]

--language de takes them with the German translation (desktop.i18n) into docs/screenshots/de/;
the default, English, into docs/screenshots/.

Creates a database of its own on that server (without --server: an embedded
server in a temporary folder, stopped again before the folder goes), loads demo
customers, drives the real window offscreen as a team lead and as a sales rep in
German formats (de_DE, Europe/Berlin), saves the PNGs and drops the database again.

The pictures: the main window with long names (a team lead), a read-only row (a
rep's colleague's chain location), the field editor, the sample request and its
workflow, the activity form and list, the conflict dialog, the cockpit as a team
lead (owners ranked) and as a rep (their own figures), each with the month not
over yet, and the focus lists; the duplicates view and the merge dialog, with
duplicates planted into the demo data (`--only duplicates` makes just those two).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import sys
import tempfile
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("STEWARD_LOCALE", "de_DE")          # the business's language of numbers and dates
os.environ.setdefault("STEWARD_TIMEZONE", "Europe/Berlin")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402  (a script: the path above must come first)
from psycopg import sql  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

import services  # noqa: E402
from desktop import i18n, preferences, reference, style  # noqa: E402
from desktop.main_window import MainWindow  # noqa: E402
from services.entrypoints import demo  # noqa: E402
from services.config import Settings  # noqa: E402
from services.adapters import embedded  # noqa: E402
from services.adapters.database import database_url, make_engine  # noqa: E402
from services.service_layer.facade import owner_url  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
LANGUAGE = "en"
# What the pictures type into the fields, in the language of the pictures (a German kitchen writes German).
NOTES = {
    "en": ("Wants gluten-free options for the Christmas menu.", "Tasting on Tuesday; chef prefers the 5er kit.",
           "Closed on Mondays.", "Walked through the savings sheet with the head chef."),
    "de": ("Wünscht glutenfreie Optionen für das Weihnachtsmenü.", "Verkostung am Dienstag; der Küchenchef "
           "bevorzugt das 5er-Set.", "Montags geschlossen.", "Einsparungsrechnung mit dem Küchenchef durchgegangen."),
}


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
        # Stopped before the temporary folder goes: no server is left running on a deleted folder.
        return url.replace("postgresql+psycopg", "postgresql"), lambda: embedded.release(tmp)
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
    parser.add_argument("--only", choices=("duplicates", "imports"), help="only these pictures")
    parser.add_argument("--language", choices=i18n.LANGUAGES, default="en",
                        help="the language of the texts (de: into docs/screenshots/de/)")
    args = parser.parse_args()
    global OUT, LANGUAGE
    LANGUAGE = args.language
    if LANGUAGE != "en":
        OUT = OUT / LANGUAGE
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        url, drop = make_database(args.server, Path(tmp))
        try:
            shoot(url, args.customers, only=args.only)
        finally:
            drop()


def shoot(url: str, customers: int, only: str | None = None) -> None:
    owner = services.connect(url=url)                          # migrates the new database
    engine = make_engine(database_url(url), pool_size=1, application_name="steward-screenshots")
    demo.load(engine, customers, seed=7)
    engine.dispose()
    app = QApplication.instance() or QApplication([])
    style.apply(app)
    preferences.apply(Settings.from_env())
    i18n.install(LANGUAGE, app)
    people = owner.users.list()
    lead = next(p for p in people if p.role == "TEAM_LEAD" and p.region == "NORTH")
    if only == "imports":
        try:
            with opened(app, url, lead.login) as window:
                import_wizard(app, window, owner)
        finally:
            owner.close()
        return
    rep = busiest_rep_with_colleagues(url, people)
    try:
        plant_duplicates(owner, lead.region)
        if only == "duplicates":
            with opened(app, url, lead.login) as window:
                duplicates(app, window)
            return
        with opened(app, url, lead.login) as window:
            duplicates(app, window)
            main_window(app, window)
            field_editor(app, window)
            conflict_dialog(app, window, owner)
            sample_workflow(app, window)
            activities(app, window)
            cockpit(app, window)
        with opened(app, url, rep.login) as window:
            read_only_row(app, window)
            rep_cockpit(app, window)
        with opened(app, url, lead.login) as window:
            import_wizard(app, window, owner)
    finally:
        owner.close()


@contextlib.contextmanager
def opened(app: QApplication, url: str, login: str):
    """The main window at 1920 × 1080 as this person."""
    svc = services.connect(url=url, user=login, source="desktop")
    window = MainWindow(svc, reference.load(svc), live=False)
    window.confirm_close = False
    window.resize(1920, 1080)
    window.show()
    settle(app, window, 1.0)
    try:
        yield window
    finally:
        window.close()
        window.shut_down()
        svc.close()


def import_wizard(app: QApplication, window: MainWindow, owner) -> None:
    """File ▸ Import customers… as the team lead of Nord: the mapping page and the preview of the
    sample trade-fair list (its rows moved to Nord), one of whose customers exists already (an
    update, old → new), with one bad cell."""
    known = owner.customers.create(name="Brauhaus Markt", city="Köln", region="NORTH", external_ref="MESSE-002")
    owner.fields.patch(known.id, {"covers_per_day": 150})
    listing = Path(tempfile.mkdtemp()) / "messe-2026.csv"
    text = (ROOT / "resources" / "imports" / "messe.csv").read_text(encoding="utf-8")
    for region in (";West;", ";Süd;", ";Mitte;", ";Ost;"):
        text = text.replace(region, ";Nord;")
    listing.write_text(text.replace("0341 556677;C;400;90", "0341 556677;C;400;ca. 90"), encoding="utf-8")
    wizard = window.import_customers()
    wizard.resize(1180, 600)
    wizard.path.setText(str(listing))
    wizard.next()
    deadline = time.monotonic() + 30
    while wizard.pages.currentIndex() != 1 and time.monotonic() < deadline:
        pump(app, 0.05)
    wizard.choose("gedecke", "fields.covers_per_day")
    pump(app, 0.3)
    save(wizard, "import-mapping.png")
    wizard.next()
    while wizard.pages.currentIndex() != 2 and time.monotonic() < deadline:
        pump(app, 0.05)
    pump(app, 0.3)
    save(wizard, "import-preview.png")
    wizard.close()


def busiest_rep_with_colleagues(url: str, people):
    """The rep of Nord who reads the most colleagues' chain locations (read-only rows for them)."""
    reps = [p for p in people if p.role == "SALES_REP" and p.region == "NORTH"]
    best, most = reps[0], -1
    for person in reps[:8]:
        with services.connect(url=url, user=person.login) as svc:
            page = svc.customers.list(limit=200).items
        theirs = sum(not row.writable for row in page)
        if theirs > most:
            best, most = person, theirs
    return best


def main_window(app: QApplication, window: MainWindow) -> None:
    filters = window.filters
    filters.widget("roi_bucket").set_values(["HIGH"])
    filters.widget("renewal_before").set_value(date.today() + timedelta(days=540))
    window.model.sort_key = "renewal_date"
    filters.apply_now()
    settle(app, window)
    window.table.fit_columns()         # as at a first start: the sorted column among those shown
    # The longest name on screen, so the picture shows how a long one fits.
    rows = range(min(window.model.rowCount(), 25))
    longest = max(rows, key=lambda n: len(window.model.row_at(n).name), default=2)
    window.table.selectRow(longest)
    settle(app, window)
    save(window, "main-window.png")


def read_only_row(app: QApplication, window: MainWindow) -> None:
    """A rep's grid with a colleague's chain location chosen: grey, and the reason above its fields."""
    settle(app, window)
    model = window.model
    found = next((n for n in range(model.rowCount()) if not model.row_at(n).writable), None)
    while found is None and model.canFetchMore():
        model.fetchMore()
        settle(app, window)
        found = next((n for n in range(model.rowCount()) if not model.row_at(n).writable), None)
    if found is None:
        print("no read-only row for this rep; main-window-read-only.png not made")
        return
    window.table.selectRow(found)
    window.table.scrollTo(model.index(found, 0), window.table.ScrollHint.PositionAtCenter)
    settle(app, window)
    save(window, "main-window-read-only.png")


def field_editor(app: QApplication, window: MainWindow) -> None:
    fields = window.detail.fields
    fields.rows["covers_per_day"].editor.widget.setValue(260)
    fields.rows["kitchen_notes"].editor.widget.setPlainText(NOTES[LANGUAGE][0])
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
    fields.rows["kitchen_notes"].editor.widget.setPlainText(NOTES[LANGUAGE][1])
    fields.rows["preferred_channel"].editor.widget.setCurrentIndex(2)
    someone_else.fields.patch(window.detail.customer_id, {"kitchen_notes": NOTES[LANGUAGE][2],
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
    dialog.note.setPlainText(NOTES[LANGUAGE][3])
    pump(app, 0.3)
    save(dialog, "activity-form.png")
    dialog.save_button.click()
    settle(app, window)
    save(window.detail, "activities.png")


def show_cockpit(app: QApplication, window: MainWindow):
    view = window.cockpit
    window.show_cockpit()
    view.filters.preset.setCurrentIndex(view.filters.preset.findText(i18n.translate("cockpit.filters", "This year")))   # by month: n in the tens
    view.filters.apply_now()
    settle(app, window, 1.0)
    deadline = time.monotonic() + 30
    while view.loading and time.monotonic() < deadline:
        pump(app, 0.05)
    return view


def rep_cockpit(app: QApplication, window: MainWindow) -> None:
    view = show_cockpit(app, window)
    view.focus.setCurrentWidget(view.focus.tables["overdue"])
    settle(app, window, 0.5)
    save(window, "cockpit-rep.png")


def cockpit(app: QApplication, window: MainWindow) -> None:
    view = show_cockpit(app, window)
    view.success.legend.setCurrentRow(min(2, view.success.legend.count() - 1))   # a line chosen in the ranking
    view.focus.setCurrentWidget(view.focus.tables["no_feedback"])
    settle(app, window, 0.5)
    save(window, "cockpit.png")
    view.focus.setCurrentWidget(view.focus.tables["overdue"])
    view.splitter.setSizes([200, 700])         # the lists, a screenful of rows
    settle(app, window, 0.5)
    save(view.focus, "cockpit-focus.png")


def plant_duplicates(owner, region: str) -> None:
    """Copies of a few customers of the region as they arrive from other sources: another case, a
    legal form, umlauts spelled out, a typo, the phone written another way."""
    page = owner.customers.list(region=region, limit=400).items
    names = Counter(r.name.lower() for r in page)
    singles = [r for r in page if not r.chain_name and names[r.name.lower()] == 1][:5]
    variants = (lambda n: n.upper() + " GmbH", lambda n: n.replace("ü", "ue").replace("ä", "ae").replace("ö", "oe") + " KG",
                lambda n: n[:-2] + n[-1] + n[-2], lambda n: n.lower() + " e.K.", lambda n: n + " & Co. KG")
    for row, variant in zip(singles, variants):
        original = owner.customers.get(row.id)
        copy = owner.customers.create(variant(original.name), original.region, city=original.city,
                                      owner=original.owner_id)
        contacts = owner.customers.contacts(original.id)
        if contacts and contacts[0].phone:
            digits = contacts[0].phone.replace("+49 ", "0").split(" ", 1)
            owner.customers.add_contact(copy.id, contacts[0].full_name, ["OWNER"],
                                        phone="/".join(digits) if len(digits) == 2 else contacts[0].phone)
        owner.fields.patch(copy.id, {"covers_per_day": 140, "kitchen_notes": "Aus der Messeliste 2026"})


def duplicates(app: QApplication, window: MainWindow) -> None:
    view = window.stewardship.show_duplicates()
    view.resize(1400, 620)
    view.scan_button.click()
    deadline = time.monotonic() + 120
    while view.result is None and time.monotonic() < deadline:
        pump(app, 0.1)
    settle(app, window)
    view.pairs.selectRow(0)
    pump(app, 0.3)
    save(view, "duplicates.png")
    dialog = view.merge()
    deadline = time.monotonic() + 30
    while not dialog.merge_button.isEnabled() and time.monotonic() < deadline:
        pump(app, 0.1)
    dialog.resize(1000, 440)
    values = [c for c, _ in dialog.loaded]
    copy = next(n for n, c in enumerate(values) if c.id != values[dialog.survivor.checkedId()].id)
    for key in ("covers_per_day", "kitchen_notes"):
        if key in dialog.choices:
            dialog.choices[key].button(copy).setChecked(True)
    dialog.dry_run_button.click()
    deadline = time.monotonic() + 60
    while dialog.preview is None and time.monotonic() < deadline:
        pump(app, 0.1)
    print(dialog.summary.text())
    pump(app, 0.3)
    save(dialog, "merge.png")
    dialog.reject()
    view.close()
    print(f"merge view of {', '.join(c.name for c in values)}")


if __name__ == "__main__":
    main()
