-- Customers (accounts) and their contacts: the write API.
--
-- Rules of "Access for chains" beyond who may write a row (may_write, 01_identity.sql):
--   * only team leads (of the region), chain managers (of the chain) and admins
--     attach a customer to a chain or change its coverage; the chain must be one
--     the writer may see. Joining a foreign chain would make its shared locations
--     readable, so a sales rep never sets parent_account_id.
--   * an owner is an active person in the writer's scope: a sales rep's customers
--     are their own; a team lead gives them to people of the region; a chain
--     manager to the sales people of the location's region; admins to anyone.
--   * reassigning is for team leads (within the region) and admins.

-- The obsolete guard of 0003b: people no longer update accounts directly.
DROP TRIGGER IF EXISTS accounts_guard_owner_change ON public.accounts;
DROP FUNCTION IF EXISTS public.accounts_guard_owner_change();

CREATE OR REPLACE FUNCTION steward_internal.customer_json(p_id uuid) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
               'id', a.id, 'name', a.name, 'city', a.city, 'region', a.region, 'owner_id', a.owner_id,
               'owner_name', u.display_name, 'is_chain', a.is_chain, 'parent_account_id', a.parent_account_id,
               'chain_name', CASE WHEN a.is_chain THEN a.name ELSE chain.name END,
               'coverage_policy', a.coverage_policy, 'contactability_status', a.contactability_status,
               'alternate_channel_required', a.alternate_channel_required,
               'contactability_reason', a.contactability_reason, 'external_ref', a.external_ref,
               'version', a.master_version, 'created_at', a.created_at, 'updated_at', a.updated_at)
      FROM public.accounts a
      LEFT JOIN public.users u ON u.id = a.owner_id
      LEFT JOIN public.accounts chain ON chain.id = a.parent_account_id
     WHERE a.id = p_id
$$;

-- A person named by id or login.
CREATE OR REPLACE FUNCTION steward_internal.resolve_user(p_ref text, p_field text) RETURNS public.users
LANGUAGE plpgsql STABLE AS $$
DECLARE
    u public.users;
BEGIN
    IF p_ref ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN
        SELECT * INTO u FROM public.users WHERE id = p_ref::uuid;
    ELSE
        SELECT * INTO u FROM public.users WHERE login = p_ref;
    END IF;
    IF NOT FOUND THEN
        PERFORM steward_internal.fail('SW404', format('There is no user ''%s''.', p_ref),
                                      jsonb_build_object('errors', jsonb_build_object(p_field, 'unknown user')));
    END IF;
    IF NOT u.active THEN
        PERFORM steward_internal.invalid(format('User ''%s'' is disabled and cannot own customers.', p_ref),
                                         jsonb_build_object(p_field, 'disabled'));
    END IF;
    RETURN u;
END
$$;

-- The owner a writer may give a customer of p_customer_region, or a refusal.
CREATE OR REPLACE FUNCTION steward_internal.check_owner(
    p_role text, p_user uuid, p_region text, p_owner text, p_customer_region text)
RETURNS uuid
LANGUAGE plpgsql STABLE AS $$
DECLARE
    o public.users;
BEGIN
    IF p_owner IS NULL THEN
        RETURN NULL;
    END IF;
    o := steward_internal.resolve_user(p_owner, 'owner');
    IF p_role = 'SALES_REP' AND o.id <> p_user THEN
        PERFORM steward_internal.fail('SW403', 'A sales rep''s customers are their own; a team lead reassigns them.');
    ELSIF p_role = 'TEAM_LEAD' AND o.region IS DISTINCT FROM p_region THEN
        PERFORM steward_internal.fail('SW403', 'A team lead gives customers only to active people of their own region.',
                                      jsonb_build_object('errors', jsonb_build_object('owner', 'outside your region')));
    ELSIF p_role = 'CHAIN_MANAGER'
          AND (o.role NOT IN ('SALES_REP', 'TEAM_LEAD') OR o.region IS DISTINCT FROM p_customer_region) THEN
        PERFORM steward_internal.fail('SW403', 'A chain manager gives a location only to the sales people of its region.',
                                      jsonb_build_object('errors', jsonb_build_object('owner', 'outside the location''s region')));
    END IF;
    RETURN o.id;
