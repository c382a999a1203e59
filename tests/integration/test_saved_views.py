"""Saved views: private per person unless shared, only the owner changes them."""

from __future__ import annotations

import secrets

import psycopg
import pytest
import sqlalchemy as sa

import services
from services.errors import Forbidden, NotFound, ValidationError

DEFINITION = {"filters": {"roi_bucket": ["HIGH"], "region": "NORTH", "renewal_before": "2027-03-01"},
              "columns": ["name", "city", "roi_value"], "sort": "-roi_value"}


@pytest.fixture
def people(svc, clean_db):
    """Two sales reps with their own sessions."""
    suffix = secrets.token_hex(3)
    sessions = {}
    for who in ("ann", "ben"):
        login = f"t_view_{who}_{suffix}"
        svc.users.add(login, role="SALES_REP", region="NORTH", display_name=who.title())
        sessions[who] = services.connect(url=clean_db, user=login)
    yield sessions
    for s in sessions.values():
        s.close()


def test_a_view_round_trips_and_stays_private(people):
    ann, ben = people["ann"], people["ben"]
    saved = ann.views.save("Hot north", DEFINITION)
    assert (saved.name, saved.shared, saved.mine) == ("Hot north", False, True)
    assert saved.filters == DEFINITION["filters"] and saved.columns == DEFINITION["columns"]
    assert saved.sort == "-roi_value"
    assert [v.id for v in ann.views.list()] == [saved.id]
    assert ben.views.list() == []


def test_saving_under_the_same_name_replaces_and_sharing_shows_it_to_others(people):
    ann, ben = people["ann"], people["ben"]
    first = ann.views.save("Renewals", DEFINITION)
    second = ann.views.save("Renewals", {**DEFINITION, "sort": "renewal_date"}, shared=True)
    assert second.id == first.id and second.sort == "renewal_date"
    [seen] = ben.views.list()
    assert (seen.id, seen.mine, seen.owner_name) == (first.id, False, "Ann")
    with pytest.raises(Forbidden):
        ben.views.delete(first.id)
    ann.views.delete(first.id)
    assert ben.views.list() == [] and ann.views.list() == []
    with pytest.raises(NotFound):
        ann.views.delete(first.id)


def test_row_level_security_hides_private_views_from_plain_sql(people, clean_db):
    people["ann"].views.save("Mine only", DEFINITION)
    people["ann"].views.save("For all", DEFINITION, shared=True)
    ben_dsn = sa.engine.make_url(clean_db).set(username=people["ben"].actor.login).render_as_string(hide_password=False)
    with psycopg.connect(ben_dsn) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM saved_views ORDER BY name")]
        assert names == ["For all"]
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO saved_views (owner_id, name, definition) "
                         "SELECT owner_id, 'stolen', '{}' FROM saved_views LIMIT 1")


@pytest.mark.parametrize("definition, key", [
    ({"filters": {"roi_bucket": ["HUGE"]}}, "roi_bucket"),
    ({"filters": {"colour": "red"}}, "filters.colour"),
    ({"sort": "owner"}, "sort"),
    ({"columns": "name"}, "columns"),
    ({"layout": {}}, "definition.layout"),
])
def test_a_bad_view_is_refused_and_nothing_is_written(people, sql_count, definition, key):
    with pytest.raises(ValidationError) as caught:
        people["ann"].views.save("Broken", definition)
    assert key in caught.value.errors
    assert sql_count("saved_views") == 0


def test_the_schema_owner_has_views_too(svc):
    saved = svc.views.save("System view", DEFINITION)
    assert [v.id for v in svc.views.list()] == [saved.id] and saved.mine
