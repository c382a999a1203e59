-- Change sets: every bulk change (a bulk edit, a reassignment of several customers, a
-- paste into the grid, a restore from history, an import, a merge) is one change set
-- with the before-image of every value it changed, so that it can be undone exactly
-- (sql/definitions/15_change_sets.sql). An undo is a change set too (undoes = the one it
-- takes back); undoing that redoes.
CREATE TABLE change_sets (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    kind              text NOT NULL CHECK (kind IN ('bulk_edit', 'reassign', 'paste', 'restore', 'import', 'merge', 'undo')),
    description       text NOT NULL CHECK (length(description) BETWEEN 1 AND 500),
    -- What it was run on: the grid's filter, or the selected customers.
    selection         jsonb NOT NULL DEFAULT '{}',
    created_by        uuid REFERENCES users (id),
    created_by_login  text NOT NULL DEFAULT session_user,
    created_at        timestamptz NOT NULL DEFAULT now(),
    -- open while it runs; done; partial when cancelled or stopped half-way (what ran stays, and undo takes it back)
    state             text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'done', 'partial')),
    finished_at       timestamptz,
    undoes            uuid REFERENCES change_sets (id),
    undone_by         uuid REFERENCES change_sets (id),
    changed           integer NOT NULL DEFAULT 0,   -- values changed
    refused           integer NOT NULL DEFAULT 0    -- values refused (out of scope, restricted, changed since)
);
CREATE INDEX change_sets_creator_idx ON change_sets (created_by, created_at DESC);

-- One changed value: a field, a piece of master data, the owner. before/after NULL:
-- absent (a field that was not set, or is removed).
CREATE TABLE change_set_items (
    change_set_id  uuid NOT NULL REFERENCES change_sets (id) ON DELETE CASCADE,
    position       bigint GENERATED ALWAYS AS IDENTITY,
    customer_id    uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    target         text NOT NULL CHECK (target IN ('field', 'master', 'owner')),
    key            text NOT NULL,
    before         jsonb,
    after          jsonb,
    PRIMARY KEY (change_set_id, position)
);
CREATE INDEX change_set_items_customer_idx ON change_set_items (customer_id, target, key);
