-- Outbox events older than :before that every outbox consumer has passed (at or
-- below the lowest checkpoint in (txid, position) order), at most :limit of them.
-- Without any checkpoint nothing is deleted: nobody has read anything yet.
WITH lowest AS (
    SELECT last_txid, last_position
      FROM consumer_checkpoints
     WHERE stream = 'outbox'
     ORDER BY last_txid, last_position
     LIMIT 1
), doomed AS (
    SELECT e.position
      FROM event_outbox e, lowest l
     WHERE (e.txid, e.position) <= (l.last_txid, l.last_position)
       AND e.time < :before
     ORDER BY e.txid, e.position
     LIMIT :limit
)
DELETE FROM event_outbox
 WHERE position IN (SELECT position FROM doomed)
