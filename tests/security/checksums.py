"""A checksum of everything an attack could change in a Steward database.

`snapshot(conn)` (conn: a psycopg connection as a superuser) returns a dict of
named items; two snapshots are equal exactly when no attack left a trace:

* every table of every non-system schema (found in the catalog, so a table a
  later migration adds is covered without touching this file): row count and
  an md5 over all its rows;
* every sequence of those schemas: last_value and is_called;
* large objects: their count, owners and rights, and an md5 of their content;
* the catalog of those schemas: each relation (kind, owner, rights, row-level
  security, columns with their rights and comments, index and view
  definitions), function, type, policy, trigger, rule and constraint, each
  schema with its owner and rights, and digests of the other per-database
  catalogs an object could be created in (casts, extensions, publications,
  event triggers, operators, collations, ...);
* the database itself: owner, rights (CONNECT, TEMP, CREATE), settings;
* the roles that belong to this database (the steward_* roles, the owner and
  every login in `users`): attributes, password hash, memberships, settings;
* temporary objects owned by a role that is not a superuser (a person's own
  temp table is a trace too; temp objects of the superuser's test sessions are
  irrelevant), prepared transactions, databases owned by persons and the
  settings in postgresql.auto.conf (ALTER SYSTEM).

`assert_unchanged(before, after)` fails with a readable list of what changed.
`capture(conn)` / `restore(conn, backup)` put the rows of every table and the
sequences back, so that a test that found a hole (on code that has one) does
not leave a broken world to the tests after it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import sql

# The steward roles are cluster-wide: their attributes and memberships are part
# of every Steward database's state.
STEWARD_ROLES = ("steward_person", "steward_sales_rep", "steward_team_lead", "steward_chain_manager",
                 "steward_admin", "steward_daemon", "steward_inbox_writer")

# Namespaces that are the server's, not the application's. Temporary schemas
# (pg_temp_N, pg_toast_temp_N) are left out here and counted separately.
_OURS = ("n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') "
         "AND n.nspname NOT LIKE 'pg\\_temp\\_%' AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%'")
_TEMP = "(n.nspname LIKE 'pg\\_temp\\_%' OR n.nspname LIKE 'pg\\_toast\\_temp\\_%')"


def tables(conn: psycopg.Connection) -> list[tuple[str, str]]:
    """(schema, table) of every ordinary or partitioned table in a non-system schema."""
    return conn.execute(
        f"SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        f"WHERE c.relkind IN ('r', 'p') AND {_OURS} ORDER BY 1, 2").fetchall()


def sequences(conn: psycopg.Connection) -> list[tuple[str, str]]:
    return conn.execute(
        f"SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        f"WHERE c.relkind = 'S' AND {_OURS} ORDER BY 1, 2").fetchall()


def _qualified(schema: str, name: str) -> sql.Composed:
    return sql.SQL("{}.{}").format(sql.Identifier(schema), sql.Identifier(name))


# ------------------------------------------------------------------ catalog

# (key, signature) per object of our schemas. Every signature is text, so a
# difference shows which object changed and how.
_CATALOG_SQL = f"""
SELECT 'schema ' || n.nspname,
       concat_ws(' ', 'owner=' || n.nspowner::regrole, 'acl=' || coalesce(n.nspacl, acldefault('n', n.nspowner))::text,
                 'comment=' || coalesce(obj_description(n.oid, 'pg_namespace'), '-'))
  FROM pg_namespace n WHERE {_OURS}
