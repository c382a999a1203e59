"""Backups: `steward db backup [FILE]` and `steward db restore FILE` (pg_dump custom format).

They run as the database owner (the embedded server's superuser, or the configured
URL, as `steward db upgrade` does): a backup must read every row, which no person's
row-level security shows, and a restore replaces the schema.

* The PostgreSQL client: pg_dump and pg_restore must be at least the server's major
  version. Candidates are STEWARD_PG_BIN, the ones the embedded server ships
  (<site-packages>/pgserver/pginstall/bin), PATH and /usr/lib/postgresql/*/bin; the
  lowest major version not below the server's is taken.
* Progress: pg_dump and pg_restore run with --verbose; each table they report is a step.
* A restore checks first: the file is a Steward backup (it holds _yoyo_migration), not
  from a newer Steward (every migration in it is one this program knows), and the
  target is empty unless `replace` (then Steward's schemas are dropped first). It
  restores in one transaction (all or nothing), then brings an older backup's schema up
  to date (`steward db upgrade`) and gives CONNECT back to the people whose logins exist.
  Logins are the server's, not the database's: a person whose login is missing on this
  server is named in the report.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import psycopg
import sqlalchemy as sa
from psycopg import sql
from sqlalchemy.engine import URL, Engine

from services.adapters import schema
from services.adapters.database import make_engine, translated_errors
from services.config import Settings
from services.errors import Conflict, NotFound, StewardError, ValidationError

Progress = Callable[[int, int, str], None]   # (steps done, steps in all, what)
SCHEMAS = ("public", "steward_api", "steward_internal", "steward_pack", "legacy")
GROUP_ROLES = ("steward_person", "steward_sales_rep", "steward_team_lead", "steward_chain_manager", "steward_admin",
               "steward_inbox_writer")


class ToolMissing(StewardError):
    slug = "tool-missing"
    title = "No suitable PostgreSQL client"
    status = 500


class BackupFailed(StewardError):
    slug = "backup-failed"
    title = "The backup or restore failed"
    status = 500


@dataclass(frozen=True)
class Tool:
    path: Path
    major: int
    version: str

    def __str__(self) -> str:
        return f"{self.path} ({self.version})"


@dataclass(frozen=True)
class BackupReport:
    file: Path
    bytes: int
    seconds: float
    tool: str
    tables: int
    schema_version: str


@dataclass(frozen=True)
class RestoreReport:
    file: Path
    seconds: float
    tool: str
    replaced: bool
    schema_version: str
    upgraded: list[str] = field(default_factory=list)   # migrations applied after restoring
    missing_logins: list[str] = field(default_factory=list)


def dsn(url: URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


# ------------------------------------------------------------------ the client

def _candidates(name: str) -> list[Path]:
    found: list[Path] = []
    configured = os.environ.get("STEWARD_PG_BIN")
    if configured:
        found.append(Path(configured) / name)
    try:
        with warnings.catch_warnings():   # platformdirs warns about XDG_RUNTIME_DIR on import
            warnings.simplefilter("ignore")
            import pgserver
        found.append(Path(pgserver.__file__).parent / "pginstall" / "bin" / name)
    except ImportError:   # pragma: no cover - pgserver is a dependency
        pass
    on_path = shutil.which(name)
    if on_path:
        found.append(Path(on_path))
    found += sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    unique: list[Path] = []
    for p in found:
        if p.is_file() and os.access(p, os.X_OK) and p.resolve() not in [u.resolve() for u in unique]:
            unique.append(p)
    return unique


def _version(path: Path) -> Tool | None:
    try:
        out = subprocess.run([str(path), "--version"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    m = re.search(r"(\d+)(?:\.(\d+))?", out)
    return Tool(path, int(m[1]), out.strip().split(") ", 1)[-1] if ") " in out else out.strip()) if m else None


def find_tool(name: str, server_major: int) -> Tool:
    """The lowest-versioned `name` (pg_dump, pg_restore) not older than the server."""
    tools = [t for t in (_version(p) for p in _candidates(name)) if t is not None]
    fitting = sorted((t for t in tools if t.major >= server_major), key=lambda t: t.major)
    if not fitting:
        seen = ", ".join(str(t) for t in tools) or "none"
        raise ToolMissing(
            f"No {name} of PostgreSQL {server_major} or newer was found (found: {seen}). Install the client of "
            f"PostgreSQL {server_major}, or point STEWARD_PG_BIN at its bin folder.")
    return fitting[0]


def server_major(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.text("SHOW server_version_num")).scalar_one()) // 10000


# ------------------------------------------------------------------ backup

def default_file(folder: Path, database: str | None) -> Path:
    return folder / f"steward-{database or 'db'}-{datetime.now():%Y%m%d-%H%M%S}.dump"


def backup(owner: URL, file: Path | None = None, *, folder: Path | None = None,
           progress: Progress | None = None) -> BackupReport:
    """Dump the database in pg_dump's custom format; records the backup in backup_runs."""
    engine = make_engine(owner, pool_size=1)
    try:
        with translated_errors():
            tool = find_tool("pg_dump", server_major(engine))
            with engine.connect() as conn:
                tables = conn.execute(sa.text(
                    "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY (:s)"), {"s": list(SCHEMAS)}).scalar_one()
                version = _schema_version(conn)
        target = Path(file) if file else default_file(folder or Path.cwd(), owner.database)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".part")
        started_at = datetime.now().astimezone()
        started = time.perf_counter()
        _run([str(tool.path), "--format=custom", "--verbose", "--no-password", f"--file={partial}",
              f"--dbname={dsn(owner)}"], "dumping contents of table", tables, progress, "pg_dump")
        os.replace(partial, target)
        size = target.stat().st_size
        with translated_errors(), engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO backup_runs (started_at, file, bytes, tool, schema_version) "
                "VALUES (:started, :file, :bytes, :tool, :version)"),
                {"started": started_at, "file": str(target.resolve()), "bytes": size, "tool": str(tool),
                 "version": version})
        return BackupReport(target, size, time.perf_counter() - started, str(tool), tables, version)
    finally:
        engine.dispose()


