-- The ROI pipeline now: customers and € per month per bucket, every bucket of
-- :buckets in that order (zero where there are no customers). :source chooses
-- the aggregate per slice ('slices'), its region totals ('regions': unfiltered
-- only) or the customers it sums ('base', kpi_slices); row-level security applies.
WITH x AS (
    SELECT k.region, k.owner_id, k.chain_id, k.roi_bucket, k.customers, k.roi_value
      FROM kpi_roi_pipeline k
     WHERE :source = 'slices'
    UNION ALL
    SELECT k.region, kpi_key(NULL), kpi_key(NULL), k.roi_bucket, k.customers, k.roi_value
      FROM kpi_region_pipeline k
     WHERE :source = 'regions'
    UNION ALL
    SELECT p.region, p.owner_id, p.chain_id, p.roi_bucket, 1, p.roi_value
      FROM kpi_slices p
     WHERE :source = 'base' AND p.roi_bucket IS NOT NULL
),
total AS (
    SELECT x.roi_bucket, sum(x.customers) AS customers, sum(x.roi_value) AS roi_value
      FROM x
     WHERE (CAST(:region AS text) IS NULL OR x.region = :region)
       AND (CAST(:owner AS uuid) IS NULL OR x.owner_id = :owner)
       AND (CAST(:chain AS uuid) IS NULL OR x.chain_id = :chain)
     GROUP BY x.roi_bucket
)
SELECT b.bucket, coalesce(t.customers, 0) AS customers, coalesce(t.roi_value, 0) AS roi_value
  FROM unnest(CAST(:buckets AS text[])) WITH ORDINALITY AS b (bucket, position)
  LEFT JOIN total t ON t.roi_bucket = b.bucket
 ORDER BY b.position
