"""The grid's search finds a name however its accents and umlauts are typed (migration 0022):
German users type "Muller", "Mueller" or "Strasse" as often as "Müller" or "Straße"."""

from __future__ import annotations

import pytest

NAMES = [("Café Central", "Köln"), ("Metzgerei Müller", "Fürth"), ("Kantine Straße des 17. Juni", "Berlin"),
         ("Bäckerei Jäger", "Lübeck"), ("Mueller Catering", "Essen"), ("Brasserie Noël", "Saarbrücken")]


@pytest.fixture
def customers(svc):
    return {name: svc.customers.create(name=name, city=city, region="NORTH").id for name, city in NAMES}


@pytest.mark.parametrize("typed, expected", [
    ("cafe", {"Café Central"}),
    ("Café", {"Café Central"}),
    ("CAFE central", {"Café Central"}),
    ("muller", {"Metzgerei Müller"}),
    ("Müller", {"Metzgerei Müller"}),
    ("mueller", {"Metzgerei Müller", "Mueller Catering"}),
    ("strasse", {"Kantine Straße des 17. Juni"}),
    ("straße", {"Kantine Straße des 17. Juni"}),
    ("baeckerei", {"Bäckerei Jäger"}),
    ("backerei jager", {"Bäckerei Jäger"}),
    ("luebeck", {"Bäckerei Jäger"}),
    ("noel", {"Brasserie Noël"}),
    ("saarbrucken", {"Brasserie Noël"}),
    ("furth", {"Metzgerei Müller"}),
])
def test_accents_umlauts_and_sharp_s_may_be_typed_either_way(svc, customers, typed, expected):
    found = {c.name for c in svc.customers.list(q=typed, limit=50).items}
    assert found == expected


def test_the_words_follow_a_rename(svc, customers):
    customer = svc.customers.get(customers["Café Central"])
    svc.customers.update(customer.id, name="Konditorei Schöne Aussicht")
    assert {c.name for c in svc.customers.list(q="cafe", limit=50).items} == set()
    assert {c.name for c in svc.customers.list(q="schoene aussicht", limit=50).items} == {"Konditorei Schöne Aussicht"}
    assert {c.name for c in svc.customers.list(q="schone", limit=50).items} == {"Konditorei Schöne Aussicht"}
