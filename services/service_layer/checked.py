"""Services whose public methods check their arguments before they run.

The facade (services/service_layer/facade.py) hands out every service wrapped in CheckedService,
so input no service should see (services/rules/inputs.py: NUL characters, lone
surrogates, runaway nesting, NaN, a limit below 1) is refused with a
ValidationError naming the argument, whichever method it is passed to, and a
service added later gets the same check without doing anything. The services'
own validation (types, choices, schemas) still runs after it, unchanged.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

from services.rules import inputs

T = TypeVar("T")

# Mapping parameters whose keys are field keys: errors name the field ("kitchen_notes",
# "roi_potential.bucket"), as the services' own validation does. **kwargs are named so too.
FIELD_KEYED = frozenset({"changes"})


def checked(service: T) -> T:
    """`service` with every public method checking its arguments first."""
    return CheckedService(service)  # type: ignore[return-value]


class CheckedService:
    """Passes attributes through; public methods come back wrapped (once, then cached)."""

    def __init__(self, service: Any):
        self.__service = service

    def __getattr__(self, name: str) -> Any:
        value = getattr(self.__service, name)
        if name.startswith("_") or not inspect.isroutine(value):
            return value
        method = _checking(value)
        self.__dict__[name] = method  # found directly from now on, without __getattr__
        return method

    def __dir__(self) -> list[str]:
        return sorted(set(dir(self.__service)) | set(self.__dict__))

    def __repr__(self) -> str:
        return f"<checked {self.__service!r}>"


def _checking(method: Callable[..., Any]) -> Callable[..., Any]:
    signature = inspect.signature(method)
    flat = FIELD_KEYED | {p.name for p in signature.parameters.values() if p.kind is p.VAR_KEYWORD}

    @functools.wraps(method)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            bound = signature.bind(*args, **kwargs)
        except TypeError:
            return method(*args, **kwargs)  # a call that does not fit: let the method say so itself
        inputs.check_arguments(bound.arguments, flat=flat)
        return method(*args, **kwargs)

    return call
