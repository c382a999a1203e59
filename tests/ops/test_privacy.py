"""GDPR: anonymisation by retention, erasure and export on request, and a dry run that
changes nothing. After anonymising or erasing a contact, none of their values is left in
any text or JSON column of any table: history, audit, outbox, inbox, dead letters, archive."""

from __future__ import annotations

import psycopg
import pytest
import sqlalchemy as sa

from services.errors import NotFound, ValidationError
from tests.ops.conftest import backdate, find_anywhere, seed, spread
from tests.security import checksums


def _facts(owner_engine) -> dict:
    """What anonymisation must not change: the facts of activities and samples, the KPIs."""
    with owner_engine.connect() as conn:
        return {
            "activities": conn.execute(sa.text(
                "SELECT kind, outcome, occurred_at, data - 'sensory_notes' FROM activities ORDER BY id")).all(),
            "samples": conn.execute(sa.text("SELECT status, last_event_at FROM sample_request ORDER BY id")).all(),
            "kpi": conn.execute(sa.text(
                "SELECT fact, day, key, state, amount FROM kpi_facts('-infinity', 'infinity') ORDER BY 1, 2, 3, 4")).all(),
        }


def test_a_dry_run_changes_nothing_and_says_what_a_run_would(svc, owner_svc, owner_engine, clean_db):
    w = seed(owner_svc, 2)
    backdate(owner_engine, w.customers[:1], 800)
    with psycopg.connect(clean_db, autocommit=True) as su:
        before = checksums.snapshot(su)
        previews = {p["policy"]: p for p in svc.retention.preview(examples=3)}
        after = checksums.snapshot(su)
    checksums.assert_unchanged(before, after, "retention --dry-run")
    assert previews["contacts"]["contacts"] == 1
    assert previews["contacts"]["examples"][0]["contact_id"] == str(w.contacts[0])
    assert previews["archive"]["samples"] == 0 and previews["outbox"]["outbox"] == 0


def test_retention_anonymises_inactive_contacts_everywhere_and_keeps_the_facts(svc, owner_svc, owner_engine,
                                                                                 clean_db, sql_count):
    w = seed(owner_svc, 3)
    spread(owner_engine, w)
    backdate(owner_engine, w.customers[:2], 800)      # two customers inactive for over two years
    with psycopg.connect(clean_db) as su:
        assert set(find_anywhere(su, w.values)) >= {"public.contacts.full_name", "public.event_outbox.data",
                                                    "public.event_inbox.envelope", "public.field_history.new_value",
                                                    "public.activities.note", "public.sample_request.contact_email"}
    facts = _facts(owner_engine)
    reports = svc.retention.run(["contacts"], batch=1)
    assert reports[0].counts["contacts"] == 2 and reports[0].batches >= 2
    with psycopg.connect(clean_db) as su:
        assert find_anywhere(su, w.values) == {}
        assert su.execute("SELECT count(*) FROM contacts WHERE anonymized_at IS NOT NULL").fetchone()[0] == 2
        # The active customer's contact keeps their name.
        assert su.execute("SELECT full_name FROM contacts WHERE id = %s", [w.contacts[2]]).fetchone()[0] == "Koch 2 Beispiel"
    assert _facts(owner_engine) == facts
    assert svc.projections.verify() == 0
    audit = svc.retention.runs()[0]
    assert audit["policy"] == "contacts" and audit["counts"]["contacts"] == 2 and audit["finished_at"]
    assert audit["by_login"] == svc.url.username
    # A second run finds nothing more.
    assert svc.retention.run(["contacts"])[0].counts["contacts"] == 0


def test_privacy_erase_leaves_no_value_of_the_person_anywhere(svc, owner_svc, owner_engine, clean_db):
    w = seed(owner_svc, 2)
    spread(owner_engine, w)
    exported = svc.privacy.export(w.contacts[0])
    assert exported["contact"]["email"] == w.email
    assert {r["table"] for r in exported["records"]} >= {"public.event_inbox", "public.activities", "public.field_values"}
    report = svc.privacy.erase(contact=w.contacts[0])
    assert report["remaining"] == {} and report["contacts"] == [str(w.contacts[0])]
    assert report["changed"]["field_history.new_value"] >= 1
    with psycopg.connect(clean_db) as su:
        assert find_anywhere(su, w.values) == {}
        kinds = su.execute("SELECT kind, contact_id FROM privacy_requests ORDER BY id").fetchall()
        assert [k for k, _ in kinds] == ["export", "erase"] and kinds[1][1] == w.contacts[0]
        assert "Hildegard" not in str(su.execute("SELECT report FROM privacy_requests").fetchall())
    assert svc.projections.verify() == 0
    # The other customer's contact is untouched.
    assert svc.privacy.export(w.contacts[1])["contact"]["full_name"] == "Koch 1 Beispiel"


def test_erase_by_email_reaches_values_no_contact_holds_any_more(svc, owner_svc, owner_engine, clean_db):
    w = seed(owner_svc, 1)
    spread(owner_engine, w)
    report = svc.privacy.erase(email=w.old_email)       # nobody has it now; the outbox still does
    assert report["contacts"] == [] and report["remaining"] == {}
    with psycopg.connect(clean_db) as su:
        assert find_anywhere(su, [w.old_email]) == {}
        assert find_anywhere(su, [w.name]) != {}         # only that address went


def test_privacy_refuses_what_is_not_there(svc):
    with pytest.raises(NotFound):
        svc.privacy.erase(contact="00000000-0000-4000-8000-000000000000")
    with pytest.raises(ValidationError):
        svc.privacy.erase(email="not an address")
    with pytest.raises(ValidationError):
        svc.privacy.erase()
