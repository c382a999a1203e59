"""Focus lists: what needs doing soon, soonest first, page by page."""

from datetime import timedelta

import pytest

from services.errors import ValidationError
from services.service_layer.kpis.focus import to_frame
from services.rules import calendar
from tests.kpis.conftest import at


def test_each_focus_list_holds_the_customers_in_its_window_soonest_first(svc, facts):
    today = calendar.today()
    c = {name: svc.customers.create(name=name, region="NORTH" if name != "south" else "SOUTH")
         for name in ("overdue", "due_today", "later", "delivered", "renews", "renews_late", "season", "south")}
    facts.sla(c["overdue"].id, "ROI_CONSULTATION", today - timedelta(days=4))
    facts.sla(c["overdue"].id, "MENU_INTEGRATION", today + timedelta(days=30))
    facts.sla(c["south"].id, "ROI_CONSULTATION", today - timedelta(days=1))
    facts.sla(c["due_today"].id, "PRODUCTTEST_FEEDBACK", today)
    facts.sla(c["later"].id, "PRODUCTTEST_FEEDBACK", today + timedelta(days=20))
    facts.sample(c["delivered"].id, "DELIVERED", at(today - timedelta(days=6)))
    facts.sample(c["south"].id, "DELIVERED", at(today - timedelta(days=2)))
    for name, days in (("renews", 10), ("renews_late", 120), ("south", 89)):
        svc.fields.patch(c[name].id, {"current_supplier_contracts": {
            "renewal_date": (today + timedelta(days=days)).isoformat(), "exclusivity": name == "renews"}})
    svc.fields.patch(c["season"].id, {"seasonal_menu_cycle": {
        "season_start": (today + timedelta(days=45)).isoformat(), "season_end": (today + timedelta(days=90)).isoformat()}})

    overdue = svc.kpis.focus_overdue_slas()
    assert [(r.name, r.days, r.detail) for r in overdue] == [("overdue", -4, "OVERDUE"), ("south", -1, "OVERDUE")]
    assert [r.name for r in svc.kpis.focus_overdue_slas(region="NORTH")] == ["overdue"]
    assert [(r.name, r.days, r.detail) for r in svc.kpis.focus_due_soon_slas()] == [("due_today", 0, "DUE_SOON")]
    delivered = svc.kpis.focus_delivered_without_feedback()
    assert [(r.name, r.days) for r in delivered] == [("delivered", -6), ("south", -2)]
    assert delivered.items[0].detail is None        # no feedback SLA was opened for these facts
    renewals = svc.kpis.focus_renewals()
    assert [(r.name, r.days, r.detail) for r in renewals] == [("renews", 10, "exclusive"), ("south", 89, None)]
    assert [r.name for r in svc.kpis.focus_renewals(days=200)] == ["renews", "south", "renews_late"]
    assert [(r.name, r.date) for r in svc.kpis.focus_season_openings()] == [("season", today + timedelta(days=45))]
    assert svc.kpis.focus_season_openings(days=30).items == ()
    assert list(to_frame(renewals)["name"]) == ["renews", "south"]


def test_focus_lists_page_with_cursors_and_refuse_another_lists_cursor(svc, facts):
    today = calendar.today()
    ids = []
    for n in range(5):
        c = svc.customers.create(name=f"Kantine {n}", region="WEST")
        facts.sla(c.id, "ROI_CONSULTATION", today - timedelta(days=10 - n % 2))
        ids.append(c.id)
    seen = []
    page = svc.kpis.focus_overdue_slas(limit=2)
    while True:
        seen += [(r.date, r.customer_id) for r in page]
        if page.next_cursor is None:
            break
        last_cursor = page.next_cursor
        page = svc.kpis.focus_overdue_slas(limit=2, cursor=page.next_cursor)
    assert seen == sorted(seen) and {cid for _, cid in seen} == set(ids) and len(seen) == 5
    with pytest.raises(ValidationError):
        svc.kpis.focus_overdue_slas(limit=2, cursor=last_cursor, region="WEST")
