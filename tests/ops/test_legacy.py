"""The legacy move: back-fill (killed midway and resumed equals one run), validation,
dual-write (both sides or neither), the read switch, contract."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa

from services.adapters.database import database_url, make_engine
from services.entrypoints.demo import legacy as legacy_table
from services.errors import Conflict, PreconditionFailed, ValidationError
from services.service_layer import legacy as legacy_move
from services.service_layer import mapping as mappings

MAPPING = Path(__file__).resolve().parents[2] / "resources" / "legacy" / "kunden.mapping.toml"
STEWARD = str(Path(sys.executable).with_name("steward"))
SOURCE = "legacy.kunden"
KEYS = 400


@pytest.fixture
def mapping():
    return mappings.load_mapping(MAPPING)


@pytest.fixture
def loaded(svc, owner_engine):
    """The legacy table of KEYS customers (with its repeats and conflicts), in this database."""
    with owner_engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE IF EXISTS legacy.kunden CASCADE"))
        conn.execute(sa.text("DELETE FROM legacy_moves"))
    rows = [{c: (v or None) for c, v in r.items()} for r in legacy_table.rows(KEYS, seed=3)]
    svc.legacy.load(mappings.Table(list(legacy_table.COLUMNS), rows), SOURCE)
    yield rows
    with owner_engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE IF EXISTS legacy.kunden CASCADE"))
        conn.execute(sa.text("DELETE FROM legacy_moves"))


def _state(owner_engine) -> dict:
    """Everything the back-fill made, without ids (which differ between runs)."""
    with owner_engine.connect() as conn:
        q = lambda s: conn.execute(sa.text(s)).all()  # noqa: E731
        return {
            "customers": q("SELECT k.legacy_key, a.name, a.city, a.region, a.external_ref, c.full_name, c.email, "
                           "c.phone, (SELECT jsonb_object_agg(field_key, value) FROM field_values "
                           "WHERE customer_id = a.id), "
                           "(SELECT count(*) FROM field_history h WHERE h.customer_id = a.id), "
                           "(SELECT array_agg(role) FROM contact_roles r WHERE r.account_id = a.id) "
                           "FROM legacy_links k JOIN accounts a ON a.id = k.customer_id "
                           "LEFT JOIN contacts c ON c.id = k.contact_id ORDER BY 1"),
            "refused": q("SELECT legacy_key, errors FROM legacy_refusals ORDER BY 1"),
            "counts": q("SELECT rows_read, rows_written, rows_refused, duplicates, finished_at IS NOT NULL, last_key "
                        "FROM legacy_moves"),
            "totals": q("SELECT (SELECT count(*) FROM accounts), (SELECT count(*) FROM contacts), "
                        "(SELECT count(*) FROM event_outbox e WHERE type = 'customer.created' "
                   "   AND EXISTS (SELECT 1 FROM accounts a WHERE a.id = e.customer_id)), "
                        "(SELECT count(*) FROM cm_customer_hot_proj), (SELECT count(*) FROM field_values)"),
        }


def test_a_backfill_killed_midway_and_resumed_equals_one_run(svc, mapping, loaded, owner_engine, clean_db, tmp_path):
    environment = {**os.environ, "STEWARD_DATABASE_URL": clean_db, "STEWARD_USER": svc.url.username}
    with open(tmp_path / "out", "w") as out:
        process = subprocess.Popen([STEWARD, "migrate", "legacy", "backfill", "--mapping", str(MAPPING),
                                    "--batch", "20"], env=environment, stdout=out, stderr=out)
    written = 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        with owner_engine.connect() as conn:
            written = conn.execute(sa.text("SELECT coalesce(max(rows_written), 0) FROM legacy_moves")).scalar_one()
        if written >= 60:
            break
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    with owner_engine.connect() as conn:
        move = conn.execute(sa.text("SELECT rows_written, finished_at FROM legacy_moves")).one()
    assert 0 < move.rows_written < KEYS and move.finished_at is None, (move, (tmp_path / "out").read_text())

    resumed = svc.legacy.backfill(mapping, batch=50)
    assert resumed.done and resumed.skipped == 0
    killed_and_resumed = _state(owner_engine)

    svc.legacy.reset(SOURCE)
    assert _state(owner_engine)["totals"][0][0] == 0
    once = svc.legacy.backfill(mapping, batch=50)
    assert once.done
    assert _state(owner_engine) == killed_and_resumed
    state = killed_and_resumed
    accounts, contacts, created, projected, _ = state["totals"][0]
    assert accounts == len(state["customers"]) == created == projected > KEYS * 0.9
    assert state["counts"][0][:4] == (len(loaded), accounts, len(state["refused"]), state["counts"][0][3])
    assert svc.projections.verify() == 0


def test_validation_dual_write_read_switch_and_contract(svc, owner_svc, mapping, loaded, owner_engine, clean_db):
    svc.legacy.backfill(mapping)
    report = svc.legacy.validate(mapping)
    assert report.clean and report.pending == 0 and report.written + report.refused == report.keys
    with owner_engine.connect() as conn:
        key, customer = conn.execute(sa.text(
            "SELECT legacy_key, customer_id FROM legacy_links k WHERE EXISTS (SELECT 1 FROM field_values f WHERE "
            "f.customer_id = k.customer_id AND f.field_key = 'roi_potential') ORDER BY 1 LIMIT 1")).one()

    def legacy_row() -> dict:
        with owner_engine.connect() as conn:
            return dict(conn.execute(sa.text("SELECT * FROM legacy.kunden WHERE kunden_nr = :k"), {"k": key}).one()._mapping)

    # Without dual-write a change in Steward is a difference the validation counts.
    svc.fields.patch(customer, {"kitchen_notes": "Neue Küche ab Mai"})
    assert svc.legacy.validate(mapping).differences["fields.kitchen_notes"] == 1
    assert svc.legacy.read(SOURCE, key)[0]["bemerkung"] != "Neue Küche ab Mai"
    svc.legacy.switch(SOURCE, "read_switch", True)
    assert svc.legacy.read(SOURCE, key)[0]["bemerkung"] == "Neue Küche ab Mai"     # Steward's value
    svc.legacy.switch(SOURCE, "read_switch", False)

    # Dual-write: a write through Steward changes the legacy row in the same transaction...
    svc.legacy.switch(SOURCE, "dual_write", True)
    svc.fields.patch(customer, {"kitchen_notes": "Neue Küche ab Mai!",
                                "roi_potential": {"bucket": "HIGH", "value": 1234.5}})
    svc.customers.update(customer, name="Kantine Umbenannt")
    row = legacy_row()
    assert (row["bemerkung"], row["roi_klasse"], row["roi_monat"], row["firma"]) == \
        ("Neue Küche ab Mai!", "A", "1234,5", "Kantine Umbenannt")
    # ... and when the legacy side refuses, neither side changes.
    with owner_engine.begin() as conn:
        conn.execute(sa.text("ALTER TABLE legacy.kunden ADD CONSTRAINT short_notes CHECK (length(bemerkung) < 30)"))
    before = svc.fields.get(customer)
    with pytest.raises(ValidationError):
        svc.fields.patch(customer, {"kitchen_notes": "eine sehr lange Bemerkung, die die Altdaten nicht fassen"})
    assert svc.fields.get(customer) == before and legacy_row()["bemerkung"] == "Neue Küche ab Mai!"
    with owner_engine.begin() as conn:
        conn.execute(sa.text("ALTER TABLE legacy.kunden DROP CONSTRAINT short_notes"))

    # Clean again: the legacy row carries Steward's values, read back through the mapping.
    report = svc.legacy.validate(mapping)
    assert report.clean, report.differences
    # Contract: the owner's, after a clean validation; then the switches are gone for good.
    with pytest.raises(Exception):
        legacy_move.contract(svc.engine, SOURCE)                 # an admin's login may not
    legacy_move.contract(owner_engine, SOURCE)
    with owner_engine.connect() as conn:
        assert conn.execute(sa.text("SELECT to_regclass('legacy.kunden')")).scalar() is None
        assert conn.execute(sa.text("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'legacy_dual_write%'")).scalar() == 0
    with pytest.raises(Conflict):
        svc.legacy.switch(SOURCE, "dual_write", True)
    svc.fields.patch(customer, {"kitchen_notes": "after the move"})   # Steward alone now


def test_contract_needs_a_clean_recent_validation(svc, mapping, loaded, owner_engine):
    svc.legacy.backfill(mapping)
    with pytest.raises(PreconditionFailed):
        legacy_move.contract(owner_engine, SOURCE)               # never validated
    with owner_engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM legacy_links WHERE legacy_key = (SELECT min(legacy_key) FROM legacy_links)"))
    assert svc.legacy.validate(mapping).pending == 1
    with pytest.raises(PreconditionFailed):
        legacy_move.contract(owner_engine, SOURCE)
