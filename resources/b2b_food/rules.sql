-- Rules of the B2B-Food pack that its data file (pack.toml) cannot express: how a
-- decision-makers value becomes its hot columns, SLA due dates, what meets them, and
-- what logging an activity of one of its kinds does besides storing it. Applied into the schema steward_pack on every upgrade;
-- the core calls exactly these hooks and names none of the kinds:
--
--   sample_status_effects(sample, new status, event time, open SLAs) -> SLA effects
--   activity_effects(kind, outcome, occurred at, data, open SLAs, hot fields) -> SLA effects
--   prepare_activity(actor, user, customer, kind, data) -> data    before the activity is stored
--   after_activity(actor, user, role, region, customer, activity, kind, outcome, at, data)
--   after_sample_status(actor, sample, old status, new status, at)
--
-- An SLA effect is {"open": {"kind", "rule", "due_date", "sample_id"}}, {"meet": id}
-- or {"close": id} (sql/definitions/09_slas.sql). The effects functions read only
-- reference data (activity kinds, the holiday calendar), so tests call them with
-- made-up open SLAs. Each kind's SLA parameters are in pack.toml.

-- The hot columns of decision makers (pack.toml): a value is either a count with an
-- executive-alignment flag or the list of people; jsonb_array_length would raise on
-- the object, hence jsonb_typeof first. Used by the generated projection trigger and
-- truth (inlinable: IMMUTABLE, one expression, no SET).
CREATE OR REPLACE FUNCTION steward_pack.decision_maker_count(v jsonb) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE jsonb_typeof(v)
               WHEN 'array' THEN jsonb_array_length(v)
               WHEN 'object' THEN (v ->> 'count')::integer
           END
$$;

