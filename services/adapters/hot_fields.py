"""The hot projection's pack-made part, generated from the pack's column declarations.

A pack declares each hot field's projection columns ([[field.column]] in pack.toml).
From that one declaration this module makes, on `steward db upgrade`:

* the columns and their indexes (`apply_columns`: a migration step run whenever the
  pack changes; a removed column is dropped again);
* the SQL that keeps and checks them (`definitions`): the statement trigger that maps a
  written field value to its columns, the derived sample columns, the truth the rebuild
  and the verification compare with (hot_projection_truth, hot_projection_drift);
* the rebuild's statement (`repair_statement`).

The rest of the projection (its table, the account columns, the triggers of accounts,
samples and SLAs, the search words) is sql/definitions/04_projection.sql and the
migrations. `steward db definitions` prints what this module generates for the pack.
"""

from __future__ import annotations

from collections.abc import Sequence

import psycopg

from services.pack import HotColumn, Pack

TABLE = "public.cm_customer_hot_proj"
# The projection's own columns, in the order the truth returns them (before the hot ones).
CORE = ("customer_id", "name", "city", "region", "owner_id", "chain_id", "chain_name", "is_chain", "shared", "sla_due")
CORE_TYPES = ("uuid", "text", "text", "text", "uuid", "uuid", "text", "boolean", "boolean", "date")
# A sales rep's page reads its keys from these indexes alone (sql/migrations/0008): they
# carry every column a filter or the sort may read, so their INCLUDE lists follow the pack.
COVERING = {
    "hot_owner_cover_idx": ("(owner_id, name, customer_id)", ("region", "city", "chain_id", "shared", "is_chain"), ""),
    "hot_shared_sibling_idx": ("(chain_id, name, customer_id)", ("owner_id", "region", "city", "shared", "is_chain"),
                               " WHERE shared AND NOT is_chain"),
}
_LATEST_SAMPLE = {"latest_sample.status": "status", "latest_sample.last_event_at": "last_event_at"}


# ------------------------------------------------------------------ the columns

