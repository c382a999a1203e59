-- The daemon's tables: what each consumer has passed, the inbox other modules
-- write inbound events into, the dead letters nobody could process, and the
-- daemon's scheduled jobs. See docs/DAEMON.md.

-- ----------------------------------------------------------- checkpoints

-- A consumer of the outbox keeps (last_txid, last_position): it has passed every
-- event up to that key in (txid, position) order. Inbound consumers work on
-- per-row inbox states instead; their row only carries the counters.
ALTER TABLE consumer_checkpoints
    ADD COLUMN stream           text NOT NULL DEFAULT 'outbox' CHECK (stream IN ('outbox', 'inbox')),
    ADD COLUMN last_event_time  timestamptz,
    -- Counted in the transaction that moves the checkpoint, so they count each
    -- event exactly once, whatever crashed in between.
    ADD COLUMN events_seen      bigint NOT NULL DEFAULT 0,
    ADD COLUMN events_handled   bigint NOT NULL DEFAULT 0,
    ADD COLUMN repairs          bigint NOT NULL DEFAULT 0;

-- The consumers' horizon: every transaction of this database whose id lies
-- below it had ended when the calling statement's snapshot was taken, so its
-- events are visible to that statement, and no event can ever appear below it
-- again. It is the snapshot's xmin, except that transactions of other databases
-- on the same server are left out: they cannot write this outbox, and a long
-- load next door must not stop the daemon. A running transaction is left out
-- only when pg_stat_activity shows it in another database (a backend never
-- changes database); one that cannot be placed counts. STABLE: it sees the
-- caller's snapshot.
CREATE FUNCTION event_outbox_horizon() RETURNS xid8
LANGUAGE sql STABLE AS $$
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

-- ----------------------------------------------------------------- inbox

-- Other modules INSERT an envelope (docs/EVENTS.md); the daemon claims
-- pending rows with FOR UPDATE SKIP LOCKED and sets their state in the same
-- transaction as the effect. A row committed late is still 'pending' when it
-- becomes visible, so nothing is skipped. Anything jsonb is accepted: a
-- malformed envelope must reach the dead letters, not be refused at the door.
CREATE TABLE event_inbox (
    position     bigserial PRIMARY KEY,
    envelope     jsonb NOT NULL,
    type         text GENERATED ALWAYS AS (envelope ->> 'type') STORED,
    origin       text NOT NULL DEFAULT session_user,   -- the writer's login, or file:line for `events ingest`
    received_at  timestamptz NOT NULL DEFAULT now(),
    state        text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'dead')),
    handled_by   text,
    handled_at   timestamptz
);
CREATE INDEX event_inbox_pending_idx ON event_inbox (type, position) WHERE state = 'pending';
CREATE INDEX event_inbox_type_idx ON event_inbox (type, position);
CREATE INDEX event_inbox_received_idx ON event_inbox (received_at);

CREATE TRIGGER event_inbox_notify
AFTER INSERT ON event_inbox
FOR EACH STATEMENT EXECUTE FUNCTION event_outbox_notify();

-- ---------------------------------------------------------- dead letters

-- Outbound: an outbox event a consumer gave up on (the envelope is copied, the
-- outbox row may be cleaned up). Inbound: an envelope that is malformed, of an
-- unknown type or version, or refers to nothing (raw holds a line that is not JSON).
--   dead       waits for a person (`steward events redrive`)
--   retry      redriven outbound letter; its consumer delivers it again
--   delivered  a retry that succeeded
--   redriven   inbound letter put back into the inbox
--   discarded  given up on by a person (`steward events discard`)
CREATE TABLE event_dead_letters (
    id               bigserial PRIMARY KEY,
    consumer         text NOT NULL,
    direction        text NOT NULL CHECK (direction IN ('outbound', 'inbound')),
    event_id         uuid,
    event_type       text,
    outbox_position  bigint,
    outbox_txid      xid8,
    inbox_position   bigint REFERENCES event_inbox (position) ON DELETE SET NULL,
    envelope         jsonb,
    raw              text,
    origin           text,
    reason           text NOT NULL,
    attempts         integer NOT NULL DEFAULT 1,
    state            text NOT NULL DEFAULT 'dead' CHECK (state IN ('dead', 'retry', 'delivered', 'redriven', 'discarded')),
    failed_at        timestamptz NOT NULL DEFAULT now(),
    redriven_at      timestamptz,
    resolved_at      timestamptz,
    CONSTRAINT something_to_show CHECK (envelope IS NOT NULL OR raw IS NOT NULL)
);
-- One letter per outbound event and consumer: a second failure updates it.
CREATE UNIQUE INDEX event_dead_letters_outbound_idx ON event_dead_letters (consumer, event_id)
    WHERE direction = 'outbound';
CREATE INDEX event_dead_letters_state_idx ON event_dead_letters (state, consumer);

-- ------------------------------------------------------- scheduled jobs

-- A job runs when its last start lies before its latest due time; claiming it is
-- one UPDATE, so of several daemons exactly one runs it.
CREATE TABLE daemon_jobs (
    job               text PRIMARY KEY,
    last_started_at   timestamptz NOT NULL DEFAULT now(),
    last_finished_at  timestamptz,
    last_report       text
);

-- ----------------------------------------------------------- privileges

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'steward_inbox_writer') THEN
        -- Granted by an admin to the logins of other modules that send us events.
        CREATE ROLE steward_inbox_writer NOLOGIN;
    END IF;
END
$$;

REVOKE ALL ON event_inbox, event_dead_letters, daemon_jobs FROM PUBLIC;
GRANT EXECUTE ON FUNCTION event_outbox_horizon() TO steward_daemon, steward_admin;

GRANT SELECT, INSERT, UPDATE, DELETE ON event_inbox, event_dead_letters, daemon_jobs, consumer_checkpoints
    TO steward_daemon;
GRANT USAGE ON SEQUENCE event_inbox_position_seq, event_dead_letters_id_seq TO steward_daemon;

-- Admins run `steward events` (status, replay, redrive, ingest) as themselves.
GRANT SELECT, INSERT, UPDATE ON event_inbox, event_dead_letters TO steward_admin;
GRANT SELECT, INSERT, UPDATE ON consumer_checkpoints TO steward_admin;
GRANT SELECT ON daemon_jobs TO steward_admin;
GRANT USAGE ON SEQUENCE event_inbox_position_seq, event_dead_letters_id_seq TO steward_admin;

-- Other modules may only add envelopes; the rest of a row is the server's.
GRANT INSERT (envelope) ON event_inbox TO steward_inbox_writer;
GRANT USAGE ON SEQUENCE event_inbox_position_seq TO steward_inbox_writer;

-- People do not read the inbox or the dead letters (they carry other modules'
-- data about any customer); the grants above already say so, and these
-- policies keep it so if a grant is ever widened.
ALTER TABLE event_inbox ENABLE ROW LEVEL SECURITY;
CREATE POLICY admin_all ON event_inbox TO steward_admin, steward_daemon USING (true) WITH CHECK (true);
CREATE POLICY writer_insert ON event_inbox FOR INSERT TO steward_inbox_writer WITH CHECK (state = 'pending');

ALTER TABLE event_dead_letters ENABLE ROW LEVEL SECURITY;
CREATE POLICY admin_all ON event_dead_letters TO steward_admin, steward_daemon USING (true) WITH CHECK (true);
