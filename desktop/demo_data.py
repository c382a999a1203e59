"""Demo data on the first start of an empty embedded database (services.entrypoints.demo, as the schema owner)."""

from __future__ import annotations

from functools import partial

from desktop.workers import Job
from services.config import Settings
from services.entrypoints import demo
from services.service_layer.facade import run_as_owner
from desktop.i18n import translate

FIRST_START_CUSTOMERS = 10_000   # as `steward demo` loads by default: a few seconds
SEED = 42

PHASES = {
    "people": "the sales team", "plan": "planning", "accounts": "customers", "contacts": "contacts",
    "contact_roles": "contact roles", "field_values": "field values", "sample_request": "samples",
    "sample_item": "sample items", "roi_scenarios": "ROI scenarios", "activities": "activities", "slas": "SLAs", "projection": "the hot projection", "indexes": "indexes",
    "analyze": "statistics",
}


def load(settings: Settings, job: Job) -> demo.DemoSummary:
    """Blocking; call it from a worker. The bulk load needs the embedded server's owner login."""
    def progress(phase: str, done: int, total: int) -> None:
        job.report(done, total, translate("demo_data", "Loading {value}…").format(value=PHASES.get(phase) or phase.replace('_', ' ')))

    return run_as_owner(settings, partial(demo.load, customers=FIRST_START_CUSTOMERS, seed=SEED, progress=progress),
                        source="demo")
