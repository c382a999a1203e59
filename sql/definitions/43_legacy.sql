-- The move of a legacy customer table into Steward without downtime: expand (the
-- tables of 0040), back-fill (resumable batches), dual-write (every write through
-- Steward also updates the legacy row, in the same transaction), read switch (readers
-- of the legacy rows get Steward's values where a row has moved), contract (the
-- legacy path removed, by the owner, once validation is clean). docs/OPERATIONS.md.
--
-- The legacy table lives in schema `legacy` (a view there may stand for a table
-- elsewhere); nothing an admin declares can make these functions read or write any
-- other table. The mapping (which legacy column feeds which customer column, contact
-- detail or field) is validated by services/service_layer/mapping.py and kept here as
-- JSON, in this shape (spec: {"column", "type", "map", "write", "template", ...}):
--   {"key": column, "customer": {target: spec}, "contacts": [{target: spec, "roles": [...]}],
--    "fields": {"field_key" or "field_key.path": spec}}

-- ------------------------------------------------------------- the source

-- A legacy source named by an admin: legacy.<name>, existing, with these columns.
CREATE OR REPLACE FUNCTION steward_internal.legacy_check_source(p_source text, p_key text, p_columns text[])
RETURNS void
LANGUAGE plpgsql STABLE AS $$
DECLARE
    rel regclass;
    missing text;
BEGIN
    IF p_source IS NULL OR p_source !~ '^legacy\.[a-z_][a-z0-9_]{0,62}$' THEN
        PERFORM steward_internal.invalid(
            'The legacy table must be a table or view in schema legacy, named legacy.<lower-case name>.',
            jsonb_build_object('source', 'must be legacy.<name>'));
    END IF;
    rel := to_regclass(p_source);
    IF rel IS NULL OR NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = rel AND c.relkind IN ('r', 'p', 'v', 'f')
                                                           AND c.relnamespace = 'legacy'::regnamespace) THEN
        PERFORM steward_internal.fail('SW404', format('There is no table %s.', p_source),
                                      jsonb_build_object('errors', jsonb_build_object('source', 'no such table')));
    END IF;
    SELECT c INTO missing FROM unnest(p_key || coalesce(p_columns, '{}')) c
     WHERE NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = rel AND a.attname = c AND a.attnum > 0
                                                     AND NOT a.attisdropped)
     LIMIT 1;
    IF missing IS NOT NULL OR p_key IS NULL THEN
        PERFORM steward_internal.invalid(format('%s has no column %s.', p_source, coalesce(missing, '(none)')),
                                         jsonb_build_object(coalesce(missing, 'key'), 'no such column'));
    END IF;
END
$$;

-- Every legacy column a mapping reads.
CREATE OR REPLACE FUNCTION steward_internal.legacy_mapped_columns(p_mapping jsonb) RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(array_agg(DISTINCT s ->> 'column') FILTER (WHERE s ->> 'column' IS NOT NULL), '{}')
      FROM (SELECT value AS s FROM jsonb_each(coalesce(p_mapping -> 'customer', '{}'))
            UNION ALL
            SELECT value FROM jsonb_each(coalesce(p_mapping -> 'fields', '{}'))
            UNION ALL
            SELECT e.value FROM jsonb_array_elements(coalesce(p_mapping -> 'contacts', '[]')) c,
                   jsonb_each(c) e WHERE jsonb_typeof(e.value) = 'object') specs
$$;

CREATE OR REPLACE FUNCTION steward_internal.legacy_move(p_source text, p_lock boolean DEFAULT false)
RETURNS public.legacy_moves
LANGUAGE plpgsql AS $$
DECLARE
    m public.legacy_moves;
BEGIN
    IF p_lock THEN
        SELECT * INTO m FROM public.legacy_moves WHERE source = p_source FOR UPDATE;
    ELSE
        SELECT * INTO m FROM public.legacy_moves WHERE source = p_source;
    END IF;
    IF NOT FOUND THEN
        PERFORM steward_internal.fail('SW404', format('There is no legacy move of %s; run the back-fill first.', p_source),
                                      jsonb_build_object('errors', jsonb_build_object('source', 'no legacy move')));
    END IF;
    RETURN m;
END
$$;

