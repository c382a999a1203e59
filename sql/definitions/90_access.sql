-- Who reads and changes what, enforced by PostgreSQL itself: every grant and
-- every row-level security policy of the schema, in one place. Applied after all
-- other definitions, on every upgrade: it first takes every privilege and policy
-- away, then gives exactly what is written here (tests/security/privileges.txt
-- is the reviewed list of what results; a new grant shows up there).
--
-- People log in with their own roles, each a member of one group role per
-- Steward role (steward_sales_rep, steward_team_lead, steward_chain_manager,
-- steward_admin; all members of steward_person).
--   * They READ through row-level security keyed to session_user through this
--     database's users table (01_identity.sql): the policies are per group role,
--     so the planner sees a plain predicate (owner_id = $1, region = $1) it can
--     serve from an index, and each helper answers only for the matching role of
--     an active users row here.
--   * They WRITE only through the functions of steward_api, which enforce access,
--     the workflow, valid values, owners and chains, and write the audit history
--     and the outbox themselves. No table is theirs to change directly: a role that
--     may UPDATE a table may also LOCK it and stall everyone else.
--   * Group roles are cluster-wide; a Steward database lets in only its own
--     people (CONNECT is not PUBLIC's), so the people of another Steward database
--     on the same server cannot even connect here.
-- The daemon logs in as steward_daemon (a system account) and keeps the
-- projection, the KPI aggregates and the event tables; its business writes go
-- through steward_api as well.

-- ------------------------------------------------------- the database

DO $$
DECLARE
    login text;
    is_super boolean := (SELECT rolsuper FROM pg_roles WHERE rolname = current_user);
BEGIN
    EXECUTE format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO steward_daemon', current_database());
    -- The HTTP server's login: nobody until a request's token names a person (30_tokens.sql).
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO steward_http', current_database());
    FOR login IN SELECT u.login FROM public.users u JOIN pg_roles r ON r.rolname = u.login WHERE u.active LOOP
        EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), login);
    END LOOP;
    FOR login IN SELECT u.login FROM public.users u JOIN pg_roles r ON r.rolname = u.login WHERE NOT u.active LOOP
        EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM %I', current_database(), login);
    END LOOP;
    -- Large objects live outside every table; nobody here needs them. Their
    -- functions are the superuser's to revoke (a per-database catalog).
    IF is_super THEN
        REVOKE EXECUTE ON FUNCTION pg_catalog.lo_create(oid), pg_catalog.lo_creat(integer),
               pg_catalog.lo_from_bytea(oid, bytea), pg_catalog.lo_import(text), pg_catalog.lo_import(text, oid),
               pg_catalog.lo_put(oid, bigint, bytea), pg_catalog.lowrite(integer, bytea)
          FROM PUBLIC;
    END IF;
END
$$;

REVOKE CREATE ON SCHEMA public FROM PUBLIC;
REVOKE ALL ON SCHEMA steward_api, steward_internal, steward_pack FROM PUBLIC;
REVOKE ALL ON SCHEMA steward_api FROM steward_module, steward_http;
GRANT USAGE ON SCHEMA steward_api TO steward_person, steward_daemon;

-- ------------------------------------------------------- tables

REVOKE ALL ON ALL TABLES IN SCHEMA public
  FROM PUBLIC, steward_person, steward_sales_rep, steward_team_lead, steward_chain_manager, steward_admin,
       steward_daemon, steward_inbox_writer, steward_module, steward_http;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public
  FROM PUBLIC, steward_person, steward_sales_rep, steward_team_lead, steward_chain_manager, steward_admin,
       steward_daemon, steward_inbox_writer, steward_module, steward_http;

-- Whether the schema is current: every login asks before it starts.
GRANT SELECT ON public._yoyo_migration, public.steward_schema_state TO PUBLIC;

-- Reference data, and who is who (names of owners in the grid).
GRANT SELECT ON public.regions, public.field_catalog, public.activity_kinds, public.products, public.sample_kits,
                public.sample_kit_items, public.sample_statuses, public.sample_transitions, public.business_holidays,
                public.contact_role_types, public.pack_info, public.users, public.user_chains
   TO steward_person, steward_daemon;

