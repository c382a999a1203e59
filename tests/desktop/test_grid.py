"""The customer grid: filters, keyset pages on scrolling, sorting, columns."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.desktop import seed
from tests.desktop.conftest import idle


def grid_ids(window):
    return [window.model.row_at(n).id for n in range(window.model.rowCount())]


def load_everything(qtbot, window):
    while window.model.canFetchMore():
        window.model.fetchMore()
        qtbot.waitUntil(lambda: not window.model.loading)


def test_a_filter_shows_exactly_the_matching_rows(qtbot, desk, make_window):
    ids = seed.customers(desk.raw, 30)
    expected = {ids[i] for i in range(30) if seed.BUCKETS[i % 3] == "HIGH" and seed.REGIONS[i % 5] == "NORTH"}
    window = make_window()
    window.filters.widget("roi_bucket").set_values(["HIGH"])
    window.filters.region.setCurrentIndex(window.filters.region.findData("NORTH"))
    window.filters.apply_now()
    qtbot.waitUntil(lambda: window.model.filters == {"roi_bucket": ["HIGH"], "region": "NORTH"}
                    and not window.model.loading)
    load_everything(qtbot, window)
    assert set(grid_ids(window)) == expected and len(grid_ids(window)) == len(expected) == 2
    idle(qtbot, window)
    assert window.model.total == 2
    assert "2 of 2 customers loaded" in window.status.grid.text()


def test_scrolling_fetches_the_next_pages_and_never_the_whole_table(qtbot, desk, make_window):
    seed.customers(desk.raw, 65)
    window = make_window(size=(1200, 500))      # about fifteen rows on screen
    idle(qtbot, window)
    seen = [window.model.rowCount()]
    # One page of 20, or two when the prefetch (half a page before the end) saw the end near.
    assert seen[0] in (20, 40) and window.model.canFetchMore()
    while window.model.rowCount() < 65:
        window.table.scrollToBottom()
        qtbot.waitUntil(lambda: window.model.rowCount() > seen[-1])
        idle(qtbot, window)
        seen.append(window.model.rowCount())
    steps = [b - a for a, b in zip(seen, seen[1:])]
    assert seen[-1] == 65 and all(step in (5, 20, 25, 40, 45) for step in steps)   # whole keyset pages, never all at once
    assert len(seen) >= 3
    assert not window.model.canFetchMore()
    names = [window.model.row_at(n).name for n in range(65)]
    assert names == sorted(names) and len(set(names)) == 65


def test_an_answer_to_an_old_filter_is_dropped(qtbot, desk, make_window):
    seed.customers(desk.raw, 10)
    window = make_window()
    window.model.set_query({"q": "nothing matches this"})
    window.model.set_query({"region": "SOUTH"})
    idle(qtbot, window)
    assert {window.model.row_at(n).region for n in range(window.model.rowCount())} == {"SOUTH"}
    assert window.model.rowCount() == 2


def test_clicking_a_sortable_header_sorts_and_a_second_click_reverses(qtbot, desk, make_window):
    seed.customers(desk.raw, 12)
    window = make_window()
    roi = window.model.column_of("roi_value")
    window.table._header_clicked(roi)
    idle(qtbot, window)
    values = [window.model.row_at(n).roi_value for n in range(12)]
    assert window.model.sort_key == "roi_value" and values == sorted(values)
    window.table._header_clicked(roi)
    idle(qtbot, window)
    assert window.model.sort_key == "-roi_value"
    assert [window.model.row_at(n).roi_value for n in range(12)] == sorted(values, reverse=True)
    window.table._header_clicked(window.model.column_of("region"))   # no index behind it: nothing happens
    assert window.model.sort_key == "-roi_value"
    assert window.table.horizontalHeader().sortIndicatorSection() == roi


def test_the_column_chooser_hides_and_shows_columns(qtbot, window):
    menu = window.table.column_menu()
    city = next(a for a in menu.actions() if a.text() == "City")
    city.setChecked(False)
    assert "city" not in window.table.visible_columns()
    assert not next(a for a in menu.actions() if a.text() == "Customer").isEnabled()
    window.table.set_visible_columns(["name", "renewal_date", "city"])
    assert window.table.visible_columns() == ["name", "renewal_date", "city"]


def test_rows_have_one_fixed_height(qtbot, desk, make_window):
    seed.customers(desk.raw, 5)
    window = make_window()
    heights = {window.table.rowHeight(n) for n in range(window.model.rowCount())}
    assert len(heights) == 1
    assert window.table.verticalHeader().sectionResizeMode(0) == window.table.verticalHeader().ResizeMode.Fixed
    assert window.model.data(window.model.index(0, 0), Qt.ItemDataRole.DisplayRole) == "Kantine 000"
