-- Core schema: people, accounts, contacts, the field system with audit, the
-- product catalog, samples, activities, SLAs, ROI scenarios and the outbox.
--
-- Reference data (regions, field catalog, activity kinds, products, kits) is not
-- inserted here: `steward db upgrade` syncs it from resources/ after migrating,
-- so a changed pack file does not need a migration.

CREATE TABLE regions (
    code        text PRIMARY KEY CHECK (code ~ '^[A-Z][A-Z0-9_]*$'),
    name        text NOT NULL
);

-- One row per person. `login` is the PostgreSQL role the person logs in with;
-- row-level security maps session_user to this row.
CREATE TABLE users (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    login         text NOT NULL UNIQUE,
    display_name  text NOT NULL,
    role          text NOT NULL CHECK (role IN ('SALES_REP', 'TEAM_LEAD', 'CHAIN_MANAGER', 'ADMIN')),
    region        text REFERENCES regions (code),
    active        boolean NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE accounts (
    id                          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name                        text NOT NULL CHECK (btrim(name) <> ''),
    city                        text,
    region                      text NOT NULL REFERENCES regions (code),
    owner_id                    uuid REFERENCES users (id),
    is_chain                    boolean NOT NULL DEFAULT false,
    parent_account_id           uuid REFERENCES accounts (id),
    coverage_policy             text NOT NULL DEFAULT 'OWNER_ONLY'
                                CHECK (coverage_policy IN ('OWNER_ONLY', 'CHAIN_SHARED')),
    contactability_status       text NOT NULL DEFAULT 'OK'
                                CHECK (contactability_status IN ('OK', 'SOFT_BOUNCE', 'HARD_BOUNCE', 'DO_NOT_CONTACT')),
    alternate_channel_required  boolean NOT NULL DEFAULT false,
    -- Bumped by every field write: the ETag of the customer's fields.
    fields_version              bigint NOT NULL DEFAULT 0,
    -- Identity in another module (e.g. the lead id of a converted lead).
    external_ref                text UNIQUE,
    created_at                  timestamptz NOT NULL DEFAULT now(),
    updated_at                  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT chain_has_no_parent CHECK (NOT (is_chain AND parent_account_id IS NOT NULL))
);
CREATE INDEX accounts_owner_idx ON accounts (owner_id);
CREATE INDEX accounts_parent_idx ON accounts (parent_account_id);
CREATE INDEX accounts_region_idx ON accounts (region);

CREATE TABLE user_chains (
    user_id   uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    chain_id  uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, chain_id)
);

CREATE TABLE contacts (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    full_name      text NOT NULL,
    email          text,
    phone          text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    last_activity_at timestamptz,
    anonymized_at  timestamptz
);

CREATE TABLE contact_roles (
    contact_id  uuid NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    account_id  uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    role        text NOT NULL,
    PRIMARY KEY (contact_id, account_id, role)
);
CREATE INDEX contact_roles_account_idx ON contact_roles (account_id);

-- ------------------------------------------------------------------ fields

CREATE TABLE field_catalog (
    key          text PRIMARY KEY CHECK (key ~ '^[a-z][a-z0-9_]*$'),
    label        text NOT NULL,
    description  text NOT NULL DEFAULT '',
    schema       jsonb NOT NULL,
    hot          boolean NOT NULL DEFAULT false,
    restricted   boolean NOT NULL DEFAULT false,
    derived      boolean NOT NULL DEFAULT false,
    sort_order   integer NOT NULL DEFAULT 0
);

CREATE TABLE field_values (
    customer_id  uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    field_key    text NOT NULL REFERENCES field_catalog (key),
    value        jsonb NOT NULL,
    updated_by   uuid REFERENCES users (id),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (customer_id, field_key)
);
-- The rebuild reads one hot field for a range of customers at a time.
CREATE INDEX field_values_key_idx ON field_values (field_key, customer_id);

