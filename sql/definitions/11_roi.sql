-- ROI scenarios: the savings a kitchen can expect, the basis of ROI consultations.

CREATE OR REPLACE FUNCTION steward_internal.roi_json(p_scenario uuid) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
               'id', r.id, 'customer_id', r.customer_id, 'name', r.name, 'assumptions_version', r.assumptions_version,
               'assumptions', r.assumptions, 'savings_per_month', r.savings_per_month::text,
               'created_at', r.created_at, 'updated_at', r.updated_at)
      FROM public.roi_scenarios r
     WHERE r.id = p_scenario
$$;

CREATE OR REPLACE FUNCTION steward_internal.clean_money(p_value numeric, p_field text) RETURNS numeric
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF p_value IS NOT NULL AND (p_value < 0 OR p_value >= 1e10 OR p_value = 'NaN') THEN
        PERFORM steward_internal.invalid(format('%s must be an amount from 0 to 9,999,999,999.', p_field),
                                         jsonb_build_object(p_field, 'must be an amount from 0 to 9,999,999,999'));
    END IF;
    RETURN round(p_value, 2);
END
$$;

CREATE OR REPLACE FUNCTION steward_internal.check_assumptions(p_assumptions jsonb) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF p_assumptions IS NOT NULL AND jsonb_typeof(p_assumptions) <> 'object' THEN
        PERFORM steward_internal.invalid('Assumptions must be a mapping of names to values.',
                                         jsonb_build_object('assumptions', 'must be an object'));
    END IF;
    RETURN coalesce(p_assumptions, '{}');
END
$$;

-- Inside a write API call that has locked the customer.
CREATE OR REPLACE FUNCTION steward_internal.insert_roi_scenario(
    p_actor jsonb, p_user uuid, p_customer uuid, p_name text, p_savings numeric, p_version text, p_assumptions jsonb)
RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
    v_id uuid;
    v_name text := steward_internal.clean_text(p_name, 'name', 200, true);
    v_savings numeric := steward_internal.clean_money(p_savings, 'savings_per_month');
    v_version text := steward_internal.clean_text(coalesce(p_version, 'v1'), 'assumptions_version', 40, true);
    v_assumptions jsonb := steward_internal.check_assumptions(p_assumptions);
BEGIN
    INSERT INTO public.roi_scenarios (customer_id, name, assumptions_version, assumptions, savings_per_month, created_by)
    VALUES (p_customer, v_name, v_version, v_assumptions, v_savings, p_user)
    RETURNING id INTO v_id;
    PERFORM steward_internal.emit(p_actor, 'roi.scenario.created', p_customer, jsonb_build_object(
        'roiScenarioId', v_id, 'customerId', p_customer, 'name', v_name, 'assumptionsVersion', v_version,
        'savingsPerMonth', v_savings));
    RETURN v_id;
END
$$;

CREATE OR REPLACE FUNCTION steward_api.create_roi_scenario(
    p_customer uuid, p_name text DEFAULT 'ROI scenario', p_savings_per_month numeric DEFAULT NULL,
    p_assumptions_version text DEFAULT 'v1', p_assumptions jsonb DEFAULT '{}', p_context jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me record;
    v_id uuid;
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    PERFORM steward_internal.lock_writable(p_customer, me.user_id, me.role, me.region, 'add ROI scenarios to it');
    -- Two statements: the answer's snapshot must be taken after the insert.
    v_id := steward_internal.insert_roi_scenario(
        me.actor, me.user_id, p_customer, p_name, p_savings_per_month, p_assumptions_version, p_assumptions);
    RETURN steward_internal.roi_json(v_id);
END
$$;

-- Name, savings, assumptions and their version.
CREATE OR REPLACE FUNCTION steward_api.update_roi_scenario(p_scenario uuid, p_changes jsonb, p_context jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me record;
    r public.roi_scenarios;
    n public.roi_scenarios;
    unknown text;
    changed jsonb;
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    IF jsonb_typeof(p_changes) IS DISTINCT FROM 'object' OR p_changes = '{}' THEN
        PERFORM steward_internal.invalid('Nothing to change: give at least one value.',
                                         jsonb_build_object('changes', 'must not be empty'));
    END IF;
    SELECT k INTO unknown FROM jsonb_object_keys(p_changes) k
     WHERE k NOT IN ('name', 'savings_per_month', 'assumptions_version', 'assumptions') LIMIT 1;
    IF unknown IS NOT NULL THEN
        PERFORM steward_internal.invalid(format('''%s'' is not part of an ROI scenario.', unknown),
                                         jsonb_build_object(unknown, 'is not part of an ROI scenario'));
    END IF;
    SELECT * INTO r FROM public.roi_scenarios WHERE id = p_scenario;
    IF NOT FOUND THEN
        PERFORM steward_internal.fail('SW404', format('ROI scenario %s does not exist or is not visible to you.', p_scenario));
    END IF;
    PERFORM steward_internal.lock_writable(r.customer_id, me.user_id, me.role, me.region, 'change its ROI scenarios');
    SELECT * INTO r FROM public.roi_scenarios WHERE id = p_scenario FOR UPDATE;
    n := r;
    IF p_changes ? 'name' THEN
        n.name := steward_internal.clean_text(p_changes ->> 'name', 'name', 200, true);
    END IF;
    IF p_changes ? 'savings_per_month' THEN
        IF jsonb_typeof(p_changes -> 'savings_per_month') NOT IN ('number', 'null') THEN
            PERFORM steward_internal.invalid('Savings are an amount.', jsonb_build_object('savings_per_month', 'must be an amount'));
        END IF;
        n.savings_per_month := steward_internal.clean_money((p_changes ->> 'savings_per_month')::numeric, 'savings_per_month');
    END IF;
    IF p_changes ? 'assumptions_version' THEN
        n.assumptions_version := steward_internal.clean_text(p_changes ->> 'assumptions_version', 'assumptions_version', 40, true);
    END IF;
    IF p_changes ? 'assumptions' THEN
        n.assumptions := steward_internal.check_assumptions(p_changes -> 'assumptions');
    END IF;
    SELECT jsonb_object_agg(o.key, nn.value) INTO changed
      FROM jsonb_each(to_jsonb(r)) o JOIN jsonb_each(to_jsonb(n)) nn ON nn.key = o.key
     WHERE o.value IS DISTINCT FROM nn.value;
    IF changed IS NOT NULL THEN
        UPDATE public.roi_scenarios
           SET name = n.name, savings_per_month = n.savings_per_month, assumptions_version = n.assumptions_version,
               assumptions = n.assumptions, updated_by = me.user_id, updated_at = now()
         WHERE id = r.id;
        PERFORM steward_internal.emit(me.actor, 'roi.scenario.updated', r.customer_id, jsonb_build_object(
            'roiScenarioId', r.id, 'customerId', r.customer_id, 'changes', changed));
    END IF;
    RETURN steward_internal.roi_json(r.id);
END
$$;