def apply_columns(conn: psycopg.Connection, pack: Pack) -> list[str]:
    """Add the declared columns and their indexes, drop the ones no longer declared; in the
    caller's transaction. Returns what it did, one line each (empty: nothing to do)."""
    done: list[str] = []
    existing = dict(conn.execute(
        "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
        "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped", [TABLE]).fetchall())
    made = {name for (name,) in conn.execute("SELECT name FROM hot_columns")}
    declared = {c.name: c for c in pack.hot_columns}
    for name in sorted(made - set(declared)):
        conn.execute(f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS {name}")
        conn.execute("DELETE FROM hot_columns WHERE name = %s", [name])
        done.append(f"dropped column {name}")
    for column in pack.hot_columns:
        if column.name not in existing:
            conn.execute(f"ALTER TABLE {TABLE} ADD COLUMN {column.name} {column.type}")
            done.append(f"added column {column.name} {column.type}")
        conn.execute("INSERT INTO hot_columns (name, field_key, type) VALUES (%s, %s, %s) "
                     "ON CONFLICT (name) DO UPDATE SET field_key = EXCLUDED.field_key, type = EXCLUDED.type",
                     [column.name, column.field, column.type])
    for column in pack.hot_columns:
        if (column.sortable or any(f.op == "in" for f in column.filters)) and not _leads_an_index(conn, column.name):
            # Keyset pages in this column's order walk it, with customer_id as the tie-breaker.
            conn.execute(f"CREATE INDEX hot_{column.name}_idx ON {TABLE} ({column.name}, customer_id)")
            done.append(f"indexed {column.name}")
    carried = [c.name for c in pack.hot_columns if c.sortable or c.filters]
    for index, (keys, core, where) in COVERING.items():
        wanted = (*core, *carried, "search")
        if _included(conn, index) != set(wanted):
            conn.execute(f"DROP INDEX IF EXISTS public.{index}")
            conn.execute(f"CREATE INDEX {index} ON {TABLE} {keys} INCLUDE ({', '.join(wanted)}){where}")
            done.append(f"rebuilt {index}")
    return done


def _leads_an_index(conn: psycopg.Connection, column: str) -> bool:
    return conn.execute(
        "SELECT EXISTS (SELECT 1 FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
        "                AND a.attnum = i.indkey[0] WHERE i.indrelid = %s::regclass AND a.attname = %s)",
        [TABLE, column]).fetchone()[0]


def _included(conn: psycopg.Connection, index: str) -> set[str]:
    definition = conn.execute("SELECT pg_get_indexdef(to_regclass(%s))", [f"public.{index}"]).fetchone()[0]
    if not definition or " INCLUDE (" not in definition:
        return set()
    inside = definition.split(" INCLUDE (", 1)[1].split(")", 1)[0]
    return {name.strip() for name in inside.split(",")}


# ------------------------------------------------------------------ the SQL

def _value_of(column: HotColumn, value: str) -> str:
    """The SQL expression for a column, from the field's value (an expression of type jsonb)."""
    if column.function:
        return f"{column.function}({value})"
    parts = column.path.split(".")
    raw = f"{value} ->> '{parts[0]}'" if len(parts) == 1 else f"{value} #>> '{{{','.join(parts)}}}'"
    return f"({raw})" if column.type == "text" else f"({raw})::{column.type}"


def _fed(pack: Pack) -> dict[str, list[HotColumn]]:
    """The hot fields written through fields.patch, each with its columns."""
    fed: dict[str, list[HotColumn]] = {}
    for column in pack.hot_columns:
        if not column.source:
            fed.setdefault(column.field, []).append(column)
    return fed


def definitions(pack: Pack) -> str:
    """The generated definitions for this pack: applied after the core's and the pack's
    own, before access (which grants on them)."""
    return "\n\n".join((_header(pack), _field_trigger(pack), _sample_columns(pack), _truth(pack), _drift(pack),
                        _staleness(), _repair_function(pack)))


def _header(pack: Pack) -> str:
    return (f"-- Generated by services/adapters/hot_fields.py from the hot columns of the pack {pack.name!r};\n"
            "-- do not edit: change the pack and run `steward db upgrade`.")


def _field_trigger(pack: Pack) -> str:
    branches = {
        "INSERT": ("new_rows n", "SELECT n.customer_id, n.field_key, NULL::jsonb AS old_value, n.value FROM new_rows n"),
        "UPDATE": ("new_rows n", "SELECT n.customer_id, n.field_key, o.value AS old_value, n.value\n"
                                 "              FROM new_rows n JOIN old_rows o\n"
                                 "                ON (o.customer_id, o.field_key) = (n.customer_id, n.field_key)\n"
                                 "             WHERE o.value IS DISTINCT FROM n.value"),
        "DELETE": ("old_rows n", "SELECT n.customer_id, n.field_key, n.value AS old_value, NULL::jsonb AS value "
                                 "FROM old_rows n"),
    }
    body = "\n    ELS".join(
        f"""IF TG_OP = '{op}' THEN
        PERFORM 1 FROM public.accounts a
         WHERE a.id IN (SELECT DISTINCT n.customer_id FROM {rows}) ORDER BY a.id FOR NO KEY UPDATE;
        WITH written AS (
            {written}
        ){_apply(pack)}""" for op, (rows, written) in branches.items())
    return f"""-- Field values: the audit history of every change, and the projection columns of the
-- hot fields written, once per statement. A statement trigger sees all rows a statement
-- wrote (a patch of three hot fields, a bulk edit of ten thousand customers), so each
-- customer's projection row is updated once, not once per field. The customers are
-- locked first, in id order, so writers of one customer take turns (see 04_projection.sql),
-- and each sets only the columns of the fields it wrote, on the row the other left.
CREATE OR REPLACE FUNCTION public.field_values_after_statement() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF steward_internal.bulk_write_active() THEN
        RETURN NULL;  -- a bulk write writes the history and the projection itself (43_legacy.sql)
    END IF;
    {body.replace(chr(10) + "    ELSIF TG_OP = 'DELETE'", chr(10) + "    ELSE -- DELETE").replace("ELSIF TG_OP = 'INSERT'", "IF TG_OP = 'INSERT'")}
    END IF;
    RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS field_values_after_write ON public.field_values;
DROP FUNCTION IF EXISTS public.field_values_after_write();
DROP FUNCTION IF EXISTS public.hot_proj_apply_field(uuid, text, jsonb);
CREATE OR REPLACE TRIGGER field_values_after_insert AFTER INSERT ON public.field_values
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.field_values_after_statement();
CREATE OR REPLACE TRIGGER field_values_after_update AFTER UPDATE ON public.field_values
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION public.field_values_after_statement();
CREATE OR REPLACE TRIGGER field_values_after_delete AFTER DELETE ON public.field_values
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.field_values_after_statement();"""


def _apply(pack: Pack) -> str:
    """The history rows and the projection update of one trigger branch, after its
    `written` (customer_id, field_key, old_value, value)."""
    fed = _fed(pack)
    history = """, history AS (
            INSERT INTO public.field_history (customer_id, field_key, old_value, new_value, changed_by, source,
                                              correlation_id)
            SELECT w.customer_id, w.field_key, w.old_value, w.value, steward_internal.session_user_id(),
                   coalesce(nullif(current_setting('steward.source', true), ''), 'sql'),
                   nullif(current_setting('steward.correlation_id', true), '')
              FROM written w
        )"""
    if not fed:
        return history + "\n        SELECT count(*) FROM history;"
    keys = ", ".join(f"'{key}'" for key in fed)
    aggregates = ",\n".join(
        f"                       bool_or(w.field_key = '{key}') AS has_{key},\n"
        f"                       (array_agg(w.value) FILTER (WHERE w.field_key = '{key}'))[1] AS {key}"
        for key in fed)
    sets = ",\n".join(
        f"               {c.name} = CASE WHEN c.has_{key} THEN {_value_of(c, 'c.' + key)} ELSE p.{c.name} END"
        for key, columns in fed.items() for c in columns)
    return f"""{history}
        UPDATE {TABLE} p
           SET {sets.strip()},
               updated_at = now()
          FROM (SELECT w.customer_id,
{aggregates}
                  FROM written w
                 WHERE w.field_key IN ({keys})
                 GROUP BY w.customer_id) c
         WHERE p.customer_id = c.customer_id;"""


def _sample_columns(pack: Pack) -> str:
    derived = [c for c in pack.hot_columns if c.source in _LATEST_SAMPLE]
    body = "NULL;"
    if derived:
        names = ", ".join(c.name for c in derived)
        values = ", ".join(f"s.{_LATEST_SAMPLE[c.source]}" for c in derived)
        body = f"""UPDATE {TABLE}
       SET ({names}) =
               (SELECT {values}
                  FROM public.sample_request s
                 WHERE s.customer_id = p_customer
                 ORDER BY s.created_at DESC, s.id DESC
                 LIMIT 1),
           updated_at = now()
     WHERE customer_id = p_customer;"""
    return f"""-- The columns of the derived hot fields that follow the customer's latest sample
-- request (by request time). Re-reading that one row by index is O(1) and, after the
-- customer's lock, sees every committed concurrent request.
CREATE OR REPLACE FUNCTION public.hot_proj_apply_samples(p_customer uuid) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    {body}
END
$$;"""


def _truth_columns(pack: Pack) -> list[tuple[str, str]]:
    return [*zip(CORE, CORE_TYPES), *((c.name, c.type) for c in pack.hot_columns)]


def _truth(pack: Pack) -> str:
    fed = _fed(pack)
    derived = [c for c in pack.hot_columns if c.source in _LATEST_SAMPLE]
    signature = ",\n    ".join(f"{name} {type_}" for name, type_ in _truth_columns(pack))
    values = []
    for c in pack.hot_columns:
        values.append(f"latest.{_LATEST_SAMPLE[c.source]}" if c.source else _value_of(c, f"f_{c.field}.value"))
    joins = "".join(f"""
      LEFT JOIN (SELECT fv.customer_id, fv.value FROM public.field_values fv
                  WHERE fv.field_key = '{key}' AND fv.customer_id BETWEEN p_lo AND p_hi
                    AND (p_ids IS NULL OR fv.customer_id = ANY (p_ids))) f_{key}
             ON f_{key}.customer_id = a.id""" for key in fed)
    if derived:
        joins += """
      LEFT JOIN (SELECT DISTINCT ON (s.customer_id) s.customer_id, s.status, s.last_event_at
                   FROM public.sample_request s
                  WHERE s.customer_id BETWEEN p_lo AND p_hi AND (p_ids IS NULL OR s.customer_id = ANY (p_ids))
                  ORDER BY s.customer_id, s.created_at DESC, s.id DESC) latest
             ON latest.customer_id = a.id"""
    hot = "".join(f",\n           {v}" for v in values)
    return f"""-- The projection computed from the truth, for customers with id in [p_lo, p_hi] and,
-- if given, in p_ids: the single definition of what the projection should be. An
-- inlinable SQL function (no SET, one statement), so the range and the ids reach every
-- subquery's index instead of being applied after the joins; the daemon passes the ids
-- of the customers a batch touched, spread over the whole id space, and the planner
-- folds the ids away when they are NULL (the rebuild). Its columns change with the
-- pack, so it is dropped and made anew (and what depends on it with it).
DROP VIEW IF EXISTS public.hot_projection_drifted;
DROP FUNCTION IF EXISTS public.hot_projection_drift(uuid, uuid, uuid[]);
DROP FUNCTION IF EXISTS public.hot_projection_truth(uuid, uuid, uuid[]);
CREATE FUNCTION public.hot_projection_truth(p_lo uuid, p_hi uuid, p_ids uuid[] DEFAULT NULL)
RETURNS TABLE (
    {signature})
LANGUAGE sql STABLE AS $$
    SELECT a.id, a.name, a.city, a.region, a.owner_id,
           CASE WHEN a.is_chain THEN a.id ELSE a.parent_account_id END,
           CASE WHEN a.is_chain THEN a.name ELSE chain.name END,
           a.is_chain, a.coverage_policy = 'CHAIN_SHARED',
           sla.due_date{hot}
      FROM public.accounts a
      LEFT JOIN public.accounts chain ON chain.id = a.parent_account_id{joins}
      LEFT JOIN (SELECT o.customer_id, min(o.due_date) AS due_date
                   FROM public.slas o
                  WHERE o.status = 'OPEN' AND o.customer_id BETWEEN p_lo AND p_hi
                    AND (p_ids IS NULL OR o.customer_id = ANY (p_ids))
                  GROUP BY o.customer_id) sla
             ON sla.customer_id = a.id
     WHERE a.id BETWEEN p_lo AND p_hi
       AND (p_ids IS NULL OR a.id = ANY (p_ids))
       AND a.merged_into IS NULL  -- a merged customer's tombstone is in no list (51_duplicates.sql)
$$;"""


def compared_columns(pack: Pack) -> list[str]:
    """The columns the truth and the projection are compared on (all but the id)."""
    return [name for name, _ in _truth_columns(pack)][1:]


def _drift(pack: Pack) -> str:
    columns = compared_columns(pack)
    truth = ", ".join(f"t.{c}" for c in columns)
    projection = ", ".join(f"p.{c}" for c in columns)
    return f"""-- The customers whose projection row differs from the truth (or is missing): the one
-- comparison behind `steward projections verify`, the nightly reconciliation's drift
-- count and the daemon's projection check. Inlinable like the truth.
CREATE FUNCTION public.hot_projection_drift(p_lo uuid, p_hi uuid, p_ids uuid[] DEFAULT NULL)
RETURNS TABLE (customer_id uuid)
LANGUAGE sql STABLE AS $$
    SELECT t.customer_id
      FROM public.hot_projection_truth(p_lo, p_hi, p_ids) AS t
      LEFT JOIN {TABLE} AS p ON p.customer_id = t.customer_id
     WHERE p.customer_id IS NULL
        OR ({truth})
           IS DISTINCT FROM
           ({projection})
$$;"""


def _staleness() -> str:
    # hot_projection_staleness (the projection's lag behind its sources) is
    # sql/definitions/40_operations.sql; this is the drift.
    return f"""-- Observability: customers whose projection row differs from the truth.
CREATE VIEW public.hot_projection_drifted WITH (security_invoker = true) AS
SELECT d.customer_id, p.updated_at AS projection_updated_at,
       CASE WHEN p.customer_id IS NULL THEN 'missing' ELSE 'drifted' END AS problem
  FROM public.hot_projection_drift('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff') d
  LEFT JOIN {TABLE} p ON p.customer_id = d.customer_id;"""


def _repair_function(pack: Pack) -> str:
    statement = repair_statement(pack).replace(":lo", "$1").replace(":hi", "$2").replace(":ids", "$3")
    return f"""-- The rebuild's statement for a range (and some ids), as a function for the write API's
-- maintenance (14_maintenance.sql). EXECUTE plans it with the values at hand, as the
-- service's own statement is planned: the ids fold away when they are NULL.
CREATE OR REPLACE FUNCTION steward_internal.repair_projection(p_lo uuid, p_hi uuid, p_ids uuid[]) RETURNS bigint
LANGUAGE plpgsql AS $repair$
DECLARE
    repaired bigint;
BEGIN
    EXECUTE $statement$
{statement}
$statement$ INTO repaired USING p_lo, p_hi, p_ids;
    RETURN repaired;
END
$repair$;"""


def repair_statement(pack: Pack) -> str:
    """Repair the projection from the truth for customers with id in [:lo, :hi] (and in
    :ids when given); writes only the rows that differ and returns how many. Run after
    locking those accounts FOR SHARE in an earlier statement of the same transaction, so
    no writer commits between reading the truth and writing it (services.service_layer.projections)."""
    found = _repairs.get(id(pack))
    if found is not None:
        return found
    columns = [name for name, _ in _truth_columns(pack)]
    compared = columns[1:]
    updates = ",\n           ".join(f"{c} = EXCLUDED.{c}" for c in compared)
    _repairs[id(pack)] = statement = f"""WITH repaired AS (
    INSERT INTO {TABLE} AS p ({', '.join(columns)})
    SELECT {', '.join(f't.{c}' for c in columns)}
      FROM public.hot_projection_truth(:lo, :hi, :ids) AS t
    ON CONFLICT (customer_id) DO UPDATE
       SET {updates},
           updated_at = now()
     WHERE ({', '.join(f'p.{c}' for c in compared)})
           IS DISTINCT FROM
           ({', '.join(f'EXCLUDED.{c}' for c in compared)})
    RETURNING p.customer_id
)
SELECT count(*) FROM repaired"""
    return statement


_repairs: dict[int, str] = {}


def columns_of(pack: Pack) -> Sequence[HotColumn]:
    return pack.hot_columns
