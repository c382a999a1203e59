-- Bring kpi_customer_slices, kpi_roi_pipeline and kpi_region_pipeline to the
-- truth for the customers :ids; returns the rows changed.
--
-- The ledger kpi_customer_slices holds the slice and ROI potential each customer
-- is counted with, and kpi_roi_pipeline is its sum per slice and bucket. The
-- pipeline moves by the difference between the ledger and the truth for these
-- customers only: a slice holds thousands of customers, so re-adding it for
-- every touched customer would cost what the slice costs. Since the ledger is
-- then set to the truth, a second run or a replay finds no difference.
WITH now_ AS (
    SELECT p.*
      FROM kpi_slices p
     WHERE p.customer_id = ANY (CAST(:ids AS uuid[]))
),
was AS (
    SELECT k.*
      FROM kpi_customer_slices k
     WHERE k.customer_id = ANY (CAST(:ids AS uuid[]))
),
delta AS (
    SELECT region, owner_id, chain_id, shared, is_chain, roi_bucket,
           sum(customers) AS customers, sum(roi_value) AS roi_value
      FROM (SELECT region, owner_id, chain_id, shared, is_chain, roi_bucket,
                   1 AS customers, coalesce(roi_value, 0) AS roi_value
              FROM now_ WHERE roi_bucket IS NOT NULL
            UNION ALL
            SELECT region, owner_id, chain_id, shared, is_chain, roi_bucket,
                   -1, -coalesce(roi_value, 0)
              FROM was WHERE roi_bucket IS NOT NULL) AS d
     GROUP BY region, owner_id, chain_id, shared, is_chain, roi_bucket
    HAVING sum(customers) <> 0 OR sum(roi_value) <> 0
),
emptied AS (
    SELECT k.region, k.owner_id, k.chain_id, k.shared, k.is_chain, k.roi_bucket
      FROM kpi_roi_pipeline k
      JOIN delta d USING (region, owner_id, chain_id, shared, is_chain, roi_bucket)
     WHERE k.customers + d.customers = 0 AND k.roi_value + d.roi_value = 0
),
pipeline_removed AS (   -- a slice's bucket without customers is no row, as in a rebuild
    DELETE FROM kpi_roi_pipeline k
     USING emptied e
     WHERE (k.region, k.owner_id, k.chain_id, k.shared, k.is_chain, k.roi_bucket)
           = (e.region, e.owner_id, e.chain_id, e.shared, e.is_chain, e.roi_bucket)
    RETURNING 1
),
pipeline AS (
    INSERT INTO kpi_roi_pipeline AS k
    SELECT d.* FROM delta d
     WHERE NOT EXISTS (SELECT 1 FROM emptied e
                        WHERE (e.region, e.owner_id, e.chain_id, e.shared, e.is_chain, e.roi_bucket)
                              = (d.region, d.owner_id, d.chain_id, d.shared, d.is_chain, d.roi_bucket))
    ON CONFLICT (region, owner_id, chain_id, shared, is_chain, roi_bucket) DO UPDATE
       SET customers = k.customers + EXCLUDED.customers, roi_value = k.roi_value + EXCLUDED.roi_value
    RETURNING 1
),
region_delta AS (
    SELECT region, roi_bucket, sum(customers) AS customers, sum(roi_value) AS roi_value
      FROM delta
     GROUP BY region, roi_bucket
    HAVING sum(customers) <> 0 OR sum(roi_value) <> 0
),
region_emptied AS (
    SELECT k.region, k.roi_bucket
      FROM kpi_region_pipeline k
      JOIN region_delta d USING (region, roi_bucket)
     WHERE k.customers + d.customers = 0 AND k.roi_value + d.roi_value = 0
),
region_removed AS (
    DELETE FROM kpi_region_pipeline k
     USING region_emptied e
     WHERE (k.region, k.roi_bucket) = (e.region, e.roi_bucket)
    RETURNING 1
),
region_written AS (
    INSERT INTO kpi_region_pipeline AS k
    SELECT d.* FROM region_delta d
     WHERE NOT EXISTS (SELECT 1 FROM region_emptied e WHERE (e.region, e.roi_bucket) = (d.region, d.roi_bucket))
    ON CONFLICT (region, roi_bucket) DO UPDATE
       SET customers = k.customers + EXCLUDED.customers, roi_value = k.roi_value + EXCLUDED.roi_value
    RETURNING 1
),
forgotten AS (
    DELETE FROM kpi_customer_slices k
     USING was w
     WHERE k.customer_id = w.customer_id
       AND NOT EXISTS (SELECT 1 FROM now_ n WHERE n.customer_id = w.customer_id)
    RETURNING 1
),
ledger AS (
    INSERT INTO kpi_customer_slices AS k
    SELECT * FROM now_
    ON CONFLICT (customer_id) DO UPDATE
       SET region = EXCLUDED.region, owner_id = EXCLUDED.owner_id, chain_id = EXCLUDED.chain_id,
           shared = EXCLUDED.shared, is_chain = EXCLUDED.is_chain, roi_bucket = EXCLUDED.roi_bucket,
           roi_value = EXCLUDED.roi_value
     WHERE (k.region, k.owner_id, k.chain_id, k.shared, k.is_chain, k.roi_bucket, k.roi_value)
           IS DISTINCT FROM
           (EXCLUDED.region, EXCLUDED.owner_id, EXCLUDED.chain_id, EXCLUDED.shared, EXCLUDED.is_chain,
            EXCLUDED.roi_bucket, EXCLUDED.roi_value)
    RETURNING 1
)
SELECT (SELECT count(*) FROM pipeline) + (SELECT count(*) FROM pipeline_removed)
     + (SELECT count(*) FROM region_written) + (SELECT count(*) FROM region_removed) + (SELECT count(*) FROM forgotten) + (SELECT count(*) FROM ledger) AS changed
