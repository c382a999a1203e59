-- Operations (issue 16): backups, health, retention (GDPR) and the move of a legacy
-- customer table. Tables only; the functions, views and grants are in
-- sql/definitions/40_operations.sql .. 43_legacy.sql and 90_access.sql. docs/OPERATIONS.md
-- walks an admin through all of it.

-- ------------------------------------------------------------------ health

-- Each running daemon says it is alive (services/service_layer/events/daemon.py): one row
-- per process, beaten every few seconds while it works, stopped_at set when it ends
-- cleanly. A daemon killed hard leaves its row to age; `steward health` reads the ages.
CREATE TABLE daemon_heartbeats (
    daemon      text PRIMARY KEY,                       -- host:pid
    login       text NOT NULL DEFAULT session_user,
    mode        text NOT NULL DEFAULT 'run' CHECK (mode IN ('run', 'once')),
    started_at  timestamptz NOT NULL DEFAULT now(),
    beat_at     timestamptz NOT NULL DEFAULT now(),
    stopped_at  timestamptz,
    passed      bigint NOT NULL DEFAULT 0              -- events passed since it started
);

-- ----------------------------------------------------------------- backups

-- One row per finished `steward db backup` (written by the owner after pg_dump
-- succeeded): when, where, how big, and the schema it holds.
CREATE TABLE backup_runs (
    id             bigserial PRIMARY KEY,
    started_at     timestamptz NOT NULL,
    finished_at    timestamptz NOT NULL DEFAULT now(),
    file           text NOT NULL,
    bytes          bigint NOT NULL,
    tool           text NOT NULL,                       -- the pg_dump that wrote it, with its version
    schema_version text NOT NULL,                       -- the last migration applied
    by_login       text NOT NULL DEFAULT session_user
);

-- --------------------------------------------------------------- retention

