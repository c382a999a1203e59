"""Hostile Python input through the real service layer (services/service_layer/checked.py, services/rules/inputs.py):
NUL characters, lone surrogates, runaway nesting, NaN and a limit below 1 each get a
ValidationError naming the argument or field, and leave every table, the outbox included,
exactly as it was."""

from __future__ import annotations

import inspect
import math

import pytest
from sqlalchemy.engine import URL, Engine

from services import ValidationError
from services.service_layer.access import Actor
from tests.integration.test_bad_input import assert_problem, snapshot

DEEP = 5_000


def nested(depth: int, *, kind=list):
    value: object = "leaf"
    for _ in range(depth):
        value = [value] if kind is list else {"x": value}
    return value


@pytest.fixture
def refused(owner_engine):
    """refused(key, fn, *args, **kw): fn raises ValidationError naming `key`, and nothing in the database changed."""
    def check(key, fn, *args, **kwargs):
        before = snapshot(owner_engine)
        with pytest.raises(ValidationError) as info:
            fn(*args, **kwargs)
        after = snapshot(owner_engine)
        changed = sorted(k for k in before if before[k] != after.get(k))
        assert after == before, f"hostile input changed {changed}"
        assert_problem(info.value, status=422, error_keys=[key])
        return info.value
    return check


@pytest.fixture
def world(svc):
    c = svc.customers.create(name="Kantine Nord", region="NORTH", city="Hamburg")
    svc.fields.patch(c.id, {"roi_potential": {"bucket": "HIGH", "value": 1800}, "kitchen_notes": "Herd 3"})
    scenario = svc.roi.create_scenario(c.id, "Basis", savings_per_month=950)
    svc.activities.create(c.id, kind="MENU_INTEGRATION", season="Q4", outcome="DRAFT", note="erste Runde")
    return {"c": c, "id": c.id, "scenario": scenario, "sample": svc.samples.request(c.id)}


# Each hostile value, the kind of problem it is, and what the message says.
TEXTS = [("a\x00b", "contains a NUL character"), ("\ud800", "lone surrogate"), ("Kü\udfffche", "lone surrogate")]


def test_hostile_text_in_customer_writes(svc, world, refused, subtests):
    cid = world["id"]
    for text, words in TEXTS:
        calls = [
            ("name", svc.customers.create, (), {"name": text, "region": "NORTH"}),
            ("city", svc.customers.create, (), {"name": "Kantine Süd", "region": "SOUTH", "city": text}),
            ("external_ref", svc.customers.create, (), {"name": "K", "region": "NORTH", "external_ref": text}),
            ("name", svc.customers.update, (cid,), {"name": text}),
            ("city", svc.customers.update, (cid,), {"city": text}),
            ("full_name", svc.customers.add_contact, (cid, text, ["HEAD_CHEF"]), {}),
            ("email", svc.customers.add_contact, (cid, "Eva Koch", ["HEAD_CHEF"]), {"email": f"eva{text}@x.example"}),
            ("roles.0", svc.customers.add_contact, (cid, "Eva Koch", [text]), {}),
            ("reason", svc.customers.set_contactability, (cid, "HARD_BOUNCE"), {"reason": text}),
            ("customer_id", svc.customers.get, (text,), {}),
        ]
        for key, fn, args, kwargs in calls:
            with subtests.test(call=fn.__name__, key=key, text=ascii(text)):
                exc = refused(key, fn, *args, **kwargs)
                assert words in exc.errors[key]