-- Register (or re-declare, before anything moved) a legacy move: the source, its key and
-- the mapping. Makes the read view legacy.<name>_current and, on a table the owner owns,
-- an index on the key in byte order (the back-fill walks it). Admins.
CREATE OR REPLACE FUNCTION steward_api.legacy_register(p_source text, p_key text, p_mapping jsonb,
                                                      p_context jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me record;
    m public.legacy_moves;
    rel regclass;
    view_name text;
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    PERFORM steward_internal.require_admin(me.role, 'move legacy data');
    IF jsonb_typeof(p_mapping) IS DISTINCT FROM 'object' THEN
        PERFORM steward_internal.invalid('The mapping is an object.', jsonb_build_object('mapping', 'must be an object'));
    END IF;
    PERFORM steward_internal.legacy_check_source(p_source, p_key, steward_internal.legacy_mapped_columns(p_mapping));
    SELECT * INTO m FROM public.legacy_moves WHERE source = p_source FOR UPDATE;
    IF FOUND AND m.state = 'contracted' THEN
        PERFORM steward_internal.fail('SW410', format('The move of %s was contracted; it cannot start again.', p_source));
    END IF;
    IF FOUND AND (m.key_column IS DISTINCT FROM p_key OR m.mapping IS DISTINCT FROM p_mapping)
       AND EXISTS (SELECT 1 FROM public.legacy_links k WHERE k.source = p_source) THEN
        PERFORM steward_internal.fail('SW410', format(
            'Rows of %s have moved with another mapping; undo the back-fill (steward migrate legacy reset) first.', p_source),
            jsonb_build_object('errors', jsonb_build_object('mapping', 'differs from the one rows moved with')));
    END IF;
    INSERT INTO public.legacy_moves (source, key_column, mapping) VALUES (p_source, p_key, p_mapping)
    ON CONFLICT (source) DO UPDATE SET key_column = EXCLUDED.key_column, mapping = EXCLUDED.mapping, updated_at = now();

    rel := to_regclass(p_source);
    IF EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = rel AND c.relkind = 'r' AND pg_has_role(c.relowner, 'USAGE')) THEN
        EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %s ((%I::text) COLLATE "C")',
                       left(split_part(p_source, '.', 2), 40) || '_steward_key_idx', rel, p_key);
    END IF;
    -- Readers of the legacy rows: Steward's values where a row moved and the read switch is on.
    view_name := format('legacy.%I', split_part(p_source, '.', 2) || '_current');
    EXECUTE format('DROP VIEW IF EXISTS %s', view_name);
    EXECUTE format(
        'CREATE VIEW %s AS SELECT (jsonb_populate_record(l, CASE WHEN m.read_switch AND k.customer_id IS NOT NULL '
        'THEN public.steward_legacy_values(m.source, k.customer_id) ELSE ''{}''::jsonb END)).* '
        'FROM %s l CROSS JOIN (SELECT source, read_switch FROM public.legacy_moves WHERE source = %L) m '
        'LEFT JOIN public.legacy_links k ON k.source = m.source AND k.legacy_key = l.%I::text',
        view_name, rel, p_source, p_key);
    EXECUTE format('COMMENT ON VIEW %s IS %L', view_name, format(
        'The rows of %s, with Steward''s values where a row has moved and the read switch is on '
        '(steward migrate legacy read-switch).', p_source));
    -- Admins read it (`steward migrate legacy read`); grant it to the legacy readers' login too.
    GRANT USAGE ON SCHEMA legacy TO steward_admin;
    EXECUTE format('GRANT SELECT ON %s TO steward_admin', view_name);
    RETURN to_jsonb(steward_internal.legacy_move(p_source)) - 'mapping';
END
$$;

