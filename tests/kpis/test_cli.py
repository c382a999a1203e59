"""`steward kpis` prints the service's numbers as a table, CSV or JSON."""

import csv
import io
import json
from datetime import date

import pytest
from typer.testing import CliRunner

from services.entrypoints.cli import app
from services.errors import ValidationError
from tests.kpis.conftest import at


@pytest.fixture
def run(clean_db):
    def invoke(*args: str):
        return CliRunner().invoke(app, ["--database-url", clean_db, "kpis", *args],
                                  env={"STEWARD_LOCALE": "de_DE", "STEWARD_TIMEZONE": "Europe/Berlin"})
    return invoke


@pytest.fixture
def known(svc, facts):
    north = svc.customers.create(name="Nord", region="NORTH")
    south = svc.customers.create(name="Süd", region="SOUTH")
    for status in ("FEEDBACK_SUCCESS", "FEEDBACK_SUCCESS", "FEEDBACK_FAIL"):
        facts.sample(north.id, status, at(date(2026, 9, 9)))
    facts.sample(south.id, "FEEDBACK_NEUTRAL", at(date(2026, 10, 2)))
    svc.fields.patch(south.id, {"roi_potential": {"bucket": "HIGH", "value": 1800}})
    facts.rebuild()


def test_json_has_every_report_with_the_numbers_of_the_service(run, known):
    result = run("--period", "2026-Q3", "--format", "json", "--grain", "month")
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["period"] == {"from": "2026-07-01", "to": "2026-09-30"}
    assert document["source"] == "regions"
    assert [(p["period"], p["group"], p["feedbacks"], p["success"]) for p in document["sample_success"]] == [
        ("2026-09-01", "Nord", 3, 2)]
    assert [(b["bucket"], b["customers"], b["eur_per_month"]) for b in document["roi_pipeline"]] == [
        ("LOW", 0, 0), ("MID", 0, 0), ("HIGH", 1, 1800.0)]
    assert len(document["sla_adherence"]) == 4 and len(document["commitment_levels"]) == 3


def test_csv_is_one_table_with_a_report_column(run, known):
    result = run("--period", "2026-09-01..2026-10-31", "-f", "csv", "--by", "region", "--source", "base")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    success = [(r["period"], r["group"], r["feedbacks"], r["rate"]) for r in rows if r["report"] == "sample_success"]
    assert success == [("2026-09-01", "Nord", "3", "0.6666666666666666"), ("2026-10-01", "Süd", "1", "0.0")]
    assert {r["report"] for r in rows} == {"sample_success", "roi_pipeline", "commitment_levels", "sla_adherence"}


def test_the_table_names_its_source_and_filters_apply(run, known):
    result = run("--period", "2026-09", "--region", "north")
    assert result.exit_code == 0, result.output
    assert "Sample success rate" in result.output and "from the daily aggregates" in result.output
    assert "Nord" in result.output and "Süd" not in result.output
    assert "67 %" in result.output           # the person's locale: German here
    assert "Sept. 2026" in result.output      # a month, not the date of its first day


def test_status_and_rebuild(run, known):
    assert run("status").exit_code == 0
    result = run("rebuild")
    assert result.exit_code == 0 and "Rebuilt the KPI aggregates" in result.output


def test_a_bad_period_is_a_readable_error(run, known):
    result = run("--period", "next-week")
    assert isinstance(result.exception, ValidationError)
    assert "is not a period" in str(result.exception) and "2026-Q4" in str(result.exception)
