"""Concurrent writers on the same customers: the hot projection always equals the truth.

Several threads write different hot fields, move samples and log activities of the same few
customers at once; afterwards the projection equals a full rebuild, column by column."""

from __future__ import annotations

import threading
import time
import traceback
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

import services
from services import PreconditionFailed
from services.adapters.database import dumps

ITERATIONS = 12
COLUMNS = ("name", "city", "region", "owner_id", "chain_id", "chain_name", "is_chain", "shared", "sample_status",
           "sample_last_event_at", "roi_bucket", "roi_value", "decision_maker_count", "has_exec_alignment",
           "season_start", "season_end", "renewal_date", "exclusivity", "sla_due")


def projection_and_truth(engine):
    cols = ", ".join(COLUMNS)
    with engine.connect() as conn:
        proj = {r[0]: tuple(r[1:]) for r in conn.execute(sa.text(f"SELECT customer_id, {cols} FROM cm_customer_hot_proj"))}
        truth = {r[0]: tuple(r[1:]) for r in conn.execute(sa.text(
            f"SELECT customer_id, {cols} FROM hot_projection_truth("
            "'00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff')"))}
        stale = conn.execute(sa.text("SELECT customer_id, problem FROM hot_projection_drifted")).all()
    return proj, truth, stale


def run_threads(targets: dict, timeout: float = 60) -> dict:
    """Start every target at the same moment; returns {name: exception text} for those that failed."""
    errors: dict[str, str] = {}
    start = threading.Barrier(len(targets))

    def wrap(name, fn):
        try:
            start.wait()
            fn()
        except BaseException:  # noqa: BLE001 - reported below
            errors[name] = traceback.format_exc()

    threads = [threading.Thread(target=wrap, args=(name, fn), name=name, daemon=True) for name, fn in targets.items()]
    for t in threads:
        t.start()
    deadline = time.monotonic() + timeout
    for t in threads:
        t.join(max(0.1, deadline - time.monotonic()))
    stuck = [t.name for t in threads if t.is_alive()]
    assert not stuck, f"threads did not finish: {stuck}"
    return errors


