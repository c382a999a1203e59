-- Imports: customer lists from spreadsheets (services/service_layer/imports.py reads the
-- file and maps its rows; this decides and writes). One change set (kind import) per
-- import, undone by steward_api.undo_change_set with steward_internal.undo_import.
--
-- A row, as the service sends it: {"row": its number in the file, "customer": {name,
-- city, region, owner (a login), external_ref}, "contacts": [{full_name, email, phone,
-- roles}], "fields": {key: value}}. Modes: create (a row matching a customer is
-- refused), update (a row matching none is refused), upsert. Match keys:
--   external_ref  the customer's external reference (unique: found wherever it is);
--   email, phone  of the row's first contact, against the contacts of the customers the
--                 importer may read (e-mail lower case, phone as digits with country code);
--   name_city     the customer's name and city (lower case, one space between words), among
--                 the customers the importer may read.
-- Each row is decided on its own: a refusal is {"target", "reason"}, target the mapped
-- target ("customer.name", "fields.covers_per_day", "contact.0.email", "match").
-- Access: a row updates only a customer its importer may write; new customers are in
-- the importer's region (sales reps, team leads) and belong to the importer unless the
-- row names an owner the importer may give customers to.

CREATE OR REPLACE FUNCTION steward_internal.import_check_input(p_mode text, p_match text, p_rows jsonb)
RETURNS void
LANGUAGE plpgsql STABLE AS $$
BEGIN
    PERFORM steward_internal.one_of(p_mode, 'mode', ARRAY['create', 'update', 'upsert']);
    PERFORM steward_internal.one_of(p_match, 'match', ARRAY['external_ref', 'email', 'phone', 'name_city']);
    IF jsonb_typeof(p_rows) IS DISTINCT FROM 'array' OR jsonb_array_length(p_rows) > 5000 THEN
        PERFORM steward_internal.invalid('Send the rows as a list of at most 5,000.', jsonb_build_object('rows', 'must be a list'));
    END IF;
    IF EXISTS (SELECT 1 FROM jsonb_array_elements(p_rows) r
                WHERE jsonb_typeof(r) <> 'object' OR jsonb_typeof(r -> 'row') IS DISTINCT FROM 'number'
                   OR (r ->> 'row') !~ '^[1-9][0-9]{0,8}$'
                   OR jsonb_typeof(coalesce(r -> 'customer', '{}')) <> 'object'
                   OR jsonb_typeof(coalesce(r -> 'fields', '{}')) <> 'object'
                   OR jsonb_typeof(coalesce(r -> 'contacts', '[]')) <> 'array'
                   OR jsonb_array_length(coalesce(r -> 'contacts', '[]')) > 20
                   OR EXISTS (SELECT 1 FROM jsonb_each(coalesce(r -> 'customer', '{}')) c
                               WHERE c.key NOT IN ('name', 'city', 'region', 'owner', 'external_ref')
                                  OR jsonb_typeof(c.value) <> 'string')) THEN
        PERFORM steward_internal.invalid('Every row needs its number, a customer (master data as text), fields and contacts.',
                                         jsonb_build_object('rows', 'malformed row'));
    END IF;
    IF (SELECT count(*) <> count(DISTINCT r ->> 'row') FROM jsonb_array_elements(p_rows) r) THEN
        PERFORM steward_internal.invalid('A row number appears twice.', jsonb_build_object('rows', 'duplicate row number'));
    END IF;
END
$$;

