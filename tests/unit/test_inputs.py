"""The one input check every entry point shares (services.rules.inputs). No database."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from services.errors import ValidationError
from services.rules.inputs import MAX_DEPTH, check, check_arguments, check_limit, first_problem, shown


def nested(depth: int, leaf=1, *, kind=list):
    value = leaf
    for _ in range(depth):
        value = [value] if kind is list else {"x": value}
    return value


def refused(value, name="") -> ValidationError:
    with pytest.raises(ValidationError) as info:
        check(value, name)
    assert len(info.value.errors) == 1
    return info.value


@pytest.mark.parametrize("value", [
    "Kantine Nord", "", "Grüße aus München 🍲", b"bytes", 3, -1.5, 0.0, Decimal("2.50"), None, True,
    [1, "a", {"b": [None, 2.0]}], ("t", 1), {"x", "y"}, frozenset({1}), {1: "int key"},
    nested(MAX_DEPTH - 1), nested(MAX_DEPTH), nested(MAX_DEPTH, kind=dict), object(), (i for i in range(3)),
])
def test_clean_values_pass(value):
    check(value, "v")
    assert first_problem(value, "v") is None


@pytest.mark.parametrize("value, path, words", [
    ("a\x00b", "name", "contains a NUL character"),
    ("\ud800", "name", "lone surrogate \\ud800 at character 1"),
    ("ok\udfff", "name", "at character 3"),
    (b"a\x00", "name", "contains a NUL byte"),
    (b"ok\xff", "name", "not valid UTF-8 (byte 0xff at position 3)"),
    (math.nan, "name", "finite number"),
    (math.inf, "name", "finite number"),
    (-math.inf, "name", "finite number"),
    (Decimal("NaN"), "name", "finite number"),
    (Decimal("-Infinity"), "name", "finite number"),
])
def test_each_problem_in_a_plain_value(value, path, words):
    exc = refused(value, "name")
    assert words in exc.errors[path], exc.errors
    assert exc.detail.startswith("'name' ")


def test_the_path_names_keys_and_positions():
    value = {"roi_potential": {"bucket": "HIGH", "value": math.nan}}
    assert refused(value).errors == {"roi_potential.value": "must be a finite number, not NaN or infinity"}
    assert list(refused(value, "changes").errors) == ["changes.roi_potential.value"]
    assert list(refused({"items": [{"sku": "ok"}, {"sku": "x\x00"}]}).errors) == ["items.1.sku"]
    assert list(refused(["ok", ("ok", "\ud800")], "tags").errors) == ["tags.1.1"]
    assert list(refused({"a", "\x00"}, "roles").errors) == ["roles"]   # a set has no positions


def test_keys_are_checked_and_shown_escaped():
    exc = refused({"kitchen\x00notes": "fine"})
    assert exc.errors == {"kitchen\\x00notes": "contains a NUL character"}
    exc = refused({"ok": 1, "\ud800": 2}, "filters")
    assert list(exc.errors) == ["filters.\\ud800"]
    long_key = "k" * 500 + "\x00"
    (path,) = refused({long_key: 1}).errors
    assert len(path) == 100


def test_the_first_problem_in_order_is_named():
    assert first_problem({"a": "fine", "b": "\x00", "c": math.nan}) == ("b", "contains a NUL character")
    assert first_problem([[1, [2, "\x00"]], math.inf])[0] == "0.1.1"


def test_nesting_is_refused_at_the_limit_and_named_on_the_outermost_key():
    assert first_problem(nested(MAX_DEPTH), "v") is None
    exc = refused(nested(MAX_DEPTH + 1), "items")
    assert exc.errors == {"items": f"is nested deeper than {MAX_DEPTH} levels"}
    exc = refused({"kitchen_notes": nested(MAX_DEPTH, kind=dict)})
    assert exc.errors == {"kitchen_notes": "is nested deeper than 32 levels"}


@pytest.mark.parametrize("depth", [5_000, 100_000])
def test_a_deep_structure_cannot_raise_recursion_error(depth):
    exc = refused(nested(depth), "data")
    assert exc.errors == {"data": "is nested deeper than 32 levels"}
    exc = refused({"x": nested(depth, kind=dict)})
    assert list(exc.errors) == ["x"]


def test_a_value_that_contains_itself_is_refused_not_walked_forever():
    loop: list = []
    loop.append(loop)
    assert refused(loop, "items").errors == {"items": "is nested deeper than 32 levels"}


def test_a_wide_value_is_walked_without_trouble():
    check(["a"] * 200_000 + [{"b": list(range(1000))}], "ids")
    assert first_problem(["a"] * 200_000 + ["\x00"], "ids") == ("ids.200000", "contains a NUL character")


@pytest.mark.parametrize("limit", [1, 50, 10_000, 2**63 - 1])
def test_a_good_limit(limit):
    check_limit(limit)


@pytest.mark.parametrize("limit", [0, -1, True, False, 1.0, 5.5, "5", None, 2**63, math.nan])
def test_a_bad_limit(limit):
    with pytest.raises(ValidationError) as info:
        check_limit(limit)
    assert list(info.value.errors) == ["limit"]


def test_arguments_by_parameter_name_or_by_field_key():
    check_arguments({"customer_id": "c", "changes": {"kitchen_notes": "fine"}, "limit": 5}, flat={"changes"})
    with pytest.raises(ValidationError) as info:
        check_arguments({"customer_id": "c", "changes": {"kitchen_notes": "a\x00"}}, flat={"changes"})
    assert info.value.errors == {"kitchen_notes": "contains a NUL character"}
    with pytest.raises(ValidationError) as info:
        check_arguments({"q": "\ud800"})
    assert list(info.value.errors) == ["q"]
    with pytest.raises(ValidationError) as info:
        check_arguments({"limit": -1})
    assert list(info.value.errors) == ["limit"]
    # A flat parameter that is no mapping keeps its own name.
    with pytest.raises(ValidationError) as info:
        check_arguments({"changes": "a\x00"}, flat={"changes"})
    assert list(info.value.errors) == ["changes"]


def test_the_message_reads_as_a_sentence():
    exc = refused("a\x00", "name")
    assert str(exc) == "'name' contains a NUL character. (name: contains a NUL character)"
    assert exc.to_problem()["status"] == 422


def test_shown_makes_any_text_storable_and_readable():
    assert shown("a\x00b") == "a\\x00b"
    assert shown("x\ud800y") == "x\\ud800y"
    assert shown(b"ok\xff\x00") == "ok\\xff\\x00"
    assert shown("Grüße") == "Grüße"
    assert shown(b"Gr\xc3\xbc\xc3\x9fe") == "Grüße"
    assert shown("abcdef", 3) == "abc"
    assert shown(b"\xff" * 10, 5) == "\\xff\\"
    for text in (shown("\x00\ud800"), shown(b"\x00\xfe\xff")):
        assert "\x00" not in text
        text.encode("utf-8")
