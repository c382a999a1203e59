-- Repair the hot projection from the truth for customers with id in [:lo, :hi];
-- writes only the rows that differ. Run after locking those accounts FOR SHARE
-- in an earlier statement of the same transaction, so no writer commits between
-- reading the truth and writing it (see services/service_layer/projections.py).
WITH repaired AS (
    INSERT INTO cm_customer_hot_proj AS p (
           customer_id, name, city, region, owner_id, chain_id, chain_name, is_chain, shared,
           sample_status, sample_last_event_at, roi_bucket, roi_value, decision_maker_count,
           has_exec_alignment, season_start, season_end, renewal_date, exclusivity, sla_due)
    SELECT t.customer_id, t.name, t.city, t.region, t.owner_id, t.chain_id, t.chain_name, t.is_chain, t.shared,
           t.sample_status, t.sample_last_event_at, t.roi_bucket, t.roi_value, t.decision_maker_count,
           t.has_exec_alignment, t.season_start, t.season_end, t.renewal_date, t.exclusivity, t.sla_due
      FROM hot_projection_truth(:lo, :hi, :ids) AS t
    ON CONFLICT (customer_id) DO UPDATE
       SET name = EXCLUDED.name, city = EXCLUDED.city, region = EXCLUDED.region,
           owner_id = EXCLUDED.owner_id, chain_id = EXCLUDED.chain_id, chain_name = EXCLUDED.chain_name,
           is_chain = EXCLUDED.is_chain, shared = EXCLUDED.shared,
           sample_status = EXCLUDED.sample_status, sample_last_event_at = EXCLUDED.sample_last_event_at,
           roi_bucket = EXCLUDED.roi_bucket, roi_value = EXCLUDED.roi_value,
           decision_maker_count = EXCLUDED.decision_maker_count, has_exec_alignment = EXCLUDED.has_exec_alignment,
           season_start = EXCLUDED.season_start, season_end = EXCLUDED.season_end,
           renewal_date = EXCLUDED.renewal_date, exclusivity = EXCLUDED.exclusivity,
           sla_due = EXCLUDED.sla_due, updated_at = now()
     WHERE (p.name, p.city, p.region, p.owner_id, p.chain_id, p.chain_name, p.is_chain, p.shared,
            p.sample_status, p.sample_last_event_at, p.roi_bucket, p.roi_value, p.decision_maker_count,
            p.has_exec_alignment, p.season_start, p.season_end, p.renewal_date, p.exclusivity, p.sla_due)
           IS DISTINCT FROM
           (EXCLUDED.name, EXCLUDED.city, EXCLUDED.region, EXCLUDED.owner_id, EXCLUDED.chain_id,
            EXCLUDED.chain_name, EXCLUDED.is_chain, EXCLUDED.shared, EXCLUDED.sample_status,
            EXCLUDED.sample_last_event_at, EXCLUDED.roi_bucket, EXCLUDED.roi_value,
            EXCLUDED.decision_maker_count, EXCLUDED.has_exec_alignment, EXCLUDED.season_start,
            EXCLUDED.season_end, EXCLUDED.renewal_date, EXCLUDED.exclusivity, EXCLUDED.sla_due)
    RETURNING p.customer_id
)
SELECT count(*) FROM repaired
