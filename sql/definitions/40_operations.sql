-- Operations (issue 16): bulk writes, backups, and what `steward health` and a
-- monitoring system read (docs/OPERATIONS.md). Retention and privacy are
-- 41_privacy.sql and 42_retention.sql, the legacy move 43_legacy.sql; every grant is in
-- 90_access.sql.

-- ------------------------------------------------------------ bulk writes

-- Whether this transaction is a bulk write that writes the derived data (field history,
-- hot projection, search words) set-based itself, so the triggers that keep them row by
-- row step aside (04_projection.sql, the generated field trigger). Both halves are
-- needed: the setting is cheap to test on every write and anyone can SET it; only a
-- function running as the owner can put the transaction into public.bulk_writes.
CREATE OR REPLACE FUNCTION steward_internal.bulk_write_active() RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT coalesce(current_setting('steward.bulk_txid', true), '') = pg_current_xact_id_if_assigned()::text
       AND EXISTS (SELECT 1 FROM public.bulk_writes b WHERE b.txid = pg_current_xact_id_if_assigned())
$$;

CREATE OR REPLACE FUNCTION steward_internal.begin_bulk_write() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO public.bulk_writes (txid) VALUES (pg_current_xact_id()) ON CONFLICT DO NOTHING;
    PERFORM set_config('steward.bulk_txid', pg_current_xact_id()::text, true);
END
$$;

-- Before the transaction commits: nothing of the bulk write's marker outlives it.
CREATE OR REPLACE FUNCTION steward_internal.end_bulk_write() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM public.bulk_writes WHERE txid = pg_current_xact_id();
    PERFORM set_config('steward.bulk_txid', '', true);
END
$$;

-- ---------------------------------------------------------------- backups

-- When the last backup of this database finished (NULL: never). People on the embedded
-- database are reminded by the desktop when it is old; they cannot read backup_runs itself.
CREATE OR REPLACE FUNCTION public.steward_last_backup() RETURNS timestamptz
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT max(finished_at) FROM public.backup_runs
     WHERE public.steward_current_user_id() IS NOT NULL OR steward_internal.is_system() OR public.steward_is_daemon()
$$;

-- ------------------------------------------------------------ observability

-- Per day (the business's calendar, kpi_day) and region (the customer's): samples
-- requested, delivered, and fed back by outcome, and the median days from delivery to
-- feedback of that day's feedbacks. Read from the transitions, archived ones included,
-- with the reader's rights (a team lead sees their region). The statuses are the
-- pack's: the first of its workflow, the one a feedback follows, its [kpi] outcomes.
DROP VIEW IF EXISTS public.sample_metrics_daily;
CREATE VIEW public.sample_metrics_daily WITH (security_invoker = true) AS
WITH samples AS (
    SELECT id, customer_id FROM public.sample_request
    UNION ALL
    SELECT id, customer_id FROM public.sample_request_archive
), transitions AS (
    SELECT h.sample_id, h.old_status, h.new_status, h.event_at FROM public.sample_status_history h
    UNION ALL
    SELECT h.sample_id, h.old_status, h.new_status, h.event_at FROM public.sample_status_history_archive h
), delivered AS (
    SELECT sample_id, max(event_at) AS delivered_at
      FROM transitions WHERE new_status = {{sample.delivered}} GROUP BY sample_id
)
SELECT public.kpi_day(t.event_at) AS day, a.region,
       count(*) FILTER (WHERE t.old_status IS NULL) AS requested,
       count(*) FILTER (WHERE t.new_status = {{sample.delivered}}) AS delivered,
       count(*) FILTER (WHERE t.new_status = {{kpi.success}}) AS feedback_success,
       count(*) FILTER (WHERE t.new_status = {{kpi.neutral}}) AS feedback_neutral,
       count(*) FILTER (WHERE t.new_status = {{kpi.fail}}) AS feedback_fail,
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM t.event_at - d.delivered_at) / 86400)
                 FILTER (WHERE t.new_status IN ({{kpi.success}}, {{kpi.neutral}}, {{kpi.fail}})
                           AND d.delivered_at IS NOT NULL))::numeric, 2) AS median_days_to_feedback
  FROM transitions t
  JOIN samples s ON s.id = t.sample_id
  JOIN public.accounts a ON a.id = s.customer_id
  LEFT JOIN delivered d ON d.sample_id = t.sample_id
 GROUP BY 1, 2;

-- The hot projection's lag: customers whose projection row is older than the newest
-- write it follows (a hot field's value, or one of their samples), and by how much.
-- The triggers keep the projection in the same transaction as every write, so it is
-- empty unless a write went around them; `steward health` reads it for the customers
-- of recent events. (hot_projection_drifted, generated, lists the rows that differ
-- from the truth; `steward projections verify` counts them.) The lateral probes go by
-- each customer's keys, so a condition on customer_id makes it cheap.
DROP VIEW IF EXISTS public.hot_projection_staleness;
CREATE VIEW public.hot_projection_staleness WITH (security_invoker = true) AS
SELECT p.customer_id, p.updated_at AS projection_updated_at, w.written_at AS source_written_at,
       w.written_at - p.updated_at AS lag
  FROM public.cm_customer_hot_proj p
  CROSS JOIN LATERAL (
        SELECT greatest(
                   (SELECT max(fv.updated_at)
                      FROM public.field_values fv JOIN public.field_catalog f ON f.key = fv.field_key
                     WHERE fv.customer_id = p.customer_id AND f.hot AND NOT f.derived),
                   (SELECT max(s.updated_at) FROM public.sample_request s WHERE s.customer_id = p.customer_id))
               AS written_at) w
 WHERE w.written_at > p.updated_at;

-- The lag of the customers named by events since p_since (the outbox's time index finds
-- them): what `steward health` checks, cheap at any size. Admins and the daemon.
CREATE OR REPLACE FUNCTION steward_api.projection_lag(p_since timestamptz, p_context jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me record;
    result jsonb;
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    PERFORM steward_internal.require_admin(me.role, 'read the projection''s lag');
    SELECT jsonb_build_object(
               'customers', count(*),
               'max_seconds', coalesce(max(extract(epoch FROM l.lag)), 0),
               'checked', (SELECT count(DISTINCT e.customer_id) FROM public.event_outbox e
                            WHERE e.time >= p_since AND e.customer_id IS NOT NULL))
      INTO result
      FROM public.hot_projection_staleness l
     WHERE l.customer_id IN (SELECT DISTINCT e.customer_id FROM public.event_outbox e
                              WHERE e.time >= p_since AND e.customer_id IS NOT NULL);
    RETURN result;
END
$$;
