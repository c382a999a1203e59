-- Bring the facts ledger (kpi_customer_facts) and the three daily aggregates to
-- the truth for the customers :ids; returns how many rows it changed. Run it
-- before kpi_refresh_pipeline, which moves the customers' slices in their ledger.
--
-- Each cell (day x slice) loses what the ledger counted for these customers,
-- under the slice they were counted in, and gains their facts now, under
-- their slice now: a customer that moved takes its counts along. The ledger is
-- then the truth, so a second run, or a replay, changes nothing. The cost is
-- the customers' own facts, read through the customer indexes; every part is
-- narrowed to :ids by itself, as the planner carries no list across a join.
WITH fresh AS (
    SELECT f.customer_id, f.fact, f.day, f.key, f.state, count(*) AS n, sum(f.amount) AS amount
      FROM kpi_facts('-infinity', 'infinity') AS f
     WHERE f.customer_id = ANY (CAST(:ids AS uuid[]))
     GROUP BY f.customer_id, f.fact, f.day, f.key, f.state
),
counted AS (
    SELECT l.customer_id, l.fact, l.day, l.key, l.state, l.n, l.amount
      FROM kpi_customer_facts l
     WHERE l.customer_id = ANY (CAST(:ids AS uuid[]))
),
now_slice AS (
    SELECT * FROM kpi_slices WHERE customer_id = ANY (CAST(:ids AS uuid[]))
),
was_slice AS (
    SELECT * FROM kpi_customer_slices WHERE customer_id = ANY (CAST(:ids AS uuid[]))
),
delta AS (
    SELECT fact, day, region, owner_id, chain_id, shared, is_chain, key, state, sum(n) AS n, sum(amount) AS amount
      FROM (SELECT f.fact, f.day, s.region, s.owner_id, s.chain_id, s.shared, s.is_chain, f.key, f.state,
                   f.n, f.amount
              FROM fresh f JOIN now_slice s ON s.customer_id = f.customer_id
            UNION ALL
            SELECT c.fact, c.day, s.region, s.owner_id, s.chain_id, s.shared, s.is_chain, c.key, c.state,
                   -c.n, -c.amount
              FROM counted c JOIN was_slice s ON s.customer_id = c.customer_id) AS d
     GROUP BY fact, day, region, owner_id, chain_id, shared, is_chain, key, state
    HAVING sum(n) <> 0 OR sum(amount) <> 0
),
gone AS (
    SELECT customer_id, fact, day, key, state FROM counted
    EXCEPT
    SELECT customer_id, fact, day, key, state FROM fresh
),
ledger_removed AS (
    DELETE FROM kpi_customer_facts l
     USING gone g
     WHERE (l.customer_id, l.fact, l.day, l.key, l.state) = (g.customer_id, g.fact, g.day, g.key, g.state)
    RETURNING 1
),
ledger_written AS (
    INSERT INTO kpi_customer_facts AS l (customer_id, fact, day, key, state, n, amount)
    SELECT customer_id, fact, day, key, state, n, amount FROM fresh
    ON CONFLICT (customer_id, fact, day, key, state) DO UPDATE
       SET n = EXCLUDED.n, amount = EXCLUDED.amount
     WHERE (l.n, l.amount) IS DISTINCT FROM (EXCLUDED.n, EXCLUDED.amount)
    RETURNING 1
),

-- A cell that the difference leaves at zero is removed, as a rebuild would have
-- no row for it; the others are added to (inserted when new).

-- ------------------------------------------------------------ sample outcomes
outcome_delta AS (
    SELECT day, region, owner_id, chain_id, shared, is_chain,
           coalesce(sum(n) FILTER (WHERE key = {{kpi.success}}), 0) AS success,
           coalesce(sum(n) FILTER (WHERE key = {{kpi.neutral}}), 0) AS neutral,
           coalesce(sum(n) FILTER (WHERE key = {{kpi.fail}}), 0) AS fail
      FROM delta
     WHERE fact = 'outcome'
     GROUP BY day, region, owner_id, chain_id, shared, is_chain
),
outcome_emptied AS (
    SELECT k.day, k.region, k.owner_id, k.chain_id, k.shared, k.is_chain
      FROM kpi_sample_outcomes_daily k
      JOIN outcome_delta d USING (day, region, owner_id, chain_id, shared, is_chain)
     WHERE (k.success + d.success, k.neutral + d.neutral, k.fail + d.fail) = (0, 0, 0)
),
outcome_removed AS (
    DELETE FROM kpi_sample_outcomes_daily k
     USING outcome_emptied e
     WHERE (k.day, k.region, k.owner_id, k.chain_id, k.shared, k.is_chain)
           = (e.day, e.region, e.owner_id, e.chain_id, e.shared, e.is_chain)
    RETURNING 1
),
outcome_written AS (
    INSERT INTO kpi_sample_outcomes_daily AS k
    SELECT d.* FROM outcome_delta d
     WHERE NOT EXISTS (SELECT 1 FROM outcome_emptied e
                        WHERE (e.day, e.region, e.owner_id, e.chain_id, e.shared, e.is_chain)
                              = (d.day, d.region, d.owner_id, d.chain_id, d.shared, d.is_chain))
    ON CONFLICT (day, region, owner_id, chain_id, shared, is_chain) DO UPDATE
       SET success = k.success + EXCLUDED.success, neutral = k.neutral + EXCLUDED.neutral,
           fail = k.fail + EXCLUDED.fail
    RETURNING 1
),