UNION ALL
SELECT 'relation ' || n.nspname || '.' || c.relname,
       concat_ws(' ', 'kind=' || c.relkind::text, 'persistence=' || c.relpersistence::text, 'owner=' || c.relowner::regrole,
                 'acl=' || coalesce(c.relacl, acldefault(CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::"char", c.relowner))::text,
                 'rls=' || c.relrowsecurity,
                 'force_rls=' || c.relforcerowsecurity, 'options=' || coalesce(c.reloptions::text, '-'),
                 'replident=' || c.relreplident::text,
                 'comment=' || coalesce(obj_description(c.oid, 'pg_class'), '-'),
                 'columns=' || (SELECT md5(coalesce(string_agg(concat_ws(':', a.attname, format_type(a.atttypid, a.atttypmod),
                                               a.attnotnull, a.attgenerated, a.attidentity, a.attisdropped,
                                               pg_get_expr(d.adbin, d.adrelid), a.attacl::text,
                                               col_description(c.oid, a.attnum)), '|' ORDER BY a.attnum), ''))
                                  FROM pg_attribute a
                                  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                                 -- a column dropped long ago leaves a slot a dump and restore does not
                                 -- keep; dropping one now still shows, as a column gone
                                 WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped),
                 'definition=' || md5(coalesce(CASE WHEN c.relkind = 'i' THEN pg_get_indexdef(c.oid)
                                                    WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END, '')))
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {_OURS}
UNION ALL
SELECT 'function ' || n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')',
       concat_ws(' ', 'kind=' || p.prokind::text, 'owner=' || p.proowner::regrole, 'acl=' || coalesce(p.proacl, acldefault('f', p.proowner))::text,
                 'definer=' || p.prosecdef, 'leakproof=' || p.proleakproof, 'volatile=' || p.provolatile::text,
                 'config=' || coalesce(p.proconfig::text, '-'), 'body=' || md5(coalesce(p.prosrc, '') || coalesce(p.probin, '')),
                 'comment=' || coalesce(obj_description(p.oid, 'pg_proc'), '-'))
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE {_OURS}
UNION ALL
SELECT 'type ' || n.nspname || '.' || t.typname,
       concat_ws(' ', 'kind=' || t.typtype::text, 'owner=' || t.typowner::regrole, 'acl=' || coalesce(t.typacl, acldefault('T', t.typowner))::text,
                 'comment=' || coalesce(obj_description(t.oid, 'pg_type'), '-'))
  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE {_OURS}
UNION ALL
SELECT 'policy ' || n.nspname || '.' || c.relname || ' ' || pol.polname,
       concat_ws(' ', 'cmd=' || pol.polcmd::text, 'permissive=' || pol.polpermissive,
                 'roles=' || (SELECT string_agg(CASE WHEN r = 0 THEN 'public' ELSE r::regrole::text END, ',' ORDER BY r)
                                FROM unnest(pol.polroles) r),
                 'using=' || coalesce(pg_get_expr(pol.polqual, pol.polrelid), '-'),
                 'check=' || coalesce(pg_get_expr(pol.polwithcheck, pol.polrelid), '-'))
  FROM pg_policy pol JOIN pg_class c ON c.oid = pol.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE {_OURS}
UNION ALL
SELECT 'trigger ' || n.nspname || '.' || c.relname || ' ' || tg.tgname,
       concat_ws(' ', 'enabled=' || tg.tgenabled::text, 'definition=' || md5(pg_get_triggerdef(tg.oid)))
  FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE {_OURS}
UNION ALL
SELECT 'rule ' || n.nspname || '.' || c.relname || ' ' || r.rulename,
       concat_ws(' ', 'enabled=' || r.ev_enabled::text, 'definition=' || md5(pg_get_ruledef(r.oid)))
  FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE {_OURS}
UNION ALL
SELECT 'constraint ' || n.nspname || '.' || coalesce((SELECT relname FROM pg_class WHERE oid = co.conrelid),
                                                  (SELECT typname FROM pg_type WHERE oid = co.contypid), '-')
       || ' ' || co.conname,
       md5(pg_get_constraintdef(co.oid))
  FROM pg_constraint co JOIN pg_namespace n ON n.oid = co.connamespace WHERE {_OURS}