def test_hostile_text_in_samples_activities_roi_views_and_users(svc, world, refused, subtests):
    cid = world["id"]
    for text, words in TEXTS:
        calls = [
            ("notes", svc.samples.request, (cid,), {"notes": text}),
            ("delivery_address", svc.samples.request, (cid,), {"delivery_address": text}),
            ("items.0.sku", svc.samples.request, (cid, [{"sku": text, "quantity": 1}]), {}),
            ("new_status", svc.samples.set_status, (world["sample"].id, text), {}),
            ("note", svc.activities.create, (cid, "MENU_INTEGRATION"), {"season": "Q1", "outcome": "DRAFT",
                                                                         "note": text}),
            ("season", svc.activities.create, (cid, "MENU_INTEGRATION"), {"season": text, "outcome": "DRAFT"}),
            ("planned_dishes.1", svc.activities.create, (cid, "MENU_INTEGRATION"),
             {"season": "Q1", "outcome": "DRAFT", "planned_dishes": ["Gulasch", text]}),
            ("kind", svc.activities.create, (cid, text), {}),
            ("name", svc.roi.create_scenario, (cid, text), {"savings_per_month": 10}),
            ("assumptions.basis", svc.roi.create_scenario, (cid, "B"), {"assumptions": {"basis": text}}),
            ("name", svc.views.save, (text, {"filters": {}}), {}),
            ("definition.filters.q", svc.views.save, ("Meine", {"filters": {"q": text}}), {}),
            ("login", svc.users.add, (f"x{text}",), {"role": "SALES_REP", "region": "NORTH"}),
        ]
        for key, fn, args, kwargs in calls:
            with subtests.test(call=fn.__name__, key=key, text=ascii(text)):
                exc = refused(key, fn, *args, **kwargs)
                assert words in exc.errors[key]


def test_hostile_text_in_list_filters(svc, world, refused, subtests):
    cid = world["id"]
    for text, words in TEXTS:
        calls = [
            ("q", svc.customers.list, (), {"q": text}),
            ("region", svc.customers.list, (), {"region": text}),
            ("roi_bucket.1", svc.customers.list, (), {"roi_bucket": ["HIGH", text]}),
            ("cursor", svc.customers.list, (), {"cursor": text}),
            ("q", svc.customers.count, (), {"q": text}),
            ("q", svc.activities.list, (cid,), {"q": text}),
            ("kind", svc.activities.list, (cid,), {"kind": text}),
            ("key", svc.fields.history, (cid, text), {}),
            ("login", svc.users.get, (text,), {}),
            ("region", svc.kpis.focus_renewals, (), {"region": text}),
        ]
        for key, fn, args, kwargs in calls:
            with subtests.test(call=fn.__name__, key=key, text=ascii(text)):
                exc = refused(key, fn, *args, **kwargs)
                assert words in exc.errors[key]


def test_hostile_field_values_are_named_by_their_field(svc, world, refused, subtests):
    cid, etag = world["id"], svc.fields.get(world["id"]).etag
    for changes, key, words in [
        ({"kitchen_notes": "Herd\x00 4"}, "kitchen_notes", "NUL"),
        ({"kitchen_notes": "\ud800"}, "kitchen_notes", "lone surrogate"),
        ({"roi_potential": {"bucket": "HIGH\x00"}}, "roi_potential.bucket", "NUL"),
        ({"roi_potential": {"bucket": "HIGH", "value": math.nan}}, "roi_potential.value", "finite"),
        ({"roi_potential": {"bucket": "HIGH", "value": math.inf}}, "roi_potential.value", "finite"),
        ({"covers_per_day": -math.inf}, "covers_per_day", "finite"),
        ({"kitchen_type": "CANTEEN", "kitchen\x00notes": "x"}, "kitchen\\x00notes", "NUL"),
        ({"kitchen_notes": nested(DEEP)}, "kitchen_notes", "nested deeper than 32 levels"),
        ({"roi_potential": nested(DEEP, kind=dict)}, "roi_potential", "nested deeper than 32 levels"),
    ]:
        with subtests.test(key=key, words=words):
            exc = refused(key, svc.fields.patch, cid, changes, if_match=etag)
            assert words in exc.errors[key]
    assert svc.fields.get(cid).values["kitchen_notes"] == "Herd 3"


def test_runaway_nesting_anywhere(svc, world, refused, subtests):
    cid = world["id"]
    for kind in (list, dict):
        calls = [
            ("items", svc.samples.request, (cid, nested(DEEP, kind=kind)), {}),
            ("planned_dishes", svc.activities.create, (cid, "MENU_INTEGRATION"),
             {"season": "Q1", "outcome": "DRAFT", "planned_dishes": nested(DEEP, kind=kind)}),
            ("definition", svc.views.save, ("Tief", nested(DEEP, kind=kind)), {}),
            ("assumptions", svc.roi.create_scenario, (cid, "B"), {"assumptions": nested(DEEP, kind=kind)}),
            ("customer_ids", svc.customers.list, (), {"customer_ids": nested(DEEP, kind=kind)}),
            ("chains", svc.users.set_chains, ("admin", nested(DEEP, kind=kind)), {}),
        ]
        for key, fn, args, kwargs in calls:
            with subtests.test(call=fn.__name__, kind=kind.__name__):
                exc = refused(key, fn, *args, **kwargs)
                assert exc.errors[key] == "is nested deeper than 32 levels"


