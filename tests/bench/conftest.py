"""Demo data for the bench tests: loaded once per module into the session's database."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.conftest import KEEP


def empty(owner_engine) -> None:
    with owner_engine.begin() as conn:
        tables = conn.execute(sa.text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars()
        data = ", ".join(f'"{t}"' for t in tables if t not in KEEP)
        conn.execute(sa.text(f"TRUNCATE {data} RESTART IDENTITY CASCADE"))


@pytest.fixture(scope="module")
def emptied(database, owner_engine) -> str:
    empty(owner_engine)
    return database
