-- Record that the aggregates reflect the outbox up to (:txid, :position) in
-- commit order (never moving the mark back, so a replay keeps it), and, when
-- :built, that a complete rebuild has finished that started from :snapshot.
INSERT INTO kpi_state AS s (built_at, built_snapshot, applied_at, last_txid, last_position)
VALUES (CASE WHEN :built THEN now() END, CAST(:snapshot AS pg_snapshot), now(), CAST(:txid AS xid8), :position)
ON CONFLICT (singleton) DO UPDATE
   SET built_at = CASE WHEN :built THEN now() ELSE s.built_at END,
       built_snapshot = CASE WHEN :built THEN EXCLUDED.built_snapshot ELSE s.built_snapshot END,
       applied_at = now(),
       last_txid = CASE WHEN (EXCLUDED.last_txid, EXCLUDED.last_position) > (s.last_txid, s.last_position)
                        THEN EXCLUDED.last_txid ELSE s.last_txid END,
       last_position = CASE WHEN (EXCLUDED.last_txid, EXCLUDED.last_position) > (s.last_txid, s.last_position)
                            THEN EXCLUDED.last_position ELSE s.last_position END
