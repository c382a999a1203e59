-- People: one database login per person, mapped to a users row with a role.
--
-- Admins manage people without holding CREATEROLE themselves: these functions
-- run as the schema owner (who needs CREATEROLE on a shared server). They never
-- touch a role they did not create: an existing role is refused, unless a
-- superuser explicitly adopts it, and even then its password and attributes stay
-- as they are. Roles are cluster-wide, so a careless takeover would reach other
-- databases, the daemon's login or the owner itself.

DROP FUNCTION IF EXISTS public.steward_add_user(text, text, text, text, uuid[], text);
DROP FUNCTION IF EXISTS public.steward_set_user_chains(text, uuid[]);
DROP FUNCTION IF EXISTS public.steward_disable_user(text);

CREATE OR REPLACE FUNCTION steward_internal.require_admin(p_role text, p_doing text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF p_role IS DISTINCT FROM 'ADMIN' THEN
        PERFORM steward_internal.fail('SW403', format('Only admins %s.', p_doing));
    END IF;
END
$$;

-- Chain ids that are chains, or a refusal naming the first that is not.
CREATE OR REPLACE FUNCTION steward_internal.check_chains(p_chains uuid[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    bad uuid;
BEGIN
    SELECT c INTO bad FROM unnest(p_chains) c
     WHERE NOT EXISTS (SELECT 1 FROM public.accounts a WHERE a.id = c AND a.is_chain) LIMIT 1;
    IF bad IS NOT NULL THEN
        PERFORM steward_internal.invalid(format('%s is not a chain.', bad), jsonb_build_object('chain', 'not a chain'));
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION steward_api.add_user(
    p_login text, p_display_name text, p_role text, p_region text DEFAULT NULL, p_chains uuid[] DEFAULT '{}',
    p_password text DEFAULT NULL, p_adopt_existing_login boolean DEFAULT false, p_context jsonb DEFAULT NULL)
RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me record;
    existing pg_roles;
    v_id uuid;
    v_name text;
    v_created boolean := false;
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    PERFORM steward_internal.require_admin(me.role, 'manage people');
    PERFORM steward_internal.one_of(p_role, 'role', ARRAY['SALES_REP', 'TEAM_LEAD', 'CHAIN_MANAGER', 'ADMIN', 'MODULE']);
    IF p_login IS NULL OR p_login !~ '^[a-z_][a-z0-9_.-]{0,62}$' THEN
        PERFORM steward_internal.invalid('A login is lower-case letters, digits, _ . - (at most 63).',
                                         jsonb_build_object('login', 'must be lower-case letters, digits, _ . -'));
    END IF;
    v_name := coalesce(steward_internal.clean_text(p_display_name, 'display_name', 200, false), p_login);
    IF p_role IN ('SALES_REP', 'TEAM_LEAD') AND p_region IS NULL THEN
        PERFORM steward_internal.invalid(format('A %s needs a region.', lower(replace(p_role, '_', ' '))),
                                         jsonb_build_object('region', 'required'));
    END IF;
    IF p_region IS NOT NULL AND NOT EXISTS (SELECT 1 FROM public.regions WHERE code = p_region) THEN
        PERFORM steward_internal.invalid(format('There is no region ''%s''.', p_region),
                                         jsonb_build_object('region', 'unknown region'));
    END IF;
    IF p_role = 'CHAIN_MANAGER' AND cardinality(coalesce(p_chains, '{}')) = 0 THEN
        PERFORM steward_internal.invalid('A chain manager needs at least one chain.', jsonb_build_object('chain', 'required'));
    END IF;
    PERFORM steward_internal.check_chains(coalesce(p_chains, '{}'));
    IF EXISTS (SELECT 1 FROM public.users WHERE login = p_login) THEN
        PERFORM steward_internal.fail('SW410', format('There is already a user ''%s''.', p_login),
                                      jsonb_build_object('errors', jsonb_build_object('login', 'exists')));
    END IF;

    SELECT * INTO existing FROM pg_roles WHERE rolname = p_login;
    IF FOUND THEN
        IF NOT p_adopt_existing_login THEN
            PERFORM steward_internal.fail('SW410', format(
                'The login %s already exists on this database server and is not a Steward person of this database. '
                'Steward does not take over existing logins; choose another login, or have a superuser adopt this '
                'one explicitly (steward users add --adopt-existing-login).', p_login),
                jsonb_build_object('errors', jsonb_build_object('login', 'exists on the server')));
        END IF;
        IF NOT coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false) THEN
            PERFORM steward_internal.fail('SW403', 'Only a superuser may adopt an existing login.');
        END IF;
        IF existing.rolsuper OR existing.rolbypassrls OR existing.rolcreaterole OR NOT existing.rolcanlogin
           OR p_login LIKE 'steward\_%' OR pg_has_role(p_login, 'steward_daemon', 'MEMBER')
           OR existing.oid = (SELECT datdba FROM pg_database WHERE datname = current_database()) THEN
            PERFORM steward_internal.fail('SW403', format(
                'The login %s cannot be a Steward person: it is a superuser, a group, the daemon, the database '
                'owner, may bypass row-level security or create roles, or cannot log in.', p_login));
        END IF;
        IF p_password IS NOT NULL THEN
            PERFORM steward_internal.invalid('An adopted login keeps its password; set none here.',
                                             jsonb_build_object('password', 'must be empty when adopting a login'));
        END IF;
    ELSE
        IF p_password IS NOT NULL THEN
            EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', p_login, p_password);
        ELSE
            EXECUTE format('CREATE ROLE %I LOGIN', p_login);
        END IF;
        v_created := true;
    END IF;
    EXECUTE format('GRANT %I TO %I', 'steward_' || lower(p_role), p_login);
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), p_login);

    INSERT INTO public.users (login, display_name, role, region, created_login)
    VALUES (p_login, v_name, p_role, p_region, v_created) RETURNING id INTO v_id;
    INSERT INTO public.user_chains (user_id, chain_id) SELECT DISTINCT v_id, c FROM unnest(coalesce(p_chains, '{}')) c;
    PERFORM steward_internal.emit(me.actor, 'user.added', NULL, jsonb_build_object(
        'userId', v_id, 'login', p_login, 'role', p_role, 'region', p_region));
    RETURN v_id;
