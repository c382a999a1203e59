"""Field values against the pack's JSON schemas (services.rules.validation) and the pack's
cross-field checks declared in the pack (services.rules.validation.check_errors). No database."""

from __future__ import annotations

import pytest

from services.errors import ValidationError
from services.pack import load_pack
from services.rules.validation import check, check_errors, schema_errors

PACK = load_pack()
FIELDS = {f.key: f for f in PACK.fields}
KINDS = {k.kind: k for k in PACK.activity_kinds}
FIELD_CHECKS = {key: f.checks for key, f in FIELDS.items()}
KIND_CHECKS = {kind: k.checks for kind, k in KINDS.items()}


def errors_of(key, value):
    return schema_errors(FIELDS[key].schema, value, prefix=key) or check_errors(FIELD_CHECKS[key], value, prefix=key)


def test_the_pack_declares_the_five_hot_fields():
    hot = {k for k, f in FIELDS.items() if f.hot}
    assert hot == {"sample_status", "roi_potential", "decision_makers", "seasonal_menu_cycle",
                   "current_supplier_contracts"}
    assert FIELDS["sample_status"].derived
    assert not any(f.derived for k, f in FIELDS.items() if k != "sample_status")
    assert FIELDS["current_supplier_contracts"].restricted and FIELDS["price_agreement"].restricted
    assert not FIELDS["roi_potential"].restricted


@pytest.mark.parametrize("key,value", [
    ("roi_potential", {"bucket": "HIGH", "value": 1800}),
    ("roi_potential", {"bucket": "LOW"}),
    ("roi_potential", {"bucket": "MID", "value": 12.5}),
    ("decision_makers", {"count": 3, "has_exec_alignment": True}),
    ("decision_makers", {"count": 0}),
    ("decision_makers", []),
    ("decision_makers", [{"name": "A. Koch", "role": "HEAD_CHEF", "is_exec": False}, {"name": "B"}]),
    ("seasonal_menu_cycle", {"season_start": "2026-10-01", "season_end": "2026-12-31"}),
    ("seasonal_menu_cycle", {"season_start": "2026-12-31", "season_end": "2026-12-31"}),
    ("current_supplier_contracts", {"renewal_date": "2026-03-01", "exclusivity": True}),
    ("current_supplier_contracts", {"renewal_date": "2026-03-01", "supplier": "Metro"}),
    ("price_agreement", {"price_list": "CHAIN", "discount_pct": 7.5}),
    ("kitchen_type", "CANTEEN"),
    ("covers_per_day", 450),
    ("sample_status", "DELIVERED"),
])
def test_valid_values_pass(key, value):
    assert errors_of(key, value) == {}
    check(FIELDS[key].schema, value, prefix=key, what=FIELDS[key].label)  # does not raise


@pytest.mark.parametrize("key,value,path", [
    ("roi_potential", {"bucket": "HUGE", "value": 1800}, "roi_potential.bucket"),   # wrong bucket
    ("roi_potential", {"bucket": "high"}, "roi_potential.bucket"),
    ("roi_potential", {"bucket": "HIGH", "value": "1800"}, "roi_potential.value"),  # wrong type
    ("roi_potential", {"bucket": "HIGH", "value": -1}, "roi_potential.value"),
    ("roi_potential", {"value": 1800}, "roi_potential"),                              # bucket missing
    ("roi_potential", {"bucket": "HIGH", "extra": 1}, "roi_potential"),              # unknown part
    ("roi_potential", "HIGH", "roi_potential"),
    ("roi_potential", [], "roi_potential"),
    ("decision_makers", {"count": -1}, "decision_makers"),
    ("decision_makers", {"count": 2.5}, "decision_makers"),
    ("decision_makers", {"count": "3"}, "decision_makers"),
    ("decision_makers", [{"role": "HEAD_CHEF"}], "decision_makers"),
    ("decision_makers", 3, "decision_makers"),
    ("seasonal_menu_cycle", {"season_start": "2026-10-01"}, "seasonal_menu_cycle"),
    ("seasonal_menu_cycle", {"season_start": "2026-02-30", "season_end": "2026-12-31"},
     "seasonal_menu_cycle.season_start"),
    ("seasonal_menu_cycle", {"season_start": "01.10.2026", "season_end": "2026-12-31"},
     "seasonal_menu_cycle.season_start"),
    ("seasonal_menu_cycle", {"season_start": "2026-10-01", "season_end": 20261231}, "seasonal_menu_cycle.season_end"),
    ("current_supplier_contracts", {"exclusivity": True}, "current_supplier_contracts"),
    ("current_supplier_contracts", {"renewal_date": "2026-03-01", "exclusivity": "yes"},
     "current_supplier_contracts.exclusivity"),
    ("current_supplier_contracts", {"renewal_date": "next spring"}, "current_supplier_contracts.renewal_date"),
    ("price_agreement", {"price_list": "CHAIN", "discount_pct": 51}, "price_agreement.discount_pct"),
    ("kitchen_type", "SPACESHIP", "kitchen_type"),
    ("covers_per_day", -5, "covers_per_day"),
    ("covers_per_day", True, "covers_per_day"),
    ("kitchen_notes", "x" * 4001, "kitchen_notes"),
    ("sample_status", "LOST", "sample_status"),
])
def test_invalid_values_are_reported_under_their_path(key, value, path):
    def under(errors):  # at the path itself or at a part below it (e.g. the missing property)
        return any(k == path or k.startswith(path + ".") for k in errors)

    errors = errors_of(key, value)
    assert under(errors), errors
    assert all(k == key or k.startswith(key + ".") for k in errors)
    with pytest.raises(ValidationError) as info:
        check(FIELDS[key].schema, value, prefix=key, what=FIELDS[key].label)
    assert under(info.value.errors)
    problem = info.value.to_problem()
    assert problem["status"] == 422 and problem["errors"] == info.value.errors
    assert FIELDS[key].label in problem["detail"]


