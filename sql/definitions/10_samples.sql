-- Sample requests and their status workflow: the write API.
--
-- The workflow is the pack's (sample_statuses, sample_transitions, synced from
-- pack.toml): any other move is refused naming the current status and the
-- allowed ones. An event time may be given; it may not lie before the previous
-- transition, nor in the future beyond a few minutes of clock skew.

CREATE OR REPLACE FUNCTION steward_internal.sample_json(p_sample uuid) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
               'id', s.id, 'customer_id', s.customer_id, 'status', s.status, 'kit_id', s.kit_id,
               'delivery_date', s.delivery_date, 'delivery_address', s.delivery_address,
               'contact_email', s.contact_email, 'notes', s.notes, 'created_at', s.created_at,
               'last_event_at', s.last_event_at,
               'items', coalesce((SELECT jsonb_agg(jsonb_build_object('sku', i.sku, 'quantity', i.quantity,
                                                                      'name', p.name) ORDER BY i.sku)
                                    FROM public.sample_item i JOIN public.products p ON p.sku = i.sku
                                   WHERE i.sample_id = s.id), '[]'))
      FROM public.sample_request s
     WHERE s.id = p_sample
$$;

-- The statuses that may follow p_status, in the pack's order.
CREATE OR REPLACE FUNCTION steward_internal.allowed_next(p_status text) RETURNS text[]
LANGUAGE sql STABLE AS $$
    SELECT coalesce(array_agg(t.to_status ORDER BY t.position), '{}')
      FROM public.sample_transitions t WHERE t.from_status = p_status
$$;

-- The items of a request: the given ones, else the kit's, else the default kit's.
-- Returns [{"sku", "quantity"}] with repeated SKUs added up.
CREATE OR REPLACE FUNCTION steward_internal.sample_items(p_items jsonb, p_kit_id text) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
DECLARE
    errors jsonb := '{}';
    item jsonb;
    n integer := 0;
    lines jsonb := '{}';
    v_sku text;
    qty jsonb;
