"""Steward's service layer: the only way the desktop, the daemon and the tests touch the data.

    import services
    svc = services.connect()
    c = svc.customers.create(name="Kantine Nord", region="NORTH", city="Hamburg")
"""

from services.errors import (
    Conflict,
    DatabaseUnavailable,
    Forbidden,
    IllegalStatusTransition,
    IllegalTransition,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    PreconditionFailed,
    SchemaOutdated,
    StewardError,
    ValidationError,
)
from services.facade import Steward, connect

__all__ = [
    "connect",
    "Steward",
    "StewardError",
    "ValidationError",
    "NotFound",
    "PreconditionFailed",
    "IllegalTransition",
    "IllegalStatusTransition",
    "InvalidTransition",
    "Forbidden",
    "PermissionDenied",
    "Conflict",
    "SchemaOutdated",
    "DatabaseUnavailable",
]
