"""Demo data: realistic German gastronomy customers, bulk-loaded with COPY.

    summary = services.entrypoints.demo.load(owner_engine, customers=10_000, seed=42)

Fills an empty database (or, with replace=True, empties the customer data
first) in one transaction as the schema owner. The same seed and day give the
same data. It is an import, not business activity: no customer events are written (the
sales people it adds are people like any other, announced as `user.added`).
"""

from __future__ import annotations

import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from services.service_layer import people
from services.service_layer.access import CHAIN_MANAGER
from services.service_layer.context import load_catalog
from services.entrypoints.demo import accounts as accounts_plan
from services.entrypoints.demo import activities as activities_plan
from services.entrypoints.demo import bulk, staff
from services.entrypoints.demo import contacts as contacts_plan
from services.entrypoints.demo import fields as fields_plan
from services.entrypoints.demo import samples as samples_plan
from services.entrypoints.demo.bulk import DemoDataExists, Progress
from services.entrypoints.demo.clock import Clock
from services.entrypoints.demo.tables import Plan
from services.errors import ValidationError
from services.service_layer.kpis import aggregates as kpi_aggregates
from services.rules import calendar

MIN_CUSTOMERS = 100
MAX_CUSTOMERS = 5_000_000  # the plan holds about 1.5 GB per million customers
CHAIN_MANAGER_LOGIN = "felix"
CHAIN_MANAGER_CHAINS = 3
NO_EVENTS = "Bulk import: no customer events were written (loading data is not business activity)."

__all__ = ["DemoDataExists", "DemoSummary", "load", "plan"]


@dataclass(frozen=True)
class DemoSummary:
    customers: int
    chains: int
    locations: int
    single_sites: int
    contacts: int
    field_values: int
    people: dict[str, int]          # active users per role
    samples: dict[str, int]         # per status
    sample_items: int
    activities: dict[str, int]      # per kind
    roi_scenarios: int
    slas: dict[str, int]            # open, overdue, met_on_time, met_late, closed
    seconds: float
    phases: dict[str, float] = field(default_factory=dict)
    outbox_events: int = 0
    note: str = NO_EVENTS


def plan(conn: sa.Connection, customers: int, seed: int, team: staff.Staff, today: date) -> Plan:
    """Everything the demo will hold, as numpy columns (no database writes)."""
    catalog = load_catalog(conn)
    missing = [r for r in accounts_plan.REGIONS if r not in catalog.regions]
    missing += [k for k in activities_plan.KINDS if k not in catalog.kinds]
    if missing:
        raise ValidationError(f"The database's domain pack lacks what the demo needs: {', '.join(missing)}.",
                              errors={"pack": "regions or activity kinds missing"})
    skus = list(catalog.products)
    pickable = len(skus)
    kits = []
    for kit in catalog.kits.values():
        for sku, _ in kit.items:
            if sku not in skus:
                skus.append(sku)
        kits.append((kit.id, [(skus.index(sku), qty) for sku, qty in kit.items]))

    rng = np.random.default_rng(seed)
    clock = Clock(today)
    accounts = accounts_plan.plan(rng, customers, team.reps_by_region)
    contacts = contacts_plan.plan(rng, accounts)
    contracts = fields_plan.contracts(rng, accounts.n)
    samples = samples_plan.plan(rng, accounts, kits, pickable)
    activities, scenarios, slas = activities_plan.plan(rng, accounts, samples, contracts, clock)
    fields = fields_plan.plan(rng, accounts, contracts, scenarios.customer, scenarios.savings, clock)
    last_touch = fields.t.copy()
    np.maximum.at(last_touch, samples.customer, samples.last_t)
    np.maximum.at(last_touch, activities.customer, activities.t)
    return Plan(clock, team.ids, accounts, contacts, fields, samples, activities, scenarios, slas,
                tuple(k for k, _ in kits), tuple(skus), last_touch)