"""

# Other namespaced catalogs: (catalog, name column, namespace column, owner column).
_NAMESPACED = (
    ("pg_operator", "oprname", "oprnamespace", "oprowner"),
    ("pg_opclass", "opcname", "opcnamespace", "opcowner"),
    ("pg_opfamily", "opfname", "opfnamespace", "opfowner"),
    ("pg_collation", "collname", "collnamespace", "collowner"),
    ("pg_conversion", "conname", "connamespace", "conowner"),
    ("pg_ts_config", "cfgname", "cfgnamespace", "cfgowner"),
    ("pg_ts_dict", "dictname", "dictnamespace", "dictowner"),
    ("pg_ts_parser", "prsname", "prsnamespace", None),
    ("pg_ts_template", "tmplname", "tmplnamespace", None),
    ("pg_statistic_ext", "stxname", "stxnamespace", "stxowner"),
)

# Per-database catalogs without a namespace: a digest of all their rows.
_WHOLE = ("pg_cast", "pg_extension", "pg_event_trigger", "pg_publication", "pg_publication_rel",
          "pg_publication_namespace", "pg_foreign_data_wrapper", "pg_foreign_server", "pg_user_mapping",
          "pg_language", "pg_transform", "pg_am", "pg_default_acl", "pg_init_privs")

def _namespaced_sql() -> str:
    parts = []
    for cat, name, nsp, owner in _NAMESPACED:
        sig = f"x.{owner}::regrole::text" if owner else "'-'"
        parts.append(f"SELECT 'catalog {cat} ' || n.nspname || '.' || x.{name}, {sig} "
                     f"FROM {cat} x JOIN pg_namespace n ON n.oid = x.{nsp} WHERE {_OURS}")
    for cat in _WHOLE:
        parts.append(f"SELECT 'catalog {cat}', count(*) || ' rows ' || md5(coalesce(string_agg(x::text, '|' "
                     f"ORDER BY x::text), '')) FROM {cat} x")
    return " UNION ALL ".join(parts)


# The database, the roles that belong to it, and what lies outside the catalogs above.
_SERVER_SQL = """
WITH ours AS (
    SELECT r.oid, r.rolname FROM pg_authid r
     WHERE r.rolname = ANY (%(steward_roles)s)
        OR r.oid = (SELECT datdba FROM pg_database WHERE datname = current_database())
        OR r.rolname = ANY (%(logins)s)
)
SELECT 'database',
       concat_ws(' ', 'owner=' || d.datdba::regrole, 'acl=' || coalesce(d.datacl, acldefault('d', d.datdba))::text,
                 'connlimit=' || d.datconnlimit, 'allowconn=' || d.datallowconn, 'template=' || d.datistemplate,
                 'comment=' || coalesce(shobj_description(d.oid, 'pg_database'), '-'),
                 'settings=' || coalesce((SELECT string_agg(coalesce(s.setrole::regrole::text, '*') || ':' || s.setconfig::text,
                                                            ';' ORDER BY s.setrole)
                                            FROM pg_db_role_setting s WHERE s.setdatabase = d.oid), '-'))
  FROM pg_database d WHERE d.datname = current_database()
UNION ALL
SELECT 'role ' || o.rolname,
       concat_ws(' ', 'super=' || a.rolsuper, 'inherit=' || a.rolinherit, 'createrole=' || a.rolcreaterole,
                 'createdb=' || a.rolcreatedb, 'login=' || a.rolcanlogin, 'replication=' || a.rolreplication,
                 'bypassrls=' || a.rolbypassrls, 'connlimit=' || a.rolconnlimit,
                 'validuntil=' || coalesce(a.rolvaliduntil::text, '-'),
                 'password=' || coalesce(md5(a.rolpassword), '-'),
                 'member_of=' || coalesce((SELECT string_agg(m.roleid::regrole || CASE WHEN m.admin_option THEN '+admin' ELSE '' END,
                                                             ',' ORDER BY m.roleid::regrole::text)
                                             FROM pg_auth_members m WHERE m.member = o.oid), '-'),
                 'settings=' || coalesce((SELECT string_agg(s.setdatabase || ':' || s.setconfig::text, ';' ORDER BY s.setdatabase)
                                            FROM pg_db_role_setting s WHERE s.setrole = o.oid), '-'),
                 'comment=' || coalesce(shobj_description(o.oid, 'pg_authid'), '-'))
  FROM ours o JOIN pg_authid a ON a.oid = o.oid
UNION ALL
SELECT 'large objects',
       (SELECT count(*) || ' objects, rights ' || md5(coalesce(string_agg(oid || ':' || lomowner || ':' || coalesce(lomacl, acldefault('L', lomowner))::text,
                                                                            '|' ORDER BY oid), ''))
          FROM pg_largeobject_metadata)
       || ', content ' || (SELECT md5(coalesce(string_agg(loid || ':' || pageno || ':' || md5(data), '|' ORDER BY loid, pageno), ''))
                             FROM pg_largeobject)