def test_concurrent_writers_of_the_same_customers_keep_the_projection_true(svc, clean_db, owner_engine):
    customers = [svc.customers.create(name=f"Kantine {n}", region="NORTH", city="Hamburg").id for n in range(3)]
    other = services.connect(url=clean_db, pool_size=4)  # a second client with its own engine
    last: dict[str, dict] = {}
    verify_results: list[int] = []
    repaired: list[int] = []
    done = threading.Event()

    def field_writer(key, make, client):
        def run():
            for i in range(ITERATIONS):
                for k, cid in enumerate(customers):
                    value = make(i, k)
                    client.fields.patch(cid, {key: value})
                    last.setdefault(key, {})[cid] = value
        return run

    def etag_writer():
        # Read, then write with If-Match; retry when another writer got in between.
        conflicts = 0
        for i in range(ITERATIONS):
            for cid in customers:
                while True:
                    fs = other.fields.get(cid)
                    try:
                        other.fields.patch(cid, {"kitchen_notes": f"note {i}"}, if_match=fs.etag)
                        break
                    except PreconditionFailed:
                        conflicts += 1
                last.setdefault("kitchen_notes", {})[cid] = f"note {i}"
        last["etag_conflicts"] = {"n": conflicts}

    def sample_worker(client):
        def run():
            for i in range(ITERATIONS // 2):
                for cid in customers:
                    s = client.samples.request(cid)
                    for status in ("PACKED", "SHIPPED", "DELIVERED"):
                        s = client.samples.set_status(s.id, status)
                    if i % 3 == 2:
                        continue  # left DELIVERED, its feedback SLA open
                    client.activities.create(cid, kind="PRODUCTTEST_FEEDBACK", sample_id=s.id, rating=3,
                                             outcome=["SUCCESS", "NEUTRAL", "FAIL"][i % 3])
                cancel = client.samples.request(customers[i % 3])
                client.samples.set_status(cancel.id, "CANCELED")
        return run

    def activity_worker():
        for i in range(ITERATIONS):
            for cid in customers:
                if i % 3 == 0:
                    svc.activities.create(cid, kind="ROI_CONSULTATION", commitment_level="HIGH", savings_per_month=i,
                                          outcome="QUALIFIED")
                elif i % 3 == 1:
                    svc.activities.create(cid, kind="DECISION_MAKER_ALIGNMENT", roles=["HEAD_CHEF"],
                                          alignment_score=40, outcome="PARTIAL")
                else:
                    svc.activities.create(cid, kind="MENU_INTEGRATION", season="Q4",
                                          outcome=["DRAFT", "MENU_LOCKED"][i % 2])

    def verifier():
        # Reading truth and projection in one snapshot: concurrent writers never look like drift.
        while not done.is_set():
            verify_results.append(svc.projections.verify(batches=1))

    def rebuilder():
        # A rebuild alongside the writers finds nothing to repair.
        while not done.is_set():
            repaired.append(other.projections.rebuild(batches=2).repaired)
            time.sleep(0.05)

    writers = {
        "roi": field_writer("roi_potential", lambda i, k: {"bucket": ["LOW", "MID", "HIGH"][(i + k) % 3],
                                                           "value": 100 * i + k}, svc),
        "decision_makers": field_writer(
            "decision_makers",
            lambda i, k: {"count": i + k, "has_exec_alignment": i % 2 == 0} if i % 2
            else [{"name": f"P{j}", "is_exec": j == k} for j in range(i % 4 + 1)], other),
        "season": field_writer("seasonal_menu_cycle", lambda i, k: {
            "season_start": (date(2026, 10, 1) + timedelta(days=i)).isoformat(),
            "season_end": (date(2026, 12, 31) + timedelta(days=i + k)).isoformat()}, svc),
        "contract": field_writer("current_supplier_contracts", lambda i, k: {
            "renewal_date": (date(2027, 3, 1) + timedelta(days=7 * i + k)).isoformat(), "exclusivity": (i + k) % 2 == 0},
            other),
        "etag": etag_writer,
        "samples": sample_worker(svc),
        "samples2": sample_worker(other),
        "activities": activity_worker,
    }
    started = time.monotonic()
    try:
        background = {"verifier": verifier, "rebuilder": rebuilder}
        bg_errors: dict[str, str] = {}
        bg_threads = []
        for name, fn in background.items():
            def wrap(name=name, fn=fn):
                try:
                    fn()
                except BaseException:  # noqa: BLE001
                    bg_errors[name] = traceback.format_exc()
            t = threading.Thread(target=wrap, daemon=True)
            t.start()
            bg_threads.append(t)
        errors = run_threads(writers)
        done.set()
        for t in bg_threads:
            t.join(30)
    finally:
        done.set()
        other.close()
    elapsed = time.monotonic() - started
    assert not errors, "\n".join(f"{k}:\n{v}" for k, v in errors.items())
    assert not bg_errors, "\n".join(f"{k}:\n{v}" for k, v in bg_errors.items())
    assert elapsed < 30

    # The projection equals the truth, column by column, and a full verify finds no drift.
    proj, truth, stale = projection_and_truth(owner_engine)
    assert stale == []
    assert proj == truth
    assert svc.projections.verify() == 0
    assert len(verify_results) >= 3 and set(verify_results) == {0}, "drift seen while writers were running"
    assert len(repaired) >= 2 and set(repaired) == {0}, "a concurrent rebuild had to repair rows"

    # And it holds what each writer wrote last.
    with owner_engine.connect() as conn:
        rows = {r.customer_id: r for r in conn.execute(sa.text("SELECT * FROM cm_customer_hot_proj"))}
        values = {(r.customer_id, r.field_key): r.value for r in conn.execute(sa.text("SELECT * FROM field_values"))}
        versions = dict(conn.execute(sa.text("SELECT id, fields_version FROM accounts")).all())
        history = dict(conn.execute(sa.text("SELECT customer_id, count(*) FROM field_history GROUP BY 1")).all())
    for cid in customers:
        row = rows[cid]
        roi = last["roi_potential"][cid]
        assert (row.roi_bucket, row.roi_value) == (roi["bucket"], roi["value"])
        contract = last["current_supplier_contracts"][cid]
        assert (row.renewal_date.isoformat(), row.exclusivity) == (contract["renewal_date"], contract["exclusivity"])
        season = last["seasonal_menu_cycle"][cid]
        assert (row.season_start.isoformat(), row.season_end.isoformat()) == (season["season_start"],
                                                                              season["season_end"])
        dm = last["decision_makers"][cid]
        assert row.decision_maker_count == (dm["count"] if isinstance(dm, dict) else len(dm))
        for key in ("roi_potential", "decision_makers", "seasonal_menu_cycle", "current_supplier_contracts",
                    "kitchen_notes"):
            assert values[(cid, key)] == last[key][cid], key
        # Every successful patch bumped the version once and left one history row per changed field.
        assert versions[cid] == 4 * ITERATIONS + ITERATIONS
        assert history[cid] == versions[cid]
    # The customer's sample status is that of its latest request (by request time), whichever thread wrote it.
    with owner_engine.connect() as conn:
        latest = dict(conn.execute(sa.text(
            "SELECT DISTINCT ON (customer_id) customer_id, status FROM sample_request "
            "ORDER BY customer_id, created_at DESC, id DESC")).all())
    assert {cid: rows[cid].sample_status for cid in customers} == {cid: latest[cid] for cid in customers}


def _wait_until_blocked(engine, pid: int, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    with engine.connect() as conn:
        while time.monotonic() < deadline:
            state = conn.execute(sa.text("SELECT wait_event_type FROM pg_stat_activity WHERE pid = :pid"),
                                 {"pid": pid}).scalar()
            if state == "Lock":
                return
            time.sleep(0.01)
    raise AssertionError("the second writer never waited for the first")


@pytest.mark.parametrize("first,second", [("roi_potential", "current_supplier_contracts"),
                                          ("current_supplier_contracts", "roi_potential")])
def test_two_transactions_writing_different_fields_lose_nothing(svc, owner_engine, first, second):
    """The source's lost update: each recompute read its own snapshot, so the later commit
    overwrote the earlier one's column. Here the second writer waits for the first and keeps both."""
    c = svc.customers.create(name="Kantine Lost Update", region="EAST")
    values = {"roi_potential": {"bucket": "HIGH", "value": 4200},
              "current_supplier_contracts": {"renewal_date": "2027-04-01", "exclusivity": True}}
    insert = sa.text("INSERT INTO field_values (customer_id, field_key, value) VALUES (:c, :k, CAST(:v AS jsonb))")
    errors: list[str] = []

    with owner_engine.connect() as conn1, owner_engine.connect() as conn2:
        pid2 = conn2.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
        conn2.commit()
        tx1 = conn1.begin()
        conn1.execute(insert, {"c": c.id, "k": first, "v": dumps(values[first])})

        def second_writer():
            try:
                with conn2.begin():
                    conn2.execute(insert, {"c": c.id, "k": second, "v": dumps(values[second])})
            except BaseException:  # noqa: BLE001
                errors.append(traceback.format_exc())

        t = threading.Thread(target=second_writer, daemon=True)
        t.start()
        try:
            _wait_until_blocked(owner_engine, pid2)
        finally:
            tx1.commit()
            t.join(10)
    assert not t.is_alive() and not errors, errors

    row = svc.customers.list(q="lost update").items[0]
    assert (row.roi_bucket, row.roi_value) == ("HIGH", 4200)
    assert (row.renewal_date, row.exclusivity) == (date(2027, 4, 1), True)
    assert svc.fields.get(c.id).values == values
    proj, truth, stale = projection_and_truth(owner_engine)
    assert proj[c.id] == truth[c.id] and stale == []


def test_concurrent_patches_of_roi_and_contract_through_the_service_keep_both(svc, clean_db, owner_engine):
    """The same race through the service layer, many rounds, both writers released at once."""
    c = svc.customers.create(name="Kantine Race", region="WEST")
    other = services.connect(url=clean_db, pool_size=2)
    rounds = 25
    gate = threading.Barrier(2)
    errors: list[str] = []

    def writer(client, key, make, check=False):
        try:
            for i in range(rounds):
                gate.wait(10)
                client.fields.patch(c.id, {key: make(i)})
                gate.wait(10)  # both writes of this round are committed
                if check:
                    with owner_engine.connect() as conn:
                        row = conn.execute(sa.text("SELECT roi_value, renewal_date FROM cm_customer_hot_proj "
                                                   "WHERE customer_id = :id"), {"id": c.id}).one()
                    assert tuple(row) == (i, date(2027, 1, 1) + timedelta(days=i)), f"round {i}: {tuple(row)}"
        except BaseException:  # noqa: BLE001
            errors.append(traceback.format_exc())
            gate.abort()

    roi = threading.Thread(target=writer, args=(svc, "roi_potential", lambda i: {"bucket": "MID", "value": i}, True))
    contract = threading.Thread(target=writer, args=(other, "current_supplier_contracts",
                                                     lambda i: {"renewal_date": (date(2027, 1, 1) + timedelta(days=i)).isoformat()}))
    try:
        roi.start()
        contract.start()
        roi.join(60)
        contract.join(60)
    finally:
        other.close()
    assert not errors, "\n".join(errors)
    row = svc.customers.list(q="race").items[0]
    assert (row.roi_bucket, row.roi_value) == ("MID", rounds - 1)
    assert row.renewal_date == date(2027, 1, 1) + timedelta(days=rounds - 1)
    assert row.exclusivity is None
    proj, truth, stale = projection_and_truth(owner_engine)
    assert proj == truth and stale == []
    assert svc.fields.get(c.id).version == 2 * rounds
