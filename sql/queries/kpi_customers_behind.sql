-- The customers behind a number of a KPI chart: the facts (:fact outcome,
-- commitment or sla) over the days :period_from..:period_to, or (:fact roi)
-- the customers' ROI potential now, narrowed to one :value (outcome,
-- commitment level, activity kind or ROI bucket; NULL for all) and, for SLAs,
-- one :state (ON_TIME, LATE, OPEN, OVERDUE as of :today; NULL for all). Reads
-- what the charts count; row-level security applies.
SELECT DISTINCT x.customer_id
  FROM (SELECT f.customer_id, p.region, p.owner_id, p.chain_id, f.key AS value,
               CASE WHEN f.state = 'OPEN' AND f.day < :today THEN 'OVERDUE' ELSE f.state END AS state
          FROM kpi_facts(:period_from, :period_to) f
          JOIN kpi_slices p ON p.customer_id = f.customer_id
         WHERE f.fact = :fact
        UNION ALL
        SELECT p.customer_id, p.region, p.owner_id, p.chain_id, p.roi_bucket, ''
          FROM kpi_slices p
         WHERE :fact = 'roi' AND p.roi_bucket IS NOT NULL) AS x
 WHERE (CAST(:value AS text) IS NULL OR x.value = :value)
   AND (CAST(:state AS text) IS NULL OR x.state = :state)
   AND (CAST(:region AS text) IS NULL OR x.region = :region)
   AND (CAST(:owner AS uuid) IS NULL OR x.owner_id = :owner)
   AND (CAST(:chain AS uuid) IS NULL OR x.chain_id = :chain)
 ORDER BY x.customer_id
 LIMIT :limit
