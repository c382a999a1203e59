-- Change sets: a bulk change as one unit a person can see and take back.
--
-- A change set is opened, filled in batches (so a long bulk edit shows progress and
-- can be cancelled: what ran stays, as a partial change set), and closed. Every value
-- it changes is recorded with its before-image (change_set_items). Undo restores the
-- before-images as a new change set, refusing, per value, what someone changed since
-- (naming who and when) and what the person may not write; undoing an undo redoes.
--
-- Field values are written set-based (one statement for every customer of a batch), so
-- the audit history and the projection follow from the statement trigger once per
-- batch, and a customer.fields.changed event is appended per customer, as a single
-- patch would.

-- The caller's open change set (or the owner's): refuses any other.
CREATE OR REPLACE FUNCTION steward_internal.open_change_set(p_change_set uuid, p_user uuid) RETURNS public.change_sets
LANGUAGE plpgsql AS $$
DECLARE
    cs public.change_sets;
BEGIN
    SELECT * INTO cs FROM public.change_sets WHERE id = p_change_set FOR UPDATE;
    IF NOT FOUND OR cs.created_by IS DISTINCT FROM p_user THEN
        PERFORM steward_internal.fail('SW404', format('Change set %s does not exist or is not yours.', p_change_set));
    END IF;
    IF cs.state <> 'open' THEN
        PERFORM steward_internal.fail('SW410', format('Change set %s is closed already.', p_change_set));
    END IF;
    RETURN cs;
END
$$;

CREATE OR REPLACE FUNCTION steward_internal.change_set_json(p_change_set uuid) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
               'id', c.id, 'kind', c.kind, 'description', c.description, 'selection', c.selection,
               'created_by', c.created_by, 'created_by_name', u.display_name, 'created_at', c.created_at,
               'state', c.state, 'finished_at', c.finished_at, 'undoes', c.undoes, 'undone_by', c.undone_by,
               'changed', c.changed, 'refused', c.refused,
               'customers', (SELECT count(DISTINCT i.customer_id) FROM public.change_set_items i WHERE i.change_set_id = c.id))
      FROM public.change_sets c
      LEFT JOIN public.users u ON u.id = c.created_by
     WHERE c.id = p_change_set
$$;

-- Write field values, each {"customer_id", "key", "value"} (a JSON null removes the
-- field), into the change set: only where the caller may write the customer, only
-- values that differ. Returns {"changed": values written, "customers": customers
-- written, "refused": [{"customer_id", "key", "reason"}]}.
CREATE OR REPLACE FUNCTION steward_internal.apply_field_writes(
    p_actor jsonb, p_user uuid, p_role text, p_region text, p_change_set uuid, p_writes jsonb)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_refused jsonb;
    written jsonb;
    n_changed integer;
    n_customers integer;
