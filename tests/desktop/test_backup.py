"""File ▸ Back up now…: off on a shared database (the admin's job there), a backup in a
worker with progress on the embedded one, and the reminder when the last one is old."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from desktop import backup
from tests.desktop.conftest import idle


def test_back_up_is_the_admins_on_a_shared_database(window):
    action = window.findChild(type(window.save_action), "backupNow")
    assert action is not None and not action.isEnabled() and "steward db backup" in action.toolTip()


class _FakeBackups:
    """The embedded database's backups, without starting one."""

    available = True

    def __init__(self, tmp_path: Path):
        self.tmp_path = tmp_path
        self.calls: list[Path] = []

    def backup_now(self, path, progress=None):
        for n in range(1, 4):
            progress(n, 3, f"table {n}")
        path.write_bytes(b"PGDMP")
        self.calls.append(path)
        return SimpleNamespace(file=path, bytes=5)

    def reminder(self):
        return "The last backup is 9 days old: File ▸ Back up now…"


def test_a_backup_runs_in_a_worker_with_progress_and_the_reminder_shows(qtbot, window, tmp_path):
    fake = SimpleNamespace(backups=_FakeBackups(tmp_path))
    said: list[tuple[str, bool]] = []
    backup.remind(window.runner, fake, say=lambda text, warning=False: said.append((text, warning)), owner=window)
    dialog = backup.back_up(window, window.runner, fake, tmp_path / "x.dump",
                            say=lambda text, warning=False: said.append((text, warning)))
    idle(qtbot, window)
    qtbot.waitUntil(lambda: len(said) == 2)
    assert fake.backups.calls == [tmp_path / "x.dump"] and not dialog.isVisible()
    assert ("The last backup is 9 days old: File ▸ Back up now…", True) in said
    assert any(text.startswith("Backed up to") for text, _ in said)
