"""Demo data on the first start of an empty embedded database (services.entrypoints.demo, as the schema owner)."""

from __future__ import annotations

from typing import Any

from desktop.workers import Job
from services.entrypoints import demo
from services.config import Settings
from services.adapters.database import make_engine
from services.service_layer.facade import owner_url

FIRST_START_CUSTOMERS = 10_000   # as `steward demo` loads by default: a few seconds
SEED = 42

PHASES = {
    "people": "the sales team", "plan": "planning", "accounts": "customers", "contacts": "contacts",
    "contact_roles": "contact roles", "field_values": "field values", "sample_request": "samples",
    "sample_item": "sample items", "sample_status_history": "sample histories", "roi_scenarios": "ROI scenarios",
    "activities": "activities", "slas": "SLAs", "projection": "the hot projection", "indexes": "indexes",
    "analyze": "statistics",
}


def load(settings: Settings, job: Job) -> Any:
    """Blocking; call it from a worker. The bulk load needs the embedded server's owner login."""
    engine = make_engine(owner_url(settings), pool_size=1, application_name="steward-demo")
    try:
        return demo.load(engine, FIRST_START_CUSTOMERS, SEED,
                         progress=lambda phase, done, total: job.report(done, total,
                                                                         f"Loading {PHASES.get(phase, phase)}…"))
    finally:
        engine.dispose()
