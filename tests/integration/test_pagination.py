"""Keyset pagination of the customer grid: every matching row exactly once, in the order a plain
SQL ORDER BY gives, for several sorts and filters, also while rows are inserted between pages."""

from __future__ import annotations

import random
import uuid
import zlib
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from services.adapters.database import dumps

N = 320
REGIONS = ["NORTH", "EAST", "SOUTH", "WEST", "CENTRAL"]
WORDS = ["Kantine", "Hotel", "Restaurant", "Bistro", "Gasthaus", "Mensa", "Kantinenküche", "Brasserie"]
CITIES = ["Hamburg", "Hameln", "Berlin", "München", "Köln", None]

# sort -> ORDER BY of the reference query. Customers without a value come last, in id order
# (descending sorts: values descending, then the empty ones by id descending).
SORTS = {
    "name": "name, customer_id",
    "-name": "name DESC, customer_id DESC",
    "roi_value": "(roi_value IS NULL), roi_value, customer_id",
    "-roi_value": "(roi_value IS NULL), roi_value DESC, customer_id DESC",
    "renewal_date": "(renewal_date IS NULL), renewal_date, customer_id",
    "-renewal_date": "(renewal_date IS NULL), renewal_date DESC, customer_id DESC",
    "decision_maker_count": "(decision_maker_count IS NULL), decision_maker_count, customer_id",
    "-season_start": "(season_start IS NULL), season_start DESC, customer_id DESC",
    "sample_last_event_at": "(sample_last_event_at IS NULL), sample_last_event_at, customer_id",
}

WORD_PREFIX = ("EXISTS (SELECT 1 FROM regexp_split_to_table(lower(name || ' ' || coalesce(city, '')), "
               "'[^[:alnum:]_]+') w WHERE w LIKE '{}%')")

# service filters -> the same condition in plain SQL over cm_customer_hot_proj
FILTERS = [
    ({}, "true"),
    ({"roi_bucket": "HIGH"}, "roi_bucket = 'HIGH'"),
    ({"roi_bucket": ["LOW", "MID"]}, "roi_bucket IN ('LOW', 'MID')"),
    ({"region": ["NORTH", "EAST"]}, "region IN ('NORTH', 'EAST')"),
    ({"renewal_before": date(2027, 3, 1), "exclusivity": True}, "renewal_date < '2027-03-01' AND exclusivity"),
    ({"exclusivity": False}, "exclusivity = false"),
    ({"decision_maker_count_min": 3}, "decision_maker_count >= 3"),
    ({"season_from": date(2026, 11, 1), "season_to": date(2026, 12, 31)},
     "season_end >= '2026-11-01' AND season_start <= '2026-12-31'"),
    ({"q": "kant"}, WORD_PREFIX.format("kant")),
    ({"q": "Kant HAM"}, WORD_PREFIX.format("kant") + " AND " + WORD_PREFIX.format("ham")),
    ({"sample_status": ["DELIVERED", "REQUESTED"]}, "sample_status IN ('DELIVERED', 'REQUESTED')"),
    ({"region": "SOUTH", "roi_bucket": "HIGH", "decision_maker_count_min": 1},
     "region = 'SOUTH' AND roi_bucket = 'HIGH' AND decision_maker_count >= 1"),
]


def _rows(rng: random.Random, n: int) -> tuple[list[dict], list[dict]]:
    accounts, fields = [], []
    for _ in range(n):
        cid = uuid.UUID(int=rng.getrandbits(128), version=4)
        accounts.append({"id": cid, "name": f"{rng.choice(WORDS)} {rng.randint(1, 40)}", "city": rng.choice(CITIES),
                         "region": rng.choice(REGIONS)})
        if rng.random() < 0.7:
            value = rng.choice([None, 100, 250, 900, 1800, 1800, rng.randint(0, 5000)])
            roi = {"bucket": rng.choice(["LOW", "MID", "HIGH"])}
            if value is not None:
                roi["value"] = value
            fields.append({"c": cid, "k": "roi_potential", "v": dumps(roi)})
        if rng.random() < 0.6:
            contract = {"renewal_date": (date(2026, 12, 1) + timedelta(days=rng.randint(0, 40) * 7)).isoformat()}
            if rng.random() < 0.8:
                contract["exclusivity"] = rng.random() < 0.5
            fields.append({"c": cid, "k": "current_supplier_contracts", "v": dumps(contract)})
        if rng.random() < 0.6:
            dm = ({"count": rng.randint(0, 6), "has_exec_alignment": rng.random() < 0.5} if rng.random() < 0.5
                  else [{"name": f"P{i}", "is_exec": i == 0} for i in range(rng.randint(0, 4))])
            fields.append({"c": cid, "k": "decision_makers", "v": dumps(dm)})
        if rng.random() < 0.5:
            start = date(2026, 9, 1) + timedelta(days=rng.randint(0, 20) * 7)
            fields.append({"c": cid, "k": "seasonal_menu_cycle", "v": dumps(
                {"season_start": start.isoformat(), "season_end": (start + timedelta(days=rng.choice([30, 90]))).isoformat()})})
    return accounts, fields