CREATE TABLE field_history (
    id                bigserial PRIMARY KEY,
    customer_id       uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    field_key         text NOT NULL,
    old_value         jsonb,
    new_value         jsonb,
    changed_by        uuid REFERENCES users (id),
    changed_by_login  text NOT NULL DEFAULT session_user,
    changed_at        timestamptz NOT NULL DEFAULT now(),
    source            text NOT NULL DEFAULT 'sql',
    correlation_id    text
);
CREATE INDEX field_history_customer_idx ON field_history (customer_id, changed_at DESC, id DESC);

-- ------------------------------------------------------ catalog and samples

CREATE TABLE products (
    sku       text PRIMARY KEY,
    name      text NOT NULL,
    category  text NOT NULL,
    unit      text NOT NULL,
    active    boolean NOT NULL DEFAULT true
);

CREATE TABLE sample_kits (
    id          text PRIMARY KEY,
    name        text NOT NULL,
    is_default  boolean NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX sample_kits_one_default ON sample_kits (is_default) WHERE is_default;

CREATE TABLE sample_kit_items (
    kit_id    text NOT NULL REFERENCES sample_kits (id) ON DELETE CASCADE,
    sku       text NOT NULL REFERENCES products (sku),
    quantity  integer NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (kit_id, sku)
);

CREATE TABLE sample_request (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    customer_id       uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    status            text NOT NULL DEFAULT 'REQUESTED'
                      CHECK (status IN ('REQUESTED', 'PACKED', 'SHIPPED', 'DELIVERED',
                                        'FEEDBACK_SUCCESS', 'FEEDBACK_NEUTRAL', 'FEEDBACK_FAIL', 'CANCELED')),
    kit_id            text REFERENCES sample_kits (id),
    delivery_date     date,
    delivery_address  text,
    contact_email     text,
    notes             text,
    -- The inbound event that created this request (lead.converted): at most once.
    source_event_id   uuid UNIQUE,
    created_by        uuid REFERENCES users (id),
    created_at        timestamptz NOT NULL DEFAULT now(),
    -- Time of the latest transition (the event time, which may be given).
    last_event_at     timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sample_request_customer_idx ON sample_request (customer_id, created_at DESC, id DESC);
CREATE INDEX sample_request_status_idx ON sample_request (status, last_event_at);

CREATE TABLE sample_item (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    sample_id  uuid NOT NULL REFERENCES sample_request (id) ON DELETE CASCADE,
    sku        text NOT NULL REFERENCES products (sku),
    quantity   integer NOT NULL CHECK (quantity >= 1)
);
CREATE INDEX sample_item_sample_idx ON sample_item (sample_id);

CREATE TABLE sample_status_history (
    id              bigserial PRIMARY KEY,
    sample_id       uuid NOT NULL REFERENCES sample_request (id) ON DELETE CASCADE,
    old_status      text,
    new_status      text NOT NULL,
    event_at        timestamptz NOT NULL,
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    changed_by      uuid REFERENCES users (id),
    correlation_id  text
);
CREATE INDEX sample_status_history_sample_idx ON sample_status_history (sample_id, id);

-- ------------------------------------------------- activities, SLAs and ROI

CREATE TABLE activity_kinds (
    kind           text PRIMARY KEY CHECK (kind ~ '^[A-Z][A-Z0-9_]*$'),
    label          text NOT NULL,
    outcomes       text[] NOT NULL,
    fields_schema  jsonb NOT NULL,
    sla            jsonb,
    sort_order     integer NOT NULL DEFAULT 0
);

CREATE TABLE roi_scenarios (
    id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    customer_id          uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name                 text NOT NULL,
    assumptions_version  text NOT NULL DEFAULT 'v1',
    assumptions          jsonb NOT NULL DEFAULT '{}',
    savings_per_month    numeric(12, 2) CHECK (savings_per_month >= 0),
    created_by           uuid REFERENCES users (id),
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX roi_scenarios_customer_idx ON roi_scenarios (customer_id);

CREATE TABLE activities (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    customer_id      uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind             text NOT NULL REFERENCES activity_kinds (kind),
    occurred_at      timestamptz NOT NULL DEFAULT now(),
    outcome          text NOT NULL,
    note             text,
    -- The kind's own fields, validated against activity_kinds.fields_schema.
    data             jsonb NOT NULL DEFAULT '{}',
    sample_id        uuid REFERENCES sample_request (id) ON DELETE CASCADE,
    roi_scenario_id  uuid REFERENCES roi_scenarios (id) ON DELETE SET NULL,
    created_by       uuid REFERENCES users (id),
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX activities_customer_idx ON activities (customer_id, occurred_at DESC, id DESC);
CREATE INDEX activities_sample_idx ON activities (sample_id) WHERE sample_id IS NOT NULL;

-- An obligation with a due date: opened and met by the domain pack's SLA rules.
CREATE TABLE slas (
    id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    customer_id           uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind                  text NOT NULL REFERENCES activity_kinds (kind),
    rule                  text NOT NULL,
    sample_id             uuid REFERENCES sample_request (id) ON DELETE CASCADE,
    opened_by_activity_id uuid REFERENCES activities (id) ON DELETE CASCADE,
    met_by_activity_id    uuid REFERENCES activities (id) ON DELETE SET NULL,
    opened_at             timestamptz NOT NULL DEFAULT now(),
    due_date              date NOT NULL,
    status                text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'MET', 'CLOSED')),
    closed_at             timestamptz,
    CONSTRAINT open_has_no_close CHECK ((status = 'OPEN') = (closed_at IS NULL))
);
CREATE INDEX slas_customer_open_idx ON slas (customer_id, due_date) WHERE status = 'OPEN';
CREATE INDEX slas_due_open_idx ON slas (due_date) WHERE status = 'OPEN';
CREATE INDEX slas_customer_idx ON slas (customer_id);
CREATE UNIQUE INDEX slas_one_per_sample ON slas (sample_id, rule) WHERE sample_id IS NOT NULL;

-- ------------------------------------------------------------------ outbox

-- `position` is only an identity for people; it is not commit order. Consumers
-- read in (txid, position) order below the snapshot's xmin (see README, "Events").
CREATE TABLE event_outbox (
    position        bigserial PRIMARY KEY,
    id              uuid NOT NULL UNIQUE,
    txid            xid8 NOT NULL DEFAULT pg_current_xact_id(),
    type            text NOT NULL,
    version         text NOT NULL DEFAULT '1.0',
    time            timestamptz NOT NULL DEFAULT now(),
    source          text NOT NULL DEFAULT 'crm.customer-management',
    correlation_id  text,
    actor           jsonb NOT NULL,
    customer_id     uuid,
    data            jsonb NOT NULL
);
CREATE INDEX event_outbox_txid_idx ON event_outbox (txid, position);
CREATE INDEX event_outbox_customer_idx ON event_outbox (customer_id, position);
CREATE INDEX event_outbox_time_idx ON event_outbox (time);

CREATE TABLE consumer_checkpoints (
    consumer       text PRIMARY KEY,
    last_txid      xid8 NOT NULL DEFAULT '0',
    last_position  bigint NOT NULL DEFAULT 0,
    updated_at     timestamptz NOT NULL DEFAULT now()
);

-- Position, commit-order key and time are the server's to give, never the
-- client's: a forged txid below a consumer's checkpoint would never be read.
CREATE FUNCTION event_outbox_before_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.position := nextval(pg_get_serial_sequence('event_outbox', 'position'));
    NEW.txid := pg_current_xact_id();
    NEW.time := now();
    RETURN NEW;
END
$$;

CREATE TRIGGER event_outbox_before_insert
BEFORE INSERT ON event_outbox
FOR EACH ROW EXECUTE FUNCTION event_outbox_before_insert();

-- Wake listeners once per inserting statement. The payload is empty on purpose:
-- every client may LISTEN, so it must not learn which customer changed.
CREATE FUNCTION event_outbox_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('steward_events', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER event_outbox_notify
AFTER INSERT ON event_outbox
FOR EACH STATEMENT EXECUTE FUNCTION event_outbox_notify();