-- The next rows of the source after p_after (keys in byte order), all rows of up to
-- p_keys keys: [{"key": ..., "row": {column: value as text}}]. Admins.
CREATE OR REPLACE FUNCTION steward_api.legacy_rows(p_source text, p_after text DEFAULT NULL, p_keys integer DEFAULT 5000,
                                                  p_context jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me record;
    m public.legacy_moves;
    result jsonb;
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    PERFORM steward_internal.require_admin(me.role, 'move legacy data');
    m := steward_internal.legacy_move(p_source);
    IF p_keys IS NULL OR p_keys < 1 OR p_keys > 50000 THEN
        PERFORM steward_internal.invalid('Read 1 to 50,000 keys at a time.', jsonb_build_object('keys', 'must be 1 to 50000'));
    END IF;
    EXECUTE format(
        'WITH keys AS (SELECT DISTINCT l.%1$I::text COLLATE "C" AS k FROM %2$s l '
        '               WHERE l.%1$I IS NOT NULL AND ($1 IS NULL OR l.%1$I::text COLLATE "C" > $1) '
        '               ORDER BY 1 LIMIT $2) '
        'SELECT coalesce(jsonb_agg(jsonb_build_object(''key'', l.%1$I::text, ''row'', to_jsonb(l)) '
        '                          ORDER BY l.%1$I::text COLLATE "C"), ''[]'') '
        '  FROM %2$s l WHERE l.%1$I::text COLLATE "C" IN (SELECT k FROM keys)',
        m.key_column, m.source)
      INTO result USING p_after, p_keys;
    RETURN result;
END
$$;

-- ------------------------------------------------------------ the back-fill

-- What is wrong with the mapped rows of a batch, per key: [{"column": target, "reason"}].
-- The same rules as the write API's (names, regions, owners, e-mails, contact roles,
-- the fields' schemas), checked set-based; the field schemas by the generated fast
-- check, and in words only for the values it refuses.
CREATE OR REPLACE FUNCTION steward_internal.legacy_row_errors(p_rows jsonb)
RETURNS TABLE (legacy_key text, errors jsonb)
LANGUAGE plpgsql STABLE AS $$
BEGIN
    -- One statement with the generated field check inlined (field_check_sql), so every
    -- value costs a few µs; the words (schema_errors) only for the values it refuses.
    RETURN QUERY EXECUTE format($q$
    WITH r AS (SELECT x.value AS r FROM jsonb_array_elements($1) x),
         known AS MATERIALIZED (SELECT steward_internal.regions() AS regions)
    SELECT r ->> 'key', jsonb_agg(e ORDER BY e ->> 'column')
      FROM r, known, LATERAL (
            SELECT jsonb_build_object('column', 'customer.name', 'reason', 'must not be empty') AS e
             WHERE coalesce(btrim(r #>> '{customer,name}'), '') = ''
            UNION ALL
            SELECT jsonb_build_object('column', 'customer.' || t.k, 'reason', format('must be at most %%s characters', t.n))
              FROM (VALUES ('name', 200), ('city', 200), ('external_ref', 200)) t(k, n)
             WHERE length(r -> 'customer' ->> t.k) > t.n
            UNION ALL
            SELECT jsonb_build_object('column', 'customer.region', 'reason',
                                      'must be one of ' || array_to_string(known.regions, ', '))
             WHERE NOT coalesce(r #>> '{customer,region}' = ANY (known.regions), false)
            UNION ALL
            SELECT jsonb_build_object('column', 'customer.owner', 'reason', 'is no active Steward user')
             WHERE r #>> '{customer,owner}' IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM public.users u WHERE u.login = r #>> '{customer,owner}' AND u.active)
            UNION ALL
            SELECT jsonb_build_object('column', 'customer.external_ref', 'reason', 'belongs to another customer')
             WHERE EXISTS (SELECT 1 FROM public.accounts a WHERE a.external_ref = r #>> '{customer,external_ref}')
            UNION ALL
            SELECT jsonb_build_object('column', format('contact.%%s.%%s', c.n - 1, p.problem), 'reason', p.reason)
              FROM jsonb_array_elements(coalesce(r -> 'contacts', '[]')) WITH ORDINALITY c(c, n),
                   LATERAL steward_internal.contact_problems(c.c) p
            UNION ALL
            SELECT jsonb_build_object('column', 'fields.' || f.key, 'reason',
                       CASE WHEN fc.key IS NULL THEN 'unknown field'
                            WHEN fc.derived THEN 'is derived and cannot be written'
                            ELSE (SELECT x.value #>> '{}' FROM jsonb_each(
                                      steward_internal.schema_errors(fc.schema, f.value, f.key)
                                      || steward_internal.check_errors(fc.checks, f.value, f.key)) x LIMIT 1) END)
              FROM jsonb_each(coalesce(r -> 'fields', '{}')) f
              LEFT JOIN public.field_catalog fc ON fc.key = f.key
             WHERE jsonb_typeof(f.value) <> 'null'
               AND NOT coalesce(%s, false)
           ) problems
     GROUP BY r ->> 'key'
    $q$, steward_internal.field_check_sql()) USING p_rows;
END
$$;

-- One batch of the back-fill, in one transaction: the rows of p_rows (mapped by the
-- caller: [{"key", "customer": {name, city, region, owner, external_ref},
-- "contacts": [{full_name, email, phone, roles}], "fields": {key: value}}]) whose key has
-- not moved yet become customers with their contacts and fields; rows the database
-- refuses, and those the caller refused (p_refused: [{"key", "row", "errors"}]), are
-- recorded with their reasons; the move's place (p_last_key) and counts advance. Run
-- again after a crash, it continues where the last committed batch ended, and a key
-- that moved is never moved twice. The derived data (history, projection, search words)
-- is written set-based, not row by row by the triggers; every customer gets its
-- customer.created event. Admins.
CREATE OR REPLACE FUNCTION steward_api.legacy_backfill_batch(
    p_source text, p_rows jsonb, p_refused jsonb DEFAULT '[]', p_last_key text DEFAULT NULL,
    p_read bigint DEFAULT 0, p_duplicates bigint DEFAULT 0, p_context jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me record;
    m public.legacy_moves;
    prefix text := left(replace(gen_random_uuid()::text, '-', ''), 16);
    contact_prefix text := left(replace(gen_random_uuid()::text, '-', ''), 16);
    lo uuid := (prefix || '8000000000000000')::uuid;
    hi uuid := (prefix || '8fffffffffffffff')::uuid;
    good jsonb;
    server_refused jsonb;
    written bigint;
    skipped bigint;
    refused_count bigint;
    correlation text;
    saved_nestloop text;
    saved_jit text;
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    PERFORM steward_internal.require_admin(me.role, 'move legacy data');
    m := steward_internal.legacy_move(p_source, true);
    IF m.state <> 'open' THEN
        PERFORM steward_internal.fail('SW410', format('The move of %s was contracted.', p_source));
    END IF;
    IF jsonb_typeof(p_rows) IS DISTINCT FROM 'array' OR jsonb_typeof(coalesce(p_refused, '[]')) <> 'array'
       OR jsonb_array_length(p_rows) + jsonb_array_length(coalesce(p_refused, '[]')) > 20000 THEN
        PERFORM steward_internal.invalid('A batch is a list of at most 20,000 rows.', jsonb_build_object('rows', 'must be a list'));
    END IF;
    IF EXISTS (SELECT 1 FROM jsonb_array_elements(p_rows) r
                WHERE jsonb_typeof(r) <> 'object' OR coalesce(r ->> 'key', '') = ''
                   OR jsonb_typeof(coalesce(r -> 'customer', 'null')) <> 'object'
                   OR jsonb_typeof(coalesce(r -> 'fields', '{}')) <> 'object'
                   OR jsonb_typeof(coalesce(r -> 'contacts', '[]')) <> 'array') THEN
        PERFORM steward_internal.invalid('Every row needs a key, a customer, fields and contacts.',
                                         jsonb_build_object('rows', 'malformed row'));
    END IF;
    IF (SELECT count(*) <> count(DISTINCT r ->> 'key') FROM jsonb_array_elements(p_rows) r) THEN
        PERFORM steward_internal.invalid('A key appears twice in the batch.', jsonb_build_object('rows', 'duplicate key'));
    END IF;

    SELECT coalesce(jsonb_agg(jsonb_build_object('key', legacy_key, 'errors', errors)), '[]')
      INTO server_refused FROM steward_internal.legacy_row_errors(p_rows);
    -- The rows that move now: not moved before, not refused; each with its new ids,
    -- consecutive under one random prefix, so the batch is one range of ids.
    SELECT coalesce(jsonb_agg(r || jsonb_build_object(
               'id', (prefix || '8' || lpad(to_hex(n), 15, '0'))::uuid,
               'contact_ids', (SELECT coalesce(jsonb_agg((contact_prefix || '8' || lpad(to_hex(n * 64 + j), 15, '0'))::uuid
                                                         ORDER BY j), '[]')
                                 FROM generate_series(1, least(jsonb_array_length(coalesce(r -> 'contacts', '[]')), 63)) j))
               ORDER BY n), '[]')
      INTO good
      FROM jsonb_array_elements(p_rows) WITH ORDINALITY x(r, n)
     WHERE NOT EXISTS (SELECT 1 FROM public.legacy_links k WHERE k.source = p_source AND k.legacy_key = r ->> 'key')
       AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(server_refused) s WHERE s ->> 'key' = r ->> 'key');
    skipped := (SELECT count(*) FROM jsonb_array_elements(p_rows) r
                 WHERE EXISTS (SELECT 1 FROM public.legacy_links k WHERE k.source = p_source AND k.legacy_key = r ->> 'key'));
    written := jsonb_array_length(good);
    correlation := steward_internal.correlation_id();

    IF written > 0 THEN
        PERFORM steward_internal.begin_bulk_write();
        INSERT INTO public.accounts (id, name, city, region, owner_id, external_ref)
        SELECT (g ->> 'id')::uuid, btrim(g #>> '{customer,name}'), nullif(btrim(g #>> '{customer,city}'), ''),
               g #>> '{customer,region}', (SELECT u.id FROM public.users u WHERE u.login = g #>> '{customer,owner}'),
               nullif(btrim(g #>> '{customer,external_ref}'), '')
          FROM jsonb_array_elements(good) g;
        INSERT INTO public.contacts (id, full_name, email, phone)
        SELECT (ids.id #>> '{}')::uuid, btrim(c.c ->> 'full_name'), nullif(btrim(c.c ->> 'email'), ''),
               nullif(btrim(c.c ->> 'phone'), '')
          FROM jsonb_array_elements(good) g,
               jsonb_array_elements(g -> 'contacts') WITH ORDINALITY c(c, n)
          JOIN LATERAL (SELECT g -> 'contact_ids' -> (c.n::integer - 1) AS id) ids ON ids.id IS NOT NULL;
        INSERT INTO public.contact_roles (contact_id, account_id, role)
        SELECT DISTINCT (g -> 'contact_ids' ->> (c.n::integer - 1))::uuid, (g ->> 'id')::uuid, role.role
          FROM jsonb_array_elements(good) g,
               jsonb_array_elements(g -> 'contacts') WITH ORDINALITY c(c, n),
               jsonb_array_elements_text(c.c -> 'roles') role(role)
         WHERE g -> 'contact_ids' ->> (c.n::integer - 1) IS NOT NULL;
        INSERT INTO public.field_values (customer_id, field_key, value, updated_by)
        SELECT (g ->> 'id')::uuid, f.key, f.value, me.user_id
          FROM jsonb_array_elements(good) g, jsonb_each(g -> 'fields') f
         WHERE jsonb_typeof(f.value) <> 'null';
        -- What the triggers would have written, set-based.
        INSERT INTO public.field_history (customer_id, field_key, old_value, new_value, changed_by, source, correlation_id)
        SELECT (g ->> 'id')::uuid, f.key, NULL, f.value, me.user_id, 'legacy', correlation
          FROM jsonb_array_elements(good) g, jsonb_each(g -> 'fields') f
         WHERE jsonb_typeof(f.value) <> 'null';
        -- The batch's rows are new to the planner's statistics, which guess one row per range
        -- and would join by nested loops over thousands (seconds); hash joins take the range once.
        saved_nestloop := current_setting('enable_nestloop');
        saved_jit := current_setting('jit');
        PERFORM set_config('enable_nestloop', 'off', true), set_config('jit', 'off', true);
        PERFORM steward_internal.repair_projection(lo, hi, NULL);
        -- The range holds only this batch's new customers: their words are all new too.
        INSERT INTO public.cm_customer_words (word, name, customer_id, region)
        SELECT word, name, customer_id, region FROM public.hot_words_truth(lo, hi);
        PERFORM set_config('enable_nestloop', saved_nestloop, true), set_config('jit', saved_jit, true);
        PERFORM steward_internal.end_bulk_write();
        INSERT INTO public.event_outbox (id, type, correlation_id, actor, customer_id, data)
        SELECT gen_random_uuid(), 'customer.created', correlation, me.actor, (g ->> 'id')::uuid,
               jsonb_build_object('customerId', g ->> 'id', 'name', btrim(g #>> '{customer,name}'),
                                  'city', nullif(btrim(g #>> '{customer,city}'), ''), 'region', g #>> '{customer,region}',
                                  'ownerId', (SELECT u.id FROM public.users u WHERE u.login = g #>> '{customer,owner}'),
                                  'isChain', false, 'parentAccountId', NULL,
                                  'source', 'legacy', 'legacySource', p_source, 'legacyKey', g ->> 'key')
          FROM jsonb_array_elements(good) g;
        INSERT INTO public.legacy_links (source, legacy_key, customer_id, contact_id)
        SELECT p_source, g ->> 'key', (g ->> 'id')::uuid, (g -> 'contact_ids' ->> 0)::uuid
          FROM jsonb_array_elements(good) g;
    END IF;

    INSERT INTO public.legacy_refusals AS f (source, legacy_key, row_number, errors)
    SELECT p_source, x ->> 'key', (x ->> 'row')::bigint, x -> 'errors'
      FROM (SELECT x FROM jsonb_array_elements(coalesce(p_refused, '[]')) x
            UNION ALL SELECT x FROM jsonb_array_elements(server_refused) x) refused
     WHERE coalesce(x ->> 'key', '') <> ''
    ON CONFLICT (source, legacy_key) DO UPDATE SET errors = EXCLUDED.errors, row_number = EXCLUDED.row_number,
                                                   refused_at = now();
    refused_count := jsonb_array_length(coalesce(p_refused, '[]')) + jsonb_array_length(server_refused);
    UPDATE public.legacy_moves
       SET last_key = CASE WHEN p_last_key IS NOT NULL AND (last_key IS NULL OR p_last_key COLLATE "C" > last_key COLLATE "C")
                           THEN p_last_key ELSE last_key END,
           rows_read = rows_read + greatest(coalesce(p_read, 0), 0),
           rows_written = rows_written + written,
           rows_refused = rows_refused + refused_count,
           duplicates = duplicates + greatest(coalesce(p_duplicates, 0), 0),
           started_at = coalesce(started_at, now()), updated_at = now()
     WHERE source = p_source;
    RETURN jsonb_build_object('written', written, 'skipped', skipped, 'refused', server_refused);
END
$$;

-- The back-fill reached the end of the source.
CREATE OR REPLACE FUNCTION steward_api.legacy_backfill_done(p_source text, p_context jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me record;
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    PERFORM steward_internal.require_admin(me.role, 'move legacy data');
    PERFORM steward_internal.legacy_move(p_source, true);
    UPDATE public.legacy_moves SET finished_at = now(), updated_at = now() WHERE source = p_source;
    RETURN to_jsonb(steward_internal.legacy_move(p_source)) - 'mapping';
END
$$;

-- Undo the back-fill (before contract, with both switches off): the customers and
-- contacts it made are deleted, its links and refusals forgotten, its place reset.
CREATE OR REPLACE FUNCTION steward_api.legacy_reset(p_source text, p_context jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me record;
    m public.legacy_moves;
    v_customers uuid[];
    v_contacts uuid[];
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    PERFORM steward_internal.require_admin(me.role, 'move legacy data');
    m := steward_internal.legacy_move(p_source, true);
    IF m.state <> 'open' THEN
        PERFORM steward_internal.fail('SW410', format('The move of %s was contracted; it cannot be undone.', p_source));
    END IF;
    IF m.dual_write OR m.read_switch THEN
        PERFORM steward_internal.fail('SW412', 'Switch dual-write and the read switch off before undoing the back-fill.');
    END IF;
    SELECT coalesce(array_agg(customer_id ORDER BY customer_id), '{}'), coalesce(array_agg(contact_id) FILTER (WHERE contact_id IS NOT NULL), '{}')
      INTO v_customers, v_contacts FROM public.legacy_links WHERE source = p_source;
    PERFORM 1 FROM public.accounts WHERE id = ANY (v_customers) ORDER BY id FOR UPDATE;
    DELETE FROM public.legacy_links WHERE source = p_source;
    DELETE FROM public.legacy_refusals WHERE source = p_source;
    DELETE FROM public.contacts WHERE id IN (SELECT r.contact_id FROM public.contact_roles r WHERE r.account_id = ANY (v_customers))
                                   AND NOT EXISTS (SELECT 1 FROM public.contact_roles r
                                                    WHERE r.contact_id = contacts.id AND NOT r.account_id = ANY (v_customers));
    DELETE FROM public.contacts WHERE id = ANY (v_contacts);
    -- As a bulk write: the history of values that vanish with their customer is not kept.
    PERFORM steward_internal.begin_bulk_write();
    DELETE FROM public.cm_customer_words WHERE customer_id = ANY (v_customers);
    DELETE FROM public.accounts WHERE id = ANY (v_customers);
    PERFORM steward_internal.end_bulk_write();
    UPDATE public.legacy_moves
       SET last_key = NULL, rows_read = 0, rows_written = 0, rows_refused = 0, duplicates = 0, started_at = NULL,
           finished_at = NULL, validated_at = NULL, validation = NULL, updated_at = now()
     WHERE source = p_source;
    RETURN jsonb_build_object('customers', cardinality(v_customers));
END
$$;

-- The validation's report (services/service_layer/legacy.py), kept for contract.
CREATE OR REPLACE FUNCTION steward_api.legacy_record_validation(p_source text, p_report jsonb, p_context jsonb DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me record;
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    PERFORM steward_internal.require_admin(me.role, 'move legacy data');
    PERFORM steward_internal.legacy_move(p_source, true);
    IF jsonb_typeof(p_report) IS DISTINCT FROM 'object' THEN
        PERFORM steward_internal.invalid('The report is an object.', jsonb_build_object('report', 'must be an object'));
    END IF;
    UPDATE public.legacy_moves SET validation = p_report, validated_at = now(), updated_at = now() WHERE source = p_source;
END
$$;

-- --------------------------------------------------- Steward's values, legacy-shaped

-- One value as the legacy column holds it: in the legacy table's own text formats (so
-- that reading the row again through the mapping gives the same value back) when the
-- column is text, else as JSON for jsonb_populate_record.
CREATE OR REPLACE FUNCTION steward_internal.legacy_format(p_value jsonb, p_spec jsonb, p_column_type text)
RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    text_column boolean := p_column_type IN ('text', 'character varying', 'character');
    v text := p_value #>> '{}';
BEGIN
    IF p_value IS NULL OR jsonb_typeof(p_value) = 'null' THEN
        RETURN 'null';
    END IF;
    IF p_spec -> 'write' ? v THEN
        RETURN p_spec -> 'write' -> v;
    END IF;
    IF NOT text_column THEN
        RETURN p_value;
    END IF;
    CASE p_spec ->> 'type'
    WHEN 'date' THEN
        RETURN CASE WHEN steward_internal.is_iso_date(v) THEN to_jsonb(to_char(v::date, 'DD.MM.YYYY')) ELSE to_jsonb(v) END;
    WHEN 'number' THEN
        RETURN to_jsonb(replace(v, '.', coalesce(p_spec ->> 'decimal', ',')));
    WHEN 'boolean' THEN
        RETURN to_jsonb(CASE WHEN v = 'true' THEN coalesce(p_spec ->> 'true', 'ja') ELSE coalesce(p_spec ->> 'false', 'nein') END);
    ELSE
        RETURN to_jsonb(v);
    END CASE;
END
$$;

-- A customer's data in the legacy table's columns, for every column the mapping reads
-- without a template: {column: value}. The first contact of the mapping is the one the
-- legacy row came with.
CREATE OR REPLACE FUNCTION steward_internal.legacy_values(p_source text, p_customer uuid) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
DECLARE
    m public.legacy_moves;
    account jsonb;
    contact jsonb;
    fields jsonb;
    types jsonb;
    result jsonb := '{}';
    target text;
    spec jsonb;
    v jsonb;
BEGIN
    SELECT * INTO m FROM public.legacy_moves WHERE source = p_source;
    IF NOT FOUND OR to_regclass(p_source) IS NULL THEN
        RETURN '{}';
    END IF;
    SELECT to_jsonb(a) || jsonb_build_object('owner', u.login) INTO account
      FROM public.accounts a LEFT JOIN public.users u ON u.id = a.owner_id WHERE a.id = p_customer;
    IF account IS NULL THEN
        RETURN '{}';
    END IF;
    SELECT to_jsonb(c) INTO contact
      FROM public.legacy_links k JOIN public.contacts c ON c.id = k.contact_id
     WHERE k.source = p_source AND k.customer_id = p_customer;
    SELECT coalesce(jsonb_object_agg(fv.field_key, fv.value), '{}') INTO fields
      FROM public.field_values fv WHERE fv.customer_id = p_customer;
    SELECT jsonb_object_agg(a.attname, format_type(a.atttypid, NULL)) INTO types
      FROM pg_attribute a WHERE a.attrelid = to_regclass(p_source) AND a.attnum > 0 AND NOT a.attisdropped;

    FOR target, spec IN SELECT key, value FROM jsonb_each(coalesce(m.mapping -> 'customer', '{}')) LOOP
        IF spec ? 'column' AND NOT spec ? 'template' AND spec ->> 'column' <> m.key_column THEN
            result := result || jsonb_build_object(spec ->> 'column',
                steward_internal.legacy_format(account -> target, spec, types ->> (spec ->> 'column')));
        END IF;
    END LOOP;
    IF contact IS NOT NULL AND jsonb_array_length(coalesce(m.mapping -> 'contacts', '[]')) > 0 THEN
        FOR target, spec IN SELECT key, value FROM jsonb_each(m.mapping -> 'contacts' -> 0)
                             WHERE jsonb_typeof(value) = 'object' LOOP
            IF spec ? 'column' AND NOT spec ? 'template' THEN
                result := result || jsonb_build_object(spec ->> 'column',
                    steward_internal.legacy_format(contact -> target, spec, types ->> (spec ->> 'column')));
            END IF;
        END LOOP;
    END IF;
    FOR target, spec IN SELECT key, value FROM jsonb_each(coalesce(m.mapping -> 'fields', '{}')) LOOP
        IF spec ? 'column' AND NOT spec ? 'template' THEN
            v := fields #> string_to_array(target, '.');
            result := result || jsonb_build_object(spec ->> 'column',
                steward_internal.legacy_format(v, spec, types ->> (spec ->> 'column')));
        END IF;
    END LOOP;
    RETURN result;
END
$$;

-- For the read view legacy.<name>_current: the values of a customer that moved from
-- this source, while its read switch is on (nothing otherwise). Runs as the owner, so a
-- legacy reader that is granted the view (and this) needs no rights on Steward's tables.
CREATE OR REPLACE FUNCTION public.steward_legacy_values(p_source text, p_customer uuid) RETURNS jsonb
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT CASE WHEN EXISTS (SELECT 1 FROM public.legacy_moves m JOIN public.legacy_links k ON k.source = m.source
                              WHERE m.source = p_source AND m.read_switch AND m.state = 'open'
                                AND k.customer_id = p_customer)
                THEN steward_internal.legacy_values(p_source, p_customer) ELSE '{}'::jsonb END
$$;

-- ------------------------------------------------------------- dual-write

-- Write Steward's values back into the legacy rows of these customers, for every move
-- with dual-write on; in the caller's transaction, so both sides change or neither.
CREATE OR REPLACE FUNCTION steward_internal.legacy_write_back(p_customers uuid[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    link record;
    vals jsonb;
    sets text;
BEGIN
    FOR link IN SELECT k.source, k.legacy_key, k.customer_id, m.key_column
                  FROM public.legacy_links k JOIN public.legacy_moves m ON m.source = k.source
                 WHERE k.customer_id = ANY (p_customers) AND m.dual_write AND m.state = 'open'
                 ORDER BY k.source, k.legacy_key LOOP
        vals := steward_internal.legacy_values(link.source, link.customer_id);
        SELECT string_agg(format('%I = (x.r).%I', key, key), ', ') INTO sets FROM jsonb_object_keys(vals) key;
        IF sets IS NOT NULL THEN
            EXECUTE format('UPDATE %s AS l SET %s FROM (SELECT jsonb_populate_record(NULL::%s, $1) AS r) x '
                           'WHERE l.%I::text = $2', link.source, sets, link.source, link.key_column)
              USING vals, link.legacy_key;
        END IF;
    END LOOP;
END
$$;

CREATE OR REPLACE FUNCTION public.legacy_dual_write_row() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF steward_internal.bulk_write_active() THEN
        RETURN NULL;
    END IF;
    IF TG_TABLE_NAME = 'accounts' THEN
        PERFORM steward_internal.legacy_write_back(ARRAY[NEW.id]);
    ELSE  -- contacts
        PERFORM steward_internal.legacy_write_back(
            ARRAY(SELECT k.customer_id FROM public.legacy_links k WHERE k.contact_id = NEW.id));
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION public.legacy_dual_write_fields() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF steward_internal.bulk_write_active() THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'DELETE' THEN
        PERFORM steward_internal.legacy_write_back(ARRAY(SELECT DISTINCT customer_id FROM old_rows));
    ELSE
        PERFORM steward_internal.legacy_write_back(ARRAY(SELECT DISTINCT customer_id FROM new_rows));
    END IF;
    RETURN NULL;
END
$$;

-- The triggers exist only while some move has dual-write on (no cost otherwise).
CREATE OR REPLACE FUNCTION steward_internal.legacy_dual_write_triggers() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM public.legacy_moves WHERE dual_write AND state = 'open') THEN
        CREATE OR REPLACE TRIGGER legacy_dual_write AFTER UPDATE ON public.accounts
        FOR EACH ROW EXECUTE FUNCTION public.legacy_dual_write_row();
        CREATE OR REPLACE TRIGGER legacy_dual_write AFTER UPDATE ON public.contacts
        FOR EACH ROW EXECUTE FUNCTION public.legacy_dual_write_row();
        CREATE OR REPLACE TRIGGER legacy_dual_write_insert AFTER INSERT ON public.field_values
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.legacy_dual_write_fields();
        CREATE OR REPLACE TRIGGER legacy_dual_write_update AFTER UPDATE ON public.field_values
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.legacy_dual_write_fields();
        CREATE OR REPLACE TRIGGER legacy_dual_write_delete AFTER DELETE ON public.field_values
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.legacy_dual_write_fields();
    ELSE
        DROP TRIGGER IF EXISTS legacy_dual_write ON public.accounts;
        DROP TRIGGER IF EXISTS legacy_dual_write ON public.contacts;
        DROP TRIGGER IF EXISTS legacy_dual_write_insert ON public.field_values;
        DROP TRIGGER IF EXISTS legacy_dual_write_update ON public.field_values;
        DROP TRIGGER IF EXISTS legacy_dual_write_delete ON public.field_values;
    END IF;
END
$$;

-- Switch dual-write or the read switch of a move on or off (both reversible until
-- contract). With dual-write on, every write through Steward to a moved customer (its
-- master data, its legacy contact, its fields) writes the legacy row too. Admins.
CREATE OR REPLACE FUNCTION steward_api.legacy_switch(p_source text, p_switch text, p_on boolean,
                                                    p_context jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me record;
    m public.legacy_moves;
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    PERFORM steward_internal.require_admin(me.role, 'move legacy data');
    PERFORM steward_internal.one_of(p_switch, 'switch', ARRAY['dual_write', 'read_switch']);
    IF p_on IS NULL THEN
        PERFORM steward_internal.invalid('Say on or off.', jsonb_build_object('on', 'required'));
    END IF;
    m := steward_internal.legacy_move(p_source, true);
    IF m.state <> 'open' THEN
        PERFORM steward_internal.fail('SW410', format('The move of %s was contracted; its switches are gone.', p_source));
    END IF;
    IF to_regclass(p_source) IS NULL THEN
        PERFORM steward_internal.fail('SW404', format('There is no table %s.', p_source));
    END IF;
    IF p_switch = 'dual_write' THEN
        UPDATE public.legacy_moves SET dual_write = p_on, updated_at = now() WHERE source = p_source;
        PERFORM steward_internal.legacy_dual_write_triggers();
    ELSE
        UPDATE public.legacy_moves SET read_switch = p_on, updated_at = now() WHERE source = p_source;
    END IF;
    RETURN to_jsonb(steward_internal.legacy_move(p_source)) - 'mapping';
END
$$;

-- ---------------------------------------------------------------- contract

-- The last step, the owner's only (no person may drop tables): the legacy path goes --
-- dual-write triggers, read view, and (unless p_keep_table) the legacy table with the
-- personal data it still holds -- once the recorded validation is clean and recent.
-- services/service_layer/legacy.py validates first and asks the admin to confirm.
CREATE OR REPLACE FUNCTION steward_internal.legacy_contract(p_source text, p_keep_table boolean) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    m public.legacy_moves;
BEGIN
    IF NOT steward_internal.is_system() THEN
        PERFORM steward_internal.fail('SW403', 'Only the database owner contracts a legacy move.');
    END IF;
    m := steward_internal.legacy_move(p_source, true);
    IF m.state <> 'open' THEN
        PERFORM steward_internal.fail('SW410', format('The move of %s was contracted already.', p_source));
    END IF;
    IF m.validated_at IS NULL OR m.validated_at < now() - interval '1 hour'
       OR coalesce((m.validation ->> 'clean')::boolean, false) IS NOT TRUE THEN
        PERFORM steward_internal.fail('SW412', 'Contract only right after a clean validation (steward migrate legacy validate).');
    END IF;
    UPDATE public.legacy_moves
       SET state = 'contracted', dual_write = false, read_switch = false, contracted_at = now(), updated_at = now()
     WHERE source = p_source;
    PERFORM steward_internal.legacy_dual_write_triggers();
    EXECUTE format('DROP VIEW IF EXISTS legacy.%I', split_part(p_source, '.', 2) || '_current');
    IF NOT p_keep_table AND to_regclass(p_source) IS NOT NULL THEN
        IF (SELECT relkind FROM pg_class WHERE oid = to_regclass(p_source)) = 'v' THEN
            EXECUTE format('DROP VIEW %s', p_source);
        ELSE
            EXECUTE format('DROP TABLE %s', p_source);
        END IF;
    END IF;
    RETURN to_jsonb(steward_internal.legacy_move(p_source)) - 'mapping';
END
$$;

-- ------------------------------------------------------- loading a file

-- A legacy export (CSV/XLSX, read by services/service_layer/mapping.py) as a table in
-- schema legacy: text columns, one row per line. Creates the table when it is new
-- (the columns must then be given), appends otherwise. Admins.
CREATE OR REPLACE FUNCTION steward_api.legacy_load_rows(p_table text, p_columns text[], p_rows jsonb,
                                                       p_context jsonb DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me record;
    rel regclass;
    bad text;
    loaded bigint;
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    PERFORM steward_internal.require_admin(me.role, 'load legacy data');
    IF p_table IS NULL OR p_table !~ '^legacy\.[a-z_][a-z0-9_]{0,62}$' THEN
        PERFORM steward_internal.invalid('Load into legacy.<lower-case name>.', jsonb_build_object('table', 'must be legacy.<name>'));
    END IF;
    SELECT c INTO bad FROM unnest(p_columns) c WHERE c IS NULL OR c !~ '^[a-z_][a-z0-9_]{0,62}$' LIMIT 1;
    IF bad IS NOT NULL OR cardinality(p_columns) = 0 OR cardinality(p_columns) > 200
       OR (SELECT count(DISTINCT c) FROM unnest(p_columns) c) <> cardinality(p_columns) THEN
        PERFORM steward_internal.invalid('Columns are distinct lower-case names (letters, digits, _).',
                                         jsonb_build_object('columns', format('%s is not a column name', coalesce(bad, 'a column'))));
    END IF;
    IF jsonb_typeof(p_rows) IS DISTINCT FROM 'array' OR jsonb_array_length(p_rows) > 50000 THEN
        PERFORM steward_internal.invalid('Rows are a list of at most 50,000.', jsonb_build_object('rows', 'must be a list'));
    END IF;
    rel := to_regclass(p_table);
    IF rel IS NULL THEN
        EXECUTE format('CREATE TABLE %s (%s)', p_table,
                       (SELECT string_agg(format('%I text', c), ', ' ORDER BY n) FROM unnest(p_columns) WITH ORDINALITY x(c, n)));
        rel := to_regclass(p_table);
    ELSIF EXISTS (SELECT 1 FROM public.legacy_moves WHERE source = p_table AND state = 'contracted') THEN
        PERFORM steward_internal.fail('SW410', format('%s was contracted.', p_table));
    END IF;
    PERFORM steward_internal.legacy_check_source(p_table, p_columns[1], p_columns);
    EXECUTE format('INSERT INTO %s (%s) SELECT %s FROM jsonb_populate_recordset(NULL::%s, $1) r', rel,
                   (SELECT string_agg(format('%I', c), ', ') FROM unnest(p_columns) c),
                   (SELECT string_agg(format('r.%I', c), ', ') FROM unnest(p_columns) c), rel)
      USING p_rows;
    GET DIAGNOSTICS loaded = ROW_COUNT;
    RETURN loaded;
END
$$;

-- ------------------------------------------------------------------- status

-- Where a move stands: its switches and counts, and the source's rows and keys now.
CREATE OR REPLACE FUNCTION steward_api.legacy_status(p_source text, p_context jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me record;
    m public.legacy_moves;
    source_rows bigint;
    source_keys bigint;
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    PERFORM steward_internal.require_admin(me.role, 'move legacy data');
    m := steward_internal.legacy_move(p_source);
    IF to_regclass(p_source) IS NOT NULL THEN
        EXECUTE format('SELECT count(*), count(DISTINCT %I::text) FROM %s WHERE %I IS NOT NULL',
                       m.key_column, m.source, m.key_column)
          INTO source_rows, source_keys;
    END IF;
    RETURN (to_jsonb(m) - 'mapping') || jsonb_build_object(
        'source_rows', source_rows, 'source_keys', source_keys,
        'linked', (SELECT count(*) FROM public.legacy_links WHERE source = p_source),
        'refused', (SELECT count(*) FROM public.legacy_refusals WHERE source = p_source),
        'mapping', m.mapping);
END
$$;