-- The customers each row matches by its match key: (row number, customer id), none or more.
CREATE OR REPLACE FUNCTION steward_internal.import_matches(p_match text, p_rows jsonb)
RETURNS TABLE (n integer, id uuid)
LANGUAGE sql STABLE AS $$
    WITH input AS MATERIALIZED (
        SELECT (x ->> 'row')::integer AS n, x AS r,
               CASE p_match
                   WHEN 'external_ref' THEN nullif(btrim(x #>> '{customer,external_ref}'), '')
                   WHEN 'email' THEN nullif(lower(btrim(x #>> '{contacts,0,email}')), '')
                   WHEN 'phone' THEN public.steward_phone_key(x #>> '{contacts,0,phone}')
               END AS m
          FROM jsonb_array_elements(p_rows) x
    )
    SELECT i.n, a.id FROM input i JOIN public.accounts a ON a.external_ref = i.m
     WHERE p_match = 'external_ref'
    UNION
    SELECT i.n, cr.account_id FROM input i
      JOIN public.contacts c ON lower(btrim(c.email)) = i.m AND c.email IS NOT NULL
      JOIN public.contact_roles cr ON cr.contact_id = c.id
     WHERE p_match = 'email'
    UNION
    SELECT i.n, cr.account_id FROM input i
      JOIN public.contacts c ON public.steward_phone_key(c.phone) = i.m AND c.phone IS NOT NULL
      JOIN public.contact_roles cr ON cr.contact_id = c.id
     WHERE p_match = 'phone'
    UNION
    SELECT i.n, a.id FROM input i
      JOIN public.accounts a ON public.steward_name_key(a.name) = public.steward_name_key(i.r #>> '{customer,name}')
                            AND coalesce(public.steward_name_key(a.city), '')
                                = coalesce(public.steward_name_key(i.r #>> '{customer,city}'), '')
     WHERE p_match = 'name_city'
$$;

-- What each row would do, without writing: its customer (the match), the action
-- (create, update, unchanged, error), its refusals, the master data and field values
-- that change ({key: {"old", "new"}}), the contacts it adds, and for a new customer
-- its master data.
CREATE OR REPLACE FUNCTION steward_internal.import_plan(
    p_user uuid, p_role text, p_region text, p_mode text, p_match text, p_rows jsonb)
RETURNS TABLE (row_number integer, customer_id uuid, action text, errors jsonb, master jsonb, fields jsonb,
               contacts jsonb, customer jsonb)
-- Without JIT: compiling this statement takes seconds, running it on a batch milliseconds.
LANGUAGE plpgsql STABLE SET jit = off AS $$
DECLARE
    known_regions text[] := steward_internal.regions();
    may_restricted boolean := p_role IN ('CHAIN_MANAGER', 'ADMIN');
BEGIN
    -- One statement with the generated field check inlined (field_check_sql): a few µs a value.
    RETURN QUERY EXECUTE format($q$
    WITH input AS MATERIALIZED (
        SELECT (x ->> 'row')::integer AS n, x AS r,
               CASE $5
                   WHEN 'external_ref' THEN nullif(btrim(x #>> '{customer,external_ref}'), '')
                   WHEN 'email' THEN nullif(lower(btrim(x #>> '{contacts,0,email}')), '')
                   WHEN 'phone' THEN public.steward_phone_key(x #>> '{contacts,0,phone}')
                   ELSE public.steward_name_key(x #>> '{customer,name}')
                        || '|' || coalesce(public.steward_name_key(x #>> '{customer,city}'), '')
               END AS m
          FROM jsonb_array_elements($6) x
    ), found AS MATERIALIZED (
        -- By e-mail, phone or name, only customers the importer may read are found: the answer
        -- must not tell whether someone else's contact has an address. An external reference is
        -- unique (a create would be refused anyway), so it is found wherever it is.
        SELECT m.n, m.id FROM steward_internal.import_matches($5, $6) m JOIN public.accounts a ON a.id = m.id
         WHERE $5 = 'external_ref' OR CASE $2
                   WHEN 'ADMIN' THEN true
                   WHEN 'TEAM_LEAD' THEN a.region = $3
                   WHEN 'CHAIN_MANAGER' THEN coalesce(a.parent_account_id, a.id)
                                             IN (SELECT uc.chain_id FROM public.user_chains uc WHERE uc.user_id = $1)
                   WHEN 'SALES_REP' THEN a.owner_id = $1
                                         OR (a.coverage_policy = 'CHAIN_SHARED'
                                             AND a.parent_account_id IN (SELECT unnest(public.steward_rep_chains())))
                   ELSE false END
    ), matches AS (
        SELECT f.n, array_agg(f.id ORDER BY f.id) AS ids FROM found f GROUP BY f.n
    ), repeats AS (
        SELECT i.m, count(*) AS times FROM input i WHERE i.m IS NOT NULL GROUP BY i.m HAVING count(*) > 1
    ), refs AS (
        SELECT btrim(i.r #>> '{customer,external_ref}') AS ref, count(*) AS times FROM input i
         WHERE coalesce(btrim(i.r #>> '{customer,external_ref}'), '') <> '' GROUP BY 1 HAVING count(*) > 1
    ), decided AS (
        SELECT i.n, i.r, i.m, coalesce(cardinality(mt.ids), 0) AS hits, mt.ids[1] AS cid,
               CASE WHEN i.m IS NULL OR cardinality(mt.ids) > 1 OR rp.m IS NOT NULL THEN 'error'
                    WHEN mt.ids IS NOT NULL THEN CASE WHEN $4 = 'create' THEN 'error' ELSE 'update' END
                    ELSE CASE WHEN $4 = 'update' THEN 'error' ELSE 'create' END END AS kind,
               (SELECT coalesce(jsonb_agg(e), '[]') FROM (
                    SELECT jsonb_build_object('target', 'match', 'reason', format('the %%s to match by is empty',
                               CASE $5 WHEN 'external_ref' THEN 'external reference' WHEN 'email' THEN 'e-mail address'
                                            WHEN 'phone' THEN 'phone number' ELSE 'name and city' END)) AS e WHERE i.m IS NULL
                    UNION ALL
                    SELECT jsonb_build_object('target', 'match', 'reason', format('appears %%s times in the file', rp.times))
                     WHERE rp.m IS NOT NULL
                    UNION ALL
                    SELECT jsonb_build_object('target', 'match', 'reason',
                               format('matches %%s customers; match by a key that tells them apart', cardinality(mt.ids)))
                     WHERE cardinality(mt.ids) > 1
                    UNION ALL
                    SELECT jsonb_build_object('target', 'match', 'reason', 'a customer with this key exists already')
                     WHERE cardinality(mt.ids) = 1 AND $4 = 'create' AND rp.m IS NULL
                    UNION ALL
                    SELECT jsonb_build_object('target', 'match', 'reason', 'no customer matches')
                     WHERE mt.ids IS NULL AND i.m IS NOT NULL AND $4 = 'update' AND rp.m IS NULL
                    UNION ALL
                    SELECT jsonb_build_object('target', 'customer.external_ref', 'reason', format('appears %%s times in the file', rf.times))
                      FROM refs rf WHERE rf.ref = btrim(i.r #>> '{customer,external_ref}') AND $5 <> 'external_ref') x
               ) AS base_errors
          FROM input i
          LEFT JOIN matches mt ON mt.n = i.n
          LEFT JOIN repeats rp ON rp.m = i.m
    ), planned AS MATERIALIZED (
        SELECT d.n, d.kind, d.base_errors, d.r, a AS acc,
               -- The owner a new customer gets: the row's, or the importer.
               (SELECT u FROM public.users u WHERE u.login = d.r #>> '{customer,owner}') AS owner,
               -- Field values as they would be: a part of an object (roi_potential.bucket) merged into the value there.
               (SELECT coalesce(jsonb_object_agg(f.key, jsonb_build_object('old', fv.value, 'new', nv.v)), '{}')
                  FROM jsonb_each(coalesce(d.r -> 'fields', '{}')) f
                  LEFT JOIN public.field_values fv ON fv.customer_id = d.cid AND fv.field_key = f.key
                  CROSS JOIN LATERAL (SELECT CASE WHEN jsonb_typeof(fv.value) = 'object' AND jsonb_typeof(f.value) = 'object'
                                                  THEN fv.value || f.value ELSE f.value END AS v) nv
                 WHERE jsonb_typeof(f.value) <> 'null' AND nv.v IS DISTINCT FROM fv.value) AS field_changes,
               (SELECT coalesce(jsonb_object_agg(c.key, jsonb_build_object(
                           'old', CASE c.key WHEN 'name' THEN a.name WHEN 'city' THEN a.city WHEN 'region' THEN a.region
                                             ELSE a.external_ref END,
                           'new', btrim(c.value #>> '{}'))), '{}')
                  FROM jsonb_each(coalesce(d.r -> 'customer', '{}')) c
                 WHERE d.kind = 'update' AND c.key IN ('name', 'city', 'region', 'external_ref')
                   AND btrim(c.value #>> '{}') IS DISTINCT FROM
                       CASE c.key WHEN 'name' THEN a.name WHEN 'city' THEN a.city WHEN 'region' THEN a.region
                                  ELSE a.external_ref END) AS master_changes,
               -- Contacts to add: for a customer that exists, those it has no contact of that e-mail (or name) yet.
               (SELECT coalesce(jsonb_agg(c.c ORDER BY c.k), '[]')
                  FROM jsonb_array_elements(coalesce(d.r -> 'contacts', '[]')) WITH ORDINALITY c(c, k)
                 WHERE d.cid IS NULL OR d.kind <> 'update' OR NOT EXISTS (
                       SELECT 1 FROM public.contact_roles cr JOIN public.contacts x ON x.id = cr.contact_id
                        WHERE cr.account_id = d.cid
                          AND CASE WHEN coalesce(btrim(c.c ->> 'email'), '') <> ''
                                   THEN lower(btrim(x.email)) = lower(btrim(c.c ->> 'email'))
                                   ELSE public.steward_name_key(x.full_name) = public.steward_name_key(c.c ->> 'full_name') END))
               AS new_contacts,
               d.cid
          FROM decided d
          LEFT JOIN public.accounts a ON a.id = d.cid AND d.kind = 'update'
    ), judged AS MATERIALIZED (
        -- Field values: the generated yes/no check first (µs); the words only for a row it refuses.
        SELECT p.*,
               CASE WHEN p.field_changes <> '{}' AND EXISTS (
                        SELECT 1 FROM (SELECT f0.key, f0.value -> 'new' AS value FROM jsonb_each(p.field_changes) f0) f
                          LEFT JOIN public.field_catalog fc ON fc.key = f.key
                         WHERE fc.key IS NULL OR (fc.restricted AND NOT $8) OR NOT coalesce(%s, false))
                    THEN steward_internal.field_value_problems(
                             (SELECT jsonb_object_agg(f.key, f.value -> 'new') FROM jsonb_each(p.field_changes) f),
                             $8)
                    ELSE '{}'::jsonb END AS field_problems
          FROM planned p
    ), checked AS MATERIALIZED (
        SELECT p.*,
               p.base_errors || (SELECT coalesce(jsonb_agg(e), '[]') FROM (
                    -- A customer that exists: the importer may write it; only admins move it to another region.
                    SELECT jsonb_build_object('target', 'match', 'reason', 'not yours to change') AS e
                     WHERE p.kind = 'update' AND NOT steward_internal.may_write($2, $1, $3, p.acc)
                    UNION ALL
                    SELECT jsonb_build_object('target', 'customer.region', 'reason', 'only admins move a customer to another region')
                     WHERE p.kind = 'update' AND p.master_changes ? 'region' AND $2 <> 'ADMIN'
                    UNION ALL
                    -- A new customer: a name, a region, an owner the importer may give it.
                    SELECT jsonb_build_object('target', 'customer.name', 'reason', 'must not be empty')
                     WHERE p.kind = 'create' AND coalesce(btrim(p.r #>> '{customer,name}'), '') = ''
                    UNION ALL
                    SELECT jsonb_build_object('target', 'customer.region', 'reason',
                                              'must be one of ' || array_to_string($7, ', '))
                     WHERE (p.kind = 'create' OR p.master_changes ? 'region')
                       AND NOT coalesce(p.r #>> '{customer,region}' = ANY ($7), false)
                    UNION ALL
                    SELECT jsonb_build_object('target', 'customer.region', 'reason', 'not your region')
                     WHERE p.kind = 'create' AND $2 IN ('SALES_REP', 'TEAM_LEAD')
                       AND p.r #>> '{customer,region}' = ANY ($7)
                       AND p.r #>> '{customer,region}' IS DISTINCT FROM $3
                    UNION ALL
                    SELECT jsonb_build_object('target', 'customer', 'reason',
                                              'a chain manager adds locations to a chain; team leads and admins import new customers')
                     WHERE p.kind = 'create' AND $2 = 'CHAIN_MANAGER'
                    UNION ALL
                    SELECT jsonb_build_object('target', 'customer.owner', 'reason', 'is no active Steward user')
                     WHERE p.kind = 'create' AND p.r #>> '{customer,owner}' IS NOT NULL
                       AND ((p.owner).id IS NULL OR NOT (p.owner).active)
                    UNION ALL
                    SELECT jsonb_build_object('target', 'customer.owner', 'reason', CASE $2
                               WHEN 'SALES_REP' THEN 'a sales rep''s customers are their own'
                               ELSE 'a team lead gives customers only to people of their region' END)
                     WHERE p.kind = 'create' AND (p.owner).active
                       AND (($2 = 'SALES_REP' AND (p.owner).id <> $1)
                            OR ($2 = 'TEAM_LEAD' AND (p.owner).region IS DISTINCT FROM $3))
                    UNION ALL
                    SELECT jsonb_build_object('target', 'customer.' || c.key, 'reason', 'must be at most 200 characters')
                      FROM jsonb_each_text(coalesce(p.r -> 'customer', '{}')) c
                     WHERE c.key IN ('name', 'city', 'external_ref') AND length(c.value) > 200
                    UNION ALL
                    SELECT jsonb_build_object('target', 'customer.external_ref', 'reason', 'belongs to another customer')
                     WHERE (p.kind = 'create' OR p.master_changes ? 'external_ref')
                       AND coalesce(btrim(p.r #>> '{customer,external_ref}'), '') <> ''
                       AND EXISTS (SELECT 1 FROM public.accounts o WHERE o.external_ref = btrim(p.r #>> '{customer,external_ref}')
                                                                     AND o.id IS DISTINCT FROM p.cid)
                    UNION ALL
                    -- Contacts: a name, an e-mail address, known roles.
                    SELECT jsonb_build_object('target', format('contact.%%s.%%s', c.k - 1, q.problem), 'reason', q.reason)
                      FROM jsonb_array_elements(p.new_contacts) WITH ORDINALITY c(c, k),
                           LATERAL steward_internal.contact_problems(c.c) q
                    UNION ALL
                    -- Field values: the catalog's schema and checks, restricted fields.
                    SELECT jsonb_build_object('target', 'fields.' || e.key, 'reason', e.value #>> '{}')
                      FROM jsonb_each(coalesce(p.field_problems -> 'errors', '{}')) e
                    UNION ALL
                    SELECT jsonb_build_object('target', 'fields.' || k, 'reason',
                                              'restricted field: only chain managers and admins change it')
                      FROM jsonb_array_elements_text(coalesce(p.field_problems -> 'forbidden', '[]')) k) x) AS all_errors
          FROM judged p
    )
    SELECT c.n, c.cid,
           CASE WHEN jsonb_array_length(c.all_errors) > 0 THEN 'error'
                WHEN c.kind = 'update' AND c.master_changes = '{}' AND c.field_changes = '{}'
                     AND jsonb_array_length(c.new_contacts) = 0 THEN 'unchanged'
                ELSE c.kind END,
           c.all_errors, c.master_changes, c.field_changes, c.new_contacts,
           CASE WHEN c.kind = 'create' THEN jsonb_build_object(
               'name', btrim(c.r #>> '{customer,name}'), 'city', nullif(btrim(c.r #>> '{customer,city}'), ''),
               'region', c.r #>> '{customer,region}', 'owner_id', coalesce((c.owner).id, $1),
               'external_ref', nullif(btrim(c.r #>> '{customer,external_ref}'), '')) END
      FROM checked c
     ORDER BY c.n
    $q$, steward_internal.field_check_sql())
    USING p_user, p_role, p_region, p_mode, p_match, p_rows, known_regions, may_restricted;
END
$$;

-- ------------------------------------------------------------------ the API

-- What an import of these rows would do, row by row, writing nothing:
-- [{"row", "action", "customer_id", "errors": [{"target", "reason"}], "master", "fields", "contacts"}].
CREATE OR REPLACE FUNCTION steward_api.import_preview(p_mode text, p_match text, p_rows jsonb, p_context jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET jit = off AS $$
DECLARE
    me record;
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    PERFORM steward_internal.import_check_input(p_mode, p_match, p_rows);
    RETURN (SELECT coalesce(jsonb_agg(jsonb_build_object(
                       'row', p.row_number, 'action', p.action,
                       'customer_id', CASE WHEN p.action <> 'create' THEN p.customer_id END,
                       'errors', p.errors, 'master', p.master, 'fields', p.fields, 'contacts', p.contacts)
                   ORDER BY p.row_number), '[]')
              FROM steward_internal.import_plan(me.user_id, me.role, me.region, p_mode, p_match, p_rows) p);
END
$$;

-- One batch of an import, in one transaction, into the open change set (kind import):
-- rows of the file not written before by this change set (a resumed run sends them
-- again: they are skipped) create or update customers. A row with a refusal refuses
-- the whole batch (nothing written) unless p_skip_errors, when it is recorded as
-- refused and the others are written. Returns {"created", "updated", "unchanged",
-- "skipped", "refused": [{"row", "target", "reason"}]}.
CREATE OR REPLACE FUNCTION steward_api.import_batch(
    p_change_set uuid, p_mode text, p_match text, p_rows jsonb, p_skip_errors boolean DEFAULT false,
    p_context jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET jit = off AS $$
DECLARE
    me record;
    cs public.change_sets;
    todo jsonb;
    plan jsonb;
    refused jsonb;
    writes jsonb;
    n_created integer;
    n_master integer;
    n_contacts integer;
    correlation text;
    -- New customers get consecutive ids under one random prefix: the batch is one range of
    -- ids, whose projection and search words are written set-based (as the legacy back-fill does).
    prefix text := left(replace(gen_random_uuid()::text, '-', ''), 16);
    lo uuid := (prefix || '8000000000000000')::uuid;
    hi uuid := (prefix || '8fffffffffffffff')::uuid;
    saved_nestloop text;
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    -- The caller's open import, shared with its other batches (two run side by side; the
    -- counters' update at the end is the only place they wait for each other). Finishing it
    -- (FOR UPDATE) waits for the batches that run.
    SELECT * INTO cs FROM public.change_sets WHERE id = p_change_set FOR KEY SHARE;
    IF NOT FOUND OR cs.created_by IS DISTINCT FROM me.user_id THEN
        PERFORM steward_internal.fail('SW404', format('Change set %s does not exist or is not yours.', p_change_set));
    END IF;
    IF cs.state <> 'open' THEN
        PERFORM steward_internal.fail('SW410', format('Change set %s is closed already.', p_change_set));
    END IF;
    IF cs.kind <> 'import' THEN
        PERFORM steward_internal.invalid('This change set is not an import.', jsonb_build_object('change_set', 'not an import'));
    END IF;
    IF cs.selection ->> 'mode' IS DISTINCT FROM p_mode OR cs.selection ->> 'match' IS DISTINCT FROM p_match THEN
        PERFORM steward_internal.invalid('Continue an import with the mode and match key it began with.',
                                         jsonb_build_object('mode', cs.selection ->> 'mode', 'match', cs.selection ->> 'match'));
    END IF;
    PERFORM steward_internal.import_check_input(p_mode, p_match, p_rows);
    correlation := steward_internal.correlation_id();

    SELECT coalesce(jsonb_agg(x), '[]') INTO todo
      FROM jsonb_array_elements(p_rows) x
     WHERE NOT EXISTS (SELECT 1 FROM public.import_rows ir
                        WHERE ir.change_set_id = p_change_set AND ir.row_number = (x ->> 'row')::integer);
    IF jsonb_array_length(todo) = 0 THEN
        RETURN jsonb_build_object('created', 0, 'updated', 0, 'unchanged', 0, 'refused', '[]'::jsonb,
                                  'skipped', jsonb_array_length(p_rows));
    END IF;

    -- The customers the rows match, locked in id order (two imports cannot deadlock), then decided.
    PERFORM 1 FROM public.accounts a
     WHERE a.id IN (SELECT m.id FROM steward_internal.import_matches(p_match, todo) m)
     ORDER BY a.id FOR NO KEY UPDATE;
    SELECT coalesce(jsonb_agg(to_jsonb(p) || jsonb_build_object(
               'customer_id', CASE WHEN p.action = 'create' THEN (prefix || '8' || lpad(to_hex(p.row_number), 15, '0'))::uuid
                                   ELSE p.customer_id END,
               'contact_ids', (SELECT coalesce(jsonb_agg(gen_random_uuid()), '[]') FROM jsonb_array_elements(p.contacts)))
               ORDER BY p.row_number), '[]')
      INTO plan
      FROM steward_internal.import_plan(me.user_id, me.role, me.region, p_mode, p_match, todo) p;

    SELECT coalesce(jsonb_agg(jsonb_build_object('row', (p ->> 'row_number')::integer) || e ORDER BY (p ->> 'row_number')::integer), '[]')
      INTO refused
      FROM jsonb_array_elements(plan) p, jsonb_array_elements(p -> 'errors') e;
    IF jsonb_array_length(refused) > 0 AND NOT coalesce(p_skip_errors, false) THEN
        PERFORM steward_internal.invalid(format('Row %s, %s: %s%s; nothing was written.',
                    refused -> 0 ->> 'row', refused -> 0 ->> 'target', refused -> 0 ->> 'reason',
                    CASE WHEN jsonb_array_length(refused) > 1 THEN format(' (and %s more)', jsonb_array_length(refused) - 1) ELSE '' END),
                (SELECT jsonb_object_agg(format('row %s: %s', r ->> 'row', r ->> 'target'), r ->> 'reason')
                   FROM jsonb_array_elements(refused) r));
    END IF;

    -- New customers and their field values, as a bulk write: the history, the projection and the
    -- search words written set-based for the batch's range of ids, not row by row by the triggers.
    PERFORM steward_internal.begin_bulk_write();
    INSERT INTO public.accounts (id, name, city, region, owner_id, external_ref)
    SELECT (p ->> 'customer_id')::uuid, p #>> '{customer,name}', p #>> '{customer,city}', p #>> '{customer,region}',
           (p #>> '{customer,owner_id}')::uuid, p #>> '{customer,external_ref}'
      FROM jsonb_array_elements(plan) p WHERE p ->> 'action' = 'create';
    GET DIAGNOSTICS n_created = ROW_COUNT;
    INSERT INTO public.field_values (customer_id, field_key, value, updated_by)
    SELECT (p ->> 'customer_id')::uuid, f.key, f.value -> 'new', me.user_id
      FROM jsonb_array_elements(plan) p, jsonb_each(p -> 'fields') f
     WHERE p ->> 'action' = 'create';
    INSERT INTO public.field_history (customer_id, field_key, old_value, new_value, changed_by, source, correlation_id)
    SELECT (p ->> 'customer_id')::uuid, f.key, NULL, f.value -> 'new', me.user_id, 'import', correlation
      FROM jsonb_array_elements(plan) p, jsonb_each(p -> 'fields') f
     WHERE p ->> 'action' = 'create';
    IF n_created > 0 THEN
        saved_nestloop := current_setting('enable_nestloop');
        PERFORM set_config('enable_nestloop', 'off', true);
        PERFORM steward_internal.repair_projection(lo, hi, NULL);
        INSERT INTO public.cm_customer_words (word, name, customer_id, region)
        SELECT word, name, customer_id, region FROM public.hot_words_truth(lo, hi);
        PERFORM set_config('enable_nestloop', saved_nestloop, true);
    END IF;
    PERFORM steward_internal.end_bulk_write();
    INSERT INTO public.event_outbox (id, type, correlation_id, actor, customer_id, data)
    SELECT gen_random_uuid(), 'customer.created', correlation, me.actor, (p ->> 'customer_id')::uuid,
           jsonb_build_object('customerId', p ->> 'customer_id', 'name', p #>> '{customer,name}',
                              'city', p #> '{customer,city}', 'region', p #>> '{customer,region}',
                              'ownerId', p #> '{customer,owner_id}', 'isChain', false, 'parentAccountId', NULL,
                              'source', 'import', 'changeSetId', p_change_set)
      FROM jsonb_array_elements(plan) p WHERE p ->> 'action' = 'create';

    -- Master data of customers that exist: the before-images first, then the values, then the events.
    INSERT INTO public.change_set_items (change_set_id, customer_id, target, key, before, after)
    SELECT p_change_set, (p ->> 'customer_id')::uuid, 'master', m.key, m.value -> 'old', m.value -> 'new'
      FROM jsonb_array_elements(plan) p, jsonb_each(p -> 'master') m
     WHERE p ->> 'action' = 'update'
     ORDER BY p ->> 'customer_id', m.key;
    GET DIAGNOSTICS n_master = ROW_COUNT;
    WITH changed AS (
        UPDATE public.accounts a
           SET name = coalesce(p #>> '{master,name,new}', a.name),
               city = CASE WHEN p -> 'master' ? 'city' THEN p #>> '{master,city,new}' ELSE a.city END,
               region = coalesce(p #>> '{master,region,new}', a.region),
               external_ref = CASE WHEN p -> 'master' ? 'external_ref' THEN p #>> '{master,external_ref,new}' ELSE a.external_ref END,
               master_version = a.master_version + 1, updated_at = now()
          FROM jsonb_array_elements(plan) p
         WHERE p ->> 'action' = 'update' AND p -> 'master' <> '{}' AND a.id = (p ->> 'customer_id')::uuid
        RETURNING a.id, a.master_version, p -> 'master' AS master
    )
    INSERT INTO public.event_outbox (id, type, correlation_id, actor, customer_id, data)
    SELECT gen_random_uuid(), 'customer.updated', correlation, me.actor, c.id,
           jsonb_build_object('customerId', c.id, 'version', c.master_version, 'changeSetId', p_change_set,
                              'changes', (SELECT jsonb_object_agg(k.key, k.value -> 'new') FROM jsonb_each(c.master) k),
                              'previous', (SELECT jsonb_object_agg(k.key, k.value -> 'old') FROM jsonb_each(c.master) k))
      FROM changed c;

    -- Field values of customers that exist: as any change set writes them (before-images, history, events).
    SELECT coalesce(jsonb_agg(jsonb_build_object('customer_id', p ->> 'customer_id', 'key', f.key, 'value', f.value -> 'new')), '[]')
      INTO writes
      FROM jsonb_array_elements(plan) p, jsonb_each(p -> 'fields') f
     WHERE p ->> 'action' = 'update';
    IF jsonb_array_length(writes) > 0 THEN
        PERFORM steward_internal.apply_field_writes(me.actor, me.user_id, me.role, me.region, p_change_set, writes);
    END IF;

    -- Contacts, new ones and those added to customers that exist; each recorded for undo.
    INSERT INTO public.contacts (id, full_name, email, phone)
    SELECT (p -> 'contact_ids' ->> (c.k::integer - 1))::uuid, btrim(c.c ->> 'full_name'), nullif(btrim(c.c ->> 'email'), ''),
           nullif(btrim(c.c ->> 'phone'), '')
      FROM jsonb_array_elements(plan) p, jsonb_array_elements(p -> 'contacts') WITH ORDINALITY c(c, k)
     WHERE p ->> 'action' IN ('create', 'update');
    GET DIAGNOSTICS n_contacts = ROW_COUNT;
    INSERT INTO public.contact_roles (contact_id, account_id, role)
    SELECT DISTINCT (p -> 'contact_ids' ->> (c.k::integer - 1))::uuid, (p ->> 'customer_id')::uuid, r.role
      FROM jsonb_array_elements(plan) p, jsonb_array_elements(p -> 'contacts') WITH ORDINALITY c(c, k),
           jsonb_array_elements_text(c.c -> 'roles') r(role)
     WHERE p ->> 'action' IN ('create', 'update');
    INSERT INTO public.change_set_items (change_set_id, customer_id, target, key, before, after)
    SELECT p_change_set, (p ->> 'customer_id')::uuid, 'contact', p -> 'contact_ids' ->> (c.k::integer - 1), NULL,
           jsonb_build_object('full_name', btrim(c.c ->> 'full_name'), 'roles', c.c -> 'roles')
      FROM jsonb_array_elements(plan) p, jsonb_array_elements(p -> 'contacts') WITH ORDINALITY c(c, k)
     WHERE p ->> 'action' IN ('create', 'update');
    INSERT INTO public.event_outbox (id, type, correlation_id, actor, customer_id, data)
    SELECT gen_random_uuid(), 'customer.contact.added', correlation, me.actor, (p ->> 'customer_id')::uuid,
           jsonb_build_object('customerId', p ->> 'customer_id', 'contactId', p -> 'contact_ids' ->> (c.k::integer - 1),
                              'roles', c.c -> 'roles', 'changeSetId', p_change_set)
      FROM jsonb_array_elements(plan) p, jsonb_array_elements(p -> 'contacts') WITH ORDINALITY c(c, k)
     WHERE p ->> 'action' = 'update';

    -- The customers it created, as they are now: undo deletes one only while it still is.
    INSERT INTO public.change_set_items (change_set_id, customer_id, target, key, before, after)
    SELECT p_change_set, a.id, 'created', 'customer', NULL,
           jsonb_build_object('name', a.name, 'city', a.city, 'region', a.region, 'owner_id', a.owner_id,
                              'external_ref', a.external_ref, 'master_version', a.master_version,
                              'fields_version', a.fields_version, 'row', (p ->> 'row_number')::integer,
                              'fields', (SELECT jsonb_object_agg(fv.field_key, fv.value) FROM public.field_values fv
                                          WHERE fv.customer_id = a.id))
      FROM jsonb_array_elements(plan) p JOIN public.accounts a ON a.id = (p ->> 'customer_id')::uuid
     WHERE p ->> 'action' = 'create'
     ORDER BY a.id;

    -- The rows done, so that a run started again skips them.
    INSERT INTO public.import_rows (change_set_id, row_number, customer_id, outcome)
    SELECT p_change_set, (p ->> 'row_number')::integer, CASE WHEN p ->> 'action' <> 'error' THEN (p ->> 'customer_id')::uuid END,
           CASE p ->> 'action' WHEN 'create' THEN 'created' WHEN 'update' THEN 'updated' WHEN 'unchanged' THEN 'unchanged'
                ELSE 'refused' END
      FROM jsonb_array_elements(plan) p;
    UPDATE public.change_sets c
       SET changed = c.changed + n_created + n_master + n_contacts,
           refused = c.refused + (SELECT count(*) FROM jsonb_array_elements(plan) p WHERE p ->> 'action' = 'error')
     WHERE c.id = p_change_set;
    RETURN jsonb_build_object(
        'created', n_created,
        'updated', (SELECT count(*) FROM jsonb_array_elements(plan) p WHERE p ->> 'action' = 'update'),
        'unchanged', (SELECT count(*) FROM jsonb_array_elements(plan) p WHERE p ->> 'action' = 'unchanged'),
        'skipped', jsonb_array_length(p_rows) - jsonb_array_length(todo),
        'refused', refused);
END
$$;

-- The rows of the file an import has done (a resumed run skips them): their numbers.
CREATE OR REPLACE FUNCTION steward_api.import_done_rows(p_change_set uuid, p_context jsonb DEFAULT NULL)
RETURNS integer[]
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET jit = off AS $$
DECLARE
    me record;
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    IF NOT EXISTS (SELECT 1 FROM public.change_sets c WHERE c.id = p_change_set AND c.kind = 'import'
                                                      AND (c.created_by = me.user_id OR me.role = 'ADMIN')) THEN
        PERFORM steward_internal.fail('SW404', format('Import %s does not exist or is not yours.', p_change_set));
    END IF;
    RETURN ARRAY(SELECT ir.row_number FROM public.import_rows ir WHERE ir.change_set_id = p_change_set ORDER BY 1);
END
$$;

-- A mapping kept for files of this shape (their column names, in any order).
CREATE OR REPLACE FUNCTION steward_internal.import_shape(p_columns text[]) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT md5(coalesce(string_agg(c, chr(31) ORDER BY c COLLATE "C"), '')) FROM (SELECT DISTINCT unnest(p_columns) AS c) x
$$;

CREATE OR REPLACE FUNCTION steward_api.import_save_mapping(p_columns text[], p_mapping jsonb, p_context jsonb DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET jit = off AS $$
DECLARE
    me record;
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    IF cardinality(p_columns) IS NULL OR cardinality(p_columns) > 500
       OR jsonb_typeof(p_mapping) IS DISTINCT FROM 'object' OR length(p_mapping::text) > 100000 THEN
        PERFORM steward_internal.invalid('Give the file''s columns and the mapping (an object).',
                                         jsonb_build_object('mapping', 'must be an object'));
    END IF;
    INSERT INTO public.import_mappings (shape, columns, mapping, saved_by)
    VALUES (steward_internal.import_shape(p_columns), ARRAY(SELECT DISTINCT unnest(p_columns) ORDER BY 1), p_mapping, me.user_id)
    ON CONFLICT (shape) DO UPDATE SET mapping = EXCLUDED.mapping, saved_by = EXCLUDED.saved_by, saved_at = now();
END
$$;

CREATE OR REPLACE FUNCTION steward_api.import_saved_mapping(p_columns text[], p_context jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET jit = off AS $$
DECLARE
    me record;
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    RETURN (SELECT m.mapping FROM public.import_mappings m WHERE m.shape = steward_internal.import_shape(p_columns));
END
$$;

-- ------------------------------------------------------------------ undo

-- Called by steward_api.undo_change_set after it restored the field values: master data
-- back to the before-images, the contacts the import added removed, the customers it
-- created deleted; each refused where someone changed it since (or the undoer may not
-- write it). Returns the refusals [{"customer_id", "key", "reason"}].
CREATE OR REPLACE FUNCTION steward_internal.undo_import(p_change_set uuid, p_undo uuid, p_me jsonb) RETURNS jsonb
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    v_user uuid := (p_me ->> 'user_id')::uuid;
    v_role text := p_me ->> 'role';
    v_region text := p_me ->> 'region';
    v_actor jsonb := p_me -> 'actor';
    refusals jsonb := '[]';
    item record;
    a public.accounts;
    current jsonb;
    doomed uuid[] := '{}';
    restored integer := 0;
    created_ids uuid[];
BEGIN
    created_ids := ARRAY(SELECT i.customer_id FROM public.change_set_items i
                          WHERE i.change_set_id = p_change_set AND i.target = 'created' ORDER BY 1);
    PERFORM 1 FROM public.accounts
     WHERE id IN (SELECT i.customer_id FROM public.change_set_items i
                   WHERE i.change_set_id = p_change_set AND i.target IN ('master', 'contact', 'created'))
     ORDER BY id FOR NO KEY UPDATE;

    -- Master data: per value, the first before-image, where the value is still the import's.
    FOR item IN
        SELECT DISTINCT ON (i.customer_id, i.key) i.customer_id, i.key,
               first_value(i.before) OVER w AS before, last_value(i.after) OVER w AS after
          FROM public.change_set_items i
         WHERE i.change_set_id = p_change_set AND i.target = 'master'
        WINDOW w AS (PARTITION BY i.customer_id, i.key ORDER BY i.position ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
         ORDER BY i.customer_id, i.key
    LOOP
        SELECT * INTO a FROM public.accounts WHERE id = item.customer_id;
        current := CASE item.key WHEN 'name' THEN to_jsonb(a.name) WHEN 'city' THEN to_jsonb(a.city)
                                 WHEN 'region' THEN to_jsonb(a.region) ELSE to_jsonb(a.external_ref) END;
        IF current IS DISTINCT FROM item.after THEN
            refusals := refusals || jsonb_build_object('customer_id', item.customer_id, 'key', item.key, 'reason', 'changed since');
        ELSIF NOT steward_internal.may_write(v_role, v_user, v_region, a) THEN
            refusals := refusals || jsonb_build_object('customer_id', item.customer_id, 'key', item.key, 'reason', 'not yours to change');
        ELSIF item.key = 'external_ref' AND EXISTS (SELECT 1 FROM public.accounts o WHERE o.external_ref = item.before #>> '{}'
                                                                                     AND o.id <> a.id) THEN
            refusals := refusals || jsonb_build_object('customer_id', item.customer_id, 'key', item.key,
                                                       'reason', 'another customer holds that reference now');
        ELSE
            UPDATE public.accounts
               SET name = CASE WHEN item.key = 'name' THEN item.before #>> '{}' ELSE name END,
                   city = CASE WHEN item.key = 'city' THEN item.before #>> '{}' ELSE city END,
                   region = CASE WHEN item.key = 'region' THEN item.before #>> '{}' ELSE region END,
                   external_ref = CASE WHEN item.key = 'external_ref' THEN item.before #>> '{}' ELSE external_ref END,
                   master_version = master_version + 1, updated_at = now()
             WHERE id = a.id;
            INSERT INTO public.change_set_items (change_set_id, customer_id, target, key, before, after)
            VALUES (p_undo, a.id, 'master', item.key, item.after, item.before);
            PERFORM steward_internal.emit(v_actor, 'customer.updated', a.id, jsonb_build_object(
                'customerId', a.id, 'changes', jsonb_build_object(item.key, item.before),
                'previous', jsonb_build_object(item.key, item.after), 'version', a.master_version + 1,
                'changeSetId', p_undo));
            restored := restored + 1;
        END IF;
    END LOOP;

    -- Contacts it added to customers that existed: unlinked, and gone unless linked elsewhere since.
    FOR item IN
        SELECT i.customer_id, i.key::uuid AS contact_id FROM public.change_set_items i
         WHERE i.change_set_id = p_change_set AND i.target = 'contact' AND NOT i.customer_id = ANY (created_ids)
         ORDER BY i.position
    LOOP
        SELECT * INTO a FROM public.accounts WHERE id = item.customer_id;
        IF NOT steward_internal.may_write(v_role, v_user, v_region, a) THEN
            refusals := refusals || jsonb_build_object('customer_id', item.customer_id, 'key', 'contact:' || item.contact_id,
                                                       'reason', 'not yours to change');
        ELSIF EXISTS (SELECT 1 FROM public.contacts c WHERE c.id = item.contact_id AND c.updated_at <> c.created_at) THEN
            refusals := refusals || jsonb_build_object('customer_id', item.customer_id, 'key', 'contact:' || item.contact_id,
                                                       'reason', 'changed since');
        ELSE
            DELETE FROM public.contact_roles WHERE contact_id = item.contact_id AND account_id = item.customer_id;
            DELETE FROM public.contacts c WHERE c.id = item.contact_id
               AND NOT EXISTS (SELECT 1 FROM public.contact_roles r WHERE r.contact_id = c.id);
            PERFORM steward_internal.emit(v_actor, 'customer.contact.unlinked', item.customer_id, jsonb_build_object(
                'customerId', item.customer_id, 'contactId', item.contact_id, 'changeSetId', p_undo));
            restored := restored + 1;
        END IF;
    END LOOP;

    -- Customers it created: deleted while they are as it left them (master data, field values,
    -- contacts) and have no samples, activities or SLAs.
    WITH created AS (
        SELECT i.customer_id, i.after FROM public.change_set_items i
         WHERE i.change_set_id = p_change_set AND i.target = 'created'
    ), judged AS (
        SELECT acc.id, CASE
                   WHEN (acc.name, acc.city, acc.region, acc.external_ref, acc.owner_id)
                        IS DISTINCT FROM (c.after ->> 'name', c.after ->> 'city', c.after ->> 'region',
                                          c.after ->> 'external_ref', (c.after ->> 'owner_id')::uuid)
                     OR coalesce((SELECT jsonb_object_agg(fv.field_key, fv.value) FROM public.field_values fv
                                   WHERE fv.customer_id = acc.id), '{}') IS DISTINCT FROM coalesce(c.after -> 'fields', '{}')
                     OR EXISTS (SELECT 1 FROM public.contact_roles r WHERE r.account_id = acc.id AND NOT EXISTS (
                                    SELECT 1 FROM public.change_set_items x WHERE x.customer_id = acc.id AND x.target = 'contact'
                                       AND x.key = r.contact_id::text AND x.change_set_id = p_change_set))
                     OR EXISTS (SELECT 1 FROM public.contacts x JOIN public.contact_roles r ON r.contact_id = x.id
                                 WHERE r.account_id = acc.id AND x.updated_at <> x.created_at)
                   THEN 'changed since'
                   WHEN EXISTS (SELECT 1 FROM public.activities x WHERE x.customer_id = acc.id)
                     OR EXISTS (SELECT 1 FROM public.sample_request x WHERE x.customer_id = acc.id)
                     OR EXISTS (SELECT 1 FROM public.slas x WHERE x.customer_id = acc.id)
                   THEN 'has samples, activities or SLAs since'
                   WHEN NOT steward_internal.may_write(v_role, v_user, v_region, acc) THEN 'not yours to change'
               END AS reason
          FROM created c JOIN public.accounts acc ON acc.id = c.customer_id
    )
    SELECT refusals || coalesce(jsonb_agg(jsonb_build_object('customer_id', j.id, 'key', 'customer', 'reason', j.reason)
                                          ORDER BY j.id) FILTER (WHERE j.reason IS NOT NULL), '[]'),
           coalesce(array_agg(j.id ORDER BY j.id) FILTER (WHERE j.reason IS NULL), '{}')
      INTO refusals, doomed
      FROM judged j;
    IF cardinality(doomed) > 0 THEN
        DELETE FROM public.contacts c
         WHERE c.id IN (SELECT r.contact_id FROM public.contact_roles r WHERE r.account_id = ANY (doomed))
           AND NOT EXISTS (SELECT 1 FROM public.contact_roles r WHERE r.contact_id = c.id AND NOT r.account_id = ANY (doomed));
        -- As a bulk write: the history of values that vanish with their customer is not kept.
        PERFORM steward_internal.begin_bulk_write();
        DELETE FROM public.cm_customer_words WHERE customer_id = ANY (doomed);
        DELETE FROM public.accounts WHERE id = ANY (doomed);
        PERFORM steward_internal.end_bulk_write();
    END IF;
    UPDATE public.change_sets SET changed = changed + restored + cardinality(doomed) WHERE id = p_undo;
    RETURN refusals;
END
$$;
