-- Saved views of the customer grid: a named filter, the visible columns and the
-- sort order. Private to their owner unless shared; everyone reads their own and
-- the shared ones, and only the owner changes or deletes a view.
--
-- owner_id is NULL for views saved by the schema owner (a system login, not a
-- person); NULLS NOT DISTINCT keeps their names unique too.

CREATE TABLE saved_views (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    owner_id    uuid REFERENCES users (id) ON DELETE CASCADE DEFAULT steward_current_user_id(),
    name        text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 100),
    shared      boolean NOT NULL DEFAULT false,
    definition  jsonb NOT NULL CHECK (jsonb_typeof(definition) = 'object'),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT saved_views_owner_name UNIQUE NULLS NOT DISTINCT (owner_id, name)
);
CREATE INDEX saved_views_shared_idx ON saved_views (name) WHERE shared;

ALTER TABLE saved_views ENABLE ROW LEVEL SECURITY;
CREATE POLICY read_own_and_shared ON saved_views FOR SELECT TO steward_person
    USING (shared OR owner_id = (SELECT steward_current_user_id()));
CREATE POLICY insert_own ON saved_views FOR INSERT TO steward_person
    WITH CHECK (owner_id = (SELECT steward_current_user_id()));
CREATE POLICY update_own ON saved_views FOR UPDATE TO steward_person
    USING (owner_id = (SELECT steward_current_user_id()))
    WITH CHECK (owner_id = (SELECT steward_current_user_id()));
CREATE POLICY delete_own ON saved_views FOR DELETE TO steward_person
    USING (owner_id = (SELECT steward_current_user_id()));

GRANT SELECT, INSERT, UPDATE, DELETE ON saved_views TO steward_person;
