-- Duplicates: "not a duplicate" remembered, and the merge of customers into a survivor.
--
-- A merge is one change set (kind 'merge'): the picked values written to the survivor
-- ('field' and 'master' items), every child row moved to the survivor ('moved' items, key
-- '<table>:<row id>', before/after the customer ids) and each merged customer left as a
-- tombstone pointing to it ('tombstone' items). Undo (steward_api.undo_change_set, then
-- steward_internal.undo_merge below) moves each row back and clears the tombstones,
-- refusing per row what changed since. Field history is not moved: it stays under the
-- customer it was written for, and the survivor's history reads its tombstones' too
-- (services/service_layer/fields.py), so nothing of the audit is rewritten.

-- The child tables a merge moves, by their customer column. Rows keyed by their id;
-- contact links by contact and role.
CREATE OR REPLACE FUNCTION steward_internal.merge_child_tables() RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
    SELECT ARRAY['sample_request', 'activities', 'slas', 'roi_scenarios']
$$;

-- Remember that two customers are not the same; the scan offers the pair no more.
-- One of them at least must be the caller's to change (a rep says "not a duplicate of mine").
CREATE OR REPLACE FUNCTION steward_api.dismiss_duplicate(p_a uuid, p_b uuid, p_context jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me record;
    lo uuid := least(p_a, p_b);
    hi uuid := greatest(p_a, p_b);
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    IF p_a IS NULL OR p_b IS NULL OR p_a = p_b THEN
        PERFORM steward_internal.invalid('Name two different customers.', jsonb_build_object('customers', 'two different ids'));
    END IF;
    IF (SELECT count(*) FROM public.accounts a WHERE a.id IN (lo, hi)) < 2
       OR NOT EXISTS (SELECT 1 FROM public.accounts a
                       WHERE a.id IN (lo, hi) AND steward_internal.may_write(me.role, me.user_id, me.region, a)) THEN
        PERFORM steward_internal.fail('SW404', 'Both customers must exist, and one of them be yours to change.',
                                      jsonb_build_object('customers', jsonb_build_array(p_a, p_b)));
    END IF;
    INSERT INTO public.duplicate_dismissals (customer_a, customer_b, dismissed_by)
    VALUES (lo, hi, me.user_id)
    ON CONFLICT DO NOTHING;
    RETURN jsonb_build_object('customer_a', lo, 'customer_b', hi);
END
$$;

-- The merge itself, without the dry run's rollback (steward_api.merge_customers).
CREATE OR REPLACE FUNCTION steward_internal.merge_apply(
    p_actor jsonb, p_user uuid, p_role text, p_region text, p_survivor uuid, p_others uuid[], p_pick jsonb)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_id uuid;
    survivor public.accounts;
    a public.accounts;
    c uuid;
    t text;
    n integer;
    moved jsonb := '{}';
    samples jsonb := '{}';
    writes jsonb := '[]';
    master jsonb := '[]';
    k text;
    source uuid;
    v_before jsonb;
    v_after jsonb;
    kept integer;
    fields_result jsonb;
BEGIN
    -- Lock every customer in id order (two merges of overlapping customers cannot deadlock).
    FOR c IN SELECT x FROM unnest(p_survivor || p_others) x ORDER BY x LOOP
        a := steward_internal.lock_writable(c, p_user, p_role, p_region, 'merge this customer');
        IF a.merged_into IS NOT NULL THEN
            PERFORM steward_internal.fail('SW409', format('“%s” has been merged already.', a.name),
                                          jsonb_build_object('customer_id', c, 'merged_into', a.merged_into));
        END IF;
        IF c <> p_survivor AND (a.is_chain OR EXISTS (SELECT 1 FROM public.accounts l WHERE l.parent_account_id = c)) THEN
            PERFORM steward_internal.invalid(format('“%s” is a chain with locations; merge its locations, not the chain.', a.name),
                                             jsonb_build_object('others', 'a chain cannot be merged away'));
        END IF;
    END LOOP;
    SELECT * INTO survivor FROM public.accounts WHERE id = p_survivor;

    INSERT INTO public.change_sets (kind, description, selection, created_by)
    VALUES ('merge', left(format('Merge %s customer(s) into %s', cardinality(p_others), survivor.name), 500),
            jsonb_build_object('survivor', p_survivor, 'others', to_jsonb(p_others), 'pick', p_pick), p_user)
    RETURNING id INTO v_id;

    -- The picked values: master data set directly (recorded as 'master' items), fields through
    -- the change sets' own writer (recorded as 'field' items, history and events included).
    FOR k, source IN SELECT e.key, (e.value #>> '{}')::uuid FROM jsonb_each(p_pick) e LOOP
        IF source = p_survivor THEN
            CONTINUE;
        END IF;
        IF k IN ('name', 'city', 'external_ref') THEN
            SELECT to_jsonb(x) -> k INTO v_after FROM public.accounts x WHERE x.id = source;
            v_before := to_jsonb(survivor) -> k;
            IF v_before IS DISTINCT FROM v_after THEN
                master := master || jsonb_build_object('key', k, 'before', v_before, 'after', v_after, 'from', source);
            END IF;
        ELSE
            SELECT fv.value INTO v_after FROM public.field_values fv WHERE fv.customer_id = source AND fv.field_key = k;
            writes := writes || jsonb_build_object('customer_id', p_survivor, 'key', k, 'value', coalesce(v_after, 'null'::jsonb));
        END IF;
    END LOOP;

    -- An external reference is unique: the merged customer gives it up before the survivor takes it.
    IF master @> '[{"key": "external_ref"}]' THEN
        source := (SELECT (m ->> 'from')::uuid FROM jsonb_array_elements(master) m WHERE m ->> 'key' = 'external_ref');
        INSERT INTO public.change_set_items (change_set_id, customer_id, target, key, before, after)
        SELECT v_id, source, 'master', 'external_ref', to_jsonb(x.external_ref), 'null' FROM public.accounts x WHERE x.id = source;
        UPDATE public.accounts SET external_ref = NULL, master_version = master_version + 1, updated_at = now() WHERE id = source;
    END IF;
    INSERT INTO public.change_set_items (change_set_id, customer_id, target, key, before, after)
    SELECT v_id, p_survivor, 'master', m ->> 'key', m -> 'before', m -> 'after' FROM jsonb_array_elements(master) m;
    IF master <> '[]' THEN
        UPDATE public.accounts x
           SET name = CASE WHEN master @> '[{"key": "name"}]' THEN (SELECT m ->> 'after' FROM jsonb_array_elements(master) m WHERE m ->> 'key' = 'name') ELSE x.name END,
               city = CASE WHEN master @> '[{"key": "city"}]' THEN (SELECT m ->> 'after' FROM jsonb_array_elements(master) m WHERE m ->> 'key' = 'city') ELSE x.city END,
               external_ref = CASE WHEN master @> '[{"key": "external_ref"}]' THEN (SELECT m ->> 'after' FROM jsonb_array_elements(master) m WHERE m ->> 'key' = 'external_ref') ELSE x.external_ref END,
               master_version = master_version + 1, updated_at = now()
         WHERE x.id = p_survivor;
    END IF;
    fields_result := steward_internal.apply_field_writes(p_actor, p_user, p_role, p_region, v_id, writes);

    -- Every child row to the survivor, each one an item (its customer before and after).
    FOREACH t IN ARRAY steward_internal.merge_child_tables() LOOP
        EXECUTE format(
            'WITH moved AS (
                 UPDATE public.%1$I x SET customer_id = $1 FROM public.%1$I old
                  WHERE old.id = x.id AND x.customer_id = ANY ($2)
                 RETURNING x.id, old.customer_id AS before)
             , recorded AS (
                 INSERT INTO public.change_set_items (change_set_id, customer_id, target, key, before, after)
                 SELECT $3, m.before, ''moved'', %1$L || '':'' || m.id, to_jsonb(m.before), to_jsonb($1)
                   FROM moved m ORDER BY m.id
                 RETURNING key)
             SELECT count(*), coalesce((SELECT jsonb_agg(split_part(r.key, '':'', 2)) FROM (SELECT key FROM recorded ORDER BY key LIMIT 5) r), ''[]'')
               FROM recorded', t)
           INTO n, v_after USING p_survivor, p_others, v_id;
        moved := moved || jsonb_build_object(t, n);
        samples := samples || jsonb_build_object(t, v_after);
    END LOOP;

    -- Contact links: a contact linked to both in the same role keeps the survivor's link only
    -- (the merged customer's stays on the tombstone, counted as kept).
    WITH moved AS (
        UPDATE public.contact_roles x SET account_id = p_survivor
          FROM public.contact_roles old
         WHERE old.contact_id = x.contact_id AND old.account_id = x.account_id AND old.role = x.role
           AND x.account_id = ANY (p_others)
           AND NOT EXISTS (SELECT 1 FROM public.contact_roles s
                            WHERE s.account_id = p_survivor AND s.contact_id = x.contact_id AND s.role = x.role)
           AND x.ctid = (SELECT min(y.ctid) FROM public.contact_roles y
                          WHERE y.account_id = ANY (p_others) AND y.contact_id = x.contact_id AND y.role = x.role)
        RETURNING x.contact_id, x.role, old.account_id AS before
    ), recorded AS (
        INSERT INTO public.change_set_items (change_set_id, customer_id, target, key, before, after)
        SELECT v_id, m.before, 'moved', 'contact_roles:' || m.contact_id || '/' || m.role, to_jsonb(m.before), to_jsonb(p_survivor)
          FROM moved m ORDER BY m.contact_id, m.role
        RETURNING key
    )
    SELECT count(*) INTO n FROM recorded;
    moved := moved || jsonb_build_object('contact_roles', n);
    SELECT count(*) INTO kept FROM public.contact_roles WHERE account_id = ANY (p_others);

    -- The tombstones: hidden from the grid (the projection's truth leaves them out), their ids resolve.
    UPDATE public.accounts SET merged_into = p_survivor, updated_at = now() WHERE id = ANY (p_others);
    INSERT INTO public.change_set_items (change_set_id, customer_id, target, key, before, after)
    SELECT v_id, x, 'tombstone', 'merged_into', 'null', to_jsonb(p_survivor) FROM unnest(p_others) x ORDER BY x;
    DELETE FROM public.cm_customer_hot_proj WHERE customer_id = ANY (p_others);
    PERFORM steward_internal.repair_projection('00000000-0000-0000-0000-000000000000',
                                               'ffffffff-ffff-ffff-ffff-ffffffffffff', ARRAY[p_survivor]);

    UPDATE public.change_sets
       SET state = 'done', finished_at = now(),
           changed = (SELECT count(*) FROM public.change_set_items i WHERE i.change_set_id = v_id)
     WHERE id = v_id;
    -- One event per merged customer (docs/EVENTS.md): a consumer keyed by the merged id learns where it went.
    FOREACH c IN ARRAY p_others LOOP
        PERFORM steward_internal.emit(p_actor, 'customer.merged', p_survivor, jsonb_build_object(
            'customerId', p_survivor, 'mergedId', c, 'changeSetId', v_id));
    END LOOP;
    RETURN steward_internal.change_set_json(v_id) || jsonb_build_object(
        'survivor', p_survivor, 'others', to_jsonb(p_others), 'moved', moved, 'samples', samples, 'kept_links', kept,
        'master', master,
        'fields', (SELECT coalesce(jsonb_agg(jsonb_build_object('key', i.key, 'before', i.before, 'after', i.after)
                                             ORDER BY i.key), '[]')
                     FROM public.change_set_items i WHERE i.change_set_id = v_id AND i.target = 'field'),
        'refused_values', fields_result -> 'refused');
END
$$;

-- Merge customers into a survivor, taking per field (master data: name, city,
-- external_ref; or a field key) the value of the customer `p_pick` names (the survivor's
-- where it names none). With p_dry_run, the same merge runs and is rolled back: the answer
-- says what would move and change, and nothing is written.
CREATE OR REPLACE FUNCTION steward_api.merge_customers(
    p_survivor uuid, p_others uuid[], p_pick jsonb DEFAULT '{}', p_dry_run boolean DEFAULT false,
    p_context jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me record;
    result jsonb;
    detail text;
    bad jsonb;
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    IF p_survivor IS NULL OR coalesce(cardinality(p_others), 0) = 0 OR cardinality(p_others) > 50
       OR p_survivor = ANY (p_others) OR array_position(p_others, NULL) IS NOT NULL
       OR (SELECT count(DISTINCT x) FROM unnest(p_others) x) <> cardinality(p_others) THEN
        PERFORM steward_internal.invalid('Name a survivor and 1 to 50 other, different customers.',
                                         jsonb_build_object('others', '1 to 50 distinct ids, not the survivor'));
    END IF;
    IF jsonb_typeof(coalesce(p_pick, '{}')) <> 'object' THEN
        PERFORM steward_internal.invalid('The choice per field must be an object (key → customer id).',
                                         jsonb_build_object('pick', 'must be an object'));
    END IF;
    SELECT jsonb_object_agg(e.key, CASE
               WHEN e.value #>> '{}' !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                    OR NOT (e.value #>> '{}')::uuid = ANY (p_survivor || p_others)
                   THEN 'must name one of the customers merged'
               WHEN e.key NOT IN ('name', 'city', 'external_ref')
                    AND NOT EXISTS (SELECT 1 FROM public.field_catalog f WHERE f.key = e.key AND NOT f.derived)
                   THEN 'not a field a merge chooses'
               WHEN EXISTS (SELECT 1 FROM public.field_catalog f WHERE f.key = e.key AND f.restricted)
                    AND me.role NOT IN ('CHAIN_MANAGER', 'ADMIN')
                    AND (e.value #>> '{}')::uuid <> p_survivor
                   THEN 'restricted field: only chain managers and admins change it'
           END)
      INTO bad
      FROM jsonb_each(coalesce(p_pick, '{}')) e;
    bad := jsonb_strip_nulls(coalesce(bad, '{}'));
    IF bad <> '{}' THEN
        PERFORM steward_internal.invalid('Some choices are not valid; nothing was merged.', bad);
    END IF;

    BEGIN
        result := steward_internal.merge_apply(me.actor, me.user_id, me.role, me.region, p_survivor, p_others, coalesce(p_pick, '{}'));
        IF p_dry_run THEN
            RAISE EXCEPTION USING ERRCODE = 'SW299', MESSAGE = 'dry run', DETAIL = result::text;
        END IF;
    EXCEPTION WHEN SQLSTATE 'SW299' THEN
        -- Everything the merge wrote is rolled back with this block; its answer stays.
        GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
        result := detail::jsonb || jsonb_build_object('dry_run', true, 'id', NULL);
    END;
    RETURN result;
END
$$;

-- Undo of a merge, after undo_change_set restored the field values: the master data picked,
-- every moved row back to its customer and the tombstones cleared. Refused per row: a row
-- gone or moved since, a customer the caller may not change, a tombstone merged on since.
CREATE OR REPLACE FUNCTION steward_internal.undo_merge(p_change_set uuid, p_undo uuid, p_me jsonb)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_user uuid := (p_me ->> 'user_id')::uuid;
    v_role text := p_me ->> 'role';
    v_region text := p_me ->> 'region';
    refused jsonb := '[]';
    item record;
    t text;
    row_id text;
    n integer;
    restored uuid[] := '{}';
    survivor uuid;
    a public.accounts;
BEGIN
    SELECT (selection ->> 'survivor')::uuid INTO survivor FROM public.change_sets WHERE id = p_change_set;
    -- Lock the customers of the merge in id order, as the merge did.
    PERFORM 1 FROM public.accounts x
     WHERE x.id = survivor OR x.id IN (SELECT i.customer_id FROM public.change_set_items i
                                        WHERE i.change_set_id = p_change_set AND i.target = 'tombstone')
     ORDER BY x.id FOR NO KEY UPDATE;

    -- Tombstones first: a customer that is no longer merged into the survivor keeps its rows there.
    FOR item IN SELECT i.customer_id, i.after FROM public.change_set_items i
                 WHERE i.change_set_id = p_change_set AND i.target = 'tombstone' ORDER BY i.position LOOP
        SELECT * INTO a FROM public.accounts WHERE id = item.customer_id;
        IF NOT FOUND OR to_jsonb(a.merged_into) IS DISTINCT FROM item.after THEN
            refused := refused || jsonb_build_object('customer_id', item.customer_id, 'key', 'merged_into', 'reason', 'changed since');
        ELSIF NOT steward_internal.may_write(v_role, v_user, v_region, a) THEN
            refused := refused || jsonb_build_object('customer_id', item.customer_id, 'key', 'merged_into', 'reason', 'not yours to change');
        ELSE
            UPDATE public.accounts SET merged_into = NULL, updated_at = now() WHERE id = item.customer_id;
            INSERT INTO public.change_set_items (change_set_id, customer_id, target, key, before, after)
            VALUES (p_undo, item.customer_id, 'tombstone', 'merged_into', item.after, 'null');
            restored := restored || item.customer_id;
        END IF;
    END LOOP;

    -- Master data the merge picked: back where it is still what the merge wrote.
    FOR item IN SELECT i.customer_id, i.key, i.before, i.after FROM public.change_set_items i
                 WHERE i.change_set_id = p_change_set AND i.target = 'master' ORDER BY i.position DESC LOOP
        SELECT * INTO a FROM public.accounts WHERE id = item.customer_id;
        IF NOT FOUND OR (to_jsonb(a) -> item.key) IS DISTINCT FROM item.after THEN
            refused := refused || jsonb_build_object('customer_id', item.customer_id, 'key', item.key, 'reason', 'changed since');
        ELSIF NOT steward_internal.may_write(v_role, v_user, v_region, a) THEN
            refused := refused || jsonb_build_object('customer_id', item.customer_id, 'key', item.key, 'reason', 'not yours to change');
        ELSE
            UPDATE public.accounts
               SET name = CASE WHEN item.key = 'name' THEN item.before #>> '{}' ELSE name END,
                   city = CASE WHEN item.key = 'city' THEN item.before #>> '{}' ELSE city END,
                   external_ref = CASE WHEN item.key = 'external_ref' THEN item.before #>> '{}' ELSE external_ref END,
                   master_version = master_version + 1, updated_at = now()
             WHERE id = item.customer_id;
            INSERT INTO public.change_set_items (change_set_id, customer_id, target, key, before, after)
            VALUES (p_undo, item.customer_id, 'master', item.key, item.after, item.before);
        END IF;
    END LOOP;

    -- Each moved row back, where it is still on the customer the merge moved it to and its
    -- customer is no tombstone any more.
    FOR item IN SELECT i.customer_id, i.key, i.before, i.after FROM public.change_set_items i
                 WHERE i.change_set_id = p_change_set AND i.target = 'moved' ORDER BY i.position LOOP
        t := split_part(item.key, ':', 1);
        row_id := substr(item.key, length(t) + 2);
        IF NOT item.customer_id = ANY (restored) THEN
            refused := refused || jsonb_build_object('customer_id', item.customer_id, 'key', item.key,
                                                     'reason', 'its customer is still merged');
            CONTINUE;
        END IF;
        IF t = 'contact_roles' THEN
            UPDATE public.contact_roles SET account_id = item.customer_id
             WHERE contact_id = split_part(row_id, '/', 1)::uuid AND role = substr(row_id, 38)
               AND account_id = (item.after #>> '{}')::uuid;
        ELSIF t = ANY (steward_internal.merge_child_tables()) THEN
            EXECUTE format('UPDATE public.%I SET customer_id = $1 WHERE id = $2::uuid AND customer_id = $3', t)
              USING item.customer_id, row_id, (item.after #>> '{}')::uuid;
        ELSE
            RAISE EXCEPTION 'a merge does not move rows of %', t;  -- a defect, not bad input
        END IF;
        GET DIAGNOSTICS n = ROW_COUNT;
        IF n = 0 THEN
            refused := refused || jsonb_build_object('customer_id', item.customer_id, 'key', item.key, 'reason', 'changed since');
        ELSE
            INSERT INTO public.change_set_items (change_set_id, customer_id, target, key, before, after)
            VALUES (p_undo, item.customer_id, 'moved', item.key, item.after, item.before);
        END IF;
    END LOOP;

    PERFORM steward_internal.repair_projection('00000000-0000-0000-0000-000000000000',
                                               'ffffffff-ffff-ffff-ffff-ffffffffffff', survivor || restored);
    UPDATE public.change_sets
       SET changed = changed + (SELECT count(*) FROM public.change_set_items i
                                 WHERE i.change_set_id = p_undo AND i.target IN ('master', 'moved', 'tombstone'))
     WHERE id = p_undo;
    RETURN refused;
END
$$;