-- Business data: read through the policies below.
GRANT SELECT ON public.accounts, public.contacts, public.contact_roles, public.field_values, public.field_history,
                public.cm_customer_hot_proj, public.cm_customer_words, public.sample_request, public.sample_item,
                public.sample_status_history, public.activities, public.slas, public.roi_scenarios,
                public.event_outbox
   TO steward_person;
GRANT SELECT ON public.saved_views TO steward_person;
-- API tokens: listed without their hashes (steward_api.create_token / revoke_token write them).
GRANT SELECT (id, user_id, prefix, label, scope, created_at, created_by, expires_at, revoked_at, revoked_by,
              last_used_at) ON public.api_tokens TO steward_person;

-- A person's own change sets (their bulk changes, for the history and undo).
GRANT SELECT ON public.change_sets, public.change_set_items TO steward_person;
-- Pairs dismissed as "not a duplicate" (steward_api.dismiss_duplicate writes them).
GRANT SELECT ON public.duplicate_dismissals TO steward_person;

-- The cockpit's aggregates.
GRANT SELECT ON public.kpi_sample_outcomes_daily, public.kpi_commitments_daily, public.kpi_slas_daily,
                public.kpi_roi_pipeline, public.kpi_region_daily, public.kpi_region_pipeline, public.kpi_state,
                public.kpi_slices
   TO steward_person;

-- Admins run `steward events` (status, replay, redrive, ingest) as themselves.
GRANT SELECT, INSERT, UPDATE ON public.event_inbox, public.event_dead_letters, public.consumer_checkpoints
   TO steward_admin;
GRANT SELECT ON public.daemon_jobs, public.hot_projection_staleness, public.hot_projection_drifted TO steward_admin;

-- Operations (40_operations.sql .. 43_legacy.sql): what `steward health` reads, the
-- audit of backups, retention runs and privacy requests, the legacy moves. Changed
-- only through steward_api (admins) or by the owner; nobody updates or deletes audit rows.
GRANT SELECT ON public.daemon_heartbeats, public.backup_runs, public.retention_runs, public.privacy_requests,
                public.legacy_moves, public.legacy_links, public.legacy_refusals
   TO steward_admin;
-- Admins see what the legacy schema holds (its names; reading a legacy table itself goes
-- through steward_api.legacy_rows) and read the read views of legacy moves.
GRANT USAGE ON SCHEMA legacy TO steward_admin;
-- The archive (retention) and the sample metrics, read like the live tables.
GRANT SELECT ON public.sample_request_archive, public.sample_item_archive, public.sample_status_history_archive,
                public.activities_archive, public.slas_archive, public.sample_metrics_daily
   TO steward_person;

-- Other modules may only add envelopes to the inbox; the rest of a row is the server's.
GRANT INSERT (envelope) ON public.event_inbox TO steward_inbox_writer;

-- The inbox's and dead letters' positions come from functions that ask first: the
-- group roles are cluster-wide, and USAGE on the sequences would let a member who is
-- nobody here (an admin of another Steward database) draw positions from them.
CREATE OR REPLACE FUNCTION public.event_inbox_next_position() RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NOT (public.steward_is_admin() OR public.steward_is_daemon() OR steward_internal.is_system()
            OR pg_has_role(session_user, 'steward_inbox_writer', 'MEMBER')) THEN
        RAISE EXCEPTION 'only admins, the daemon and other modules add inbound events'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN nextval('public.event_inbox_position_seq'::regclass);
END
$$;

CREATE OR REPLACE FUNCTION public.event_dead_letters_next_id() RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NOT (public.steward_is_admin() OR public.steward_is_daemon() OR steward_internal.is_system()) THEN
        RAISE EXCEPTION 'only admins and the daemon record dead letters' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN nextval('public.event_dead_letters_id_seq'::regclass);
END
$$;

ALTER TABLE public.event_inbox ALTER COLUMN position SET DEFAULT public.event_inbox_next_position();
ALTER TABLE public.event_dead_letters ALTER COLUMN id SET DEFAULT public.event_dead_letters_next_id();

