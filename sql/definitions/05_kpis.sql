-- The cockpit's definitions: what a KPI counts, per customer and day, and the
-- slice of customers each fact belongs to. The aggregate tables and their
-- ledgers are in sql/migrations/0005; services/service_layer/kpis keeps them.
--
-- Every aggregate row belongs to one slice of customers: region, owner, chain,
-- shared (coverage CHAIN_SHARED) and is_chain -- the very columns on which the
-- projection's policies decide who reads a customer, so the same policies on the
-- aggregates' own columns (access.sql) let a person count exactly the customers
-- they may read. A missing owner or chain is kept as the nil UUID (kpi_key), so
-- keys are NOT NULL: plain primary keys and equality joins.

CREATE OR REPLACE FUNCTION public.kpi_key(id uuid) RETURNS uuid
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(id, '00000000-0000-0000-0000-000000000000'::uuid)
$$;

-- A day is a calendar day in the business's time zone (services/rules/calendar.py, BUSINESS_TZ).
CREATE OR REPLACE FUNCTION public.kpi_day(t timestamptz) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (t AT TIME ZONE 'Europe/Berlin')::date
$$;

CREATE OR REPLACE FUNCTION public.kpi_day_start(d date) RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT d::timestamp AT TIME ZONE 'Europe/Berlin'
$$;

-- The slice each customer is counted in, and its place in the ROI pipeline (the hot
-- columns the pack's [kpi] pipeline names: double braces mark what the pack fills in).
DROP VIEW IF EXISTS public.kpi_slices;
CREATE VIEW public.kpi_slices WITH (security_invoker = true) AS
SELECT customer_id, region, public.kpi_key(owner_id) AS owner_id, public.kpi_key(chain_id) AS chain_id, shared,
       is_chain, {{kpi.pipeline_bucket}} AS roi_bucket, {{kpi.pipeline_value}} AS roi_value
  FROM public.cm_customer_hot_proj;

-- Everything the cockpit counts, one row per fact:
--   outcome     a sample's feedback (key: its status, one of the pack's [kpi]
--               outcomes), on the day of the feedback transition. Feedback is
--               final, so last_event_at is that transition's time.
--   commitment  an activity whose fields record a commitment level (the pack's
--               [kpi] commitment; key: the level, amount: savings € per month),
--               on the day it happened.
--   sla         an SLA on its due day (key: the activity kind; state: ON_TIME
--               when met on or before that day, LATE, or OPEN; whether an open
--               one is overdue depends on today, so the reports decide that).
--               Closed SLAs (canceled sample, dropped menu) are no obligation.
-- Archived samples, activities and SLAs (retention, 42_retention.sql) count as before.
-- The slice comes from kpi_slices, joined by whoever needs it. An inlinable SQL
-- function (STABLE, one statement, no SET): the caller's conditions on fact, day
-- range or customer_id reach each branch's index. It runs with the caller's
-- rights, so row-level security applies when a person reads it.
CREATE OR REPLACE FUNCTION public.kpi_facts(p_from date, p_to date)
RETURNS TABLE (fact text, day date, customer_id uuid, key text, state text, amount numeric)
LANGUAGE sql STABLE AS $$
    SELECT 'outcome', public.kpi_day(s.last_event_at), s.customer_id, s.status, '', 0
      FROM public.sample_request s
     WHERE s.status IN ({{kpi.success}}, {{kpi.neutral}}, {{kpi.fail}})
       AND s.last_event_at >= public.kpi_day_start(p_from) AND s.last_event_at < public.kpi_day_start(p_to + 1)
    UNION ALL
    SELECT 'outcome', public.kpi_day(s.last_event_at), s.customer_id, s.status, '', 0
      FROM public.sample_request_archive s
     WHERE s.status IN ({{kpi.success}}, {{kpi.neutral}}, {{kpi.fail}})
       AND s.last_event_at >= public.kpi_day_start(p_from) AND s.last_event_at < public.kpi_day_start(p_to + 1)
    UNION ALL
    SELECT 'commitment', public.kpi_day(a.occurred_at), a.customer_id, a.data ->> {{kpi.commitment_level}}, '',
           coalesce((a.data ->> {{kpi.commitment_amount}})::numeric(16, 2), 0)
      FROM public.activities a
     WHERE a.data ? {{kpi.commitment_level}}
       AND a.occurred_at >= public.kpi_day_start(p_from) AND a.occurred_at < public.kpi_day_start(p_to + 1)
    UNION ALL
    SELECT 'commitment', public.kpi_day(a.occurred_at), a.customer_id, a.data ->> {{kpi.commitment_level}}, '',
           coalesce((a.data ->> {{kpi.commitment_amount}})::numeric(16, 2), 0)
      FROM public.activities_archive a
     WHERE a.data ? {{kpi.commitment_level}}
       AND a.occurred_at >= public.kpi_day_start(p_from) AND a.occurred_at < public.kpi_day_start(p_to + 1)
    UNION ALL
    SELECT 'sla', o.due_date, o.customer_id, o.kind,
           CASE WHEN o.status = 'OPEN' THEN 'OPEN'
                WHEN public.kpi_day(o.closed_at) <= o.due_date THEN 'ON_TIME'
                ELSE 'LATE' END,
           0
      FROM public.slas o
     WHERE o.status IN ('OPEN', 'MET') AND o.due_date BETWEEN p_from AND p_to
    UNION ALL
    SELECT 'sla', o.due_date, o.customer_id, o.kind,
           CASE WHEN o.status = 'OPEN' THEN 'OPEN'
                WHEN public.kpi_day(o.closed_at) <= o.due_date THEN 'ON_TIME'
                ELSE 'LATE' END,
           0
      FROM public.slas_archive o
     WHERE o.status IN ('OPEN', 'MET') AND o.due_date BETWEEN p_from AND p_to
$$;

-- Who may have unprocessed events: the time of the first relevant event after
-- the mark, in commit order. Runs as the owner so that a person's question
-- does not pay for the outbox's row-level security; it reveals one time.
CREATE OR REPLACE FUNCTION public.kpi_pending_since(p_types text[]) RETURNS timestamptz
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT e.time
      FROM public.event_outbox e, public.kpi_state s
     WHERE (e.txid, e.position) > (s.last_txid, s.last_position)
       AND NOT coalesce(pg_visible_in_snapshot(e.txid, s.built_snapshot), false)
       AND e.type = ANY (p_types)
     ORDER BY e.txid, e.position
     LIMIT 1
$$;
