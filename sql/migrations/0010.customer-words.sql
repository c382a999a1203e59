-- The words of every customer's name and city, in name order per word, for the
-- grid's full-text search (see services/service_layer/grid_words.py).
--
-- `q` matches a customer when every word of it starts a word of the name or city
-- (the tsvector `search` of the projection and its GIN index). A page of those in
-- name order had two plans, both slow for a common word: walk the name index and
-- filter (every "Gasthaus …" sorts under G, so 258,000 rows pass before the first
-- match), or fetch every match from the GIN index and sort (45,000 rows). Here
-- the rows of one word are in name order, so a page walks the words that start
-- with the search word side by side and stops once the page is full.
--
-- One row per lexeme of `search` (tsvector_to_array: the same lexemes the GIN
-- index holds, so a prefix matches here exactly when `search @@ 'w:*'` does).
-- `word` is in byte order (COLLATE "C"), so the words starting with a prefix are
-- one contiguous range; `name` keeps the database's collation, so its order is
-- the grid's. `region` is the team leads' scope, checked on the index entry.
--
-- Kept by a trigger on the projection, in the same transaction as every change
-- of a name or city, whichever path writes the projection (account triggers,
-- rebuild, repair). The demo load fills it set-based (services/entrypoints/demo/bulk.py),
-- the rebuild repairs and counts its drift (services/service_layer/projections.py).

CREATE TABLE cm_customer_words (
    word         text COLLATE "C" NOT NULL,
    name         text NOT NULL,
    customer_id  uuid NOT NULL,
    region       text NOT NULL
);

-- The words of customers with id in [p_lo, p_hi] as their projection rows say;
-- the rebuild repairs the table to this and the verification compares with it
-- (inlinable, so the range reaches the projection's primary key).
CREATE FUNCTION hot_words_truth(p_lo uuid, p_hi uuid)
RETURNS TABLE (word text, name text, customer_id uuid, region text)
LANGUAGE sql STABLE AS $$
    SELECT lexeme, p.name, p.customer_id, p.region
      FROM cm_customer_hot_proj p, unnest(tsvector_to_array(p.search)) AS lexeme
     WHERE p.customer_id BETWEEN p_lo AND p_hi
$$;

GRANT EXECUTE ON FUNCTION hot_words_truth(uuid, uuid) TO steward_person, steward_daemon;

-- Nothing may change the projection between the fill below and the trigger
-- (writers wait for this migration: about 15 s at a million customers).
LOCK TABLE cm_customer_hot_proj IN SHARE ROW EXCLUSIVE MODE;

INSERT INTO cm_customer_words (word, name, customer_id, region)
SELECT word, name, customer_id, region
  FROM hot_words_truth('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff');

-- A word's customers in name order (the grid's walk); unique, so a repair that
-- compares rows cannot leave a duplicate behind.
CREATE UNIQUE INDEX customer_words_walk_idx ON cm_customer_words (word, name, customer_id) INCLUDE (region);
-- A customer's words: the trigger replaces them, the rebuild compares id ranges.
CREATE INDEX customer_words_customer_idx ON cm_customer_words (customer_id);

CREATE FUNCTION hot_proj_words_after_write() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM cm_customer_words WHERE customer_id = OLD.customer_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO cm_customer_words (word, name, customer_id, region)
        SELECT lexeme, NEW.name, NEW.customer_id, NEW.region FROM unnest(tsvector_to_array(NEW.search)) AS lexeme;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER hot_proj_words_insert_delete
AFTER INSERT OR DELETE ON cm_customer_hot_proj
FOR EACH ROW EXECUTE FUNCTION hot_proj_words_after_write();

-- Most projection updates are hot fields; only a new name, city or region touches the rows here.
CREATE TRIGGER hot_proj_words_update
AFTER UPDATE OF name, city, region ON cm_customer_hot_proj
FOR EACH ROW WHEN ((OLD.name, OLD.search, OLD.region) IS DISTINCT FROM (NEW.name, NEW.search, NEW.region))
EXECUTE FUNCTION hot_proj_words_after_write();

REVOKE ALL ON FUNCTION hot_proj_words_after_write() FROM PUBLIC;

-- A person reads a customer's words exactly where they read its projection row,
-- so names and ids of customers they may not read stay hidden here too. Team
-- leads (who walk these rows) by the same rule as there, on the row itself; the
-- others through the projection's own policies. OFFSET 0 keeps that one probe
-- per row read: without it PostgreSQL may first hash every projection row the
-- person may read (measured for a team lead: 180,000 rows, 35 ms per statement).
ALTER TABLE cm_customer_words ENABLE ROW LEVEL SECURITY;
CREATE POLICY admin_all ON cm_customer_words TO steward_admin, steward_daemon USING (true) WITH CHECK (true);
CREATE POLICY team_lead_region ON cm_customer_words FOR SELECT TO steward_team_lead
    USING (region = (SELECT steward_user_region()));
CREATE POLICY through_projection ON cm_customer_words FOR SELECT TO steward_sales_rep, steward_chain_manager
    USING (EXISTS (SELECT 1 FROM cm_customer_hot_proj p WHERE p.customer_id = cm_customer_words.customer_id OFFSET 0));

GRANT SELECT ON cm_customer_words TO steward_person;
-- The daemon's scheduled rebuild repairs the words with the projection.
GRANT SELECT, INSERT, UPDATE, DELETE ON cm_customer_words TO steward_daemon;

-- ------------------------------------------------ a sales rep's chains, cheaper

-- Same set as 0003's; array_agg(DISTINCT) sorted the rep's ~3,000 locations for
-- every call (1.1 ms at a million customers), where the index on (owner_id,
-- parent_account_id) already hands them over in order: a DISTINCT over it only
-- skips repeats (0.4 ms). A rep's list page calls it up to three times (the
-- siblings' index walk, and the row-level security of two scans).
CREATE OR REPLACE FUNCTION steward_rep_chains() RETURNS uuid[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT coalesce(array_agg(chain), '{}')
      FROM (SELECT DISTINCT a.parent_account_id AS chain
              FROM accounts a
             WHERE a.owner_id = steward_current_user_id() AND a.parent_account_id IS NOT NULL) AS chains
$$;
