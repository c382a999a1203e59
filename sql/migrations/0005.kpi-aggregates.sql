-- Aggregates for the cockpit: the KPI charts read these small tables
-- instead of scanning samples, activities and SLAs of a million customers.
--
-- Every aggregate row belongs to one slice of customers: region, owner, chain,
-- shared (coverage CHAIN_SHARED) and is_chain -- the very columns on which
-- cm_customer_hot_proj's policies (0003) decide who reads a customer. The same
-- policies on the aggregates' own columns therefore let a person count exactly
-- the customers they may read. A missing owner or chain is kept as the nil UUID
-- (kpi_key), so keys are NOT NULL: plain primary keys and equality joins.
--
-- What is counted is defined once, by kpi_facts below. The aggregates are sums
-- of these facts per day and slice, and the reports that read the base tables
-- sum the same facts, so the two cannot disagree. services/service_layer/kpis/aggregates.py
-- keeps the aggregates through per-customer ledgers (see kpi_customer_facts),
-- so replaying events changes nothing.

-- ------------------------------------------------------------- helpers

CREATE FUNCTION kpi_key(id uuid) RETURNS uuid
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(id, '00000000-0000-0000-0000-000000000000'::uuid)
$$;

-- A day is a calendar day in the business's time zone (services/rules/calendar.py, BUSINESS_TZ).
CREATE FUNCTION kpi_day(t timestamptz) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (t AT TIME ZONE 'Europe/Berlin')::date
$$;

CREATE FUNCTION kpi_day_start(d date) RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT d::timestamp AT TIME ZONE 'Europe/Berlin'
$$;

-- The slice each customer is counted in, and its ROI potential.
CREATE VIEW kpi_slices WITH (security_invoker = true) AS
SELECT customer_id, region, kpi_key(owner_id) AS owner_id, kpi_key(chain_id) AS chain_id, shared, is_chain,
       roi_bucket, roi_value
  FROM cm_customer_hot_proj;

-- Facts are read by day; these let each one be a range scan.
CREATE INDEX slas_due_idx ON slas (due_date);
CREATE INDEX activities_commitment_idx ON activities (occurred_at) WHERE data ? 'commitment_level';

-- ---------------------------------------------------------------- facts
-- Everything the cockpit counts, one row per fact:
--   outcome     a sample's feedback (key: the FEEDBACK_ status), on the day of
--               the feedback transition. Feedback is final, so last_event_at is
--               that transition's time; a canceled sample never has feedback.
--   commitment  an activity that records a commitment level (the pack's ROI
--               consultation; key: the level, amount: savings € per month), on
--               the day it happened.
--   sla         an SLA on its due day (key: the activity kind; state: ON_TIME
--               when met on or before that day, LATE, or OPEN; whether an open
--               one is overdue depends on today, so the reports decide that).
--               Closed SLAs (canceled sample, dropped menu) are no obligation.
-- The slice comes from kpi_slices, joined by whoever needs it. An inlinable SQL
-- function (STABLE, one statement): the caller's conditions on fact, day range
-- or customer_id reach each branch's index. It runs with the caller's rights,
-- so row-level security applies when a person reads it.
CREATE FUNCTION kpi_facts(p_from date, p_to date)
RETURNS TABLE (fact text, day date, customer_id uuid, key text, state text, amount numeric)
LANGUAGE sql STABLE AS $$
    SELECT 'outcome', kpi_day(s.last_event_at), s.customer_id, s.status, '', 0
      FROM sample_request s
     WHERE s.status IN ('FEEDBACK_SUCCESS', 'FEEDBACK_NEUTRAL', 'FEEDBACK_FAIL')
       AND s.last_event_at >= kpi_day_start(p_from) AND s.last_event_at < kpi_day_start(p_to + 1)
    UNION ALL
    SELECT 'commitment', kpi_day(a.occurred_at), a.customer_id, a.data ->> 'commitment_level', '',
           coalesce((a.data ->> 'savings_per_month')::numeric(16, 2), 0)
      FROM activities a
     WHERE a.data ? 'commitment_level'
       AND a.occurred_at >= kpi_day_start(p_from) AND a.occurred_at < kpi_day_start(p_to + 1)
    UNION ALL
    SELECT 'sla', o.due_date, o.customer_id, o.kind,
           CASE WHEN o.status = 'OPEN' THEN 'OPEN'
                WHEN kpi_day(o.closed_at) <= o.due_date THEN 'ON_TIME'
                ELSE 'LATE' END,
           0
      FROM slas o
     WHERE o.status IN ('OPEN', 'MET') AND o.due_date BETWEEN p_from AND p_to
$$;

-- ----------------------------------------------------------- aggregates