UNION ALL
SELECT 'temporary objects of non-superusers',
       (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_authid a ON a.oid = c.relowner
         WHERE %(temp)s AND NOT a.rolsuper)
       + (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_authid a ON a.oid = p.proowner
           WHERE %(temp)s AND NOT a.rolsuper)
       + (SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_authid a ON a.oid = t.typowner
           WHERE %(temp)s AND NOT a.rolsuper) || ''
UNION ALL
SELECT 'prepared transactions', count(*) || '' FROM pg_prepared_xacts WHERE database = current_database()
UNION ALL
SELECT 'databases owned by persons',
       coalesce(string_agg(d.datname, ',' ORDER BY d.datname), '-')
  FROM pg_database d JOIN pg_authid a ON a.oid = d.datdba
 WHERE NOT a.rolsuper AND pg_has_role(d.datdba, 'steward_person', 'MEMBER')
UNION ALL
SELECT 'postgresql.auto.conf',
       coalesce(string_agg(name || '=' || coalesce(setting, ''), ',' ORDER BY name, seqno), '-')
  FROM pg_file_settings WHERE sourcefile LIKE '%postgresql.auto.conf'
"""


def _logins(conn: psycopg.Connection) -> list[str]:
    """The logins of this database's people (if it has a users table)."""
    if conn.execute("SELECT to_regclass('public.users') IS NULL").fetchone()[0]:
        return []
    return [r[0] for r in conn.execute("SELECT login FROM public.users")]


def snapshot(conn: psycopg.Connection) -> dict[str, Any]:
    """Everything an attack could change, as {item: value}. `conn`: a superuser's connection."""
    if not conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()[0]:
        raise RuntimeError("checksums need a superuser: row-level security would hide rows otherwise")
    snap: dict[str, Any] = {}
    with conn.transaction():
        # One snapshot of the data for all statements below.
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        found = tables(conn)
        parts = [
            sql.SQL("SELECT {key}, count(*), md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM {t} x").format(
                key=sql.Literal(f"table {schema}.{name}"), t=_qualified(schema, name))
            for schema, name in found]
        if parts:
            for key, count, digest in conn.execute(sql.SQL(" UNION ALL ").join(parts)):
                snap[key] = (count, digest)
        seqs = sequences(conn)
        if seqs:
            query = sql.SQL(" UNION ALL ").join(
                sql.SQL("SELECT {key}, last_value, is_called FROM {s}").format(
                    key=sql.Literal(f"sequence {schema}.{name}"), s=_qualified(schema, name))
                for schema, name in seqs)
            for key, last_value, is_called in conn.execute(query):
                snap[key] = (last_value, is_called)
        for key, signature in conn.execute(_CATALOG_SQL):
            snap[key] = signature
        for key, signature in conn.execute(_namespaced_sql()):
            snap[key] = signature
        query = (_SERVER_SQL.replace("%(temp)s", _TEMP)
                 .replace("%(steward_roles)s", sql.Literal(list(STEWARD_ROLES)).as_string(conn) + "::text[]")
                 .replace("%(logins)s", sql.Literal(_logins(conn)).as_string(conn) + "::text[]"))
        for key, value in conn.execute(query):
            snap[key] = value
    return snap


