"""Adding a hot field is an edit to the pack and nothing else.

A copy of the shipped pack with one more hot field (a test's field, not a shipped one):
a delivery slot whose weekday and earliest hour become projection columns, the weekday
filterable by a list of days, the hour sortable and filterable by a minimum. Nothing
else is changed; `steward db upgrade` makes the columns, the index, the trigger and the
truth, and the service layer filters and sorts by the new names.
"""

from __future__ import annotations

import secrets

import pytest
import sqlalchemy as sa

import services
from tests.logins import ensure_person
from tests.pack_extension import extended  # noqa: F401  (a fixture)


def test_a_sixth_hot_field_is_filterable_sortable_rebuilt_and_verified(extended):
    owner = services.connect(url=extended)
    try:
        login = ensure_person(owner.engine, f"t_admin_{secrets.token_hex(3)}", role="ADMIN")
        admin = services.connect(url=extended, user=login)
        slots = {"early monday": ("MON", 7), "tuesday": ("TUE", 9), "any monday": ("MON", None), "friday": ("FRI", 5)}
        ids = {}
        for name, (day, hour) in slots.items():
            customer = admin.customers.create(name=f"Kantine {name}", region="NORTH")
            value = {"weekday": day} | ({"earliest": hour} if hour is not None else {})
            admin.fields.patch(customer.id, {"delivery_slot": value})
            ids[name] = customer.id

        assert "delivery_weekday" in admin.customers.filters() and "delivery_earliest" in admin.customers.sort_keys()
        mondays = admin.customers.list(delivery_weekday="MON")
        assert {row.id for row in mondays.items} == {ids["early monday"], ids["any monday"]}
        assert {row.delivery_weekday for row in mondays.items} == {"MON"}
        early_first = admin.customers.list(sort="delivery_earliest", delivery_earliest_min=6)
        assert [row.delivery_earliest for row in early_first.items] == [7, 9]
        by_hour = admin.customers.list(sort="-delivery_earliest")
        assert [row.id for row in by_hour.items] == [ids["tuesday"], ids["early monday"], ids["friday"],
                                                     ids["any monday"]]   # no hour: last
        with pytest.raises(services.ValidationError) as refused:
            admin.customers.list(delivery_weekday="SUN")
        assert "delivery_weekday" in refused.value.errors
        with pytest.raises(services.ValidationError):        # the database checks the new schema too
            admin.fields.patch(ids["friday"], {"delivery_slot": {"weekday": "SAT"}})

        # The truth knows the new columns: a hand-broken row is found and repaired.
        with owner.engine.begin() as conn:
            conn.execute(sa.text("UPDATE cm_customer_hot_proj SET delivery_weekday = 'WED' WHERE customer_id = :id"),
                         {"id": ids["tuesday"]})
        assert owner.projections.verify() == 1
        assert owner.projections.rebuild().repaired == 1
        assert owner.projections.verify() == 0
        assert admin.customers.list(delivery_weekday="TUE").items[0].id == ids["tuesday"]
        admin.close()
    finally:
        owner.close()
