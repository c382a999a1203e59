-- One live inbox row per event id. The envelope's id is the idempotency key
-- (docs/EVENTS.md): an envelope whose id is already pending or done in the
-- inbox has been received, and is reported "already received" instead of being
-- queued again. services/service_layer/events/inbox.py receive() (behind `steward events ingest`,
-- later POST /events) queues with INSERT ... ON CONFLICT DO NOTHING against the
-- unique index below: one index probe, and two receivers of the same id at the same
-- moment cannot both queue it. Dead rows are left out of the index, so a corrected
-- resend of an event that was dead-lettered is accepted. Done rows are deleted after
-- the retention (services/service_layer/events/schedule.py), so "already received" reaches back
-- that far; the consumers are idempotent by event id for anything older.
--
-- Other modules that insert envelopes themselves get a unique violation for a resend;
-- `INSERT ... ON CONFLICT DO NOTHING` makes a resend harmless (docs/DAEMON.md).

-- The envelope's id as a uuid, NULL when it is none. Only the forms Python and
-- PostgreSQL read alike count (services/service_layer/events/envelopes.py EVENT_ID, which the daemon
-- checks ids with), so what the daemon accepts as an id is exactly what the inbox keys
-- on. plpgsql, not sql: an inlined cast of a constant would be folded, and fail,
-- before the pattern is tested.
CREATE FUNCTION inbox_event_id(envelope jsonb) RETURNS uuid
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    id text := envelope ->> 'id';   -- NULL for an envelope that is no object
BEGIN
    IF id ~ '^(\{[0-9a-fA-F]{8}(-?[0-9a-fA-F]{4}){3}-?[0-9a-fA-F]{12}\}|[0-9a-fA-F]{8}(-?[0-9a-fA-F]{4}){3}-?[0-9a-fA-F]{12})$' THEN
        RETURN CAST(id AS uuid);
    END IF;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION inbox_event_id(jsonb) FROM PUBLIC;
-- Everyone who writes inbox rows computes the column (also on UPDATE, which recomputes it).
GRANT EXECUTE ON FUNCTION inbox_event_id(jsonb) TO steward_daemon, steward_admin, steward_inbox_writer;

-- Stored, so the index can hold it. Rewrites the inbox once; it holds only the
-- retention's handled rows and whatever is pending.
ALTER TABLE event_inbox ADD COLUMN event_id uuid GENERATED ALWAYS AS (inbox_event_id(envelope)) STORED;

-- Copies of one event received before now: the first live row stays, later ones are
-- closed as dead, each with a discarded dead letter saying why (nobody has to act;
-- the consumers treated them as the repeats they are).
WITH copies AS (
    SELECT position, row_number() OVER (PARTITION BY event_id ORDER BY position) AS n
      FROM event_inbox
     WHERE event_id IS NOT NULL AND state IN ('pending', 'done')
), closed AS (
    UPDATE event_inbox i SET state = 'dead', handled_by = 'inbox', handled_at = now()
      FROM copies c
     WHERE c.position = i.position AND c.n > 1
    RETURNING i.position, i.event_id, i.type, i.envelope, i.origin
)
INSERT INTO event_dead_letters (consumer, direction, event_id, event_type, inbox_position, envelope, origin,
                                reason, state, resolved_at)
SELECT 'inbox', 'inbound', event_id, type, position, envelope, origin,
       'a second copy of event ' || event_id || ', closed when the inbox began to keep one per event id',
       'discarded', now()
  FROM closed;

CREATE UNIQUE INDEX event_inbox_event_id_idx ON event_inbox (event_id) WHERE state IN ('pending', 'done');
