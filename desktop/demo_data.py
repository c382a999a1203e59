"""Demo data on the first start of an empty embedded database (services.entrypoints.demo, as the schema owner)."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QT_TRANSLATE_NOOP

from desktop.i18n import translate
from desktop.workers import Job
from services.config import Settings
from services.entrypoints import demo
from services.service_layer.facade import run_as_owner

FIRST_START_CUSTOMERS = 10_000   # as `steward demo` loads by default: a few seconds
SEED = 42

PHASES = {
    "people": QT_TRANSLATE_NOOP("demo_data", "the sales team"),
    "plan": QT_TRANSLATE_NOOP("demo_data", "planning"),
    "accounts": QT_TRANSLATE_NOOP("demo_data", "customers"),
    "contacts": QT_TRANSLATE_NOOP("demo_data", "contacts"),
    "contact_roles": QT_TRANSLATE_NOOP("demo_data", "contact roles"),
    "field_values": QT_TRANSLATE_NOOP("demo_data", "field values"),
    "sample_request": QT_TRANSLATE_NOOP("demo_data", "samples"),
    "sample_item": QT_TRANSLATE_NOOP("demo_data", "sample items"),
    "roi_scenarios": QT_TRANSLATE_NOOP("demo_data", "ROI scenarios"),
    "activities": QT_TRANSLATE_NOOP("demo_data", "activities"),
    "slas": QT_TRANSLATE_NOOP("demo_data", "SLAs"),
    "projection": QT_TRANSLATE_NOOP("demo_data", "the hot projection"),
    "indexes": QT_TRANSLATE_NOOP("demo_data", "indexes"),
    "analyze": QT_TRANSLATE_NOOP("demo_data", "statistics"),
}


def load(settings: Settings, job: Job) -> demo.DemoSummary:
    """Blocking; call it from a worker. The bulk load needs the embedded server's owner login."""
    def progress(phase: str, done: int, total: int) -> None:
        job.report(
            done,
            total,
            translate("demo_data", "Loading {value}…").format(
                value=translate("demo_data", PHASES.get(phase) or phase.replace('_', ' '))
            ),
        )

    return run_as_owner(settings, partial(demo.load, customers=FIRST_START_CUSTOMERS, seed=SEED, progress=progress),
                        source="demo")
