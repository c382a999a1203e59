-- Access for chains, enforced by PostgreSQL itself.
--
-- Every person logs in with their own role, a member of one group role per
-- Steward role. Row-level security keys every rule to session_user (which no
-- SET can change) through the users table; the policies are per group role, so
-- the planner sees a plain predicate (owner_id = $1, region = $1) it can use an
-- index for. The schema owner (who runs migrations) is not used by people, and
-- the daemon logs in as steward_daemon, which may process everything.

DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['steward_person', 'steward_sales_rep', 'steward_team_lead',
                             'steward_chain_manager', 'steward_admin']
    LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'steward_daemon') THEN
        -- Can log in where the server trusts local logins (embedded, CI); on a
        -- shared server an admin gives it a password (see README).
        CREATE ROLE steward_daemon LOGIN;
    END IF;
END
$$;

GRANT steward_person TO steward_sales_rep, steward_team_lead, steward_chain_manager, steward_admin;

-- ----------------------------------------------------------- who am I

CREATE FUNCTION steward_user_region() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT region FROM users WHERE login = session_user AND active
$$;

CREATE FUNCTION steward_user_role() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT role FROM users WHERE login = session_user AND active
$$;

-- The chains a chain manager manages.
CREATE FUNCTION steward_managed_chains() RETURNS uuid[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT coalesce(array_agg(uc.chain_id), '{}')
      FROM user_chains uc JOIN users u ON u.id = uc.user_id
     WHERE u.login = session_user AND u.active
$$;

-- The chains in which a sales rep owns a location: their CHAIN_SHARED siblings are readable.
CREATE FUNCTION steward_rep_chains() RETURNS uuid[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT coalesce(array_agg(DISTINCT a.parent_account_id), '{}')
      FROM accounts a
     WHERE a.owner_id = steward_current_user_id() AND a.parent_account_id IS NOT NULL
$$;

-- Whether the logged-in person may change this customer (row-wise checks on
-- the tables below accounts; one row per write, so a function is cheap here).
CREATE FUNCTION steward_can_write(p_customer uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT pg_has_role(session_user, 'steward_daemon', 'MEMBER')
        OR EXISTS (
            SELECT 1
              FROM accounts a, users u
             WHERE a.id = p_customer AND u.login = session_user AND u.active
               AND CASE u.role
                       WHEN 'ADMIN' THEN true
                       WHEN 'TEAM_LEAD' THEN a.region = u.region
                       WHEN 'CHAIN_MANAGER' THEN coalesce(a.parent_account_id, a.id)
                                                 IN (SELECT chain_id FROM user_chains WHERE user_id = u.id)
                       WHEN 'SALES_REP' THEN a.owner_id = u.id
                       ELSE false
                   END)
$$;

CREATE FUNCTION steward_may_write_restricted() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT pg_has_role(session_user, 'steward_daemon', 'MEMBER')
        OR EXISTS (SELECT 1 FROM users WHERE login = session_user AND active
                                         AND role IN ('CHAIN_MANAGER', 'ADMIN'))
$$;

-- --------------------------------------------------------- privileges

-- Functions are executable by PUBLIC when created; everything of ours is granted
-- explicitly instead, also what later migrations create.
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC;
GRANT SELECT ON _yoyo_migration TO PUBLIC;

GRANT SELECT ON regions, field_catalog, activity_kinds, products, sample_kits, sample_kit_items,
                users, user_chains TO steward_person, steward_daemon;
GRANT SELECT ON accounts, contacts, contact_roles, field_values, field_history, cm_customer_hot_proj,
                sample_request, sample_item, sample_status_history, activities, slas, roi_scenarios,
                event_outbox TO steward_person;
GRANT INSERT, UPDATE ON accounts TO steward_person;
GRANT INSERT, UPDATE ON contacts TO steward_person;
GRANT INSERT, DELETE ON contact_roles TO steward_person;
GRANT INSERT, UPDATE, DELETE ON field_values TO steward_person;
GRANT INSERT, UPDATE ON sample_request, slas, roi_scenarios TO steward_person;
GRANT INSERT ON sample_item, activities, event_outbox TO steward_person;
GRANT USAGE ON SEQUENCE event_outbox_position_seq TO steward_person, steward_daemon;

GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO steward_daemon;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO steward_daemon;

GRANT EXECUTE ON FUNCTION steward_current_user_id(), steward_user_region(), steward_user_role(),
      steward_managed_chains(), steward_rep_chains(), steward_can_write(uuid),
      steward_may_write_restricted(), hot_decision_maker_count(jsonb), hot_has_exec_alignment(jsonb),
      hot_projection_truth(uuid, uuid, uuid[]), lock_customer(uuid)
      TO steward_person, steward_daemon;

-- ------------------------------------------------------------ policies
-- Accounts and the projection: one policy per role, on their own columns.

ALTER TABLE accounts ENABLE ROW LEVEL SECURITY;
CREATE POLICY admin_all ON accounts TO steward_admin, steward_daemon USING (true) WITH CHECK (true);
CREATE POLICY team_lead_region ON accounts TO steward_team_lead
    USING (region = (SELECT steward_user_region()))
    WITH CHECK (region = (SELECT steward_user_region()));
CREATE POLICY chain_manager_chain ON accounts TO steward_chain_manager
    USING (id = ANY ((SELECT steward_managed_chains())::uuid[]) OR parent_account_id = ANY ((SELECT steward_managed_chains())::uuid[]))
    WITH CHECK (id = ANY ((SELECT steward_managed_chains())::uuid[]) OR parent_account_id = ANY ((SELECT steward_managed_chains())::uuid[]));
CREATE POLICY sales_rep_read ON accounts FOR SELECT TO steward_sales_rep
    USING (owner_id = (SELECT steward_current_user_id())
           OR (coverage_policy = 'CHAIN_SHARED' AND parent_account_id = ANY ((SELECT steward_rep_chains())::uuid[])));
CREATE POLICY sales_rep_insert ON accounts FOR INSERT TO steward_sales_rep
    WITH CHECK (owner_id = (SELECT steward_current_user_id()));
CREATE POLICY sales_rep_update ON accounts FOR UPDATE TO steward_sales_rep
    USING (owner_id = (SELECT steward_current_user_id()))
    WITH CHECK (owner_id = (SELECT steward_current_user_id()));

ALTER TABLE cm_customer_hot_proj ENABLE ROW LEVEL SECURITY;
CREATE POLICY admin_all ON cm_customer_hot_proj TO steward_admin, steward_daemon USING (true) WITH CHECK (true);
CREATE POLICY team_lead_region ON cm_customer_hot_proj FOR SELECT TO steward_team_lead
    USING (region = (SELECT steward_user_region()));
CREATE POLICY chain_manager_chain ON cm_customer_hot_proj FOR SELECT TO steward_chain_manager
    USING (chain_id = ANY ((SELECT steward_managed_chains())::uuid[]));
CREATE POLICY sales_rep_read ON cm_customer_hot_proj FOR SELECT TO steward_sales_rep
    USING (owner_id = (SELECT steward_current_user_id())
           OR (shared AND NOT is_chain AND chain_id = ANY ((SELECT steward_rep_chains())::uuid[])));

-- Tables below an account: readable with the account (its policies apply inside
-- the subquery), writable where steward_can_write says so.

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['field_values', 'field_history', 'sample_request', 'activities', 'slas',
                             'roi_scenarios', 'event_outbox']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY admin_all ON %I TO steward_admin, steward_daemon USING (true) WITH CHECK (true)', t);
        EXECUTE format('CREATE POLICY person_read ON %I FOR SELECT TO steward_person
                            USING (customer_id IN (SELECT id FROM accounts))', t);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['sample_request', 'activities', 'slas', 'roi_scenarios']
    LOOP
        EXECUTE format('CREATE POLICY person_insert ON %I FOR INSERT TO steward_person
                            WITH CHECK (steward_can_write(customer_id))', t);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['sample_request', 'slas', 'roi_scenarios']
    LOOP
        EXECUTE format('CREATE POLICY person_update ON %I FOR UPDATE TO steward_person
                            USING (steward_can_write(customer_id)) WITH CHECK (steward_can_write(customer_id))', t);
    END LOOP;
END
$$;

-- Contract and price fields: only chain managers and admins write them.
CREATE POLICY person_write ON field_values FOR INSERT TO steward_person
    WITH CHECK (steward_can_write(customer_id)
                AND (steward_may_write_restricted()
                     OR field_key NOT IN (SELECT key FROM field_catalog WHERE restricted)));
CREATE POLICY person_update ON field_values FOR UPDATE TO steward_person
    USING (steward_can_write(customer_id))
    WITH CHECK (steward_can_write(customer_id)
                AND (steward_may_write_restricted()
                     OR field_key NOT IN (SELECT key FROM field_catalog WHERE restricted)));
CREATE POLICY person_delete ON field_values FOR DELETE TO steward_person
    USING (steward_can_write(customer_id)
           AND (steward_may_write_restricted()
                OR field_key NOT IN (SELECT key FROM field_catalog WHERE restricted)));

-- A person appends events only for customers they may change, and as themselves.
CREATE POLICY person_append ON event_outbox FOR INSERT TO steward_person
    WITH CHECK (customer_id IS NOT NULL AND steward_can_write(customer_id)
                AND actor = jsonb_build_object('type', 'user', 'id', steward_current_user_id()::text));

ALTER TABLE sample_item ENABLE ROW LEVEL SECURITY;
CREATE POLICY admin_all ON sample_item TO steward_admin, steward_daemon USING (true) WITH CHECK (true);
CREATE POLICY person_read ON sample_item FOR SELECT TO steward_person
    USING (sample_id IN (SELECT id FROM sample_request));
CREATE POLICY person_insert ON sample_item FOR INSERT TO steward_person
    WITH CHECK (steward_can_write((SELECT customer_id FROM sample_request WHERE id = sample_id)));

ALTER TABLE sample_status_history ENABLE ROW LEVEL SECURITY;
CREATE POLICY admin_all ON sample_status_history TO steward_admin, steward_daemon USING (true) WITH CHECK (true);
CREATE POLICY person_read ON sample_status_history FOR SELECT TO steward_person
    USING (sample_id IN (SELECT id FROM sample_request));

ALTER TABLE contact_roles ENABLE ROW LEVEL SECURITY;
CREATE POLICY admin_all ON contact_roles TO steward_admin, steward_daemon USING (true) WITH CHECK (true);
CREATE POLICY person_read ON contact_roles FOR SELECT TO steward_person
    USING (account_id IN (SELECT id FROM accounts));
CREATE POLICY person_write ON contact_roles FOR INSERT TO steward_person
    WITH CHECK (steward_can_write(account_id));
CREATE POLICY person_delete ON contact_roles FOR DELETE TO steward_person
    USING (steward_can_write(account_id));

-- A contact is visible through a role at a visible account. New contacts are
-- inserted without RETURNING (they have no role yet).
ALTER TABLE contacts ENABLE ROW LEVEL SECURITY;
CREATE POLICY admin_all ON contacts TO steward_admin, steward_daemon USING (true) WITH CHECK (true);
CREATE POLICY person_read ON contacts FOR SELECT TO steward_person
    USING (id IN (SELECT contact_id FROM contact_roles));
CREATE POLICY person_insert ON contacts FOR INSERT TO steward_person WITH CHECK (true);
CREATE POLICY person_update ON contacts FOR UPDATE TO steward_person
    USING (id IN (SELECT r.contact_id FROM contact_roles r WHERE steward_can_write(r.account_id)));

-- ----------------------------------------------------- user management

-- Admins manage people without holding CREATEROLE themselves: these run as the
-- schema owner. A login that already exists on the server (another Steward
-- database on the same cluster) is reused.
CREATE FUNCTION steward_add_user(p_login text, p_display_name text, p_role text, p_region text,
                                 p_chains uuid[] DEFAULT '{}', p_password text DEFAULT NULL) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_id uuid;
    v_group text := 'steward_' || lower(p_role);
BEGIN
    IF p_role NOT IN ('SALES_REP', 'TEAM_LEAD', 'CHAIN_MANAGER', 'ADMIN') THEN
        RAISE EXCEPTION 'unknown role %', p_role USING ERRCODE = 'check_violation';
    END IF;
    IF p_login !~ '^[a-z_][a-z0-9_.-]{0,62}$' THEN
        RAISE EXCEPTION 'login % must be lower-case letters, digits, _ . -', p_login USING ERRCODE = 'check_violation';
    END IF;
    IF EXISTS (SELECT 1 FROM users WHERE login = p_login) THEN
        RAISE EXCEPTION 'user % exists already', p_login USING ERRCODE = 'unique_violation';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_login) THEN
        EXECUTE format('CREATE ROLE %I LOGIN', p_login);
    ELSIF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_login AND (rolsuper OR rolbypassrls)) THEN
        RAISE EXCEPTION 'login % is a superuser and cannot be a Steward user', p_login USING ERRCODE = 'check_violation';
    ELSE
        EXECUTE format('ALTER ROLE %I LOGIN', p_login);
    END IF;
    IF p_password IS NOT NULL THEN
        EXECUTE format('ALTER ROLE %I PASSWORD %L', p_login, p_password);
    END IF;
    EXECUTE format('GRANT %I TO %I', v_group, p_login);
    INSERT INTO users (login, display_name, role, region)
    VALUES (p_login, p_display_name, p_role, p_region) RETURNING id INTO v_id;
    INSERT INTO user_chains (user_id, chain_id) SELECT v_id, unnest(p_chains);
    RETURN v_id;
END
$$;

CREATE FUNCTION steward_set_user_chains(p_login text, p_chains uuid[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_id uuid := (SELECT id FROM users WHERE login = p_login);
BEGIN
    IF v_id IS NULL THEN
        RAISE EXCEPTION 'no user %', p_login USING ERRCODE = 'no_data_found';
    END IF;
    DELETE FROM user_chains WHERE user_id = v_id;
    INSERT INTO user_chains (user_id, chain_id) SELECT v_id, unnest(p_chains);
END
$$;

-- A disabled person can no longer log in, and sees nothing even if a session
-- survived (every policy goes through the active users row).
CREATE FUNCTION steward_disable_user(p_login text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    UPDATE users SET active = false WHERE login = p_login;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no user %', p_login USING ERRCODE = 'no_data_found';
    END IF;
    EXECUTE format('ALTER ROLE %I NOLOGIN', p_login);
    BEGIN
        PERFORM pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE usename = p_login AND datname = current_database() AND pid <> pg_backend_pid();
    EXCEPTION WHEN insufficient_privilege THEN
        NULL;  -- their sessions see nothing anyway
    END;
END
$$;

REVOKE ALL ON FUNCTION steward_add_user(text, text, text, text, uuid[], text),
      steward_set_user_chains(text, uuid[]), steward_disable_user(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION steward_add_user(text, text, text, text, uuid[], text),
      steward_set_user_chains(text, uuid[]), steward_disable_user(text) TO steward_admin;