CREATE OR REPLACE FUNCTION steward_pack.has_exec_alignment(v jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE jsonb_typeof(v)
               WHEN 'array' THEN coalesce(jsonb_path_exists(v, '$[*] ? (@.is_exec == true)'), false)
               WHEN 'object' THEN coalesce((v ->> 'has_exec_alignment')::boolean, false)
           END
$$;

-- The kind whose SLA follows the given rule, with its parameters.
CREATE OR REPLACE FUNCTION steward_pack.kind_with_rule(p_rule text) RETURNS public.activity_kinds
LANGUAGE sql STABLE AS $$
    SELECT * FROM public.activity_kinds WHERE sla ->> 'rule' = p_rule ORDER BY sort_order, kind LIMIT 1
$$;

CREATE OR REPLACE FUNCTION steward_pack.effect(p_verb text, p_ids jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(jsonb_agg(jsonb_build_object(p_verb, id)), '[]') FROM jsonb_array_elements(p_ids) id
$$;

-- Delivery opens the product-test feedback SLA (due n business days later, by
-- the German calendar); feedback meets it; a cancellation closes what is open.
CREATE OR REPLACE FUNCTION steward_pack.sample_status_effects(
    p_sample uuid, p_new_status text, p_event_at timestamptz, p_open_slas jsonb)
RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
DECLARE
    k public.activity_kinds := steward_pack.kind_with_rule('feedback_after_delivery');
    mine jsonb;
BEGIN
    IF k.kind IS NULL THEN
        RETURN '[]';
    END IF;
    SELECT coalesce(jsonb_agg(s -> 'id'), '[]') INTO mine
      FROM jsonb_array_elements(p_open_slas) s
     WHERE s ->> 'sample_id' = p_sample::text AND s ->> 'rule' = 'feedback_after_delivery';
    IF p_new_status = 'DELIVERED' AND mine = '[]' THEN
        RETURN jsonb_build_array(jsonb_build_object('open', jsonb_build_object(
            'kind', k.kind, 'rule', 'feedback_after_delivery', 'sample_id', p_sample,
            'due_date', steward_internal.add_business_days(steward_internal.local_date(p_event_at),
                                                           (k.sla ->> 'business_days')::integer))));
    ELSIF p_new_status IN ('FEEDBACK_SUCCESS', 'FEEDBACK_NEUTRAL', 'FEEDBACK_FAIL') THEN
        RETURN steward_pack.effect('meet', mine);
    ELSIF p_new_status = 'CANCELED' THEN
        RETURN steward_pack.effect('close', mine);
    END IF;
    RETURN '[]';
END
$$;

-- The menu appointment must be fixed while the season window is open: by the
-- roll-out end if given, else by the season's end, else within the fallback days.
CREATE OR REPLACE FUNCTION steward_pack.season_deadline(p_day date, p_data jsonb, p_hot jsonb, p_sla jsonb)
RETURNS date
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
               WHEN p_data ->> 'rollout_to' IS NOT NULL THEN (p_data ->> 'rollout_to')::date
               WHEN (p_hot ->> 'season_end')::date >= p_day THEN (p_hot ->> 'season_end')::date
               ELSE p_day + coalesce((p_sla ->> 'fallback_days')::integer, 30)
           END
$$;

-- SLA effects of logging an activity of p_kind for a customer.
CREATE OR REPLACE FUNCTION steward_pack.activity_effects(
    p_kind text, p_outcome text, p_occurred_at timestamptz, p_data jsonb, p_open_slas jsonb, p_hot jsonb)
RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
DECLARE
    k public.activity_kinds;
    sla jsonb;
    rule text;
    day date := steward_internal.local_date(p_occurred_at);
    same_rule_open jsonb;
    effects jsonb;
BEGIN
    SELECT * INTO k FROM public.activity_kinds WHERE kind = p_kind;
    sla := coalesce(k.sla, '{}');
    rule := sla ->> 'rule';
    -- Any contact after a consultation is its follow-up.
    SELECT coalesce(jsonb_agg(jsonb_build_object('meet', s -> 'id')), '[]') INTO effects
      FROM jsonb_array_elements(p_open_slas) s
     WHERE s ->> 'rule' = 'follow_up' AND (s ->> 'opened_at')::timestamptz < p_occurred_at;
    SELECT coalesce(jsonb_agg(s -> 'id'), '[]') INTO same_rule_open
      FROM jsonb_array_elements(p_open_slas) s
     WHERE s ->> 'rule' = rule AND s ->> 'kind' = p_kind;

    IF rule = 'follow_up' THEN
        IF sla -> 'opens_on' ? p_outcome THEN
            effects := effects || jsonb_build_array(jsonb_build_object('open', jsonb_build_object(
                'kind', p_kind, 'rule', rule, 'due_date', day + (sla ->> 'days')::integer)));
        END IF;
    ELSIF rule = 'inside_season_window' THEN
        IF sla -> 'met_by' ? p_outcome THEN
            effects := effects || steward_pack.effect('meet', same_rule_open);
        ELSIF sla -> 'closed_by' ? p_outcome THEN
            effects := effects || steward_pack.effect('close', same_rule_open);
        ELSIF sla -> 'opens_on' ? p_outcome AND same_rule_open = '[]' THEN
            effects := effects || jsonb_build_array(jsonb_build_object('open', jsonb_build_object(
                'kind', p_kind, 'rule', rule, 'due_date', steward_pack.season_deadline(day, p_data, p_hot, sla))));
        END IF;
    ELSIF rule = 'before_renewal' THEN
        IF sla -> 'met_by' ? p_outcome THEN
            effects := effects || steward_pack.effect('meet', same_rule_open);
        ELSIF sla -> 'opens_on' ? p_outcome AND same_rule_open = '[]' AND p_hot ->> 'renewal_date' IS NOT NULL THEN
            effects := effects || jsonb_build_array(jsonb_build_object('open', jsonb_build_object(
                'kind', p_kind, 'rule', rule,
                'due_date', (p_hot ->> 'renewal_date')::date - (sla ->> 'days_before')::integer)));
        END IF;
    END IF;
    -- feedback_after_delivery is driven by the sample's status, see sample_status_effects.
    RETURN effects;
END
$$;

-- A consultation without a scenario records the one it discussed.
CREATE OR REPLACE FUNCTION steward_pack.prepare_activity(
    p_actor jsonb, p_user uuid, p_customer uuid, p_kind text, p_data jsonb)
RETURNS jsonb
LANGUAGE plpgsql AS $$
BEGIN
    IF p_kind = 'ROI_CONSULTATION' AND NOT p_data ? 'roi_scenario_id' THEN
        RETURN p_data || jsonb_build_object('roi_scenario_id', steward_internal.insert_roi_scenario(
            p_actor, p_user, p_customer, 'Consultation scenario', (p_data ->> 'savings_per_month')::numeric,
            coalesce(p_data ->> 'assumptions_version', 'v1'), '{}'));
    END IF;
    RETURN p_data;
END
$$;

-- A product-test feedback is its sample's last step (DELIVERED -> FEEDBACK_<outcome>);
-- a consultation tells the other modules about the customer's ROI.
CREATE OR REPLACE FUNCTION steward_pack.after_activity(
    p_actor jsonb, p_user uuid, p_role text, p_region text, p_customer uuid, p_activity uuid, p_kind text,
    p_outcome text, p_at timestamptz, p_data jsonb)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF p_kind = 'PRODUCTTEST_FEEDBACK' THEN
        PERFORM steward_internal.transition_sample(p_actor, p_user, p_role, p_region, (p_data ->> 'sample_id')::uuid,
                                                   'FEEDBACK_' || p_outcome, p_at, p_activity);
    ELSIF p_kind = 'ROI_CONSULTATION' THEN
        PERFORM steward_internal.emit(p_actor, 'roi.consultation.updated', p_customer, jsonb_build_object(
            'customerId', p_customer, 'activityId', p_activity, 'roiScenarioId', p_data ->> 'roi_scenario_id',
            'assumptionsVersion', p_data ->> 'assumptions_version', 'savingsPerMonth', p_data -> 'savings_per_month',
            'commitmentLevel', p_data ->> 'commitment_level', 'outcome', p_outcome, 'occurredAt', p_at));
    END IF;
END
$$;

-- Packing a sample asks logistics to ship it.
CREATE OR REPLACE FUNCTION steward_pack.after_sample_status(
    p_actor jsonb, p_sample uuid, p_old_status text, p_new_status text, p_at timestamptz)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    s public.sample_request;
BEGIN
    IF p_new_status = 'PACKED' THEN
        SELECT * INTO s FROM public.sample_request WHERE id = p_sample;
        PERFORM steward_internal.emit(p_actor, 'shipment.requested', s.customer_id, jsonb_build_object(
            'sampleId', s.id, 'customerId', s.customer_id,
            'items', coalesce((SELECT jsonb_agg(jsonb_build_object('sku', i.sku, 'quantity', i.quantity) ORDER BY i.sku)
                                 FROM public.sample_item i WHERE i.sample_id = s.id), '[]'),
            'deliveryDate', s.delivery_date, 'deliveryAddress', s.delivery_address, 'contactEmail', s.contact_email));
    END IF;
END
$$;