BEGIN
    -- Who may not write which customer: refused, each value named; no lock on their rows.
    SELECT coalesce(jsonb_agg(jsonb_build_object('customer_id', w.customer_id, 'key', w.key,
                                                 'reason', CASE WHEN a.id IS NULL THEN 'no such customer'
                                                                ELSE 'not yours to change' END)), '[]')
      INTO v_refused
      FROM (SELECT (x ->> 'customer_id')::uuid AS customer_id, x ->> 'key' AS key FROM jsonb_array_elements(p_writes) x) w
      LEFT JOIN public.accounts a ON a.id = w.customer_id
     WHERE a.id IS NULL OR NOT steward_internal.may_write(p_role, p_user, p_region, a);

    PERFORM 1 FROM public.accounts a
     WHERE a.id IN (SELECT DISTINCT (x ->> 'customer_id')::uuid FROM jsonb_array_elements(p_writes) x)
       AND steward_internal.may_write(p_role, p_user, p_region, a)
     ORDER BY a.id FOR NO KEY UPDATE;

    -- The values that change, with their before-images, recorded first.
    WITH w AS (
        SELECT DISTINCT ON (x ->> 'customer_id', x ->> 'key')
               (x ->> 'customer_id')::uuid AS customer_id, x ->> 'key' AS key,
               CASE WHEN jsonb_typeof(x -> 'value') = 'null' THEN NULL ELSE x -> 'value' END AS value
          FROM jsonb_array_elements(p_writes) WITH ORDINALITY AS e(x, n)
         ORDER BY x ->> 'customer_id', x ->> 'key', n DESC
    ), allowed AS (
        SELECT w.* FROM w JOIN public.accounts a ON a.id = w.customer_id
         WHERE steward_internal.may_write(p_role, p_user, p_region, a)
    )
    INSERT INTO public.change_set_items (change_set_id, customer_id, target, key, before, after)
    SELECT p_change_set, al.customer_id, 'field', al.key, fv.value, al.value
      FROM allowed al
      LEFT JOIN public.field_values fv ON fv.customer_id = al.customer_id AND fv.field_key = al.key
     WHERE fv.value IS DISTINCT FROM al.value
     ORDER BY al.customer_id, al.key;
    GET DIAGNOSTICS n_changed = ROW_COUNT;

    -- What this call recorded: the newest items of the change set, one per value.
    SELECT coalesce(jsonb_agg(jsonb_build_object('customer_id', i.customer_id, 'key', i.key, 'before', i.before,
                                                 'after', i.after)), '[]')
      INTO written
      FROM (SELECT * FROM public.change_set_items WHERE change_set_id = p_change_set AND target = 'field'
             ORDER BY position DESC LIMIT n_changed) i;

    INSERT INTO public.field_values AS fv (customer_id, field_key, value, updated_by)
    SELECT (i ->> 'customer_id')::uuid, i ->> 'key', i -> 'after', p_user
      FROM jsonb_array_elements(written) i
     WHERE jsonb_typeof(i -> 'after') <> 'null'
    ON CONFLICT (customer_id, field_key) DO UPDATE
       SET value = EXCLUDED.value, updated_by = EXCLUDED.updated_by, updated_at = now();
    DELETE FROM public.field_values fv
     USING jsonb_array_elements(written) i
     WHERE jsonb_typeof(i -> 'after') = 'null'
       AND fv.customer_id = (i ->> 'customer_id')::uuid AND fv.field_key = i ->> 'key';

    -- One event per customer with all of its changes (grouped once: a correlated lookup
    -- per customer would read every written value again for each of them).
    WITH per_customer AS (
        SELECT (i ->> 'customer_id')::uuid AS customer_id,
               jsonb_object_agg(i ->> 'key', jsonb_build_object('old', i -> 'before', 'new', i -> 'after')) AS changes
          FROM jsonb_array_elements(written) i
         GROUP BY 1
    ), bumped AS (
        UPDATE public.accounts a SET fields_version = fields_version + 1, updated_at = now()
          FROM per_customer c
         WHERE a.id = c.customer_id
        RETURNING a.id, a.fields_version, c.changes
    )
    INSERT INTO public.event_outbox (id, type, correlation_id, actor, customer_id, data)
    SELECT gen_random_uuid(), 'customer.fields.changed', steward_internal.correlation_id(), p_actor, b.id,
           jsonb_build_object('customerId', b.id, 'version', b.fields_version, 'changeSetId', p_change_set,
                              'changes', b.changes)
      FROM bumped b;
    GET DIAGNOSTICS n_customers = ROW_COUNT;

    UPDATE public.change_sets c
       SET changed = c.changed + n_changed, refused = c.refused + jsonb_array_length(v_refused)
     WHERE c.id = p_change_set;
    RETURN jsonb_build_object('changed', n_changed, 'customers', n_customers, 'refused', v_refused);
END
$$;

-- ------------------------------------------------------------------ the API

