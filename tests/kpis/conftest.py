"""Known facts written straight into the base tables, and people to read them as."""

from __future__ import annotations

import secrets
import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

import services
from services.service_layer.kpis import aggregates

BERLIN = ZoneInfo("Europe/Berlin")


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    """A moment on a calendar day in the business's time zone."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BERLIN)


class Facts:
    """Writes facts as the owner, with the times a test needs (the services stamp 'now').
    The triggers keep the hot projection and the status history as for any write."""

    def __init__(self, engine):
        self.engine = engine

    def sample(self, customer_id: uuid.UUID, status: str, when: datetime) -> uuid.UUID:
        with self.engine.begin() as conn:
            return conn.execute(sa.text(
                "INSERT INTO sample_request (customer_id, status, created_at, last_event_at) "
                "VALUES (:c, :s, :at, :at) RETURNING id"), {"c": customer_id, "s": status, "at": when}).scalar_one()

    def sla(self, customer_id: uuid.UUID, kind: str, due: date, *, met: datetime | None = None,
            closed: datetime | None = None) -> None:
        status = "MET" if met else "CLOSED" if closed else "OPEN"
        with self.engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO slas (customer_id, kind, rule, due_date, status, opened_at, closed_at) "
                "VALUES (:c, :k, 'test', :due, :status, :opened, :closed)"),
                {"c": customer_id, "k": kind, "due": due, "status": status, "opened": at(due, 0),
                 "closed": met or closed})

    def rebuild(self) -> aggregates.RebuildReport:
        return aggregates.rebuild_all(self.engine)


@pytest.fixture
def facts(owner_engine, clean_db) -> Facts:
    return Facts(owner_engine)


@pytest.fixture
def person(svc, clean_db):
    """`person(role, region=..., chains=...)`: a new person, connected as themselves."""
    opened = []

    def make(role: str, *, region: str | None = None, chains=()) -> services.Steward:
        login = f"kpi_{role.lower()}_{secrets.token_hex(4)}"
        svc.users.add(login, role=role, region=region, chains=chains)
        steward = services.connect(url=clean_db, user=login)
        opened.append(steward)
        return steward

    yield make
    for steward in opened:
        steward.close()


def from_both(method, *args, **kwargs):
    """A report read from the aggregates (the region totals where they serve, and the
    per-slice ones) and from the base tables; they must agree."""
    results = [method(*args, source=source, **kwargs) for source in ("aggregates", "slices", "base")]
    assert [r.source for r in results][1:] == ["slices", "base"] and results[0].source in ("regions", "slices")
    for part in ("points", "groups", "buckets", "commitments", "kinds"):
        if hasattr(results[0], part):
            assert getattr(results[0], part) == getattr(results[1], part) == getattr(results[2], part), part
    return results[0]
