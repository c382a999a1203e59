-- SLAs: obligations with a due date. The domain pack decides which SLA a sample
-- transition or an activity opens, meets or closes (steward_pack.*_effects, in
-- resources/<pack>/rules.sql); the core writes those effects. Nobody writes the
-- slas table otherwise, so a person cannot declare an SLA met.
--
-- An effect is one of {"open": {"kind", "rule", "due_date", "sample_id"}},
-- {"meet": "<sla id>"}, {"close": "<sla id>"}.

-- The calendar day of a moment in the business's time zone.
CREATE OR REPLACE FUNCTION steward_internal.local_date(p_at timestamptz) RETURNS date
LANGUAGE sql IMMUTABLE AS $$
    SELECT (p_at AT TIME ZONE 'Europe/Berlin')::date
$$;

-- The date p_days business days after p_start (p_start itself does not count):
-- weekends and the public holidays in business_holidays are skipped.
CREATE OR REPLACE FUNCTION steward_internal.add_business_days(p_start date, p_days integer) RETURNS date
LANGUAGE plpgsql STABLE AS $$
DECLARE
    d date := p_start;
    left_ integer := p_days;
BEGIN
    WHILE left_ > 0 LOOP
        d := d + 1;
        IF extract(isodow FROM d) < 6 AND NOT EXISTS (SELECT 1 FROM public.business_holidays h WHERE h.day = d) THEN
            left_ := left_ - 1;
        END IF;
    END LOOP;
    RETURN d;
END
$$;

-- A customer's open SLAs, as the pack's rules get them.
CREATE OR REPLACE FUNCTION steward_internal.open_slas(p_customer uuid) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT coalesce(jsonb_agg(jsonb_build_object('id', s.id, 'kind', s.kind, 'rule', s.rule, 'sample_id', s.sample_id,
                                                 'opened_at', s.opened_at, 'due_date', s.due_date)
                              ORDER BY s.due_date, s.id), '[]')
      FROM public.slas s
     WHERE s.customer_id = p_customer AND s.status = 'OPEN'
$$;

CREATE OR REPLACE FUNCTION steward_internal.apply_sla_effects(
    p_customer uuid, p_effects jsonb, p_at timestamptz, p_activity uuid)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    e jsonb;
BEGIN
    FOR e IN SELECT jsonb_array_elements(coalesce(p_effects, '[]')) LOOP
        IF e ? 'open' THEN
            INSERT INTO public.slas (customer_id, kind, rule, sample_id, opened_by_activity_id, opened_at, due_date)
            VALUES (p_customer, e -> 'open' ->> 'kind', e -> 'open' ->> 'rule', (e -> 'open' ->> 'sample_id')::uuid,
                    p_activity, p_at, (e -> 'open' ->> 'due_date')::date);
        ELSIF e ? 'meet' OR e ? 'close' THEN
            UPDATE public.slas
               SET status = CASE WHEN e ? 'meet' THEN 'MET' ELSE 'CLOSED' END, closed_at = p_at,
                   met_by_activity_id = CASE WHEN e ? 'meet' THEN p_activity END
             WHERE id = coalesce(e ->> 'meet', e ->> 'close')::uuid AND customer_id = p_customer AND status = 'OPEN';
        END IF;
    END LOOP;
END
$$;
