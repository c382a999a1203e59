-- The hot projection cm_customer_hot_proj: one row per customer with the hot
-- fields flattened into indexed columns, plus the account columns the grid shows
-- and the access rules need, so a filtered, sorted page is one index scan on one
-- table. Its table and core indexes are in sql/migrations (0002, 0007, 0008, 0014);
-- the hot fields' columns, their indexes, the trigger that maps a written value to
-- them and the truth are generated from the pack's declarations
-- (services/adapters/hot_fields.py; `steward db definitions` prints them).
--
-- Triggers keep it and the audit history true for every write path (the write
-- API, the daemon, the owner's bulk loads). Each trigger
--   * locks the customer's account row first, so writers to one customer are
--     serialised and each following statement sees the others' commits (two
--     writers of different fields of one customer, each reading its own snapshot,
--     must not lose one another's columns);
--   * touches only the projection columns its table feeds (O(1) per write),
--     taking values from the written row instead of re-reading all fields.
-- hot_projection_truth() (generated) is the single definition of what the projection
-- should be; `steward projections rebuild` writes it, `verify` and the daemon compare with it.

DROP FUNCTION IF EXISTS public.hot_decision_maker_count(jsonb);
DROP FUNCTION IF EXISTS public.hot_has_exec_alignment(jsonb);

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
    IF steward_internal.bulk_write_active() THEN
        RETURN NULL;  -- a bulk write fills the projection set-based itself (43_legacy.sql)
    END IF;
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

-- The columns of the hot fields derived from the customer's latest sample request
-- (hot_proj_apply_samples, generated from the pack).
CREATE OR REPLACE FUNCTION public.sample_request_after_write() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_customer uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.customer_id ELSE NEW.customer_id END;
BEGIN
    PERFORM steward_internal.lock_customer(v_customer);
    PERFORM public.hot_proj_apply_samples(v_customer);
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
    IF steward_internal.bulk_write_active() THEN
        RETURN NULL;  -- a bulk write fills the words set-based itself (43_legacy.sql)
    END IF;
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
-- (Three comparisons joined by OR rather than one of rows: the same condition, in the form
-- a backup restores as it was; `steward db backup` round trips are compared checksum by checksum.)
CREATE OR REPLACE TRIGGER hot_proj_words_update
AFTER UPDATE OF name, city, region ON public.cm_customer_hot_proj
FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.search IS DISTINCT FROM NEW.search
                   OR OLD.region IS DISTINCT FROM NEW.region)
EXECUTE FUNCTION public.hot_proj_words_after_write();
