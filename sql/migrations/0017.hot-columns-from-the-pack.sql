-- The hot projection's columns come from the pack (resources/<pack>/pack.toml,
-- [[field.column]]): `steward db upgrade` adds the columns and indexes a pack
-- declares and drops those it no longer does (services/adapters/hot_fields.py).

-- Each hot field's column declarations, as the pack states them.
ALTER TABLE field_catalog ADD COLUMN columns jsonb NOT NULL DEFAULT '[]';

-- The projection columns a pack made, so that an upgrade knows which ones it may
-- drop again (the projection's own columns are the migrations').
CREATE TABLE hot_columns (
    name        text PRIMARY KEY,
    field_key   text NOT NULL,
    type        text NOT NULL,
    added_at    timestamptz NOT NULL DEFAULT now()
);
INSERT INTO hot_columns (name, field_key, type) VALUES
    ('sample_status', 'sample_status', 'text'),
    ('sample_last_event_at', 'sample_status', 'timestamptz'),
    ('roi_bucket', 'roi_potential', 'text'),
    ('roi_value', 'roi_potential', 'numeric(12, 2)'),
    ('decision_maker_count', 'decision_makers', 'integer'),
    ('has_exec_alignment', 'decision_makers', 'boolean'),
    ('season_start', 'seasonal_menu_cycle', 'date'),
    ('season_end', 'seasonal_menu_cycle', 'date'),
    ('renewal_date', 'current_supplier_contracts', 'date'),
    ('exclusivity', 'current_supplier_contracts', 'boolean');

-- Which pack the database holds, and what its cockpit counts.
CREATE TABLE pack_info (
    singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    name       text NOT NULL,
    kpis       jsonb NOT NULL
);