def insert_customers(engine, rng: random.Random, n: int) -> list[uuid.UUID]:
    """Bulk insert through plain SQL; the triggers keep the projection."""
    accounts, fields = _rows(rng, n)
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO accounts (id, name, city, region) VALUES (:id, :name, :city, :region)"),
                     accounts)
        if fields:
            conn.execute(sa.text("INSERT INTO field_values (customer_id, field_key, value) "
                                 "VALUES (:c, :k, CAST(:v AS jsonb))"), fields)
    return [a["id"] for a in accounts]


@pytest.fixture
def customers(svc, owner_engine):
    rng = random.Random(20261129)
    ids = insert_customers(owner_engine, rng, N)
    # Samples for some, in several statuses, so sample_status and sample_last_event_at are set.
    with owner_engine.begin() as conn:
        for n, cid in enumerate(ids[:60]):
            conn.execute(sa.text(
                "INSERT INTO sample_request (customer_id, status, last_event_at) "
                "VALUES (:c, :s, now() - make_interval(mins => :m))"),
                {"c": cid, "s": ["REQUESTED", "PACKED", "DELIVERED", "FEEDBACK_SUCCESS"][n % 4], "m": n % 17})
    assert svc.projections.verify(batches=1) == 0
    return ids


def expected(engine, where: str, sort: str) -> list[uuid.UUID]:
    with engine.connect() as conn:
        return conn.execute(sa.text(
            f"SELECT customer_id FROM cm_customer_hot_proj WHERE {where} ORDER BY {SORTS[sort]}")).scalars().all()


def collect(svc, *, limit: int, between_pages=None, **filters) -> list:
    items, cursor = [], None
    for _ in range(10_000):
        page = svc.customers.list(limit=limit, cursor=cursor, **filters)
        assert len(page.items) <= limit
        items += page.items
        cursor = page.next_cursor
        if cursor is None:
            return items
        assert len(page.items) == limit, "only the last page may be short"
        if between_pages:
            between_pages(items)
    raise AssertionError("pagination does not end")


def test_the_data_covers_the_interesting_cases(customers, owner_engine):
    with owner_engine.connect() as conn:
        stats = conn.execute(sa.text(
            "SELECT count(*) FILTER (WHERE roi_value IS NULL), count(*) FILTER (WHERE roi_value IS NOT NULL), "
            "       count(*) - count(DISTINCT roi_value) FILTER (WHERE roi_value IS NOT NULL), "
            "       count(*) FILTER (WHERE renewal_date IS NULL), count(*) - count(DISTINCT name), "
            "       count(*) FILTER (WHERE sample_status IS NOT NULL) "
            "FROM cm_customer_hot_proj")).one()
    nulls, values, duplicate_values, no_renewal, duplicate_names, with_samples = stats
    assert nulls > 50 and values > 50 and duplicate_values > 10 and no_renewal > 50 and duplicate_names > 10
    assert with_samples == 60


def test_all_pages_yield_every_matching_row_once_in_sql_order(svc, customers, owner_engine, subtests):
    for sort in SORTS:
        for filters, where in FILTERS:
            with subtests.test(sort=sort, filters=filters):
                want = expected(owner_engine, where, sort)
                assert len(want) >= 3, "the data must exercise this filter"
                got = collect(svc, limit=17, sort=sort, **filters)
                assert [r.id for r in got] == want
                assert svc.customers.count(**filters) == len(want)
    assert len(expected(owner_engine, "true", "name")) == N


