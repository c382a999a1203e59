"""The B2B-Food pack's SLA rules (resources/b2b_food/rules.sql, steward_pack.*_effects).

The effects functions read only reference data (the activity kinds' SLA
parameters, the holiday calendar), so each case hands them made-up open SLAs, as
a unit test would, and reads back the effects they decide on.
"""

from __future__ import annotations

import json
import uuid
from collections import namedtuple
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

BERLIN = ZoneInfo("Europe/Berlin")
D = date.fromisoformat
SAMPLE = uuid.UUID("00000000-0000-4000-8000-0000000000aa")
OTHER_SAMPLE = uuid.UUID("00000000-0000-4000-8000-0000000000bb")

Open = namedtuple("Open", "kind rule due_date sample_id", defaults=(None,))
Meet = namedtuple("Meet", "sla_id")
Close = namedtuple("Close", "sla_id")
OpenSla = namedtuple("OpenSla", "id kind rule sample_id opened_at due_date")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BERLIN)


def feedback_sla(sla_id="s1", sample_id=SAMPLE, due="2026-12-29"):
    return OpenSla(sla_id, "PRODUCTTEST_FEEDBACK", "feedback_after_delivery", sample_id, at("2026-12-21 10:00"), D(due))


def follow_up_sla(sla_id="f1", opened="2026-12-01 10:00"):
    return OpenSla(sla_id, "ROI_CONSULTATION", "follow_up", None, at(opened), D("2026-12-08"))


@pytest.fixture
def rules(owner_engine):
    with owner_engine.connect() as conn:
        yield conn


def _slas(open_slas) -> str:
    return json.dumps([{"id": s.id, "kind": s.kind, "rule": s.rule,
                        "sample_id": str(s.sample_id) if s.sample_id else None,
                        "opened_at": s.opened_at.isoformat(), "due_date": s.due_date.isoformat()} for s in open_slas])


def _effects(rows) -> list:
    effects = []
    for e in rows:
        if "open" in e:
            o = e["open"]
            effects.append(Open(o["kind"], o["rule"], D(o["due_date"]),
                                uuid.UUID(o["sample_id"]) if o.get("sample_id") else None))
        else:
            effects.append(Meet(e["meet"]) if "meet" in e else Close(e["close"]))
    return effects


@pytest.fixture
def on_sample_status(rules):
    def run(*, sample_id, new_status, event_at, open_slas):
        return _effects(rules.execute(sa.text(
            "SELECT steward_pack.sample_status_effects(:s, :status, :at, CAST(:open AS jsonb))"),
            {"s": sample_id, "status": new_status, "at": event_at, "open": _slas(open_slas)}).scalar_one())
    return run


@pytest.fixture
def activity(rules):
    def run(kind, outcome, when="2026-12-10 10:00", data=None, open_slas=(), hot=None):
        hot = {k: v.isoformat() for k, v in (hot or {}).items()}
        return _effects(rules.execute(sa.text(
            "SELECT steward_pack.activity_effects(:k, :o, :at, CAST(:data AS jsonb), CAST(:open AS jsonb), "
            "CAST(:hot AS jsonb))"),
            {"k": kind, "o": outcome, "at": at(when), "data": json.dumps(data or {}), "open": _slas(open_slas),
             "hot": json.dumps(hot)}).scalar_one())
    return run


# ------------------------------------------------------------- samples

def test_delivery_opens_the_feedback_sla_due_five_business_days_later(on_sample_status):
    effects = on_sample_status(sample_id=SAMPLE, new_status="DELIVERED",
                                        event_at=at("2026-12-21 10:00"), open_slas=[])
    # Mon 21 Dec + 5: 22, 23, 24, [25 holiday, 26, 27], 28, 29
    assert effects == [Open("PRODUCTTEST_FEEDBACK", "feedback_after_delivery", D("2026-12-29"), SAMPLE)]


