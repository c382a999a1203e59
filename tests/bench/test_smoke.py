"""`steward bench` end to end on a few thousand customers, so the benchmark code cannot rot.
No timing is asserted: only that every section ran and its numbers are sane."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from services.entrypoints.bench import ON_REQUEST, SECTIONS
from services.entrypoints.bench.timing import Row, Timing, speedup
from services.entrypoints.cli import app
from services.errors import Conflict, ValidationError

CUSTOMERS = 1500


_QUEUE_DATABASES = sa.text("SELECT datname FROM pg_database WHERE datname LIKE 'steward_bench_queue_%'")


@pytest.fixture(scope="module")
def queues_before(emptied, owner_engine) -> set[str]:
    """The procrastinate scratch databases already on the server (a run killed by hand leaves
    its own behind); this run must add none."""
    with owner_engine.connect() as conn:
        return set(conn.execute(_QUEUE_DATABASES).scalars())


@pytest.fixture(scope="module")
def result(tmp_path_factory, emptied, queues_before):
    database = emptied
    out = tmp_path_factory.mktemp("bench") / "bench.json"
    run = CliRunner().invoke(app, ["--database-url", database, "bench", "--customers", str(CUSTOMERS),
                                   "--samples", "3", "--json", str(out)])
    assert run.exit_code == 0, run.output
    return run.output, json.loads(out.read_text())


def test_every_section_is_there_with_sane_numbers(result):
    _, report = result
    assert report["customers"] == CUSTOMERS
    assert set(report["sections"]) == {"demo", *(s for s in SECTIONS if s not in ON_REQUEST)}   # latency, replica: on request
    for section, rows in report["sections"].items():
        assert rows, section
        for row in rows:
            t = row["timing"]
            if t is not None:
                assert t["n"] >= (3 if section == "list" else 1) and 0 < t["p50"] <= t["p95"] <= t["max"], row
            if row["seconds"] is not None:
                assert row["seconds"] > 0, row
            if row["rate"] is not None:
                assert row["rate"] > 0, row
            assert t is not None or row["seconds"] is not None or row["rate"] is not None, row


def test_each_figure_has_its_baseline_from_the_same_run(result):
    _, report = result
    sections = report["sections"]
    names = {r["name"] for rows in sections.values() for r in rows}
    assert any(n.startswith("OFFSET page 1 ") for n in names) and any(n.startswith("keyset page 2 ") for n in names)
    assert "primary-key lookup (pgbench -S shape)" in names
    assert {r["who"] for r in sections["list"]} >= {"admin", "sales rep", "team lead", "chain manager"}
    for section in ("write", "rebuild", "drain"):
        assert any(r["is_baseline"] for r in sections[section]), section
        assert all(r["ratio"] > 0 for r in sections[section] if r["versus"]), section
    loop = next(r for r in sections["rebuild"] if r["name"].startswith("per-customer"))
    assert loop["extra"]["customers_done"] == CUSTOMERS      # small enough to run the whole loop
    drained = next(r for r in sections["drain"] if not r["is_baseline"])
    assert drained["extra"]["events"] >= 500
    assert sections["demo"][0]["seconds"] > 0                 # it loaded the demo itself
    assert [r["name"] for r in sections["desktop"]] == ["grid: window to first page",
                                                        "grid: fetchMore (next page, scrolling)"]


def test_the_target_table_judges_every_row_of_the_issue(result):
    output, report = result
    targets = report["targets"]
    assert len(targets) == 10
    assert all(t["met"] in (True, False) for t in targets), targets
    assert "Targets" in output and "PostgreSQL" in output
    assert set(report["machine"]["settings"]) >= {"shared_buffers", "work_mem", "random_page_cost",
                                                  "effective_cache_size"}


def test_the_run_leaves_no_baseline_behind(result, owner_engine, database, queues_before):
    with owner_engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM pg_namespace WHERE nspname = 'steward_bench'")).scalar() == 0
        assert set(conn.execute(_QUEUE_DATABASES).scalars()) <= queues_before
        assert conn.execute(sa.text("SELECT count(*) FROM event_outbox WHERE actor ->> 'id' = 'steward-bench'")).scalar() == 0
        # The projection is still the truth after all the writes.
        assert conn.execute(sa.text("SELECT count(*) FROM hot_projection_drifted")).scalar() == 0


def test_a_second_run_reuses_the_data_and_refuses_another_size(result, database):
    again = CliRunner().invoke(app, ["--database-url", database, "bench", "--customers", str(CUSTOMERS),
                                     "--samples", "3", "--only", "kpis"])
    assert again.exit_code == 0, again.output
    assert "reused" in again.output
    other = CliRunner().invoke(app, ["--database-url", database, "bench", "--customers", "500", "--only", "kpis"])
    assert isinstance(other.exception, Conflict) and f"holds {CUSTOMERS:,} customers" in str(other.exception)
    unknown = CliRunner().invoke(app, ["--database-url", database, "bench", "--customers", str(CUSTOMERS),
                                       "--only", "everything"])
    assert isinstance(unknown.exception, ValidationError) and "no section 'everything'" in str(unknown.exception)


def test_percentiles_are_nearest_rank_and_ratios_say_how_much_better():
    t = Timing.of([float(v) for v in range(1, 101)])
    assert (t.n, t.p50, t.p95, t.max) == (100, 50.0, 95.0, 100.0)
    assert Timing.of([3.0]).p95 == 3.0
    fast, slow = Row("x", "ours", timing=Timing.of([2.0])), Row("x", "base", timing=Timing.of([10.0]))
    assert speedup(fast, slow) == 5.0
    assert speedup(Row("x", "ours", rate=6000.0), Row("x", "base", rate=1500.0)) == 4.0
