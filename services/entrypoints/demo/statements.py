"""The SQL of the bulk load."""

# For the load transaction only (set_config(..., is_local => true)).
SESSION = (
    ("maintenance_work_mem", "1GB"),     # index builds sort in memory
    ("work_mem", "256MB"),               # the projection's hash joins and DISTINCT ON
    ("synchronous_commit", "off"),
)

# Plain indexes of the loaded tables; primary keys and unique constraints stay.
SECONDARY_INDEXES = """
SELECT quote_ident(ic.relname) AS index_name, pg_get_indexdef(i.indexrelid) AS definition
  FROM pg_index i
  JOIN pg_class c ON c.oid = i.indrelid
  JOIN pg_class ic ON ic.oid = i.indexrelid
 WHERE c.relnamespace = 'public'::regnamespace
   AND c.relname = ANY(:tables)
   AND NOT EXISTS (SELECT 1 FROM pg_constraint k
                    WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x'))
 ORDER BY c.relname, ic.relname
"""

FOREIGN_KEYS = """
SELECT quote_ident(c.relname) AS table_name, quote_ident(k.conname) AS name, pg_get_constraintdef(k.oid) AS definition
  FROM pg_constraint k
  JOIN pg_class c ON c.oid = k.conrelid
 WHERE k.contype = 'f'
   AND c.relnamespace = 'public'::regnamespace
   AND c.relname = ANY(:tables)
 ORDER BY c.relname, k.conname
"""

# One audit row per initial value. Numbered without the sequence (one call per
# row) and without an ORDER BY (a sort of every row): the table is empty.
FIELD_HISTORY = """
INSERT INTO field_history (id, customer_id, field_key, old_value, new_value, changed_by, changed_by_login,
                           changed_at, source)
SELECT row_number() OVER (), customer_id, field_key, NULL, value, updated_by, 'steward-demo', updated_at, 'demo'
  FROM field_values
"""

RESET_SEQUENCE = """
SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT coalesce(max(id), 0) + 1 FROM {table}), false)
"""
