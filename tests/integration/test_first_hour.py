"""The first hour of a new user, on the embedded database: every command of the README's
table runs for the default user or refuses in one line; the embedded server never outlives
the last Steward process, however it ended."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import pytest


pytestmark = pytest.mark.slow

STEWARD = str(Path(sys.executable).with_name("steward"))
README = Path(__file__).parents[2] / "README.md"
IMPORTS = Path(__file__).parents[2] / "resources" / "imports"

# How each command of the README's table is run here; a new row without an entry fails the test.
RUNS = {
    "steward demo": [["demo", "--customers", "300", "--seed", "7"]],
    "steward kpis": [["kpis"], ["kpis", "rebuild"], ["kpis", "status"], ["kpis", "--by", "owner", "--format", "json"]],
    "steward db": [["db", "upgrade"], ["db", "status"], ["db", "backup", "{folder}/first-hour.dump"]],
    "steward health": [["health", "--format", "json"]],
    "steward retention": [["retention", "run", "--dry-run"], ["retention", "runs"]],
    "steward privacy": [["privacy", "erase", "--email", "nobody-at-all@example.org"]],
    "steward migrate": [["migrate", "legacy", "status"]],
    "steward import": [["import", str(IMPORTS / "messe.csv"), "--mapping", str(IMPORTS / "messe.mapping.toml"),
                        "--mode", "upsert", "--match", "external_ref", "--dry-run"],
                       ["import", str(IMPORTS / "messe.csv"), "--mapping", str(IMPORTS / "messe.mapping.toml"),
                        "--mode", "upsert", "--match", "external_ref"]],
    "steward projections": [["projections", "rebuild"], ["projections", "verify"]],
    "steward users": [["users", "add", "newrep", "--role", "SALES_REP", "--region", "NORTH"], ["users", "list"],
                      ["users", "disable", "newrep"]],
    "steward daemon": [["daemon", "--once"]],
    "steward events": [["events", "status"], ["events", "dead-letters"], ["events", "redrive"],
                       ["events", "replay", "--consumer", "kpis", "--from", "1"], ["events", "ingest", "{inbound}"]],
    # a full run is tests/bench's; here: it refuses in one line to mix its data with these 300 customers
    "steward bench": [["bench", "--customers", "999", "--only", "list", "--samples", "3"]],
    "steward tokens": [["tokens", "create", "--user", "jonas"], ["tokens", "list"]],
    "steward duplicates": [["duplicates", "scan"], ["duplicates", "scan", "--rules", "phone,email", "--format", "csv"],
                           ["duplicates", "scan", "--owner", "jonas", "--format", "json"],
                           ["duplicates", "dismiss", "00000000-0000-0000-0000-000000000001",
                            "00000000-0000-0000-0000-000000000002"],
                           ["duplicates", "merge", "00000000-0000-0000-0000-000000000001",
                            "00000000-0000-0000-0000-000000000002", "--pick", "name=00000000-0000-0000-0000-000000000002",
                            "--dry-run"]],
    # the desktop has its own first-start test (tests/desktop); the HTTP server runs until stopped (tests/http)
    "steward": [], "steward desktop": [], "steward serve": [],
}
# Commands whose exit code is their report (health: 0 OK, 1 WARN, 2 FAIL).
REPORTING = {"health"}
RAW = re.compile(r"Traceback|permission denied for|psycopg|sqlalchemy|ERROR:|violates", re.IGNORECASE)


def readme_commands() -> list[str]:
    """The command of each row of the README's table: `steward` and its first word(s) of group."""
    rows = re.findall(r"^\| `(steward[^`]*)`", README.read_text(encoding="utf-8"), re.MULTILINE)
    names = []
    for row in rows:
        words = [w for w in row.split() if re.fullmatch(r"[a-z][a-z-]*", w)]
        names.append(" ".join(words[:2]))
    return names