-- The daemon reads everything and keeps what it maintains. It locks accounts
-- FOR SHARE while it repairs the projection, which PostgreSQL allows only to a
-- role that may update some column: updated_at is that column.
GRANT SELECT ON ALL TABLES IN SCHEMA public TO steward_daemon;
REVOKE SELECT ON public.api_tokens FROM steward_daemon;   -- not even the hashes
GRANT UPDATE (updated_at) ON public.accounts TO steward_daemon;
GRANT SELECT, INSERT, UPDATE, DELETE ON public.cm_customer_hot_proj, public.cm_customer_words,
      public.event_outbox, public.event_inbox, public.event_dead_letters, public.consumer_checkpoints,
      public.daemon_jobs, public.daemon_heartbeats
   TO steward_daemon;
GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON public.kpi_sample_outcomes_daily, public.kpi_commitments_daily,
      public.kpi_slas_daily, public.kpi_roi_pipeline, public.kpi_region_daily, public.kpi_region_pipeline,
      public.kpi_customer_facts, public.kpi_customer_slices, public.kpi_state
   TO steward_daemon;

-- ------------------------------------------------------- functions

REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public, steward_api, steward_internal, steward_pack
  FROM PUBLIC, steward_person, steward_sales_rep, steward_team_lead, steward_chain_manager, steward_admin,
       steward_daemon, steward_inbox_writer, steward_module, steward_http;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA steward_api TO steward_person, steward_daemon;
-- Module accounts post inbound events and nothing else (their own login or a token).
GRANT USAGE ON SCHEMA steward_api TO steward_module;
GRANT EXECUTE ON FUNCTION steward_api.receive_event(jsonb, text, jsonb) TO steward_module;
-- The HTTP server's login checks a request's token (and has no other privilege of its own).
GRANT EXECUTE ON FUNCTION public.steward_token_person(text) TO steward_http;
-- What the policies and a person's own queries call.
GRANT EXECUTE ON FUNCTION public.steward_current_user_id(), public.steward_user_role(), public.steward_user_region(),
      public.steward_is_admin(), public.steward_lead_region(), public.steward_rep_id(),
      public.steward_managed_chains(), public.steward_rep_chains(), public.steward_is_daemon(),
      public.steward_can_write(uuid), public.steward_may_write_restricted(),
      public.kpi_key(uuid), public.kpi_day(timestamptz), public.kpi_day_start(date), public.kpi_facts(date, date),
      public.kpi_pending_since(text[]),
      public.search_fold(text), public.search_transliterate(text), public.search_vector(text, text)
   TO steward_person, steward_daemon;
-- The projection's truth and drift, for the daemon that checks and repairs it; the
-- pack's functions of hot columns (decision makers, ...) are part of that truth.
GRANT EXECUTE ON FUNCTION public.hot_projection_truth(uuid, uuid, uuid[]), public.hot_projection_drift(uuid, uuid, uuid[]),
      public.hot_words_truth(uuid, uuid)
   TO steward_daemon;
GRANT USAGE ON SCHEMA steward_pack TO steward_daemon;
DO $$
DECLARE
    f regprocedure;
BEGIN
    -- The immutable ones: functions of a value, as hot columns use them; not the hooks.
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
              WHERE p.pronamespace = 'steward_pack'::regnamespace AND p.provolatile = 'i' LOOP
        EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO steward_daemon', f);
    END LOOP;
END
$$;
GRANT EXECUTE ON FUNCTION public.event_outbox_horizon() TO steward_daemon, steward_admin;
-- The desktop's backup reminder, for everyone on this database.
GRANT EXECUTE ON FUNCTION public.steward_last_backup() TO steward_person, steward_daemon;
-- The read view of a legacy move (legacy.<name>_current, 43_legacy.sql) calls this; admins
-- read the view, and the admin grants both to the legacy readers' login.
GRANT EXECUTE ON FUNCTION public.steward_legacy_values(text, uuid) TO steward_admin;
-- Whoever writes inbox rows computes their event_id column (0020) and their position.
GRANT EXECUTE ON FUNCTION public.inbox_event_id(jsonb), public.event_inbox_next_position()
   TO steward_daemon, steward_admin, steward_inbox_writer;
GRANT EXECUTE ON FUNCTION public.event_dead_letters_next_id() TO steward_daemon, steward_admin;

