-- Imports (issue 14): customer lists from spreadsheets, as one change set each
-- (sql/definitions/50_imports.sql, services/service_layer/imports.py).

-- The rows of the file an import has written, by the file's row number: a run that was
-- killed and is started again with the same change set skips them, so nothing doubles.
CREATE TABLE import_rows (
    change_set_id  uuid NOT NULL REFERENCES change_sets (id) ON DELETE CASCADE,
    row_number     integer NOT NULL,
    customer_id    uuid,                                 -- the customer it created or updated (none: refused)
    outcome        text NOT NULL CHECK (outcome IN ('created', 'updated', 'unchanged', 'refused')),
    PRIMARY KEY (change_set_id, row_number)
);

-- A mapping saved per file shape (the set of its column names), so that the next file of
-- the same shape maps itself. One per shape: the newest saved wins.
CREATE TABLE import_mappings (
    shape       text PRIMARY KEY,                        -- md5 of the sorted column names
    columns     text[] NOT NULL,
    mapping     jsonb NOT NULL,
    saved_by    uuid REFERENCES users (id),
    saved_at    timestamptz NOT NULL DEFAULT now()
);

-- Match keys: a phone number as digits with its country code ("040 / 123 45-6" and
-- "+49 40 123456" are one), the same rule as services/rules/mapping.py parse_phone.
CREATE FUNCTION steward_phone_key(p_phone text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN d = '' THEN NULL
                WHEN btrim(p_phone) LIKE '+%' THEN d
                WHEN d LIKE '00%' THEN substr(d, 3)
                WHEN d LIKE '0%' THEN '49' || substr(d, 2)
                ELSE '49' || d END
      FROM (SELECT regexp_replace(coalesce(p_phone, ''), '\D', '', 'g') AS d) x
$$;

-- A name as it is matched: lower case, one space between words.
CREATE FUNCTION steward_name_key(p_name text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT nullif(lower(regexp_replace(btrim(coalesce(p_name, '')), '\s+', ' ', 'g')), '')
$$;

CREATE INDEX contacts_email_key_idx ON contacts (lower(btrim(email))) WHERE email IS NOT NULL;
CREATE INDEX contacts_phone_key_idx ON contacts (steward_phone_key(phone)) WHERE phone IS NOT NULL;
CREATE INDEX accounts_name_city_key_idx ON accounts (steward_name_key(name), coalesce(steward_name_key(city), ''));
