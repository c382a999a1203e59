-- Sample feedbacks per period (:grain week or month) and group (:by region,
-- owner or chain) over the days :period_from..:period_to, for the :top groups
-- with the most feedbacks (NULL: all), and how many groups there are. A chart
-- cannot show thousands of chains, and the rest would cost time for nothing.
-- :source chooses the daily aggregates per slice ('slices'), their region
-- totals ('regions': by region and unfiltered only) or the facts they sum
-- ('base', kpi_facts); all count the same facts, and row-level security
-- applies to each.
WITH x AS (
    SELECT k.day, k.region, k.owner_id, k.chain_id, k.success, k.neutral, k.fail
      FROM kpi_sample_outcomes_daily k
     WHERE :source = 'slices' AND k.day BETWEEN :period_from AND :period_to
    UNION ALL
    SELECT k.day, k.region, kpi_key(NULL), kpi_key(NULL), CAST(k.key = 'FEEDBACK_SUCCESS' AS integer) * k.n,
           CAST(k.key = 'FEEDBACK_NEUTRAL' AS integer) * k.n, CAST(k.key = 'FEEDBACK_FAIL' AS integer) * k.n
      FROM kpi_region_daily k
     WHERE :source = 'regions' AND k.fact = 'outcome' AND k.day BETWEEN :period_from AND :period_to
    UNION ALL
    SELECT f.day, p.region, p.owner_id, p.chain_id,
           CAST(f.key = 'FEEDBACK_SUCCESS' AS integer), CAST(f.key = 'FEEDBACK_NEUTRAL' AS integer),
           CAST(f.key = 'FEEDBACK_FAIL' AS integer)
      FROM kpi_facts(:period_from, :period_to) f
      JOIN kpi_slices p ON p.customer_id = f.customer_id
     WHERE :source = 'base' AND f.fact = 'outcome'
),
grouped AS (
    -- The group is the region or the id, the other a constant: grouping and ranking
    -- need no text, and only the lines shown are cast.
    SELECT CAST(date_trunc(:grain, CAST(x.day AS timestamp)) AS date) AS period,
           CASE WHEN :by = 'region' THEN x.region ELSE '' END AS region,
           CASE :by WHEN 'owner' THEN x.owner_id WHEN 'chain' THEN x.chain_id ELSE kpi_key(NULL) END AS id,
           sum(x.success) AS success, sum(x.neutral) AS neutral, sum(x.fail) AS fail
      FROM x
     WHERE (CAST(:region AS text) IS NULL OR x.region = :region)
       AND (CAST(:owner AS uuid) IS NULL OR x.owner_id = :owner)
       AND (CAST(:chain AS uuid) IS NULL OR x.chain_id = :chain)
     GROUP BY 1, 2, 3
),
shown AS (
    SELECT region, id, count(*) OVER () AS groups
      FROM grouped
     GROUP BY region, id
     ORDER BY sum(success + neutral + fail) DESC, region, id
     LIMIT :top
)
SELECT g.period, CASE WHEN :by = 'region' THEN g.region ELSE CAST(g.id AS text) END AS key,
       g.success, g.neutral, g.fail, shown.groups
  FROM grouped g
  JOIN shown USING (region, id)