BEGIN
    IF p_kit_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM public.sample_kits WHERE id = p_kit_id) THEN
        PERFORM steward_internal.invalid(format('There is no sample kit ''%s''.', p_kit_id),
                                         jsonb_build_object('kit_id', 'unknown kit'));
    END IF;
    IF p_items IS NULL OR p_items = '[]' THEN
        RETURN (SELECT jsonb_agg(jsonb_build_object('sku', ki.sku, 'quantity', ki.quantity) ORDER BY ki.sku)
                  FROM public.sample_kit_items ki
                 WHERE ki.kit_id = coalesce(p_kit_id, (SELECT id FROM public.sample_kits WHERE is_default)));
    END IF;
    IF jsonb_typeof(p_items) <> 'array' THEN
        PERFORM steward_internal.invalid('Items must be a list of SKU and quantity.', jsonb_build_object('items', 'must be a list'));
    END IF;
    FOR item IN SELECT jsonb_array_elements(p_items) LOOP
        v_sku := CASE WHEN jsonb_typeof(item) = 'object' THEN item ->> 'sku' END;
        qty := CASE WHEN jsonb_typeof(item) = 'object' THEN coalesce(item -> 'quantity', '1') END;
        IF v_sku IS NULL OR NOT EXISTS (SELECT 1 FROM public.products p WHERE p.sku = v_sku AND p.active) THEN
            errors := errors || jsonb_build_object(format('items.%s.sku', n), format('unknown SKU %L', v_sku));
        ELSIF NOT steward_internal.json_type_matches(qty, 'integer') OR (qty #>> '{}')::numeric NOT BETWEEN 1 AND 1000 THEN
            errors := errors || jsonb_build_object(format('items.%s.quantity', n), 'must be a whole number from 1 to 1000');
        ELSE
            lines := lines || jsonb_build_object(v_sku, coalesce((lines ->> v_sku)::integer, 0) + (qty #>> '{}')::integer);
        END IF;
        n := n + 1;
    END LOOP;
    IF errors <> '{}' THEN
        PERFORM steward_internal.invalid('Some sample items are not valid; nothing was requested.', errors);
    END IF;
    RETURN (SELECT jsonb_agg(jsonb_build_object('sku', key, 'quantity', value::integer) ORDER BY key)
              FROM jsonb_each_text(lines));
END
$$;

CREATE OR REPLACE FUNCTION steward_api.request_sample(
    p_customer uuid, p_items jsonb DEFAULT NULL, p_kit_id text DEFAULT NULL, p_delivery_date date DEFAULT NULL,
    p_delivery_address text DEFAULT NULL, p_contact_email text DEFAULT NULL, p_notes text DEFAULT NULL,
    p_source_event_id uuid DEFAULT NULL, p_context jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me record;
    v_items jsonb := steward_internal.sample_items(p_items, p_kit_id);
    v_kit text := CASE WHEN p_items IS NULL OR p_items = '[]'
                       THEN coalesce(p_kit_id, (SELECT id FROM public.sample_kits WHERE is_default)) ELSE p_kit_id END;
    v_address text := steward_internal.clean_text(p_delivery_address, 'delivery_address', 500, false);
    v_email text := steward_internal.clean_email(p_contact_email, 'contact_email');
    v_notes text := steward_internal.clean_text(p_notes, 'notes', 4000, false);
    v_id uuid;
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    PERFORM steward_internal.lock_writable(p_customer, me.user_id, me.role, me.region, 'request samples for it');
    IF p_source_event_id IS NOT NULL THEN
        -- An inbound event converts once, however often it arrives.
        SELECT id INTO v_id FROM public.sample_request WHERE source_event_id = p_source_event_id;
        IF FOUND THEN
            RETURN steward_internal.sample_json(v_id);
        END IF;
    END IF;
    INSERT INTO public.sample_request (customer_id, kit_id, delivery_date, delivery_address, contact_email, notes,
                                       source_event_id, created_by)
    VALUES (p_customer, v_kit, p_delivery_date, v_address, v_email, v_notes, p_source_event_id, me.user_id)
    RETURNING id INTO v_id;
    INSERT INTO public.sample_item (sample_id, sku, quantity)
    SELECT v_id, i ->> 'sku', (i ->> 'quantity')::integer FROM jsonb_array_elements(v_items) i;
    PERFORM steward_internal.emit(me.actor, 'sample.requested', p_customer, jsonb_build_object(
        'sampleId', v_id, 'customerId', p_customer, 'kitId', v_kit, 'items', v_items, 'deliveryDate', p_delivery_date));
    RETURN steward_internal.sample_json(v_id);
END
$$;

-- One workflow step inside a write API call (also a product-test feedback's).
CREATE OR REPLACE FUNCTION steward_internal.transition_sample(
    p_actor jsonb, p_user uuid, p_role text, p_region text,
    p_sample uuid, p_status text, p_at timestamptz, p_activity uuid)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_customer uuid;
    s public.sample_request;
    allowed text[];
    moment timestamptz;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM public.sample_statuses WHERE status = p_status) THEN
        PERFORM steward_internal.invalid(format('''%s'' is not a sample status.', p_status), jsonb_build_object('status',
            'must be one of ' || (SELECT string_agg(status, ', ' ORDER BY position) FROM public.sample_statuses)));
    END IF;
    SELECT customer_id INTO v_customer FROM public.sample_request WHERE id = p_sample;
    IF NOT FOUND THEN
        PERFORM steward_internal.fail('SW404', format('Sample %s does not exist or is not visible to you.', p_sample));
    END IF;
    PERFORM steward_internal.lock_writable(v_customer, p_user, p_role, p_region, 'change its samples');
    SELECT * INTO s FROM public.sample_request WHERE id = p_sample FOR UPDATE;
    allowed := steward_internal.allowed_next(s.status);
    IF NOT p_status = ANY (allowed) THEN
        PERFORM steward_internal.fail('SW409', format('A sample in status %s cannot move to %s. Allowed next: %s.',
            s.status, p_status, coalesce(nullif(array_to_string(allowed, ', '), ''), 'none, the sample is final')),
            jsonb_build_object('current', s.status, 'allowed', to_jsonb(allowed)));
    END IF;
    -- Without a time given, "now", but never before a step stamped slightly ahead (clock skew).
    moment := coalesce(p_at, greatest(now(), s.last_event_at));
    IF moment < s.last_event_at THEN
        PERFORM steward_internal.invalid(format('The event time %s lies before the sample''s previous transition (%s).',
            to_char(moment, 'YYYY-MM-DD HH24:MI'), to_char(s.last_event_at, 'YYYY-MM-DD HH24:MI')),
            jsonb_build_object('event_at', 'before the previous transition'));
    END IF;
    IF moment > now() + interval '5 minutes' THEN
        PERFORM steward_internal.invalid('The event time lies in the future.', jsonb_build_object('event_at', 'in the future'));
    END IF;
    UPDATE public.sample_request SET status = p_status, last_event_at = moment, updated_at = now() WHERE id = s.id;
    PERFORM steward_internal.apply_sla_effects(v_customer,
        steward_pack.sample_status_effects(s.id, p_status, moment, steward_internal.open_slas(v_customer)),
        moment, p_activity);
    PERFORM steward_internal.emit(p_actor, 'sample.status.changed', v_customer, jsonb_build_object(
        'sampleId', s.id, 'customerId', v_customer, 'oldStatus', s.status, 'newStatus', p_status,
        'eventAt', moment));
    PERFORM steward_pack.after_sample_status(p_actor, s.id, s.status, p_status, moment);
END
$$;

CREATE OR REPLACE FUNCTION steward_api.set_sample_status(
    p_sample uuid, p_status text, p_event_at timestamptz DEFAULT NULL, p_context jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me record;
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    PERFORM steward_internal.transition_sample(me.actor, me.user_id, me.role, me.region, p_sample, p_status,
                                               p_event_at, NULL);
    RETURN steward_internal.sample_json(p_sample);
END
$$;