CREATE TABLE kpi_sample_outcomes_daily (
    day       date NOT NULL,
    region    text NOT NULL,
    owner_id  uuid NOT NULL,
    chain_id  uuid NOT NULL,
    shared    boolean NOT NULL,
    is_chain  boolean NOT NULL,
    success   integer NOT NULL,
    neutral   integer NOT NULL,
    fail      integer NOT NULL,
    PRIMARY KEY (day, region, owner_id, chain_id, shared, is_chain)
);

CREATE TABLE kpi_commitments_daily (
    day                date NOT NULL,
    region             text NOT NULL,
    owner_id           uuid NOT NULL,
    chain_id           uuid NOT NULL,
    shared             boolean NOT NULL,
    is_chain           boolean NOT NULL,
    commitment_level   text NOT NULL,
    consultations      integer NOT NULL,
    savings_per_month  numeric(16, 2) NOT NULL,
    PRIMARY KEY (day, region, owner_id, chain_id, shared, is_chain, commitment_level)
);

-- Keyed by the SLA's due day.
CREATE TABLE kpi_slas_daily (
    day       date NOT NULL,
    region    text NOT NULL,
    owner_id  uuid NOT NULL,
    chain_id  uuid NOT NULL,
    shared    boolean NOT NULL,
    is_chain  boolean NOT NULL,
    kind      text NOT NULL,
    on_time   integer NOT NULL,
    late      integer NOT NULL,
    open      integer NOT NULL,
    PRIMARY KEY (day, region, owner_id, chain_id, shared, is_chain, kind)
);

-- The current pipeline, not a history: customers and € per month per ROI bucket.
CREATE TABLE kpi_roi_pipeline (
    region      text NOT NULL,
    owner_id    uuid NOT NULL,
    chain_id    uuid NOT NULL,
    shared      boolean NOT NULL,
    is_chain    boolean NOT NULL,
    roi_bucket  text NOT NULL,
    customers   integer NOT NULL,
    roi_value   numeric(18, 2) NOT NULL,
    PRIMARY KEY (region, owner_id, chain_id, shared, is_chain, roi_bucket)
);

-- The same per region only, for the people who read whole regions (admins,
-- team leads): a few rows a day instead of one per slice, and there are tens
-- of thousands of slices, since every chain is one. The daily facts in one
-- table: fact, key and state as in kpi_facts; n facts, amount their sum.
CREATE TABLE kpi_region_daily (
    fact    text NOT NULL,
    day     date NOT NULL,
    region  text NOT NULL,
    key     text NOT NULL,
    state   text NOT NULL,
    n       integer NOT NULL,
    amount  numeric(18, 2) NOT NULL,
    PRIMARY KEY (fact, day, region, key, state)
);

CREATE TABLE kpi_region_pipeline (
    region      text NOT NULL,
    roi_bucket  text NOT NULL,
    customers   integer NOT NULL,
    roi_value   numeric(18, 2) NOT NULL,
    PRIMARY KEY (region, roi_bucket)
);

-- The ledgers: what each customer is counted with. The daemon changes the
-- aggregates by the difference between a touched customer's ledger rows and
-- the truth, then sets the ledger to the truth: the cost is that customer's
-- few facts, not the thousands of customers of its slice or day, and a second
-- run or a replay finds no difference. Only the daemon and the owner read them.
CREATE TABLE kpi_customer_facts (
    customer_id  uuid NOT NULL,
    fact         text NOT NULL,
    day          date NOT NULL,
    key          text NOT NULL,
    state        text NOT NULL,
    n            integer NOT NULL,
    amount       numeric(16, 2) NOT NULL,
    PRIMARY KEY (customer_id, fact, day, key, state)
);

-- A customer's slice (the one its ledger facts are counted in: when it moves,
-- reassigned or its region or coverage changed, they leave that slice) and ROI
-- potential.
CREATE TABLE kpi_customer_slices (
    customer_id  uuid PRIMARY KEY,
    region       text NOT NULL,
    owner_id     uuid NOT NULL,
    chain_id     uuid NOT NULL,
    shared       boolean NOT NULL,
    is_chain     boolean NOT NULL,
    roi_bucket   text,
    roi_value    numeric(12, 2)
);