-- ---------------------------------------------------------------- commitments
commitment_delta AS (
    SELECT day, region, owner_id, chain_id, shared, is_chain, key AS commitment_level,
           sum(n) AS consultations, sum(amount) AS savings_per_month
      FROM delta
     WHERE fact = 'commitment'
     GROUP BY day, region, owner_id, chain_id, shared, is_chain, key
),
commitment_emptied AS (
    SELECT k.day, k.region, k.owner_id, k.chain_id, k.shared, k.is_chain, k.commitment_level
      FROM kpi_commitments_daily k
      JOIN commitment_delta d USING (day, region, owner_id, chain_id, shared, is_chain, commitment_level)
     WHERE k.consultations + d.consultations = 0
),
commitment_removed AS (
    DELETE FROM kpi_commitments_daily k
     USING commitment_emptied e
     WHERE (k.day, k.region, k.owner_id, k.chain_id, k.shared, k.is_chain, k.commitment_level)
           = (e.day, e.region, e.owner_id, e.chain_id, e.shared, e.is_chain, e.commitment_level)
    RETURNING 1
),
commitment_written AS (
    INSERT INTO kpi_commitments_daily AS k
    SELECT d.* FROM commitment_delta d
     WHERE NOT EXISTS (SELECT 1 FROM commitment_emptied e
                        WHERE (e.day, e.region, e.owner_id, e.chain_id, e.shared, e.is_chain, e.commitment_level)
                              = (d.day, d.region, d.owner_id, d.chain_id, d.shared, d.is_chain, d.commitment_level))
    ON CONFLICT (day, region, owner_id, chain_id, shared, is_chain, commitment_level) DO UPDATE
       SET consultations = k.consultations + EXCLUDED.consultations,
           savings_per_month = k.savings_per_month + EXCLUDED.savings_per_month
    RETURNING 1
),

-- ----------------------------------------------------------------------- SLAs
sla_delta AS (
    SELECT day, region, owner_id, chain_id, shared, is_chain, key AS kind,
           coalesce(sum(n) FILTER (WHERE state = 'ON_TIME'), 0) AS on_time,
           coalesce(sum(n) FILTER (WHERE state = 'LATE'), 0) AS late,
           coalesce(sum(n) FILTER (WHERE state = 'OPEN'), 0) AS open
      FROM delta
     WHERE fact = 'sla'
     GROUP BY day, region, owner_id, chain_id, shared, is_chain, key
),
sla_emptied AS (
    SELECT k.day, k.region, k.owner_id, k.chain_id, k.shared, k.is_chain, k.kind
      FROM kpi_slas_daily k
      JOIN sla_delta d USING (day, region, owner_id, chain_id, shared, is_chain, kind)
     WHERE (k.on_time + d.on_time, k.late + d.late, k.open + d.open) = (0, 0, 0)
),
sla_removed AS (
    DELETE FROM kpi_slas_daily k
     USING sla_emptied e
     WHERE (k.day, k.region, k.owner_id, k.chain_id, k.shared, k.is_chain, k.kind)
           = (e.day, e.region, e.owner_id, e.chain_id, e.shared, e.is_chain, e.kind)
    RETURNING 1
),
sla_written AS (
    INSERT INTO kpi_slas_daily AS k
    SELECT d.* FROM sla_delta d
     WHERE NOT EXISTS (SELECT 1 FROM sla_emptied e
                        WHERE (e.day, e.region, e.owner_id, e.chain_id, e.shared, e.is_chain, e.kind)
                              = (d.day, d.region, d.owner_id, d.chain_id, d.shared, d.is_chain, d.kind))
    ON CONFLICT (day, region, owner_id, chain_id, shared, is_chain, kind) DO UPDATE
       SET on_time = k.on_time + EXCLUDED.on_time, late = k.late + EXCLUDED.late, open = k.open + EXCLUDED.open
    RETURNING 1
),

-- ------------------------------------------------------------ region totals
region_delta AS (
    SELECT fact, day, region, key, state, sum(n) AS n, sum(amount) AS amount
      FROM delta
     GROUP BY fact, day, region, key, state
    HAVING sum(n) <> 0 OR sum(amount) <> 0
),
region_emptied AS (
    SELECT k.fact, k.day, k.region, k.key, k.state
      FROM kpi_region_daily k
      JOIN region_delta d USING (fact, day, region, key, state)
     WHERE (k.n + d.n, k.amount + d.amount) = (0, 0)
),
region_removed AS (
    DELETE FROM kpi_region_daily k
     USING region_emptied e
     WHERE (k.fact, k.day, k.region, k.key, k.state) = (e.fact, e.day, e.region, e.key, e.state)
    RETURNING 1
),
region_written AS (
    INSERT INTO kpi_region_daily AS k
    SELECT d.* FROM region_delta d
     WHERE NOT EXISTS (SELECT 1 FROM region_emptied e
                        WHERE (e.fact, e.day, e.region, e.key, e.state) = (d.fact, d.day, d.region, d.key, d.state))
    ON CONFLICT (fact, day, region, key, state) DO UPDATE
       SET n = k.n + EXCLUDED.n, amount = k.amount + EXCLUDED.amount
    RETURNING 1
)
SELECT (SELECT count(*) FROM ledger_removed) + (SELECT count(*) FROM ledger_written)
     + (SELECT count(*) FROM region_removed) + (SELECT count(*) FROM region_written)
     + (SELECT count(*) FROM outcome_removed) + (SELECT count(*) FROM outcome_written)
     + (SELECT count(*) FROM commitment_removed) + (SELECT count(*) FROM commitment_written)
     + (SELECT count(*) FROM sla_removed) + (SELECT count(*) FROM sla_written) AS changed