def _schema_version(conn) -> str:
    exists = conn.execute(sa.text("SELECT to_regclass('public._yoyo_migration') IS NOT NULL")).scalar_one()
    if not exists:
        return "none"
    return conn.execute(sa.text("SELECT coalesce(max(migration_id), 'none') FROM _yoyo_migration")).scalar_one()


def _run(command: list[str], marker: str, total: int, progress: Progress | None, what: str) -> None:
    """Run pg_dump/pg_restore; each stderr line with `marker` is a step of progress."""
    env = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    process = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                               encoding="utf-8", errors="replace", env=env)
    done = 0
    tail: list[str] = []
    assert process.stderr is not None
    for line in process.stderr:
        line = line.rstrip()
        if marker in line:
            done += 1
            if progress:
                progress(min(done, total), total, line.rsplit(" ", 1)[-1].strip('"'))
        elif line:
            tail = (tail + [line])[-12:]
    if process.wait() != 0:
        errors = [t for t in tail if "error" in t.lower()] or tail
        raise BackupFailed(f"{what} failed: " + " | ".join(errors[-4:]))
    if progress:
        progress(total, total, "done")


# ------------------------------------------------------------------ restore

def dump_migrations(tool: Tool, file: Path) -> list[str] | None:
    """The migrations a backup holds (its _yoyo_migration rows), None when it has none."""
    result = subprocess.run([str(tool.path), "--data-only", "--table=_yoyo_migration", "--file=-", str(file)],
                            capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=300)
    if result.returncode != 0:
        raise ValidationError(f"{file.name} is no backup pg_restore can read: "
                              f"{(result.stderr.strip().splitlines() or ['?'])[-1]}", errors={"file": "unreadable"})
    ids: list[str] = []
    copying = False
    for line in result.stdout.splitlines():
        if line.startswith("COPY ") and "_yoyo_migration" in line:
            copying = True
            columns = line[line.index("(") + 1:line.index(")")].replace(" ", "").split(",")
            position = columns.index("migration_id")
            continue
        if copying:
            if line == "\\.":
                break
            ids.append(line.split("\t")[position])
    return ids if copying else None


