-- Who is calling: the person behind session_user, as THIS database's users table says.
--
-- session_user is the login that connected; no SET can change it. Group roles
-- (steward_sales_rep, ...) are cluster-wide and shared by every Steward database
-- on a server, so membership alone decides nothing here: each helper answers only
-- for an active users row of this database with the matching role. A login that
-- is an admin in database B and nobody in database A gets NULL from all of them
-- in A (and no CONNECT on A in the first place, see access.sql).
--
-- They are SECURITY DEFINER because people may not read other rows of `users`
-- through these paths; each returns only the caller's own facts.

-- THE answer to "who is calling", which every helper below asks: the users row of
-- session_user, or, for the HTTP server's login (steward_http), the person whose
-- personal API token the server set for this transaction (`steward.token`,
-- transaction-local; see 30_tokens.sql): a token of this database that hashes to
-- it, not revoked, not expired. The server's login without such a token is
-- nobody, and no person's login can act through a token: a token counts only in
-- the server's own session. At most one row; `active` is the person's, `scope`
-- 'read' or 'write' (a login's own session may write). A set-returning SQL
-- function without settings, so that the helpers' queries inline it.
CREATE OR REPLACE FUNCTION steward_internal.person()
RETURNS TABLE (id uuid, login text, role text, region text, active boolean, scope text)
LANGUAGE sql STABLE AS $$
    SELECT u.id, u.login, u.role, u.region, u.active, 'write'::text
      FROM public.users u
     WHERE u.login = session_user AND session_user <> 'steward_http'
    UNION ALL
    SELECT u.id, u.login, u.role, u.region, u.active, t.scope
      FROM public.api_tokens t JOIN public.users u ON u.id = t.user_id
     WHERE session_user = 'steward_http'
       AND t.token_hash = sha256(convert_to(coalesce(current_setting('steward.token', true), ''), 'UTF8'))
       AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())
$$;

CREATE OR REPLACE FUNCTION public.steward_current_user_id() RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT id FROM steward_internal.person() WHERE active
$$;

CREATE OR REPLACE FUNCTION public.steward_user_role() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT role FROM steward_internal.person() WHERE active
$$;

CREATE OR REPLACE FUNCTION public.steward_user_region() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT region FROM steward_internal.person() WHERE active
$$;

-- Per role, for the policies: NULL unless the caller has that role here.
CREATE OR REPLACE FUNCTION public.steward_is_admin() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM steward_internal.person() WHERE active AND role = 'ADMIN')
$$;

CREATE OR REPLACE FUNCTION public.steward_lead_region() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT region FROM steward_internal.person() WHERE active AND role = 'TEAM_LEAD'
$$;

CREATE OR REPLACE FUNCTION public.steward_rep_id() RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT id FROM steward_internal.person() WHERE active AND role = 'SALES_REP'
$$;

