"""The kpis consumer keeps the cockpit's aggregates equal to a rebuild from the base tables."""

from __future__ import annotations

import sqlalchemy as sa

from services.service_layer.events import DaemonOptions, drain_all
from services.service_layer.events.replay import replay
from services.service_layer.kpis import aggregates

_TABLES = sa.text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'kpi\\_%' "
                  "AND tablename <> 'kpi_state' ORDER BY tablename")


def _aggregates(engine) -> dict[str, list[str]]:
    with engine.connect() as conn:
        tables = conn.execute(_TABLES).scalars().all()
        return {t: sorted(conn.exec_driver_sql(f"SELECT to_jsonb(t)::text FROM {t} t").scalars()) for t in tables}


def test_the_aggregates_the_consumer_keeps_equal_a_rebuild_even_after_a_replay(svc, daemon_engine, owner_engine):
    for n, outcome in enumerate(("FEEDBACK_SUCCESS", "FEEDBACK_FAIL", "FEEDBACK_SUCCESS")):
        c = svc.customers.create(name=f"Kantine {n}", region="NORTH" if n else "SOUTH")
        fields = svc.fields.get(c.id)
        svc.fields.patch(c.id, {"roi_potential": {"bucket": "HIGH", "value": 1000 + n}}, if_match=fields.etag)
        sample = svc.samples.request(c.id)
        for status in ("PACKED", "SHIPPED", "DELIVERED", outcome):
            svc.samples.set_status(sample.id, status)
    only_kpis = DaemonOptions(batch_size=7, rebuild_at=None, only=frozenset({"kpis"}))
    assert drain_all(daemon_engine, options=only_kpis).passed["kpis"] > 0
    kept = _aggregates(owner_engine)
    assert any(kept.values())

    with daemon_engine.begin() as conn:
        replay(conn, "kpis", 1)
    drain_all(daemon_engine, options=only_kpis)
    assert _aggregates(owner_engine) == kept

    aggregates.rebuild_all(owner_engine)
    assert _aggregates(owner_engine) == kept

    aggregates.build_all(owner_engine)
    assert _aggregates(owner_engine) == kept
