"""The sales team the demo customers belong to: sales reps and a team lead per region.

They are real people of the system (a database login each, made by
services.service_layer.people.add_in), named the same for every seed, so loading again reuses
them. Sales reps who exist already (the embedded server's demo people) join in.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass

import numpy as np
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from services.service_layer import people
from services.service_layer.access import SALES_REP, TEAM_LEAD
from services.entrypoints.demo import words
from services.entrypoints.demo.accounts import REGIONS
from services.entrypoints.demo.text import slug

MAX_REPS_PER_REGION = 20
CUSTOMERS_PER_REP = 2500


@dataclass(frozen=True)
class Staff:
    ids: np.ndarray                    # (p, 16) user ids
    logins: tuple[str, ...]
    reps_by_region: list[np.ndarray]   # per region in REGIONS: indexes into ids


def reps_wanted(customers: int) -> int:
    return max(2, min(MAX_REPS_PER_REGION, math.ceil(customers / CUSTOMERS_PER_REP)))


def _names(region: int, role_offset: int):
    """Distinct (first, last) names for a region, the same on every run."""
    first, last = words.FIRST_NAMES, words.LAST_NAMES
    for i in range(len(first) * len(last)):
        yield first[(i * 37 + region * 11 + role_offset) % len(first)], last[(i * 53 + region * 7 + role_offset) % len(last)]


def ensure(engine: Engine, customers: int) -> Staff:
    """Create missing reps and team leads (one transaction as the owner); return who may own customers."""
    wanted = reps_wanted(customers)
    with engine.begin() as conn:
        users = conn.execute(sa.text("SELECT login, role, region, active FROM users")).all()
        logins = {u.login for u in users}
        # Demo logins are the same on every server; one another demo database created is
        # adopted (the owner loading demo data is a superuser). Others' roles are not touched.
        taken = set(conn.execute(sa.text(
            "SELECT rolname FROM pg_roles WHERE rolsuper OR rolbypassrls OR rolcreaterole OR NOT rolcanlogin")).scalars())
        for r, region in enumerate(REGIONS):
            for role, count, offset in ((SALES_REP, wanted, 0), (TEAM_LEAD, 1, 500)):
                have = sum(1 for u in users if u.role == role and u.region == region and u.active)
                names = _names(r, offset)
                while have < count:
                    first, last = next(names)
                    login = f"{slug(first)}.{slug(last)}"
                    if login in logins or login in taken:
                        continue  # someone else's name on this server: skip it
                    people.add_in(conn, login, role=role, region=region, display_name=f"{first} {last}",
                                  adopt=people.login_exists(conn, login))
                    logins.add(login)
                    have += 1
        reps = conn.execute(sa.text(
            "SELECT id, login, region FROM users WHERE role = :role AND active ORDER BY login"), {"role": SALES_REP}).all()
    ids = np.array([np.frombuffer(uuid.UUID(str(r.id)).bytes, np.uint8) for r in reps]).reshape(-1, 16)
    return Staff(ids, tuple(r.login for r in reps),
                 [np.array([i for i, r in enumerate(reps) if r.region == region], np.int64) for region in REGIONS])