-- ------------------------------------------------------- policies

-- Start from none, so a policy dropped here is gone from every database.
DO $$
DECLARE
    p record;
BEGIN
    FOR p IN SELECT policyname, tablename FROM pg_policies WHERE schemaname = 'public' LOOP
        EXECUTE format('DROP POLICY %I ON public.%I', p.policyname, p.tablename);
    END LOOP;
END
$$;

-- Accounts and the projection: one policy per role, on their own columns.
ALTER TABLE public.accounts ENABLE ROW LEVEL SECURITY;
CREATE POLICY admin_read ON public.accounts FOR SELECT TO steward_admin USING ((SELECT public.steward_is_admin()));
CREATE POLICY team_lead_region ON public.accounts FOR SELECT TO steward_team_lead
    USING (region = (SELECT public.steward_lead_region()));
CREATE POLICY chain_manager_chain ON public.accounts FOR SELECT TO steward_chain_manager
    USING (id = ANY ((SELECT public.steward_managed_chains())::uuid[])
           OR parent_account_id = ANY ((SELECT public.steward_managed_chains())::uuid[]));
-- A rep's ~1,000 chains: `IN (SELECT unnest(...))` is one hashed lookup per row,
-- where `= ANY` of a run-time array would search the array linearly.
CREATE POLICY sales_rep_read ON public.accounts FOR SELECT TO steward_sales_rep
    USING (owner_id = (SELECT public.steward_rep_id())
           OR (coverage_policy = 'CHAIN_SHARED' AND parent_account_id IN (SELECT unnest(public.steward_rep_chains()))));

ALTER TABLE public.cm_customer_hot_proj ENABLE ROW LEVEL SECURITY;
CREATE POLICY admin_read ON public.cm_customer_hot_proj FOR SELECT TO steward_admin
    USING ((SELECT public.steward_is_admin()));
CREATE POLICY team_lead_region ON public.cm_customer_hot_proj FOR SELECT TO steward_team_lead
    USING (region = (SELECT public.steward_lead_region()));
CREATE POLICY chain_manager_chain ON public.cm_customer_hot_proj FOR SELECT TO steward_chain_manager
    USING (chain_id = ANY ((SELECT public.steward_managed_chains())::uuid[]));
CREATE POLICY sales_rep_read ON public.cm_customer_hot_proj FOR SELECT TO steward_sales_rep
    USING (owner_id = (SELECT public.steward_rep_id())
           OR (shared AND NOT is_chain AND chain_id IN (SELECT unnest(public.steward_rep_chains()))));

-- A person reads a customer's search words exactly where they read its
-- projection row. Team leads (who walk these rows) by the same rule as there, on
-- the row itself; the others through the projection's own policies. OFFSET 0
-- keeps that one probe per row read: without it PostgreSQL may first hash every
-- projection row the person may read (180,000 for a team lead, 35 ms a statement).
ALTER TABLE public.cm_customer_words ENABLE ROW LEVEL SECURITY;
CREATE POLICY admin_read ON public.cm_customer_words FOR SELECT TO steward_admin
    USING ((SELECT public.steward_is_admin()));
CREATE POLICY team_lead_region ON public.cm_customer_words FOR SELECT TO steward_team_lead
    USING (region = (SELECT public.steward_lead_region()));
CREATE POLICY through_projection ON public.cm_customer_words FOR SELECT TO steward_sales_rep, steward_chain_manager
    USING (EXISTS (SELECT 1 FROM public.cm_customer_hot_proj p
                    WHERE p.customer_id = cm_customer_words.customer_id OFFSET 0));

