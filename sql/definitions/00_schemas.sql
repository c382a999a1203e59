-- The schemas of the database's own API.
--
--   steward_api       the write API: SECURITY DEFINER functions people call (through
--                     the service layer, or by hand with psql); the only way a person
--                     changes business data.
--   steward_internal  what the API is built from (who is calling, validation, events);
--                     nobody but the owner calls it directly.
--   steward_pack      the domain pack's rules that its data file cannot express
--                     (resources/<pack>/rules.sql), behind a fixed set of hooks.
--
-- Every function in them pins search_path to pg_catalog and pg_temp and names our
-- tables with their schema, so nothing a caller creates or sets can stand in for them.

CREATE SCHEMA IF NOT EXISTS steward_api;
CREATE SCHEMA IF NOT EXISTS steward_internal;
CREATE SCHEMA IF NOT EXISTS steward_pack;

-- The functions of these schemas are exactly what the files below define: each is dropped
-- first, in the upgrade's transaction, so a function renamed, removed or given another
-- signature or result leaves no old version behind (people call steward_api only, and
-- plpgsql bodies hold no dependencies). A function something depends on (a trigger's)
-- stays and is replaced in place below.
DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
              WHERE p.pronamespace IN ('steward_api'::regnamespace, 'steward_internal'::regnamespace,
                                       'steward_pack'::regnamespace) LOOP
        BEGIN
            EXECUTE format('DROP FUNCTION %s', f);
        EXCEPTION WHEN dependent_objects_still_exist THEN
            NULL;
        END;
    END LOOP;
END
$$;

-- Error codes the API raises; services/adapters/database.py turns each into its typed error.
-- The DETAIL of each is a JSON object ({"errors": {...}, "current": ..., ...}).
--   SW422  the input is not valid               (ValidationError)
--   SW404  it does not exist or is not visible  (NotFound)
--   SW403  not allowed                          (Forbidden)
--   SW409  the workflow does not allow the move (IllegalTransition)
--   SW412  the ETag is stale                    (PreconditionFailed)
--   SW410  a conflict with what exists          (Conflict)
CREATE OR REPLACE FUNCTION steward_internal.fail(p_code text, p_message text, p_detail jsonb DEFAULT '{}')
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = p_code, MESSAGE = p_message, DETAIL = p_detail::text;
END
$$;

-- A refusal naming the fields it concerns: {"field": "message", ...}.
CREATE OR REPLACE FUNCTION steward_internal.invalid(p_message text, p_errors jsonb)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM steward_internal.fail('SW422', p_message, jsonb_build_object('errors', p_errors));
END
$$;
