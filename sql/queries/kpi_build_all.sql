-- Fill the empty KPI ledgers and aggregates for every customer in one pass;
-- returns the rows written.
--
-- The same sums as kpi_refresh_daily and kpi_refresh_pipeline run batch by batch
-- over all customers from empty tables: there, every difference is a positive
-- count added to its cell, so each cell ends as the sum over all customers, which
-- is what one GROUP BY per aggregate gives here. Reading every fact once
-- instead of per batch through the customer indexes is what makes it fast (a
-- million customers: 25 s; the batches took 108 s). For empty tables only
-- (services.service_layer.kpis.aggregates.build_all empties them first, under the lock).
WITH facts AS MATERIALIZED (
    SELECT f.customer_id, f.fact, f.day, f.key, f.state, count(*) AS n, sum(f.amount) AS amount
      FROM kpi_facts('-infinity', 'infinity') AS f
     GROUP BY f.customer_id, f.fact, f.day, f.key, f.state
),
slices AS MATERIALIZED (
    SELECT * FROM kpi_slices
),
delta AS MATERIALIZED (
    SELECT f.fact, f.day, s.region, s.owner_id, s.chain_id, s.shared, s.is_chain, f.key, f.state,
           sum(f.n) AS n, sum(f.amount) AS amount
      FROM facts f JOIN slices s ON s.customer_id = f.customer_id
     GROUP BY f.fact, f.day, s.region, s.owner_id, s.chain_id, s.shared, s.is_chain, f.key, f.state
    HAVING sum(f.n) <> 0 OR sum(f.amount) <> 0
),
fact_ledger AS (
    INSERT INTO kpi_customer_facts (customer_id, fact, day, key, state, n, amount)
    SELECT customer_id, fact, day, key, state, n, amount FROM facts
     ORDER BY customer_id, fact, day, key, state   -- key order: each index page is written once
    RETURNING 1
),
slice_ledger AS (
    INSERT INTO kpi_customer_slices SELECT * FROM slices ORDER BY customer_id
    RETURNING 1
),
outcomes AS (
    INSERT INTO kpi_sample_outcomes_daily
    SELECT day, region, owner_id, chain_id, shared, is_chain,
           coalesce(sum(n) FILTER (WHERE key = {{kpi.success}}), 0),
           coalesce(sum(n) FILTER (WHERE key = {{kpi.neutral}}), 0),
           coalesce(sum(n) FILTER (WHERE key = {{kpi.fail}}), 0)
      FROM delta
     WHERE fact = 'outcome'
     GROUP BY day, region, owner_id, chain_id, shared, is_chain
    RETURNING 1
),
commitments AS (
    INSERT INTO kpi_commitments_daily
    SELECT day, region, owner_id, chain_id, shared, is_chain, key, sum(n), sum(amount)
      FROM delta
     WHERE fact = 'commitment'
     GROUP BY day, region, owner_id, chain_id, shared, is_chain, key
    RETURNING 1
),
slas AS (
    INSERT INTO kpi_slas_daily
    SELECT day, region, owner_id, chain_id, shared, is_chain, key,
           coalesce(sum(n) FILTER (WHERE state = 'ON_TIME'), 0),
           coalesce(sum(n) FILTER (WHERE state = 'LATE'), 0),
           coalesce(sum(n) FILTER (WHERE state = 'OPEN'), 0)
      FROM delta
     WHERE fact = 'sla'
     GROUP BY day, region, owner_id, chain_id, shared, is_chain, key
    RETURNING 1
),
region_daily AS (
    INSERT INTO kpi_region_daily
    SELECT fact, day, region, key, state, sum(n), sum(amount)
      FROM delta
     GROUP BY fact, day, region, key, state
    HAVING sum(n) <> 0 OR sum(amount) <> 0
    RETURNING 1
),
pipeline AS MATERIALIZED (
    SELECT region, owner_id, chain_id, shared, is_chain, roi_bucket,
           count(*) AS customers, sum(coalesce(roi_value, 0)) AS roi_value
      FROM slices
     WHERE roi_bucket IS NOT NULL
     GROUP BY region, owner_id, chain_id, shared, is_chain, roi_bucket
),
pipeline_written AS (
    INSERT INTO kpi_roi_pipeline SELECT * FROM pipeline
    RETURNING 1
),
region_pipeline AS (
    INSERT INTO kpi_region_pipeline
    SELECT region, roi_bucket, sum(customers), sum(roi_value)
      FROM pipeline
     GROUP BY region, roi_bucket
    RETURNING 1
)
SELECT (SELECT count(*) FROM fact_ledger) + (SELECT count(*) FROM slice_ledger)
     + (SELECT count(*) FROM outcomes) + (SELECT count(*) FROM commitments) + (SELECT count(*) FROM slas)
     + (SELECT count(*) FROM region_daily) + (SELECT count(*) FROM pipeline_written)
     + (SELECT count(*) FROM region_pipeline) AS written