END
$$;

-- The chain a writer may attach a customer to, or a refusal. A chain the writer
-- may not see is reported as missing, so the call reveals nothing about it.
CREATE OR REPLACE FUNCTION steward_internal.check_parent(p_role text, p_user uuid, p_region text, p_parent uuid)
RETURNS public.accounts
LANGUAGE plpgsql STABLE AS $$
DECLARE
    c public.accounts;
BEGIN
    IF p_role = 'SALES_REP' THEN
        PERFORM steward_internal.fail('SW403',
            'Only team leads of the region, chain managers of the chain and admins attach customers to chains.',
            jsonb_build_object('errors', jsonb_build_object('parent_account_id', 'not yours to set')));
    END IF;
    SELECT * INTO c FROM public.accounts WHERE id = p_parent;
    IF NOT FOUND OR (p_role = 'TEAM_LEAD' AND c.region IS DISTINCT FROM p_region)
       OR (p_role = 'CHAIN_MANAGER' AND NOT c.id = ANY (
               SELECT uc.chain_id FROM public.user_chains uc WHERE uc.user_id = p_user)) THEN
        PERFORM steward_internal.fail('SW404', format('Chain %s does not exist or is not visible to you.', p_parent),
                                      jsonb_build_object('errors', jsonb_build_object('parent_account_id', 'unknown chain')));
    END IF;
    IF NOT c.is_chain THEN
        PERFORM steward_internal.invalid('A location''s parent must be a chain.',
                                         jsonb_build_object('parent_account_id', 'is not a chain'));
    END IF;
    RETURN c;
END
$$;

CREATE OR REPLACE FUNCTION steward_internal.regions() RETURNS text[]
LANGUAGE sql STABLE AS $$
    SELECT array_agg(code ORDER BY code) FROM public.regions
$$;

CREATE OR REPLACE FUNCTION steward_internal.check_external_ref(p_ref text, p_customer uuid) RETURNS void
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF p_ref IS NOT NULL AND EXISTS (
           SELECT 1 FROM public.accounts WHERE external_ref = p_ref AND id IS DISTINCT FROM p_customer) THEN
        PERFORM steward_internal.fail('SW410', format('There is already a customer with the external reference %s.', p_ref),
                                      jsonb_build_object('errors', jsonb_build_object('external_ref', 'exists')));
    END IF;
END
$$;

-- ------------------------------------------------------------------ create

