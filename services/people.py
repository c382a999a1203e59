"""People: database logins mapped to Steward users (filled in by the access migration)."""

from __future__ import annotations

from sqlalchemy.engine import Engine


def ensure_demo_people(engine: Engine) -> None:
    """Create the embedded server's demo people of every role, once."""
    return None
