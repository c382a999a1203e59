"""The fast field check generated from the pack's schemas (services/adapters/field_checks.py)
says yes exactly when the database's own validation finds nothing wrong, for every field of
the catalog and values of every shape."""

from __future__ import annotations

import json

import psycopg

VALUES = [0, -1, 1.5, 3, 100001, 10000001, "x", "", "a" * 4001, "2026-02-30", "2026-10-01", True, None, {}, [],
          "CANTEEN", "EMAIL", "REQUESTED", {"bucket": "HIGH"}, {"bucket": "HIGH", "value": 5}, {"bucket": "HUGE"},
          {"bucket": "LOW", "extra": 1}, {"bucket": "MID", "value": -3}, {"bucket": "MID", "value": "5"},
          {"count": 3}, {"count": 3.5}, {"count": 101}, {"count": 3, "has_exec_alignment": True},
          {"count": 3, "has_exec_alignment": "yes"}, [{"name": "A"}], [{"name": ""}], [{"name": "A", "is_exec": "y"}],
          [{"name": "A", "role": "HEAD_CHEF", "is_exec": True}], [{"role": "x"}], [{"name": "A"}] * 101,
          {"season_start": "2026-10-01", "season_end": "2026-12-31"},
          {"season_start": "2026-10-01", "season_end": "2026-09-01"}, {"season_start": "2026-10-01"},
          {"season_start": "2026-13-01", "season_end": "2026-12-31"},
          {"renewal_date": "2026-03-01", "exclusivity": True}, {"renewal_date": "x"}, {"exclusivity": True},
          {"renewal_date": "2026-03-01", "supplier": "s" * 201}, {"price_list": "CHAIN", "discount_pct": 60},
          {"price_list": "CHAIN", "discount_pct": 12.5}, {"price_list": "NONE"}]


def test_the_fast_check_agrees_with_the_database_validation(clean_db):
    with psycopg.connect(clean_db) as conn:
        keys = [k for (k,) in conn.execute("SELECT key FROM field_catalog ORDER BY key")]
        pairs = [(k, json.dumps(v)) for k in keys for v in VALUES if v is not None]
        rows = conn.execute(
            "SELECT f.key, f.value, steward_internal.field_value_valid(f.key, f.value), "
            "       c.derived, steward_internal.schema_errors(c.schema, f.value, f.key) "
            "       || steward_internal.check_errors(c.checks, f.value, f.key) "
            "  FROM unnest(%s::text[], %s::jsonb[]) AS f(key, value) JOIN field_catalog c ON c.key = f.key",
            [[k for k, _ in pairs], [v for _, v in pairs]]).fetchall()
        expression = conn.execute("SELECT steward_internal.field_check_sql()").fetchone()[0]
        assert "%" not in expression
        inline = conn.execute(f"SELECT count(*) FILTER (WHERE {expression}) "
                              "FROM unnest(%s::text[], %s::jsonb[]) AS f(key, value)",
                              [[k for k, _ in pairs], [v for _, v in pairs]]).fetchone()[0]
    disagree = [(k, v, fast, errors) for k, v, fast, derived, errors in rows if fast != (errors == {} and not derived)]
    assert disagree == []
    assert 0 < sum(1 for *_, fast, _d, _e in rows if fast) < len(rows)
    assert inline == sum(1 for *_, fast, _d, _e in rows if fast)
    assert len(rows) == len(pairs)
