-- The next batch of one consumer, in the order that cannot skip a late commit:
-- after its checkpoint in (txid, position) order, and only from transactions
-- whose id lies below the horizon of this statement's snapshot (its xmin,
-- leaving out other databases' transactions; sql/migrations/0004). Every
-- transaction of this database below it has ended, so no row can ever appear
-- below what this scans (docs/DAEMON.md, "Why no event is skipped").
--
-- The scan passes :limit events, but only the ones the consumer needs leave the
-- server: those of its :types (NULL: all) that it takes in full (:full_types,
-- NULL: all of them), plus the first and the last event scanned, so the
-- checkpoint can move past the others. Each row carries its ordinal in the scan
-- and whether the consumer acts on it; every row the counts, and the last one,
-- with :customers, the distinct customers the acted-on events name (for
-- consumers that need nothing else). `actor` and `data` come only with
-- :with_data; a publishing consumer gets the envelope as JSON text rendered
-- here (:rendered) instead of decoding and encoding it again in Python.
WITH scanned AS (
    SELECT o.position, o.id, o.txid, o.type, o.version, o.time, o.source, o.correlation_id, o.actor,
           o.customer_id, o.data,
           row_number() OVER (ORDER BY o.txid, o.position) AS ordinal,
           (CAST(:types AS text[]) IS NULL OR o.type = ANY (CAST(:types AS text[]))) AS acted
      FROM event_outbox AS o
     WHERE (o.txid, o.position) > (CAST(:after_txid AS xid8), :after_position)
       AND o.txid < (SELECT event_outbox_horizon())
     ORDER BY o.txid, o.position
     LIMIT :limit
),
counted AS (
    -- Window counts: computed once over the batch, whatever the planner thinks its size is.
    SELECT s.*, count(*) OVER () AS seen, count(*) FILTER (WHERE s.acted) OVER () AS acted_count,
           s.acted AND (CAST(:full_types AS text[]) IS NULL OR s.type = ANY (CAST(:full_types AS text[]))) AS in_full
      FROM scanned AS s
)
SELECT p.ordinal, p.position, p.txid::text AS txid, p.time, p.type, p.acted, p.in_full, p.seen, p.acted_count,
       CASE WHEN p.in_full THEN p.id END AS id,
       CASE WHEN p.in_full THEN p.version END AS version,
       CASE WHEN p.in_full THEN p.source END AS source,
       CASE WHEN p.in_full THEN p.correlation_id END AS correlation_id,
       CASE WHEN p.in_full THEN p.customer_id END AS customer_id,
       CASE WHEN p.in_full AND :with_data THEN p.actor END AS actor,
       CASE WHEN p.in_full AND :with_data THEN p.data END AS data,
       CASE WHEN p.in_full AND :rendered
            THEN json_build_object('type', p.type, 'version', p.version, 'id', p.id, 'time', p.time,
                                   'source', p.source, 'correlationId', p.correlation_id, 'actor', p.actor,
                                   'data', p.data)::text
       END AS envelope_json,
       CASE WHEN :customers AND p.ordinal = p.seen
            THEN ARRAY(SELECT DISTINCT c.customer_id FROM scanned AS c
                        WHERE c.acted AND c.customer_id IS NOT NULL ORDER BY 1)
       END AS customers
  FROM counted AS p
 WHERE p.in_full OR p.ordinal = 1 OR p.ordinal = p.seen
 ORDER BY p.ordinal
