-- The event outbox: every business write appends its events in the same
-- transaction (docs/EVENTS.md); the daemon reads them in commit order.
--
-- Only the write API appends (people have no INSERT on event_outbox), through
-- steward_internal.emit, which knows the event types Steward writes: nobody can
-- put a `shipment.requested` for 100,000 units into the outbox by hand.

-- The event types of this module, and nothing else.
CREATE OR REPLACE FUNCTION steward_internal.event_types() RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
    SELECT ARRAY[
        'customer.created', 'customer.updated', 'customer.reassigned', 'customer.contactability.changed',
        'customer.contact.added', 'customer.contact.linked', 'customer.contact.updated', 'customer.contact.unlinked',
        'customer.fields.changed', 'customer.merged',
        'sample.requested', 'sample.status.changed', 'shipment.requested',
        'activity.created', 'roi.consultation.updated', 'roi.scenario.created', 'roi.scenario.updated',
        'change_set.applied', 'change_set.undone',
        'user.added', 'user.disabled', 'api_token.created', 'api_token.revoked']
$$;

-- The correlation id and source a caller gave for this transaction
-- (steward_internal.begin), or one made up for a call that gave none.
CREATE OR REPLACE FUNCTION steward_internal.correlation_id() RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    v text := nullif(current_setting('steward.correlation_id', true), '');
BEGIN
    IF v IS NULL THEN
        v := set_config('steward.correlation_id', gen_random_uuid()::text, true);
    END IF;
    RETURN v;
END
$$;

-- What every write API function does first: take the caller's context
-- ({"correlation_id": "...", "source": "desktop"}) for the audit history and the
-- events, and find out who is calling.
CREATE OR REPLACE FUNCTION steward_internal.begin(p_context jsonb,
    OUT user_id uuid, OUT role text, OUT region text, OUT actor jsonb)
LANGUAGE plpgsql AS $$
DECLARE
    me record;
BEGIN
    IF p_context ? 'correlation_id' THEN
        PERFORM set_config('steward.correlation_id', left(p_context ->> 'correlation_id', 200), true);
    END IF;
    IF p_context ? 'source' THEN
        PERFORM set_config('steward.source', left(p_context ->> 'source', 40), true);
    END IF;
    SELECT * INTO me FROM steward_internal.whoami();
    -- A read-scope API token reads; every write of the API begins here and stops.
    IF me.scope IS DISTINCT FROM 'write' THEN
        PERFORM steward_internal.fail('SW403', 'This API token may only read; writing needs a token with scope write.');
    END IF;
    -- Module accounts post inbound events (steward_api.receive_event) and do nothing else.
    IF me.role = 'MODULE' THEN
        PERFORM steward_internal.fail('SW403', 'A module account may only post inbound events.');
    END IF;
    user_id := me.user_id; role := me.role; region := me.region; actor := me.actor;
END
$$;

CREATE OR REPLACE FUNCTION steward_internal.emit(p_actor jsonb, p_type text, p_customer uuid, p_data jsonb)
RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
    v_id uuid := gen_random_uuid();
BEGIN
    IF NOT p_type = ANY (steward_internal.event_types()) THEN
        RAISE EXCEPTION 'event type % is not one this module writes', p_type;  -- a defect, not bad input
    END IF;
    INSERT INTO public.event_outbox (id, type, correlation_id, actor, customer_id, data)
    VALUES (v_id, p_type, steward_internal.correlation_id(), p_actor, p_customer, p_data);
    RETURN v_id;
END
$$;

-- Position, commit-order key and time are the server's to give, never the
-- writer's: a forged txid below a consumer's checkpoint would never be read. The
-- sequence is named by its schema and cast once (regclass), so no object a
-- caller creates (a temp table of the same name, say) can stand in for it; the
-- column has no default, so each event takes exactly one value.
CREATE OR REPLACE FUNCTION public.event_outbox_before_insert() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    NEW.position := nextval('public.event_outbox_position_seq'::regclass);
    NEW.txid := pg_current_xact_id();
    NEW.time := now();
    RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER event_outbox_before_insert
BEFORE INSERT ON public.event_outbox
FOR EACH ROW EXECUTE FUNCTION public.event_outbox_before_insert();

-- Wake listeners once per inserting statement. The payload is empty on purpose:
-- every client may LISTEN, so it must not learn which customer changed.
CREATE OR REPLACE FUNCTION public.event_outbox_notify() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM pg_notify('steward_events', '');
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER event_outbox_notify
AFTER INSERT ON public.event_outbox
FOR EACH STATEMENT EXECUTE FUNCTION public.event_outbox_notify();

CREATE OR REPLACE TRIGGER event_inbox_notify
AFTER INSERT ON public.event_inbox
FOR EACH STATEMENT EXECUTE FUNCTION public.event_outbox_notify();

-- The consumers' horizon: every transaction of this database whose id lies
-- below it had ended when the calling statement's snapshot was taken, so its
-- events are visible to that statement, and no event can ever appear below it
-- again. It is the snapshot's xmin, except that transactions of other databases
-- on the same server are left out: they cannot write this outbox, and a long
-- load next door must not stop the daemon. A running transaction is left out
-- only when pg_stat_activity shows it in another database (a backend never
-- changes database); one that cannot be placed counts. STABLE: it sees the
-- caller's snapshot.
CREATE OR REPLACE FUNCTION public.event_outbox_horizon() RETURNS xid8
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT coalesce(
               least((SELECT min(x)
                        FROM pg_snapshot_xip(pg_current_snapshot()) AS x
                       WHERE NOT EXISTS (
                             SELECT 1 FROM pg_stat_activity a
                              WHERE a.backend_xid = xid(x)
                                AND a.datid <> (SELECT oid FROM pg_database WHERE datname = current_database()))),
                     pg_current_xact_id_if_assigned()),
               pg_snapshot_xmax(pg_current_snapshot()))
$$;
