-- The next events for one consumer, in the order that cannot skip a late commit:
-- after its checkpoint in (txid, position) order, and only from transactions
-- whose id lies below the horizon of this statement's snapshot (its xmin,
-- leaving out other databases' transactions; sql/migrations/0004). Every
-- transaction of this database below it has ended, so no row can ever appear
-- below what this returns (docs/DAEMON.md, "Why no event is skipped"). `actor` and
-- `data` are fetched only for the types the consumer acts on; the others just
-- move its checkpoint. A publishing consumer gets the envelope as JSON text,
-- rendered here, instead of decoding and encoding it again in Python. The inner
-- query picks the rows (a walk of the (txid, position) index), the outer one
-- renders only those.
SELECT e.position, e.id, e.txid::text AS txid, e.type, e.version, e.time, e.source, e.correlation_id,
       CASE WHEN :with_data AND (CAST(:types AS text[]) IS NULL OR e.type = ANY (CAST(:types AS text[])))
            THEN e.actor END AS actor,
       e.customer_id,
       CASE WHEN :with_data AND (CAST(:types AS text[]) IS NULL OR e.type = ANY (CAST(:types AS text[])))
            THEN e.data END AS data,
       CASE WHEN :rendered
            THEN json_build_object('type', e.type, 'version', e.version, 'id', e.id, 'time', e.time,
                                   'source', e.source, 'correlationId', e.correlation_id, 'actor', e.actor,
                                   'data', e.data)::text
       END AS envelope_json
  FROM (SELECT *
          FROM event_outbox AS o
         WHERE (o.txid, o.position) > (CAST(:after_txid AS xid8), :after_position)
           AND o.txid < (SELECT event_outbox_horizon())
         ORDER BY o.txid, o.position
         LIMIT :limit) AS e
 ORDER BY e.txid, e.position  -- the columns, not the text alias above: xid8 order
