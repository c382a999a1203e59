-- The customers among :ids whose hot projection row differs from the truth (or
-- is missing), read in one snapshot and without locking anything. The triggers
-- keep both in step within every transaction, so a snapshot never shows a
-- difference that a concurrent writer is about to mend: what this finds is
-- drift. The daemon's `projections` consumer checks every customer a batch
-- touches with it, and locks and repairs (services/projections.repair) only
-- these, normally none: the repair's row locks on the accounts and its upsert
-- cost more than the comparison.
SELECT t.customer_id
  FROM hot_projection_truth(:lo, :hi, CAST(:ids AS uuid[])) AS t
  LEFT JOIN cm_customer_hot_proj AS p ON p.customer_id = t.customer_id
 WHERE p.customer_id IS NULL
    OR (t.name, t.city, t.region, t.owner_id, t.chain_id, t.chain_name, t.is_chain, t.shared,
        t.sample_status, t.sample_last_event_at, t.roi_bucket, t.roi_value, t.decision_maker_count,
        t.has_exec_alignment, t.season_start, t.season_end, t.renewal_date, t.exclusivity, t.sla_due)
       IS DISTINCT FROM
       (p.name, p.city, p.region, p.owner_id, p.chain_id, p.chain_name, p.is_chain, p.shared,
        p.sample_status, p.sample_last_event_at, p.roi_bucket, p.roi_value, p.decision_maker_count,
        p.has_exec_alignment, p.season_start, p.season_end, p.renewal_date, p.exclusivity, p.sla_due)