@pytest.mark.parametrize("delivered,due", [
    ("2026-12-30 09:00", "2027-01-07"),   # over New Year: 31, [1, 2, 3], 4, 5, 6, 7
    ("2026-04-01 12:00", "2026-04-10"),   # over Easter: 2, [3 .. 6], 7, 8, 9, 10
    ("2026-11-16 08:00", "2026-11-23"),   # an ordinary week
    ("2026-12-24 16:00", "2027-01-04"),   # 28, 29, 30, 31, [1, 2, 3], 4
])
def test_feedback_due_dates_follow_the_german_calendar(delivered, due, on_sample_status):
    [effect] = on_sample_status(sample_id=SAMPLE, new_status="DELIVERED",
                                         event_at=at(delivered), open_slas=[])
    assert effect.due_date == D(due)


def test_delivery_day_is_the_berlin_day_of_the_event(on_sample_status):
    # 23:30 UTC on Sunday 20 Dec is Monday 21 Dec in Berlin.
    [effect] = on_sample_status(sample_id=SAMPLE, new_status="DELIVERED",
                                         event_at=datetime(2026, 12, 20, 23, 30, tzinfo=timezone.utc), open_slas=[])
    assert effect.due_date == D("2026-12-29")


def test_a_second_delivery_does_not_open_a_second_sla(on_sample_status):
    assert on_sample_status(sample_id=SAMPLE, new_status="DELIVERED",
                                     event_at=at("2026-12-22 10:00"), open_slas=[feedback_sla()]) == []


@pytest.mark.parametrize("status", ["FEEDBACK_SUCCESS", "FEEDBACK_NEUTRAL", "FEEDBACK_FAIL"])
def test_feedback_meets_only_that_samples_sla(status, on_sample_status):
    effects = on_sample_status(
        sample_id=SAMPLE, new_status=status, event_at=at("2026-12-23 10:00"),
        open_slas=[feedback_sla("mine"), feedback_sla("theirs", OTHER_SAMPLE), follow_up_sla()])
    assert effects == [Meet("mine")]


def test_cancellation_closes_the_samples_open_sla(on_sample_status):
    effects = on_sample_status(sample_id=SAMPLE, new_status="CANCELED",
                                        event_at=at("2026-12-23 10:00"),
                                        open_slas=[feedback_sla("mine"), feedback_sla("theirs", OTHER_SAMPLE)])
    assert effects == [Close("mine")]


@pytest.mark.parametrize("status", ["REQUESTED", "PACKED", "SHIPPED"])
def test_other_steps_have_no_sla_effect(status, on_sample_status):
    assert on_sample_status(sample_id=SAMPLE, new_status=status,
                                     event_at=at("2026-12-23 10:00"), open_slas=[feedback_sla()]) == []


def test_without_a_feedback_kind_in_the_pack_samples_have_no_sla(rules, on_sample_status):
    with rules.begin_nested() as without:
        rules.execute(sa.text("UPDATE activity_kinds SET sla = NULL WHERE kind = 'PRODUCTTEST_FEEDBACK'"))
        assert on_sample_status(sample_id=SAMPLE, new_status="DELIVERED", event_at=at("2026-12-21 10:00"),
                                open_slas=[]) == []
        without.rollback()


# ----------------------------------------------------------- activities

@pytest.mark.parametrize("outcome", ["QUALIFIED", "NEEDS_DATA"])
def test_roi_consultation_opens_a_follow_up_due_in_seven_days(outcome, activity):
    assert activity("ROI_CONSULTATION", outcome, "2026-12-10 10:00") == [
        Open("ROI_CONSULTATION", "follow_up", D("2026-12-17"))]


def test_roi_consultation_follow_up_counts_calendar_days_over_holidays(activity):
    assert activity("ROI_CONSULTATION", "QUALIFIED", "2026-12-24 10:00") == [
        Open("ROI_CONSULTATION", "follow_up", D("2026-12-31"))]


def test_no_interest_opens_no_follow_up(activity):
    assert activity("ROI_CONSULTATION", "NO_INTEREST") == []


@pytest.mark.parametrize("kind,outcome,data", [
    ("MENU_INTEGRATION", "MENU_LOCKED", {"season": "Q4"}),
    ("DECISION_MAKER_ALIGNMENT", "ALIGNED", {"roles": ["HEAD_CHEF"], "alignment_score": 90}),
    ("PRODUCTTEST_FEEDBACK", "SUCCESS", {"sample_id": str(SAMPLE)}),
    ("ROI_CONSULTATION", "NO_INTEREST", {"commitment_level": "LOW"}),
])
def test_any_later_activity_meets_an_open_follow_up(kind, outcome, data, activity):
    effects = activity(kind, outcome, "2026-12-05 10:00", data, open_slas=[follow_up_sla()])
    assert Meet("f1") in effects


