-- Maintenance an admin runs as themselves (`steward projections rebuild` / `verify`):
-- the projection and its search words checked against the truth, and repaired, in
-- short batches over slices of the customer-id space (services/service_layer/projections.py).
-- Through these functions because the truth reads every customer, which a person's
-- row-level security would not show them, and the repair writes the projection.

-- Customers with id in [p_lo, p_hi] whose projection row differs from the truth (or is
-- missing), or whose search words (cm_customer_words) differ from their projection
-- row's. Reads all of it in one snapshot, so concurrent writers do not show up as drift.
CREATE OR REPLACE FUNCTION steward_internal.count_projection_drift(p_lo uuid, p_hi uuid) RETURNS bigint
LANGUAGE sql STABLE AS $$
    WITH drifted_rows AS (
        SELECT customer_id FROM public.hot_projection_drift(p_lo, p_hi)
    ), expected_words AS MATERIALIZED (
        SELECT word, name, customer_id, region FROM public.hot_words_truth(p_lo, p_hi)
    ), present_words AS MATERIALIZED (
        SELECT word, name, customer_id, region FROM public.cm_customer_words WHERE customer_id BETWEEN p_lo AND p_hi
    ), drifted_words AS (
        (SELECT * FROM expected_words EXCEPT ALL SELECT * FROM present_words)
        UNION ALL
        (SELECT * FROM present_words EXCEPT ALL SELECT * FROM expected_words)
    )
    SELECT count(*)
      FROM (SELECT customer_id FROM drifted_rows UNION SELECT customer_id FROM drifted_words) AS drifted
$$;

-- Repair the search words of customers with id in [p_lo, p_hi] from their projection
-- rows; returns how many customers' words differed. Run after the projection's own
-- repair, in the same transaction. A stale row (its word, name and customer no longer
-- a word of that customer's row) and a missing one never share a key, so the two
-- changes cannot collide on the unique index; a row whose only change is the region
-- is updated in place.
CREATE OR REPLACE FUNCTION steward_internal.repair_words(p_lo uuid, p_hi uuid) RETURNS bigint
LANGUAGE sql AS $$
    WITH expected AS MATERIALIZED (
        SELECT word, name, customer_id, region FROM public.hot_words_truth(p_lo, p_hi)
    ), present AS MATERIALIZED (
        SELECT word, name, customer_id, region FROM public.cm_customer_words WHERE customer_id BETWEEN p_lo AND p_hi
    ), stale AS (
        DELETE FROM public.cm_customer_words w
         USING (SELECT word, name, customer_id FROM present
                EXCEPT
                SELECT word, name, customer_id FROM expected) AS s
         WHERE (w.word, w.name, w.customer_id) = (s.word, s.name, s.customer_id)
        RETURNING w.customer_id
    ), missing AS (
        INSERT INTO public.cm_customer_words AS w (word, name, customer_id, region)
        SELECT word, name, customer_id, region FROM expected
        EXCEPT
        SELECT word, name, customer_id, region FROM present
        ON CONFLICT (word, name, customer_id) DO UPDATE SET region = EXCLUDED.region
        RETURNING w.customer_id
    )
    SELECT count(*) FROM (SELECT customer_id FROM stale UNION SELECT customer_id FROM missing) AS repaired
$$;

-- How many customers of [p_lo, p_hi] drifted: admins and the daemon.
CREATE OR REPLACE FUNCTION steward_api.verify_projection_range(p_lo uuid, p_hi uuid, p_context jsonb DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me record;
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    PERFORM steward_internal.require_admin(me.role, 'check the projection');
    RETURN steward_internal.count_projection_drift(p_lo, p_hi);
END
$$;

-- Rebuild the projection and its words for [p_lo, p_hi] from the truth; returns
-- {"customers": in the range, "repaired": rows that had drifted}. The accounts of the
-- range are locked FOR SHARE first, so no writer commits between reading the truth and
-- writing it.
CREATE OR REPLACE FUNCTION steward_api.rebuild_projection_range(p_lo uuid, p_hi uuid, p_context jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me record;
    customers bigint;
    repaired bigint;
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    PERFORM steward_internal.require_admin(me.role, 'rebuild the projection');
    PERFORM 1 FROM public.accounts WHERE id BETWEEN p_lo AND p_hi FOR SHARE;
    GET DIAGNOSTICS customers = ROW_COUNT;
    repaired := steward_internal.repair_projection(p_lo, p_hi, NULL) + steward_internal.repair_words(p_lo, p_hi);
    RETURN jsonb_build_object('customers', customers, 'repaired', repaired);
END
$$;