-- The chains a chain manager manages.
CREATE OR REPLACE FUNCTION public.steward_managed_chains() RETURNS uuid[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT coalesce(array_agg(uc.chain_id), '{}')
      FROM public.user_chains uc JOIN steward_internal.person() p ON p.id = uc.user_id
     WHERE p.active AND p.role = 'CHAIN_MANAGER'
$$;

-- The chains in which a sales rep owns a location: their CHAIN_SHARED siblings
-- are readable. The index on (owner_id, parent_account_id) hands the chains over
-- in order, so the DISTINCT only skips repeats.
CREATE OR REPLACE FUNCTION public.steward_rep_chains() RETURNS uuid[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT coalesce(array_agg(chain), '{}')
      FROM (SELECT DISTINCT a.parent_account_id AS chain
              FROM public.accounts a
             WHERE a.owner_id = public.steward_rep_id() AND a.parent_account_id IS NOT NULL) AS chains
$$;

-- The headless daemon's login (services/service_layer/events), a system account.
CREATE OR REPLACE FUNCTION public.steward_is_daemon() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT pg_has_role(session_user, 'steward_daemon', 'MEMBER')
$$;

-- The same for the triggers, which run as the owner already: an inlinable function,
-- where a SECURITY DEFINER one costs a function call with its own settings per row.
CREATE OR REPLACE FUNCTION steward_internal.session_user_id() RETURNS uuid
LANGUAGE sql STABLE AS $$
    SELECT id FROM steward_internal.person() WHERE active
$$;

-- The schema owner or a superuser: migrations, bulk loads, tests that say so.
CREATE OR REPLACE FUNCTION steward_internal.is_system() RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT coalesce((SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = session_user), false)
        OR pg_has_role(session_user, (SELECT datdba FROM pg_database WHERE datname = current_database()), 'MEMBER')
$$;

-- The caller for the write API: a person's users row; the owner and the daemon
-- act as the system with an admin's reach. NULL role: nobody we know.
CREATE OR REPLACE FUNCTION steward_internal.caller(
    OUT user_id uuid, OUT role text, OUT region text, OUT actor jsonb, OUT active boolean, OUT scope text)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    u record;
BEGIN
    SELECT * INTO u FROM steward_internal.person();
    IF FOUND THEN
        user_id := u.id; role := u.role; region := u.region; active := u.active; scope := u.scope;
        actor := jsonb_build_object('type', 'user', 'id', u.id::text);
    ELSIF session_user = 'steward_http' THEN
        NULL;  -- the HTTP server without a valid token: nobody
    ELSIF steward_internal.is_system() THEN
        role := 'ADMIN'; active := true; scope := 'write';
        actor := jsonb_build_object('type', 'system', 'id', session_user::text);
    ELSIF public.steward_is_daemon() THEN
        role := 'ADMIN'; active := true; scope := 'write';
        actor := jsonb_build_object('type', 'service', 'id', 'steward-daemon');
    END IF;
END
$$;

-- The caller, or a refusal for a disabled person and for a login that is nobody here.
CREATE OR REPLACE FUNCTION steward_internal.whoami(
    OUT user_id uuid, OUT role text, OUT region text, OUT actor jsonb, OUT scope text)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    c record;
BEGIN
    SELECT * INTO c FROM steward_internal.caller();
    IF c.role IS NULL AND session_user = 'steward_http' THEN
        PERFORM steward_internal.fail('SW403',
            'The HTTP server acts only for a person with a valid API token, and this request has none.');
    END IF;
    IF c.role IS NULL THEN
        PERFORM steward_internal.fail('SW403', format(
            'The database login %s is not a Steward user of this database. An admin adds people with `steward users add`.',
            session_user));
    END IF;
    IF NOT c.active THEN
        PERFORM steward_internal.fail('SW403', format('The Steward user %s is disabled.',
                                                      (SELECT p.login FROM steward_internal.person() p)));
    END IF;
    user_id := c.user_id; role := c.role; region := c.region; actor := c.actor; scope := c.scope;
END
$$;

-- Whether someone with this role may change this customer. The one statement of
-- the write rules of "Access for chains"; the read rules are the policies in access.sql.
CREATE OR REPLACE FUNCTION steward_internal.may_write(p_role text, p_user uuid, p_region text, a public.accounts)
RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT CASE p_role
               WHEN 'ADMIN' THEN true
               WHEN 'TEAM_LEAD' THEN a.region = p_region
               WHEN 'CHAIN_MANAGER' THEN coalesce(a.parent_account_id, a.id)
                                         IN (SELECT uc.chain_id FROM public.user_chains uc WHERE uc.user_id = p_user)
               WHEN 'SALES_REP' THEN a.owner_id = p_user
               ELSE false
           END
$$;

-- For clients that want to show a row read-only before anyone tries to save it.
CREATE OR REPLACE FUNCTION public.steward_can_write(p_customer uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT coalesce((SELECT c.active AND steward_internal.may_write(c.role, c.user_id, c.region, a)
                       FROM public.accounts a, steward_internal.caller() c
                      WHERE a.id = p_customer), false)
$$;

-- Contract and price fields (restricted in the field catalog).
CREATE OR REPLACE FUNCTION public.steward_may_write_restricted() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT coalesce((SELECT c.active AND c.role IN ('CHAIN_MANAGER', 'ADMIN') FROM steward_internal.caller() c), false)
$$;

-- Lock a customer the caller may change, for the rest of the transaction, and
-- return its row. Writers of one customer are serialised here (the projection's
-- triggers rely on it). The rule is checked before the lock as well, so that a
-- refused call cannot leave someone else's customer locked in an open transaction.
CREATE OR REPLACE FUNCTION steward_internal.lock_writable(
    p_customer uuid, p_user uuid, p_role text, p_region text, p_doing text)
RETURNS public.accounts
LANGUAGE plpgsql AS $$
DECLARE
    a public.accounts;
BEGIN
    SELECT * INTO a FROM public.accounts WHERE id = p_customer;
    IF NOT FOUND THEN
        PERFORM steward_internal.fail('SW404', format('Customer %s does not exist or is not visible to you.', p_customer));
    END IF;
    IF steward_internal.may_write(p_role, p_user, p_region, a) THEN
        SELECT * INTO a FROM public.accounts WHERE id = p_customer FOR NO KEY UPDATE;
        IF FOUND AND steward_internal.may_write(p_role, p_user, p_region, a) THEN
            RETURN a;
        END IF;
    END IF;
    -- Whether the caller may at least read it is the policies' to say: the service
    -- layer asks them, so the message names "not visible" or "not yours" correctly.
    PERFORM steward_internal.fail('SW403', format('You may not %s.', p_doing),
                                  jsonb_build_object('customer_id', p_customer, 'doing', p_doing));
    RETURN NULL;
END
$$;
