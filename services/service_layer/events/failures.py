"""Sorting failures: the database gone (reconnect), a transient conflict (try again), or the event's own fault."""

from __future__ import annotations

import psycopg
from sqlalchemy import exc as sa_exc

from services.adapters.database import is_connection_error
from services.errors import DatabaseUnavailable

# serialization_failure, deadlock_detected, lock_not_available, query_canceled (statement timeout)
_TRANSIENT = {"40001", "40P01", "55P03", "57014"}
# syntax or access rule violation, invalid authorization, invalid catalog name, internal error
_SYSTEMATIC_CLASSES = {"42", "28", "3D", "XX"}


def _orig(exc: BaseException) -> BaseException | None:
    return exc.orig if isinstance(exc, sa_exc.DBAPIError) else exc


def is_connection_problem(exc: BaseException) -> bool:
    if isinstance(exc, DatabaseUnavailable):
        return True
    if isinstance(exc, sa_exc.DBAPIError) and exc.connection_invalidated:
        return True
    # The connection was lost inside a transaction, and the next use of it says so: the loss is
    # the fault, not the event (the consumer's work is retried after the reconnect).
    if isinstance(exc, sa_exc.PendingRollbackError) and "invalid transaction" in str(exc):
        return True
    orig = _orig(exc)
    return is_connection_error(orig) or isinstance(orig, psycopg.InterfaceError)


def is_systematic(exc: BaseException) -> bool:
    """A fault of the setup (a missing grant, table or function), not of the event at hand."""
    orig = _orig(exc)
    return isinstance(orig, psycopg.Error) and (orig.sqlstate or "")[:2] in _SYSTEMATIC_CLASSES


def is_transient(exc: BaseException) -> bool:
    orig = _orig(exc)
    return isinstance(orig, psycopg.Error) and orig.sqlstate in _TRANSIENT