def load(engine: Engine, customers: int, seed: int = 42, *, replace: bool = False,
         progress: Progress | None = None, today: date | None = None) -> DemoSummary:
    """Load `customers` demo customers as the schema owner. Commits once; writes no customer events.

    Refuses with DemoDataExists when customers exist, unless `replace`. Costs
    about 2–3 minutes per million customers on two cores.
    """
    if isinstance(customers, bool) or not isinstance(customers, int) or not MIN_CUSTOMERS <= customers <= MAX_CUSTOMERS:
        raise ValidationError(f"The demo needs between {MIN_CUSTOMERS:,} and {MAX_CUSTOMERS:,} customers.",
                              errors={"customers": f"must be a whole number from {MIN_CUSTOMERS} to {MAX_CUSTOMERS}"})
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**63:
        raise ValidationError("The seed must be a whole number ≥ 0.", errors={"seed": "must be a whole number ≥ 0"})
    progress = progress or (lambda phase, done, total: None)
    started = time.perf_counter()
    with engine.connect() as conn:
        bulk.refuse_unless_empty(conn, replace)   # before anyone is created; checked again under lock

    progress("people", 0, 1)
    team = staff.ensure(engine, customers)
    progress("people", 1, 1)
    progress("plan", 0, 1)
    with engine.connect() as conn:
        demo = plan(conn, customers, seed, team, today or calendar.today())
    progress("plan", 1, 1)

    def give_chains(conn: sa.Connection) -> None:
        chains = [_uuid(demo.accounts.ids[i]) for i in demo.accounts.biggest_chains[:CHAIN_MANAGER_CHAINS]]
        role = conn.execute(sa.text("SELECT role FROM users WHERE login = :l"), {"l": CHAIN_MANAGER_LOGIN}).scalar()
        if role is None:
            people.add_in(conn, CHAIN_MANAGER_LOGIN, role=CHAIN_MANAGER, display_name="Felix Fischer", chains=chains,
                          adopt=people.login_exists(conn, CHAIN_MANAGER_LOGIN))
        elif role == CHAIN_MANAGER:
            conn.execute(sa.text("SELECT steward_api.set_user_chains(p_login => :l, p_chains => CAST(:c AS uuid[]))"),
                         {"l": CHAIN_MANAGER_LOGIN, "c": chains})

    phases = bulk.load(engine, demo, replace=replace, chain_manager_chains=give_chains, progress=progress)
    # The import writes no events, so the cockpit's aggregates are built from the tables,
    # in one pass: nothing else writes meanwhile.
    kpis_started = time.perf_counter()
    progress("cockpit aggregates", 0, 1)
    kpi_aggregates.build_all(engine)
    progress("cockpit aggregates", 1, 1)
    phases = {**phases, "cockpit aggregates": time.perf_counter() - kpis_started}
    with engine.connect() as conn:
        roles = dict(conn.execute(sa.text("SELECT role, count(*) FROM users WHERE active GROUP BY role ORDER BY role")).all())
    return _summary(demo, roles, time.perf_counter() - started, phases)


def _summary(p: Plan, roles: dict[str, int], seconds: float, phases: dict[str, float]) -> DemoSummary:
    a = p.accounts
    x = p.slas
    is_open = x.status == activities_plan.OPEN
    met = x.status == activities_plan.MET
    on_time = p.clock.day_of(x.closed_t) <= x.due_day
    return DemoSummary(
        customers=a.n, chains=int(a.is_chain.sum()), locations=int((a.parent >= 0).sum()),
        single_sites=int((~a.is_chain & (a.parent < 0)).sum()), contacts=p.contacts.n,
        field_values=fields_plan.count(p.fields), people=roles,
        samples=_named(Counter(p.samples.status.tolist()), samples_plan.STATUSES), sample_items=len(p.samples.item_ids),
        activities=_named(Counter(p.activities.kind.tolist()), activities_plan.KINDS), roi_scenarios=len(p.scenarios.ids),
        slas={"open": int(is_open.sum()), "overdue": int((is_open & (x.due_day < 0)).sum()),
              "met_on_time": int((met & on_time).sum()), "met_late": int((met & ~on_time).sum()),
              "closed": int((x.status == activities_plan.CLOSED).sum())},
        seconds=seconds, phases=phases,
    )


def _named(counts: Counter, names: tuple[str, ...]) -> dict[str, int]:
    return {name: counts.get(i, 0) for i, name in enumerate(names)}


def _uuid(raw: np.ndarray) -> uuid.UUID:
    return uuid.UUID(bytes=raw.tobytes())
