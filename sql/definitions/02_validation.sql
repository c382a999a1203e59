-- Validation of values against the pack's JSON schemas, and of plain inputs.
--
-- The pack declares each field's and activity kind's value as a JSON schema
-- (resources/<pack>/pack.toml, synced into field_catalog and activity_kinds). The
-- desktop validates with the same schema in Python (services/rules/validation.py)
-- to mark a field before anyone saves; this is the check that counts, because a
-- person may call the write API with anything. Both speak the same messages,
-- keyed by the same paths ("roi_potential.bucket"), and a test holds them equal.
--
-- The subset of JSON Schema the packs use: type, enum, const, required,
-- properties, additionalProperties: false, minimum, maximum, exclusiveMinimum,
-- exclusiveMaximum, minLength, maxLength, format (date, uuid, email), items,
-- minItems, maxItems, uniqueItems, oneOf, anyOf. A keyword outside it is
-- refused when the pack is synced (services/pack), never silently ignored here.

CREATE OR REPLACE FUNCTION steward_internal.json_type_matches(p_value jsonb, p_type text)
RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE p_type
               WHEN 'string' THEN jsonb_typeof(p_value) = 'string'
               WHEN 'number' THEN jsonb_typeof(p_value) = 'number'
               WHEN 'integer' THEN jsonb_typeof(p_value) = 'number'
                               AND (p_value #>> '{}')::numeric = trunc((p_value #>> '{}')::numeric)
               WHEN 'boolean' THEN jsonb_typeof(p_value) = 'boolean'
               WHEN 'object' THEN jsonb_typeof(p_value) = 'object'
               WHEN 'array' THEN jsonb_typeof(p_value) = 'array'
               WHEN 'null' THEN jsonb_typeof(p_value) = 'null'
               ELSE false
           END
$$;

CREATE OR REPLACE FUNCTION steward_internal.json_type_message(p_type text)
RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE p_type
               WHEN 'string' THEN 'must be text'
               WHEN 'number' THEN 'must be a number'
               WHEN 'integer' THEN 'must be a whole number'
               WHEN 'boolean' THEN 'must be true or false'
               WHEN 'object' THEN 'must be an object'
               WHEN 'array' THEN 'must be a list'
               WHEN 'null' THEN 'must be empty'
               ELSE 'has the wrong type'
           END
$$;

-- A calendar date written YYYY-MM-DD (30 February is none). Without an exception
-- block: catching the cast's error would cost a subtransaction per value.
CREATE OR REPLACE FUNCTION steward_internal.is_iso_date(p_text text)
RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN p_text ~ '^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$' AND left(p_text, 4) <> '0000'
                THEN substr(p_text, 9, 2)::integer
                     <= extract(day FROM make_date(left(p_text, 4)::integer, substr(p_text, 6, 2)::integer, 1)
                                         + interval '1 month' - interval '1 day')
                ELSE false
           END
$$;

-- Every problem of p_value under p_schema, as {path: message}; '{}' when valid.
-- p_path is where p_value sits ('' at the top, which is reported as "value").
CREATE OR REPLACE FUNCTION steward_internal.schema_errors(p_schema jsonb, p_value jsonb, p_path text DEFAULT '')
RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    here text := CASE WHEN p_path = '' THEN 'value' ELSE p_path END;
    errors jsonb := '{}';
    branch jsonb;
    matches integer;
    types text[];
    name text;
    item jsonb;
    n integer;
    num numeric;
    str text;
BEGIN
    IF p_schema ? 'oneOf' OR p_schema ? 'anyOf' THEN
        matches := 0;
        FOR branch IN SELECT jsonb_array_elements(coalesce(p_schema -> 'oneOf', p_schema -> 'anyOf')) LOOP
            IF steward_internal.schema_errors(branch, p_value, p_path) = '{}' THEN
                matches := matches + 1;
            END IF;
        END LOOP;
        IF matches = 0 OR (p_schema ? 'oneOf' AND matches > 1) THEN
            RETURN jsonb_build_object(here, 'does not match any of the allowed shapes');
        END IF;
    END IF;

    IF p_schema ? 'type' THEN
        types := CASE jsonb_typeof(p_schema -> 'type')
                     WHEN 'array' THEN ARRAY(SELECT jsonb_array_elements_text(p_schema -> 'type'))
                     ELSE ARRAY[p_schema ->> 'type'] END;
        IF NOT EXISTS (SELECT 1 FROM unnest(types) t WHERE steward_internal.json_type_matches(p_value, t)) THEN
            RETURN jsonb_build_object(here, steward_internal.json_type_message(types[1]));
        END IF;
    END IF;

    IF p_schema ? 'enum' AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(p_schema -> 'enum') e WHERE e = p_value) THEN
        RETURN jsonb_build_object(here, 'must be one of ' ||
            (SELECT string_agg(coalesce(e #>> '{}', 'null'), ', ') FROM jsonb_array_elements(p_schema -> 'enum') e));
    END IF;
    IF p_schema ? 'const' AND p_schema -> 'const' <> p_value THEN
        RETURN jsonb_build_object(here, 'must be ' || (p_schema -> 'const')::text);
    END IF;

    CASE jsonb_typeof(p_value)
    WHEN 'object' THEN
        IF p_schema ? 'required' THEN
            FOR name IN SELECT jsonb_array_elements_text(p_schema -> 'required') LOOP
                IF NOT p_value ? name THEN
                    errors := errors || jsonb_build_object(concat_ws('.', nullif(p_path, ''), name), 'is required');
                END IF;
            END LOOP;
        END IF;
        FOR name, item IN SELECT key, value FROM jsonb_each(p_value) LOOP
            IF p_schema -> 'properties' ? name THEN
                errors := steward_internal.schema_errors(p_schema -> 'properties' -> name, item,
                                                         concat_ws('.', nullif(p_path, ''), name)) || errors;
            ELSIF p_schema -> 'additionalProperties' = 'false' THEN
                errors := errors || jsonb_build_object(concat_ws('.', nullif(p_path, ''), name), 'is not a field of this form');
            END IF;
        END LOOP;
    WHEN 'array' THEN
        n := jsonb_array_length(p_value);
        IF p_schema ? 'minItems' AND n < (p_schema ->> 'minItems')::integer THEN
            errors := errors || jsonb_build_object(here, format('must have at least %s entries', p_schema ->> 'minItems'));
        ELSIF p_schema ? 'maxItems' AND n > (p_schema ->> 'maxItems')::integer THEN
            errors := errors || jsonb_build_object(here, format('must have at most %s entries', p_schema ->> 'maxItems'));
        ELSIF p_schema -> 'uniqueItems' = 'true'
              AND (SELECT count(DISTINCT e) FROM jsonb_array_elements(p_value) e) < n THEN
            errors := errors || jsonb_build_object(here, 'lists an entry twice');
        END IF;
        IF p_schema ? 'items' THEN
            FOR i IN 0 .. n - 1 LOOP
                errors := steward_internal.schema_errors(p_schema -> 'items', p_value -> i,
                                                         concat_ws('.', nullif(p_path, ''), i::text)) || errors;
            END LOOP;
        END IF;
    WHEN 'string' THEN
        str := p_value #>> '{}';
        IF p_schema ? 'minLength' AND length(str) < (p_schema ->> 'minLength')::integer THEN
            RETURN jsonb_build_object(here, CASE WHEN (p_schema ->> 'minLength')::integer = 1 THEN 'must not be empty'
                                                 ELSE format('must be at least %s characters', p_schema ->> 'minLength') END);
        END IF;
        IF p_schema ? 'maxLength' AND length(str) > (p_schema ->> 'maxLength')::integer THEN
            RETURN jsonb_build_object(here, format('must be at most %s characters', p_schema ->> 'maxLength'));
        END IF;
        IF p_schema ->> 'format' = 'date' AND NOT steward_internal.is_iso_date(str) THEN
            RETURN jsonb_build_object(here, 'must be a date (YYYY-MM-DD)');
        ELSIF p_schema ->> 'format' = 'uuid'
              AND str !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN
            RETURN jsonb_build_object(here, 'must be an id (UUID)');
        ELSIF p_schema ->> 'format' = 'email' AND str !~ '^[^@\s]+@[^@\s]+$' THEN
            RETURN jsonb_build_object(here, 'must be an e-mail address');
        END IF;
    WHEN 'number' THEN
        num := (p_value #>> '{}')::numeric;
        IF p_schema ? 'minimum' AND num < (p_schema ->> 'minimum')::numeric THEN
            RETURN jsonb_build_object(here, 'must be at least ' || (p_schema -> 'minimum')::text);
        ELSIF p_schema ? 'maximum' AND num > (p_schema ->> 'maximum')::numeric THEN
            RETURN jsonb_build_object(here, 'must be at most ' || (p_schema -> 'maximum')::text);
        ELSIF p_schema ? 'exclusiveMinimum' AND num <= (p_schema ->> 'exclusiveMinimum')::numeric THEN
            RETURN jsonb_build_object(here, 'must be more than ' || (p_schema -> 'exclusiveMinimum')::text);
        ELSIF p_schema ? 'exclusiveMaximum' AND num >= (p_schema ->> 'exclusiveMaximum')::numeric THEN
            RETURN jsonb_build_object(here, 'must be less than ' || (p_schema -> 'exclusiveMaximum')::text);
        END IF;
    ELSE
        NULL;
    END CASE;
    RETURN errors;
END
$$;

-- The pack's checks across the parts of one value that a schema cannot state,
-- declared as data: [{"field": "season_end", "not_before": "season_start"}].
-- Dates in ISO form compare as text.
CREATE OR REPLACE FUNCTION steward_internal.check_errors(p_checks jsonb, p_value jsonb, p_path text DEFAULT '')
RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(jsonb_object_agg(concat_ws('.', nullif(p_path, ''), c ->> 'field'),
                                     'must not lie before ' || (c ->> 'not_before')), '{}')
      FROM jsonb_array_elements(coalesce(p_checks, '[]')) c
     WHERE jsonb_typeof(p_value) = 'object'
       AND jsonb_typeof(p_value -> (c ->> 'field')) = 'string'
       AND jsonb_typeof(p_value -> (c ->> 'not_before')) = 'string'
       AND (p_value ->> (c ->> 'field')) < (p_value ->> (c ->> 'not_before'))
$$;

-- A piece of text a person typed: trimmed, and refused with the field named when
-- it is missing but required, too long, or carries control characters.
CREATE OR REPLACE FUNCTION steward_internal.clean_text(p_value text, p_field text, p_max integer, p_required boolean)
RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    v text := btrim(p_value, E' \t\r\n');
BEGIN
    IF v = '' THEN
        v := NULL;
    END IF;
    IF v IS NULL THEN
        IF p_required THEN
            PERFORM steward_internal.invalid(format('%s must not be empty.', p_field),
                                             jsonb_build_object(p_field, 'must not be empty'));
        END IF;
        RETURN NULL;
    END IF;
    IF length(v) > p_max THEN
        PERFORM steward_internal.invalid(format('%s must be at most %s characters.', p_field, p_max),
                                         jsonb_build_object(p_field, format('must be at most %s characters', p_max)));
    END IF;
    RETURN v;
END
$$;

-- A member of a fixed list of codes.
CREATE OR REPLACE FUNCTION steward_internal.one_of(p_value text, p_field text, p_choices text[])
RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF p_value IS NULL OR NOT p_value = ANY (p_choices) THEN
        PERFORM steward_internal.invalid(format('%s must be one of %s.', p_field, array_to_string(p_choices, ', ')),
                                         jsonb_build_object(p_field, 'must be one of ' || array_to_string(p_choices, ', ')));
    END IF;
    RETURN p_value;
END
$$;

-- An e-mail address, or NULL.
CREATE OR REPLACE FUNCTION steward_internal.clean_email(p_value text, p_field text)
RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    v text := steward_internal.clean_text(p_value, p_field, 320, false);
BEGIN
    IF v IS NOT NULL AND v !~ '^[^@\s]+@[^@\s]+$' THEN
        PERFORM steward_internal.invalid('The e-mail address is not valid.',
                                         jsonb_build_object(p_field, 'must be an e-mail address'));
    END IF;
    RETURN v;
END
$$;
