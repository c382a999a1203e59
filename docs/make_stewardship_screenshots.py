"""Screenshots of the stewardship screens for the README: docs/screenshots/stewardship-*.png.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/make_stewardship_screenshots.py \
        --server postgresql://postgres@127.0.0.1:5432/postgres [--all /tmp/shots]

Like docs/make_screenshots.py (whose database and event-loop helpers it uses): a database of
its own with demo customers, the real window driven offscreen as the team lead of region Nord.
`--all DIR` also saves the screens not shown in the README (master data, reassign, contacts,
ROI scenario, the History tab, the conflict in a cell) into DIR, for looking at them.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from make_screenshots import OUT, make_database, pump, settle  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

import services  # noqa: E402
from desktop import reference, style  # noqa: E402
from desktop.main_window import MainWindow  # noqa: E402
from services import formats  # noqa: E402
from services.adapters.database import database_url, make_engine  # noqa: E402
from services.entrypoints import demo  # noqa: E402

EXTRA: Path | None = None


def save(widget: QWidget, name: str, *, readme: bool = True) -> None:
    folder = OUT if readme else EXTRA
    if folder is None:
        return
    folder.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(folder / name))
    print(f"saved {folder / name}")


def main() -> None:
    global EXTRA
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default=os.environ.get("STEWARD_TEST_DATABASE_URL"))
    parser.add_argument("--customers", type=int, default=3000)
    parser.add_argument("--all", type=Path, default=None, help="also save the other screens here")
    args = parser.parse_args()
    EXTRA = args.all
    with tempfile.TemporaryDirectory() as tmp:
        url, drop = make_database(args.server, Path(tmp))
        try:
            shoot(url, args.customers)
        finally:
            drop()


def shoot(url: str, customers: int) -> None:
    owner = services.connect(url=url)
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
        new_customer(app, window)
        grid_edit_error(app, window)
        bulk_edit(app, window)
        history(app, window)
        if EXTRA is not None:
            others(app, window, owner)
    finally:
        window.close()
        window.shut_down()
        svc.close()
        owner.close()


def new_customer(app: QApplication, window: MainWindow) -> None:
    """The form as a team lead fills it for a location of a chain, refused for an ERP number in use."""
    window.svc.customers.create("Betriebskantine Zollenspieker", "NORTH", "Hamburg", external_ref="ERP-200417")
    dialog = window.stewardship.new_customer()
    settle(app, window)
    dialog.name.setText("Betriebsrestaurant Hafencity — Elbphilharmonie Süd")
    dialog.city.setText("Hamburg")
    dialog.set_kind("location")
    dialog.chain.search.setText("Gastro")
    dialog.chain.find()
    settle(app, window)
    if dialog.chain.combo.count() > 1:
        dialog.chain.combo.setCurrentIndex(1)
    dialog.owner.combo.setCurrentIndex(min(2, dialog.owner.combo.count() - 1))
    dialog.external_ref.setText("ERP-200417")
    dialog.submit_button.click()
    settle(app, window)
    save(dialog, "stewardship-new-customer.png")
    dialog.reject()


def grid_edit_error(app: QApplication, window: MainWindow) -> None:
    table, model = window.table, window.model
    window.filters.clear()
    settle(app, window)
    table.setCurrentIndex(model.index(3, model.column_of("roi_value")))
    table.setFocus()
    editing = window.stewardship.editing
    editing.start(table.currentIndex())
    settle(app, window)
    editing.editor.setText("-1.250")
    editing.commit()
    pump(app, 0.3)
    save(window, "stewardship-grid-edit-error.png")
    editing.cancel()


def bulk_edit(app: QApplication, window: MainWindow) -> None:
    table, model = window.table, window.model
    selection = table.selectionModel()
    table.setCurrentIndex(model.index(0, 0))
    for n in range(0, 40):
        selection.select(model.index(n, 0), selection.SelectionFlag.Select | selection.SelectionFlag.Rows)
    dialog = window.stewardship.bulk_edit()
    dialog.on_filter.setChecked(True)
    dialog.choose("roi_potential", {"bucket": "HIGH", "value": 2500})
    dialog.choose("preferred_channel", "VISIT")
    dialog.choose("current_supplier_contracts", {"renewal_date": "2027-06-30", "exclusivity": True})
    pump(app, 0.6)
    settle(app, window)
    save(dialog, "stewardship-bulk-edit-preview.png")
    dialog.on_selection.setChecked(True)
    dialog.choices["current_supplier_contracts"].check.setChecked(False)
    pump(app, 0.6)
    settle(app, window)
    dialog.apply()
    settle(app, window, 1.0)
    run = window.stewardship.bulk_run
    if run is not None and run.result is not None:
        save(run.result, "bulk-edit-result.png", readme=False)
        run.result.accept()


def history(app: QApplication, window: MainWindow) -> None:
    table, model = window.table, window.model
    f = formats.current()
    table.setCurrentIndex(model.index(5, model.column_of("roi_bucket")))
    window.stewardship.paste.paste_text(f"High\t{f.number(Decimal('1800'))}\nMid\t{f.number(Decimal('950.5'), 2)}\n"
                                        f"Low\t{f.number(Decimal('120'))}\n")
    settle(app, window, 0.5)
    shown = window.stewardship.show_history()
    settle(app, window, 0.5)
    shown.sets.selectRow(1)
    settle(app, window, 0.5)
    save(shown, "stewardship-change-set-history.png")
    window.stewardship.undo.undo_last()
    settle(app, window, 0.5)
    box = window.stewardship.undo.confirmation
    if box is not None:
        save(box, "undo-confirmation.png", readme=False)
        box.reject()
    shown.close()


def others(app: QApplication, window: MainWindow, someone_else) -> None:
    table, model = window.table, window.model
    table.setCurrentIndex(model.index(2, 0))
    table.selectRow(2)
    settle(app, window)
    window.stewardship.edit_master_data()
    settle(app, window)
    dialog = window.stewardship.dialog
    dialog.city.setText("Hamburg-Altona")
    someone_else.customers.update(dialog.base.id, city="Hamburg-Ottensen")
    dialog.submit_button.click()
    settle(app, window)
    save(dialog, "master-data.png", readme=False)
    if dialog.conflict is not None:
        save(dialog.conflict, "master-data-conflict.png", readme=False)
        dialog.conflict.reject()
    dialog.reject()

    selection = table.selectionModel()
    for n in range(2, 9):
        selection.select(model.index(n, 0), selection.SelectionFlag.Select | selection.SelectionFlag.Rows)
    window.stewardship.reassign()
    settle(app, window)
    save(window.stewardship.dialog, "reassign.png", readme=False)
    window.stewardship.dialog.reject()

    table.selectRow(2)
    settle(app, window)
    detail = window.detail
    detail.tabs.setCurrentWidget(detail.contacts)
    settle(app, window)
    save(detail, "contacts-tab.png", readme=False)
    detail.contacts.open_add()
    contact = detail.contacts.dialog
    contact.full_name.setText("Jürgen Weißenböck-Oberländer")
    contact.roles.set_values(["HEAD_CHEF", "FOOD_AND_BEVERAGE"])
    contact.email.setText("j.weissenboeck@betriebsrestaurant-hafencity.de")
    pump(app, 0.3)
    save(contact, "contact-dialog.png", readme=False)
    contact.submit_button.click()
    settle(app, window)
    detail.contacts.open_contactability()
    save(detail.contacts.dialog, "contactability.png", readme=False)
    detail.contacts.dialog.reject()

    detail.tabs.setCurrentWidget(detail.roi)
    settle(app, window)
    detail.roi.open_new()
    roi = detail.roi.dialog
    roi.name.setText("Convenience-Linie 180 Essen/Tag")
    for key, value in (("covers_per_day", 180), ("days_per_month", 22), ("minutes_saved_per_cover", 2),
                       ("labour_cost_per_hour", 31)):
        roi.inputs[key].setValue(value)
    pump(app, 0.3)
    save(roi, "roi-dialog.png", readme=False)
    roi.submit_button.click()
    settle(app, window)
    save(detail, "roi-tab.png", readme=False)

    cid = detail.customer_id
    someone_else.fields.patch(cid, {"kitchen_notes": "Küchenchef wünscht glutenfreie Optionen für das "
                                                     "Weihnachtsmenü; Verkostung am Dienstag um 10 Uhr mit dem "
                                                     "5er-Kit, Lieferung bitte über den Hintereingang."})
    detail.tabs.setCurrentWidget(detail.history)
    detail.refresh({cid})
    settle(app, window)
    save(detail, "history-tab.png", readme=False)

    table.setCurrentIndex(model.index(2, model.column_of("roi_value")))
    editing = window.stewardship.editing
    editing.start(table.currentIndex())
    settle(app, window)
    someone_else.fields.patch(cid, {"roi_potential": {"bucket": "HIGH", "value": 4100}})
    editing.editor.setText("2.750")
    editing.commit()
    settle(app, window)
    if editing.conflict is not None:
        save(editing.conflict, "cell-conflict.png", readme=False)
        editing.conflict.reject()
    editing.cancel()
    table.setCurrentIndex(model.index(2, model.column_of("renewal_date")))
    editing.start(table.currentIndex())
    pump(app, 0.3)
    save(window, "refused-cell.png", readme=False)


if __name__ == "__main__":
    main()
