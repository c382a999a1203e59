-- The activity engine: typed activities driven by the pack's type dictionary
-- (activity_kinds: each kind's fields as a JSON schema, its outcomes, its SLA
-- rule). The core names no kind: what an activity does besides being stored is
-- the pack's (steward_pack.prepare_activity, after_activity, activity_effects).

CREATE OR REPLACE FUNCTION steward_internal.activity_json(p_activity uuid) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
               'id', a.id, 'customer_id', a.customer_id, 'kind', a.kind, 'occurred_at', a.occurred_at,
               'outcome', a.outcome, 'note', a.note, 'data', a.data, 'sample_id', a.sample_id,
               'roi_scenario_id', a.roi_scenario_id, 'created_by_name', u.display_name, 'created_at', a.created_at,
               'sla_due', o.due_date, 'sla_status', o.status)
      FROM public.activities a
      LEFT JOIN public.users u ON u.id = a.created_by
      LEFT JOIN LATERAL (SELECT s.due_date, s.status FROM public.slas s
                          WHERE s.opened_by_activity_id = a.id ORDER BY s.opened_at, s.id LIMIT 1) o ON true
     WHERE a.id = p_activity
$$;

-- What an activity refers to must be the same customer's.
CREATE OR REPLACE FUNCTION steward_internal.check_activity_refs(p_customer uuid, p_data jsonb) RETURNS void
LANGUAGE plpgsql STABLE AS $$
DECLARE
    owner_ uuid;
BEGIN
    IF p_data ? 'sample_id' THEN
        SELECT customer_id INTO owner_ FROM public.sample_request WHERE id = (p_data ->> 'sample_id')::uuid;
        IF NOT FOUND THEN
            PERFORM steward_internal.fail('SW404', format('Sample %s does not exist or is not visible to you.', p_data ->> 'sample_id'),
                                          jsonb_build_object('errors', jsonb_build_object('sample_id', 'unknown sample')));
        ELSIF owner_ <> p_customer THEN
            PERFORM steward_internal.invalid('The sample belongs to another customer.',
                                             jsonb_build_object('sample_id', 'another customer''s sample'));
        END IF;
    END IF;
    IF p_data ? 'roi_scenario_id' THEN
        SELECT customer_id INTO owner_ FROM public.roi_scenarios WHERE id = (p_data ->> 'roi_scenario_id')::uuid;
        IF NOT FOUND THEN
            PERFORM steward_internal.fail('SW404', format('ROI scenario %s does not exist or is not visible to you.',
                                                          p_data ->> 'roi_scenario_id'),
                                          jsonb_build_object('errors', jsonb_build_object('roi_scenario_id', 'unknown ROI scenario')));
        ELSIF owner_ <> p_customer THEN
            PERFORM steward_internal.invalid('The ROI scenario belongs to another customer.',
                                             jsonb_build_object('roi_scenario_id', 'another customer''s scenario'));
        END IF;
    END IF;
END
$$;

-- Log an activity of p_kind with its own fields (p_data, validated against the
-- kind's schema and checks). Opens or meets SLAs by the pack's rules. Appends
-- `activity.created` (and what the pack adds); returns the activity.
CREATE OR REPLACE FUNCTION steward_api.create_activity(
    p_customer uuid, p_kind text, p_outcome text, p_data jsonb DEFAULT '{}', p_occurred_at timestamptz DEFAULT NULL,
    p_note text DEFAULT NULL, p_context jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me record;
    k public.activity_kinds;
    errors jsonb := '{}';
    v_data jsonb := coalesce(p_data, '{}');
    v_note text;
    moment timestamptz;
    v_id uuid;
    hot jsonb;
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    SELECT * INTO k FROM public.activity_kinds WHERE kind = p_kind;
    IF NOT FOUND THEN
        PERFORM steward_internal.invalid(format('There is no activity kind ''%s''.', p_kind), jsonb_build_object('kind',
            'must be one of ' || (SELECT string_agg(kind, ', ' ORDER BY sort_order, kind) FROM public.activity_kinds)));
    END IF;
    IF p_outcome IS NULL OR NOT p_outcome = ANY (k.outcomes) THEN
        errors := errors || jsonb_build_object('outcome', 'must be one of ' || array_to_string(k.outcomes, ', '));
    END IF;
    errors := errors || coalesce(nullif(steward_internal.schema_errors(k.fields_schema, v_data, ''), '{}'),
                                 steward_internal.check_errors(k.checks, v_data, ''));
    IF length(p_note) > 10000 THEN
        errors := errors || jsonb_build_object('note', 'must be at most 10000 characters');
    END IF;
    IF errors <> '{}' THEN
        PERFORM steward_internal.invalid(format('This %s is not valid; nothing was saved.', k.label), errors);
    END IF;
    v_note := steward_internal.clean_text(p_note, 'note', 10000, false);

    PERFORM steward_internal.lock_writable(p_customer, me.user_id, me.role, me.region, 'log activities for it');
    moment := coalesce(p_occurred_at, now());
    IF moment > now() + interval '5 minutes' THEN
        PERFORM steward_internal.invalid('The activity lies in the future.', jsonb_build_object('occurred_at', 'in the future'));
    END IF;
    PERFORM steward_internal.check_activity_refs(p_customer, v_data);
    v_data := steward_pack.prepare_activity(me.actor, me.user_id, p_customer, p_kind, v_data);

    INSERT INTO public.activities (customer_id, kind, occurred_at, outcome, note, data, sample_id, roi_scenario_id,
                                   created_by)
    VALUES (p_customer, p_kind, moment, p_outcome, v_note, v_data, (v_data ->> 'sample_id')::uuid,
            (v_data ->> 'roi_scenario_id')::uuid, me.user_id)
    RETURNING id INTO v_id;
    PERFORM steward_pack.after_activity(me.actor, me.user_id, me.role, me.region, p_customer, v_id, p_kind, p_outcome,
                                        moment, v_data);
    SELECT jsonb_build_object('renewal_date', p.renewal_date, 'season_end', p.season_end) INTO hot
      FROM public.cm_customer_hot_proj p WHERE p.customer_id = p_customer;
    PERFORM steward_internal.apply_sla_effects(p_customer,
        steward_pack.activity_effects(p_kind, p_outcome, moment, v_data, steward_internal.open_slas(p_customer),
                                      coalesce(hot, '{}')),
        moment, v_id);
    PERFORM steward_internal.emit(me.actor, 'activity.created', p_customer, jsonb_build_object(
        'activityId', v_id, 'customerId', p_customer, 'kind', p_kind, 'occurredAt', moment, 'outcome', p_outcome));
    RETURN steward_internal.activity_json(v_id);
END
$$;
