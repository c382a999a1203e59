-- Personal data of contacts (GDPR): find it wherever it went, replace it, export it.
--
-- A contact's personal values are their name, e-mail and phone: the ones the contact
-- row holds now, the earlier ones the outbox still carries (customer.contact.updated),
-- and the raw ones of the legacy rows they came from (43_legacy.sql). Those values
-- travel: into event payloads, the inbox (a bounce names the e-mail), dead letters,
-- sample requests (contact e-mail), activity notes, field values and their audit
-- history (a list of decision makers), archived activities, the legacy table. So the
-- search does not rely on a list of places: it reads the catalog and looks at every
-- text and JSON column of every table in schemas public and legacy, except
--   * reference data, the schema's own bookkeeping and the people who use Steward
--     (users): no contact's data goes there;
--   * the customers' master data (accounts, the projection, its search words): a
--     business's name is not a contact's, even when it carries a family name;
--   * the cockpit's aggregates (kpi_*): counts and codes only.
-- A table added later is searched without anyone touching this file.
--
-- Where: a full search reads every row (`steward privacy erase`, on request); a scoped
-- one (retention, many contacts at a time) reads the rows of the customers the
-- contacts belong to wherever a table says whose rows they are (customer_id,
-- account_id, sample_id, a legacy key linked to the customer, the contact itself) and
-- every row of the tables that do not (inbox, dead letters, audit, ...). Each row is
-- searched for the values of the contacts of its own customer (a few, however many
-- contacts a batch anonymises); rows of tables that say of no one, for all of them.
-- Other contacts' rows are never changed: a namesake is another person.
-- A value is found case-insensitively inside a text (or inside a JSON string, escaped as
-- JSON escapes it) and replaced by a value of its kind ("Anonymised",
-- anonymised@example.invalid, "(anonymised)").
--
-- The audit tables (field_history, sample_status_history, retention_runs, ...) take no
-- UPDATE from anyone; these functions run as the owner, and the triggers that would
-- write the change into the history step aside (a bulk write, 40_operations.sql), so
-- the original value is not copied into a new history row.

