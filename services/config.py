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
    # A streaming replica of database_url: grid pages, counts, the cockpit and exports read there.
    read_database_url: str | None = None
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
            read_database_url=os.environ.get("STEWARD_READ_DATABASE_URL") or None,
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


# ------------------------------------------------------------------ operations

# Retention (MISSION.md "Operations"): published outbox events after a week, contacts of
# customers without activity for two years anonymised, samples and activities archived
# after five years. `steward health` thresholds. Overridden by the [retention], [health]
# and [backup] tables of the configuration file (STEWARD_CONFIG, else steward.toml in the
# data folder); docs/OPERATIONS.md lists them.
RETENTION_DEFAULTS = {"outbox_days": 7.0, "contacts_inactive_days": 730.0, "archive_after_days": 1826.0,
                      "batch": 500}
HEALTH_DEFAULTS = {
    "daemon_warn_seconds": 120.0, "daemon_fail_seconds": 600.0,
    "consumer_lag_warn_seconds": 300.0, "consumer_lag_fail_seconds": 3600.0,
    "dead_letters_warn": 1.0, "dead_letters_fail": 100.0,
    "projection_lag_warn": 1.0, "projection_lag_fail": 100.0, "projection_lag_window_hours": 24.0,
    "reconciliation_warn_hours": 26.0, "reconciliation_fail_hours": 50.0,
    "drift_warn": 1.0, "drift_fail": 100.0,
    "backup_warn_days": 7.0, "backup_fail_days": 14.0,
    "disk_warn_percent": 85.0, "disk_fail_percent": 95.0,
}
BACKUP_DEFAULTS = {"folder": None, "remind_after_days": 7.0}


@dataclass(frozen=True)
class OperationsConfig:
    retention: dict = field(default_factory=lambda: dict(RETENTION_DEFAULTS))
    health: dict = field(default_factory=lambda: dict(HEALTH_DEFAULTS))
    backup: dict = field(default_factory=lambda: dict(BACKUP_DEFAULTS))
    path: Path | None = None

    @classmethod
    def load(cls, settings: "Settings | None" = None) -> "OperationsConfig":
        """The defaults, overridden by the configuration file when there is one."""
        import tomllib

        settings = settings or Settings.from_env()
        named = os.environ.get("STEWARD_CONFIG")
        path = Path(named) if named else settings.data_dir / "steward.toml"
        data: dict = {}
        if path.is_file():
            from services.errors import ValidationError

            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
            except (ValueError, UnicodeDecodeError) as exc:
                raise ValidationError(f"The configuration {path} is not valid TOML: {exc}",
                                      errors={"config": "unreadable"}) from None
        elif named:
            from services.errors import ValidationError

            raise ValidationError(f"There is no configuration file {path} (STEWARD_CONFIG).",
                                  errors={"config": "not found"})
        return cls(_merged("retention", RETENTION_DEFAULTS, data), _merged("health", HEALTH_DEFAULTS, data),
                   _merged("backup", BACKUP_DEFAULTS, data), path if path.is_file() else None)

    def backup_folder(self, settings: "Settings") -> Path:
        folder = self.backup.get("folder")
        return Path(folder).expanduser() if folder else settings.data_dir / "backups"


def _merged(section: str, defaults: dict, data: dict) -> dict:
    from services.errors import ValidationError

    given = data.get(section) or {}
    unknown = sorted(set(given) - set(defaults))
    if unknown:
        raise ValidationError(f"[{section}] has no setting {', '.join(unknown)} (known: {', '.join(defaults)}).",
                              errors={f"{section}.{unknown[0]}": "unknown setting"})
    merged = dict(defaults)
    for key, value in given.items():
        if defaults[key] is not None and not isinstance(value, (int, float)) or isinstance(value, bool):
            raise ValidationError(f"[{section}] {key} must be a number.", errors={f"{section}.{key}": "must be a number"})
        merged[key] = value
    return merged
