"""What the grid offers and how it marks rows, per role: the database's write rule for every row of
a page (with the reason in words where a row is read-only), and pickers that offer only regions and
owners of customers the person reads."""

from __future__ import annotations

import pytest

from tests.access.conftest import ROLES, SCOPES
from tests.access.test_matrix import WRITE


def _rows(svc):
    return {row.id: row for row in svc.customers.list(limit=100).items}


@pytest.mark.parametrize("role", ROLES)
def test_each_row_says_whether_the_person_may_change_it_as_the_database_decides(world, role):
    rows = _rows(world.sessions[role])
    for scope in SCOPES:
        row = rows.get(world.customers[scope])
        if row is None:
            continue                                  # not readable: not listed
        assert row.writable == (scope in WRITE[role]), (role, scope)
        assert (row.read_only_reason is None) == row.writable


def test_a_reps_read_only_sibling_says_whose_it_is_and_who_may_change_it(world):
    row = _rows(world.sessions["rep"])[world.customers["sibling_shared"]]
    assert not row.writable
    assert row.read_only_reason == ("rep2's location in chain Chain S: only its owner, the team lead of Nord and "
                                    "the chain's managers change it.")
    assert _rows(world.sessions["rep"])[world.customers["own"]].writable


@pytest.mark.parametrize("role, regions", [
    ("rep", {"NORTH": "Nord"}), ("lead", {"NORTH": "Nord"}), ("cm", {"NORTH": "Nord"}),
    ("admin", {"NORTH": "Nord", "EAST": "Ost", "SOUTH": "Süd", "WEST": "West", "CENTRAL": "Mitte"}),
])
def test_the_region_choices_are_the_regions_the_person_reads(world, role, regions):
    assert world.sessions[role].customers.regions() == regions


@pytest.mark.parametrize("role, owners", [
    ("rep", ["rep", "rep2"]), ("lead", ["rep", "rep2"]), ("cm", ["rep", "rep2"]),
    ("admin", ["rep", "rep2", "rep_south"]),
])
def test_the_owner_choices_are_the_people_whose_customers_the_person_reads(world, role, owners):
    found = world.sessions[role].customers.owners()
    assert [name for _id, _login, name in found] == owners
    assert {login for _id, login, _name in found} == {world.logins[who] for who in owners}


def test_a_refused_write_names_the_customer_and_its_owner_not_an_id(world):
    import services

    with pytest.raises(services.Forbidden) as refused:
        world.sessions["rep"].fields.patch(world.customers["sibling_shared"], {"kitchen_notes": "mine now"})
    detail = refused.value.detail
    assert detail == "You may read “sibling_shared site” (rep2's customer) but not change its fields."
    assert str(world.customers["sibling_shared"]) not in detail
