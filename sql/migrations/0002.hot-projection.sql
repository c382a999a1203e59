-- The hot projection and the triggers that keep it and the audit history true
-- for every write path (service layer, daemon, or a person typing SQL).
--
-- Why triggers: the projection must equal a full rebuild after any mix of
-- concurrent writers. Each trigger
--   * locks the customer's account row first, so writers to one customer are
--     serialised and each following statement sees the others' commits;
--   * touches only the projection columns its table feeds (O(1) per write),
--     taking values from the written row instead of re-reading all fields.
-- The functions are SECURITY DEFINER: people write fields and samples, never
-- the projection or the audit history directly.

CREATE FUNCTION steward_current_user_id() RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT id FROM users WHERE login = session_user AND active
$$;

-- --------------------------------------------------------------- projection

-- One row per customer: the five hot fields flattened, plus the account columns
-- the grid shows and the access rules need, so that a filtered, sorted page is
-- one index scan on one table.
CREATE TABLE cm_customer_hot_proj (
    customer_id           uuid PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    name                  text NOT NULL,
    city                  text,
    region                text NOT NULL,
    owner_id              uuid,
    chain_id              uuid,       -- the chain itself for a chain, its chain for a location
    chain_name            text,
    is_chain              boolean NOT NULL,
    shared                boolean NOT NULL,  -- coverage_policy = CHAIN_SHARED
    sample_status         text,
    sample_last_event_at  timestamptz,
    roi_bucket            text,
    roi_value             numeric(12, 2),
    decision_maker_count  integer,
    has_exec_alignment    boolean,
    season_start          date,
    season_end            date,
    renewal_date          date,
    exclusivity           boolean,
    sla_due               date,       -- earliest due date of the customer's open SLAs
    search                tsvector GENERATED ALWAYS AS
                          (to_tsvector('simple', name || ' ' || coalesce(city, ''))) STORED,
    updated_at            timestamptz NOT NULL DEFAULT now()
);

-- Keyset pagination: every sortable column carries customer_id as tie-breaker.
CREATE INDEX hot_name_idx ON cm_customer_hot_proj (name, customer_id);
CREATE INDEX hot_city_idx ON cm_customer_hot_proj (city, customer_id);
CREATE INDEX hot_region_name_idx ON cm_customer_hot_proj (region, name, customer_id);
CREATE INDEX hot_owner_name_idx ON cm_customer_hot_proj (owner_id, name, customer_id);
CREATE INDEX hot_chain_idx ON cm_customer_hot_proj (chain_id);
CREATE INDEX hot_sample_idx ON cm_customer_hot_proj (sample_status, sample_last_event_at DESC);
CREATE INDEX hot_roi_idx ON cm_customer_hot_proj (roi_bucket, roi_value DESC);
CREATE INDEX hot_renewal_idx ON cm_customer_hot_proj (renewal_date);
CREATE INDEX hot_season_idx ON cm_customer_hot_proj (season_start, season_end);
CREATE INDEX hot_dm_idx ON cm_customer_hot_proj (decision_maker_count);
CREATE INDEX hot_sla_idx ON cm_customer_hot_proj (sla_due) WHERE sla_due IS NOT NULL;
CREATE INDEX hot_search_idx ON cm_customer_hot_proj USING gin (search);

-- How a hot field's value maps to projection columns. Used by the trigger and by
-- the rebuild alike, so the two cannot disagree. jsonb_typeof comes first: jsonb_array_length
-- raises on an object.
CREATE FUNCTION hot_decision_maker_count(v jsonb) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE jsonb_typeof(v)
               WHEN 'array' THEN jsonb_array_length(v)
               WHEN 'object' THEN (v ->> 'count')::integer
           END
$$;

