"""Bulk changes as change sets: bulk edit with preview, undo (and redo), refusals per value,
partial change sets, reassigning several customers, restoring from history, contacts
linked to several customers."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
import sqlalchemy as sa

import services
from tests.conftest import SESSION
from tests.logins import ensure_person

REP = f"t_rep_{SESSION}"
REP2 = f"t_rep2_{SESSION}"
LEAD_SOUTH = f"t_lead_south_{SESSION}"


def _state(engine, ids) -> dict:
    """Every field value and projection row of these customers, byte for byte."""
    with engine.connect() as conn:
        fields = conn.execute(sa.text(
            "SELECT customer_id::text, field_key, value::text FROM field_values WHERE customer_id = ANY(:ids) "
            "ORDER BY 1, 2"), {"ids": list(ids)}).all()
        projection = conn.execute(sa.text(
            "SELECT to_jsonb(p) - 'updated_at' - 'search' FROM cm_customer_hot_proj p WHERE customer_id = ANY(:ids) "
            "ORDER BY customer_id"), {"ids": list(ids)}).scalars().all()
    return {"fields": fields, "projection": projection}


@pytest.fixture
def team(svc, owner_engine, clean_db):
    """An admin (svc), two sales reps of NORTH with customers, and a team lead of SOUTH."""
    for login, role, region in ((REP, "SALES_REP", "NORTH"), (REP2, "SALES_REP", "NORTH"),
                                (LEAD_SOUTH, "TEAM_LEAD", "SOUTH")):
        ensure_person(owner_engine, login, role=role, region=region)
    rep = services.connect(url=clean_db, user=REP)
    mine = [svc.customers.create(name=f"Mine {i}", region="NORTH", owner=REP).id for i in range(6)]
    theirs = [svc.customers.create(name=f"Theirs {i}", region="NORTH", owner=REP2).id for i in range(3)]
    for n, cid in enumerate(mine + theirs):
        svc.fields.patch(cid, {"roi_potential": {"bucket": "LOW", "value": 100 + n}, "covers_per_day": n})
    yield {"rep": rep, "mine": mine, "theirs": theirs}
    rep.close()


def test_undo_after_a_bulk_edit_restores_every_value_byte_for_byte(svc, team, owner_engine):
    ids = team["mine"] + team["theirs"]
    before = _state(owner_engine, ids)
    changes = {"roi_potential": {"bucket": "HIGH", "value": 5000}, "covers_per_day": None, "kitchen_type": "CANTEEN"}
    preview = svc.bulk.preview(changes, customer_ids=ids)
    assert (preview.customers, preview.writable, preview.out_of_scope, preview.errors) == (9, 9, 0, {})
    covers = next(f for f in preview.fields if f.key == "covers_per_day")
    assert covers.changing == 9 and covers.unchanged == 0 and len(covers.changes) == 5   # the five most frequent
    cs = svc.bulk.apply(changes, customer_ids=ids)
    assert (cs.kind, cs.state, cs.changed, cs.customers) == ("bulk_edit", "done", 27, 9)
    assert _state(owner_engine, ids) != before
    assert svc.customers.list(roi_bucket="HIGH").items and svc.projections.verify() == 0

    undone = svc.change_sets.undo(cs.id)
    assert (undone.kind, undone.undoes, undone.changed, undone.refused_values) == ("undo", cs.id, 27, ())
    assert _state(owner_engine, ids) == before
    assert svc.change_sets.get(cs.id).undone_by == undone.id
    with pytest.raises(services.Conflict):
        svc.change_sets.undo(cs.id)

    redone = svc.change_sets.undo(undone.id)       # undoing the undo redoes
    assert redone.changed == 27 and svc.fields.get(ids[0]).values["kitchen_type"] == "CANTEEN"


def test_undo_is_refused_per_value_where_someone_changed_it_since(svc, team):
    ids = team["mine"]
    cs = svc.bulk.apply({"covers_per_day": 777}, customer_ids=ids)
    team["rep"].fields.patch(ids[2], {"covers_per_day": 12})          # the rep changed one since
    undone = svc.change_sets.undo(cs.id)
    assert undone.changed == len(ids) - 1
    [refusal] = undone.refused_values
    assert (refusal.customer_id, refusal.key, refusal.reason) == (ids[2], "covers_per_day", "changed since")
    assert refusal.changed_by == team["rep"].actor.display_name and refusal.changed_at is not None
    assert svc.fields.get(ids[2]).values["covers_per_day"] == 12     # the rep's value stays
    assert svc.fields.get(ids[0]).values["covers_per_day"] == 0


def test_a_reps_bulk_edit_over_a_filter_touches_only_their_customers_and_skips_restricted_fields(svc, team):
    rep = team["rep"]
    changes = {"covers_per_day": 42, "price_agreement": {"price_list": "CHAIN"}}
    preview = rep.bulk.preview(changes, filters={"region": "NORTH"})
    restricted = next(f for f in preview.fields if f.key == "price_agreement")
    assert restricted.refused and "restricted" in restricted.refused
    assert preview.writable == len(team["mine"])
    cs = rep.bulk.apply(changes, filters={"region": "NORTH"})
    assert cs.changed == len(team["mine"]) and cs.refused == len(team["mine"])   # one restricted value each
    assert all(svc.fields.get(c).values["covers_per_day"] == 42 for c in team["mine"])
    assert all(svc.fields.get(c).values["covers_per_day"] != 42 for c in team["theirs"])
    assert all("price_agreement" not in svc.fields.get(c).values for c in team["mine"])


def test_a_bulk_edit_names_invalid_values_and_writes_nothing(svc, team, owner_engine):
    ids = team["mine"]
    before = _state(owner_engine, ids)
    preview = svc.bulk.preview({"covers_per_day": -3}, customer_ids=ids)
    assert "covers_per_day" in preview.errors
    with pytest.raises(services.ValidationError) as refused:
        svc.bulk.apply({"covers_per_day": -3}, customer_ids=ids)
    assert "covers_per_day" in refused.value.errors
    assert _state(owner_engine, ids) == before
    [cs] = svc.change_sets.list()
    assert (cs.state, cs.changed) == ("partial", 0)   # opened, nothing ran


def test_a_cancelled_bulk_edit_is_a_partial_change_set_that_undo_takes_back(svc, team, owner_engine, monkeypatch):
    from services.service_layer import bulk

    monkeypatch.setattr(bulk, "BATCH", 2)
    ids = team["mine"]
    before = _state(owner_engine, ids)
    seen: list[tuple[int, int]] = []
    cs = svc.bulk.apply({"covers_per_day": 1000}, customer_ids=ids, progress=lambda d, t: seen.append((d, t)),
                        cancelled=lambda: len(seen) >= 2)
    assert seen == [(2, 6), (4, 6)]
    assert (cs.state, cs.changed) == ("partial", 4)
    svc.change_sets.undo(cs.id)
    assert _state(owner_engine, ids) == before


def test_reassigning_several_is_one_change_set_and_a_lead_outside_the_region_is_refused(svc, team, clean_db):
    ids = team["mine"][:3]
    cs = svc.customers.reassign(ids, REP2)
    assert (cs.kind, cs.changed) == ("reassign", 3)
    assert {svc.customers.get(c).owner_name for c in ids} == {REP2}
    svc.change_sets.undo(cs.id)
    assert {svc.customers.get(c).owner_id for c in ids} == {team["rep"].actor.user_id}

    lead = services.connect(url=clean_db, user=LEAD_SOUTH)
    try:
        with pytest.raises(services.NotFound):          # NORTH customers are not the SOUTH lead's to see
            lead.customers.reassign(ids, LEAD_SOUTH)
        assert {svc.customers.get(c).owner_id for c in ids} == {team["rep"].actor.user_id}
    finally:
        lead.close()


def test_restore_from_history_sets_one_value_or_the_whole_customer_back(svc, team):
    cid = team["mine"][0]
    svc.fields.patch(cid, {"kitchen_notes": "first"})
    moment = datetime.now(timezone.utc)
    svc.fields.patch(cid, {"kitchen_notes": "second", "covers_per_day": 55})
    one = svc.fields.restore(cid, moment, keys=["kitchen_notes"])
    assert one.kind == "restore" and svc.fields.get(cid).values["kitchen_notes"] == "first"
    assert svc.fields.get(cid).values["covers_per_day"] == 55
    whole = svc.fields.restore(cid, moment)
    assert whole.changed == 1 and svc.fields.get(cid).values["covers_per_day"] == 0
    svc.change_sets.undo(whole.id)
    assert svc.fields.get(cid).values["covers_per_day"] == 55


def test_the_history_pages_beyond_its_first_page(svc, team):
    cid = team["mine"][1]
    for n in range(7):
        svc.fields.patch(cid, {"covers_per_day": 1000 + n})
    first = svc.fields.history(cid, limit=3)
    second = svc.fields.history(cid, limit=3, before=first[-1].id)
    assert len(first) == len(second) == 3 and not {h.id for h in first} & {h.id for h in second}
    assert [h.new for h in first + second] == [1006, 1005, 1004, 1003, 1002, 1001]


def test_a_contact_linked_to_two_customers_shows_on_both(svc, team):
    first, second = team["mine"][:2]
    contact = svc.customers.add_contact(first, "Maren Koch", ["HEAD_CHEF"], email="koch@example.com")
    svc.customers.link_contact(contact.id, second, ["PURCHASING"])
    assert [c.roles for c in svc.customers.contacts(second) if c.id == contact.id] == [("PURCHASING",)]
    svc.customers.update_contact(contact.id, phone="+49 40 123", do_not_contact=True)
    assert all(c.phone == "+49 40 123" and c.do_not_contact
               for cid in (first, second) for c in svc.customers.contacts(cid) if c.id == contact.id)
    svc.customers.unlink_contact(contact.id, second)
    assert not [c for c in svc.customers.contacts(second) if c.id == contact.id]
    assert [c.id for c in svc.customers.contacts(first)] == [contact.id]


def test_master_data_has_an_etag_like_the_fields(svc, team):
    cid = team["mine"][0]
    customer = svc.customers.get(cid)
    updated = svc.customers.update(cid, if_match=customer.etag, city="Lübeck", name="Mine, renamed")
    assert (updated.city, updated.name) == ("Lübeck", "Mine, renamed") and updated.etag != customer.etag
    with pytest.raises(services.PreconditionFailed) as stale:
        svc.customers.update(cid, if_match=customer.etag, city="Kiel")
    assert stale.value.current_etag == updated.etag
    assert svc.customers.get(cid).city == "Lübeck"


def test_a_pasted_block_is_checked_cell_by_cell_and_is_one_change_set(svc, team, owner_engine):
    ids = team["mine"][:3]
    before = _state(owner_engine, ids)
    bad = [(ids[0], "covers_per_day", 10), (ids[1], "covers_per_day", "lots"), (ids[2], "kitchen_type", "BARBECUE")]
    with pytest.raises(services.ValidationError) as refused:
        svc.bulk.paste(bad)
    assert set(refused.value.errors) == {f"{ids[1]}.covers_per_day", f"{ids[2]}.kitchen_type"}
    assert _state(owner_engine, ids) == before
    good = [(ids[0], "covers_per_day", 10), (ids[1], "covers_per_day", 20), (ids[2], "kitchen_type", "CANTEEN")]
    cs = svc.bulk.paste(good)
    assert (cs.kind, cs.changed, cs.customers) == ("paste", 3, 3)
    assert svc.fields.get(ids[1]).values["covers_per_day"] == 20
    svc.change_sets.undo(cs.id)
    assert _state(owner_engine, ids) == before
