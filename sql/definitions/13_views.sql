-- Saved views of the customer grid: a named filter, the visible columns and the
-- sort. Private to their owner unless shared; everyone reads their own and the
-- shared ones (access.sql), only the owner saves over or deletes one. Written
-- through these functions, like everything else: a person who could UPDATE the
-- table could also LOCK it and stall every desktop's list of views.

CREATE OR REPLACE FUNCTION steward_internal.view_json(p_view uuid, p_me uuid) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
               'id', v.id, 'name', v.name, 'shared', v.shared, 'definition', v.definition, 'owner_id', v.owner_id,
               'owner_name', u.display_name, 'mine', v.owner_id IS NOT DISTINCT FROM p_me,
               'created_at', v.created_at, 'updated_at', v.updated_at)
      FROM public.saved_views v
      LEFT JOIN public.users u ON u.id = v.owner_id
     WHERE v.id = p_view
$$;

-- A view's definition: {"filters": {...}, "columns": [...], "sort": "..."}, each part
-- of the right shape. Which filters and sort keys the grid knows, the service layer
-- checks on saving and again on applying; here a definition must merely be one.
CREATE OR REPLACE FUNCTION steward_internal.check_view_definition(p_definition jsonb) RETURNS void
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    unknown text;
BEGIN
    IF jsonb_typeof(p_definition) IS DISTINCT FROM 'object' THEN
        PERFORM steward_internal.invalid('A view is a mapping of filters, columns and sort.',
                                         jsonb_build_object('definition', 'must be an object'));
    END IF;
    SELECT k INTO unknown FROM jsonb_object_keys(p_definition) k WHERE k NOT IN ('filters', 'columns', 'sort') LIMIT 1;
    IF unknown IS NOT NULL THEN
        PERFORM steward_internal.invalid(format('A view has no part ''%s''.', unknown),
                                         jsonb_build_object('definition.' || unknown, 'unknown part'));
    END IF;
    IF jsonb_typeof(coalesce(p_definition -> 'filters', '{}')) <> 'object' THEN
        PERFORM steward_internal.invalid('The view''s filters must be a mapping.', jsonb_build_object('filters', 'must be an object'));
    END IF;
    IF jsonb_typeof(coalesce(p_definition -> 'sort', '"name"')) <> 'string' OR length(p_definition ->> 'sort') > 64 THEN
        PERFORM steward_internal.invalid('The view''s sort must be a column name.', jsonb_build_object('sort', 'must be a column name'));
    END IF;
    IF jsonb_typeof(coalesce(p_definition -> 'columns', '[]')) <> 'array'
       OR jsonb_array_length(coalesce(p_definition -> 'columns', '[]')) > 64
       OR EXISTS (SELECT 1 FROM jsonb_array_elements(coalesce(p_definition -> 'columns', '[]')) c
                   WHERE jsonb_typeof(c) <> 'string' OR length(c #>> '{}') NOT BETWEEN 1 AND 64) THEN
        PERFORM steward_internal.invalid('The view''s columns must be a list of column names.',
                                         jsonb_build_object('columns', 'must be up to 64 names'));
    END IF;
END
$$;

-- Save a view under p_name; saving again under your own view's name replaces it.
CREATE OR REPLACE FUNCTION steward_api.save_view(
    p_name text, p_definition jsonb, p_shared boolean DEFAULT false, p_context jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me record;
    v_name text := steward_internal.clean_text(p_name, 'name', 100, true);
    v_id uuid;
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    PERFORM steward_internal.check_view_definition(p_definition);
    INSERT INTO public.saved_views (owner_id, name, shared, definition)
    VALUES (me.user_id, v_name, coalesce(p_shared, false), p_definition)
    ON CONFLICT ON CONSTRAINT saved_views_owner_name DO UPDATE
       SET shared = EXCLUDED.shared, definition = EXCLUDED.definition, updated_at = now()
    RETURNING id INTO v_id;
    RETURN steward_internal.view_json(v_id, me.user_id);
END
$$;

CREATE OR REPLACE FUNCTION steward_api.delete_view(p_view uuid, p_context jsonb DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me record;
    v public.saved_views;
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    SELECT * INTO v FROM public.saved_views WHERE id = p_view;
    IF NOT FOUND OR (v.owner_id IS DISTINCT FROM me.user_id AND NOT v.shared) THEN
        PERFORM steward_internal.fail('SW404', format('View %s does not exist or is not yours.', p_view));
    END IF;
    IF v.owner_id IS DISTINCT FROM me.user_id THEN
        PERFORM steward_internal.fail('SW403', format(
            'The view ''%s'' is shared by someone else; only its owner may delete it.', v.name));
    END IF;
    DELETE FROM public.saved_views WHERE id = v.id;
END
$$;
