"""Who may do what, read from the catalogs: the list reviewed in privileges.txt.

For PUBLIC and each Steward role: CONNECT/TEMPORARY/CREATE on the database, USAGE/
CREATE on each schema, SELECT/INSERT/UPDATE/DELETE/TRUNCATE/REFERENCES/TRIGGER on
each table and view of our schemas (with the columns where only some are granted),
USAGE/SELECT/UPDATE on each sequence, EXECUTE on each function outside pg_catalog
and information_schema; and which tables have row-level security. Privileges are
the effective ones (inherited from groups and PUBLIC included), one line per grant,
sorted, so a diff shows exactly what a migration gave or took away.

    PYTHONPATH=. STEWARD_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \\
        python -m tests.security.privileges            # print, for a freshly migrated database
        python -m tests.security.privileges --write    # regenerate tests/security/privileges.txt
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

import psycopg

ROLES = ("PUBLIC", "steward_person", "steward_sales_rep", "steward_team_lead", "steward_chain_manager",
         "steward_admin", "steward_daemon", "steward_inbox_writer", "steward_module", "steward_http")
REVIEWED = Path(__file__).with_name("privileges.txt")
REGENERATE = ("PYTHONPATH=. STEWARD_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres "
              ".venv/bin/python -m tests.security.privileges --write")

_SCHEMAS = "n.nspname <> 'information_schema' AND left(n.nspname, 3) <> 'pg_'"

_QUERY = f"""
WITH roles(role) AS (SELECT unnest(%(roles)s::text[])),
     who AS (SELECT role, CASE WHEN role = 'PUBLIC' THEN 'public' ELSE role END AS name FROM roles)
SELECT 'database ' || p || ' ' || w.role
  FROM who w, unnest(ARRAY['CONNECT', 'TEMPORARY', 'CREATE']) p
 WHERE has_database_privilege(w.name, current_database(), p)
UNION ALL
SELECT 'schema ' || n.nspname || ' ' || p || ' ' || w.role
  FROM who w, pg_namespace n, unnest(ARRAY['USAGE', 'CREATE']) p
 WHERE {_SCHEMAS} AND has_schema_privilege(w.name, n.oid, p)
UNION ALL
SELECT kind || ' ' || n.nspname || '.' || c.relname || ' ' || p || ' ' || w.role
  FROM who w, pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace,
       LATERAL (SELECT CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized-view'
                                      WHEN 'f' THEN 'foreign-table' ELSE 'table' END AS kind) k,
       unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) p
 WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND {_SCHEMAS} AND has_table_privilege(w.name, c.oid, p)
UNION ALL
-- Column grants where the table grant is missing: which columns.
SELECT 'table ' || n.nspname || '.' || c.relname || ' ' || p || ' (' ||
       (SELECT string_agg(a.attname, ', ' ORDER BY a.attnum) FROM pg_attribute a
         WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
           AND has_column_privilege(w.name, c.oid, a.attnum, p)) || ') ' || w.role
  FROM who w, pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace,
       unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'REFERENCES']) p
 WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND {_SCHEMAS}
   AND NOT has_table_privilege(w.name, c.oid, p) AND has_any_column_privilege(w.name, c.oid, p)
UNION ALL
SELECT 'sequence ' || n.nspname || '.' || c.relname || ' ' || p || ' ' || w.role
  FROM who w, pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, unnest(ARRAY['USAGE', 'SELECT', 'UPDATE']) p
 WHERE c.relkind = 'S' AND {_SCHEMAS} AND has_sequence_privilege(w.name, c.oid, p)
UNION ALL
SELECT 'function ' || n.nspname || '.' || f.proname || '(' || oidvectortypes(f.proargtypes) || ')'
       || CASE WHEN f.prosecdef THEN ' [security definer]' ELSE '' END || ' EXECUTE ' || w.role
  FROM who w, pg_proc f JOIN pg_namespace n ON n.oid = f.pronamespace
 WHERE {_SCHEMAS} AND has_function_privilege(w.name, f.oid, 'EXECUTE')
UNION ALL
SELECT 'table ' || n.nspname || '.' || c.relname || ' row-level-security'
       || CASE WHEN c.relforcerowsecurity THEN ' forced' ELSE '' END
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p') AND {_SCHEMAS} AND c.relrowsecurity
"""


def privileges(conn: psycopg.Connection) -> list[str]:
    """The grants as sorted lines (conn: any login that may read the catalogs)."""
    return sorted(r[0] for r in conn.execute(_QUERY, {"roles": list(ROLES)}))


def reviewed() -> list[str]:
    return [line for line in REVIEWED.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]


HEADER = f"""# Effective privileges of PUBLIC and the Steward roles in a freshly migrated database,
# read from the catalogs by tests/security/privileges.py. Reviewed: a change here is a
# decision, not a side effect. Regenerate after a reviewed migration with
#   {REGENERATE}
"""


def _fresh_database_lines() -> list[str]:
    """Migrate a new database on STEWARD_TEST_DATABASE_URL's server, read it, drop it."""
    from tests.security.conftest import create_database, drop_database, migrate

    server = os.environ.get("STEWARD_TEST_DATABASE_URL")
    if not server:
        sys.exit("set STEWARD_TEST_DATABASE_URL to a server where you may create databases")
    name = f"steward_privileges_{os.getpid()}_{secrets.token_hex(3)}"
    url = create_database(server, name)
    try:
        migrate(url)
        with psycopg.connect(url) as conn:
            return privileges(conn)
    finally:
        drop_database(server, name)


def main(argv: list[str]) -> None:
    lines = _fresh_database_lines()
    if "--write" in argv:
        REVIEWED.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
        print(f"wrote {len(lines)} grants to {REVIEWED}")
    else:
        print("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv[1:])
