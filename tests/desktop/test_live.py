"""Live refresh: changes by others reach the screen; a lost connection shows and heals itself."""

from __future__ import annotations

import sqlalchemy as sa

from desktop.live import LIVE, RECONNECTING
from tests.desktop import seed
from tests.desktop.conftest import LOGIN, idle


def roi_of(window, cid):
    row = window.model.row_of(cid)
    return None if row is None else window.model.row_at(row).roi_value


def test_a_change_by_someone_else_reaches_the_grid_and_the_open_customer(qtbot, svc, desk, make_window):
    ids = seed.customers(desk.raw, 3)
    window = make_window(live=True, poll_interval=0.3)
    qtbot.waitUntil(lambda: window.live.state == LIVE, timeout=10000)
    window.open_customer(window.model.row_at(0))
    fields = window.detail.fields
    qtbot.waitUntil(lambda: fields.base is not None)
    svc.fields.patch(ids[0], {"roi_potential": {"bucket": "HIGH", "value": 9999}})
    qtbot.waitUntil(lambda: roi_of(window, ids[0]) == 9999, timeout=10000)
    qtbot.waitUntil(lambda: fields.rows["roi_potential"].editor.value() == {"bucket": "HIGH", "value": 9999},
                    timeout=10000)
    idle(qtbot, window)


def test_a_lost_connection_shows_stale_data_and_the_client_reconnects_by_itself(qtbot, svc, desk, make_window,
                                                                             owner_engine):
    ids = seed.customers(desk.raw, 3)
    window = make_window(live=True, poll_interval=0.5)
    qtbot.waitUntil(lambda: window.live.state == LIVE, timeout=10000)
    with qtbot.waitSignal(window.live.state_changed, check_params_cb=lambda s: s == RECONNECTING, timeout=10000):
        with owner_engine.begin() as conn:
            killed = conn.execute(sa.text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE usename = :login AND datname = current_database()"), {"login": LOGIN}).scalar()
        assert killed >= 1
    assert window.status.freshness.text().endswith("— reconnecting")
    assert window.status.freshness.text().startswith("·  data as of ")
    svc.fields.patch(ids[2], {"roi_potential": {"bucket": "MID", "value": 4242}})   # while the client is away

    qtbot.waitUntil(lambda: window.live.state == LIVE, timeout=10000)
    assert "reconnecting" not in window.status.freshness.text()
    qtbot.waitUntil(lambda: roi_of(window, ids[2]) == 4242, timeout=10000)
    idle(qtbot, window)