-- How current the aggregates are. built_at: the last complete rebuild (until
-- then the reports read the base tables); no row before it, since bulk loads
-- (the demo) bypass the outbox and only a rebuild can say the aggregates are
-- complete. Reflected are every outbox event at or below the mark (last_txid,
-- last_position) in commit order, and every event visible to the snapshot the
-- last rebuild started from (built_snapshot; its transactions need not be in
-- commit order when another session holds a long transaction open).
CREATE TABLE kpi_state (
    singleton       boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    built_at        timestamptz,
    built_snapshot  pg_snapshot,
    applied_at      timestamptz,
    last_txid       xid8 NOT NULL DEFAULT '0',
    last_position   bigint NOT NULL DEFAULT 0
);

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['kpi_sample_outcomes_daily', 'kpi_commitments_daily', 'kpi_slas_daily']
    LOOP
        -- Each person's policy below is an index condition on one of these.
        EXECUTE format('CREATE INDEX %I ON %I (region, day)', t || '_region_idx', t);
        EXECUTE format('CREATE INDEX %I ON %I (owner_id, day)', t || '_owner_idx', t);
        EXECUTE format('CREATE INDEX %I ON %I (chain_id, day)', t || '_chain_idx', t);
    END LOOP;
END
$$;
CREATE INDEX kpi_roi_pipeline_owner_idx ON kpi_roi_pipeline (owner_id);
CREATE INDEX kpi_roi_pipeline_chain_idx ON kpi_roi_pipeline (chain_id);

-- Who may have unprocessed events: the time of the first relevant event after
-- the mark, in commit order. Runs as the owner so that a person's question
-- does not pay for the outbox's row-level security; it reveals one time.
CREATE FUNCTION kpi_pending_since(p_types text[]) RETURNS timestamptz
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT e.time
      FROM event_outbox e, kpi_state s
     WHERE (e.txid, e.position) > (s.last_txid, s.last_position)
       AND NOT coalesce(pg_visible_in_snapshot(e.txid, s.built_snapshot), false)
       AND e.type = ANY (p_types)
     ORDER BY e.txid, e.position
     LIMIT 1
$$;

-- ------------------------------------------------------------ access

REVOKE ALL ON FUNCTION kpi_key(uuid), kpi_day(timestamptz), kpi_day_start(date), kpi_facts(date, date),
       kpi_pending_since(text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kpi_key(uuid), kpi_day(timestamptz), kpi_day_start(date), kpi_facts(date, date),
      kpi_pending_since(text[]) TO steward_person, steward_daemon;

GRANT SELECT ON kpi_sample_outcomes_daily, kpi_commitments_daily, kpi_slas_daily, kpi_roi_pipeline,
      kpi_region_daily, kpi_region_pipeline, kpi_state TO steward_person;
GRANT SELECT ON kpi_slices TO steward_person, steward_daemon;
-- TRUNCATE: a rebuild starts from empty ledgers and aggregates.
GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON kpi_sample_outcomes_daily, kpi_commitments_daily, kpi_slas_daily,
      kpi_roi_pipeline, kpi_region_daily, kpi_region_pipeline, kpi_customer_facts, kpi_customer_slices, kpi_state
      TO steward_daemon;

-- The policies of cm_customer_hot_proj (0003), on the aggregates' own columns.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['kpi_sample_outcomes_daily', 'kpi_commitments_daily', 'kpi_slas_daily',
                             'kpi_roi_pipeline']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY admin_all ON %I TO steward_admin, steward_daemon USING (true) WITH CHECK (true)', t);
        EXECUTE format('CREATE POLICY team_lead_region ON %I FOR SELECT TO steward_team_lead
                            USING (region = (SELECT steward_user_region()))', t);
        EXECUTE format('CREATE POLICY chain_manager_chain ON %I FOR SELECT TO steward_chain_manager
                            USING (chain_id = ANY ((SELECT steward_managed_chains())::uuid[]))', t);
        EXECUTE format('CREATE POLICY sales_rep_read ON %I FOR SELECT TO steward_sales_rep
                            USING (owner_id = (SELECT steward_current_user_id())
                                   OR (shared AND NOT is_chain
                                       AND chain_id = ANY ((SELECT steward_rep_chains())::uuid[])))', t);
    END LOOP;
END
$$;

-- The region totals: only for whom a whole region is readable. Sales reps and
-- chain managers read none (the service gives them the slices above).
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['kpi_region_daily', 'kpi_region_pipeline']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY admin_all ON %I TO steward_admin, steward_daemon USING (true) WITH CHECK (true)', t);
        EXECUTE format('CREATE POLICY team_lead_region ON %I FOR SELECT TO steward_team_lead
                            USING (region = (SELECT steward_user_region()))', t);
    END LOOP;
END
$$;

ALTER TABLE kpi_customer_facts ENABLE ROW LEVEL SECURITY;
CREATE POLICY daemon_all ON kpi_customer_facts TO steward_daemon USING (true) WITH CHECK (true);
ALTER TABLE kpi_customer_slices ENABLE ROW LEVEL SECURITY;
CREATE POLICY daemon_all ON kpi_customer_slices TO steward_daemon USING (true) WITH CHECK (true);