def differences(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """One line per item that appeared, disappeared or changed."""
    lines = []
    for key in sorted(set(before) | set(after)):
        if key not in before:
            lines.append(f"+ {key}: {_show(key, after[key])}")
        elif key not in after:
            lines.append(f"- {key}: {_show(key, before[key])}")
        elif before[key] != after[key]:
            if key.startswith("table "):
                (n0, _), (n1, _) = before[key], after[key]
                lines.append(f"~ {key}: rows {n0} -> {n1}" + ("" if n0 != n1 else ", content changed"))
            elif isinstance(before[key], str) and isinstance(after[key], str):
                # Signatures are `name=value` words: show the words that differ.
                was, now = before[key].split(" "), after[key].split(" ")
                gone = " ".join(w for w in was if w not in now)
                new = " ".join(w for w in now if w not in was)
                lines.append(f"~ {key}: {gone or '-'}  ->  {new or '-'}")
            else:
                lines.append(f"~ {key}: {_show(key, before[key])}  ->  {_show(key, after[key])}")
    return lines


def _show(key: str, value: Any) -> str:
    if key.startswith("table "):
        return f"{value[0]} rows"
    return str(value)


def assert_unchanged(before: dict[str, Any], after: dict[str, Any], what: str = "") -> None:
    lines = differences(before, after)
    if lines:
        head = f"{what}\n" if what else ""
        raise AssertionError(f"{head}the database changed:\n  " + "\n  ".join(lines))


# ------------------------------------------------------------ restoring


@dataclass
class Backup:
    """The rows of every table (binary COPY, generated columns left out) and every sequence."""

    tables: dict[tuple[str, str], tuple[list[str], bytes]] = field(default_factory=dict)
    sequences: dict[tuple[str, str], tuple[int, bool]] = field(default_factory=dict)
    large_objects: set[int] = field(default_factory=set)


def _columns(conn: psycopg.Connection, schema: str, name: str) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT a.attname FROM pg_attribute a WHERE a.attrelid = %s::regclass AND a.attnum > 0 "
        "AND NOT a.attisdropped AND a.attgenerated = '' ORDER BY a.attnum",
        [_qualified(schema, name).as_string(conn)])]


def capture(conn: psycopg.Connection) -> Backup:
    backup = Backup()
    with conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        for schema, name in tables(conn):
            cols = _columns(conn, schema, name)
            query = sql.SQL("COPY {t} ({cols}) TO STDOUT (FORMAT binary)").format(
                t=_qualified(schema, name), cols=sql.SQL(", ").join(map(sql.Identifier, cols)))
            with conn.cursor().copy(query) as copy:
                backup.tables[(schema, name)] = (cols, b"".join(bytes(chunk) for chunk in copy))
        for schema, name in sequences(conn):
            backup.sequences[(schema, name)] = conn.execute(
                sql.SQL("SELECT last_value, is_called FROM {}").format(_qualified(schema, name))).fetchone()
        backup.large_objects = {r[0] for r in conn.execute("SELECT oid FROM pg_largeobject_metadata")}
    return backup


def changed_tables(before: dict[str, Any], after: dict[str, Any]) -> set[tuple[str, str]]:
    """(schema, table) of the tables whose rows differ between two snapshots."""
    keys = {k for k in set(before) | set(after) if k.startswith("table ") and before.get(k) != after.get(k)}
    return {tuple(k[len("table "):].split(".", 1)) for k in keys}


def restore(conn: psycopg.Connection, backup: Backup, only: set[tuple[str, str]] | None = None) -> None:
    """Put the rows of every table (or of `only` these) and every sequence back as captured.
    Triggers, foreign keys included, do not fire: the rows were consistent when captured."""
    names = [t for t in backup.tables if only is None or t in only]
    with conn.transaction():
        conn.execute("SET LOCAL session_replication_role = replica")
        if only is None:
            conn.execute(sql.SQL("TRUNCATE {}").format(sql.SQL(", ").join(_qualified(s, n) for s, n in names)))
        else:
            for schema, name in names:
                conn.execute(sql.SQL("DELETE FROM {}").format(_qualified(schema, name)))
        for schema, name in names:
            cols, data = backup.tables[(schema, name)]
            query = sql.SQL("COPY {t} ({cols}) FROM STDIN (FORMAT binary)").format(
                t=_qualified(schema, name), cols=sql.SQL(", ").join(map(sql.Identifier, cols)))
            with conn.cursor().copy(query) as copy:
                copy.write(data)
        for (schema, name), (last_value, is_called) in backup.sequences.items():
            conn.execute("SELECT setval(%s::regclass, %s, %s)",
                         [_qualified(schema, name).as_string(conn), last_value, is_called])
        for (oid,) in conn.execute("SELECT oid FROM pg_largeobject_metadata").fetchall():
            if oid not in backup.large_objects:
                conn.execute("SELECT lo_unlink(%s)", [oid])
