-- The projection's truth for a set of customers reads only those customers' rows.
--
-- hot_projection_truth(p_lo, p_hi, p_ids) limited its subqueries to the id range
-- [p_lo, p_hi] alone. The daemon's `projections` consumer and projections.repair
-- pass the ids of the customers a batch touched, which are spread over the whole
-- id space, so the range was everything: each batch read every sample request
-- (DISTINCT ON) and every open SLA of the database (550 ms per 1,000 customers at
-- a million customers). Each subquery now also takes
-- the ids, which the planner folds away when p_ids is NULL (the rebuild): the
-- same rows, found by the customer indexes (200 ms per 1,000 customers).

CREATE OR REPLACE FUNCTION hot_projection_truth(p_lo uuid, p_hi uuid, p_ids uuid[] DEFAULT NULL)
RETURNS TABLE (
    customer_id uuid, name text, city text, region text, owner_id uuid, chain_id uuid,
    chain_name text, is_chain boolean, shared boolean, sample_status text,
    sample_last_event_at timestamptz, roi_bucket text, roi_value numeric(12, 2),
    decision_maker_count integer, has_exec_alignment boolean, season_start date,
    season_end date, renewal_date date, exclusivity boolean, sla_due date)
LANGUAGE sql STABLE AS $$
    SELECT a.id, a.name, a.city, a.region, a.owner_id,
           CASE WHEN a.is_chain THEN a.id ELSE a.parent_account_id END,
           CASE WHEN a.is_chain THEN a.name ELSE chain.name END,
           a.is_chain, a.coverage_policy = 'CHAIN_SHARED',
           latest.status, latest.last_event_at,
           roi.value ->> 'bucket', (roi.value ->> 'value')::numeric(12, 2),
           hot_decision_maker_count(dm.value), hot_has_exec_alignment(dm.value),
           (season.value ->> 'season_start')::date, (season.value ->> 'season_end')::date,
           (contract.value ->> 'renewal_date')::date, (contract.value ->> 'exclusivity')::boolean,
           sla.due_date
      FROM accounts a
      LEFT JOIN accounts chain ON chain.id = a.parent_account_id
      LEFT JOIN (SELECT fv.customer_id, fv.value FROM field_values fv
                  WHERE fv.field_key = 'roi_potential' AND fv.customer_id BETWEEN p_lo AND p_hi
                    AND (p_ids IS NULL OR fv.customer_id = ANY (p_ids))) roi
             ON roi.customer_id = a.id
      LEFT JOIN (SELECT fv.customer_id, fv.value FROM field_values fv
                  WHERE fv.field_key = 'decision_makers' AND fv.customer_id BETWEEN p_lo AND p_hi
                    AND (p_ids IS NULL OR fv.customer_id = ANY (p_ids))) dm
             ON dm.customer_id = a.id
      LEFT JOIN (SELECT fv.customer_id, fv.value FROM field_values fv
                  WHERE fv.field_key = 'seasonal_menu_cycle' AND fv.customer_id BETWEEN p_lo AND p_hi
                    AND (p_ids IS NULL OR fv.customer_id = ANY (p_ids))) season
             ON season.customer_id = a.id
      LEFT JOIN (SELECT fv.customer_id, fv.value FROM field_values fv
                  WHERE fv.field_key = 'current_supplier_contracts' AND fv.customer_id BETWEEN p_lo AND p_hi
                    AND (p_ids IS NULL OR fv.customer_id = ANY (p_ids))) contract
             ON contract.customer_id = a.id
      LEFT JOIN (SELECT DISTINCT ON (s.customer_id) s.customer_id, s.status, s.last_event_at
                   FROM sample_request s
                  WHERE s.customer_id BETWEEN p_lo AND p_hi AND (p_ids IS NULL OR s.customer_id = ANY (p_ids))
                  ORDER BY s.customer_id, s.created_at DESC, s.id DESC) latest
             ON latest.customer_id = a.id
      LEFT JOIN (SELECT o.customer_id, min(o.due_date) AS due_date
                   FROM slas o
                  WHERE o.status = 'OPEN' AND o.customer_id BETWEEN p_lo AND p_hi
                    AND (p_ids IS NULL OR o.customer_id = ANY (p_ids))
                  GROUP BY o.customer_id) sla
             ON sla.customer_id = a.id
     WHERE a.id BETWEEN p_lo AND p_hi
       AND (p_ids IS NULL OR a.id = ANY (p_ids))
$$;
