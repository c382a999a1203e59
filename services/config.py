"""Settings from the environment (and the CLI's options, which override them)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

import platformdirs

APP_NAME = "steward"
# The embedded server's person when none is chosen: the demo admin.
DEFAULT_EMBEDDED_USER = "admin"


@dataclass(frozen=True)
class Settings:
    database_url: str | None = None
    user: str | None = None
    data_dir: Path = field(default_factory=lambda: Path(platformdirs.user_data_dir(APP_NAME)))
    logistics_url: str | None = None
    nats_url: str | None = None
    locale: str | None = None      # services.formats: None = the system's
    timezone: str | None = None    # services.formats: None = the machine's

    @classmethod
    def from_env(cls) -> "Settings":
        data_dir = os.environ.get("STEWARD_DATA_DIR")
        return cls(
            database_url=os.environ.get("STEWARD_DATABASE_URL") or None,
            user=os.environ.get("STEWARD_USER") or None,
            data_dir=Path(data_dir) if data_dir else Path(platformdirs.user_data_dir(APP_NAME)),
            logistics_url=os.environ.get("STEWARD_LOGISTICS_URL") or None,
            nats_url=os.environ.get("STEWARD_NATS_URL") or None,
            locale=os.environ.get("STEWARD_LOCALE") or None,
            timezone=os.environ.get("STEWARD_TIMEZONE") or None,
        )

    def override(self, **changes) -> "Settings":
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    @property
    def embedded(self) -> bool:
        return self.database_url is None
