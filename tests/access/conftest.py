"""A small world of chains, locations and people to test access rules against.

    chain S (NORTH, CHAIN_SHARED): own (rep), sibling_shared (rep2)
    chain P (NORTH, OWNER_ONLY):   own_private (rep), sibling_private (rep2)
    chain O (NORTH, CHAIN_SHARED): other_chain (rep2)          -- rep owns nothing there
    single site (SOUTH):           other_region (rep_south)
    chain manager `cm` manages S and P; team lead `lead` leads NORTH.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

import psycopg
import pytest
import sqlalchemy as sa
from psycopg import sql

import services
from tests.logins import drop_logins

ROLES = ("rep", "lead", "cm", "admin")
SCOPES = ("own", "sibling_shared", "sibling_private", "other_region", "other_chain")


@dataclass
class World:
    url: str
    suffix: str
    customers: dict[str, object] = field(default_factory=dict)   # scope -> customer id
    chains: dict[str, object] = field(default_factory=dict)
    logins: dict[str, str] = field(default_factory=dict)         # role name in tests -> login
    sessions: dict[str, services.Steward] = field(default_factory=dict)

    def login_dsn(self, who: str) -> str:
        return sa.engine.make_url(self.url).set(username=self.logins[who]).render_as_string(hide_password=False)


def _empty(owner_engine) -> None:
    from tests.conftest import KEEP

    with owner_engine.begin() as conn:
        tables = conn.execute(sa.text("SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = 'public'")).scalars()
        data = [t for t in tables if t.strip('"') not in KEEP]
        conn.execute(sa.text(f"TRUNCATE {', '.join(data)} RESTART IDENTITY CASCADE"))


@pytest.fixture(scope="module")
def world(database, owner_engine):
    _empty(owner_engine)
    suffix = secrets.token_hex(3)
    w = World(url=database, suffix=suffix)
    admin_svc = services.connect(url=database)
    people = {"rep": ("SALES_REP", "NORTH"), "rep2": ("SALES_REP", "NORTH"), "rep_south": ("SALES_REP", "SOUTH"),
              "lead": ("TEAM_LEAD", "NORTH"), "admin": ("ADMIN", None)}
    for who, (role, region) in people.items():
        w.logins[who] = f"t_{who}_{suffix}"
        admin_svc.users.add(w.logins[who], role=role, region=region, display_name=who)
    for name, policy in (("S", "CHAIN_SHARED"), ("P", "OWNER_ONLY"), ("O", "CHAIN_SHARED")):
        w.chains[name] = admin_svc.customers.create(name=f"Chain {name}", region="NORTH", is_chain=True,
                                                    coverage_policy=policy).id
    w.logins["cm"] = f"t_cm_{suffix}"
    admin_svc.users.add(w.logins["cm"], role="CHAIN_MANAGER", chains=[w.chains["S"], w.chains["P"]], display_name="cm")

    def location(scope, chain, owner, region="NORTH"):
        w.customers[scope] = admin_svc.customers.create(
            name=f"{scope} site", region=region, city="Hamburg", owner=w.logins[owner],
            parent_account_id=w.chains[chain] if chain else None).id

    location("own", "S", "rep")
    location("sibling_shared", "S", "rep2")
    location("own_private", "P", "rep")
    location("sibling_private", "P", "rep2")
    location("other_chain", "O", "rep2")
    location("other_region", None, "rep_south", region="SOUTH")
    # Every customer gets rows in every table below it, so SQL counts mean something.
    for cid in w.customers.values():
        admin_svc.fields.patch(cid, {"roi_potential": {"bucket": "MID", "value": 100},
                                     "current_supplier_contracts": {"renewal_date": "2027-06-30", "exclusivity": False}})
        sample = admin_svc.samples.request(cid)
        admin_svc.samples.set_status(sample.id, "PACKED")
        admin_svc.activities.create(cid, kind="ROI_CONSULTATION", commitment_level="MID", outcome="QUALIFIED")
        admin_svc.customers.add_contact(cid, f"Chef of {cid}", ["HEAD_CHEF"], email="chef@example.com")
    w.sessions["owner"] = admin_svc
    for who in ("rep", "lead", "cm", "admin"):
        w.sessions[who] = services.connect(url=database, user=w.logins[who])
    yield w
    for s in w.sessions.values():
        s.close()
    _empty(owner_engine)
    drop_logins(database, w.logins.values())
