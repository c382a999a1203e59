"""Retention: samples and activities older than the horizon move to the archive with what
hangs on them, and the cockpit counts them as before; outbox events go after their days;
people cannot shorten a policy below its floor."""

from __future__ import annotations

import sqlalchemy as sa
import pytest

from services.errors import ValidationError
from tests.ops.conftest import backdate, seed


def _counted(owner_engine) -> dict:
    with owner_engine.connect() as conn:
        return {
            "kpi": conn.execute(sa.text("SELECT fact, day, customer_id, key, state, amount "
                                        "FROM kpi_facts('-infinity', 'infinity') ORDER BY 1, 2, 3, 4, 5")).all(),
            "metrics": conn.execute(sa.text("SELECT * FROM sample_metrics_daily ORDER BY day, region")).all(),
        }


def test_old_samples_and_activities_move_to_the_archive_and_still_count(svc, owner_svc, owner_engine, sql_count):
    w = seed(owner_svc, 3)
    backdate(owner_engine, w.customers[:2], 6 * 365)
    counted = _counted(owner_engine)
    assert counted["metrics"] and sum(r.feedback_success for r in counted["metrics"]) == 3
    live = {t: sql_count(t) for t in ("sample_request", "activities", "slas", "sample_item", "sample_status_history")}
    preview = svc.retention.preview(["archive"])[0]
    assert preview["samples"] == 2 and preview["activities"] == 4
    report = svc.retention.run(["archive"], batch=1)[0]
    assert report.counts["samples"] == 2 and report.counts["activities"] == 4
    assert sql_count("sample_request") == live["sample_request"] - 2
    assert sql_count("sample_request_archive") == 2 and sql_count("activities_archive") == 4
    assert sql_count("sample_item_archive") == live["sample_item"] - sql_count("sample_item")
    assert sql_count("slas_archive") == live["slas"] - sql_count("slas")
    assert _counted(owner_engine) == counted               # the cockpit counts as before
    assert svc.projections.verify() == 0                    # the projection follows the live samples
    assert sql_count("cm_customer_hot_proj", "sample_status IS NULL") == 2
    assert svc.retention.preview(["archive"])[0]["samples"] == 0   # nothing left to archive


def test_the_outbox_policy_removes_only_passed_events_of_age(svc, owner_engine, sql_count, clean_db):
    c = svc.customers.create(name="Kantine", region="NORTH")
    svc.fields.patch(c.id, {"kitchen_notes": "x"})
    with owner_engine.begin() as conn:
        conn.execute(sa.text("UPDATE event_outbox SET time = time - interval '30 days'"))
    assert svc.retention.preview(["outbox"])[0]["outbox"] == 0      # nobody has passed them yet
    with owner_engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO consumer_checkpoints (consumer, last_txid, last_position) "
                             "SELECT 'kpis', txid, position FROM event_outbox ORDER BY txid DESC, position DESC LIMIT 1"))
    events = sql_count("event_outbox")
    assert svc.retention.preview(["outbox"])[0]["outbox"] == events
    assert svc.retention.run(["outbox"])[0].counts["outbox"] == events
    assert sql_count("event_outbox") == 0


def test_people_cannot_shorten_a_policy_below_its_floor(svc):
    with pytest.raises(ValidationError):
        svc.retention.preview(["contacts"], days={"contacts": 30})
    with pytest.raises(ValidationError):
        svc.retention.run(["archive"], days={"archive": 0})
    with pytest.raises(ValidationError):
        svc.retention.preview(["everything"])