-- Tables below an account are readable with the account (its policies apply
-- inside the EXISTS): one primary-key probe per row. (Written as `IN (SELECT id
-- FROM accounts)` PostgreSQL hashed every readable account first.)
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['field_values', 'field_history', 'sample_request', 'activities', 'slas',
                             'roi_scenarios', 'event_outbox']
    LOOP
        EXECUTE format('ALTER TABLE public.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY person_read ON public.%I FOR SELECT TO steward_person
                            USING (EXISTS (SELECT 1 FROM public.accounts a WHERE a.id = %I.customer_id))', t, t);
    END LOOP;
END
$$;
-- Events that name no customer (people added or disabled) are the admins'.
CREATE POLICY admin_read ON public.event_outbox FOR SELECT TO steward_admin USING ((SELECT public.steward_is_admin()));

-- The archive: readable with the customer, as the live tables are.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['sample_request_archive', 'activities_archive', 'slas_archive'] LOOP
        EXECUTE format('ALTER TABLE public.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY person_read ON public.%I FOR SELECT TO steward_person
                            USING (EXISTS (SELECT 1 FROM public.accounts a WHERE a.id = %I.customer_id))', t, t);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['sample_item_archive', 'sample_status_history_archive'] LOOP
        EXECUTE format('ALTER TABLE public.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY person_read ON public.%I FOR SELECT TO steward_person
                            USING (EXISTS (SELECT 1 FROM public.sample_request_archive s WHERE s.id = %I.sample_id))', t, t);
    END LOOP;
END
$$;

ALTER TABLE public.sample_item ENABLE ROW LEVEL SECURITY;
CREATE POLICY person_read ON public.sample_item FOR SELECT TO steward_person
    USING (EXISTS (SELECT 1 FROM public.sample_request s WHERE s.id = sample_item.sample_id));

ALTER TABLE public.sample_status_history ENABLE ROW LEVEL SECURITY;
CREATE POLICY person_read ON public.sample_status_history FOR SELECT TO steward_person
    USING (EXISTS (SELECT 1 FROM public.sample_request s WHERE s.id = sample_status_history.sample_id));

ALTER TABLE public.contact_roles ENABLE ROW LEVEL SECURITY;
CREATE POLICY person_read ON public.contact_roles FOR SELECT TO steward_person
    USING (EXISTS (SELECT 1 FROM public.accounts a WHERE a.id = contact_roles.account_id));

-- A contact is visible through a role at a visible account.
ALTER TABLE public.contacts ENABLE ROW LEVEL SECURITY;
CREATE POLICY person_read ON public.contacts FOR SELECT TO steward_person
    USING (EXISTS (SELECT 1 FROM public.contact_roles r WHERE r.contact_id = contacts.id));

-- Who is who, and how current the cockpit is: for the people of this database.
ALTER TABLE public.users ENABLE ROW LEVEL SECURITY;
CREATE POLICY people_here ON public.users FOR SELECT TO steward_person
    USING ((SELECT public.steward_current_user_id()) IS NOT NULL);
ALTER TABLE public.kpi_state ENABLE ROW LEVEL SECURITY;
CREATE POLICY people_here ON public.kpi_state FOR SELECT TO steward_person
    USING ((SELECT public.steward_current_user_id()) IS NOT NULL);

-- Change sets: one's own (admins: everyone's), with their items.
ALTER TABLE public.change_sets ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_or_admin ON public.change_sets FOR SELECT TO steward_person
    USING (created_by = (SELECT public.steward_current_user_id()) OR (SELECT public.steward_is_admin()));
ALTER TABLE public.change_set_items ENABLE ROW LEVEL SECURITY;
CREATE POLICY with_its_change_set ON public.change_set_items FOR SELECT TO steward_person
    USING (EXISTS (SELECT 1 FROM public.change_sets c WHERE c.id = change_set_items.change_set_id));

-- Dismissed pairs: those of customers the person reads (a scan leaves them out).
ALTER TABLE public.duplicate_dismissals ENABLE ROW LEVEL SECURITY;
CREATE POLICY of_readable_customers ON public.duplicate_dismissals FOR SELECT TO steward_person
    USING (EXISTS (SELECT 1 FROM public.accounts a WHERE a.id = duplicate_dismissals.customer_a));

-- Which chains a chain manager manages names chains; a person reads their own rows.
ALTER TABLE public.user_chains ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_or_admin ON public.user_chains FOR SELECT TO steward_person
    USING (user_id = (SELECT public.steward_current_user_id()) OR (SELECT public.steward_is_admin()));

-- API tokens: a person lists their own, an admin everyone's.
ALTER TABLE public.api_tokens ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_or_admin ON public.api_tokens FOR SELECT TO steward_person
    USING (user_id = (SELECT public.steward_current_user_id()) OR (SELECT public.steward_is_admin()));

-- Saved views: private to their owner unless shared; a person of this database
-- reads their own and the shared ones (steward_api.save_view and delete_view write them).
ALTER TABLE public.saved_views ENABLE ROW LEVEL SECURITY;
CREATE POLICY read_own_and_shared ON public.saved_views FOR SELECT TO steward_person
    USING ((shared AND (SELECT public.steward_current_user_id()) IS NOT NULL)
           OR owner_id = (SELECT public.steward_current_user_id()));

-- The cockpit's aggregates: the projection's policies, on the aggregates' own columns.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['kpi_sample_outcomes_daily', 'kpi_commitments_daily', 'kpi_slas_daily',
                             'kpi_roi_pipeline']
    LOOP
        EXECUTE format('ALTER TABLE public.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY admin_read ON public.%I FOR SELECT TO steward_admin
                            USING ((SELECT public.steward_is_admin()))', t);
        EXECUTE format('CREATE POLICY team_lead_region ON public.%I FOR SELECT TO steward_team_lead
                            USING (region = (SELECT public.steward_lead_region()))', t);
        EXECUTE format('CREATE POLICY chain_manager_chain ON public.%I FOR SELECT TO steward_chain_manager
                            USING (chain_id = ANY ((SELECT public.steward_managed_chains())::uuid[]))', t);
        EXECUTE format('CREATE POLICY sales_rep_read ON public.%I FOR SELECT TO steward_sales_rep
                            USING (owner_id = (SELECT public.steward_rep_id())
                                   OR (shared AND NOT is_chain
                                       AND chain_id = ANY ((SELECT public.steward_rep_chains())::uuid[])))', t);
    END LOOP;
    -- The region totals: only for whom a whole region is readable.
    FOREACH t IN ARRAY ARRAY['kpi_region_daily', 'kpi_region_pipeline']
    LOOP
        EXECUTE format('ALTER TABLE public.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY admin_read ON public.%I FOR SELECT TO steward_admin
                            USING ((SELECT public.steward_is_admin()))', t);
        EXECUTE format('CREATE POLICY team_lead_region ON public.%I FOR SELECT TO steward_team_lead
                            USING (region = (SELECT public.steward_lead_region()))', t);
    END LOOP;
    -- The operator's tables: an active admin of this database, not any member of the group.
    FOREACH t IN ARRAY ARRAY['event_inbox', 'event_dead_letters', 'consumer_checkpoints', 'daemon_jobs']
    LOOP
        EXECUTE format('ALTER TABLE public.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY admin_all ON public.%I TO steward_admin
                            USING ((SELECT public.steward_is_admin())) WITH CHECK ((SELECT public.steward_is_admin()))', t);
    END LOOP;
    -- Read-only for admins (written through steward_api or by the owner and the daemon).
    FOREACH t IN ARRAY ARRAY['daemon_heartbeats', 'backup_runs', 'retention_runs', 'privacy_requests', 'legacy_moves',
                             'legacy_links', 'legacy_refusals']
    LOOP
        EXECUTE format('ALTER TABLE public.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY admin_read ON public.%I FOR SELECT TO steward_admin
                            USING ((SELECT public.steward_is_admin()))', t);
    END LOOP;
    ALTER TABLE public.bulk_writes ENABLE ROW LEVEL SECURITY;
    -- The daemon maintains all of these (and the KPI ledgers, which only it reads).
    ALTER TABLE public.kpi_customer_facts ENABLE ROW LEVEL SECURITY;
    ALTER TABLE public.kpi_customer_slices ENABLE ROW LEVEL SECURITY;
    FOR t IN SELECT c.relname FROM pg_class c
              WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND c.relrowsecurity
    LOOP
        EXECUTE format('CREATE POLICY daemon_all ON public.%I TO steward_daemon USING (true) WITH CHECK (true)', t);
    END LOOP;
END
$$;

-- Other modules add inbound envelopes, pending, and nothing else.
CREATE POLICY writer_insert ON public.event_inbox FOR INSERT TO steward_inbox_writer WITH CHECK (state = 'pending');
