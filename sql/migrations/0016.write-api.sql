-- Tables for the database's own write API (sql/definitions): from here on the
-- functions, views, triggers and policies live in sql/definitions, one file per
-- concept, applied after the migrations on every upgrade; migrations keep
-- tables, columns, indexes and data moves.

-- Which definitions are applied (a digest of sql/definitions and the pack's
-- rules), so a program can tell whether the database is current.
CREATE TABLE steward_schema_state (
    singleton          boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    definitions_hash   text NOT NULL,
    applied_at         timestamptz NOT NULL DEFAULT now()
);

-- The sample workflow, as the pack declares it: the statuses in their order, and
-- which may follow which.
CREATE TABLE sample_statuses (
    status    text PRIMARY KEY CHECK (status ~ '^[A-Z][A-Z0-9_]*$'),
    position  integer NOT NULL
);
CREATE TABLE sample_transitions (
    from_status  text NOT NULL REFERENCES sample_statuses (status) ON DELETE CASCADE,
    to_status    text NOT NULL REFERENCES sample_statuses (status) ON DELETE CASCADE,
    position     integer NOT NULL,
    PRIMARY KEY (from_status, to_status)
);

-- German public holidays (nationwide), for SLA due dates in business days.
-- Synced from the `holidays` package with the reference data.
CREATE TABLE business_holidays (
    day   date PRIMARY KEY,
    name  text NOT NULL
);

-- Checks across the parts of one value that a JSON schema cannot state, as the
-- pack declares them ([{"field": "season_end", "not_before": "season_start"}]).
ALTER TABLE field_catalog ADD COLUMN checks jsonb NOT NULL DEFAULT '[]';
ALTER TABLE activity_kinds ADD COLUMN checks jsonb NOT NULL DEFAULT '[]';

-- The ETag of a customer's master data (name, city, region, chain, coverage),
-- bumped by every change of them, like fields_version for the fields.
ALTER TABLE accounts ADD COLUMN master_version bigint NOT NULL DEFAULT 0;

-- Each event takes one position, given by its trigger (sql/definitions/03_outbox.sql);
-- the default took a second one.
ALTER TABLE event_outbox ALTER COLUMN position DROP DEFAULT;

ALTER TABLE roi_scenarios ADD COLUMN updated_by uuid REFERENCES users (id);

-- Whether this database created the person's login (steward_api.add_user) or a
-- superuser adopted an existing one: only a login made here is ever changed here.
ALTER TABLE users ADD COLUMN created_login boolean NOT NULL DEFAULT false;

-- The roles a contact may hold at a customer, as the pack declares them.
CREATE TABLE contact_role_types (
    code        text PRIMARY KEY CHECK (code ~ '^[A-Z][A-Z0-9_]*$'),
    label       text NOT NULL,
    sort_order  integer NOT NULL DEFAULT 0
);

-- A contact who asked not to be contacted (GDPR objection): kept, never approached.
ALTER TABLE contacts ADD COLUMN do_not_contact boolean NOT NULL DEFAULT false;
ALTER TABLE contacts ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

-- Why a customer is (not) contactable, as the person or the bounce said.
ALTER TABLE accounts ADD COLUMN contactability_reason text;
