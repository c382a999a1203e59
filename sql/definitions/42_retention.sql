-- Retention (GDPR, MISSION.md "Operations"): three policies, each with a dry run.
--
--   outbox    published events (passed by every outbox consumer) older than N days are
--             removed, with handled inbox rows and closed dead letters of that age
--             (the daemon's hourly clean-up runs this policy too);
--   contacts  contacts whose customers have had no activity for N days (two years)
--             are anonymised everywhere their values went (41_privacy.sql);
--   archive   samples and activities older than N days (five years) move to the
--             archive tables with everything hanging on them; the cockpit still counts
--             them (kpi_facts, sample_metrics_daily).
--
-- A run: retention_begin (the audit row: who, when, which policy and settings), then
-- retention_apply one batch at a time, each in its own transaction with its counts
-- added to the run, then retention_finish. retention_preview is the dry run: it reads
-- only. Admins only (people by their own login; the daemon and the owner as the system).

-- ------------------------------------------------------------- the rules

-- The settings of a policy, checked: {"days": n}. People may not go below a floor (a
-- typo must not anonymise every contact); the daemon and the owner are the system and
-- follow their configuration.
CREATE OR REPLACE FUNCTION steward_internal.retention_days(p_policy text, p_settings jsonb, p_system boolean)
RETURNS numeric
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    floor_days numeric := CASE p_policy WHEN 'outbox' THEN 1 ELSE 365 END;
    v jsonb := p_settings -> 'days';
BEGIN
    PERFORM steward_internal.one_of(p_policy, 'policy', ARRAY['outbox', 'contacts', 'archive']);
    IF jsonb_typeof(v) IS DISTINCT FROM 'number' OR (v #>> '{}')::numeric < 0 OR (v #>> '{}')::numeric > 36500 THEN
        PERFORM steward_internal.invalid('The retention is a number of days.', jsonb_build_object('days', 'must be a number of days'));
    END IF;
    IF NOT p_system AND (v #>> '{}')::numeric < floor_days THEN
        PERFORM steward_internal.invalid(format('The %s policy keeps data at least %s day(s).', p_policy, floor_days),
                                         jsonb_build_object('days', format('must be at least %s', floor_days)));
    END IF;
    RETURN (v #>> '{}')::numeric;
END
$$;

CREATE OR REPLACE FUNCTION steward_internal.retention_cutoff(p_days numeric) RETURNS timestamptz
LANGUAGE sql STABLE AS $$
    SELECT now() - make_interval(secs => p_days * 86400)
$$;

-- Customers with activity since p_cutoff: created or changed (every field write bumps
-- updated_at), an activity, or a sample that moved.
CREATE OR REPLACE FUNCTION steward_internal.customer_active_since(p_customer uuid, p_cutoff timestamptz)
RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM public.accounts a WHERE a.id = p_customer AND greatest(a.created_at, a.updated_at) >= p_cutoff)
        OR EXISTS (SELECT 1 FROM public.activities x WHERE x.customer_id = p_customer AND x.occurred_at >= p_cutoff)
        OR EXISTS (SELECT 1 FROM public.sample_request s WHERE s.customer_id = p_customer AND s.updated_at >= p_cutoff)
$$;

-- Contacts to anonymise: not yet anonymised, not changed since the cutoff, and none of
-- their customers active since.
CREATE OR REPLACE FUNCTION steward_internal.retention_contacts(p_cutoff timestamptz)
RETURNS TABLE (contact_id uuid)
LANGUAGE sql STABLE AS $$
    SELECT c.id
      FROM public.contacts c
     WHERE c.anonymized_at IS NULL
       AND greatest(c.created_at, c.updated_at, coalesce(c.last_activity_at, '-infinity')) < p_cutoff
       AND NOT EXISTS (SELECT 1 FROM public.contact_roles r
                        WHERE r.contact_id = c.id AND steward_internal.customer_active_since(r.account_id, p_cutoff))
$$;

-- Samples to archive: nothing happened to them, nor to their activities, since the cutoff.
CREATE OR REPLACE FUNCTION steward_internal.retention_samples(p_cutoff timestamptz)
RETURNS TABLE (sample_id uuid)
LANGUAGE sql STABLE AS $$
    SELECT s.id
      FROM public.sample_request s
     WHERE greatest(s.created_at, s.updated_at, s.last_event_at) < p_cutoff
       AND NOT EXISTS (SELECT 1 FROM public.activities a WHERE a.sample_id = s.id AND a.occurred_at >= p_cutoff)
$$;

-- Activities to archive on their own (those of a sample go with it).
CREATE OR REPLACE FUNCTION steward_internal.retention_activities(p_cutoff timestamptz)
RETURNS TABLE (activity_id uuid)
LANGUAGE sql STABLE AS $$
    SELECT a.id FROM public.activities a WHERE a.occurred_at < p_cutoff AND a.sample_id IS NULL
$$;

-- Move the rows of public.<p_table> that match p_where ($1: the ids) into <p_table>_archive,
-- column by column name; returns how many.
CREATE OR REPLACE FUNCTION steward_internal.archive_rows(p_table text, p_where text, p_ids uuid[]) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    cols text;
    n bigint;
BEGIN
    SELECT string_agg(format('%I', a.attname), ', ' ORDER BY a.attnum) INTO cols
      FROM pg_attribute a
     WHERE a.attrelid = format('public.%I', p_table)::regclass AND a.attnum > 0 AND NOT a.attisdropped
       AND a.attgenerated = '';
    EXECUTE format('WITH moved AS (DELETE FROM public.%I WHERE %s RETURNING %s) '
                   'INSERT INTO public.%I (%s) SELECT %s FROM moved', p_table, p_where, cols, p_table || '_archive',
                   cols, cols)
      USING p_ids;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END
$$;

-- One batch of each policy: at most p_limit of its units; returns its counts.
CREATE OR REPLACE FUNCTION steward_internal.retention_batch(
    p_policy text, p_days numeric, p_limit integer, p_actor jsonb)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    cutoff timestamptz := steward_internal.retention_cutoff(p_days);
    ids uuid[];
    v_samples uuid[];
    v_activities uuid[];
    n_outbox bigint;
    n_inbox bigint;
    n_letters bigint;
    done jsonb;
    counts jsonb;
BEGIN
    IF p_policy = 'outbox' THEN
        -- Events at or below the lowest outbox checkpoint in (txid, position) order:
        -- passed by every consumer. Without a checkpoint nothing has been read yet.
        WITH lowest AS (
            SELECT last_txid, last_position FROM public.consumer_checkpoints
             WHERE stream = 'outbox' ORDER BY last_txid, last_position LIMIT 1
        ), doomed AS (
            SELECT e.position FROM public.event_outbox e, lowest l
             WHERE (e.txid, e.position) <= (l.last_txid, l.last_position) AND e.time < cutoff
             ORDER BY e.txid, e.position LIMIT p_limit
        ), gone AS (
            DELETE FROM public.event_outbox WHERE position IN (SELECT position FROM doomed) RETURNING 1
        )
        SELECT count(*) INTO n_outbox FROM gone;
        WITH gone AS (
            DELETE FROM public.event_inbox WHERE position IN (
                SELECT position FROM public.event_inbox WHERE state = 'done' AND received_at < cutoff
                 ORDER BY position LIMIT p_limit) RETURNING 1
        )
        SELECT count(*) INTO n_inbox FROM gone;
        WITH gone AS (
            DELETE FROM public.event_dead_letters WHERE id IN (
                SELECT id FROM public.event_dead_letters
                 WHERE state IN ('delivered', 'redriven', 'discarded') AND resolved_at < cutoff
                 ORDER BY id LIMIT p_limit) RETURNING 1
        )
        SELECT count(*) INTO n_letters FROM gone;
        RETURN jsonb_build_object('outbox', n_outbox, 'inbox', n_inbox, 'letters', n_letters,
                                  'more', greatest(n_outbox, n_inbox, n_letters) >= p_limit);
    ELSIF p_policy = 'contacts' THEN
        SELECT coalesce(array_agg(contact_id ORDER BY contact_id), '{}') INTO ids
          FROM (SELECT contact_id FROM steward_internal.retention_contacts(cutoff) ORDER BY contact_id LIMIT p_limit) c;
        IF cardinality(ids) = 0 THEN
            RETURN jsonb_build_object('contacts', 0, 'rows', 0, 'more', false);
        END IF;
        done := steward_internal.anonymise_contacts(ids, false, p_actor);
        RETURN jsonb_build_object('contacts', cardinality(ids),
                                  'rows', (SELECT coalesce(sum(value::bigint), 0) FROM jsonb_each_text(done -> 'changed')),
                                  'more', cardinality(ids) >= p_limit);
    ELSE  -- archive
        SELECT coalesce(array_agg(sample_id), '{}') INTO v_samples
          FROM (SELECT sample_id FROM steward_internal.retention_samples(cutoff) ORDER BY sample_id LIMIT p_limit) s;
        SELECT coalesce(array_agg(a.id), '{}') INTO v_activities
          FROM public.activities a
         WHERE a.sample_id = ANY (v_samples)
            OR a.id IN (SELECT activity_id FROM steward_internal.retention_activities(cutoff) ORDER BY activity_id LIMIT p_limit);
        -- The customers first, in id order, as every writer locks them.
        PERFORM 1 FROM public.accounts
         WHERE id IN (SELECT customer_id FROM public.sample_request WHERE id = ANY (v_samples)
                      UNION SELECT customer_id FROM public.activities WHERE id = ANY (v_activities))
         ORDER BY id FOR NO KEY UPDATE;
        counts := jsonb_build_object(
            'slas', steward_internal.archive_rows('slas',
                        'sample_id = ANY ($1) OR opened_by_activity_id = ANY ($1) OR met_by_activity_id = ANY ($1)',
                        v_samples || v_activities),
            'activities', steward_internal.archive_rows('activities', 'id = ANY ($1)', v_activities),
            'transitions', steward_internal.archive_rows('sample_status_history', 'sample_id = ANY ($1)', v_samples),
            'items', steward_internal.archive_rows('sample_item', 'sample_id = ANY ($1)', v_samples),
            'samples', steward_internal.archive_rows('sample_request', 'id = ANY ($1)', v_samples));
        RETURN counts || jsonb_build_object('more', cardinality(v_samples) >= p_limit OR cardinality(v_activities) >= p_limit);
    END IF;
END
$$;

-- ------------------------------------------------------------------ the API

-- The dry run: what a run of the policy would change now, with up to p_examples
-- examples. Reads only.
CREATE OR REPLACE FUNCTION steward_api.retention_preview(
    p_policy text, p_settings jsonb, p_examples integer DEFAULT 5, p_context jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me record;
    days numeric;
    cutoff timestamptz;
    result jsonb;
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    PERFORM steward_internal.require_admin(me.role, 'run retention');
    days := steward_internal.retention_days(p_policy, p_settings, me.user_id IS NULL);
    cutoff := steward_internal.retention_cutoff(days);
    p_examples := least(greatest(coalesce(p_examples, 5), 0), 100);
    IF p_policy = 'outbox' THEN
        SELECT jsonb_build_object(
                   'outbox', (SELECT count(*) FROM public.event_outbox e,
                                     (SELECT last_txid, last_position FROM public.consumer_checkpoints
                                       WHERE stream = 'outbox' ORDER BY last_txid, last_position LIMIT 1) l
                               WHERE (e.txid, e.position) <= (l.last_txid, l.last_position) AND e.time < cutoff),
                   'inbox', (SELECT count(*) FROM public.event_inbox WHERE state = 'done' AND received_at < cutoff),
                   'letters', (SELECT count(*) FROM public.event_dead_letters
                                WHERE state IN ('delivered', 'redriven', 'discarded') AND resolved_at < cutoff),
                   'kept_unpassed', (SELECT count(*) FROM public.event_outbox e WHERE e.time < cutoff) ,
                   'examples', coalesce((SELECT jsonb_agg(x) FROM (
                        SELECT jsonb_build_object('position', e.position, 'type', e.type, 'time', e.time) AS x
                          FROM public.event_outbox e WHERE e.time < cutoff ORDER BY e.time LIMIT p_examples) ex), '[]'))
          INTO result;
        result := jsonb_set(result, '{kept_unpassed}', to_jsonb((result ->> 'kept_unpassed')::bigint - (result ->> 'outbox')::bigint));
    ELSIF p_policy = 'contacts' THEN
        SELECT jsonb_build_object(
                   'contacts', (SELECT count(*) FROM steward_internal.retention_contacts(cutoff)),
                   'examples', coalesce((SELECT jsonb_agg(x) FROM (
                        SELECT jsonb_build_object(
                                   'contact_id', c.id,
                                   'customers', (SELECT coalesce(jsonb_agg(a.name ORDER BY a.name), '[]')
                                                   FROM public.contact_roles r JOIN public.accounts a ON a.id = r.account_id
                                                  WHERE r.contact_id = c.id),
                                   'last_change', greatest(c.created_at, c.updated_at)) AS x
                          FROM public.contacts c
                         WHERE c.id IN (SELECT contact_id FROM steward_internal.retention_contacts(cutoff))
                         ORDER BY c.id LIMIT p_examples) ex), '[]'))
          INTO result;
    ELSE
        SELECT jsonb_build_object(
                   'samples', (SELECT count(*) FROM steward_internal.retention_samples(cutoff)),
                   'activities', (SELECT count(*) FROM public.activities a
                                   WHERE a.id IN (SELECT activity_id FROM steward_internal.retention_activities(cutoff))
                                      OR a.sample_id IN (SELECT sample_id FROM steward_internal.retention_samples(cutoff))),
                   'examples', coalesce((SELECT jsonb_agg(x) FROM (
                        SELECT jsonb_build_object('sample_id', s.id, 'customer', a.name, 'status', s.status,
                                                  'last_event_at', s.last_event_at) AS x
                          FROM public.sample_request s JOIN public.accounts a ON a.id = s.customer_id
                         WHERE s.id IN (SELECT sample_id FROM steward_internal.retention_samples(cutoff))
                         ORDER BY s.last_event_at LIMIT p_examples) ex), '[]'))
          INTO result;
    END IF;
    RETURN result || jsonb_build_object('policy', p_policy, 'days', days, 'cutoff', cutoff);
END
$$;

-- A run begins: its audit row. Returns the run's id.
CREATE OR REPLACE FUNCTION steward_api.retention_begin(p_policy text, p_settings jsonb, p_context jsonb DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me record;
    days numeric;
    v_id bigint;
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    PERFORM steward_internal.require_admin(me.role, 'run retention');
    days := steward_internal.retention_days(p_policy, p_settings, me.user_id IS NULL);
    INSERT INTO public.retention_runs (policy, settings, by_user)
    VALUES (p_policy, jsonb_build_object('days', days, 'cutoff', steward_internal.retention_cutoff(days)), me.user_id)
    RETURNING id INTO v_id;
    RETURN v_id;
END
$$;

-- One batch of a run that is not finished, by whoever began it; its counts are added
-- to the run in the same transaction. Returns the batch's counts ("more": another
-- batch may find something).
CREATE OR REPLACE FUNCTION steward_api.retention_apply(p_run bigint, p_limit integer DEFAULT 500,
                                                      p_context jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me record;
    run public.retention_runs;
    done jsonb;
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    PERFORM steward_internal.require_admin(me.role, 'run retention');
    SELECT * INTO run FROM public.retention_runs WHERE id = p_run FOR UPDATE;
    IF NOT FOUND OR run.by_login <> session_user::text THEN
        PERFORM steward_internal.fail('SW404', format('There is no retention run %s of yours.', p_run));
    END IF;
    IF run.finished_at IS NOT NULL THEN
        PERFORM steward_internal.fail('SW410', format('Retention run %s has finished.', p_run));
    END IF;
    IF p_limit IS NULL OR p_limit < 1 OR p_limit > 10000 THEN
        PERFORM steward_internal.invalid('A batch is 1 to 10,000.', jsonb_build_object('limit', 'must be 1 to 10000'));
    END IF;
    -- The run's own settings; its cutoff is recomputed from the days (a run may take a while).
    done := steward_internal.retention_batch(run.policy, (run.settings ->> 'days')::numeric, p_limit, me.actor);
    UPDATE public.retention_runs
       SET batches = batches + 1,
           counts = (SELECT jsonb_object_agg(k, coalesce((counts ->> k)::bigint, 0) + coalesce((done ->> k)::bigint, 0))
                       FROM (SELECT jsonb_object_keys(done) AS k) keys WHERE k <> 'more')
     WHERE id = p_run;
    RETURN done;
END
$$;

CREATE OR REPLACE FUNCTION steward_api.retention_finish(p_run bigint, p_context jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me record;
    run public.retention_runs;
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    PERFORM steward_internal.require_admin(me.role, 'run retention');
    UPDATE public.retention_runs SET finished_at = now()
     WHERE id = p_run AND by_login = session_user::text AND finished_at IS NULL
    RETURNING * INTO run;
    IF NOT FOUND THEN
        PERFORM steward_internal.fail('SW404', format('There is no unfinished retention run %s of yours.', p_run));
    END IF;
    RETURN to_jsonb(run);
END
$$;