-- The audit of every retention run and every privacy request: who, when, what, how
-- many. Nobody changes it afterwards (no grant allows it); the anonymisation only
-- replaces personal values in it, which it never holds by design (ids and counts).
CREATE TABLE retention_runs (
    id           bigserial PRIMARY KEY,
    policy       text NOT NULL CHECK (policy IN ('outbox', 'contacts', 'archive')),
    settings     jsonb NOT NULL,
    by_login     text NOT NULL DEFAULT session_user,
    by_user      uuid REFERENCES users (id),
    started_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz,
    batches      integer NOT NULL DEFAULT 0,
    counts       jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX retention_runs_policy_idx ON retention_runs (policy, started_at DESC);

CREATE TABLE privacy_requests (
    id          bigserial PRIMARY KEY,
    kind        text NOT NULL CHECK (kind IN ('erase', 'export')),
    contact_id  uuid NOT NULL,                          -- no foreign key: the audit outlives the contact
    by_login    text NOT NULL DEFAULT session_user,
    by_user     uuid REFERENCES users (id),
    at          timestamptz NOT NULL DEFAULT now(),
    report      jsonb NOT NULL DEFAULT '{}'            -- counts per table and column, never a value
);
CREATE INDEX privacy_requests_contact_idx ON privacy_requests (contact_id);

-- A customer's newest activity and sample, for "without activity for two years".
CREATE INDEX sample_request_customer_updated_idx ON sample_request (customer_id, updated_at);
CREATE INDEX contacts_anonymized_idx ON contacts (anonymized_at) WHERE anonymized_at IS NULL;

-- Activities and samples older than the archive horizon (five years) move here, with
-- everything that hangs on them. The cockpit still counts them (kpi_facts reads both,
-- sql/definitions/05_kpis.sql). Same columns as the live tables plus archived_at, no
-- foreign keys among them (the archive may hold what the live tables no longer do); a
-- later migration that adds a column to a live table adds it here too (the archive
-- copies by column name, sql/definitions/42_retention.sql).
CREATE TABLE sample_request_archive (LIKE sample_request INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
ALTER TABLE sample_request_archive ADD PRIMARY KEY (id), ADD COLUMN archived_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX sample_request_archive_customer_idx ON sample_request_archive (customer_id);
CREATE INDEX sample_request_archive_status_idx ON sample_request_archive (status, last_event_at);

CREATE TABLE sample_item_archive (LIKE sample_item INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
ALTER TABLE sample_item_archive ADD PRIMARY KEY (id), ADD COLUMN archived_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX sample_item_archive_sample_idx ON sample_item_archive (sample_id);

CREATE TABLE sample_status_history_archive (LIKE sample_status_history INCLUDING CONSTRAINTS);
ALTER TABLE sample_status_history_archive ADD PRIMARY KEY (id), ADD COLUMN archived_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX sample_status_history_archive_sample_idx ON sample_status_history_archive (sample_id, id);

CREATE TABLE activities_archive (LIKE activities INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
ALTER TABLE activities_archive ADD PRIMARY KEY (id), ADD COLUMN archived_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX activities_archive_customer_idx ON activities_archive (customer_id, occurred_at DESC);
CREATE INDEX activities_archive_commitment_idx ON activities_archive (occurred_at) WHERE data ? 'commitment_level';

CREATE TABLE slas_archive (LIKE slas INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
ALTER TABLE slas_archive ADD PRIMARY KEY (id), ADD COLUMN archived_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX slas_archive_customer_idx ON slas_archive (customer_id);
CREATE INDEX slas_archive_due_idx ON slas_archive (due_date);

-- Triggers that keep derived data (projection, search words, field history) step aside
-- for one transaction of a bulk write that writes the same derived data set-based
-- itself (the legacy back-fill). Only a function running as the owner can put its
-- transaction here; a session setting alone (which anyone can SET) is not enough.
CREATE TABLE bulk_writes (
    txid  xid8 PRIMARY KEY
);

-- ------------------------------------------------------------------ legacy

-- The legacy customer table is read from, and written back to, schema `legacy` only
-- (a view there may stand for a table elsewhere): an admin's mapping can name nothing else.
CREATE SCHEMA IF NOT EXISTS legacy;

-- One legacy move per source table: its key column, the mapping (validated, as JSON),
-- and the switches of expand–migrate–contract.
CREATE TABLE legacy_moves (
    source          text PRIMARY KEY,                   -- legacy.<table>
    key_column      text NOT NULL,
    mapping         jsonb NOT NULL,
    dual_write      boolean NOT NULL DEFAULT false,
    read_switch     boolean NOT NULL DEFAULT false,
    state           text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'contracted')),
    -- the back-fill's place: every key up to last_key (in byte order) is done
    last_key        text,
    rows_read       bigint NOT NULL DEFAULT 0,
    rows_written    bigint NOT NULL DEFAULT 0,
    rows_refused    bigint NOT NULL DEFAULT 0,
    duplicates      bigint NOT NULL DEFAULT 0,
    started_at      timestamptz,
    finished_at     timestamptz,
    validated_at    timestamptz,
    validation      jsonb,
    contracted_at   timestamptz,
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- Which customer (and contact) each legacy key became.
CREATE TABLE legacy_links (
    source      text NOT NULL REFERENCES legacy_moves (source) ON DELETE CASCADE,
    legacy_key  text COLLATE "C" NOT NULL,
    customer_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    contact_id  uuid REFERENCES contacts (id) ON DELETE SET NULL,
    linked_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, legacy_key)
);
CREATE INDEX legacy_links_customer_idx ON legacy_links (customer_id);
CREATE INDEX legacy_links_contact_idx ON legacy_links (contact_id) WHERE contact_id IS NOT NULL;

-- Rows the back-fill refused, with row, column and reason.
CREATE TABLE legacy_refusals (
    source      text NOT NULL REFERENCES legacy_moves (source) ON DELETE CASCADE,
    legacy_key  text COLLATE "C" NOT NULL,
    row_number  bigint,
    errors      jsonb NOT NULL,                         -- [{"column": ..., "reason": ...}]
    refused_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, legacy_key)
);
