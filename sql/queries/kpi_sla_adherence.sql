-- SLAs due in the days :period_from..:period_to per activity kind, every kind
-- of :kinds in that order: met on time, met late, open and not yet due, open
-- and overdue (due before :today). :source chooses the daily aggregate per
-- slice ('slices'), its region totals ('regions': unfiltered only) or the
-- facts it sums ('base', kpi_facts); row-level security applies to each.
WITH x AS (
    SELECT k.day, k.region, k.owner_id, k.chain_id, k.kind, k.on_time, k.late, k.open
      FROM kpi_slas_daily k
     WHERE :source = 'slices' AND k.day BETWEEN :period_from AND :period_to
    UNION ALL
    SELECT k.day, k.region, kpi_key(NULL), kpi_key(NULL), k.key, CAST(k.state = 'ON_TIME' AS integer) * k.n,
           CAST(k.state = 'LATE' AS integer) * k.n, CAST(k.state = 'OPEN' AS integer) * k.n
      FROM kpi_region_daily k
     WHERE :source = 'regions' AND k.fact = 'sla' AND k.day BETWEEN :period_from AND :period_to
    UNION ALL
    SELECT f.day, p.region, p.owner_id, p.chain_id, f.key,
           CAST(f.state = 'ON_TIME' AS integer), CAST(f.state = 'LATE' AS integer), CAST(f.state = 'OPEN' AS integer)
      FROM kpi_facts(:period_from, :period_to) f
      JOIN kpi_slices p ON p.customer_id = f.customer_id
     WHERE :source = 'base' AND f.fact = 'sla'
),
total AS (
    SELECT x.kind, sum(x.on_time) AS on_time, sum(x.late) AS late,
           sum(x.open) FILTER (WHERE x.day >= :today) AS open,
           sum(x.open) FILTER (WHERE x.day < :today) AS overdue
      FROM x
     WHERE (CAST(:region AS text) IS NULL OR x.region = :region)
       AND (CAST(:owner AS uuid) IS NULL OR x.owner_id = :owner)
       AND (CAST(:chain AS uuid) IS NULL OR x.chain_id = :chain)
     GROUP BY x.kind
)
SELECT t.kind, coalesce(s.on_time, 0) AS on_time, coalesce(s.late, 0) AS late, coalesce(s.open, 0) AS open,
       coalesce(s.overdue, 0) AS overdue
  FROM unnest(CAST(:kinds AS text[])) WITH ORDINALITY AS t (kind, position)
  LEFT JOIN total s ON s.kind = t.kind
 ORDER BY t.position
