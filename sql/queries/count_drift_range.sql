-- Customers with id in [:lo, :hi] whose projection row differs from the truth
-- (or is missing), or whose search words (cm_customer_words) differ from their
-- projection row's. Reads all of it in one snapshot, so concurrent writers do
-- not show up as drift.
WITH drifted_rows AS (
    SELECT t.customer_id
      FROM hot_projection_truth(:lo, :hi) AS t
      LEFT JOIN cm_customer_hot_proj AS p ON p.customer_id = t.customer_id
     WHERE p.customer_id IS NULL
        OR (t.name, t.city, t.region, t.owner_id, t.chain_id, t.chain_name, t.is_chain, t.shared,
            t.sample_status, t.sample_last_event_at, t.roi_bucket, t.roi_value, t.decision_maker_count,
            t.has_exec_alignment, t.season_start, t.season_end, t.renewal_date, t.exclusivity, t.sla_due)
           IS DISTINCT FROM
           (p.name, p.city, p.region, p.owner_id, p.chain_id, p.chain_name, p.is_chain, p.shared,
            p.sample_status, p.sample_last_event_at, p.roi_bucket, p.roi_value, p.decision_maker_count,
            p.has_exec_alignment, p.season_start, p.season_end, p.renewal_date, p.exclusivity, p.sla_due)
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
