-- Consultations per commitment level over the days :period_from..:period_to,
-- every level of :levels in that order (zero where there are none), with the
-- savings they put at stake. :source chooses the daily aggregate per slice
-- ('slices'), its region totals ('regions': unfiltered only) or the facts it
-- sums ('base', kpi_facts); row-level security applies to each.
WITH x AS (
    SELECT k.region, k.owner_id, k.chain_id, k.commitment_level, k.consultations, k.savings_per_month
      FROM kpi_commitments_daily k
     WHERE :source = 'slices' AND k.day BETWEEN :period_from AND :period_to
    UNION ALL
    SELECT k.region, kpi_key(NULL), kpi_key(NULL), k.key, k.n, k.amount
      FROM kpi_region_daily k
     WHERE :source = 'regions' AND k.fact = 'commitment' AND k.day BETWEEN :period_from AND :period_to
    UNION ALL
    SELECT p.region, p.owner_id, p.chain_id, f.key, 1, f.amount
      FROM kpi_facts(:period_from, :period_to) f
      JOIN kpi_slices p ON p.customer_id = f.customer_id
     WHERE :source = 'base' AND f.fact = 'commitment'
),
total AS (
    SELECT x.commitment_level, sum(x.consultations) AS consultations, sum(x.savings_per_month) AS savings_per_month
      FROM x
     WHERE (CAST(:region AS text) IS NULL OR x.region = :region)
       AND (CAST(:owner AS uuid) IS NULL OR x.owner_id = :owner)
       AND (CAST(:chain AS uuid) IS NULL OR x.chain_id = :chain)
     GROUP BY x.commitment_level
)
SELECT l.level, coalesce(t.consultations, 0) AS consultations, coalesce(t.savings_per_month, 0) AS savings_per_month
  FROM unnest(CAST(:levels AS text[])) WITH ORDINALITY AS l (level, position)
  LEFT JOIN total t ON t.commitment_level = l.level
 ORDER BY l.position