def test_an_activity_before_the_consultation_does_not_meet_its_follow_up(activity):
    effects = activity("MENU_INTEGRATION", "MENU_LOCKED", "2026-11-30 10:00", {"season": "Q4"},
                       open_slas=[follow_up_sla(opened="2026-12-01 10:00")])
    assert Meet("f1") not in effects


def test_a_new_consultation_meets_the_old_follow_up_and_opens_a_new_one(activity):
    effects = activity("ROI_CONSULTATION", "QUALIFIED", "2026-12-05 10:00", open_slas=[follow_up_sla()])
    assert effects == [Meet("f1"), Open("ROI_CONSULTATION", "follow_up", D("2026-12-12"))]


def test_menu_draft_is_due_by_the_rollout_end_when_given(activity):
    effects = activity("MENU_INTEGRATION", "DRAFT", data={"season": "Q4", "rollout_to": "2026-12-20"},
                       hot={"season_end": D("2026-12-31")})
    assert effects == [Open("MENU_INTEGRATION", "inside_season_window", D("2026-12-20"))]


def test_menu_draft_is_due_by_the_season_end_otherwise(activity):
    effects = activity("MENU_INTEGRATION", "DRAFT", data={"season": "Q4"}, hot={"season_end": D("2026-12-31")})
    assert effects == [Open("MENU_INTEGRATION", "inside_season_window", D("2026-12-31"))]


def test_menu_draft_after_the_season_falls_back_to_thirty_days(activity):
    effects = activity("MENU_INTEGRATION", "DRAFT", "2026-12-10 10:00", data={"season": "Q4"},
                       hot={"season_end": D("2026-11-30")})
    assert effects == [Open("MENU_INTEGRATION", "inside_season_window", D("2027-01-09"))]


def test_menu_locked_meets_and_dropped_closes_the_open_menu_sla(activity):
    menu = OpenSla("m1", "MENU_INTEGRATION", "inside_season_window", None, at("2026-12-01 10:00"), D("2026-12-31"))
    assert activity("MENU_INTEGRATION", "MENU_LOCKED", data={"season": "Q4"}, open_slas=[menu]) == [Meet("m1")]
    assert activity("MENU_INTEGRATION", "DROPPED", data={"season": "Q4"}, open_slas=[menu]) == [Close("m1")]
    # A second draft while one is open opens nothing new.
    assert activity("MENU_INTEGRATION", "DRAFT", data={"season": "Q4"}, open_slas=[menu]) == []


@pytest.mark.parametrize("outcome", ["PARTIAL", "MISALIGNED"])
def test_partial_alignment_is_due_thirty_days_before_renewal(outcome, activity):
    effects = activity("DECISION_MAKER_ALIGNMENT", outcome, data={"roles": ["HEAD_CHEF"], "alignment_score": 40},
                       hot={"renewal_date": D("2027-03-01")})
    assert effects == [Open("DECISION_MAKER_ALIGNMENT", "before_renewal", D("2027-03-01") - timedelta(days=30))]
    assert effects[0].due_date == D("2027-01-30")


def test_alignment_without_a_renewal_date_opens_nothing(activity):
    assert activity("DECISION_MAKER_ALIGNMENT", "PARTIAL", data={"roles": ["HEAD_CHEF"], "alignment_score": 40}) == []


def test_aligned_meets_the_open_alignment_sla(activity):
    open_ = OpenSla("d1", "DECISION_MAKER_ALIGNMENT", "before_renewal", None, at("2026-12-01 10:00"), D("2027-01-30"))
    effects = activity("DECISION_MAKER_ALIGNMENT", "ALIGNED", data={"roles": ["HEAD_CHEF"], "alignment_score": 90},
                       hot={"renewal_date": D("2027-03-01")}, open_slas=[open_])
    assert effects == [Meet("d1")]


def test_product_feedback_activity_leaves_the_feedback_sla_to_the_sample_workflow(activity):
    effects = activity("PRODUCTTEST_FEEDBACK", "SUCCESS", data={"sample_id": str(SAMPLE)}, open_slas=[feedback_sla()])
    assert effects == []
