-- The field system's write API: a customer's dynamic fields with their ETag.
-- The audit history and the hot projection follow from the triggers in
-- 04_projection.sql; this checks every value against the pack's catalog first.

-- All of a customer's fields (the derived sample status included) and their version.
CREATE OR REPLACE FUNCTION steward_internal.fieldset_json(p_customer uuid) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
               'customer_id', a.id, 'version', a.fields_version, 'sample_status', p.sample_status,
               'values', coalesce((SELECT jsonb_object_agg(fv.field_key, fv.value)
                                     FROM public.field_values fv WHERE fv.customer_id = a.id), '{}'))
      FROM public.accounts a
      LEFT JOIN public.cm_customer_hot_proj p ON p.customer_id = a.id
     WHERE a.id = p_customer
$$;

-- What is wrong with some field values, before any customer is looked at:
-- {"errors": {...}} for invalid values, {"forbidden": [...]} for restricted fields
-- the caller may not write; '{}' when all is well. A JSON null removes a field.
CREATE OR REPLACE FUNCTION steward_internal.field_value_problems(p_changes jsonb, p_may_write_restricted boolean)
RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
DECLARE
    errors jsonb := '{}';
    forbidden text[] := '{}';
    f public.field_catalog;
    k text;
    v jsonb;
BEGIN
    FOR k, v IN SELECT key, value FROM jsonb_each(p_changes) LOOP
        SELECT * INTO f FROM public.field_catalog WHERE key = k;
        IF NOT FOUND THEN
            errors := errors || jsonb_build_object(k, 'unknown field');
        ELSIF f.derived THEN
            errors := errors || jsonb_build_object(k, 'is derived and cannot be written (it follows the sample workflow)');
        ELSIF f.restricted AND NOT p_may_write_restricted THEN
            forbidden := forbidden || k;
        ELSIF jsonb_typeof(v) <> 'null' THEN
            errors := errors || coalesce(nullif(steward_internal.schema_errors(f.schema, v, k), '{}'),
                                         steward_internal.check_errors(f.checks, v, k));
        END IF;
    END LOOP;
    IF cardinality(forbidden) > 0 THEN
        RETURN jsonb_build_object('forbidden', to_jsonb(forbidden));
    END IF;
    IF errors <> '{}' THEN
        RETURN jsonb_build_object('errors', errors);
    END IF;
    RETURN '{}';
END
$$;

-- Write some fields (JSON merge patch: null removes one). With p_if_match, a
-- stale version is refused. Appends `customer.fields.changed` when a value
-- changed; returns the fields as they are now.
CREATE OR REPLACE FUNCTION steward_api.patch_fields(
    p_customer uuid, p_changes jsonb, p_if_match bigint DEFAULT NULL, p_context jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me record;
    a public.accounts;
    problems jsonb;
    changes jsonb := '{}';
    k text;
    v jsonb;
    old jsonb;
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    IF jsonb_typeof(p_changes) IS DISTINCT FROM 'object' OR p_changes = '{}' THEN
        PERFORM steward_internal.invalid('Nothing to change: give at least one field.',
                                         jsonb_build_object('changes', 'must not be empty'));
    END IF;
    problems := steward_internal.field_value_problems(p_changes, me.role IN ('CHAIN_MANAGER', 'ADMIN'));
    IF problems ? 'forbidden' THEN
        PERFORM steward_internal.fail('SW403', 'Only chain managers and admins may change contract and price fields: '
            || (SELECT string_agg(format('''%s'' (%s)', f.key, f.label), ', ' ORDER BY f.key)
                  FROM public.field_catalog f WHERE f.key IN (SELECT jsonb_array_elements_text(problems -> 'forbidden')))
            || '.',
            jsonb_build_object('errors', (SELECT jsonb_object_agg(x, 'restricted field')
                                            FROM jsonb_array_elements_text(problems -> 'forbidden') x)));
    END IF;
    IF problems ? 'errors' THEN
        PERFORM steward_internal.invalid('Some fields are not valid; nothing was saved.', problems -> 'errors');
    END IF;

    a := steward_internal.lock_writable(p_customer, me.user_id, me.role, me.region, 'change its fields');
    IF p_if_match IS NOT NULL AND p_if_match <> a.fields_version THEN
        PERFORM steward_internal.fail('SW412', 'Someone else changed this customer''s fields since you loaded them.',
                                      jsonb_build_object('current_etag', format('"%s"', a.fields_version)));
    END IF;

    FOR k, v IN SELECT key, value FROM jsonb_each(p_changes) LOOP
        SELECT fv.value INTO old FROM public.field_values fv WHERE fv.customer_id = a.id AND fv.field_key = k;
        IF jsonb_typeof(v) = 'null' THEN
            IF old IS NOT NULL THEN
                DELETE FROM public.field_values WHERE customer_id = a.id AND field_key = k;
                changes := changes || jsonb_build_object(k, jsonb_build_object('old', old, 'new', NULL));
            END IF;
        ELSIF old IS DISTINCT FROM v THEN
            INSERT INTO public.field_values AS fv (customer_id, field_key, value, updated_by)
            VALUES (a.id, k, v, me.user_id)
            ON CONFLICT (customer_id, field_key) DO UPDATE
               SET value = EXCLUDED.value, updated_by = EXCLUDED.updated_by, updated_at = now();
            changes := changes || jsonb_build_object(k, jsonb_build_object('old', old, 'new', v));
        END IF;
        old := NULL;
    END LOOP;
    IF changes = '{}' THEN
        RETURN steward_internal.fieldset_json(a.id);
    END IF;
    UPDATE public.accounts SET fields_version = fields_version + 1, updated_at = now() WHERE id = a.id;
    PERFORM steward_internal.emit(me.actor, 'customer.fields.changed', a.id, jsonb_build_object(
        'customerId', a.id, 'version', a.fields_version + 1, 'changes', changes));
    RETURN steward_internal.fieldset_json(a.id);
END
$$;