def holds_steward(conn) -> int:
    """How many relations Steward's schemas hold (0: an empty database)."""
    return conn.execute(sa.text(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = ANY (:s) AND c.relkind IN ('r', 'p', 'v', 'm', 'S')"), {"s": list(SCHEMAS)}).scalar_one()


def ensure_group_roles(conn) -> None:
    """Steward's group roles are the server's; a new server gets them (the owner needs CREATEROLE)."""
    for role in GROUP_ROLES:
        conn.execute(sa.text(f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') "
                             f"THEN CREATE ROLE {role} NOLOGIN; END IF; END $$"))
    conn.execute(sa.text("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'steward_daemon') "
                         "THEN CREATE ROLE steward_daemon LOGIN; END IF; END $$"))
    conn.execute(sa.text("GRANT steward_person TO steward_sales_rep, steward_team_lead, steward_chain_manager, "
                         "steward_admin"))


_WIPE_PUBLIC = """
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT c.relname, c.relkind FROM pg_class c
              WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
                -- an identity column's sequence goes with its table, and cannot be dropped alone
                AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                                   AND d.objid = c.oid AND d.deptype = 'i')
              ORDER BY c.relkind = 'S', c.relname LOOP
        EXECUTE format('DROP %s IF EXISTS public.%I CASCADE',
                       CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                                      WHEN 'f' THEN 'FOREIGN TABLE' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END,
                       r.relname);
    END LOOP;
    FOR r IN SELECT p.oid::regprocedure AS f, p.prokind FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace LOOP
        EXECUTE format('DROP %s IF EXISTS %s CASCADE',
                       CASE r.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END, r.f);
    END LOOP;
    FOR r IN SELECT t.typname, t.typtype FROM pg_type t
              WHERE t.typnamespace = 'public'::regnamespace AND t.typtype IN ('e', 'd', 'r', 'c')
                AND (t.typtype <> 'c' OR (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c') LOOP
        EXECUTE format('DROP %s IF EXISTS public.%I CASCADE', CASE r.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END,
                       r.typname);
    END LOOP;
END
$$"""


def wipe(conn) -> None:
    """Drop Steward's schemas and everything in them, and everything in public (the schema
    public itself, the database and its people stay)."""
    conn.execute(sa.text("DROP SCHEMA IF EXISTS steward_api, steward_internal, steward_pack, legacy CASCADE"))
    conn.execute(sa.text(_WIPE_PUBLIC))


def restore(owner: URL, file: Path, *, replace: bool = False, progress: Progress | None = None) -> RestoreReport:
    file = Path(file)
    if not file.is_file():
        raise NotFound(f"There is no backup {file}.", errors={"file": "not found"})
    engine = make_engine(owner, pool_size=1)
    try:
        with translated_errors():
            tool = find_tool("pg_restore", server_major(engine))
        migrations = dump_migrations(tool, file)
        if migrations is None:
            raise ValidationError(f"{file.name} is not a Steward backup (it holds no schema version).",
                                  errors={"file": "not a Steward backup"})
        known = set(schema.known_migrations())
        newer = sorted(set(migrations) - known)
        if newer:
            raise ValidationError(
                f"{file.name} comes from a newer Steward: it holds migration(s) {', '.join(newer)} this program does "
                "not know. Restore it with that version of Steward.", errors={"file": "schema newer than this program"})
        version = max(migrations) if migrations else "none"
        with translated_errors(), engine.begin() as conn:
            present = holds_steward(conn)
            if present and not replace:
                customers = 0
                if conn.execute(sa.text("SELECT to_regclass('public.accounts') IS NOT NULL")).scalar_one():
                    customers = conn.execute(sa.text("SELECT count(*) FROM public.accounts")).scalar_one()
                raise Conflict(
                    f"The database {owner.database} is not empty ({present} tables and other objects, "
                    f"{customers:,} customers). Add --replace to overwrite it with the backup.",
                    errors={"database": "not empty"})
            ensure_group_roles(conn)
            if present:
                wipe(conn)
        with psycopg.connect(dsn(owner), autocommit=True) as conn:
            toc = subprocess.run([str(tool.path), "--list", str(file)], capture_output=True, text=True,
                                 encoding="utf-8", errors="replace", timeout=300).stdout
            steps = sum(1 for line in toc.splitlines() if line and not line.startswith(";"))
        started = time.perf_counter()
        _run([str(tool.path), "--no-owner", "--single-transaction", "--exit-on-error", "--verbose", "--no-password",
              f"--dbname={dsn(owner)}", str(file)], "pg_restore: ", steps, progress, "pg_restore")
        pending = schema.pending_migrations(engine)
        upgraded: list[str] = []
        if pending or not schema.definitions_current(engine):
            with translated_errors():
                upgraded = schema.upgrade(owner)
                schema.sync_reference_data(engine)
        missing = _give_back_connect(owner)
        # The database now holds what this file holds: it counts as backed up when the file was written.
        written = datetime.fromtimestamp(file.stat().st_mtime).astimezone()
        with translated_errors(), engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO backup_runs (started_at, finished_at, file, bytes, tool, schema_version) "
                "VALUES (:at, :at, :file, :bytes, :tool, :version)"),
                {"at": written, "file": str(file.resolve()), "bytes": file.stat().st_size,
                 "tool": f"restored with {tool}", "version": version})
        return RestoreReport(file, time.perf_counter() - started, str(tool), bool(present), version, upgraded,
                             missing)
    finally:
        engine.dispose()


