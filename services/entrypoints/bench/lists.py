"""The grid list: first pages per filter, keyset pages against OFFSET at depth, and the
primary-key lookup of this server as the floor no list call can beat.

Every list call goes through `svc.customers.list` as the person would make it
(validation, row-level security, the dataclasses); the OFFSET baseline is the
same filter, columns and ORDER BY run as plain SQL through the same login.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import sqlalchemy as sa

import services
from services.entrypoints.bench.timing import Row, compared, sample
from services.service_layer.customers.filters import Filters
from services.rules import calendar
from services.adapters.tables import users
from services.service_layer.customers.rows import shape

PAGE = 50
DEEP_PAGES = (1, 2, 100, 1_000, 10_000)
WALK_STEP = 1000   # rows per call while walking to a deep page's cursor

_FLOOR = sa.text(
    "SELECT customer_id, name, city, region, owner_id, sample_status, roi_bucket, roi_value, renewal_date "
    "FROM cm_customer_hot_proj WHERE customer_id = :id")


def filter_sets(rep_login: str | None) -> dict[str, dict[str, Any]]:
    """Single hot-field filters, combinations of them, full-text search, region and owner."""
    today = calendar.today()
    sets: dict[str, dict[str, Any]] = {
        "no filter": {},
        "sample_status": {"sample_status": "DELIVERED"},
        "roi_bucket": {"roi_bucket": "HIGH"},
        "season window": {"season_from": today, "season_to": today + timedelta(days=60)},
        "renewal_before": {"renewal_before": today + timedelta(days=90)},
        "exclusivity": {"exclusivity": True},
        "decision_makers≥3": {"decision_maker_count_min": 3},
        "roi_bucket+sample_status": {"roi_bucket": "HIGH", "sample_status": "FEEDBACK_SUCCESS"},
        "exclusivity+renewal_before": {"exclusivity": True, "renewal_before": today + timedelta(days=90)},
        "roi+dm≥3+season": {"roi_bucket": "MID", "decision_maker_count_min": 3, "season_from": today,
                            "season_to": today + timedelta(days=90)},
        "all hot filters": {"sample_status": ["DELIVERED", "FEEDBACK_SUCCESS"], "roi_bucket": ["MID", "HIGH"],
                            "renewal_before": today + timedelta(days=365), "exclusivity": False,
                            "decision_maker_count_min": 1},
        "q": {"q": "kantine"},
        "q+roi_bucket": {"q": "gasthaus", "roi_bucket": "HIGH"},
        "region": {"region": "NORTH"},
        "region+roi_bucket": {"region": "NORTH", "roi_bucket": "HIGH"},
    }
    if rep_login:
        sets["owner"] = {"owner": rep_login}
        sets["owner+sample_status"] = {"owner": rep_login, "sample_status": "DELIVERED"}
    return sets


def floor(owner_engine: sa.Engine, customer_ids: list, *, n: int) -> Row:
    """One row by primary key, as `pgbench -S` reads one: the cost of a round trip and an index probe."""
    ids = list(customer_ids)
    pick = random.Random(7)
    with owner_engine.connect() as conn:
        timing = sample(lambda: conn.execute(_FLOOR, {"id": pick.choice(ids)}).all(), n=n * 2, warmup=20)
    return Row("list", "primary-key lookup (pgbench -S shape)", "admin", timing, is_baseline=True,
               note="the floor: one round trip and one index probe")


def first_pages(svc: services.Steward, who: str, sets: dict[str, dict[str, Any]], *, n: int,
                floor_row: Row | None) -> list[Row]:
    rows = []
    for label, kwargs in sets.items():
        timing = sample(lambda kw=kwargs: svc.customers.list(**kw, limit=PAGE), n=n)
        row = Row("list", f"first page · {label}", who, timing)
        rows.append(compared(row, floor_row) if floor_row else row)
    return rows


def deep_pages(svc: services.Steward, who: str, label: str, kwargs: dict[str, Any], *, n: int,
               progress: Callable[[str], None] | None = None) -> list[Row]:
    """Keyset page p (the cursor reached by walking) against OFFSET (p-1)·50, for each depth that exists."""
    rows: list[Row] = []
    offset_query = _offset_query(svc, kwargs)
    cursor, walked = None, 0
    with svc.engine.connect() as conn:
        for page in DEEP_PAGES:
            skip = (page - 1) * PAGE
            cursor, walked, reached = _walk(svc, kwargs, cursor, walked, skip)
            if not reached:
                break
            if progress:
                progress(f"{who}: page {page:,} {label}")
            keyset = sample(lambda c=cursor: svc.customers.list(**kwargs, limit=PAGE, cursor=c), n=n)
            offset = sample(lambda s=skip: conn.execute(offset_query, {"skip": s}).all(), n=n,
                            budget_seconds=8, at_least=5, warmup=1)
            conn.rollback()
            base = Row("list", f"OFFSET page {page:,} · {label}", who, offset, is_baseline=True)
            rows += [compared(Row("list", f"keyset page {page:,} · {label}", who, keyset), base), base]
    return rows


def _walk(svc: services.Steward, kwargs: dict[str, Any], cursor: str | None, walked: int,
          skip: int) -> tuple[str | None, int, bool]:
    """The cursor after `skip` rows, continuing a walk that has passed `walked` rows."""
    while walked < skip:
        step = min(WALK_STEP, skip - walked)
        page = svc.customers.list(**kwargs, limit=step, cursor=cursor)
        walked += len(page.items)
        cursor = page.next_cursor
        if cursor is None:
            return None, walked, False
    return cursor, walked, True


def _offset_query(svc: services.Steward, kwargs: dict[str, Any]) -> sa.Select:
    """The textbook page query: the service's filter, columns and order, with OFFSET."""
    filters = Filters.build(svc.catalog, **kwargs)
    grid = shape(svc.catalog)
    return (sa.select(*grid.columns, users.c.display_name.label("owner_name"))
            .select_from(grid.table.outerjoin(users, users.c.id == grid.table.c.owner_id))
            .where(*filters.clauses)
            .order_by(grid.table.c.name, grid.table.c.customer_id)
            .limit(PAGE).offset(sa.bindparam("skip")))