def test_non_finite_numbers(svc, world, refused, subtests):
    cid = world["id"]
    for number in (math.nan, math.inf, -math.inf):
        with subtests.test(number=number):
            refused("savings_per_month", svc.roi.create_scenario, cid, "B", savings_per_month=number)
            refused("rating", svc.activities.create, cid, "PRODUCTTEST_FEEDBACK", sample_id=world["sample"].id,
                    rating=number, outcome="SUCCESS")
            refused("days", svc.kpis.focus_renewals, number)


def test_a_limit_below_one_or_not_a_whole_number(svc, world, refused, subtests):
    cid = world["id"]
    calls = [
        ("fields.history", lambda limit: svc.fields.history(cid, limit=limit)),
        ("activities.list", lambda limit: svc.activities.list(cid, limit=limit)),
        ("customers.list", lambda limit: svc.customers.list(limit=limit)),
        ("changes.since", lambda limit: svc.changes.since(0, limit=limit)),
        ("kpis.focus_overdue_slas", lambda limit: svc.kpis.focus_overdue_slas(limit=limit)),
    ]
    for name, call in calls:
        for limit in (-1, 0, True, 2.0, "10", None, 2**64):
            with subtests.test(call=name, limit=limit):
                exc = refused("limit", call, limit)
                assert "whole number" in exc.errors["limit"] or "at most" in exc.errors["limit"]
    assert len(svc.fields.history(cid, limit=1)) == 1


def test_good_input_still_goes_through(svc, world):
    cid = world["id"]
    fs = svc.fields.patch(cid, {"kitchen_notes": "Grüße an die Küche 🍲", "roi_potential": {"bucket": "MID", "value": 2.5}})
    assert fs.values["kitchen_notes"] == "Grüße an die Küche 🍲"
    assert svc.customers.list(q="Kantine", limit=10).items[0].id == cid
    assert svc.activities.list(cid, q="erste").items
    assert svc.samples.request(cid, notes="Bitte bis 10 Uhr\tliefern").notes == "Bitte bis 10 Uhr\tliefern"


def test_every_public_method_of_every_service_is_checked_and_plain_attributes_are_not(svc):
    services = {name: value for name, value in vars(svc).items()
                if not name.startswith("_") and name not in svc.VALUES}
    assert {"customers", "fields", "samples", "activities", "roi", "users", "kpis", "views", "changes",
            "projections"} <= set(services)
    for name, service in services.items():
        methods = [m for m in dir(service) if not m.startswith("_") and inspect.isroutine(getattr(service, m))]
        assert methods, name
        for method in methods:
            assert hasattr(getattr(service, method), "__wrapped__"), f"svc.{name}.{method} is not checked"
            assert inspect.signature(getattr(service, method)) is not None
    assert isinstance(svc.engine, Engine) and isinstance(svc.url, URL) and isinstance(svc.actor, Actor)
    assert svc.catalog.fields


def test_a_service_added_later_gets_the_check_for_free(clean_db, monkeypatch):
    import services
    from services.service_layer import facade

    class NotesService:
        def __init__(self, ctx):
            self.ctx = ctx

        def add(self, text: str, *, limit: int = 5) -> str:
            return text

    original = facade.Steward.__init__

    def with_notes(self, engine, url, actor, ctx, *rest, **named):
        self.notes = NotesService(ctx)  # before the facade's own loop, as a new line in __init__ would be
        original(self, engine, url, actor, ctx, *rest, **named)

    monkeypatch.setattr(facade.Steward, "__init__", with_notes)
    with services.connect(url=clean_db) as steward:
        assert steward.notes.add("fine") == "fine"
        with pytest.raises(ValidationError) as info:
            steward.notes.add("a\x00")
        assert list(info.value.errors) == ["text"]
        with pytest.raises(ValidationError):
            steward.notes.add("fine", limit=0)
