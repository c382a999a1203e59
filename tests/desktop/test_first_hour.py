"""What a person sees in the main window in their first hour: rows they may not change look so and
say why, pickers offer only what can match, the detail pane never shows a customer the grid does
not, a long name cuts nothing else off, and an empty grid says why it is empty."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

import services
from desktop import reference as reference_data
from desktop.grid.model import READ_ONLY_COLOUR
from desktop.main_window import MainWindow
from tests.conftest import SESSION
from tests.desktop import seed
from tests.desktop.conftest import GuardedSteward, idle
from tests.logins import ensure_person

PEOPLE = {"mia": ("SALES_REP", "NORTH", "Mia Meyer"), "sabine": ("SALES_REP", "NORTH", "Sabine Krüger"),
          "lena": ("TEAM_LEAD", "NORTH", "Lena Lehmann"), "paul": ("SALES_REP", "SOUTH", "Paul Peters")}
AIRPORT, ALTONA = "Albrecht Backshops Hamburg Flughafen", "Albrecht Backshops Hamburg Altona"


@pytest.fixture
def world(desk, owner_engine):
    """A chain shared by two reps of Nord, and a customer in Süd; the people by their first names."""
    logins = {who: ensure_person(owner_engine, f"t_{who}_{SESSION}", role=role, region=region, display_name=name)
              for who, (role, region, name) in PEOPLE.items()}
    admin = desk.raw
    chain = admin.customers.create(name="Albrecht Backshops", region="NORTH", is_chain=True,
                                   coverage_policy="CHAIN_SHARED").id
    made = {
        "airport": admin.customers.create(name=AIRPORT, region="NORTH", city="Hamburg", owner=logins["mia"],
                                          parent_account_id=chain).id,
        "altona": admin.customers.create(name=ALTONA, region="NORTH", city="Hamburg", owner=logins["sabine"],
                                         parent_account_id=chain).id,
        "south": admin.customers.create(name="Kantine Süd", region="SOUTH", city="München", owner=logins["paul"]).id,
    }
    return logins, made


@pytest.fixture
def window_as(qtbot, desk, world):
    """`window_as("mia")`: the main window as that person (service calls only off the UI thread)."""
    opened = []

    def make(who: str) -> MainWindow:
        logins, _ = world
        raw = services.connect(url=desk.url, user=logins[who], source="desktop")
        guarded = GuardedSteward(raw)
        window = MainWindow(guarded, reference_data.load(raw), live=False, page_size=20)
        window.confirm_close = False
        qtbot.addWidget(window)
        window.show()
        opened.append((window, raw, guarded))
        qtbot.waitUntil(lambda: window.model.loaded_once and not window.model.loading)
        idle(qtbot, window)
        return window

    yield make
    for window, raw, guarded in opened:
        window.shut_down()
        raw.close()
        assert guarded.violations == []


def row_named(window: MainWindow, name: str) -> int:
    return next(n for n in range(window.model.rowCount()) if window.model.row_at(n).name == name)


def test_a_row_the_person_may_not_change_looks_read_only_and_says_why(qtbot, world, window_as):
    window = window_as("mia")
    model = window.model
    altona, airport = row_named(window, ALTONA), row_named(window, AIRPORT)
    cell = model.index(altona, model.column_of("name"))
    assert model.data(cell, Qt.ItemDataRole.FontRole).italic()
    assert model.data(cell, Qt.ItemDataRole.ForegroundRole) == READ_ONLY_COLOUR
    reason = ("Sabine Krüger's location in chain Albrecht Backshops: only its owner, the team lead of Nord and "
              "the chain's managers change it.")
    assert reason in model.data(cell, Qt.ItemDataRole.ToolTipRole)
    own = model.index(airport, model.column_of("name"))
    assert model.data(own, Qt.ItemDataRole.FontRole) is None and model.data(own, Qt.ItemDataRole.ForegroundRole) is None

    window.table.selectRow(altona)
    fields = window.detail.fields
    qtbot.waitUntil(lambda: fields.base is not None and fields.base.customer_id == world[1]["altona"])
    idle(qtbot, window)
    assert window.detail.lock.isVisible() and reason in window.detail.lock.text()
    notes = fields.rows["kitchen_notes"]
    assert not notes.editor.widget.isEnabled() and reason in notes.label.toolTip()
    assert not fields.save_button.isEnabled()

    window.table.selectRow(airport)
    qtbot.waitUntil(lambda: fields.base is not None and fields.base.customer_id == world[1]["airport"])
    idle(qtbot, window)
    assert not window.detail.lock.isVisible() and fields.rows["kitchen_notes"].editor.widget.isEnabled()


@pytest.mark.parametrize("who, regions, owners", [
    ("mia", ["Nord"], ["Mia Meyer", "Sabine Krüger"]),
    ("lena", ["Nord"], ["Mia Meyer", "Sabine Krüger"]),
])
def test_the_pickers_offer_only_regions_and_owners_of_customers_the_person_reads(world, window_as, who, regions,
                                                                                 owners):
    window = window_as(who)
    region, owner = window.filters.region, window.filters.owner
    assert [region.itemText(n) for n in range(1, region.count())] == regions
    assert [owner.itemText(n) for n in range(1, owner.count())] == owners
    assert "region" not in window.table.visible_columns()        # one region: the column would repeat it


def test_the_detail_pane_shows_only_a_customer_the_grid_shows(qtbot, desk, make_window):
    ids = seed.customers(desk.raw, 6)
    window = make_window()
    idle(qtbot, window)
    assert window.detail.customer_id == ids[0] and window.detail.showing       # the first opens at first
    window.table.selectRow(3)                                                   # Kantine 003, WEST
    qtbot.waitUntil(lambda: window.detail.customer_id == ids[3])

    window.filters.region.setCurrentIndex(window.filters.region.findData("NORTH"))   # 000 and 005
    window.filters.apply_now()
    idle(qtbot, window)
    assert window.model.rowCount() == 2
    assert not window.detail.showing and window.detail.customer_id is None
    assert "Select a customer" in window.detail.placeholder.text()

    window.table.selectRow(1)
    qtbot.waitUntil(lambda: window.detail.customer_id == ids[5])
    window.model.sort(window.model.column_of("name"), Qt.SortOrder.DescendingOrder)     # still there: kept
    idle(qtbot, window)
    assert window.detail.customer_id == ids[5] and window.table.current_customer().id == ids[5]

    window.filters.search.setText("nobody by this name")
    window.filters.apply_now()
    idle(qtbot, window)
    assert window.model.rowCount() == 0 and not window.detail.showing


def test_an_empty_grid_says_why_and_clears_the_filters(qtbot, desk, make_window):
    seed.customers(desk.raw, 6)
    window = make_window()
    window.filters.search.setText("xyz")
    window.filters.widget("roi_bucket").set_values(["HIGH"])
    window.filters.apply_now()
    idle(qtbot, window)
    hint = window.empty_hint
    assert hint.isVisible()
    assert hint.text() == "No customers match “xyz” and the filters ROI bucket: High."
    assert window.status.grid.text() == "0 customers match"
    qtbot.mouseClick(hint.clear_button, Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    assert window.model.rowCount() == 6 and not hint.isVisible()
    assert window.filters.filters() == {}


def test_a_long_name_is_cut_in_the_middle_and_widens_nothing(qtbot, desk, make_window):
    seed.customers(desk.raw, 3)
    long = desk.raw.customers.create(name="Albrecht Backshops Großbäckerei und Konditorei Hamburg-Fuhlsbüttel "
                                          "Flughafen Terminal 2 Abflugebene", region="NORTH", city="Hamburg")
    window = make_window(size=(1680, 960))
    idle(qtbot, window)
    pane, grid = window.detail.width(), window.table.width()
    window.table.selectRow(window.model.row_of(long.id))
    qtbot.waitUntil(lambda: window.detail.customer_id == long.id)
    idle(qtbot, window)
    qtbot.wait(50)
    assert (window.detail.width(), window.table.width()) == (pane, grid)
    title = window.detail.title
    assert title.text() == long.name and title.toolTip() == long.name
    assert "…" in title.fontMetrics().elidedText(long.name, Qt.TextElideMode.ElideMiddle, title.width())
