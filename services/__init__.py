"""Steward's service layer: the only way the desktop, the daemon and the tests touch the data.

    import services
    svc = services.connect()
    c = svc.customers.create(name="Kantine Nord", region="NORTH", city="Hamburg")

The package is laid out by layer (docs/ARCHITECTURE.md):

    services.entrypoints    the `steward` command, demo data, the benchmark
    services.service_layer  one module or package per feature; the facade
    services.adapters       the database: engines, units of work, the schema
    services.rules          pure rules (no database): workflow, SLA badges, validation
    services.pack           the domain pack's declarations, loaded from resources/

`connect` and the facade load the database stack only when first used, so that
importing a pure module (services.rules.workflow, say) costs what that module costs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from services.errors import (
    Conflict,
    DatabaseUnavailable,
    Forbidden,
    IllegalTransition,
    NotFound,
    PreconditionFailed,
    SchemaOutdated,
    StewardError,
    ValidationError,
)

if TYPE_CHECKING:
    from services.service_layer.facade import Steward, connect

_LAZY = {"connect": "services.service_layer.facade", "Steward": "services.service_layer.facade"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'services' has no attribute {name!r}")


__all__ = [
    "connect",
    "Steward",
    "StewardError",
    "ValidationError",
    "NotFound",
    "PreconditionFailed",
    "IllegalTransition",
    "Forbidden",
    "Conflict",
    "SchemaOutdated",
    "DatabaseUnavailable",
]
