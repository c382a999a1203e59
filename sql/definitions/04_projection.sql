-- The hot projection cm_customer_hot_proj: one row per customer with the hot
-- fields flattened into indexed columns, plus the account columns the grid shows
-- and the access rules need, so a filtered, sorted page is one index scan on one
-- table. Its table and indexes are in sql/migrations (0002, 0007, 0008, 0014).
--
-- Triggers keep it and the audit history true for every write path (the write
-- API, the daemon, the owner's bulk loads). Each trigger
--   * locks the customer's account row first, so writers to one customer are
--     serialised and each following statement sees the others' commits (two
--     writers of different fields of one customer, each reading its own snapshot,
--     must not lose one another's columns);
--   * touches only the projection columns its table feeds (O(1) per write),
--     taking values from the written row instead of re-reading all fields.
-- hot_projection_truth() is the single definition of what the projection should
-- be; `steward projections rebuild` writes it, `verify` and the daemon compare with it.

-- How a hot field's value maps to projection columns, used by the trigger and by
-- the truth alike, so the two cannot disagree. A decision-makers value is either
-- a count object or a list of people; jsonb_array_length would raise on the
-- object, hence jsonb_typeof first.
CREATE OR REPLACE FUNCTION public.hot_decision_maker_count(v jsonb) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE jsonb_typeof(v)
               WHEN 'array' THEN jsonb_array_length(v)
               WHEN 'object' THEN (v ->> 'count')::integer
           END
$$;

CREATE OR REPLACE FUNCTION public.hot_has_exec_alignment(v jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE jsonb_typeof(v)
               WHEN 'array' THEN coalesce(jsonb_path_exists(v, '$[*] ? (@.is_exec == true)'), false)
               WHEN 'object' THEN coalesce((v ->> 'has_exec_alignment')::boolean, false)
           END
$$;

CREATE OR REPLACE FUNCTION public.hot_proj_apply_field(p_customer uuid, p_key text, v jsonb) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    CASE p_key
    WHEN 'roi_potential' THEN
        UPDATE public.cm_customer_hot_proj
           SET roi_bucket = v ->> 'bucket', roi_value = (v ->> 'value')::numeric(12, 2), updated_at = now()
         WHERE customer_id = p_customer;
    WHEN 'decision_makers' THEN
        UPDATE public.cm_customer_hot_proj
           SET decision_maker_count = public.hot_decision_maker_count(v),
               has_exec_alignment = public.hot_has_exec_alignment(v), updated_at = now()
         WHERE customer_id = p_customer;
    WHEN 'seasonal_menu_cycle' THEN
        UPDATE public.cm_customer_hot_proj
           SET season_start = (v ->> 'season_start')::date, season_end = (v ->> 'season_end')::date,
               updated_at = now()
         WHERE customer_id = p_customer;
    WHEN 'current_supplier_contracts' THEN
        UPDATE public.cm_customer_hot_proj
           SET renewal_date = (v ->> 'renewal_date')::date, exclusivity = (v ->> 'exclusivity')::boolean,
               updated_at = now()
         WHERE customer_id = p_customer;
    ELSE
        NULL;  -- sample_status is derived from samples, see sample_request_after_write
    END CASE;
END
$$;

-- Holds the customer for the rest of the transaction; see the header.
CREATE OR REPLACE FUNCTION steward_internal.lock_customer(p_customer uuid) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM public.accounts WHERE id = p_customer FOR NO KEY UPDATE;
END
$$;

-- ------------------------------------------------------------------ triggers

CREATE OR REPLACE FUNCTION public.accounts_after_write() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO public.cm_customer_hot_proj (customer_id, name, city, region, owner_id, chain_id,
                                                 chain_name, is_chain, shared)
        VALUES (NEW.id, NEW.name, NEW.city, NEW.region, NEW.owner_id,
                CASE WHEN NEW.is_chain THEN NEW.id ELSE NEW.parent_account_id END,
                CASE WHEN NEW.is_chain THEN NEW.name
                     ELSE (SELECT name FROM public.accounts WHERE id = NEW.parent_account_id) END,
                NEW.is_chain, NEW.coverage_policy = 'CHAIN_SHARED');
        RETURN NULL;
    END IF;

    IF (NEW.name, NEW.city, NEW.region, NEW.owner_id, NEW.is_chain, NEW.parent_account_id, NEW.coverage_policy)
       IS DISTINCT FROM
       (OLD.name, OLD.city, OLD.region, OLD.owner_id, OLD.is_chain, OLD.parent_account_id, OLD.coverage_policy)
    THEN
        UPDATE public.cm_customer_hot_proj
           SET name = NEW.name, city = NEW.city, region = NEW.region, owner_id = NEW.owner_id,
               chain_id = CASE WHEN NEW.is_chain THEN NEW.id ELSE NEW.parent_account_id END,
               chain_name = CASE WHEN NEW.is_chain THEN NEW.name
                                 ELSE (SELECT name FROM public.accounts WHERE id = NEW.parent_account_id) END,
               is_chain = NEW.is_chain, shared = NEW.coverage_policy = 'CHAIN_SHARED', updated_at = now()
         WHERE customer_id = NEW.id;
        IF NEW.is_chain AND NEW.name IS DISTINCT FROM OLD.name THEN
            UPDATE public.cm_customer_hot_proj SET chain_name = NEW.name, updated_at = now()
             WHERE chain_id = NEW.id AND customer_id <> NEW.id;
        END IF;
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER accounts_after_write
AFTER INSERT OR UPDATE ON public.accounts
FOR EACH ROW EXECUTE FUNCTION public.accounts_after_write();

-- Every change of a field value is recorded by the database itself, with who,
-- from where and why (the correlation id of the call).
CREATE OR REPLACE FUNCTION public.field_values_after_write() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_customer uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.customer_id ELSE NEW.customer_id END;
    v_key text := CASE WHEN TG_OP = 'DELETE' THEN OLD.field_key ELSE NEW.field_key END;
    v_old jsonb := CASE WHEN TG_OP <> 'INSERT' THEN OLD.value END;
    v_new jsonb := CASE WHEN TG_OP <> 'DELETE' THEN NEW.value END;
BEGIN
    IF v_old IS NOT DISTINCT FROM v_new THEN
        RETURN NULL;
    END IF;
    PERFORM steward_internal.lock_customer(v_customer);
    INSERT INTO public.field_history (customer_id, field_key, old_value, new_value, changed_by, source, correlation_id)
    VALUES (v_customer, v_key, v_old, v_new, steward_internal.session_user_id(),
            coalesce(nullif(current_setting('steward.source', true), ''), 'sql'),
            nullif(current_setting('steward.correlation_id', true), ''));
    IF (SELECT hot FROM public.field_catalog WHERE key = v_key) THEN
        PERFORM public.hot_proj_apply_field(v_customer, v_key, v_new);
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER field_values_after_write
AFTER INSERT OR UPDATE OR DELETE ON public.field_values
FOR EACH ROW EXECUTE FUNCTION public.field_values_after_write();

-- The customer's sample status is that of its latest request (by request time).
-- Re-reading that one row by index is O(1) and, after the lock, sees every
-- committed concurrent request.
CREATE OR REPLACE FUNCTION public.sample_request_after_write() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_customer uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.customer_id ELSE NEW.customer_id END;
BEGIN
    PERFORM steward_internal.lock_customer(v_customer);
    UPDATE public.cm_customer_hot_proj
       SET (sample_status, sample_last_event_at) =
               (SELECT s.status, s.last_event_at
                  FROM public.sample_request s
                 WHERE s.customer_id = v_customer
                 ORDER BY s.created_at DESC, s.id DESC
                 LIMIT 1),
           updated_at = now()
     WHERE customer_id = v_customer;
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER sample_request_after_write
AFTER INSERT OR DELETE OR UPDATE OF status, last_event_at, created_at ON public.sample_request
FOR EACH ROW EXECUTE FUNCTION public.sample_request_after_write();

-- Every transition is recorded by the database itself, with who and why.
CREATE OR REPLACE FUNCTION public.sample_request_history() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.status IS DISTINCT FROM OLD.status THEN
        INSERT INTO public.sample_status_history (sample_id, old_status, new_status, event_at, changed_by, correlation_id)
        VALUES (NEW.id, CASE WHEN TG_OP = 'UPDATE' THEN OLD.status END, NEW.status, NEW.last_event_at,
                steward_internal.session_user_id(), nullif(current_setting('steward.correlation_id', true), ''));
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER sample_request_history
AFTER INSERT OR UPDATE OF status ON public.sample_request
FOR EACH ROW EXECUTE FUNCTION public.sample_request_history();

CREATE OR REPLACE FUNCTION public.slas_after_write() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_customer uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.customer_id ELSE NEW.customer_id END;
BEGIN
    PERFORM steward_internal.lock_customer(v_customer);
    UPDATE public.cm_customer_hot_proj
       SET sla_due = (SELECT min(due_date) FROM public.slas WHERE customer_id = v_customer AND status = 'OPEN'),
           updated_at = now()
     WHERE customer_id = v_customer;
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER slas_after_write
AFTER INSERT OR DELETE OR UPDATE OF status, due_date ON public.slas
FOR EACH ROW EXECUTE FUNCTION public.slas_after_write();

DROP FUNCTION IF EXISTS public.lock_customer(uuid);

-- ------------------------------------------------------------------- truth

-- The projection computed from the truth, for customers with id in [p_lo, p_hi]
-- and, if given, in p_ids. An inlinable SQL function (no SET, one statement), so
-- the range and the ids reach every subquery's index instead of being applied
-- after the joins; the daemon passes the ids of the customers a batch touched,
-- spread over the whole id space, and the planner folds the ids away when they
-- are NULL (the rebuild).
CREATE OR REPLACE FUNCTION public.hot_projection_truth(p_lo uuid, p_hi uuid, p_ids uuid[] DEFAULT NULL)
RETURNS TABLE (
    customer_id uuid, name text, city text, region text, owner_id uuid, chain_id uuid,
    chain_name text, is_chain boolean, shared boolean, sample_status text,
    sample_last_event_at timestamptz, roi_bucket text, roi_value numeric(12, 2),
    decision_maker_count integer, has_exec_alignment boolean, season_start date,
    season_end date, renewal_date date, exclusivity boolean, sla_due date)
LANGUAGE sql STABLE AS $$
    SELECT a.id, a.name, a.city, a.region, a.owner_id,
           CASE WHEN a.is_chain THEN a.id ELSE a.parent_account_id END,
           CASE WHEN a.is_chain THEN a.name ELSE chain.name END,
           a.is_chain, a.coverage_policy = 'CHAIN_SHARED',
           latest.status, latest.last_event_at,
           roi.value ->> 'bucket', (roi.value ->> 'value')::numeric(12, 2),
           public.hot_decision_maker_count(dm.value), public.hot_has_exec_alignment(dm.value),
           (season.value ->> 'season_start')::date, (season.value ->> 'season_end')::date,
           (contract.value ->> 'renewal_date')::date, (contract.value ->> 'exclusivity')::boolean,
           sla.due_date
      FROM public.accounts a
      LEFT JOIN public.accounts chain ON chain.id = a.parent_account_id
      LEFT JOIN (SELECT fv.customer_id, fv.value FROM public.field_values fv
                  WHERE fv.field_key = 'roi_potential' AND fv.customer_id BETWEEN p_lo AND p_hi
                    AND (p_ids IS NULL OR fv.customer_id = ANY (p_ids))) roi
             ON roi.customer_id = a.id
      LEFT JOIN (SELECT fv.customer_id, fv.value FROM public.field_values fv
                  WHERE fv.field_key = 'decision_makers' AND fv.customer_id BETWEEN p_lo AND p_hi
                    AND (p_ids IS NULL OR fv.customer_id = ANY (p_ids))) dm
             ON dm.customer_id = a.id
      LEFT JOIN (SELECT fv.customer_id, fv.value FROM public.field_values fv
                  WHERE fv.field_key = 'seasonal_menu_cycle' AND fv.customer_id BETWEEN p_lo AND p_hi
                    AND (p_ids IS NULL OR fv.customer_id = ANY (p_ids))) season
             ON season.customer_id = a.id
      LEFT JOIN (SELECT fv.customer_id, fv.value FROM public.field_values fv
                  WHERE fv.field_key = 'current_supplier_contracts' AND fv.customer_id BETWEEN p_lo AND p_hi
                    AND (p_ids IS NULL OR fv.customer_id = ANY (p_ids))) contract
             ON contract.customer_id = a.id
      LEFT JOIN (SELECT DISTINCT ON (s.customer_id) s.customer_id, s.status, s.last_event_at
                   FROM public.sample_request s
                  WHERE s.customer_id BETWEEN p_lo AND p_hi AND (p_ids IS NULL OR s.customer_id = ANY (p_ids))
                  ORDER BY s.customer_id, s.created_at DESC, s.id DESC) latest
             ON latest.customer_id = a.id
      LEFT JOIN (SELECT o.customer_id, min(o.due_date) AS due_date
                   FROM public.slas o
                  WHERE o.status = 'OPEN' AND o.customer_id BETWEEN p_lo AND p_hi
                    AND (p_ids IS NULL OR o.customer_id = ANY (p_ids))
                  GROUP BY o.customer_id) sla
             ON sla.customer_id = a.id
     WHERE a.id BETWEEN p_lo AND p_hi
       AND (p_ids IS NULL OR a.id = ANY (p_ids))
$$;

-- The customers whose projection row differs from the truth (or is missing): the
-- one comparison behind `steward projections verify`, the nightly reconciliation's
-- drift count and the daemon's projection check (sql/queries/count_drift_range.sql,
-- find_projection_drift.sql). Inlinable like the truth, whose arguments it passes on.
CREATE OR REPLACE FUNCTION public.hot_projection_drift(p_lo uuid, p_hi uuid, p_ids uuid[] DEFAULT NULL)
RETURNS TABLE (customer_id uuid)
LANGUAGE sql STABLE AS $$
    SELECT t.customer_id
      FROM public.hot_projection_truth(p_lo, p_hi, p_ids) AS t
      LEFT JOIN public.cm_customer_hot_proj AS p ON p.customer_id = t.customer_id
     WHERE p.customer_id IS NULL
        OR (t.name, t.city, t.region, t.owner_id, t.chain_id, t.chain_name, t.is_chain, t.shared,
            t.sample_status, t.sample_last_event_at, t.roi_bucket, t.roi_value, t.decision_maker_count,
            t.has_exec_alignment, t.season_start, t.season_end, t.renewal_date, t.exclusivity, t.sla_due)
           IS DISTINCT FROM
           (p.name, p.city, p.region, p.owner_id, p.chain_id, p.chain_name, p.is_chain, p.shared,
            p.sample_status, p.sample_last_event_at, p.roi_bucket, p.roi_value, p.decision_maker_count,
            p.has_exec_alignment, p.season_start, p.season_end, p.renewal_date, p.exclusivity, p.sla_due)
$$;

-- Observability: customers whose projection row differs from the truth.
DROP VIEW IF EXISTS public.hot_projection_staleness;
CREATE VIEW public.hot_projection_staleness WITH (security_invoker = true) AS
SELECT d.customer_id, p.updated_at AS projection_updated_at,
       CASE WHEN p.customer_id IS NULL THEN 'missing' ELSE 'drifted' END AS problem
  FROM public.hot_projection_drift('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff') d
  LEFT JOIN public.cm_customer_hot_proj p ON p.customer_id = d.customer_id;

-- ------------------------------------------------------- the search words

-- The words of every customer's name and city, in name order per word, for the
-- grid's full-text search (services/service_layer/grid_words.py; the table is in 0010).
-- The words of customers with id in [p_lo, p_hi] as their projection rows say;
-- the rebuild repairs the table to this and the verification compares with it
-- (inlinable, so the range reaches the projection's primary key).
CREATE OR REPLACE FUNCTION public.hot_words_truth(p_lo uuid, p_hi uuid)
RETURNS TABLE (word text, name text, customer_id uuid, region text)
LANGUAGE sql STABLE AS $$
    SELECT lexeme, p.name, p.customer_id, p.region
      FROM public.cm_customer_hot_proj p, unnest(tsvector_to_array(p.search)) AS lexeme
     WHERE p.customer_id BETWEEN p_lo AND p_hi
$$;

-- Kept in the same transaction as every change of a name or city, whichever
-- path writes the projection (account triggers, rebuild, repair).
CREATE OR REPLACE FUNCTION public.hot_proj_words_after_write() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM public.cm_customer_words WHERE customer_id = OLD.customer_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO public.cm_customer_words (word, name, customer_id, region)
        SELECT lexeme, NEW.name, NEW.customer_id, NEW.region FROM unnest(tsvector_to_array(NEW.search)) AS lexeme;
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER hot_proj_words_insert_delete
AFTER INSERT OR DELETE ON public.cm_customer_hot_proj
FOR EACH ROW EXECUTE FUNCTION public.hot_proj_words_after_write();

-- Most projection updates are hot fields; only a new name, city or region touches the rows here.
CREATE OR REPLACE TRIGGER hot_proj_words_update
AFTER UPDATE OF name, city, region ON public.cm_customer_hot_proj
FOR EACH ROW WHEN ((OLD.name, OLD.search, OLD.region) IS DISTINCT FROM (NEW.name, NEW.search, NEW.region))
EXECUTE FUNCTION public.hot_proj_words_after_write();
