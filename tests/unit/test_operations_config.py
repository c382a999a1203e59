"""The operations configuration: MISSION.md's defaults, a TOML file over them, and a clear
refusal of a setting that does not exist or is no number."""

from __future__ import annotations

import pytest

from services.config import OperationsConfig, Settings
from services.errors import ValidationError


def test_defaults_and_a_file_over_them(tmp_path, monkeypatch):
    monkeypatch.delenv("STEWARD_CONFIG", raising=False)
    settings = Settings(data_dir=tmp_path)
    defaults = OperationsConfig.load(settings)
    assert defaults.retention["contacts_inactive_days"] == 730 and defaults.retention["archive_after_days"] == 1826
    assert defaults.backup_folder(settings) == tmp_path / "backups" and defaults.path is None
    (tmp_path / "steward.toml").write_text('[retention]\noutbox_days = 3\n[health]\ndaemon_fail_seconds = 900\n'
                                           '[backup]\nfolder = "/srv/backups"\n', encoding="utf-8")
    config = OperationsConfig.load(settings)
    assert config.retention["outbox_days"] == 3 and config.health["daemon_fail_seconds"] == 900
    assert config.health["daemon_warn_seconds"] == 120 and str(config.backup_folder(settings)) == "/srv/backups"


@pytest.mark.parametrize("text", ['[retention]\nforever = 1\n', '[health]\ndisk_warn_percent = "lots"\n',
                                  '[retention\n'])
def test_a_bad_file_is_refused_naming_the_setting(tmp_path, monkeypatch, text):
    path = tmp_path / "ops.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("STEWARD_CONFIG", str(path))
    with pytest.raises(ValidationError):
        OperationsConfig.load(Settings(data_dir=tmp_path))