CREATE OR REPLACE FUNCTION steward_internal.regex_literal(p_text text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT regexp_replace(p_text, '([.^$*+?()[\]{}|\\])', '\\\1', 'g')
$$;

-- A text as it appears inside a JSON string (without the quotes).
CREATE OR REPLACE FUNCTION steward_internal.json_escaped(p_text text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT substr(to_jsonb(p_text)::text, 2, length(to_jsonb(p_text)::text) - 2)
$$;

-- What replaces a personal value of each kind: still the shape of its kind, never a person.
CREATE OR REPLACE FUNCTION steward_internal.anonymous_value(p_kind text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE p_kind WHEN 'email' THEN 'anonymised@example.invalid'
                       WHEN 'phone' THEN '(anonymised)'
                       ELSE 'Anonymised' END
$$;

-- {"names": [...], "emails": [...], "phones": [...]} → [{"from": value, "to": replacement,
-- "find": lowercased, "find_json": lowercased as inside a JSON string}], longest first (so "Anna Maria Schulz" goes before "Anna Maria"). Values shorter than
-- four characters are left out: replacing every "Max" in every text is no anonymisation.
CREATE OR REPLACE FUNCTION steward_internal.personal_pairs(p_values jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(jsonb_agg(jsonb_build_object('from', v, 'to', steward_internal.anonymous_value(kind),
                                                 'find', lower(v), 'find_json', lower(steward_internal.json_escaped(v)))
                              ORDER BY length(v) DESC, v), '[]')
      FROM (SELECT DISTINCT ON (lower(btrim(x.value))) btrim(x.value) AS v, k.kind
              FROM (VALUES ('names', 'name'), ('emails', 'email'), ('phones', 'phone')) AS k(key, kind),
                   jsonb_array_elements_text(coalesce(p_values -> k.key, '[]')) AS x(value)
             WHERE length(btrim(x.value)) >= 4
               AND btrim(x.value) NOT IN (steward_internal.anonymous_value('name'), steward_internal.anonymous_value('email'),
                                          steward_internal.anonymous_value('phone'), 'Anonymised contact')
             ORDER BY lower(btrim(x.value)), k.kind) AS d
$$;

-- A text with every personal value replaced (case-insensitively).
CREATE OR REPLACE FUNCTION steward_internal.scrub_text(p_text text, p_pairs jsonb) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    pair jsonb;
    result text := p_text;
BEGIN
    FOR pair IN SELECT jsonb_array_elements(p_pairs) LOOP
        result := regexp_replace(result, '***=' || (pair ->> 'from'), pair ->> 'to', 'gi');
    END LOOP;
    RETURN result;
END
$$;

-- The same inside a JSON value: keys and strings alike, as its text shows them.
CREATE OR REPLACE FUNCTION steward_internal.scrub_json(p_value jsonb, p_pairs jsonb) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    pair jsonb;
    result text := p_value::text;
BEGIN
    FOR pair IN SELECT jsonb_array_elements(p_pairs) LOOP
        result := regexp_replace(result, '***=' || steward_internal.json_escaped(pair ->> 'from'),
                                 steward_internal.json_escaped(pair ->> 'to'), 'gi');
    END LOOP;
    RETURN result::jsonb;
END
$$;

-- The tables and columns searched, and how a scoped search finds the rows of some
-- customers in each (see the header): 'customer_id', 'account_id', 'sample_id',
-- 'contact', 'legacy' (a legacy table with a move) or 'all'.
CREATE OR REPLACE FUNCTION steward_internal.personal_data_columns()
RETURNS TABLE (relation regclass, schema_name text, table_name text, columns text[], json boolean[], scope text)
LANGUAGE sql STABLE AS $$
    SELECT c.oid::regclass, n.nspname::text, c.relname::text,
           array_agg(a.attname::text ORDER BY a.attnum),
           array_agg(a.atttypid IN ('jsonb'::regtype, 'json'::regtype) ORDER BY a.attnum),
           CASE WHEN n.nspname = 'public' AND c.relname = 'contacts' THEN 'contact'
                WHEN n.nspname = 'legacy' AND EXISTS (SELECT 1 FROM public.legacy_moves m
                                                       WHERE m.source = n.nspname || '.' || c.relname) THEN 'legacy'
                WHEN EXISTS (SELECT 1 FROM pg_attribute k WHERE k.attrelid = c.oid AND k.attname = 'customer_id'
                               AND k.atttypid = 'uuid'::regtype AND NOT k.attisdropped) THEN 'customer_id'
                WHEN EXISTS (SELECT 1 FROM pg_attribute k WHERE k.attrelid = c.oid AND k.attname = 'account_id'
                               AND k.atttypid = 'uuid'::regtype AND NOT k.attisdropped) THEN 'account_id'
                WHEN EXISTS (SELECT 1 FROM pg_attribute k WHERE k.attrelid = c.oid AND k.attname = 'sample_id'
                               AND k.atttypid = 'uuid'::regtype AND NOT k.attisdropped) THEN 'sample_id'
                ELSE 'all' END
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
                         AND a.atttypid IN ('text'::regtype, 'varchar'::regtype, 'bpchar'::regtype,
                                            'jsonb'::regtype, 'json'::regtype)
     WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
       AND n.nspname IN ('public', 'legacy')
       AND NOT (n.nspname = 'public' AND (c.relname LIKE 'kpi\_%' OR c.relname LIKE '\_yoyo%' OR c.relname IN (
               'yoyo_lock', 'steward_schema_state', 'hot_columns', 'pack_info', 'regions', 'field_catalog',
               'activity_kinds', 'products', 'sample_kits', 'sample_kit_items', 'sample_statuses',
               'sample_transitions', 'business_holidays', 'contact_role_types', 'users', 'user_chains',
               'consumer_checkpoints', 'daemon_jobs', 'daemon_heartbeats', 'backup_runs', 'bulk_writes',
               'accounts', 'cm_customer_hot_proj', 'cm_customer_words', 'legacy_moves')))
     GROUP BY c.oid, n.nspname, c.relname
$$;

DROP FUNCTION IF EXISTS steward_internal.personal_data_scope(text, text, text, boolean);
DROP FUNCTION IF EXISTS steward_internal.personal_data_scan(jsonb, uuid[], uuid[], boolean, text);
-- The condition that picks the rows of p_customers ($1) / p_contacts ($2) in a table of the
-- given scope (true for a full search), and the expression that names whose values a row
-- may hold: a customer's or a contact's id, '*' for every value searched for.
CREATE OR REPLACE FUNCTION steward_internal.personal_data_scope(
    p_schema text, p_table text, p_scope text, p_full boolean, OUT condition text, OUT whose text)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    m public.legacy_moves;
BEGIN
    IF p_scope = 'contact' THEN
        -- Another contact of the same name or address is another person: never theirs.
        condition := 'x.id = ANY ($2)';
        whose := CASE WHEN p_full THEN '''*''' ELSE 'x.id::text' END;
        RETURN;
    END IF;
    IF p_full OR p_scope = 'all' THEN
        condition := 'true';
        whose := '''*''';
        RETURN;
    END IF;
    CASE p_scope
    WHEN 'customer_id' THEN
        condition := 'x.customer_id = ANY ($1)';
        whose := 'x.customer_id::text';
    WHEN 'account_id' THEN
        condition := 'x.account_id = ANY ($1)';
        whose := 'x.account_id::text';
    WHEN 'sample_id' THEN
        condition := 'x.sample_id IN (SELECT s.id FROM public.sample_request s WHERE s.customer_id = ANY ($1) '
                     'UNION ALL SELECT s.id FROM public.sample_request_archive s WHERE s.customer_id = ANY ($1))';
        whose := '(SELECT s.customer_id::text FROM public.sample_request s WHERE s.id = x.sample_id '
                 'UNION ALL SELECT s.customer_id::text FROM public.sample_request_archive s WHERE s.id = x.sample_id '
                 'LIMIT 1)';
    ELSE  -- legacy
        SELECT * INTO m FROM public.legacy_moves WHERE source = p_schema || '.' || p_table;
        condition := format('x.%I::text IN (SELECT k.legacy_key FROM public.legacy_links k WHERE k.source = %L '
                            'AND (k.customer_id = ANY ($1) OR k.contact_id = ANY ($2)))', m.key_column, m.source);
        whose := format('(SELECT k.customer_id::text FROM public.legacy_links k WHERE k.source = %L '
                        'AND k.legacy_key = x.%I::text)', m.source, m.key_column);
    END CASE;
END
$$;

-- Find (p_mode 'count' or 'collect') or replace ('apply') personal values in every searched
-- column (see personal_data_columns). p_values says whose values are whose: {"<customer or
-- contact id>": pairs, "*": every pair} (values_by_owner); a row is searched for the values
-- of the customer or contact it belongs to, a row of a table that says of no one (and every
-- row of a full search) for all of them: a few values per row, however many contacts a
-- batch anonymises. Rows of p_customers and p_contacts only, unless p_full. Returns
-- {"counts": {"table.column": rows}, "rows": [{table, column, key, value}] (collect only),
-- "customers": [ids whose field values changed] (apply only)}.
CREATE OR REPLACE FUNCTION steward_internal.personal_data_scan(
    p_values jsonb, p_customers uuid[], p_contacts uuid[], p_full boolean, p_mode text)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    t record;
    i integer;
    col text;
    is_json boolean;
    scope record;
    pairs text;
    hit text;
    pk text;
    n bigint;
    counts jsonb := '{}';
    found jsonb := '[]';
    found_here jsonb;
    customers uuid[] := '{}';
    changed uuid[];
BEGIN
    IF p_values IS NULL OR jsonb_array_length(coalesce(p_values -> '*', '[]')) = 0 THEN
        RETURN jsonb_build_object('counts', counts, 'rows', found, 'customers', '[]'::jsonb);
    END IF;
    FOR t IN SELECT * FROM steward_internal.personal_data_columns() ORDER BY schema_name, table_name LOOP
        scope := steward_internal.personal_data_scope(t.schema_name, t.table_name, t.scope, p_full);
        pairs := format('coalesce($3 -> %s, ''[]'')', scope.whose);
        FOR i IN 1 .. cardinality(t.columns) LOOP
            col := t.columns[i];
            is_json := t.json[i];
            IF scope.whose = '''*''' THEN
                -- The same values for every row: written into the statement, no subquery per row.
                SELECT string_agg(format('strpos(lower(x.%I::text), %L) > 0', col,
                                         p ->> CASE WHEN is_json THEN 'find_json' ELSE 'find' END), ' OR ')
                  INTO hit FROM jsonb_array_elements(p_values -> '*') p;
                hit := '(' || hit || ')';
            ELSE
                hit := format('EXISTS (SELECT 1 FROM jsonb_array_elements(%s) p WHERE strpos(lower(x.%I::text), p ->> %L) > 0)',
                              pairs, col, CASE WHEN is_json THEN 'find_json' ELSE 'find' END);
            END IF;
            IF p_mode = 'apply' THEN
                EXECUTE format('WITH changed AS (UPDATE %s AS x SET %I = steward_internal.%s(x.%I, %s) '
                               'WHERE (%s) AND %s RETURNING %s) '
                               'SELECT count(*), array_agg(DISTINCT c) FILTER (WHERE c IS NOT NULL) FROM changed',
                               t.relation, col, CASE WHEN is_json THEN 'scrub_json' ELSE 'scrub_text' END, col, pairs,
                               scope.condition, hit,
                               CASE WHEN t.schema_name = 'public' AND t.table_name = 'field_values'
                                    THEN 'x.customer_id AS c' ELSE 'NULL::uuid AS c' END)
                  INTO n, changed USING p_customers, p_contacts, p_values;
                customers := customers || coalesce(changed, '{}');
            ELSIF p_mode = 'collect' THEN
                SELECT CASE WHEN count(*) = 0 THEN 'to_jsonb(x.ctid::text)'
                            ELSE 'jsonb_build_object(' || string_agg(format('%L, x.%I', a.attname, a.attname), ', ') || ')' END
                  INTO pk
                  FROM pg_index ix JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = ANY (ix.indkey)
                 WHERE ix.indrelid = t.relation AND ix.indisprimary;
                EXECUTE format('SELECT count(*), coalesce(jsonb_agg(jsonb_build_object(''table'', %L, ''column'', %L, '
                               '''key'', %s, ''value'', to_jsonb(x.%I))), ''[]'') FROM %s x WHERE (%s) AND %s',
                               t.schema_name || '.' || t.table_name, col, pk, col, t.relation, scope.condition, hit)
                  INTO n, found_here USING p_customers, p_contacts, p_values;
                found := found || found_here;
            ELSE
                EXECUTE format('SELECT count(*) FROM %s x WHERE (%s) AND %s', t.relation, scope.condition, hit)
                  INTO n USING p_customers, p_contacts, p_values;
            END IF;
            IF n > 0 THEN
                counts := counts || jsonb_build_object(
                    CASE WHEN t.schema_name = 'public' THEN '' ELSE t.schema_name || '.' END || t.table_name || '.' || col, n);
            END IF;
        END LOOP;
    END LOOP;
    RETURN jsonb_build_object('counts', counts, 'rows', found,
                              'customers', (SELECT coalesce(jsonb_agg(DISTINCT c), '[]') FROM unnest(customers) c));
END
$$;

-- Whose values are whose, for personal_data_scan: each contact's pairs under its own id and
-- under each of its customers' ids, and every pair (p_extra's too) under '*'.
CREATE OR REPLACE FUNCTION steward_internal.values_by_owner(p_contacts uuid[], p_extra jsonb DEFAULT '{}')
RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_contact uuid;
    v_customer uuid;
    own jsonb;
    result jsonb := '{}';
    everything jsonb := steward_internal.personal_pairs(p_extra);
BEGIN
    FOREACH v_contact IN ARRAY p_contacts LOOP
        own := steward_internal.personal_pairs(steward_internal.contact_values(ARRAY[v_contact]));
        result := result || jsonb_build_object(v_contact::text, own);
        FOREACH v_customer IN ARRAY steward_internal.contact_customers(ARRAY[v_contact]) LOOP
            result := result || jsonb_build_object(v_customer::text, coalesce(result -> v_customer::text, '[]') || own);
        END LOOP;
        everything := everything || own;
    END LOOP;
    RETURN result || jsonb_build_object('*', everything);
END
$$;

-- The personal values of some contacts (see the header), as personal_pairs takes them.
CREATE OR REPLACE FUNCTION steward_internal.contact_values(p_contacts uuid[]) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
DECLARE
    names text[];
    emails text[];
    phones text[];
    m record;
    spec jsonb;
    raw text[];
BEGIN
    SELECT array_agg(c.full_name) FILTER (WHERE c.full_name IS NOT NULL),
           array_agg(c.email) FILTER (WHERE c.email IS NOT NULL),
           array_agg(c.phone) FILTER (WHERE c.phone IS NOT NULL)
      INTO names, emails, phones
      FROM public.contacts c WHERE c.id = ANY (p_contacts) AND c.anonymized_at IS NULL;
    -- Earlier values, as the events of their changes carry them.
    SELECT coalesce(names, '{}') || coalesce(array_agg(e.data #>> '{changes,full_name}')
                                            FILTER (WHERE e.data #>> '{changes,full_name}' IS NOT NULL), '{}'),
           coalesce(emails, '{}') || coalesce(array_agg(e.data #>> '{changes,email}')
                                             FILTER (WHERE e.data #>> '{changes,email}' IS NOT NULL), '{}'),
           coalesce(phones, '{}') || coalesce(array_agg(e.data #>> '{changes,phone}')
                                             FILTER (WHERE e.data #>> '{changes,phone}' IS NOT NULL), '{}')
      INTO names, emails, phones
      FROM public.event_outbox e
     WHERE e.type = 'customer.contact.updated'
       AND e.customer_id IN (SELECT r.account_id FROM public.contact_roles r WHERE r.contact_id = ANY (p_contacts))
       AND (e.data ->> 'contactId')::uuid = ANY (p_contacts)
       AND NOT coalesce((e.data ->> 'anonymised')::boolean, false);
    -- The raw values of the legacy rows they came from, in the columns the mapping
    -- reads contacts from (a phone in the legacy table's own format, say).
    FOR m IN SELECT mv.source, mv.key_column, mv.mapping FROM public.legacy_moves mv
              WHERE mv.state = 'open' AND to_regclass(mv.source) IS NOT NULL LOOP
        FOR spec IN SELECT jsonb_array_elements(coalesce(m.mapping -> 'contacts', '[]')) LOOP
            IF spec #>> '{full_name,column}' IS NOT NULL THEN
                EXECUTE format('SELECT array_agg(l.%I::text) FROM %s l WHERE l.%I::text IN (SELECT k.legacy_key FROM '
                               'public.legacy_links k WHERE k.source = $1 AND k.contact_id = ANY ($2))',
                               spec #>> '{full_name,column}', m.source, m.key_column)
                  INTO raw USING m.source, p_contacts;
                names := names || coalesce(raw, '{}');
            END IF;
            IF spec #>> '{email,column}' IS NOT NULL THEN
                EXECUTE format('SELECT array_agg(l.%I::text) FROM %s l WHERE l.%I::text IN (SELECT k.legacy_key FROM '
                               'public.legacy_links k WHERE k.source = $1 AND k.contact_id = ANY ($2))',
                               spec #>> '{email,column}', m.source, m.key_column)
                  INTO raw USING m.source, p_contacts;
                emails := emails || coalesce(raw, '{}');
            END IF;
            IF spec #>> '{phone,column}' IS NOT NULL THEN
                EXECUTE format('SELECT array_agg(l.%I::text) FROM %s l WHERE l.%I::text IN (SELECT k.legacy_key FROM '
                               'public.legacy_links k WHERE k.source = $1 AND k.contact_id = ANY ($2))',
                               spec #>> '{phone,column}', m.source, m.key_column)
                  INTO raw USING m.source, p_contacts;
                phones := phones || coalesce(raw, '{}');
            END IF;
        END LOOP;
    END LOOP;
    RETURN jsonb_build_object('names', to_jsonb(coalesce(names, '{}')), 'emails', to_jsonb(coalesce(emails, '{}')),
                              'phones', to_jsonb(coalesce(phones, '{}')));
END
$$;

-- The customers some contacts belong to: their roles, and the legacy rows they came with.
CREATE OR REPLACE FUNCTION steward_internal.contact_customers(p_contacts uuid[]) RETURNS uuid[]
LANGUAGE sql STABLE AS $$
    SELECT coalesce(array_agg(DISTINCT x), '{}')
      FROM (SELECT r.account_id AS x FROM public.contact_roles r WHERE r.contact_id = ANY (p_contacts)
            UNION
            SELECT k.customer_id FROM public.legacy_links k WHERE k.contact_id = ANY (p_contacts)) AS c
$$;

-- Anonymise some contacts: their personal values replaced in every searched column (all
-- rows when p_full, else the rows of their customers and of the tables without a
-- scope), the contact rows emptied, and each customer told (customer.contact.updated,
-- without any value). Returns {"contacts": n, "changed": {"table.column": rows},
-- "values": how many distinct values were searched for}.
CREATE OR REPLACE FUNCTION steward_internal.anonymise_contacts(
    p_contacts uuid[], p_full boolean, p_actor jsonb, p_extra_values jsonb DEFAULT '{}')
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    ids uuid[];
    customers uuid[];
    by_owner jsonb;
    scan jsonb;
    changed uuid[];
    anonymous text := 'Anonymised contact';
    v_customer uuid;
    v_contact uuid;
BEGIN
    -- Lock the contacts (in id order, so two runs cannot deadlock) before reading their values.
    SELECT coalesce(array_agg(id ORDER BY id), '{}') INTO ids
      FROM (SELECT c.id FROM public.contacts c WHERE c.id = ANY (p_contacts) ORDER BY c.id FOR UPDATE) AS locked;
    customers := steward_internal.contact_customers(ids);
    by_owner := steward_internal.values_by_owner(ids, p_extra_values);

    PERFORM steward_internal.begin_bulk_write();
    scan := steward_internal.personal_data_scan(by_owner, customers, ids, p_full, 'apply');
    SELECT coalesce(array_agg(x::uuid ORDER BY x), '{}') INTO changed FROM jsonb_array_elements_text(scan -> 'customers') x;
    IF cardinality(changed) > 0 THEN
        -- A value of a hot field changed its text: its projection columns follow.
        PERFORM 1 FROM public.accounts WHERE id = ANY (changed) ORDER BY id FOR SHARE;
        PERFORM steward_internal.repair_projection(changed[1], changed[cardinality(changed)], changed);
    END IF;
    PERFORM steward_internal.end_bulk_write();

    UPDATE public.contacts
       SET full_name = anonymous, email = NULL, phone = NULL, do_not_contact = true,
           anonymized_at = now(), updated_at = now()
     WHERE id = ANY (ids) AND anonymized_at IS NULL;
    FOR v_contact, v_customer IN SELECT DISTINCT r.contact_id, r.account_id FROM public.contact_roles r
                                  WHERE r.contact_id = ANY (ids) ORDER BY 1, 2 LOOP
        PERFORM steward_internal.emit(p_actor, 'customer.contact.updated', v_customer, jsonb_build_object(
            'customerId', v_customer, 'contactId', v_contact, 'anonymised', true,
            'changes', jsonb_build_object('full_name', anonymous, 'email', NULL, 'phone', NULL, 'do_not_contact', true)));
    END LOOP;
    RETURN jsonb_build_object('contacts', cardinality(ids), 'changed', scan -> 'counts',
                              'values', jsonb_array_length(by_owner -> '*'));
END
$$;

-- ------------------------------------------------------------------ the API

-- Erase one person's data on request (the right to erasure): the contact (or every
-- contact with this e-mail, and the e-mail itself wherever it appears), everywhere,
-- all rows searched. Admins only. Returns the report, which the audit keeps:
-- {"contacts": [ids], "changed": {...}, "remaining": {...}} (remaining: a second search
-- for the same values after the change; empty when nothing is left).
CREATE OR REPLACE FUNCTION steward_api.privacy_erase(
    p_contact uuid DEFAULT NULL, p_email text DEFAULT NULL, p_context jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me record;
    ids uuid[];
    values_ jsonb;
    extra jsonb := '{}';
    done jsonb;
    remaining jsonb;
    report jsonb;
    v_id uuid;
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    PERFORM steward_internal.require_admin(me.role, 'erase personal data');
    IF (p_contact IS NULL) = (p_email IS NULL) THEN
        PERFORM steward_internal.invalid('Name either the contact or the e-mail address.',
                                         jsonb_build_object('contact', 'give a contact id or an e-mail, not both'));
    END IF;
    IF p_contact IS NOT NULL THEN
        IF NOT EXISTS (SELECT 1 FROM public.contacts WHERE id = p_contact) THEN
            PERFORM steward_internal.fail('SW404', format('There is no contact %s.', p_contact),
                                          jsonb_build_object('errors', jsonb_build_object('contact', 'unknown contact')));
        END IF;
        ids := ARRAY[p_contact];
    ELSE
        IF length(btrim(p_email)) < 4 OR btrim(p_email) !~ '^[^@\s]+@[^@\s]+$' THEN
            PERFORM steward_internal.invalid('That is not an e-mail address.', jsonb_build_object('email', 'must be an e-mail address'));
        END IF;
        SELECT coalesce(array_agg(id ORDER BY id), '{}') INTO ids FROM public.contacts WHERE lower(email) = lower(btrim(p_email));
        extra := jsonb_build_object('emails', jsonb_build_array(btrim(p_email)));
    END IF;
    values_ := steward_internal.contact_values(ids);
    done := steward_internal.anonymise_contacts(ids, true, me.actor, extra);
    values_ := jsonb_build_object('names', values_ -> 'names', 'emails', (values_ -> 'emails') || coalesce(extra -> 'emails', '[]'),
                                  'phones', values_ -> 'phones');
    remaining := steward_internal.personal_data_scan(
        jsonb_build_object('*', steward_internal.personal_pairs(values_)), '{}', '{}', true, 'count') -> 'counts';
    report := jsonb_build_object('contacts', to_jsonb(ids), 'changed', done -> 'changed', 'values', done -> 'values',
                                 'remaining', remaining);
    IF cardinality(ids) = 0 THEN
        INSERT INTO public.privacy_requests (kind, contact_id, by_user, report)
        VALUES ('erase', '00000000-0000-0000-0000-000000000000', me.user_id, report);
    END IF;
    FOREACH v_id IN ARRAY ids LOOP
        INSERT INTO public.privacy_requests (kind, contact_id, by_user, report) VALUES ('erase', v_id, me.user_id, report);
    END LOOP;
    RETURN report;
END
$$;

-- A person's data as JSON (the right of access): the contact, the customers where they
-- hold roles, and every row of every searched column that holds one of their values.
-- Admins only; recorded in the audit (counts only).
CREATE OR REPLACE FUNCTION steward_api.privacy_export(p_contact uuid, p_context jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me record;
    c public.contacts;
    scan jsonb;
    result jsonb;
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    PERFORM steward_internal.require_admin(me.role, 'export personal data');
    SELECT * INTO c FROM public.contacts WHERE id = p_contact;
    IF NOT FOUND THEN
        PERFORM steward_internal.fail('SW404', format('There is no contact %s.', p_contact),
                                      jsonb_build_object('errors', jsonb_build_object('contact', 'unknown contact')));
    END IF;
    scan := steward_internal.personal_data_scan(
        jsonb_build_object('*', steward_internal.personal_pairs(steward_internal.contact_values(ARRAY[p_contact]))),
        '{}', '{}', true, 'collect');
    result := jsonb_build_object(
        'exported_at', now(),
        'contact', jsonb_build_object('id', c.id, 'full_name', c.full_name, 'email', c.email, 'phone', c.phone,
                                      'do_not_contact', c.do_not_contact, 'created_at', c.created_at,
                                      'updated_at', c.updated_at, 'anonymised_at', c.anonymized_at),
        'roles', coalesce((SELECT jsonb_agg(jsonb_build_object('customer_id', a.id, 'customer', a.name, 'city', a.city,
                                                                'role', r.role) ORDER BY a.name, r.role)
                             FROM public.contact_roles r JOIN public.accounts a ON a.id = r.account_id
                            WHERE r.contact_id = p_contact), '[]'),
        'found_in', scan -> 'counts',
        'records', scan -> 'rows');
    INSERT INTO public.privacy_requests (kind, contact_id, by_user, report)
    VALUES ('export', p_contact, me.user_id, jsonb_build_object('found_in', scan -> 'counts'));
    RETURN result;
END
$$;