def _give_back_connect(owner: URL) -> list[str]:
    """CONNECT for every active person whose login exists here; the logins that do not."""
    missing = []
    with psycopg.connect(dsn(owner), autocommit=True) as conn:
        for login, exists in conn.execute(
                "SELECT u.login, EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = u.login) FROM users u "
                "WHERE u.active ORDER BY u.login"):
            if exists:
                conn.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
                    sql.Identifier(owner.database or ""), sql.Identifier(login)))
            else:
                missing.append(login)
        conn.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO steward_daemon").format(
            sql.Identifier(owner.database or "")))
    return missing


# ------------------------------------------------------------------ the reminder

def last_backup(engine: Engine) -> datetime | None:
    """When the last backup finished (for anyone on this database; NULL: never)."""
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT public.steward_last_backup()")).scalar_one()


class BackupService:
    """Backups as the desktop offers them: on the embedded database, where the person's own
    machine holds the server and its owner's login ("Back up now…" and the reminder)."""

    def __init__(self, engine: Engine, settings: "Settings | None"):
        self._engine = engine
        self._settings = settings

    @property
    def available(self) -> bool:
        """Whether this program may back the database up itself (the embedded server)."""
        return self._settings is not None and self._settings.embedded

    def last(self) -> datetime | None:
        with translated_errors():
            return last_backup(self._engine)

    def reminder(self) -> str | None:
        """A line for a person on the embedded database whose last backup is too old, else None."""
        if not self.available:
            return None
        from services.config import OperationsConfig

        days = float(OperationsConfig.load(self._settings).backup["remind_after_days"])
        last = self.last()
        if last is None:
            return "This database has never been backed up: File ▸ Back up now…"
        age = datetime.now(last.tzinfo) - last
        if age.total_seconds() >= days * 86400:
            return f"The last backup is {age.days} days old: File ▸ Back up now…"
        return None

    def default_file(self) -> Path:
        from services.config import OperationsConfig

        assert self._settings is not None
        return default_file(OperationsConfig.load(self._settings).backup_folder(self._settings), "steward")

    def backup_now(self, file: Path | None = None, *, progress: Progress | None = None) -> BackupReport:
        if not self.available:
            raise ValidationError("Back up a shared database with `steward db backup` as its owner.",
                                  errors={"database": "not the embedded one"})
        from services.service_layer.facade import owner_url

        assert self._settings is not None
        return backup(owner_url(self._settings), file or self.default_file(), progress=progress)