-- Open a change set for a bulk change; `selection` says what it runs on (the grid's
-- filter, or the selected customers), for the history and the undo entry.
CREATE OR REPLACE FUNCTION steward_api.begin_change_set(
    p_kind text, p_description text, p_selection jsonb DEFAULT '{}', p_context jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me record;
    v_id uuid;
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    PERFORM steward_internal.one_of(p_kind, 'kind', ARRAY['bulk_edit', 'reassign', 'paste', 'restore', 'import', 'merge']);
    IF jsonb_typeof(p_selection) IS DISTINCT FROM 'object' OR length(p_selection::text) > 100000 THEN
        PERFORM steward_internal.invalid('The selection must be an object (the filter or the ids).',
                                         jsonb_build_object('selection', 'must be an object'));
    END IF;
    INSERT INTO public.change_sets (kind, description, selection, created_by)
    VALUES (p_kind, steward_internal.clean_text(p_description, 'description', 500, true), p_selection, me.user_id)
    RETURNING id INTO v_id;
    RETURN steward_internal.change_set_json(v_id);
END
$$;

-- Set (or, with a JSON null, clear) the same fields on many customers, into an open
-- change set. Invalid values refuse the whole call (nothing written); fields the caller
-- may not write (restricted) and customers they may not change are skipped, each with
-- its reason.
CREATE OR REPLACE FUNCTION steward_api.bulk_patch_fields(
    p_change_set uuid, p_customers uuid[], p_changes jsonb, p_context jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me record;
    problems jsonb;
    allowed jsonb;
    skipped jsonb := '[]';
    result jsonb;
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    PERFORM steward_internal.open_change_set(p_change_set, me.user_id);
    IF jsonb_typeof(p_changes) IS DISTINCT FROM 'object' OR p_changes = '{}' THEN
        PERFORM steward_internal.invalid('Nothing to change: give at least one field.',
                                         jsonb_build_object('changes', 'must not be empty'));
    END IF;
    IF cardinality(p_customers) > 5000 THEN
        PERFORM steward_internal.invalid('At most 5,000 customers a call; send the rest in further calls.',
                                         jsonb_build_object('customers', 'at most 5000'));
    END IF;
    problems := steward_internal.field_value_problems(p_changes, me.role IN ('CHAIN_MANAGER', 'ADMIN'));
    IF problems ? 'errors' THEN
        PERFORM steward_internal.invalid('Some fields are not valid; nothing was saved.', problems -> 'errors');
    END IF;
    allowed := p_changes - ARRAY(SELECT jsonb_array_elements_text(coalesce(problems -> 'forbidden', '[]')));
    IF problems ? 'forbidden' THEN
        SELECT jsonb_agg(jsonb_build_object('customer_id', c, 'key', k, 'reason',
                                            'restricted field: only chain managers and admins change it'))
          INTO skipped
          FROM unnest(p_customers) c, jsonb_array_elements_text(problems -> 'forbidden') k;
        UPDATE public.change_sets SET refused = refused + jsonb_array_length(skipped) WHERE id = p_change_set;
    END IF;
    result := steward_internal.apply_field_writes(me.actor, me.user_id, me.role, me.region, p_change_set,
        (SELECT coalesce(jsonb_agg(jsonb_build_object('customer_id', c, 'key', e.key, 'value', e.value)), '[]')
           FROM unnest(p_customers) c, jsonb_each(allowed) e));
    RETURN jsonb_set(result, '{refused}', (result -> 'refused') || skipped);
END
$$;

-- Close a change set: done, or partial when it was cancelled half-way.
CREATE OR REPLACE FUNCTION steward_api.finish_change_set(
    p_change_set uuid, p_cancelled boolean DEFAULT false, p_context jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me record;
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    PERFORM steward_internal.open_change_set(p_change_set, me.user_id);
    UPDATE public.change_sets SET state = CASE WHEN p_cancelled THEN 'partial' ELSE 'done' END, finished_at = now()
     WHERE id = p_change_set;
    PERFORM steward_internal.emit(me.actor, 'change_set.applied', NULL, jsonb_build_object(
        'changeSetId', p_change_set, 'cancelled', p_cancelled));
    RETURN steward_internal.change_set_json(p_change_set);
END
$$;

-- Set a customer's fields back to what they were at a moment (from the audit
-- history), all of them or the given keys; a change set of its own (kind restore).
CREATE OR REPLACE FUNCTION steward_api.restore_fields(
    p_customer uuid, p_at timestamptz, p_keys text[] DEFAULT NULL, p_context jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me record;
    a public.accounts;
    v_id uuid;
    writes jsonb;
    result jsonb;
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    a := steward_internal.lock_writable(p_customer, me.user_id, me.role, me.region, 'restore its fields');
    IF p_at IS NULL OR p_at > now() THEN
        PERFORM steward_internal.invalid('Restore to a moment in the past.', jsonb_build_object('at', 'must lie in the past'));
    END IF;
    -- Each field changed since p_at (or named), back to its value at p_at: the newest
    -- value written at or before p_at, or absent.
    SELECT coalesce(jsonb_agg(jsonb_build_object('customer_id', p_customer, 'key', k.field_key, 'value', coalesce(
               (SELECT h.new_value FROM public.field_history h
                 WHERE h.customer_id = p_customer AND h.field_key = k.field_key AND h.changed_at <= p_at
                 ORDER BY h.changed_at DESC, h.id DESC LIMIT 1), 'null'::jsonb))), '[]')
      INTO writes
      FROM (SELECT DISTINCT h.field_key FROM public.field_history h
             WHERE h.customer_id = p_customer AND h.changed_at > p_at
               AND (p_keys IS NULL OR h.field_key = ANY (p_keys))) k
      JOIN public.field_catalog f ON f.key = k.field_key AND NOT f.derived
                                 AND (NOT f.restricted OR me.role IN ('CHAIN_MANAGER', 'ADMIN'));
    INSERT INTO public.change_sets (kind, description, selection, created_by)
    VALUES ('restore', format('Restore %s to %s', a.name, to_char(p_at AT TIME ZONE 'Europe/Berlin', 'YYYY-MM-DD HH24:MI')),
            jsonb_build_object('customer_ids', jsonb_build_array(p_customer), 'at', p_at, 'keys', to_jsonb(p_keys)),
            me.user_id)
    RETURNING id INTO v_id;
    result := steward_internal.apply_field_writes(me.actor, me.user_id, me.role, me.region, v_id, writes);
    UPDATE public.change_sets SET state = 'done', finished_at = now() WHERE id = v_id;
    RETURN steward_internal.change_set_json(v_id) || jsonb_build_object('refused_values', result -> 'refused');
END
$$;

-- Take a change set back: its before-images restored, as a new change set (kind undo).
-- Refused per value: what someone changed since (naming who and when), and what the
-- caller may not write. Only its author (or an admin) undoes a change set, once.
CREATE OR REPLACE FUNCTION steward_api.undo_change_set(p_change_set uuid, p_context jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me record;
    cs public.change_sets;
    v_id uuid;
    stale jsonb;
    writes jsonb;
    result jsonb;
    owners jsonb;
    owner_refused jsonb := '[]';
    structure_refused jsonb := '[]';
    item record;
    a public.accounts;
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    SELECT * INTO cs FROM public.change_sets WHERE id = p_change_set FOR UPDATE;
    IF NOT FOUND OR (cs.created_by IS DISTINCT FROM me.user_id AND me.role <> 'ADMIN') THEN
        PERFORM steward_internal.fail('SW404', format('Change set %s does not exist or is not yours.', p_change_set));
    END IF;
    IF cs.state = 'open' THEN
        PERFORM steward_internal.fail('SW410', 'This change set is still running; cancel or finish it first.');
    END IF;
    IF cs.undone_by IS NOT NULL THEN
        PERFORM steward_internal.fail('SW410', 'This change set has been undone already; undo that to redo it.',
                                      jsonb_build_object('undone_by', cs.undone_by));
    END IF;
    -- Undoing the undo of a merge would pick the values again but move no row (the moves are the
    -- merge's own undo, 51_duplicates.sql): a merge taken back is merged again, not redone.
    IF cs.kind = 'undo' AND EXISTS (SELECT 1 FROM public.change_sets m WHERE m.id = cs.undoes AND m.kind = 'merge') THEN
        PERFORM steward_internal.fail('SW410', 'An undone merge is not redone; merge the customers again.',
                                      jsonb_build_object('undoes', cs.undoes));
    END IF;
    INSERT INTO public.change_sets (kind, description, selection, created_by, undoes)
    VALUES ('undo', left('Undo: ' || cs.description, 500), jsonb_build_object('change_set', cs.id), me.user_id, cs.id)
    RETURNING id INTO v_id;
    UPDATE public.change_sets SET undone_by = v_id WHERE id = cs.id;

    -- Fields: per value, the first before-image and the last after-image of the change set.
    WITH items AS (
        SELECT DISTINCT ON (i.customer_id, i.key) i.customer_id, i.key,
               first_value(i.before) OVER w AS before, last_value(i.after) OVER w AS after
          FROM public.change_set_items i
         WHERE i.change_set_id = cs.id AND i.target = 'field'
        WINDOW w AS (PARTITION BY i.customer_id, i.key ORDER BY i.position
                     ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
    ), now_ AS (
        SELECT it.*, fv.value AS current FROM items it
          LEFT JOIN public.field_values fv ON fv.customer_id = it.customer_id AND fv.field_key = it.key
    )
    SELECT coalesce(jsonb_agg(jsonb_build_object('customer_id', n.customer_id, 'key', n.key, 'value', coalesce(n.before, 'null'::jsonb)))
                        FILTER (WHERE n.current IS NOT DISTINCT FROM n.after), '[]'),
           coalesce(jsonb_agg(jsonb_build_object(
                        'customer_id', n.customer_id, 'key', n.key, 'reason', 'changed since',
                        'changed_by', (SELECT coalesce(u.display_name, h.changed_by_login) FROM public.field_history h
                                         LEFT JOIN public.users u ON u.id = h.changed_by
                                        WHERE h.customer_id = n.customer_id AND h.field_key = n.key
                                        ORDER BY h.changed_at DESC, h.id DESC LIMIT 1),
                        'changed_at', (SELECT h.changed_at FROM public.field_history h
                                        WHERE h.customer_id = n.customer_id AND h.field_key = n.key
                                        ORDER BY h.changed_at DESC, h.id DESC LIMIT 1)))
                        FILTER (WHERE n.current IS DISTINCT FROM n.after), '[]')
      INTO writes, stale
      FROM now_ n;
    result := steward_internal.apply_field_writes(me.actor, me.user_id, me.role, me.region, v_id, writes);

    -- Owners: back to the first owner, where the owner is still the one this set gave.
    FOR item IN
        SELECT DISTINCT ON (i.customer_id) i.customer_id,
               first_value(i.before) OVER w AS before, last_value(i.after) OVER w AS after
          FROM public.change_set_items i
         WHERE i.change_set_id = cs.id AND i.target = 'owner'
        WINDOW w AS (PARTITION BY i.customer_id ORDER BY i.position ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
         ORDER BY i.customer_id
    LOOP
        SELECT * INTO a FROM public.accounts WHERE id = item.customer_id;
        IF NOT FOUND OR to_jsonb(a.owner_id) IS DISTINCT FROM item.after THEN
            owner_refused := owner_refused || jsonb_build_object('customer_id', item.customer_id, 'key', 'owner_id',
                                                                 'reason', 'changed since');
        ELSIF item.before IS NOT NULL AND jsonb_typeof(item.before) <> 'null' AND NOT EXISTS (
                  SELECT 1 FROM public.users u WHERE u.id = (item.before #>> '{}')::uuid AND u.active) THEN
            owner_refused := owner_refused || jsonb_build_object('customer_id', item.customer_id, 'key', 'owner_id',
                                                                 'reason', 'the former owner is disabled');
        ELSIF me.role NOT IN ('TEAM_LEAD', 'ADMIN') OR NOT steward_internal.may_write(me.role, me.user_id, me.region, a) THEN
            owner_refused := owner_refused || jsonb_build_object('customer_id', item.customer_id, 'key', 'owner_id',
                                                                 'reason', 'not yours to change');
        ELSE
            PERFORM steward_internal.reassign_one(me.actor, me.user_id, me.role, me.region, v_id, a.id,
                                                  (item.before #>> '{}')::uuid);
        END IF;
    END LOOP;

    -- What an import or a merge did beyond values (customers and contacts created, child rows
    -- moved, tombstones): the undo of its kind takes that back, after the values, and returns
    -- what it refused ({"customer_id", "key", "reason"} each). It lives beside its kind.
    IF cs.kind IN ('import', 'merge') THEN
        EXECUTE format('SELECT steward_internal.%I($1, $2, $3)', 'undo_' || cs.kind)
           INTO structure_refused USING cs.id, v_id, to_jsonb(me);
    END IF;

    UPDATE public.change_sets
       SET state = 'done', finished_at = now(),
           refused = refused + jsonb_array_length(stale) + jsonb_array_length(owner_refused)
                     + jsonb_array_length(coalesce(structure_refused, '[]'))
     WHERE id = v_id;
    PERFORM steward_internal.emit(me.actor, 'change_set.undone', NULL, jsonb_build_object(
        'changeSetId', v_id, 'undoes', cs.id));
    RETURN steward_internal.change_set_json(v_id)
           || jsonb_build_object('refused_values', (result -> 'refused') || stale || owner_refused
                                                   || coalesce(structure_refused, '[]'));
END
$$;

-- Which of these customers the caller may change (a bulk edit's preview counts the others
-- as out of scope). Reveals nothing: a person may change only customers they may read.
CREATE OR REPLACE FUNCTION steward_api.writable_customers(p_customers uuid[], p_context jsonb DEFAULT NULL)
RETURNS uuid[]
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me record;
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    RETURN ARRAY(SELECT a.id FROM public.accounts a
                  WHERE a.id = ANY (p_customers) AND steward_internal.may_write(me.role, me.user_id, me.region, a)
                  ORDER BY a.id);
END
$$;

-- Different values for different customers (a block pasted into the grid, a restore
-- built by the client), each {"customer_id", "key", "value"}, into an open change set.
-- Every value is checked first: one invalid value refuses the call, naming each one
-- ("<customer id>.<key>"), and nothing is written.
CREATE OR REPLACE FUNCTION steward_api.write_fields(p_change_set uuid, p_writes jsonb, p_context jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me record;
    errors jsonb;
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    PERFORM steward_internal.open_change_set(p_change_set, me.user_id);
    IF jsonb_typeof(p_writes) IS DISTINCT FROM 'array' OR jsonb_array_length(p_writes) > 10000 THEN
        PERFORM steward_internal.invalid('Give a list of at most 10,000 values.', jsonb_build_object('writes', 'must be a list'));
    END IF;
    IF EXISTS (SELECT 1 FROM jsonb_array_elements(p_writes) w
                WHERE jsonb_typeof(w) <> 'object' OR NOT (w ? 'customer_id' AND w ? 'key' AND w ? 'value')
                   OR (w ->> 'customer_id') !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$') THEN
        PERFORM steward_internal.invalid('Each value names its customer (an id), its field and the value.',
                                         jsonb_build_object('writes', 'each {customer_id, key, value}'));
    END IF;
    SELECT coalesce(jsonb_object_agg((w ->> 'customer_id') || '.' || e.key, e.value), '{}')
      INTO errors
      FROM jsonb_array_elements(p_writes) w,
           jsonb_each(coalesce(steward_internal.field_value_problems(jsonb_build_object(w ->> 'key', w -> 'value'),
                                                                     me.role IN ('CHAIN_MANAGER', 'ADMIN')) -> 'errors',
                               '{}')) e;
    IF errors <> '{}' THEN
        PERFORM steward_internal.invalid('Some values are not valid; nothing was saved.', errors);
    END IF;
    RETURN steward_internal.apply_field_writes(me.actor, me.user_id, me.role, me.region, p_change_set,
        (SELECT coalesce(jsonb_agg(w), '[]') FROM jsonb_array_elements(p_writes) w
          WHERE NOT coalesce(steward_internal.field_value_problems(jsonb_build_object(w ->> 'key', w -> 'value'),
                                                                   me.role IN ('CHAIN_MANAGER', 'ADMIN')) ? 'forbidden',
                             false)));
END
$$;

-- What a bulk edit of these fields over these customers would meet: how many of them the
-- caller may change, and among those the current values of each field, grouped
-- ({"writable": n, "values": [{"key", "value", "n"}]}, absent values left out). One
-- call, set-based: a preview over 100,000 customers answers within a second or two.
CREATE OR REPLACE FUNCTION steward_api.bulk_preview(p_customers uuid[], p_keys text[], p_context jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me record;
    writable uuid[];
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    -- The rule of may_write, set-based (an admin may change every customer that exists).
    writable := ARRAY(
        SELECT a.id FROM public.accounts a
         WHERE a.id = ANY (p_customers)
           AND CASE me.role
                   WHEN 'ADMIN' THEN true
                   WHEN 'TEAM_LEAD' THEN a.region = me.region
                   WHEN 'SALES_REP' THEN a.owner_id = me.user_id
                   ELSE steward_internal.may_write(me.role, me.user_id, me.region, a)
               END);
    RETURN jsonb_build_object(
        'writable', cardinality(writable),
        'values', (SELECT coalesce(jsonb_agg(jsonb_build_object('key', v.field_key, 'value', v.value, 'n', v.n)), '[]')
                     FROM (SELECT fv.field_key, fv.value, count(*) AS n
                             FROM public.field_values fv
                            WHERE fv.field_key = ANY (p_keys) AND fv.customer_id = ANY (writable)
                            GROUP BY fv.field_key, fv.value) v));
END
$$;
