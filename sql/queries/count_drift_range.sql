-- Customers with id in [:lo, :hi] whose projection row differs from the truth
-- (or is missing), or whose search words (cm_customer_words) differ from their
-- projection row's. Reads all of it in one snapshot, so concurrent writers do
-- not show up as drift.
WITH drifted_rows AS (
    SELECT customer_id FROM hot_projection_drift(:lo, :hi)
), expected_words AS MATERIALIZED (
    SELECT word, name, customer_id, region FROM hot_words_truth(:lo, :hi)
), present_words AS MATERIALIZED (
    SELECT word, name, customer_id, region FROM cm_customer_words WHERE customer_id BETWEEN :lo AND :hi
), drifted_words AS (
    (SELECT * FROM expected_words EXCEPT ALL SELECT * FROM present_words)
    UNION ALL
    (SELECT * FROM present_words EXCEPT ALL SELECT * FROM expected_words)
)
SELECT count(*)
  FROM (SELECT customer_id FROM drifted_rows UNION SELECT customer_id FROM drifted_words) AS drifted
