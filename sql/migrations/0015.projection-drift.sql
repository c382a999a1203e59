-- The customers whose projection row differs from the truth (or is missing): the
-- one comparison behind `steward projections verify`, the nightly reconciliation's
-- drift count and the daemon's `projections` consumer (sql/queries/
-- count_drift_range.sql, find_projection_drift.sql). Inlinable like
-- hot_projection_truth, whose arguments it passes on: a range [p_lo, p_hi], and
-- the ids of some customers in it or NULL for all of them.
CREATE FUNCTION hot_projection_drift(p_lo uuid, p_hi uuid, p_ids uuid[] DEFAULT NULL)
RETURNS TABLE (customer_id uuid)
LANGUAGE sql STABLE AS $$
    SELECT t.customer_id
      FROM hot_projection_truth(p_lo, p_hi, p_ids) AS t
      LEFT JOIN cm_customer_hot_proj AS p ON p.customer_id = t.customer_id
     WHERE p.customer_id IS NULL
        OR (t.name, t.city, t.region, t.owner_id, t.chain_id, t.chain_name, t.is_chain, t.shared,
            t.sample_status, t.sample_last_event_at, t.roi_bucket, t.roi_value, t.decision_maker_count,
            t.has_exec_alignment, t.season_start, t.season_end, t.renewal_date, t.exclusivity, t.sla_due)
           IS DISTINCT FROM
           (p.name, p.city, p.region, p.owner_id, p.chain_id, p.chain_name, p.is_chain, p.shared,
            p.sample_status, p.sample_last_event_at, p.roi_bucket, p.roi_value, p.decision_maker_count,
            p.has_exec_alignment, p.season_start, p.season_end, p.renewal_date, p.exclusivity, p.sla_due)
$$;

GRANT EXECUTE ON FUNCTION hot_projection_drift(uuid, uuid, uuid[]) TO steward_person, steward_daemon;
