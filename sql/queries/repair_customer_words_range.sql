-- Repair the search words (cm_customer_words, sql/migrations/0010) of customers
-- with id in [:lo, :hi] from their projection rows; returns how many customers'
-- words differed. Run after the projection's own repair, in the same transaction
-- (see services/service_layer/projections.py).
--
-- A stale row (its word, name and customer no longer a word of that customer's
-- row) and a missing one never share a key, so the two changes cannot collide
-- on the unique index; a row whose only change is the region is updated in place.
WITH expected AS MATERIALIZED (
    SELECT word, name, customer_id, region FROM hot_words_truth(:lo, :hi)
), present AS MATERIALIZED (
    SELECT word, name, customer_id, region FROM cm_customer_words WHERE customer_id BETWEEN :lo AND :hi
), stale AS (
    DELETE FROM cm_customer_words w
     USING (SELECT word, name, customer_id FROM present
            EXCEPT
            SELECT word, name, customer_id FROM expected) AS s
     WHERE (w.word, w.name, w.customer_id) = (s.word, s.name, s.customer_id)
    RETURNING w.customer_id
), missing AS (
    INSERT INTO cm_customer_words AS w (word, name, customer_id, region)
    SELECT word, name, customer_id, region FROM expected
    EXCEPT
    SELECT word, name, customer_id, region FROM present
    ON CONFLICT (word, name, customer_id) DO UPDATE SET region = EXCLUDED.region
    RETURNING w.customer_id
)
SELECT count(*) FROM (SELECT customer_id FROM stale UNION SELECT customer_id FROM missing) AS repaired
