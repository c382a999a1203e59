"""The sample status workflow (services.rules.workflow): pure rules, no database."""

from __future__ import annotations

import itertools

import pytest

from services.errors import IllegalTransition, ValidationError
from services.rules import workflow as wf

LEGAL = {
    ("REQUESTED", "PACKED"), ("REQUESTED", "CANCELED"),
    ("PACKED", "SHIPPED"), ("PACKED", "CANCELED"),
    ("SHIPPED", "DELIVERED"), ("SHIPPED", "CANCELED"),
    ("DELIVERED", "FEEDBACK_SUCCESS"), ("DELIVERED", "FEEDBACK_NEUTRAL"), ("DELIVERED", "FEEDBACK_FAIL"),
}


def test_the_statuses_are_those_of_the_spec():
    assert set(wf.STATUSES) == {"REQUESTED", "PACKED", "SHIPPED", "DELIVERED", "FEEDBACK_SUCCESS",
                                "FEEDBACK_NEUTRAL", "FEEDBACK_FAIL", "CANCELED"}
    assert set(wf.FINAL_STATUSES) == {"FEEDBACK_SUCCESS", "FEEDBACK_NEUTRAL", "FEEDBACK_FAIL", "CANCELED"}


@pytest.mark.parametrize("current,new", sorted(LEGAL))
def test_every_move_of_the_workflow_is_allowed(current, new):
    assert wf.check_transition(current, new) is None
    assert new in wf.allowed_next(current)


@pytest.mark.parametrize("current,new",
                         sorted(set(itertools.product(wf.STATUSES, wf.STATUSES)) - LEGAL))
def test_every_other_move_is_refused_naming_current_and_allowed(current, new):
    with pytest.raises(IllegalTransition) as info:
        wf.check_transition(current, new)
    exc = info.value
    assert exc.current == current
    assert exc.allowed == list(wf.allowed_next(current))
    assert current in exc.detail and new in exc.detail
    for status in exc.allowed:
        assert status in exc.detail
    problem = exc.to_problem()
    assert problem["status"] == 409
    assert problem["current"] == current and problem["allowed"] == exc.allowed
    assert problem["type"].endswith("illegal-transition") and problem["title"]


def test_requested_to_delivered_names_packed_and_canceled():
    with pytest.raises(IllegalTransition) as info:
        wf.check_transition("REQUESTED", "DELIVERED")
    assert info.value.current == "REQUESTED"
    assert info.value.allowed == ["PACKED", "CANCELED"]
    assert "REQUESTED" in str(info.value) and "PACKED" in str(info.value) and "CANCELED" in str(info.value)


def test_cancel_is_possible_only_before_delivery():
    assert [s for s in wf.STATUSES if "CANCELED" in wf.allowed_next(s)] == ["REQUESTED", "PACKED", "SHIPPED"]


@pytest.mark.parametrize("final", ["FEEDBACK_SUCCESS", "FEEDBACK_NEUTRAL", "FEEDBACK_FAIL", "CANCELED"])
def test_final_statuses_allow_nothing_and_say_so(final):
    assert wf.allowed_next(final) == ()
    with pytest.raises(IllegalTransition) as info:
        wf.check_transition(final, "REQUESTED")
    assert info.value.allowed == []
    assert "final" in info.value.detail


@pytest.mark.parametrize("bogus", ["LOST", "requested", "", "FEEDBACK_"])
def test_an_unknown_target_status_is_a_validation_error(bogus):
    with pytest.raises(ValidationError) as info:
        wf.check_transition("REQUESTED", bogus)
    assert "status" in info.value.errors
    assert info.value.to_problem()["status"] == 422


def test_the_workflow_is_acyclic_and_reaches_a_final_status_from_everywhere():
    for start in wf.STATUSES:
        seen, frontier = set(), [start]
        while frontier:
            status = frontier.pop()
            assert status not in seen or status in wf.FINAL_STATUSES
            seen.add(status)
            frontier.extend(wf.allowed_next(status))
        assert seen & set(wf.FINAL_STATUSES)


@pytest.mark.parametrize("outcome,status", [("SUCCESS", "FEEDBACK_SUCCESS"), ("NEUTRAL", "FEEDBACK_NEUTRAL"),
                                            ("FAIL", "FEEDBACK_FAIL")])
def test_feedback_outcome_maps_to_a_feedback_status(outcome, status):
    assert wf.feedback_status(outcome) == status
    assert status in wf.allowed_next("DELIVERED")