END
$$;

CREATE OR REPLACE FUNCTION steward_api.set_user_chains(p_login text, p_chains uuid[], p_context jsonb DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me record;
    v_id uuid;
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    PERFORM steward_internal.require_admin(me.role, 'manage people');
    SELECT id INTO v_id FROM public.users WHERE login = p_login;
    IF v_id IS NULL THEN
        PERFORM steward_internal.fail('SW404', format('There is no user ''%s''.', p_login));
    END IF;
    PERFORM steward_internal.check_chains(coalesce(p_chains, '{}'));
    DELETE FROM public.user_chains WHERE user_id = v_id;
    INSERT INTO public.user_chains (user_id, chain_id) SELECT DISTINCT v_id, c FROM unnest(coalesce(p_chains, '{}')) c;
END
$$;

-- A disabled person can no longer log in to this database (CONNECT revoked) and
-- sees nothing even if a session survived (every policy and every API call goes
-- through the active users row). A login this database created is also set
-- NOLOGIN and leaves its group, and its sessions on the whole server are ended:
-- it was Steward's of this database and nobody else's. An adopted login keeps
-- its rights elsewhere; other Steward databases decide by their own users rows.
CREATE OR REPLACE FUNCTION steward_api.disable_user(p_login text, p_context jsonb DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me record;
    u public.users;
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    PERFORM steward_internal.require_admin(me.role, 'manage people');
    SELECT * INTO u FROM public.users WHERE login = p_login FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM steward_internal.fail('SW404', format('There is no user ''%s''.', p_login));
    END IF;
    IF p_login = session_user THEN
        PERFORM steward_internal.invalid('You cannot disable yourself.', jsonb_build_object('login', 'is you'));
    END IF;
    UPDATE public.users SET active = false WHERE id = u.id;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_login) THEN
        EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM %I', current_database(), p_login);
        IF u.created_login THEN
            EXECUTE format('REVOKE %I FROM %I', 'steward_' || lower(u.role), p_login);
            EXECUTE format('ALTER ROLE %I NOLOGIN', p_login);
        END IF;
    END IF;
    BEGIN
        PERFORM pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE usename = p_login AND pid <> pg_backend_pid()
            AND (u.created_login OR datname = current_database());
    EXCEPTION WHEN insufficient_privilege THEN
        NULL;  -- their sessions see nothing anyway
    END;
    PERFORM steward_internal.emit(me.actor, 'user.disabled', NULL, jsonb_build_object('userId', u.id, 'login', p_login));
END
$$;
