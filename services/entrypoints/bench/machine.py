"""What the figures were measured on: cores, memory, the server and its key settings."""

from __future__ import annotations

import os
import platform
from dataclasses import asdict, dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

SETTINGS = ("shared_buffers", "work_mem", "random_page_cost", "effective_cache_size", "jit", "max_connections",
            "synchronous_commit")


@dataclass(frozen=True)
class Machine:
    cores: int
    memory_gb: float | None
    python: str
    server: str                  # "embedded" or the URL without its password
    postgres: str
    settings: dict[str, str]

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    def describe(self) -> str:
        keys = ", ".join(f"{k}={v}" for k, v in self.settings.items())
        memory = f", {self.memory_gb:.0f} GB RAM" if self.memory_gb else ""
        return f"{self.cores} cores{memory}; PostgreSQL {self.postgres} ({self.server}); {keys}"


def describe(engine: Engine, *, embedded: bool) -> Machine:
    with engine.connect() as conn:
        version = conn.execute(sa.text("SHOW server_version")).scalar_one()
        settings = {name: conn.execute(sa.text(f"SHOW {name}")).scalar_one() for name in SETTINGS}
    server = "embedded" if embedded else engine.url.render_as_string(hide_password=True)
    return Machine(os.cpu_count() or 0, _memory_gb(), platform.python_version(), server, version, settings)


def _memory_gb() -> float | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError, AttributeError):
        return None