@pytest.fixture(scope="module")
def home():
    # Not under pytest's own temporary folder: pytest keeps that 0700, and a server started
    # as root runs as the user `pgserver`, which could then not reach its data.
    folder = Path(tempfile.mkdtemp(prefix="steward-first-hour-"))
    folder.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith("STEWARD_")}
    env.update(STEWARD_DATA_DIR=str(folder / "data"), COLUMNS="100")
    yield folder, env
    _wait_until_stopped(folder / "data" / "pgdata")
    shutil.rmtree(folder, ignore_errors=True)


def run(env, *args, timeout=300):
    done = subprocess.run([STEWARD, *args], env=env, capture_output=True, text=True, timeout=timeout)
    return done.returncode, done.stdout, done.stderr


def test_every_command_of_the_readme_runs_for_the_default_user_or_refuses_in_one_line(home):
    folder, env = home
    inbound = folder / "inbound.jsonl"
    inbound.write_text(json.dumps({"type": "email.bounce", "version": "1.0", "id": "6f1b1c1e-3a0e-4f55-9a57-0d8f9c1e2a12",
                                   "data": {"email": "nobody@example.org", "bounceType": "HARD"}}) + "\n")
    commands = readme_commands()
    assert "steward kpis" in commands and "steward events" in commands, commands
    missing = [c for c in commands if c not in RUNS]
    assert not missing, f"README rows without a run here: {missing}"
    for name in commands:
        for args in RUNS[name]:
            args = [a.replace("{inbound}", str(inbound)).replace("{folder}", str(folder)) for a in args]
            code, out, err = run(env, *args)
            shown = f"steward {' '.join(args)} → exit {code}\n{out}\n{err}"
            assert not RAW.search(out + err), shown
            if code != 0 and args[0] not in REPORTING:
                assert len(err.strip().splitlines()) == 1, shown


def test_a_person_without_the_role_is_refused_in_words_before_anything_happens(home):
    _, env = home
    for args in (["users", "list"], ["events", "status"], ["kpis", "rebuild"], ["projections", "rebuild"]):
        code, out, err = run(env, "--user", "jonas", *args)
        assert code == 1 and out == "", (args, out, err)
        assert err.strip().startswith("Not allowed: Only admins") and "a sales rep" in err, err
        assert len(err.strip().splitlines()) == 1


def test_the_embedded_server_ends_with_its_last_user_even_after_sigkill(home):
    folder, env = home
    pgdata = folder / "data" / "pgdata"
    daemon = subprocess.Popen([STEWARD, "daemon"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True)
    try:
        deadline = time.monotonic() + 120
        while daemon.pid not in _handles(pgdata) or _server(pgdata) is None:
            assert daemon.poll() is None and time.monotonic() < deadline, daemon.stderr.read() if daemon.poll() else ""
            time.sleep(0.2)
        server = _server(pgdata)
    finally:
        daemon.send_signal(signal.SIGKILL)
        daemon.wait(10)
    # Nobody is left: the watcher stops the server without waiting for the next start.
    _wait_until_stopped(pgdata)
    assert not psutil.pid_exists(server) or psutil.Process(server).status() == psutil.STATUS_ZOMBIE

    # Killed again, and this time the next start comes first: it prunes the dead process
    # and stops the server when it ends.
    daemon = subprocess.Popen([STEWARD, "daemon"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while daemon.pid not in _handles(pgdata):
        assert time.monotonic() < deadline
        time.sleep(0.2)
    daemon.send_signal(signal.SIGKILL)
    daemon.wait(10)
    code, out, _ = run(env, "db", "status")
    assert code == 0 and "Embedded PostgreSQL:" in out and str(folder / "data") in " ".join(out.split())
    _wait_until_stopped(pgdata)
    assert _handles(pgdata) == []


def _handles(pgdata: Path) -> list[int]:
    try:
        return json.loads((pgdata / ".handle_pids.json").read_text())
    except (OSError, ValueError):
        return []


def _server(pgdata: Path) -> int | None:
    try:
        pid = int((pgdata / "postmaster.pid").read_text().split("\n", 1)[0])
    except (OSError, ValueError):
        return None
    return pid if psutil.pid_exists(pid) else None


def _wait_until_stopped(pgdata: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while _server(pgdata) is not None:
        assert time.monotonic() < deadline, f"the embedded server of {pgdata} still runs"
        time.sleep(0.2)