def test_page_rows_carry_the_projection_columns(svc, customers, owner_engine):
    page = svc.customers.list(sort="-roi_value", limit=40)
    with owner_engine.connect() as conn:
        rows = {r.customer_id: r for r in conn.execute(sa.text(
            "SELECT * FROM cm_customer_hot_proj WHERE customer_id = ANY(:ids)"), {"ids": [r.id for r in page.items]})}
    for item in page.items:
        row = rows[item.id]
        assert (item.name, item.city, item.region, item.roi_bucket, item.roi_value, item.renewal_date,
                item.exclusivity, item.decision_maker_count, item.has_exec_alignment, item.season_start,
                item.season_end, item.sample_status) == (
            row.name, row.city, row.region, row.roi_bucket, row.roi_value, row.renewal_date, row.exclusivity,
            row.decision_maker_count, row.has_exec_alignment, row.season_start, row.season_end, row.sample_status)
    values = [r.roi_value for r in page.items]
    assert values == sorted(values, reverse=True)


def test_page_boundaries_around_the_switch_to_empty_values(svc, customers, owner_engine, subtests):
    """The last rows with a value and the first without one may fall on either side of a page break."""
    for sort in ("roi_value", "-renewal_date"):
        column = sort.lstrip("-")
        want = expected(owner_engine, "true", sort)
        with owner_engine.connect() as conn:
            with_value = conn.execute(sa.text(
                f"SELECT count(*) FROM cm_customer_hot_proj WHERE {column} IS NOT NULL")).scalar_one()
        for limit in (with_value - 1, with_value, with_value + 1, with_value // 2, 1000):
            with subtests.test(sort=sort, limit=limit):
                assert [r.id for r in collect(svc, limit=limit, sort=sort)] == want
    with subtests.test(limit=1):
        want = expected(owner_engine, "roi_bucket = 'HIGH'", "roi_value")
        assert [r.id for r in collect(svc, limit=1, sort="roi_value", roi_bucket="HIGH")] == want


def test_an_empty_result_and_a_single_page(svc, customers):
    page = svc.customers.list(q="nosuchword", sort="-roi_value")
    assert page.items == () and page.next_cursor is None
    assert svc.customers.count(q="nosuchword") == 0
    page = svc.customers.list(limit=1000)
    assert len(page.items) == N and page.next_cursor is None


@pytest.mark.parametrize("sort,filters,where", [
    ("name", {}, "true"),
    ("-name", {"region": ["NORTH", "EAST", "SOUTH"]}, "region IN ('NORTH', 'EAST', 'SOUTH')"),
    ("roi_value", {}, "true"),
    ("-roi_value", {"roi_bucket": ["HIGH", "MID"]}, "roi_bucket IN ('HIGH', 'MID')"),
    ("renewal_date", {}, "true"),
    ("-renewal_date", {}, "true"),
])
def test_rows_inserted_between_pages_neither_skip_nor_repeat(svc, customers, owner_engine, sort, filters, where):
    rng = random.Random(zlib.crc32(sort.encode()))
    before = expected(owner_engine, where, sort)
    inserted: list[tuple[list[uuid.UUID], uuid.UUID]] = []  # (new ids, last id handed out when they came)

    def insert_some(items_so_far):
        inserted.append((insert_customers(owner_engine, rng, 6), items_so_far[-1].id))

    got = [r.id for r in collect(svc, limit=23, between_pages=insert_some, sort=sort, **filters)]
    assert len(inserted) >= 5
    assert len(got) == len(set(got)), "a row was handed out twice"
    missing = set(before) - set(got)
    assert not missing, f"{len(missing)} existing rows were skipped"
    # Every row handed out is in sort order as the table stands now...
    final = expected(owner_engine, where, sort)
    position = {cid: n for n, cid in enumerate(final)}
    assert [position[c] for c in got] == sorted(position[c] for c in got)
    # ... and a new row that sorts after the last row handed out when it was inserted is not skipped.
    for new_ids, last in inserted:
        for cid in new_ids:
            if cid in position and position[cid] > position[last]:
                assert cid in got
    assert set(got) <= set(final)
    assert svc.customers.count(**filters) == len(final)
    assert svc.projections.verify(batches=1) == 0