CREATE OR REPLACE FUNCTION steward_api.create_customer(
    p_name text, p_region text, p_city text DEFAULT NULL, p_owner text DEFAULT NULL,
    p_is_chain boolean DEFAULT false, p_parent_account_id uuid DEFAULT NULL, p_coverage_policy text DEFAULT NULL,
    p_external_ref text DEFAULT NULL, p_context jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me record;
    v_name text := steward_internal.clean_text(p_name, 'name', 200, true);
    v_city text := steward_internal.clean_text(p_city, 'city', 200, false);
    v_ref text := steward_internal.clean_text(p_external_ref, 'external_ref', 200, false);
    v_chain boolean := coalesce(p_is_chain, false);
    parent public.accounts;
    v_coverage text;
    v_owner uuid;
    v_id uuid;
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    PERFORM steward_internal.one_of(p_region, 'region', steward_internal.regions());
    IF p_coverage_policy IS NOT NULL THEN
        PERFORM steward_internal.one_of(p_coverage_policy, 'coverage_policy', ARRAY['OWNER_ONLY', 'CHAIN_SHARED']);
    END IF;
    IF v_chain AND p_parent_account_id IS NOT NULL THEN
        PERFORM steward_internal.invalid('A chain cannot belong to another chain.',
                                         jsonb_build_object('parent_account_id', 'must be empty for a chain'));
    END IF;

    IF me.role = 'SALES_REP' THEN
        IF v_chain OR p_coverage_policy = 'CHAIN_SHARED' THEN
            PERFORM steward_internal.fail('SW403',
                'Only team leads of the region, chain managers of the chain and admins create chains or share coverage.');
        END IF;
        IF p_region IS DISTINCT FROM me.region THEN
            PERFORM steward_internal.fail('SW403', 'A sales rep creates customers in their own region.',
                                          jsonb_build_object('errors', jsonb_build_object('region', 'not your region')));
        END IF;
    ELSIF me.role = 'TEAM_LEAD' AND p_region IS DISTINCT FROM me.region THEN
        PERFORM steward_internal.fail('SW403', 'A team lead creates customers in their own region.',
                                      jsonb_build_object('errors', jsonb_build_object('region', 'not your region')));
    ELSIF me.role = 'CHAIN_MANAGER' AND (v_chain OR p_parent_account_id IS NULL) THEN
        PERFORM steward_internal.fail('SW403', 'A chain manager adds locations to their own chains; admins create chains.');
    END IF;

    IF p_parent_account_id IS NOT NULL THEN
        parent := steward_internal.check_parent(me.role, me.user_id, me.region, p_parent_account_id);
    END IF;
    v_coverage := coalesce(p_coverage_policy, parent.coverage_policy, 'OWNER_ONLY');
    v_owner := CASE WHEN me.role = 'SALES_REP' AND p_owner IS NULL THEN me.user_id
                    ELSE steward_internal.check_owner(me.role, me.user_id, me.region, p_owner, p_region) END;
    PERFORM steward_internal.check_external_ref(v_ref, NULL);

    INSERT INTO public.accounts (name, city, region, owner_id, is_chain, parent_account_id, coverage_policy, external_ref)
    VALUES (v_name, v_city, p_region, v_owner, v_chain, p_parent_account_id, v_coverage, v_ref)
    RETURNING id INTO v_id;
    PERFORM steward_internal.emit(me.actor, 'customer.created', v_id, jsonb_build_object(
        'customerId', v_id, 'name', v_name, 'city', v_city, 'region', p_region, 'ownerId', v_owner,
        'isChain', v_chain, 'parentAccountId', p_parent_account_id));
    RETURN steward_internal.customer_json(v_id);
END
$$;

-- ------------------------------------------------------------------ update

-- Master data: name, city, region, chain (parent_account_id), coverage_policy,
-- external_ref. With p_if_match (the customer's version), a stale one is refused.
CREATE OR REPLACE FUNCTION steward_api.update_customer(
    p_customer uuid, p_changes jsonb, p_if_match bigint DEFAULT NULL, p_context jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me record;
    a public.accounts;
    n public.accounts;
    unknown text;
    changed jsonb := '{}';
    previous jsonb := '{}';
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    IF jsonb_typeof(p_changes) IS DISTINCT FROM 'object' OR p_changes = '{}' THEN
        PERFORM steward_internal.invalid('Nothing to change: give at least one value.',
                                         jsonb_build_object('changes', 'must not be empty'));
    END IF;
    SELECT k INTO unknown FROM jsonb_object_keys(p_changes) k
     WHERE k NOT IN ('name', 'city', 'region', 'coverage_policy', 'parent_account_id', 'external_ref') LIMIT 1;
    IF unknown IS NOT NULL THEN
        PERFORM steward_internal.invalid(format('''%s'' is not master data of a customer.', unknown),
                                         jsonb_build_object(unknown, 'is not master data'));
    END IF;
    a := steward_internal.lock_writable(p_customer, me.user_id, me.role, me.region, 'change it');
    IF p_if_match IS NOT NULL AND p_if_match <> a.master_version THEN
        PERFORM steward_internal.fail('SW412', 'Someone else changed this customer since you loaded it.',
                                      jsonb_build_object('current_etag', format('"%s"', a.master_version)));
    END IF;

    n := a;
    IF p_changes ? 'name' THEN
        n.name := steward_internal.clean_text(p_changes ->> 'name', 'name', 200, true);
    END IF;
    IF p_changes ? 'city' THEN
        n.city := steward_internal.clean_text(p_changes ->> 'city', 'city', 200, false);
    END IF;
    IF p_changes ? 'external_ref' THEN
        n.external_ref := steward_internal.clean_text(p_changes ->> 'external_ref', 'external_ref', 200, false);
        PERFORM steward_internal.check_external_ref(n.external_ref, a.id);
    END IF;
    IF p_changes ? 'region' THEN
        n.region := steward_internal.one_of(p_changes ->> 'region', 'region', steward_internal.regions());
        IF n.region IS DISTINCT FROM a.region AND me.role <> 'ADMIN' THEN
            PERFORM steward_internal.fail('SW403', 'Only admins move a customer to another region.',
                                          jsonb_build_object('errors', jsonb_build_object('region', 'admins only')));
        END IF;
    END IF;
    IF p_changes ? 'coverage_policy' THEN
        n.coverage_policy := steward_internal.one_of(p_changes ->> 'coverage_policy', 'coverage_policy',
                                                     ARRAY['OWNER_ONLY', 'CHAIN_SHARED']);
    END IF;
    IF p_changes ? 'parent_account_id' THEN
        IF jsonb_typeof(p_changes -> 'parent_account_id') = 'null' THEN
            n.parent_account_id := NULL;
        ELSIF (p_changes ->> 'parent_account_id') !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN
            PERFORM steward_internal.invalid('The chain must be an id.', jsonb_build_object('parent_account_id', 'must be an id (UUID)'));
        ELSE
            n.parent_account_id := (p_changes ->> 'parent_account_id')::uuid;
        END IF;
    END IF;
    IF (n.parent_account_id, n.coverage_policy) IS DISTINCT FROM (a.parent_account_id, a.coverage_policy) THEN
        IF me.role = 'SALES_REP' THEN
            PERFORM steward_internal.fail('SW403',
                'Only team leads of the region, chain managers of the chain and admins change a customer''s chain or coverage.');
        END IF;
        IF n.parent_account_id IS DISTINCT FROM a.parent_account_id THEN
            IF a.is_chain THEN
                PERFORM steward_internal.invalid('A chain cannot belong to another chain.',
                                                 jsonb_build_object('parent_account_id', 'must be empty for a chain'));
            END IF;
            IF n.parent_account_id IS NULL AND me.role = 'CHAIN_MANAGER' THEN
                PERFORM steward_internal.fail('SW403', 'A chain manager keeps locations in their chains.');
            ELSIF n.parent_account_id IS NOT NULL THEN
                PERFORM steward_internal.check_parent(me.role, me.user_id, me.region, n.parent_account_id);
            END IF;
        END IF;
    END IF;

    SELECT coalesce(jsonb_object_agg(o.key, nn.value), '{}'), coalesce(jsonb_object_agg(o.key, o.value), '{}')
      INTO changed, previous
      FROM jsonb_each(to_jsonb(a)) o JOIN jsonb_each(to_jsonb(n)) nn ON nn.key = o.key
     WHERE o.key IN ('name', 'city', 'region', 'coverage_policy', 'parent_account_id', 'external_ref')
       AND o.value IS DISTINCT FROM nn.value;
    IF changed = '{}' THEN
        RETURN steward_internal.customer_json(a.id);
    END IF;

    UPDATE public.accounts
       SET name = n.name, city = n.city, region = n.region, coverage_policy = n.coverage_policy,
           parent_account_id = n.parent_account_id, external_ref = n.external_ref,
           master_version = master_version + 1, updated_at = now()
     WHERE id = a.id;
    IF a.is_chain AND changed ? 'coverage_policy' THEN
        -- A chain's coverage is its locations' coverage.
        UPDATE public.accounts SET coverage_policy = n.coverage_policy, updated_at = now()
         WHERE parent_account_id = a.id AND coverage_policy <> n.coverage_policy;
    END IF;
    PERFORM steward_internal.emit(me.actor, 'customer.updated', a.id, jsonb_build_object(
        'customerId', a.id, 'changes', changed, 'previous', previous, 'version', a.master_version + 1));
    RETURN steward_internal.customer_json(a.id);
END
$$;

-- ---------------------------------------------------------------- reassign

-- One customer to another owner (already checked to be in the caller's scope), inside
-- a write API call; recorded in the change set when there is one.
CREATE OR REPLACE FUNCTION steward_internal.reassign_one(
    p_actor jsonb, p_user uuid, p_role text, p_region text, p_change_set uuid, p_customer uuid, p_owner uuid)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    a public.accounts := steward_internal.lock_writable(p_customer, p_user, p_role, p_region, 'reassign it');
BEGIN
    IF p_owner IS NOT DISTINCT FROM a.owner_id THEN
        RETURN;
    END IF;
    UPDATE public.accounts SET owner_id = p_owner, updated_at = now() WHERE id = a.id;
    IF p_change_set IS NOT NULL THEN
        INSERT INTO public.change_set_items (change_set_id, customer_id, target, key, before, after)
        VALUES (p_change_set, a.id, 'owner', 'owner_id', to_jsonb(a.owner_id), to_jsonb(p_owner));
        UPDATE public.change_sets SET changed = changed + 1 WHERE id = p_change_set;
    END IF;
    PERFORM steward_internal.emit(p_actor, 'customer.reassigned', a.id, jsonb_build_object(
        'customerId', a.id, 'oldOwnerId', a.owner_id, 'newOwnerId', p_owner, 'changeSetId', p_change_set));
END
$$;

DROP FUNCTION IF EXISTS steward_api.reassign_customers(uuid[], text, jsonb);

-- Give customers another owner (team leads within their region, admins anywhere),
-- into a change set when given (a reassignment of several is one). Customers are
-- locked in id order, so two reassignments of overlapping selections cannot deadlock.
-- Returns the customers as they are now.
CREATE OR REPLACE FUNCTION steward_api.reassign_customers(
    p_customers uuid[], p_owner text, p_change_set uuid DEFAULT NULL, p_context jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me record;
    a public.accounts;
    v_id uuid;
    result jsonb := '[]';
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    IF me.role NOT IN ('TEAM_LEAD', 'ADMIN') THEN
        PERFORM steward_internal.fail('SW403', 'Only team leads and admins may reassign customers.');
    END IF;
    IF p_owner IS NULL THEN
        PERFORM steward_internal.invalid('Name the new owner.', jsonb_build_object('owner', 'required'));
    END IF;
    IF p_change_set IS NOT NULL THEN
        PERFORM steward_internal.open_change_set(p_change_set, me.user_id);
    END IF;
    FOR v_id IN SELECT DISTINCT c FROM unnest(p_customers) c WHERE c IS NOT NULL ORDER BY 1 LOOP
        SELECT * INTO a FROM public.accounts WHERE id = v_id;
        PERFORM steward_internal.reassign_one(me.actor, me.user_id, me.role, me.region, p_change_set, v_id,
                                              steward_internal.check_owner(me.role, me.user_id, me.region, p_owner, a.region));
        result := result || jsonb_build_array(steward_internal.customer_json(v_id));
    END LOOP;
    RETURN result;
END
$$;

-- ---------------------------------------------------------- contactability

-- How the customer can be reached, and why. With p_only_from, only a customer
-- whose status is one of those changes (an e-mail bounce never overrides
-- "do not contact", decided under the customer's lock).
CREATE OR REPLACE FUNCTION steward_api.set_contactability(
    p_customer uuid, p_status text, p_alternate_channel_required boolean DEFAULT NULL, p_reason text DEFAULT NULL,
    p_only_from text[] DEFAULT NULL, p_context jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me record;
    a public.accounts;
    v_alternate boolean := coalesce(p_alternate_channel_required, p_status = 'HARD_BOUNCE');
    v_reason text := steward_internal.clean_text(p_reason, 'reason', 500, false);
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    PERFORM steward_internal.one_of(p_status, 'status', ARRAY['OK', 'SOFT_BOUNCE', 'HARD_BOUNCE', 'DO_NOT_CONTACT']);
    a := steward_internal.lock_writable(p_customer, me.user_id, me.role, me.region, 'change how it is contacted');
    IF (p_only_from IS NULL OR a.contactability_status = ANY (p_only_from))
       AND (a.contactability_status, a.alternate_channel_required, a.contactability_reason)
           IS DISTINCT FROM (p_status, v_alternate, v_reason) THEN
        UPDATE public.accounts
           SET contactability_status = p_status, alternate_channel_required = v_alternate,
               contactability_reason = v_reason, updated_at = now()
         WHERE id = a.id;
        PERFORM steward_internal.emit(me.actor, 'customer.contactability.changed', a.id, jsonb_build_object(
            'customerId', a.id, 'status', p_status, 'previousStatus', a.contactability_status,
            'alternateChannelRequired', v_alternate, 'reason', v_reason));
    END IF;
    RETURN steward_internal.customer_json(a.id);
END
$$;

-- ---------------------------------------------------------------- contacts

CREATE OR REPLACE FUNCTION steward_internal.contact_json(p_contact uuid, p_customer uuid) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
               'id', c.id, 'full_name', c.full_name, 'email', c.email, 'phone', c.phone,
               'do_not_contact', c.do_not_contact,
               'roles', coalesce((SELECT jsonb_agg(r.role ORDER BY r.role) FROM public.contact_roles r
                                   WHERE r.contact_id = c.id AND r.account_id = p_customer), '[]'))
      FROM public.contacts c
     WHERE c.id = p_contact
$$;

CREATE OR REPLACE FUNCTION steward_internal.check_contact_roles(p_roles text[]) RETURNS text[]
LANGUAGE plpgsql STABLE AS $$
DECLARE
    known text[] := ARRAY(SELECT code FROM public.contact_role_types ORDER BY sort_order, code);
    bad text;
BEGIN
    IF p_roles IS NULL OR cardinality(p_roles) = 0 THEN
        PERFORM steward_internal.invalid('Give the contact at least one role.', jsonb_build_object('roles', 'required'));
    END IF;
    SELECT r INTO bad FROM unnest(p_roles) r WHERE r IS NULL OR NOT r = ANY (known) LIMIT 1;
    IF FOUND THEN
        PERFORM steward_internal.invalid(format('''%s'' is not a contact role.', bad),
                                         jsonb_build_object('roles', 'must be one of ' || array_to_string(known, ', ')));
    END IF;
    RETURN ARRAY(SELECT DISTINCT r FROM unnest(p_roles) r ORDER BY 1);
END
$$;

-- What is wrong with a contact as a bulk write (the legacy back-fill, an import) gives it,
-- {"full_name", "email", "phone", "roles"}: (detail, reason) each, none when it is sound. The
-- rules of add_contact, set-based.
CREATE OR REPLACE FUNCTION steward_internal.contact_problems(p_contact jsonb)
RETURNS TABLE (problem text, reason text)
LANGUAGE sql STABLE AS $$
    SELECT 'full_name', 'must not be empty' WHERE coalesce(btrim(p_contact ->> 'full_name'), '') = ''
    UNION ALL
    SELECT 'full_name', 'must be at most 200 characters' WHERE length(p_contact ->> 'full_name') > 200
    UNION ALL
    SELECT 'email', 'must be an e-mail address'
     WHERE p_contact ->> 'email' IS NOT NULL
       AND (p_contact ->> 'email' !~ '^[^@\s]+@[^@\s]+$' OR length(p_contact ->> 'email') > 320)
    UNION ALL
    SELECT 'phone', 'must be at most 40 characters' WHERE length(p_contact ->> 'phone') > 40
    UNION ALL
    SELECT 'roles', 'unknown contact role'
     WHERE jsonb_typeof(p_contact -> 'roles') IS DISTINCT FROM 'array'
        OR jsonb_array_length(p_contact -> 'roles') = 0
        OR EXISTS (SELECT 1 FROM jsonb_array_elements_text(p_contact -> 'roles') x
                    WHERE x NOT IN (SELECT code FROM public.contact_role_types))
$$;

-- A contact the caller may change: one holding a role at a customer they may change.
CREATE OR REPLACE FUNCTION steward_internal.writable_contact(p_contact uuid, p_user uuid, p_role text, p_region text)
RETURNS public.contacts
LANGUAGE plpgsql AS $$
DECLARE
    c public.contacts;
BEGIN
    SELECT * INTO c FROM public.contacts WHERE id = p_contact;
    IF NOT FOUND OR NOT (p_role = 'ADMIN' OR EXISTS (
           SELECT 1 FROM public.contact_roles r JOIN public.accounts a ON a.id = r.account_id
            WHERE r.contact_id = p_contact AND steward_internal.may_write(p_role, p_user, p_region, a))) THEN
        PERFORM steward_internal.fail('SW404', format('Contact %s does not exist or is not yours to change.', p_contact),
                                      jsonb_build_object('errors', jsonb_build_object('contact_id', 'unknown contact')));
    END IF;
    SELECT * INTO c FROM public.contacts WHERE id = p_contact FOR UPDATE;
    RETURN c;
END
$$;

CREATE OR REPLACE FUNCTION steward_api.add_contact(
    p_customer uuid, p_full_name text, p_roles text[], p_email text DEFAULT NULL, p_phone text DEFAULT NULL,
    p_context jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me record;
    v_name text := steward_internal.clean_text(p_full_name, 'full_name', 200, true);
    v_email text := steward_internal.clean_email(p_email, 'email');
    v_phone text := steward_internal.clean_text(p_phone, 'phone', 40, false);
    v_roles text[] := steward_internal.check_contact_roles(p_roles);
    v_id uuid;
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    PERFORM steward_internal.lock_writable(p_customer, me.user_id, me.role, me.region, 'add contacts to it');
    INSERT INTO public.contacts (full_name, email, phone) VALUES (v_name, v_email, v_phone) RETURNING id INTO v_id;
    INSERT INTO public.contact_roles (contact_id, account_id, role) SELECT v_id, p_customer, unnest(v_roles);
    PERFORM steward_internal.emit(me.actor, 'customer.contact.added', p_customer, jsonb_build_object(
        'customerId', p_customer, 'contactId', v_id, 'roles', to_jsonb(v_roles)));
    RETURN steward_internal.contact_json(v_id, p_customer);
END
$$;

-- An existing contact takes roles at another customer too (the head chef of a
-- chain who also cooks at one of its locations).
CREATE OR REPLACE FUNCTION steward_api.link_contact(
    p_contact uuid, p_customer uuid, p_roles text[], p_context jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me record;
    v_roles text[] := steward_internal.check_contact_roles(p_roles);
    added text[];
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    PERFORM steward_internal.writable_contact(p_contact, me.user_id, me.role, me.region);
    PERFORM steward_internal.lock_writable(p_customer, me.user_id, me.role, me.region, 'link contacts to it');
    WITH inserted AS (
        INSERT INTO public.contact_roles (contact_id, account_id, role)
        SELECT p_contact, p_customer, unnest(v_roles)
        ON CONFLICT DO NOTHING
        RETURNING role
    )
    SELECT array_agg(role ORDER BY role) INTO added FROM inserted;
    IF added IS NOT NULL THEN
        PERFORM steward_internal.emit(me.actor, 'customer.contact.linked', p_customer, jsonb_build_object(
            'customerId', p_customer, 'contactId', p_contact, 'roles', to_jsonb(added)));
    END IF;
    RETURN steward_internal.contact_json(p_contact, p_customer);
END
$$;

-- Name, e-mail, phone, do-not-contact. The contact's customers each get the
-- event, so whoever reads one of them learns of the change.
CREATE OR REPLACE FUNCTION steward_api.update_contact(p_contact uuid, p_changes jsonb, p_context jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me record;
    c public.contacts;
    n public.contacts;
    unknown text;
    changed jsonb;
    v_customer uuid;
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    IF jsonb_typeof(p_changes) IS DISTINCT FROM 'object' OR p_changes = '{}' THEN
        PERFORM steward_internal.invalid('Nothing to change: give at least one value.',
                                         jsonb_build_object('changes', 'must not be empty'));
    END IF;
    SELECT k INTO unknown FROM jsonb_object_keys(p_changes) k
     WHERE k NOT IN ('full_name', 'email', 'phone', 'do_not_contact') LIMIT 1;
    IF unknown IS NOT NULL THEN
        PERFORM steward_internal.invalid(format('''%s'' is not a detail of a contact.', unknown),
                                         jsonb_build_object(unknown, 'is not a detail of a contact'));
    END IF;
    c := steward_internal.writable_contact(p_contact, me.user_id, me.role, me.region);
    n := c;
    IF p_changes ? 'full_name' THEN
        n.full_name := steward_internal.clean_text(p_changes ->> 'full_name', 'full_name', 200, true);
    END IF;
    IF p_changes ? 'email' THEN
        n.email := steward_internal.clean_email(p_changes ->> 'email', 'email');
    END IF;
    IF p_changes ? 'phone' THEN
        n.phone := steward_internal.clean_text(p_changes ->> 'phone', 'phone', 40, false);
    END IF;
    IF p_changes ? 'do_not_contact' THEN
        IF jsonb_typeof(p_changes -> 'do_not_contact') <> 'boolean' THEN
            PERFORM steward_internal.invalid('Do-not-contact is yes or no.', jsonb_build_object('do_not_contact', 'must be true or false'));
        END IF;
        n.do_not_contact := (p_changes ->> 'do_not_contact')::boolean;
    END IF;
    SELECT jsonb_object_agg(o.key, nn.value) INTO changed
      FROM jsonb_each(to_jsonb(c)) o JOIN jsonb_each(to_jsonb(n)) nn ON nn.key = o.key
     WHERE o.value IS DISTINCT FROM nn.value;
    IF changed IS NOT NULL THEN
        UPDATE public.contacts
           SET full_name = n.full_name, email = n.email, phone = n.phone, do_not_contact = n.do_not_contact,
               updated_at = now()
         WHERE id = c.id;
        FOR v_customer IN SELECT DISTINCT account_id FROM public.contact_roles WHERE contact_id = c.id ORDER BY 1 LOOP
            PERFORM steward_internal.emit(me.actor, 'customer.contact.updated', v_customer, jsonb_build_object(
                'customerId', v_customer, 'contactId', c.id, 'changes', changed));
        END LOOP;
    END IF;
    RETURN steward_internal.contact_json(c.id, (SELECT min(account_id::text)::uuid FROM public.contact_roles
                                                 WHERE contact_id = c.id));
END
$$;

-- The contact no longer holds p_role (or any role) at the customer. The contact
-- itself stays (it may hold roles elsewhere; retention anonymises the rest).
CREATE OR REPLACE FUNCTION steward_api.unlink_contact(
    p_contact uuid, p_customer uuid, p_role text DEFAULT NULL, p_context jsonb DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me record;
    removed text[];
BEGIN
    SELECT * INTO me FROM steward_internal.begin(p_context);
    PERFORM steward_internal.lock_writable(p_customer, me.user_id, me.role, me.region, 'change its contacts');
    WITH deleted AS (
        DELETE FROM public.contact_roles
         WHERE contact_id = p_contact AND account_id = p_customer AND (p_role IS NULL OR role = p_role)
        RETURNING role
    )
    SELECT array_agg(role ORDER BY role) INTO removed FROM deleted;
    IF removed IS NULL THEN
        PERFORM steward_internal.fail('SW404', format('Contact %s holds no such role at this customer.', p_contact),
                                      jsonb_build_object('errors', jsonb_build_object('contact_id', 'not linked')));
    END IF;
    PERFORM steward_internal.emit(me.actor, 'customer.contact.unlinked', p_customer, jsonb_build_object(
        'customerId', p_customer, 'contactId', p_contact, 'roles', to_jsonb(removed)));
END
$$;