CREATE FUNCTION hot_has_exec_alignment(v jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE jsonb_typeof(v)
               WHEN 'array' THEN coalesce(jsonb_path_exists(v, '$[*] ? (@.is_exec == true)'), false)
               WHEN 'object' THEN coalesce((v ->> 'has_exec_alignment')::boolean, false)
           END
$$;

CREATE FUNCTION hot_proj_apply_field(p_customer uuid, p_key text, v jsonb) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    CASE p_key
    WHEN 'roi_potential' THEN
        UPDATE cm_customer_hot_proj
           SET roi_bucket = v ->> 'bucket', roi_value = (v ->> 'value')::numeric(12, 2), updated_at = now()
         WHERE customer_id = p_customer;
    WHEN 'decision_makers' THEN
        UPDATE cm_customer_hot_proj
           SET decision_maker_count = hot_decision_maker_count(v),
               has_exec_alignment = hot_has_exec_alignment(v), updated_at = now()
         WHERE customer_id = p_customer;
    WHEN 'seasonal_menu_cycle' THEN
        UPDATE cm_customer_hot_proj
           SET season_start = (v ->> 'season_start')::date, season_end = (v ->> 'season_end')::date,
               updated_at = now()
         WHERE customer_id = p_customer;
    WHEN 'current_supplier_contracts' THEN
        UPDATE cm_customer_hot_proj
           SET renewal_date = (v ->> 'renewal_date')::date, exclusivity = (v ->> 'exclusivity')::boolean,
               updated_at = now()
         WHERE customer_id = p_customer;
    ELSE
        NULL;  -- sample_status is derived from samples, see sample_request_after_write
    END CASE;
END
$$;

-- Holds the customer for the rest of the transaction; see the header.
CREATE FUNCTION lock_customer(p_customer uuid) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM accounts WHERE id = p_customer FOR NO KEY UPDATE;
END
$$;

-- ------------------------------------------------------------------ triggers

CREATE FUNCTION accounts_after_write() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO cm_customer_hot_proj (customer_id, name, city, region, owner_id, chain_id,
                                          chain_name, is_chain, shared)
        VALUES (NEW.id, NEW.name, NEW.city, NEW.region, NEW.owner_id,
                CASE WHEN NEW.is_chain THEN NEW.id ELSE NEW.parent_account_id END,
                CASE WHEN NEW.is_chain THEN NEW.name
                     ELSE (SELECT name FROM accounts WHERE id = NEW.parent_account_id) END,
                NEW.is_chain, NEW.coverage_policy = 'CHAIN_SHARED');
        RETURN NULL;
    END IF;

    IF (NEW.name, NEW.city, NEW.region, NEW.owner_id, NEW.is_chain, NEW.parent_account_id, NEW.coverage_policy)
       IS DISTINCT FROM
       (OLD.name, OLD.city, OLD.region, OLD.owner_id, OLD.is_chain, OLD.parent_account_id, OLD.coverage_policy)
    THEN
        UPDATE cm_customer_hot_proj
           SET name = NEW.name, city = NEW.city, region = NEW.region, owner_id = NEW.owner_id,
               chain_id = CASE WHEN NEW.is_chain THEN NEW.id ELSE NEW.parent_account_id END,
               chain_name = CASE WHEN NEW.is_chain THEN NEW.name
                                 ELSE (SELECT name FROM accounts WHERE id = NEW.parent_account_id) END,
               is_chain = NEW.is_chain, shared = NEW.coverage_policy = 'CHAIN_SHARED', updated_at = now()
         WHERE customer_id = NEW.id;
        IF NEW.is_chain AND NEW.name IS DISTINCT FROM OLD.name THEN
            UPDATE cm_customer_hot_proj SET chain_name = NEW.name, updated_at = now()
             WHERE chain_id = NEW.id AND customer_id <> NEW.id;
        END IF;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER accounts_after_write
AFTER INSERT OR UPDATE ON accounts
FOR EACH ROW EXECUTE FUNCTION accounts_after_write();

CREATE FUNCTION field_values_after_write() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_customer uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.customer_id ELSE NEW.customer_id END;
    v_key text := CASE WHEN TG_OP = 'DELETE' THEN OLD.field_key ELSE NEW.field_key END;
    v_old jsonb := CASE WHEN TG_OP <> 'INSERT' THEN OLD.value END;
    v_new jsonb := CASE WHEN TG_OP <> 'DELETE' THEN NEW.value END;
BEGIN
    IF v_old IS NOT DISTINCT FROM v_new THEN
        RETURN NULL;
    END IF;
    PERFORM lock_customer(v_customer);
    INSERT INTO field_history (customer_id, field_key, old_value, new_value, changed_by, source, correlation_id)
    VALUES (v_customer, v_key, v_old, v_new, steward_current_user_id(),
            coalesce(nullif(current_setting('steward.source', true), ''), 'sql'),
            nullif(current_setting('steward.correlation_id', true), ''));
    IF (SELECT hot FROM field_catalog WHERE key = v_key) THEN
        PERFORM hot_proj_apply_field(v_customer, v_key, v_new);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER field_values_after_write
AFTER INSERT OR UPDATE OR DELETE ON field_values
FOR EACH ROW EXECUTE FUNCTION field_values_after_write();

-- The customer's sample status is that of its latest request (by request time).
-- Re-reading that one row by index is O(1) and, after the lock, sees every
-- committed concurrent request.
CREATE FUNCTION sample_request_after_write() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_customer uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.customer_id ELSE NEW.customer_id END;
BEGIN
    PERFORM lock_customer(v_customer);
    UPDATE cm_customer_hot_proj
       SET (sample_status, sample_last_event_at) =
               (SELECT s.status, s.last_event_at
                  FROM sample_request s
                 WHERE s.customer_id = v_customer
                 ORDER BY s.created_at DESC, s.id DESC
                 LIMIT 1),
           updated_at = now()
     WHERE customer_id = v_customer;
    RETURN NULL;
END
$$;

CREATE TRIGGER sample_request_after_write
AFTER INSERT OR DELETE OR UPDATE OF status, last_event_at, created_at ON sample_request
FOR EACH ROW EXECUTE FUNCTION sample_request_after_write();

-- Every transition is recorded by the database itself, with who and why.
CREATE FUNCTION sample_request_history() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.status IS DISTINCT FROM OLD.status THEN
        INSERT INTO sample_status_history (sample_id, old_status, new_status, event_at, changed_by, correlation_id)
        VALUES (NEW.id, CASE WHEN TG_OP = 'UPDATE' THEN OLD.status END, NEW.status, NEW.last_event_at,
                steward_current_user_id(), nullif(current_setting('steward.correlation_id', true), ''));
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER sample_request_history
AFTER INSERT OR UPDATE OF status ON sample_request
FOR EACH ROW EXECUTE FUNCTION sample_request_history();

CREATE FUNCTION slas_after_write() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_customer uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.customer_id ELSE NEW.customer_id END;
BEGIN
    PERFORM lock_customer(v_customer);
    UPDATE cm_customer_hot_proj
       SET sla_due = (SELECT min(due_date) FROM slas WHERE customer_id = v_customer AND status = 'OPEN'),
           updated_at = now()
     WHERE customer_id = v_customer;
    RETURN NULL;
END
$$;

CREATE TRIGGER slas_after_write
AFTER INSERT OR DELETE OR UPDATE OF status, due_date ON slas
FOR EACH ROW EXECUTE FUNCTION slas_after_write();

-- ------------------------------------------------------------------- truth

-- The projection computed from the truth, for customers with id in [p_lo, p_hi]
-- (and, if given, in p_ids). An inlinable SQL function, so the range reaches
-- every subquery's index instead of being applied after the joins.
CREATE FUNCTION hot_projection_truth(p_lo uuid, p_hi uuid, p_ids uuid[] DEFAULT NULL)
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
           hot_decision_maker_count(dm.value), hot_has_exec_alignment(dm.value),
           (season.value ->> 'season_start')::date, (season.value ->> 'season_end')::date,
           (contract.value ->> 'renewal_date')::date, (contract.value ->> 'exclusivity')::boolean,
           sla.due_date
      FROM accounts a
      LEFT JOIN accounts chain ON chain.id = a.parent_account_id
      LEFT JOIN (SELECT fv.customer_id, fv.value FROM field_values fv
                  WHERE fv.field_key = 'roi_potential' AND fv.customer_id BETWEEN p_lo AND p_hi) roi
             ON roi.customer_id = a.id
      LEFT JOIN (SELECT fv.customer_id, fv.value FROM field_values fv
                  WHERE fv.field_key = 'decision_makers' AND fv.customer_id BETWEEN p_lo AND p_hi) dm
             ON dm.customer_id = a.id
      LEFT JOIN (SELECT fv.customer_id, fv.value FROM field_values fv
                  WHERE fv.field_key = 'seasonal_menu_cycle' AND fv.customer_id BETWEEN p_lo AND p_hi) season
             ON season.customer_id = a.id
      LEFT JOIN (SELECT fv.customer_id, fv.value FROM field_values fv
                  WHERE fv.field_key = 'current_supplier_contracts' AND fv.customer_id BETWEEN p_lo AND p_hi) contract
             ON contract.customer_id = a.id
      LEFT JOIN (SELECT DISTINCT ON (s.customer_id) s.customer_id, s.status, s.last_event_at
                   FROM sample_request s
                  WHERE s.customer_id BETWEEN p_lo AND p_hi
                  ORDER BY s.customer_id, s.created_at DESC, s.id DESC) latest
             ON latest.customer_id = a.id
      LEFT JOIN (SELECT o.customer_id, min(o.due_date) AS due_date
                   FROM slas o
                  WHERE o.status = 'OPEN' AND o.customer_id BETWEEN p_lo AND p_hi
                  GROUP BY o.customer_id) sla
             ON sla.customer_id = a.id
     WHERE a.id BETWEEN p_lo AND p_hi
       AND (p_ids IS NULL OR a.id = ANY (p_ids))
$$;

-- Observability: customers whose projection row differs from the truth.
CREATE VIEW hot_projection_staleness WITH (security_invoker = true) AS
SELECT coalesce(t.customer_id, p.customer_id) AS customer_id,
       p.updated_at AS projection_updated_at,
       CASE WHEN p.customer_id IS NULL THEN 'missing'
            WHEN t.customer_id IS NULL THEN 'orphan'
            ELSE 'drifted' END AS problem
  FROM hot_projection_truth('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff') t
  FULL JOIN cm_customer_hot_proj p ON p.customer_id = t.customer_id
 WHERE p.customer_id IS NULL OR t.customer_id IS NULL
    OR (t.name, t.city, t.region, t.owner_id, t.chain_id, t.chain_name, t.is_chain, t.shared,
        t.sample_status, t.sample_last_event_at, t.roi_bucket, t.roi_value, t.decision_maker_count,
        t.has_exec_alignment, t.season_start, t.season_end, t.renewal_date, t.exclusivity, t.sla_due)
       IS DISTINCT FROM
       (p.name, p.city, p.region, p.owner_id, p.chain_id, p.chain_name, p.is_chain, p.shared,
        p.sample_status, p.sample_last_event_at, p.roi_bucket, p.roi_value, p.decision_maker_count,
        p.has_exec_alignment, p.season_start, p.season_end, p.renewal_date, p.exclusivity, p.sla_due);