def test_season_end_before_season_start_is_refused_by_the_pack():
    value = {"season_start": "2026-12-31", "season_end": "2026-10-01"}
    assert schema_errors(FIELDS["seasonal_menu_cycle"].schema, value, prefix="seasonal_menu_cycle") == {}
    errors = check_errors(FIELD_CHECKS["seasonal_menu_cycle"], value, prefix="seasonal_menu_cycle")
    assert list(errors) == ["seasonal_menu_cycle.season_end"]
    assert "season_start" in errors["seasonal_menu_cycle.season_end"]


def test_field_errors_ignores_other_fields_and_valid_windows():
    assert check_errors(FIELD_CHECKS["seasonal_menu_cycle"], {"season_start": "2026-10-01", "season_end": "2027-01-15"}, prefix="seasonal_menu_cycle") == {}
    assert check_errors(FIELD_CHECKS["roi_potential"], {"bucket": "HIGH"}, prefix="roi_potential") == {}
    assert check_errors(FIELD_CHECKS["seasonal_menu_cycle"], None, prefix="seasonal_menu_cycle") == {}


def test_all_problems_of_a_value_are_reported_at_once():
    errors = errors_of("roi_potential", {"bucket": "HUGE", "value": "x"})
    assert set(errors) == {"roi_potential.bucket", "roi_potential.value"}


def test_decision_makers_that_match_no_shape_get_a_readable_message():
    errors = errors_of("decision_makers", {"count": -1})
    assert errors == {"decision_makers": "does not match any of the allowed shapes"}


# ------------------------------------------------------------- activity kinds

def test_the_pack_declares_the_four_activity_kinds_with_their_outcomes():
    assert {k: set(v.outcomes) for k, v in KINDS.items()} == {
        "PRODUCTTEST_FEEDBACK": {"SUCCESS", "NEUTRAL", "FAIL"},
        "ROI_CONSULTATION": {"QUALIFIED", "NEEDS_DATA", "NO_INTEREST"},
        "MENU_INTEGRATION": {"MENU_LOCKED", "DRAFT", "DROPPED"},
        "DECISION_MAKER_ALIGNMENT": {"ALIGNED", "PARTIAL", "MISALIGNED"},
    }


@pytest.mark.parametrize("kind,data", [
    ("PRODUCTTEST_FEEDBACK", {"sample_id": "2f1b3c3e-0000-4000-8000-000000000001", "rating": 5,
                              "sensory_notes": "crisp", "menu_fit": True}),
    ("ROI_CONSULTATION", {"commitment_level": "HIGH", "savings_per_month": 950, "assumptions_version": "v2"}),
    ("MENU_INTEGRATION", {"season": "Q4/Xmas", "planned_dishes": ["Rinderroulade"],
                          "rollout_from": "2026-11-15", "rollout_to": "2026-12-31"}),
    ("DECISION_MAKER_ALIGNMENT", {"roles": ["HEAD_CHEF", "PURCHASING"], "alignment_score": 80}),
])
def test_valid_activity_fields_pass(kind, data):
    assert schema_errors(KINDS[kind].fields_schema, data, prefix="") == {}
    assert check_errors(KIND_CHECKS[kind], data, prefix="") == {}


@pytest.mark.parametrize("kind,data,path", [
    ("PRODUCTTEST_FEEDBACK", {"sample_id": "not-a-uuid"}, "sample_id"),
    ("PRODUCTTEST_FEEDBACK", {"sample_id": "2f1b3c3e-0000-4000-8000-000000000001", "rating": 6}, "rating"),
    ("ROI_CONSULTATION", {"commitment_level": "VERY_HIGH"}, "commitment_level"),
    ("ROI_CONSULTATION", {"commitment_level": "LOW", "savings_per_month": -1}, "savings_per_month"),
    ("MENU_INTEGRATION", {"season": ""}, "season"),
    ("DECISION_MAKER_ALIGNMENT", {"roles": ["CEO"], "alignment_score": 50}, "roles.0"),
    ("DECISION_MAKER_ALIGNMENT", {"roles": ["HEAD_CHEF"], "alignment_score": 101}, "alignment_score"),
])
def test_invalid_activity_fields_are_reported_by_field(kind, data, path):
    assert path in schema_errors(KINDS[kind].fields_schema, data, prefix="")


def test_rollout_to_before_rollout_from_is_refused_by_the_pack():
    data = {"season": "Q4", "rollout_from": "2026-12-01", "rollout_to": "2026-11-01"}
    assert check_errors(KIND_CHECKS["MENU_INTEGRATION"], data, prefix="") == {"rollout_to": "must not lie before rollout_from"}


def test_each_missing_required_activity_field_is_reported_under_its_own_name():
    """RFC 7807 'errors per field': a form shows each message next to its field, so a missing
    field must be reported under that field's name, and two missing fields as two entries."""
    errors = schema_errors(KINDS["DECISION_MAKER_ALIGNMENT"].fields_schema, {}, prefix="")
    assert "roles" in errors and "alignment_score" in errors, errors
    assert "" not in errors
